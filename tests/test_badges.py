"""Binder badges, the Binder environment and the app's Voilà settings.

* Every Binder badge in README.md is the one scripts/badges.py makes from the repository slug
  in pyproject.toml ([tool.marginlib-course]); every notebook and every app page has one.
* Changing the slug in that one place changes every badge (and nothing else in README.md).
* binder/ installs the pinned requirements, voila among them, and the package itself.
* voila.json keeps the settings the README documents (preheated kernels, no progressive
  rendering, code hidden, no traceback shown), and scripts/open-app serves app/ with it.
"""
import importlib.util
import json
import os
import re
import shutil
import urllib.parse
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def _load_badges():
    spec = importlib.util.spec_from_file_location("badges", REPO / "scripts" / "badges.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


badges = _load_badges()
BADGE_URL = re.compile(r"\(https://mybinder\.org/badge_logo\.svg\)\]\((https://mybinder\.org/[^)\s]+)\)")


def test_readme_badges_match_the_slug_and_cover_every_page():
    assert badges.problems() == []


def test_every_badge_names_the_slug_of_pyproject():
    """Read independently of scripts/badges.py: the slug from pyproject.toml with tomllib, each
    badge's owner/name/ref from its URL path."""
    import tomllib

    table = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["marginlib-course"]
    urls = BADGE_URL.findall((REPO / "README.md").read_text())
    assert len(urls) >= len(list(REPO.glob("notebooks/*.ipynb"))) + 1
    for url in urls:
        parts = urllib.parse.urlsplit(url).path.split("/")  # '', v2, gh, owner, name, ref
        assert parts[1:3] == ["v2", "gh"], url
        assert "/".join(parts[3:5]) == table["repository"], url
        assert parts[5] == table.get("binder_ref", "HEAD"), url


def test_the_app_badge_opens_the_lab_in_voila():
    urls = BADGE_URL.findall((REPO / "README.md").read_text())
    query = [urllib.parse.parse_qs(urllib.parse.urlsplit(u).query) for u in urls]
    assert {"urlpath": ["voila/render/app/contagion-lab.ipynb"]} in query


def test_changing_the_slug_in_pyproject_changes_every_badge(tmp_path):
    """A copy of the repository's README, pyproject and pages with another slug: the script
    rewrites every badge, the check then passes, and nothing but the badges changed."""
    for name in ("README.md", "pyproject.toml"):
        shutil.copy(REPO / name, tmp_path / name)
    for page in badges.pages(REPO):
        (tmp_path / page).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / page).write_text("{}")
    pyproject = tmp_path / "pyproject.toml"
    old = 'repository = "marginlib/marginlib-course"'
    assert old in pyproject.read_text(), "the placeholder slug moved: update this test"
    pyproject.write_text(pyproject.read_text().replace(old, 'repository = "someone/elsewhere"'))

    stale = badges.problems(tmp_path)
    n_badges = len(BADGE_URL.findall((REPO / "README.md").read_text()))
    assert len(stale) == n_badges and all(p.startswith("stale badge") for p in stale)

    repository, ref = badges.settings(pyproject)
    before = (tmp_path / "README.md").read_text()
    after = badges.rewrite(before, repository, ref)
    (tmp_path / "README.md").write_text(after)
    assert badges.problems(tmp_path) == []
    assert after.count("/v2/gh/someone/elsewhere/HEAD?") == n_badges
    assert "marginlib/marginlib-course" not in "".join(BADGE_URL.findall(after))
    # Only the badges changed: put the old slug back in the URLs and the text is the same.
    assert after.replace("/v2/gh/someone/elsewhere/", "/v2/gh/marginlib/marginlib-course/") \
        == before


def test_a_missing_badge_and_a_badge_to_no_page_are_reported(tmp_path):
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "01-a.ipynb").write_text("{}")
    ghost = badges.binder_url("notebooks/99-gone.ipynb", *badges.settings(tmp_path / "pyproject.toml"))
    (tmp_path / "README.md").write_text(
        f"[![Binder](https://mybinder.org/badge_logo.svg)]({ghost})\n")
    found = badges.problems(tmp_path)
    assert any("99-gone.ipynb, which does not exist" in p for p in found)
    assert any(p.startswith("notebooks/01-a.ipynb has no Binder badge") for p in found)


@pytest.mark.parametrize("slug", ["", "no-slash", "a/b/c", "owner/na me", "-x/y"])
def test_a_bad_slug_is_refused(tmp_path, slug):
    text = (REPO / "pyproject.toml").read_text().replace(
        'repository = "marginlib/marginlib-course"', f'repository = "{slug}"')
    (tmp_path / "pyproject.toml").write_text(text)
    with pytest.raises(ValueError, match="owner/name"):
        badges.settings(tmp_path / "pyproject.toml")


def test_binder_installs_the_pinned_course_with_voila_and_the_package():
    binder = (REPO / "binder" / "requirements.txt").read_text().split("\n")
    lines = [ln.strip() for ln in binder if ln.strip() and not ln.startswith("#")]
    assert lines == ["-r ../requirements.txt"]
    course = [ln.strip() for ln in (REPO / "requirements.txt").read_text().split("\n")
              if ln.strip() and not ln.startswith("#")]
    assert "-e ." in course
    pins = [ln for ln in course if ln != "-e ."]
    assert all(re.fullmatch(r"[A-Za-z0-9_.-]+==[0-9][0-9A-Za-z.]*", ln) for ln in pins), pins
    names = {ln.split("==")[0].lower() for ln in pins}
    assert {"voila", "jupyterlab", "ipywidgets", "ipympl", "matplotlib", "numpy"} <= names
    runtime = (REPO / "binder" / "runtime.txt").read_text().strip()
    major, minor = map(int, re.fullmatch(r"python-(\d+)\.(\d+)", runtime).groups())
    assert (major, minor) >= (3, 10)  # pyproject's requires-python


def test_voila_settings_are_the_documented_ones():
    config = json.loads((REPO / "voila.json").read_text())["VoilaConfiguration"]
    assert config["preheat_kernel"] is True and config["default_pool_size"] >= 1
    assert config.get("progressive_rendering", False) is False  # incompatible with preheating
    assert config.get("strip_sources", True) is True and config.get("show_tracebacks") is False
    assert "jupyterlab-jupytext" in config["extension_denylist"]
    readme = (REPO / "README.md").read_text()
    assert f"`default_pool_size` {config['default_pool_size']}" in readme


def test_open_app_serves_app_from_the_repository_root():
    script = REPO / "scripts" / "open-app"
    assert os.access(script, os.X_OK)
    text = script.read_text()
    assert 'cd "$root"' in text and "ensure_venv requirements.txt" in text
    assert re.search(r"^exec \.venv/bin/voila app \"\$@\"$", text, re.M)
    assert "bash scripts/open-app" in (REPO / "README.md").read_text()
