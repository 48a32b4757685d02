"""A non-editable wheel carries the theme and catalogs, and works from any folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sitekit import REPO

pytestmark = pytest.mark.slow


def test_wheel_installs_and_builds_a_new_site_outside_the_repo(tmp_path: Path) -> None:
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
