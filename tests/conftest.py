"""Shared test settings: a hypothesis profile, the scalar/1-D/2-D elementwise check and the
``close_figures`` fixture, used by every test (pyplot figures a test opens are closed after it).

The ``ci`` hypothesis profile (no deadline: the machine is shared and timings are noisy; a
moderate number of examples; derandomized, so a run of the suite is reproducible and CI never
fails on an example it did not try before) is loaded by default. ``thorough`` explores with
random examples, 1,000 per property: ``HYPOTHESIS_PROFILE=thorough python -m pytest ...``;
pin anything it finds with ``@example``.
"""
import dataclasses
import os

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("ci", deadline=None, max_examples=60, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", deadline=None, max_examples=1000,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def _parts(result, fields):
    if fields is None:
        return {"value": result}
    assert dataclasses.is_dataclass(result), f"expected a dataclass, got {type(result).__name__}"
    return {name: getattr(result, name) for name in fields}


def _assert_elementwise(func, columns, *, fields=None, types=None, column=None, rtol=1e-12):
    """Scalars in give floats; 1-D and broadcast 2-D arrays give the scalar results elementwise.

    Parameters
    ----------
    func : callable taking keyword arguments.
    columns : dict of argument name -> list of n scalar values (every combination used by
        the 2-D check, row ``i`` of ``column`` with entry ``j`` of the others, must be valid).
    fields : names of the dataclass fields to compare when ``func`` returns a dataclass.
    types : expected Python type of each scalar field (default float).
    column : the argument given shape (n, 1) in the 2-D check (default: the first); with a
        single argument the 2-D check passes a (2, n) array of its values instead.
    """
    names = list(columns)
    n = len(columns[names[0]])
    assert n >= 2 and all(len(columns[k]) == n for k in names)
    types = types or {}

    def scalar_call(values):
        out = _parts(func(**values), fields)
        for name, val in out.items():
            want = types.get(name, float)
            assert type(val) is want, f"{name}: scalar inputs gave {type(val).__name__}, want {want.__name__}"
        return out

    scalars = [scalar_call({k: columns[k][i] for k in names}) for i in range(n)]

    one_d = _parts(func(**{k: np.asarray(columns[k]) for k in names}), fields)
    for name, val in one_d.items():
        assert np.shape(val) == (n,), f"{name}: 1-D inputs gave shape {np.shape(val)}"
        np.testing.assert_allclose(np.asarray(val, dtype=float),
                                   [float(s[name]) for s in scalars], rtol=rtol, atol=0,
                                   err_msg=f"{name}: 1-D result differs from the scalar results")

    if len(names) == 1:  # one argument: a 2-D array of its values (rows reversed)
        (only,) = names
        grid = [list(columns[only]), list(columns[only])[::-1]]
        two_d = _parts(func(**{only: np.asarray(grid)}), fields)
        shape = (2, n)

        def scalar_at(i, j):
            return {only: grid[i][j]}
    else:  # `column` as a (n, 1) column, every other argument as a (1, n) row
        col = column or names[0]
        two_d = _parts(func(**{k: np.asarray(columns[k]).reshape((n, 1) if k == col else (1, n))
                               for k in names}), fields)
        shape = (n, n)

        def scalar_at(i, j):
            return {k: columns[k][i] if k == col else columns[k][j] for k in names}
    for name, val in two_d.items():
        assert np.shape(val) == shape, f"{name}: 2-D inputs gave shape {np.shape(val)}"
        want = np.empty(shape)
        for i in range(shape[0]):
            for j in range(shape[1]):
                want[i, j] = float(_parts(func(**scalar_at(i, j)), fields)[name])
        np.testing.assert_allclose(np.asarray(val, dtype=float), want, rtol=rtol, atol=0,
                                   err_msg=f"{name}: 2-D broadcast differs from scalar results")


@pytest.fixture
def assert_elementwise():
    """The scalar → float, 1-D and broadcast 2-D equivalence check (see ``_assert_elementwise``)."""
    return _assert_elementwise


@pytest.fixture(autouse=True)
def close_figures():
    """Close the pyplot figures a test opens (every test: pyplot keeps each figure until it is
    closed, and warns past 20). Figures of a module- or session-scoped fixture, made before
    the test starts, are kept. pyplot is looked up, not imported: a test that draws nothing
    leaves it unimported."""
    import sys

    plt = sys.modules.get("matplotlib.pyplot")
    before = set(plt.get_fignums()) if plt is not None else set()
    yield
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is not None:
        for num in set(plt.get_fignums()) - before:
            plt.close(num)
