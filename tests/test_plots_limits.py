"""plots._base.set_limits(sticky=True): the data always fits, small changes keep the limits."""
import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from marginlib.plots._base import nice_step, set_limits  # noqa: E402

finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)


def _ax():
    return Figure().add_subplot()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(finite, finite), min_size=1, max_size=12))
def test_data_always_inside(ranges):
    ax = _ax()
    for a, b in ranges:
        set_limits(ax, x=[a, b], y=[a, b], sticky=True)
        for lo, hi in (ax.get_xlim(), ax.get_ylim()):
            assert lo < hi
            assert lo <= min(a, b) and max(a, b) <= hi


def test_small_change_keeps_limits_large_change_moves_them():
    ax = _ax()
    set_limits(ax, y=[0.0, 96.0], sticky=True)
    first = ax.get_ylim()
    assert first[0] < 0.0 and first[1] > 96.0
    set_limits(ax, y=[0.0, 100.0], sticky=True)  # still inside with its margin: kept
    assert ax.get_ylim() == first
    set_limits(ax, y=[0.0, 300.0], sticky=True)  # leaves them: new limits around the data
    assert ax.get_ylim()[1] >= 300.0
    set_limits(ax, y=[0.0, 10.0], sticky=True)  # shrinks far below them: new limits
    assert ax.get_ylim()[1] < 20.0


def test_limits_set_by_someone_else_are_replaced():
    ax = _ax()
    set_limits(ax, y=[0.0, 1.0], sticky=True)
    ax.set_ylim(0.4, 0.5)
    set_limits(ax, y=[0.0, 1.0], sticky=True)
    lo, hi = ax.get_ylim()
    assert lo <= 0.0 and hi >= 1.0


def test_start_fixes_the_lower_limit():
    ax = _ax()
    for top in (96.0, 120.0, 40.0, 500.0):
        set_limits(ax, x=[0.0, top], y=[0.0, top], sticky=True, x_start=0.0, y_start=0.0)
        assert ax.get_xlim()[0] == 0.0 and ax.get_ylim()[0] == 0.0
        assert ax.get_xlim()[1] >= top and ax.get_ylim()[1] >= top


@pytest.mark.parametrize("span, step", [(640.0, 50.0), (0.08, 0.005), (10.0, 5.0), (99.0, 5.0)])
def test_nice_step(span, step):
    assert nice_step(span) == pytest.approx(step)


def test_plain_limits_unchanged():
    ax = _ax()
    set_limits(ax, y=[0.0, 100.0])
    assert np.allclose(ax.get_ylim(), (-5.0, 105.0))
