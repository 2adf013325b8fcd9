"""The course notebooks follow the shape the issues ask of every notebook.

Issue 2: "Each notebook: learning objectives, derive → check against ``ml.…`` in an assert →
play → ≥ 2 exercises with a checker function and collapsed solutions → key takeaways. A static
image of each key figure precedes its widget ... Committed with outputs stripped." Reads the
committed .ipynb files (nbformat JSON); runs nothing (nbval runs them).
"""
import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))
#: A cell that builds a course widget: ``name = widgets.something_widget(...)``.
WIDGET = re.compile(r"^(\w+)\s*=\s*widgets\.\w+_widget\(", re.M)
STATIC = re.compile(r"static=True|static_figure|Image\(")


def _cells(path):
    return json.loads(path.read_text("utf-8"))["cells"]


def _text(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def test_all_five_notebooks_are_there():
    assert [p.stem[:2] for p in NOTEBOOKS] == ["00", "01", "02", "03", "04"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_stripped_and_no_widget_state(path):
    nb = json.loads(path.read_text("utf-8"))
    assert "widgets" not in nb["metadata"]
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_required_sections(path):
    cells = _cells(path)
    code = [_text(c) for c in cells if c["cell_type"] == "code"]
    markdown = "\n".join(_text(c) for c in cells if c["cell_type"] == "markdown")
    assert code[0].startswith("%matplotlib widget") and "import marginlib as ml" in code[0]
    assert re.search(r"learning objectives", markdown, re.I), "no learning objectives"
    assert re.search(r"^#+ Key takeaways", markdown, re.M | re.I), "no key takeaways"
    assert sum("assert" in c for c in code) >= 3, "derivations not checked by asserts"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_two_exercises_with_checkers_and_collapsed_solutions(path):
    cells = _cells(path)
    checkers = {m for c in cells if c["cell_type"] == "code"
                for m in re.findall(r"^def (check_exercise_\w+)\(", _text(c), re.M)}
    assert len(checkers) >= 2, checkers
    solved = set()
    for before, cell in zip(cells, cells[1:]):
        hidden = cell.get("metadata", {}).get("jupyter", {}).get("source_hidden")
        if cell["cell_type"] == "code" and hidden:
            assert before["cell_type"] == "markdown" and "Solution" in _text(before)
            solved |= set(re.findall(r"assert (check_exercise_\w+)\(", _text(cell)))
    assert checkers <= solved, f"checkers without a collapsed solution asserting them: {checkers - solved}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_a_static_image_precedes_each_displayed_widget(path):
    """A widget displayed by its cell (the cell ends with its name) has a static picture
    somewhere after the previous displayed widget."""
    since_last = False
    shown = 0
    for cell in _cells(path):
        if cell["cell_type"] != "code":
            continue
        text = _text(cell)
        m = WIDGET.search(text)
        if m and text.rstrip().splitlines()[-1].strip() == m.group(1):
            assert since_last, f"widget {m.group(1)!r} has no static image before it"
            since_last, shown = False, shown + 1
        if STATIC.search(text):
            since_last = True
    assert shown >= 1
