"""Build the course notebooks from small Python scripts (one per notebook), with nbformat.

A generator ``notebooks/_build/NN-name.py`` lists the cells and writes the notebook::

    from _nb import code, md, solution, write

    CELLS = [
        code('''
            %matplotlib widget
            import marginlib as ml
            from marginlib import plots, widgets
        '''),
        md('''
            # 01 · Leverage
            ...
        '''),
        code("assert ml.notional(margin=100, leverage=10) == 1_000"),
        *solution('''
            answer = ml.notional(margin=250, leverage=8)
            assert check_exercise_1(answer)
        ''', title="Solution to exercise 1"),
    ]

    if __name__ == "__main__":
        write(CELLS, "01-leverage.ipynb")

Run it with ``python notebooks/_build/01-leverage.py`` (from any folder) and commit both the
script and the notebook. Sources are dedented and stripped, so cells can be written as
indented triple-quoted strings. Cell ids are derived from each cell's content (stable across
rebuilds: regenerating an unchanged notebook gives a byte-identical file). ``write`` stores the
notebook stripped (no outputs, no execution counts, no widget state) and validates it.

To strip notebooks edited in JupyterLab instead: ``python notebooks/_build/_nb.py --strip
notebooks/*.ipynb``; to check that they are stripped (CI): ``... _nb.py --check ...``.

>>> cell = md('''
...     # Title
...     Some *text*.
... ''')
>>> cell.cell_type, cell.source
('markdown', '# Title\\nSome *text*.')
>>> [c.cell_type for c in solution("x = 1")]
['markdown', 'code']
"""
from __future__ import annotations

import argparse
import hashlib
import sys
import textwrap
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

__all__ = ["md", "code", "solution", "notebook", "strip", "is_stripped", "write", "NOTEBOOKS"]

#: The folder holding the notebooks (``write`` resolves relative paths against it).
NOTEBOOKS = Path(__file__).resolve().parent.parent

_METADATA = {
    "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python",
                   "name": "python3"},
    "language_info": {"name": "python"},
}


def _source(text):
    return textwrap.dedent(text).strip("\n").rstrip()


def md(text):
    """A markdown cell; ``text`` is dedented and stripped."""
    return new_markdown_cell(_source(text))


def code(text, *, hidden=False, tags=()):
    """A code cell; ``text`` is dedented and stripped.

    Parameters
    ----------
    hidden : bool
        Collapse the source in JupyterLab (``metadata.jupyter.source_hidden``); the output
        stays visible. Used by :func:`solution`.
    tags : iterable of str
        Cell tags (e.g. ``"raises-exception"`` for a cell meant to fail under nbval).
    """
    cell = new_code_cell(_source(text))
    if hidden:
        cell.metadata["jupyter"] = {"source_hidden": True}
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def solution(text, title="Solution"):
    """Two cells: a ``#### <title>`` markdown heading and the solution code, collapsed.

    The code should end with an ``assert`` on the exercise's checker (so the test suite proves
    the solution right). Use as ``*solution(...)`` inside a list of cells.
    """
    heading = md(f"#### {title}\n\n*Click the collapsed cell below (…) to reveal the "
                 "solution; try the exercise first.*")
    return [heading, code(text, hidden=True)]


class Collector:
    """Cells in the order a generator script calls ``md(...)``, ``code(...)``, ``solution(...)``.

    For generators written as a sequence of calls rather than one list::

        cells = Collector()
        md, code, solution = cells.md, cells.code, cells.solution
        md("# Title")
        write(cells.cells, "NN-name.ipynb")
    """

    def __init__(self):
        self.cells = []

    def md(self, text):
        """Append a markdown cell (see :func:`md`)."""
        self.cells.append(md(text))

    def code(self, text, **kwargs):
        """Append a code cell (see :func:`code`)."""
        self.cells.append(code(text, **kwargs))

    def solution(self, text, title="Solution"):
        """Append a collapsed solution with its heading (see :func:`solution`)."""
        self.cells.extend(solution(text, title))


def _flatten(cells):
    for cell in cells:
        if isinstance(cell, (list, tuple)):
            yield from _flatten(cell)
        else:
            yield cell


def notebook(cells):
    """A v4 notebook from cells (nested lists are flattened), with the Python 3 kernelspec.

    Cell ids are ``<type>-<hash of source>`` (a suffix keeps repeated sources unique).
    """
    nb = new_notebook(cells=list(_flatten(cells)), metadata=dict(_METADATA))
    seen = set()
    for cell in nb.cells:
        digest = hashlib.sha1(cell.source.encode()).hexdigest()[:8]
        cid, n = f"{cell.cell_type[:2]}-{digest}", 1
        while cid in seen:
            n += 1
            cid = f"{cell.cell_type[:2]}-{digest}-{n}"
        seen.add(cid)
        cell.id = cid
    return nb


def strip(nb):
    """Remove outputs, execution counts and widget/execution metadata in place; returns nb."""
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        for key in ("execution", "collapsed", "scrolled", "ExecuteTime"):
            cell.metadata.pop(key, None)
    return nb


def is_stripped(nb):
    """True when no code cell has outputs or an execution count and no widget state is kept."""
    return "widgets" not in nb.metadata and all(
        not cell.get("outputs") and cell.get("execution_count") is None
        for cell in nb.cells if cell.cell_type == "code")


def write(cells_or_nb, path):
    """Validate and write a stripped notebook; ``path`` is relative to ``notebooks/``.

    ``cells_or_nb`` is a list of cells (see :func:`notebook`) or a notebook. Returns the path.
    """
    nb = cells_or_nb if isinstance(cells_or_nb, nbformat.NotebookNode) and "cells" in \
        cells_or_nb else notebook(cells_or_nb)
    strip(nb)
    nbformat.validate(nb)
    path = Path(path)
    if not path.is_absolute():
        path = NOTEBOOKS / path
    text = nbformat.writes(nb) + "\n"
    path.write_text(text, encoding="utf-8")
    return path


def main(argv=None):
    """``--strip`` or ``--check`` notebooks given on the command line."""
    parser = argparse.ArgumentParser(description="Strip or check course notebooks.")
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--strip", action="store_true", help="remove outputs in place")
    group.add_argument("--check", action="store_true", help="fail if any output is stored")
    parser.add_argument("paths", nargs="+", type=Path)
    args = parser.parse_args(argv)
    dirty = []
    for path in args.paths:
        nb = nbformat.read(path, as_version=4)
        if args.strip:
            write(nb, path.resolve())
        elif not is_stripped(nb):
            dirty.append(str(path))
    if dirty:
        print("not stripped (run _nb.py --strip):", *dirty, sep="\n  ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
