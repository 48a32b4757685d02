"""A non-editable wheel carries the theme, catalogs and cultures, and works from any folder.

Culture plugins installed with pip (``locgen.plugins`` entry points) are
picked up next to the site's own ``plugins/``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sitekit import REPO, tree_digest

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A venv with locgen installed from its wheel; returns its bin folder and environment."""
    tmp_path = tmp_path_factory.mktemp("wheel")
    dist = tmp_path / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(dist),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    [wheel] = dist.glob("locgen-*.whl")
    venv = tmp_path / "venv"
    # The venv sees the test environment's packages for the dependencies, but the
    # wheel's own copy of locgen shadows the source checkout (checked below).
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-index",
            "--force-reinstall",
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    env = {**os.environ, "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    env.pop("PYTHONPATH", None)
    return venv / "bin", env


def test_wheel_installs_and_builds_a_new_site_outside_the_repo(
    installed: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    bin_dir, env = installed
    venv = bin_dir.parent
    python = bin_dir / "python"
    where = subprocess.run(
        [
            str(python),
            "-c",
            "import locgen, locgen.resources as r; print(locgen.__file__); print(r.bundled_dir())",
        ],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert where[0].startswith(str(venv)), where
    assert where[1].startswith(str(venv)) and where[1].endswith("_bundled"), where

    locgen = str(venv / "bin" / "locgen")
    site = tmp_path / "x"
    subprocess.run([locgen, "init", str(site)], cwd=tmp_path, env=env, check=True)
    built = subprocess.run([locgen, "build"], cwd=site, env=env, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    german = (site / "public/de-de/index.html").read_text(encoding="utf-8")
    assert "/static/css/site.css" in german
    assert (site / "public/static/css/site.css").is_file()
    # Theme strings come from the catalogs inside the wheel.
    assert "Seite nicht gefunden" in (site / "public/de-de/404.html").read_text(encoding="utf-8")
    # The bundled cultures come from the wheel too.
    cultures = subprocess.run(
        [locgen, "cultures", "de-DE", "--format", "json"],
        cwd=site,
        env=env,
        capture_output=True,
        text=True,
    )
    assert cultures.returncode == 0, cultures.stderr
    assert '"origin": "bundled:germany"' in cultures.stdout
    assert "Sehr geehrte" in cultures.stdout


SITE_CONFIG = """\
[site]
title = "Alps"
base_url = "https://alps.example/"
default_locale = "de-DE"
locales = ["de-DE", "de-AT", "de-CH"]
"""

SWITZERLAND = """\
import dataclasses

from locgen import hookimpl
from locgen.builtin import NEUTRAL


@hookimpl
def locgen_cultures():
    swiss = dataclasses.replace(NEUTRAL, id="switzerland", name="Switzerland")
    return [dataclasses.replace(swiss, regions=("de-CH", "CH"))]
"""


def test_pip_installed_and_site_plugins_are_both_picked_up(
    installed: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    bin_dir, env = installed
    subprocess.run(
        [
            str(bin_dir / "python"),
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-index",
            "--no-build-isolation",
            str(REPO / "tests" / "data" / "locgen-austria"),
        ],
        check=True,
        capture_output=True,
    )
    site = tmp_path / "alps"
    (site / "content").mkdir(parents=True)
    (site / "plugins").mkdir()
    (site / "locgen.toml").write_text(SITE_CONFIG, encoding="utf-8")
    (site / "plugins" / "switzerland.py").write_text(SWITZERLAND, encoding="utf-8")
    (site / "content" / "index.de-DE.md").write_text(
        "---\ntitle: Start\n---\n{{< greeting >}}\n\n{{< sign_off >}}\n", encoding="utf-8"
    )
    locgen = str(bin_dir / "locgen")

    def run(*args: str) -> str:
        done = subprocess.run([locgen, *args], cwd=site, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done.stdout

    plugins = [line for line in run("plugins").splitlines() if not line.startswith(" ")]
    names = [line.split()[0] for line in plugins]
    assert names[0] == "builtin" and names[-2:] == ["installed:austria", "site:switzerland"]
    assert "(installed, locgen-austria 1.0.0)" in plugins[-2]

    run("build")
    austrian = (site / "public/de-at/index.html").read_text(encoding="utf-8")
    assert "Grüß Gott," in austrian and "Mit freundlichen Grüßen aus Wien" in austrian
    assert "Hello," in (site / "public/de-ch/index.html").read_text(encoding="utf-8")
    assert "Sehr geehrte Damen und Herren," in (site / "public/de-de/index.html").read_text(
        encoding="utf-8"
    )
    first = tree_digest(site / "public")
    run("build")
    assert tree_digest(site / "public") == first


def test_installed_locgen_builds_the_repository_example_site(
    installed: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    """The README's first command: a plain install building the example site at the root.

    The root's plugins/ holds the same files the wheel bundles; they replace
    the bundled copies instead of registering every culture twice.
    """
    import shutil

    from sitekit import copy_example_site

    bin_dir, env = installed
    site = copy_example_site(tmp_path / "example")
    shutil.copytree(
        REPO / "plugins", site / "plugins", ignore=shutil.ignore_patterns("__pycache__")
    )
    built = subprocess.run(
        [str(bin_dir / "locgen"), "build", "--strict"],
        cwd=site,
        env=env,
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stderr
    assert "images/hero.japan.svg" in (site / "public/ja-jp/index.html").read_text("utf-8")
