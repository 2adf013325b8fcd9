"""Each committed notebook is its MyST Markdown source, converted by jupytext.

The course is written in ``notebooks/*.md`` (MyST Markdown, the format QuantEcon's lectures
use) and paired with ``notebooks/*.ipynb`` through jupytext (``formats: ipynb,md:myst`` in
each file's metadata). After editing a source, run ``jupytext --sync notebooks/*.md`` (or
save in JupyterLab with jupytext installed, which writes both files). This test fails when
the two have drifted, or when an .ipynb is committed with outputs.
"""
import json
from pathlib import Path

import jupytext
import pytest

HERE = Path(__file__).resolve().parent.parent / "notebooks"
SOURCES = sorted(HERE.glob("*.md"))
NOTEBOOKS = sorted(HERE.glob("*.ipynb"))


def _cells(nb):
    """What a learner meets: type, source and metadata of every cell (ids and outputs aside)."""
    out = []
    for cell in nb["cells"]:
        source = cell["source"]
        source = "".join(source) if isinstance(source, list) else source
        meta = {k: v for k, v in dict(cell.get("metadata", {})).items()
                if k not in ("execution", "collapsed", "scrolled")}
        out.append((cell["cell_type"], source, json.dumps(meta, sort_keys=True)))
    return out


def test_every_notebook_has_a_source_and_back():
    assert [p.stem for p in SOURCES] == [p.stem for p in NOTEBOOKS]
    assert NOTEBOOKS, "no notebooks found"


@pytest.mark.parametrize("source", SOURCES, ids=[p.stem for p in SOURCES])
def test_ipynb_equals_its_source(source):
    from_source = json.loads(jupytext.writes(jupytext.read(source), fmt="ipynb"))
    committed = json.loads(source.with_suffix(".ipynb").read_text("utf-8"))
    assert _cells(committed) == _cells(from_source), (
        f"{source.with_suffix('.ipynb').name} differs from {source.name}: "
        f"run `jupytext --sync notebooks/{source.name}`")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_committed_stripped(path):
    nb = json.loads(path.read_text("utf-8"))
    assert "widgets" not in nb["metadata"], "widget state committed"
    dirty = [i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code"
             and (c.get("outputs") or c.get("execution_count") is not None)]
    assert not dirty, f"cells with outputs or execution counts: {dirty}"
    assert nb["metadata"].get("jupytext", {}).get("formats") == "ipynb,md:myst"
