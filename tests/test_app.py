"""The app's pages (app/*.ipynb, served by Voilà: bash scripts/open-app).

Each page is its MyST source app/*.md converted by jupytext (as the notebooks are), committed
without outputs; it links to every other page of the app (relative links work under
voila/render/); its code is a short imports cell and one builder call per live figure
(``widgets.<builder>()``, the figure built when the page loads). The pages are run and every
control moved in a real browser by tests/test_browser.py (test_app_page_in_voila).
"""
import json
import re
from pathlib import Path

import jupytext
import pytest

APP = Path(__file__).resolve().parent.parent / "app"
PAGES = sorted(APP.glob("*.ipynb"))


def _cells(nb):
    """Type, source and metadata of every cell (ids and outputs aside)."""
    return [(c["cell_type"], "".join(c["source"]) if isinstance(c["source"], list) else c["source"],
             json.dumps({k: v for k, v in c.get("metadata", {}).items()
                         if k not in ("execution", "collapsed", "scrolled")}, sort_keys=True))
            for c in nb["cells"]]


def test_every_page_has_a_source_and_back():
    assert PAGES, "no app pages"
    assert [p.stem for p in sorted(APP.glob("*.md"))] == [p.stem for p in PAGES]


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_page_equals_its_source_and_is_stripped(page):
    from_source = json.loads(jupytext.writes(jupytext.read(page.with_suffix(".md")), fmt="ipynb"))
    committed = json.loads(page.read_text("utf-8"))
    assert _cells(committed) == _cells(from_source), \
        f"run `jupytext --sync app/{page.stem}.md`"
    dirty = [i for i, c in enumerate(committed["cells"]) if c["cell_type"] == "code"
             and (c.get("outputs") or c.get("execution_count") is not None)]
    assert not dirty and "widgets" not in committed["metadata"]


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_page_links_to_the_others_and_only_builds_figures(page):
    cells = json.loads(page.read_text("utf-8"))["cells"]
    text = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    for other in PAGES:
        if other != page:
            assert f"]({other.name})" in text, f"{page.name} does not link to {other.name}"
    code = ["".join(c["source"]).strip() for c in cells if c["cell_type"] == "code"]
    assert code[0].splitlines()[0] == "%matplotlib widget"
    assert all(re.fullmatch(r"widgets\.\w+\(\)", c) for c in code[1:]), code[1:]
    assert len(code) >= 2
