"""The course notebooks are lectures: a budget, an order, exercises that teach.

Reads the committed .ipynb files (nbformat JSON) and runs nothing (nbval runs them). The
reading-time model is the course's lecture-budget model (prose 130 words a minute, visible code
15 lines a minute, 3 minutes a live figure, 5 an exercise; a <details> block counts 0 until
opened), kept here so a clone can check itself.
"""
import json
import re
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent.parent / "notebooks"
NOTEBOOKS = sorted(HERE.glob("*.ipynb"))
LECTURES = [p for p in NOTEBOOKS if re.match(r"\d\d", p.stem)]
CORE = [p for p in LECTURES if re.match(r"\d\d-", p.stem)]
DEEP_DIVES = [p for p in LECTURES if re.match(r"\d\dd-deep-dive-", p.stem)]

BUDGET_MINUTES, MAX_VISIBLE_ASSERTS = 25.0, 8
WPM, LPM, PER_WIDGET, PER_EXERCISE = 130, 15, 3.0, 5.0
EXERCISE = re.compile(r"^\s*(#+\s*|\*\*)\s*(\d+[.)]?\s*)?exercise\b", re.I | re.M)
#: A widget builder: the shared model's aliases, and any ``module.something_widget(`` (the course
#: imports its widget modules under short names, e.g. ``lw.notional_widget()``).
WIDGET_CALL = re.compile(r"\b(widgets|ipywidgets|wd|w)\.\w+\(|\binteract(ive)?\(|\b\w+\.\w+_widget\(")
CHECK_CALL = re.compile(r"\.check\(")


def _text(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def _jupyter(cell):
    return cell.get("metadata", {}).get("jupyter", {})


def _cells(path):
    return json.loads(path.read_text("utf-8"))["cells"]


def _shows_widget(src):
    lines = [ln for ln in src.splitlines() if ln.strip() and not ln.strip().startswith("#")]
    if not lines or not WIDGET_CALL.search(src):
        return False
    last = lines[-1].strip()
    return (not re.match(r"^(assert|import|from|def|class|for|if|with|return)\b", last)
            and "=" not in last.split("(")[0])


def reading_time(path):
    """Minutes and visible asserts of a notebook, by the lecture-budget model."""
    words = code_lines = figures = exercises = asserts = 0
    for cell in _cells(path):
        src = _text(cell)
        if cell["cell_type"] == "markdown":
            exercises += len(EXERCISE.findall(src))
            src = re.sub(r"<details.*?(</details>|$)", " ", src, flags=re.S)
            words += len(re.findall(r"[A-Za-z0-9]+", src))
        elif cell["cell_type"] == "code" and not _jupyter(cell).get("source_hidden"):
            lines = [ln for ln in src.splitlines() if ln.strip()]
            code_lines += len(lines)
            asserts += sum(ln.strip().startswith("assert") for ln in lines)
            figures += _shows_widget(src)
    minutes = words / WPM + code_lines / LPM + PER_WIDGET * figures + PER_EXERCISE * exercises
    return minutes, asserts


def test_the_course_sequence():
    stems = [p.stem for p in LECTURES]
    assert stems[0] == "00-start-here"
    numbers = sorted({int(s[:2]) for s in stems})
    assert numbers == list(range(len(numbers))) and numbers[-1] >= 4, numbers  # 00, 01, ... no gap
    assert (HERE / "glossary.ipynb").exists()


@pytest.mark.parametrize("path", LECTURES, ids=[p.stem for p in LECTURES])
def test_within_the_lecture_budget(path):
    minutes, asserts = reading_time(path)
    assert minutes <= BUDGET_MINUTES, f"{path.name}: {minutes:.1f} min > {BUDGET_MINUTES:g}"
    assert asserts <= MAX_VISIBLE_ASSERTS, f"{path.name}: {asserts} visible asserts"


def test_the_budget_model_can_fail(tmp_path):
    """A notebook of 4,000 words is over budget by this model (the test above can fail)."""
    nb = {"cells": [{"cell_type": "markdown", "metadata": {}, "source": "word " * 4000}]}
    path = tmp_path / "long.ipynb"
    path.write_text(json.dumps(nb))
    assert reading_time(path)[0] > BUDGET_MINUTES


@pytest.mark.parametrize("path", LECTURES, ids=[p.stem for p in LECTURES])
def test_lecture_order(path):
    """Title and overview first, then the imports; objectives; takeaways; next."""
    cells = _cells(path)
    assert cells[0]["cell_type"] == "markdown"
    first = _text(cells[0])
    assert re.match(r"# \d\dd? · ", first), "the first cell is not the title"
    assert re.search(r"learning objectives", first, re.I), "no learning objectives up front"
    assert "glossary.ipynb" in first, "the opening does not link the glossary"
    code = [c for c in cells if c["cell_type"] == "code"]
    assert code and "import marginlib as ml" in _text(code[0]), "imports are not the first code"
    assert cells.index(code[0]) <= 2, "code before the imports"
    markdown = "\n".join(_text(c) for c in cells if c["cell_type"] == "markdown")
    assert re.search(r"^## Key takeaways", markdown, re.M)
    assert re.search(r"^## Next", markdown, re.M)


@pytest.mark.parametrize("path", LECTURES, ids=[p.stem for p in LECTURES])
def test_exercises_use_package_checkers_and_hide_solutions(path):
    cells = _cells(path)
    headings = [_text(c) for c in cells if c["cell_type"] == "markdown"
                and re.search(r"^### Exercise \d", _text(c), re.M)]
    needed = 2 if path in CORE else 1
    assert len(headings) >= needed, f"{path.name}: {len(headings)} exercises"
    visible_checks = sum(bool(CHECK_CALL.search(_text(c))) for c in cells
                         if c["cell_type"] == "code" and not _jupyter(c).get("source_hidden"))
    assert visible_checks >= len(headings), "an exercise without a checker call"
    solutions = 0
    for before, cell in zip(cells, cells[1:]):
        if before["cell_type"] == "markdown" and re.search(r"^#### Solution", _text(before), re.M):
            solutions += 1
            assert cell["cell_type"] == "code", "a solution that is not a code cell"
            meta = _jupyter(cell)
            assert meta.get("source_hidden") and meta.get("outputs_hidden"), (
                f"{path.name}: a solution whose source or output shows")
            assert CHECK_CALL.search(_text(cell)), "a solution not checked by its checker"
    assert solutions >= len(headings), f"{path.name}: {solutions} solutions"
    # checkers come from the package, never defined in the notebook
    defined = [c for c in cells if c["cell_type"] == "code"
               and re.search(r"^def check", _text(c), re.M)]
    assert not defined, "a checker defined in the notebook (it belongs in marginlib.course)"


@pytest.mark.parametrize("path", LECTURES, ids=[p.stem for p in LECTURES])
def test_no_test_code_or_duplicate_figures_in_the_reading_path(path):
    for cell in _cells(path):
        if cell["cell_type"] != "code" or _jupyter(cell).get("source_hidden"):
            continue
        src = _text(cell)
        assert "static=True" not in src and "static_figure" not in src, (
            "a static copy of a live figure")
        assert not re.search(r"\.(value|index)\s*=", src), "a cell that drives a widget"


@pytest.mark.parametrize("path", LECTURES, ids=[p.stem for p in LECTURES])
def test_hidden_checks_print_nothing(path):
    """A hidden-source cell keeps the prose honest; it must not show a bare value."""
    for cell in _cells(path):
        if cell["cell_type"] == "code" and _jupyter(cell).get("source_hidden") \
                and not _jupyter(cell).get("outputs_hidden"):
            lines = [ln for ln in _text(cell).splitlines()
                     if ln.strip() and not ln.lstrip().startswith("#")]
            last = lines[-1].strip() if lines else ""
            assert (not lines or last.startswith(("assert", "None", ")", "]"))
                    or "=" in last.split("(")[0] or last.endswith(";")), (
                f"{path.name}: a hidden check ends with an expression: {last!r}")


def test_deep_dives_are_marked():
    assert DEEP_DIVES, "no deep-dive notebooks"
    for path in DEEP_DIVES:
        first = _text(_cells(path)[0])
        assert re.search(r"deep dive", first, re.I) and re.search(r"optional", first, re.I)
