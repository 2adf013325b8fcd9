"""The static course site (``bash scripts/build-site``, configured in ``docs/conf.py``).

One Sphinx build per test session (module fixture, into pytest's temporary folder): every
notebook executed by myst-nb, the API reference generated from the docstrings. Then, on the
built HTML:

* every notebook in ``notebooks/`` (and every ``workshop/**/*.md``, when that folder exists)
  has its page, and every notebook ran without an error;
* every live figure has a visible picture: the number of live figures a notebook's source
  displays (a visible cell whose last expression is a ``widgets.<builder>(...)`` call, or a
  name the cell assigned from one) equals the number of figure snapshots on its page, and
  each snapshot is a real PNG with more than one colour; no widget is left as a bare widget
  view or its ``VBox(...)`` text, and no snapshot failed;
* solutions (and the hidden checks, cells tagged ``hide-input``) render collapsed: the cell is
  on the page with its source inside a closed ``<details>``; every "Solution to exercise k"
  heading of the source is on the page with a collapsed cell under it;
* no broken internal link: every relative ``href``/``src`` of every page points to a file of
  the site, and every ``#anchor`` to an id on the target page;
* the API reference has a page for every public module of ``marginlib`` and documents every
  name a learner types at ``ml.``, and the build log has no warning from a ``marginlib``
  docstring (a malformed table or field list renders badly);
* the site works without network: no page loads a script, stylesheet, image or frame from
  another host, no stylesheet imports one, and the maths is typeset by the site's own copy of
  MathJax, checked in Chromium with every network request refused (a workshop handout).

``MARGINLIB_SITE=_build/site`` checks an already built site instead of building one (for
working on the site; CI always builds).
"""
from __future__ import annotations

import ast
import base64
import concurrent.futures
import inspect
import io
import json
import os
import pkgutil
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
WORKSHOP = sorted((ROOT / "workshop").rglob("*.md"))

pytestmark = pytest.mark.site


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The built site's folder (built once per test module)."""
    given = os.environ.get("MARGINLIB_SITE")
    if given:
        path = (ROOT / given).resolve()
        assert (path / "index.html").is_file(), f"MARGINLIB_SITE={given}: no index.html there"
        return path
    pytest.importorskip("sphinx")
    pytest.importorskip("myst_nb")
    out = tmp_path_factory.mktemp("site")
    proc = subprocess.run(
        # A notebook that fails is reported by test_every_notebook_executes (the page is still
        # written, up to the failing cell), so the other checks run too.
        [sys.executable, "-m", "sphinx", "-b", "html", "-c", "docs", "-q", "--keep-going",
         "-D", "nb_execution_raise_on_error=0",
         "-d", str(out / "doctrees"), ".", str(out / "html")],
        cwd=ROOT, capture_output=True, text=True, timeout=900)
    noise = "Kernel is running over TCP without encryption"
    errors = "\n".join(line for line in proc.stderr.splitlines() if noise not in line)
    assert proc.returncode == 0, f"sphinx-build failed:\n{proc.stdout[-2000:]}\n{errors[-6000:]}"
    (out / BUILD_LOG).write_text(proc.stderr, encoding="utf-8")
    return out / "html"


#: sphinx-build's warnings, kept beside the folder of the site the fixture built.
BUILD_LOG = "sphinx-build.log"


# --- reading the HTML (standard library only) ------------------------------------------------

class Page(HTMLParser):
    """Links, ids, images and the open/closed state of ``<details>`` on one page."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
            "source", "track", "wbr"}

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.ids, self.links, self.figures, self.stack = set(), [], [], []
        self.cells = []          # (classes, [closed-details depth flags]) per div.cell
        self.hidden_inputs = []  # per div.cell_input: is it inside a closed <details>?
        self.widget_views = 0
        self.loads = []          # (tag, url) of what the browser fetches to show the page
        self.text = text
        self.feed(text)

    def _inside_closed_details(self):
        return any(tag == "details" and "open" not in attrs for tag, attrs in self.stack)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("id", "name"):
            if a.get(key):
                self.ids.add(a[key])
        if tag in ("a", "link") and a.get("href") is not None:
            self.links.append(a["href"])
        if tag in ("img", "script", "iframe", "source") and a.get("src"):
            self.links.append(a["src"])
            self.loads.append((tag, a["src"]))
        if tag == "link" and a.get("href") and set((a.get("rel") or "").lower().split()) & {
                "stylesheet", "preload", "modulepreload", "icon", "manifest"}:
            self.loads.append((tag, a["href"]))
        classes = (a.get("class") or "").split()
        if tag == "img" and "ml-figure" in classes:
            self.figures.append(a.get("src", ""))
        if tag == "script" and a.get("type") == "application/vnd.jupyter.widget-view+json":
            self.widget_views += 1
        if tag == "div" and "cell_input" in classes:
            self.hidden_inputs.append(self._inside_closed_details())
        if tag == "div" and "cell" in classes:
            self.cells.append(classes)
        if tag not in self.VOID:
            self.stack.append((tag, a))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break


_pages = {}


def page(path):
    path = Path(path)
    if path not in _pages:
        _pages[path] = Page(path.read_text(encoding="utf-8"))
    return _pages[path]


def notebook_page(site, nb_path):
    return site / "notebooks" / (nb_path.stem + ".html")


# --- what the sources say --------------------------------------------------------------------

def _cells(nb_path):
    return json.loads(nb_path.read_text(encoding="utf-8"))["cells"]


def _source(cell):
    src = cell["source"]
    return "".join(src) if isinstance(src, list) else src


def _is_builder_call(node):
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name) and node.func.value.id == "widgets")


def live_figures_in_source(nb_path):
    """How many live figures the notebook displays, read from its code (not from outputs)."""
    count = 0
    for cell in _cells(nb_path):
        tags = cell.get("metadata", {}).get("tags", [])
        if cell["cell_type"] != "code" or {"remove-cell", "remove-output"} & set(tags):
            continue
        code = "\n".join(line for line in _source(cell).splitlines()
                         if not line.lstrip().startswith(("%", "!")))
        try:
            body = ast.parse(code).body
        except SyntaxError:
            continue
        if not body or not isinstance(body[-1], ast.Expr):
            continue
        built = {t.id for stmt in body if isinstance(stmt, ast.Assign) and _is_builder_call(stmt.value)
                 for t in stmt.targets if isinstance(t, ast.Name)}
        last = body[-1].value
        if _is_builder_call(last) or (isinstance(last, ast.Name) and last.id in built):
            count += 1
    return count


def hidden_input_cells(nb_path):
    return sum(1 for c in _cells(nb_path) if c["cell_type"] == "code"
               and "hide-input" in c.get("metadata", {}).get("tags", []))


def solution_headings(nb_path):
    heads = []
    for cell in _cells(nb_path):
        if cell["cell_type"] == "markdown":
            heads += re.findall(r"^#+\s*(Solution to exercise \S+)", _source(cell), flags=re.M)
    return heads


def _slug(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


# --- the tests -------------------------------------------------------------------------------

def test_every_notebook_and_workshop_page_exists(site):
    assert NOTEBOOKS, "no notebooks found"
    missing = [p.name for p in NOTEBOOKS if not notebook_page(site, p).is_file()]
    missing += [str(p.relative_to(ROOT)) for p in WORKSHOP
                if not (site / p.relative_to(ROOT).with_suffix(".html")).is_file()]
    assert not missing, f"no page for {missing}"
    assert (site / "index.html").is_file() and (site / "docs" / "index.html").is_file()
    home = page(site / "docs" / "index.html")
    linked = {Path(urlsplit(h).path).stem for h in home.links}
    assert not [p.stem for p in NOTEBOOKS if p.stem not in linked], "home page misses a notebook"


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_every_notebook_executes(site, nb_path):
    log = site / "reports" / "notebooks" / (nb_path.stem + ".err.log")
    if log.exists():
        text = re.sub(r"\x1b\[[0-9;]*m", "", log.read_text(encoding="utf-8"))
        cell = text.find("An error occurred while executing the following cell")
        pytest.fail(f"{nb_path.name} failed on the site build:\n{text[max(cell, 0):][:3000]}")
    assert "cell_output" in page(notebook_page(site, nb_path)).text or nb_path.stem == "glossary"


def _png_is_a_picture(src):
    from PIL import Image

    assert src.startswith("data:image/png;base64,"), f"figure is not an inline PNG: {src[:60]}"
    image = Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1]))).convert("RGB")
    width, height = image.size
    colours = image.getcolors(maxcolors=1_000_000) or []
    return width >= 200 and height >= 150 and len(colours) > 8


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_every_live_figure_has_its_picture(site, nb_path):
    p = page(notebook_page(site, nb_path))
    want = live_figures_in_source(nb_path)
    assert len(p.figures) == want, (
        f"{nb_path.name}: the source displays {want} live figure(s), the page shows "
        f"{len(p.figures)} snapshot(s)")
    blank = [i for i, src in enumerate(p.figures) if not _png_is_a_picture(src)]
    assert not blank, f"{nb_path.name}: snapshot(s) {blank} are blank or tiny"
    assert "ml-static-error" not in p.text, f"{nb_path.name}: a widget could not be rendered"
    assert p.widget_views == 0, f"{nb_path.name}: a widget left as a bare widget view"
    plain = re.findall(r'class="output text_plain.*?</pre>', p.text, flags=re.S)
    assert not [o for o in plain if re.search(r"\b(VBox|HBox|Canvas|LiveFigure)\(", o)], (
        f"{nb_path.name}: a widget shown as its text")


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_solutions_and_hidden_checks_are_collapsed(site, nb_path):
    p = page(notebook_page(site, nb_path))
    hidden_cells = [c for c in p.cells if "tag_hide-input" in c]
    assert len(hidden_cells) == hidden_input_cells(nb_path), (
        f"{nb_path.name}: {hidden_input_cells(nb_path)} hide-input cells in the source, "
        f"{len(hidden_cells)} on the page")
    assert sum(p.hidden_inputs) == len(hidden_cells), (
        f"{nb_path.name}: a hide-input cell's source is not inside a closed <details>")
    text = p.text
    for head in solution_headings(nb_path):
        anchor = f'id="{_slug(head)}"'
        assert anchor in text, f"{nb_path.name}: no '{head}' section on the page"
        section = text[text.index(anchor):]
        section = section[:section.find("</section>")] if "</section>" in section else section
        assert "tag_hide-input" in section and '<details class="admonition hide above-input"' in \
            section, f"{nb_path.name}: '{head}' has no collapsed solution cell"


def _html_pages(site):
    return sorted(p for p in site.rglob("*.html") if "_static" not in p.parts)


def test_no_broken_internal_link(site):
    broken = []
    pages = _html_pages(site)
    assert len(pages) > len(NOTEBOOKS)
    for path in pages:
        for link in page(path).links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("mailto:", "data:", "javascript:")):
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{path.relative_to(site)}: {link} (no file)")
                continue
            if parts.fragment and target.suffix == ".html":
                if unquote(parts.fragment) not in page(target).ids:
                    broken.append(f"{path.relative_to(site)}: {link} (no id)")
    assert not broken, f"{len(broken)} broken internal link(s):\n" + "\n".join(broken[:40])


def _public_modules():
    import marginlib

    names = ["marginlib"]
    for info in pkgutil.walk_packages(marginlib.__path__, "marginlib."):
        if not any(part.startswith("_") for part in info.name.split(".")):
            names.append(info.name)
    return names


def test_api_reference_covers_the_public_modules(site):
    api = site / "docs" / "generated"
    missing = []
    for name in _public_modules():
        f = api / f"{name}.html"
        if not f.is_file() or f"module-{name}" not in page(f).ids:
            missing.append(name)
    assert not missing, f"no API page for {missing}"

    import marginlib

    documented = set()
    for f in api.glob("*.html"):
        documented |= page(f).ids
    undocumented = []
    for name in (n for n in dir(marginlib) if not n.startswith("_")):
        obj = getattr(marginlib, name)
        if inspect.ismodule(obj):
            continue
        if f"{obj.__module__}.{obj.__qualname__}" not in documented:
            undocumented.append(name)
    assert not undocumented, f"ml.{undocumented} not documented in the API reference"
    assert "generated/marginlib.html" in page(site / "docs" / "api.html").links


# Sphinx's warning lines: "path:line: WARNING: ..." (also ERROR/SEVERE/CRITICAL from docutils).
_WARNING = re.compile(r"\b(WARNING|ERROR|SEVERE|CRITICAL):")


def test_no_warning_from_a_marginlib_docstring(site):
    log = site.parent / BUILD_LOG
    if not log.is_file():
        pytest.skip(f"no {BUILD_LOG} beside {site} (MARGINLIB_SITE): the fixture's build has one")
    lines = [line.replace(f"{ROOT}{os.sep}", "")
             for line in log.read_text(encoding="utf-8").splitlines()]
    bad = [line for line in lines if _WARNING.search(line) and (
        line.startswith("marginlib/") or "docstring of marginlib" in line
        or re.search(r"import marginlib\b", line) or "autodoc" in line or "autosummary" in line)]
    assert not bad, f"{len(bad)} warning(s) from marginlib docstrings:\n" + "\n".join(bad[:30])


def _external(url):
    parts = urlsplit(url.strip())
    return bool(parts.netloc) or parts.scheme not in ("", "data", "file")


def test_no_page_loads_anything_from_another_host(site):
    """Scripts, stylesheets, images, frames of every page; ``@import``/``url()`` in the CSS."""
    remote = []
    for path in _html_pages(site):
        remote += [f"{path.relative_to(site)}: <{tag}> {url}" for tag, url in page(path).loads
                   if _external(url)]
        remote += [f"{path.relative_to(site)}: inline style {url}" for url in
                   re.findall(r"""url\(\s*['"]?([^'")\s]+)""", page(path).text) if _external(url)]
    for css in site.rglob("*.css"):
        text = css.read_text(encoding="utf-8", errors="replace")
        urls = re.findall(r"""url\(\s*['"]?([^'")\s]+)""", text)
        urls += re.findall(r"""@import\s+['"]([^'"]+)""", text)
        remote += [f"{css.relative_to(site)}: {url}" for url in urls if _external(url)]
    assert not remote, "the site needs the network:\n" + "\n".join(remote[:40])


def _maths_pages(site):
    return [p for p in _html_pages(site) if 'class="math notranslate' in page(p).text]


def test_maths_loads_the_sites_own_mathjax(site):
    pages = _maths_pages(site)
    assert pages, "no page with maths: the check below would test nothing"
    for path in pages:
        scripts = [url for tag, url in page(path).loads if tag == "script" and "mathjax" in
                   url.lower()]
        assert scripts, f"{path.relative_to(site)}: maths but no MathJax script"
        for url in scripts:
            assert not _external(url), f"{path.relative_to(site)}: MathJax from {url}"
            local = (path.parent / unquote(urlsplit(url).path)).resolve()
            assert local.is_file() and local.stat().st_size > 100_000, f"{local}: no MathJax"
            fonts = list(local.parent.glob("output/chtml/fonts/woff-v2/*.woff"))
            assert fonts, f"MathJax's CHTML fonts are missing beside {local}"


def test_maths_renders_offline_in_chromium(site):
    """Chromium opens a page with maths (file://) with every network request refused; MathJax
    typesets every formula (no raw TeX left) from the site's copy."""
    chromium = "/usr/bin/chromium"
    if not os.access(chromium, os.X_OK):
        if os.environ.get("CI") == "true":
            pytest.fail(f"{chromium} is missing (CI=true: fail instead of skipping)")
        pytest.skip(f"{chromium} is missing: install Debian's chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    pages = _maths_pages(site)
    assert pages
    path = next((p for p in pages if p.parent.name == "notebooks"), pages[0])
    refused = []

    def refuse(route):  # the page's own files (file://) load; anything else is refused
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    def visit():
        with sync_api.sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=[
                "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--proxy-server=127.0.0.1:9"])
            try:
                tab = browser.new_page()
                tab.route("**/*", refuse)
                tab.goto(path.as_uri(), wait_until="load")
                try:
                    tab.wait_for_function(
                        "() => window.MathJax && MathJax.startup && MathJax.startup.promise"
                        " && (MathJax.startup.promise.then(() => { window.__typeset = true; }), "
                        "window.__typeset === true)", timeout=90_000, polling=250)
                except sync_api.TimeoutError:
                    pytest.fail(f"{path.relative_to(site)}: MathJax did not load and typeset "
                                f"within 90 s offline (requests refused: {refused[:5]})")
                counts = tab.evaluate(r"""() => {
                    const maths = [...document.querySelectorAll('.math')];
                    return [maths.length, maths.filter(m => m.querySelector('mjx-container')).length,
                            maths.filter(m => /\\\(|\\\[|\\begin|\\frac/.test(m.textContent)).length];
                }""")
            finally:
                browser.close()
        return counts

    # The browser tests of the same session (pytest-playwright) can leave an asyncio loop
    # running in this thread, and the sync API refuses to start inside one: use a thread.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        counts = pool.submit(visit).result()
    total, typeset, raw = counts
    assert total > 0 and typeset == total and raw == 0, (
        f"{path.relative_to(site)}: {total} formulas, {typeset} typeset by MathJax, {raw} left "
        f"as raw TeX (requests refused: {refused[:5]})")
