#!/usr/bin/env python3
"""Regenerate (or check) every Binder badge in README.md from the one repository slug.

    python scripts/badges.py            rewrite README.md's badges from pyproject.toml
    python scripts/badges.py --check    exit 1 if a badge is stale or a page has none

The slug lives in pyproject.toml, ``[tool.marginlib-course] repository = "owner/name"`` (with
``binder_ref``, the branch, tag or commit Binder builds): change it there when the repository is
published or moves, then run this script. A badge opens its page on mybinder.org: a notebook in
JupyterLab (``?labpath=notebooks%2F...``), a page of the app in Voilà
(``?urlpath=voila%2Frender%2Fapp%2F...``: Voilà's deployment docs,
https://voila.readthedocs.io/en/latest/deploy.html#deployment-on-binder, and
https://github.com/binder-examples/voila; read 2026-12). Every
notebooks/*.ipynb and app/*.ipynb must have one. tests/test_badges.py runs the check.
"""
from __future__ import annotations

import re
import sys
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BADGE_IMAGE = "https://mybinder.org/badge_logo.svg"
# [![Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/OWNER/NAME/REF?...)
BADGE = re.compile(r"\[!\[Binder\]\(" + re.escape(BADGE_IMAGE) + r"\)\]\((?P<url>[^)\s]+)\)")
SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+$")


def settings(pyproject: Path = ROOT / "pyproject.toml") -> tuple[str, str]:
    """(repository, binder_ref) from pyproject.toml's [tool.marginlib-course]."""
    text = pyproject.read_text(encoding="utf-8")
    try:
        import tomllib
    except ImportError:  # Python 3.10: the two plain string keys of the one table
        table = text.split("[tool.marginlib-course]", 1)[1].split("\n[", 1)[0]
        values = dict(re.findall(r'^(\w+)\s*=\s*"([^"]*)"', table, re.M))
    else:
        values = tomllib.loads(text)["tool"]["marginlib-course"]
    repository, ref = values["repository"], values.get("binder_ref", "HEAD")
    if not SLUG.match(repository):
        raise ValueError(f"[tool.marginlib-course] repository must be 'owner/name', got {repository!r}")
    return repository, ref


def binder_url(target: str, repository: str, ref: str) -> str:
    """The Binder link that opens `target` (a path from the repository root)."""
    base = f"https://mybinder.org/v2/gh/{repository}/{ref}"
    if target.startswith("app/"):
        return f"{base}?urlpath=" + urllib.parse.quote(f"voila/render/{target}", safe="")
    return f"{base}?labpath=" + urllib.parse.quote(target, safe="")


def target_of(url: str) -> str | None:
    """The page a Binder link opens (inverse of binder_url), or None if it names none."""
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    if "labpath" in query:
        return query["labpath"][0]
    if "urlpath" in query and query["urlpath"][0].startswith("voila/render/"):
        return query["urlpath"][0][len("voila/render/"):]
    return None


def pages(root: Path = ROOT) -> list[str]:
    """Every page that needs a badge: the notebooks and the app's pages."""
    return sorted(p.relative_to(root).as_posix()
                  for p in [*root.glob("notebooks/*.ipynb"), *root.glob("app/*.ipynb")])


def rewrite(text: str, repository: str, ref: str) -> str:
    """`text` with every Binder badge's link regenerated from its target."""
    def one(match):
        target = target_of(match["url"])
        if target is None:
            return match[0]
        return match[0].replace(match["url"], binder_url(target, repository, ref))
    return BADGE.sub(one, text)


def problems(root: Path = ROOT) -> list[str]:
    """What is wrong with README.md's badges: stale links, links to no page, pages without one."""
    repository, ref = settings(root / "pyproject.toml")
    text = (root / "README.md").read_text(encoding="utf-8")
    found, out = set(), []
    for match in BADGE.finditer(text):
        target = target_of(match["url"])
        if target is None:
            out.append(f"a Binder badge opens no page: {match['url']}")
            continue
        found.add(target)
        if not (root / target).is_file():
            out.append(f"a Binder badge opens {target}, which does not exist")
        want = binder_url(target, repository, ref)
        if match["url"] != want:
            out.append(f"stale badge for {target}: {match['url']} (want {want}; run "
                       "python scripts/badges.py)")
    out += [f"{page} has no Binder badge in README.md" for page in pages(root)
            if page not in found]
    return out


def main(argv: list[str]) -> int:
    readme = ROOT / "README.md"
    if "--check" not in argv:
        repository, ref = settings()
        text = readme.read_text(encoding="utf-8")
        new = rewrite(text, repository, ref)
        if new != text:
            readme.write_text(new, encoding="utf-8")
            print(f"README.md: badges now open {repository} at {ref}")
    found = problems()
    for line in found:
        print(line, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
