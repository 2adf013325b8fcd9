"""Every public function carries a numpydoc docstring with parameters, a source and a doctest.

Issue 2 asks for "numpydoc docstring with units, the formula, its source, and a doctest" on
every public function. The doctests themselves run under ``--doctest-modules``; this test checks
that they exist, and that the single-position maths (the venues' formulas) names its source in
a ``References`` section.
"""
import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest

import marginlib as ml

#: The maths: every module of the package except the drawing and wiring layers and the course.
MATH_MODULES = sorted(
    info.name.removeprefix("marginlib.")
    for info in pkgutil.walk_packages(ml.__path__, prefix="marginlib.")
    if not re.search(r"\.(plots|widgets|course)(\.|$)|\._", info.name))
VENUE_MODULES = [m for m in MATH_MODULES if m.startswith("venues")]
#: Modules whose every public function implements a venue's published formula.
SOURCED_MODULES = ["position", "liquidation", "tiers", "settlement", *VENUE_MODULES]


def _functions(module_names):
    for m in module_names:
        mod = importlib.import_module(f"marginlib.{m}")
        for name in mod.__all__:
            obj = getattr(mod, name)
            if inspect.isfunction(obj):
                yield f"{m}.{name}", obj


ALL = dict(_functions(MATH_MODULES))
SOURCED = dict(_functions(SOURCED_MODULES))


def test_the_lists_cover_the_package():
    assert {"position", "liquidation", "tiers", "settlement", "funding", "funding_drift",
            "costs", "account", "region", "venues.dydx", "sim.montecarlo",
            "data.loaders"} <= set(MATH_MODULES)
    assert len(ALL) > 60


def test_docstrings_cite_only_what_a_clone_has():
    """Sources are public URLs, papers or files in the repository -- never the course's
    private notes (a user's clone has no ``../shared``)."""
    package = Path(ml.__file__).parent
    private = re.compile(r"VENUES\.md|RESEARCH\.md|ARTICLE\.md|cases\.md|\.\./shared")
    cited = [f"{path.relative_to(package)}:{n}" for path in sorted(package.rglob("*.py"))
             for n, line in enumerate(path.read_text("utf-8").splitlines(), 1)
             if private.search(line)]
    assert not cited, f"docstrings cite files a clone does not have: {cited}"


@pytest.mark.parametrize("name", sorted(ALL))
def test_public_function_has_parameters_returns_and_a_doctest(name):
    doc = inspect.getdoc(ALL[name]) or ""
    assert "Returns\n-------" in doc or "Yields\n------" in doc, f"{name}: no Returns section"
    if inspect.signature(ALL[name]).parameters:
        assert "Parameters\n----------" in doc, f"{name}: no Parameters section"
    assert ">>> " in doc, f"{name}: no doctest in Examples"


@pytest.mark.parametrize("name", sorted(SOURCED))
def test_venue_formula_names_its_source(name):
    doc = inspect.getdoc(SOURCED[name]) or ""
    assert "References\n----------" in doc or "Source" in doc, f"{name}: no References"
