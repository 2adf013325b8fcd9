#!/usr/bin/env python3
"""Gather every exercise and its solution from notebooks/*.md into workshop/solutions.md.

For instructors: each exercise's question (its text and cells, as learners see them), what its
checker expects (the answer, its units and precision, and the known mistakes it recognises with
their hints, from ``marginlib/course/exercises/chNN.py``), and the notebook's hidden
"Solution to exercise k" (prose and code).

    python scripts/gather_solutions.py           # (re)write workshop/solutions.md
    python scripts/gather_solutions.py --check   # exit 1 if workshop/solutions.md is stale

Run it after changing a notebook's exercises; tests/test_workshop_kit.py fails when the
committed file differs from what this script writes. Offline; imports only the exercise
checkers (no matplotlib, no ipywidgets, no kernel).
"""
from __future__ import annotations

import argparse
import importlib
import math
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
OUT = ROOT / "workshop" / "solutions.md"

EXERCISE = re.compile(r"^### Exercise (\w+) \((\w+)\): (.+)$")
SOLUTION = re.compile(r"^#### Solution to exercise (\w+)\s*$")
CHECKER = re.compile(r"\b(ch\w+)\.(exercise_\w+)\.check\(")
LINK = re.compile(r"\]\((?!https?:|mailto:|#|/)([^)\s]+)\)")


def notebook_sources(folder=NOTEBOOKS):
    """The notebooks' MyST sources with exercises, in course order (00, 01, 02, 02d, ...)."""
    return sorted(p for p in folder.glob("[0-9][0-9]*.md"))


def cells(text):
    """Split a MyST notebook into ("markdown" | "code", text) cells (front matter dropped)."""
    lines = text.splitlines()
    if lines and lines[0] == "---":
        end = lines.index("---", 1)
        lines = lines[end + 1:]
    out, buf, in_code = [], [], False
    for line in lines:
        if not in_code and line.startswith("```{code-cell}"):
            if buf:
                out.append(("markdown", "\n".join(buf)))
            buf, in_code = [], True
        elif in_code and line.rstrip() == "```":
            out.append(("code", _strip_cell_metadata(buf)))
            buf, in_code = [], False
        elif not in_code and line.strip() == "+++":
            if buf:
                out.append(("markdown", "\n".join(buf)))
            buf = []
        else:
            buf.append(line)
    if buf:
        out.append(("markdown", "\n".join(buf)))
    return out


def _strip_cell_metadata(lines):
    if lines and lines[0].strip() == "---":
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
        lines = lines[end + 1:]
    return "\n".join(lines).strip("\n")


def _relink(markdown):
    """Links relative to notebooks/ made relative to workshop/."""
    return LINK.sub(lambda m: f"](../notebooks/{m.group(1)})", markdown)


def exercises(path):
    """Title and exercises of one notebook: [{number, kind, title, question, solution}]."""
    title, found, current, part = None, [], None, None
    for kind, text in cells(path.read_text(encoding="utf-8")):
        if kind == "code":
            if current is not None:
                current[part].append(("code", text))
            continue
        for line in text.splitlines():
            if title is None and line.startswith("# "):
                title = line[2:].strip()
            m_ex, m_sol = EXERCISE.match(line), SOLUTION.match(line)
            if m_ex:
                current = dict(number=m_ex.group(1), kind=m_ex.group(2),
                               title=m_ex.group(3).strip(), question=[], solution=[])
                found.append(current)
                part = "question"
            elif m_sol and current is not None:
                part = "solution"
            elif line.startswith("## ") or line.startswith("### "):
                current = None  # Key takeaways, Next, ...: outside every exercise
            elif current is not None:
                current[part].append(("markdown", line))
    return title, found


def _blocks(items):
    """Markdown lines and code cells back to one Markdown text."""
    out, prose = [], []
    for kind, text in items:
        if kind == "markdown":
            prose.append(text)
            continue
        if "\n".join(prose).strip():
            out.append(_relink("\n".join(prose).strip()))
        prose = []
        out.append(f"```python\n{text}\n```")
    if "\n".join(prose).strip():
        out.append(_relink("\n".join(prose).strip()))
    return "\n\n".join(out)


def _number(value, question):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        try:
            import numpy as np
            arr = np.asarray(value)
            if arr.dtype.kind in "fi" and arr.ndim == 1:
                return "[" + ", ".join(_number(float(v), question) for v in arr) + "]"
        except Exception:  # pragma: no cover - anything else is shown as it is
            pass
        return repr(value)
    if question.decimals is not None:
        text = f"{value:,.{question.decimals}f}"
    elif float(value).is_integer() and abs(value) < 1e15:
        text = f"{int(value):,}"
    else:
        text = f"{value:,.6g}"
    return text


def _units(question):
    units = question.units
    if units == "price":
        return " USDC per token"
    if units in (None, "fraction", "count"):
        return "" if units is None else f" ({units})"
    return f" {units}"


def checker_notes(code_cells):
    """What the checkers called in an exercise's cells expect, as Markdown lines."""
    notes = []
    seen = set()
    for text in code_cells:
        for module_name, attr in CHECKER.findall(text):
            if (module_name, attr) in seen:
                continue
            seen.add((module_name, attr))
            module = importlib.import_module(f"marginlib.course.exercises.{module_name}")
            q = getattr(module, attr)
            line = (f"* Checker `{module_name}.{attr}`: expects **{_number(q.expected, q)}"
                    f"{_units(q)}** — {q.instructions}")
            notes.append(line)
            for mis in q.misconceptions:
                shown = _number(mis.value, q) if math.isfinite(mis.value) else repr(mis.value)
                notes.append(f"  * stall *{mis.name}*: **{shown}{_units(q)}** → "
                             f"{' '.join(mis.hint.split())}")
            t = q.threshold
            if t is not None:
                side = ("at or " if t.inclusive else "") + t.keep
                notes.append(f"  * threshold: the answer must stay {side} "
                             f"**{t.value:,.6g}{_units(q)}** → {' '.join(t.hint.split())}")
            if q.hint:
                notes.append(f"  * general hint: {' '.join(q.hint.split())}")
    return notes


def render(folder=NOTEBOOKS):
    """The whole of workshop/solutions.md as a string."""
    parts = [
        "# Every exercise and its solution (for instructors)",
        "",
        "Generated by `python scripts/gather_solutions.py` from `notebooks/*.md` and the "
        "checkers in `marginlib/course/exercises/`: do not edit by hand, run the script again "
        "(`tests/test_workshop_kit.py` fails when this file is stale). For each exercise: the "
        "question as learners see it, what its checker expects and the known mistakes it "
        "recognises (with the hint a learner gets), then the notebook's hidden solution. "
        "The solution cells print their numbers when run; the checker lines give them here.",
        "",
        "Notes per notebook (what to demo, where learners stall, questions): "
        "[notes/](notes/). The plan: [plan.md](plan.md).",
        "",
    ]
    for path in notebook_sources(folder):
        title, found = exercises(path)
        if not found:
            continue
        rel = path.relative_to(folder.parent).as_posix()
        parts += [f"## {title}", "", f"Source: [{rel}](../{rel})", ""]
        for ex in found:
            code = [t for k, t in ex["question"] if k == "code"]
            parts += [f"### Exercise {ex['number']} ({ex['kind']}): {ex['title']}", "",
                      _blocks(ex["question"]), ""]
            notes = checker_notes(code)
            if notes:
                parts += ["**What the checker expects**", ""] + notes + [""]
            solution = _blocks(ex["solution"])
            parts += [f"**Solution to exercise {ex['number']}**", "",
                      solution if solution else "_(no solution cell)_", ""]
    return "\n".join(parts).rstrip() + "\n"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if the file is stale")
    args = ap.parse_args(argv)
    text = render()
    if args.check:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            print(f"{OUT.relative_to(ROOT)} is stale: run python scripts/gather_solutions.py",
                  file=sys.stderr)
            return 1
        return 0
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
