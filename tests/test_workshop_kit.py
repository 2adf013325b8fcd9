"""The workshop kit (workshop/) stays in step with the notebooks.

* workshop/solutions.md is what scripts/gather_solutions.py writes from the notebooks now;
* every notebook has its instructor notes, workshop/notes/<notebook>.md, titled like the notebook;
* the plan names every core notebook (not the deep dives) by its title, with a link;
* every relative link in workshop/**/*.md points to a file that exists (and a heading that
  exists, for links into workshop Markdown files).
"""
import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
WORKSHOP = ROOT / "workshop"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]*.md"))


def _gather():
    spec = importlib.util.spec_from_file_location("gather_solutions",
                                                  ROOT / "scripts" / "gather_solutions.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


gather = _gather()


def _title(path):
    return next(line[2:].strip() for line in path.read_text(encoding="utf-8").splitlines()
                if line.startswith("# "))


def test_solutions_file_is_up_to_date():
    committed = (WORKSHOP / "solutions.md").read_text(encoding="utf-8")
    assert committed == gather.render(), (
        "workshop/solutions.md is stale: run python scripts/gather_solutions.py")


def test_every_exercise_is_gathered_with_a_solution():
    headings = sum(len(re.findall(r"^### Exercise \w+ \(", p.read_text(encoding="utf-8"), re.M))
                   for p in NOTEBOOKS)
    found = [ex for p in NOTEBOOKS for ex in gather.exercises(p)[1]]
    assert len(found) == headings > 0
    for ex in found:
        assert any(k == "code" for k, _ in ex["solution"]), ex["title"]
        assert ex["question"], ex["title"]


def test_gatherer_reads_a_small_notebook(tmp_path):
    (tmp_path / "notebooks").mkdir()
    nb = tmp_path / "notebooks" / "09-test.md"
    nb.write_text("---\njupytext: {}\n---\n\n# 09 · Test\n\nSee [x](glossary.ipynb#x).\n\n"
                  "## Exercises\n\n### Exercise 1 (core): two plus two\n\nWhat is 2 + 2?\n\n"
                  "```{code-cell}\nanswer = ...\nch00.exercise_1a.check(answer)\n```\n\n"
                  "#### Solution to exercise 1\n\nFour.\n\n```{code-cell}\n---\njupyter:\n"
                  "  source_hidden: true\n---\nsolution = 4\n```\n\n## Key takeaways\n\n"
                  "* none\n", encoding="utf-8")
    text = gather.render(tmp_path / "notebooks")
    assert "## 09 · Test" in text and "### Exercise 1 (core): two plus two" in text
    assert "What is 2 + 2?" in text and "Four." in text and "solution = 4" in text
    assert "source_hidden" not in text and "Key takeaways" not in text
    from marginlib.course.exercises import ch00  # the real checker, whatever it expects
    q = ch00.exercise_1a
    assert f"Checker `ch00.exercise_1a`: expects **{gather._number(q.expected, q)}" in text
    assert all(m.name in text for m in q.misconceptions)


def test_every_notebook_has_instructor_notes_with_its_title():
    missing, wrong = [], []
    for nb in NOTEBOOKS:
        notes = WORKSHOP / "notes" / nb.name
        if not notes.exists():
            missing.append(notes.relative_to(ROOT).as_posix())
            continue
        if _title(nb) not in _title(notes):
            wrong.append((notes.name, _title(notes), _title(nb)))
    assert not missing, f"no instructor notes: {missing}"
    assert not wrong, f"notes titled unlike their notebook: {wrong}"


def test_notes_have_the_three_parts():
    for notes in sorted((WORKSHOP / "notes").glob("*.md")):
        text = notes.read_text(encoding="utf-8")
        for part in ("## What to demo", "## Where learners stall", "## Discussion questions"):
            assert part in text, (notes.name, part)


def test_plan_names_every_core_notebook():
    plan = (WORKSHOP / "plan.md").read_text(encoding="utf-8")
    for nb in NOTEBOOKS:
        if re.match(r"\d\dd-", nb.name):
            continue
        assert _title(nb) in plan, _title(nb)
        assert f"../notebooks/{nb.stem}.ipynb" in plan, nb.stem


def test_readme_workshop_section_points_to_the_kit():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Running a workshop", 1)[1].split("\n## ", 1)[0]
    assert "workshop/plan.md" in section and "workshop/fallback.md" in section


def _anchors(md_path):
    """GitHub-style heading anchors of a Markdown file."""
    out = set()
    for line in md_path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^#{1,6} (.+)$", line)
        if m:
            slug = re.sub(r"[^\w\- ]", "", m.group(1).strip().lower()).replace(" ", "-")
            out.add(slug)
    return out


LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


@pytest.mark.parametrize("md", sorted(WORKSHOP.rglob("*.md")),
                         ids=lambda p: p.relative_to(WORKSHOP).as_posix())
def test_every_link_resolves(md):
    text = re.sub(r"```.*?```", "", md.read_text(encoding="utf-8"), flags=re.S)
    bad = []
    for target in LINK.findall(text):
        if re.match(r"(https?|mailto):", target):
            continue
        path, _, anchor = target.partition("#")
        dest = (md.parent / path).resolve() if path else md
        if not dest.exists():
            bad.append(target)
        elif anchor and dest.suffix == ".md" and WORKSHOP in dest.parents:
            if anchor not in _anchors(dest):
                bad.append(target)
    assert not bad, f"{md.relative_to(ROOT)}: links that do not resolve: {bad}"
