"""Sphinx configuration of the course site: ``bash scripts/build-site`` (see docs/index.md).

The source folder is the repository root (so the notebooks stay where learners open them);
only ``docs/``, ``notebooks/*.ipynb`` and ``workshop/`` (when present) are read. myst-nb
executes every notebook on each build and renders its outputs. The live figures are ipympl
canvases inside ipywidgets boxes; for a page that needs no kernel and no widget JavaScript,
every kernel loads ``docs/_ext/static_widgets.py`` at start-up (an IPython startup file in a
build-only IPYTHONDIR), which gives each displayed widget a static HTML snapshot (the figure
as a PNG, the controls' values, the caption), and the HTML builder prefers it to the widget
view. Solutions (tags hide-input/hide-output) render collapsed.
"""
import os
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(DOCS / "_ext"))
sys.path.insert(0, str(ROOT))

project = "marginlib"
html_title = "marginlib — perpetual-futures margin risk"
author = "the marginlib course authors"
copyright = "the marginlib course authors"

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.napoleon",
    "sphinx.ext.mathjax",
    # MathJax 3 copied into _static/mathjax (mathjax_path set to it): the maths renders
    # offline (a workshop handout, no CDN). tests/test_site.py checks no page loads a script
    # or stylesheet from another host.
    "sphinx-mathjax-offline",
]

root_doc = "docs/index"
include_patterns = ["docs/**", "notebooks/*.ipynb", "workshop/**"]
exclude_patterns = ["_build", ".venv", ".git", "**/.ipynb_checkpoints", "docs/_ext/**",
                    "docs/_static/**", "docs/_root/**"]
html_static_path = ["_static"]
html_css_files = ["site.css"]
html_extra_path = ["_root"]  # index.html at the site's root: a link to docs/index.html

REPOSITORY = "https://github.com/marginlib/marginlib-course"  # as in the README's Binder links

html_theme = "sphinx_book_theme"
html_theme_options = {
    "show_toc_level": 2,
    "use_download_button": True,
    "repository_url": REPOSITORY,
    "use_repository_button": False,
}
html_last_updated_fmt = None

# --- notebooks (myst-nb) ---------------------------------------------------------------------
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "html_image"]
myst_heading_anchors = 3
nb_execution_mode = "force"          # every build runs every notebook: outputs never go stale
nb_execution_timeout = 300           # seconds per cell
nb_execution_raise_on_error = True   # a failing notebook fails the build
nb_execution_in_temp = False         # cwd = notebooks/, as in JupyterLab
nb_execution_show_tb = True
nb_merge_streams = True
# The static snapshot (text/html) instead of the widget view; no widget JavaScript from a CDN.
nb_mime_priority_overrides = [("html", "application/vnd.jupyter.widget-view+json", None)]
nb_ipywidgets_js = {}

# Every kernel the build starts loads static_widgets.install() (the notebooks do not change).
_ipython_dir = ROOT / "_build" / "site-ipython"
(_ipython_dir / "profile_default" / "startup").mkdir(parents=True, exist_ok=True)
(_ipython_dir / "profile_default" / "startup" / "00-static-widgets.py").write_text(
    "import sys\n"
    f"sys.path.insert(0, {str(DOCS / '_ext')!r})\n"
    "import static_widgets\n"
    "static_widgets.install()\n"
    f"sys.path.remove({str(DOCS / '_ext')!r})\n"
    "del sys, static_widgets\n")
(_ipython_dir / "profile_default" / "ipython_kernel_config.py").write_text(
    "c.HistoryManager.enabled = False  # the site build keeps no IPython history\n")
os.environ["IPYTHONDIR"] = str(_ipython_dir)

# --- API reference (autodoc + autosummary + napoleon for numpy-style docstrings) ---------------
autosummary_generate = True
autosummary_imported_members = False
# Each object is documented once, on the page of the module that defines it (a package's
# re-exports are listed in its summary tables, not documented a second time).
autodoc_default_options = {"members": True, "show-inheritance": True, "ignore-module-all": True}
autodoc_member_order = "bysource"
autodoc_typehints = "description"
napoleon_google_docstring = False
napoleon_numpy_docstring = True
napoleon_use_rtype = False
# The plots document the keyword arguments of ``draw``/``update`` under the heading
# "Parameters (``draw``/``update``)" (the constructor's are in the class signature);
# _plot_parameters renames it (inline markup in a field name is garbled by Sphinx) and napoleon
# renders it like "Parameters".
PLOT_PARAMETERS = ("Parameters (``draw``/``update``)", "Parameters of draw/update")
napoleon_custom_sections = [(PLOT_PARAMETERS[1], "params_style")]
# The glossary's anchors are raw <a id="..."> tags, which myst cannot see: its "local id not
# found" warnings are false alarms; tests/test_site.py checks every link's file and #anchor in
# the built HTML instead. Unreferenced footnotes: a docstring's References list its sources
# without citing each one in the text.
suppress_warnings = ["myst.header", "myst.xref_missing", "ref.footnote"]


def _summary_keeping_literals():
    """Autosummary's one-line summaries, never cut inside an ``inline literal``.

    ``extract_summary`` ends the summary at the first ". "; in "``0 .. n−1``" that is inside
    the literal, which leaves a broken literal in the table. Then the first paragraph is used.
    """
    from sphinx.ext import autosummary

    original = autosummary.extract_summary

    def extract_summary(doc, settings):
        summary = original(doc, settings)
        if summary.count("``") % 2:
            lines = []
            for line in doc:
                if not line.strip():
                    if lines:
                        break
                    continue
                lines.append(line.strip())
            summary = " ".join(lines)
        return summary

    autosummary.extract_summary = extract_summary


_summary_keeping_literals()


def _workshop_toctree(app, docname, source):
    """Add the workshop folder (markdown, when present) to the home page's table of contents."""
    if docname != root_doc or not sorted((ROOT / "workshop").rglob("*.md")):
        return
    source[0] += ("\n\n```{toctree}\n:glob:\n:caption: Workshop\n:maxdepth: 1\n\n"
                  "/workshop/**\n```\n")


def _learner_names(app, docname, source):
    """The names at ``ml.`` (``dir(marginlib)``), each linked to where it is documented."""
    if docname != "docs/api":
        return
    import inspect

    import marginlib

    rows = []
    for name in sorted(n for n in dir(marginlib) if not n.startswith("_")):
        obj = getattr(marginlib, name)
        target = obj.__name__ if inspect.ismodule(obj) else f"{obj.__module__}.{obj.__qualname__}"
        rows.append(f"   ~{target}")
    source[0] = source[0].replace(
        "<!-- learner-names -->",
        "```{eval-rst}\n.. autosummary::\n   :nosignatures:\n\n" + "\n".join(rows) + "\n```")


def _unique_footnotes(app, what, name, obj, options, lines):
    """Numbered footnotes ([1]_, .. [1]) of each docstring as auto-numbered labelled ones.

    A module's page holds the module's and every function's docstring, each numbering its
    sources from [1]; docutils would see duplicate targets and leave broken references.
    """
    import re

    key = re.sub(r"[^a-z0-9]+", "-", name.lower())
    for i, line in enumerate(lines):
        line = re.sub(r"^(\s*\.\. )\[(\d+)\]", lambda m: f"{m[1]}[#{key}-{m[2]}]", line)
        lines[i] = re.sub(r"\[(\d+)\]_", lambda m: f"[#{key}-{m[1]}]_", line)


def _plot_parameters(app, what, name, obj, options, lines):
    """The plots' "Parameters (``draw``/``update``)" heading as napoleon's custom section."""
    for i, line in enumerate(lines):
        if line.strip() == PLOT_PARAMETERS[0]:
            lines[i] = line.replace(PLOT_PARAMETERS[0], PLOT_PARAMETERS[1])


def _repository_links(app, docname, source):
    """Links from a markdown page to repository files that are not pages of the site.

    ``[deploy/](../deploy/)`` or ``[a script](../scripts/test)`` work on GitHub but have no
    page here: they go to the file on GitHub instead. Links to pages (notebooks, workshop
    pages, including a notebook's paired ``.md``) are left to myst.
    """
    import re

    src = Path(app.env.doc2path(docname))
    if src.suffix != ".md":
        return

    def fix(match):
        target = match[2]
        if re.match(r"^[a-z][a-z0-9+.-]*:|^#|^/", target):
            return match[0]
        path_part = target.split("#", 1)[0]
        path = (src.parent / path_part).resolve()
        if not path_part or not path.exists() or ROOT not in (path, *path.parents):
            return match[0]
        rel = path.relative_to(ROOT)
        if path.is_file() and path.suffix in (".md", ".ipynb") and \
                str(rel.with_suffix("")) in app.env.found_docs:
            return match[0]
        kind = "tree" if path.is_dir() else "blob"
        return f"{match[1]}{REPOSITORY}/{kind}/HEAD/{rel.as_posix()})"

    source[0] = re.sub(r"(\]\()([^)\s]+)\)", fix, source[0])


def setup(app):
    app.connect("source-read", _repository_links)
    app.connect("autodoc-process-docstring", _unique_footnotes)
    app.connect("autodoc-process-docstring", _plot_parameters, priority=400)  # before napoleon
    app.connect("source-read", _workshop_toctree)
    app.connect("source-read", _learner_names)
