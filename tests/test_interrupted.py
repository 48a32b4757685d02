"""Builds killed with SIGKILL at any moment: the output is always a complete site.

A reader of ``public/`` (a web server, an upload step) must see the previous
complete site or the new complete site, never a mixture, a missing folder or
a stray scratch file; the next build must clean up after the killed ones and
produce the exact site, whatever the build cache kept.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import locgen
from locgen import publish as publish_module
from locgen.build import BuildRequest, build_site
from locgen.publish import Staging, aside_prefix, scratch_prefix
from locgen.scratch import scratch_folder
from sitekit import copy_example_site, page, tree_digest

NOTES = 10
"""Generated pages (each served in all eight locales) that make the build long enough
for kills to land while it renders and while it writes the output."""
ROUNDS = 25
SEED = 20240611

# The versions of the content that builds alternate between; each differs from the
# others in a way that takes a different publishing path.
TITLED = "content/notes/note-00.en-US.md"
ONE_PAGE = "content/support/index.de-DE.md"
ADDED = "content/notes/added.en-US.md"
VERSIONS = ("base", "retitled", "one-page", "added")


def _edit(site: Path, version: str) -> None:
    """Put the site's content in *version* (from any other version)."""
    (site / TITLED).parent.mkdir(exist_ok=True)
    (site / TITLED).write_text(_note(0, "Note zero" if version == "retitled" else "Note 0"))
    one_page = site / ONE_PAGE
    text = one_page.read_text(encoding="utf-8").split("\nEin weiterer Satz.\n")[0]
    if version == "one-page":  # a body edit that changes exactly one output file
        text += "\nEin weiterer Satz.\n"
    one_page.write_text(text, encoding="utf-8")
    added = site / ADDED
    if version == "added":  # a new page: the set of output files changes
        added.write_text(page("Added note", "A page that comes and goes."), encoding="utf-8")
    else:
        added.unlink(missing_ok=True)


def _note(number: int, title: str) -> str:
    paragraph = "Files stay in sync across every device your team uses. " * 25
    return page(title, "\n\n".join([paragraph] * 6))


def _environment() -> dict[str, str]:
    """The test's environment, with this locgen first on the path of the child process."""
    source = str(Path(locgen.__file__).resolve().parent.parent)
    path = os.environ.get("PYTHONPATH")
    return {**os.environ, "PYTHONPATH": source + (os.pathsep + path if path else "")}


def _start(site: Path, *options: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "locgen", "build", *options],
        cwd=site,
        env=_environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _build(site: Path, *options: str) -> float:
    """Build to the end; return how long it took."""
    started = time.perf_counter()
    process = _start(site, *options)
    _, errors = process.communicate(timeout=300)
    assert process.returncode == 0, errors.decode()
    return time.perf_counter() - started


def _scratch(site: Path) -> list[str]:
    """Scratch files and folders anywhere in the site folder, the cache folder included."""
    return sorted(
        path.relative_to(site).as_posix()
        for path in site.rglob("*")
        if ".locgen-new-" in path.name
        or ".locgen-old-" in path.name
        or path.name.startswith(".tmp-")
    )


@pytest.mark.slow
def test_killed_builds_leave_the_previous_or_the_new_complete_site(tmp_path: Path) -> None:
    site = copy_example_site(tmp_path / "site")
    _edit(site, "base")
    for number in range(1, NOTES):
        (site / f"content/notes/note-{number:02d}.en-US.md").write_text(
            _note(number, f"Note {number}"), encoding="utf-8"
        )
    public = site / "public"

    # The complete site of each version, and how long a build takes with and without
    # the build cache (which publishes by hard links or by replacing one file).
    complete: dict[str, dict[str, str]] = {}
    seconds: dict[tuple[str, ...], float] = {}
    for version in VERSIONS:
        _edit(site, version)
        seconds[()] = _build(site)
        complete[version] = tree_digest(public)
    assert len({str(sorted(d.items())) for d in complete.values()}) == len(VERSIONS)
    seconds[("--no-cache",)] = _build(site, "--no-cache")
    assert tree_digest(public) == complete[VERSIONS[-1]]

    rng = random.Random(SEED)
    shown = VERSIONS[-1]
    outcomes = {"previous": 0, "new": 0}
    killed = left_behind = 0
    for number in range(ROUNDS):
        new = rng.choice([v for v in VERSIONS if v != shown])
        _edit(site, new)
        options = rng.choice([(), ("--no-cache",)])
        # Up to twice as long as such a build took: a build takes longer or shorter from
        # one version to the next, and some must end before their kill comes. (Twice the
        # longest of both kinds left most builds with the cache to finish unkilled once
        # they took half as long as one without.)
        delay = rng.uniform(0.0, 2 * seconds[options])
        process = _start(site, *options)
        try:
            _, errors = process.communicate(timeout=delay)
            assert process.returncode == 0, errors.decode()
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
            process.communicate()
            killed += 1
        assert public.is_dir() and not public.is_symlink(), f"round {number}: no public/"
        now = tree_digest(public)
        assert now in (complete[shown], complete[new]), (
            f"round {number} ({new} {options} killed after {delay:.2f} s): public/ is neither "
            f"the complete {shown} site nor the complete {new} site"
        )
        if now == complete[new]:
            outcomes["new"] += 1
            shown = new
        else:
            outcomes["previous"] += 1
        left_behind += bool(_scratch(site))

    # The kills were spread over the builds: some before the swap, some after.
    assert killed >= ROUNDS // 3, killed
    assert outcomes["previous"] > 0 and outcomes["new"] > 0, outcomes
    assert left_behind > 0, "no kill landed while a build was writing"

    # Make sure a killed build left scratch behind for the next one to clean up.
    for _ in range(10):
        if _scratch(site):
            break
        process = _start(site, "--no-cache")
        time.sleep(rng.uniform(0.5, 0.9) * seconds[("--no-cache",)])
        process.send_signal(signal.SIGKILL)
        process.communicate()
    assert _scratch(site)

    final = rng.choice([v for v in VERSIONS if v != shown])
    _edit(site, final)
    _build(site)
    assert tree_digest(public) == complete[final]
    assert _scratch(site) == []


def test_emails_only_build_stages_beside_the_output(tmp_path: Path) -> None:
    """The new emails/ folder is written beside public/, never inside it, where a
    killed build would leave it in the published site."""
    site = copy_example_site(tmp_path / "site")
    build_site(BuildRequest(root=site))
    before = tree_digest(site / "public")
    staging = Staging(
        site / "public/emails", site_root=site, sources=[site / "content"], top=site / "public"
    )
    try:
        assert staging.folder.parent == site
        assert staging.folder.name.startswith(scratch_prefix(site / "public", "new"))
        assert tree_digest(site / "public") == before
    finally:
        staging.abandon()
    assert not staging.folder.exists()


def test_output_set_aside_by_a_killed_swap_goes_back(tmp_path: Path, run_cli) -> None:
    """Where the system has no atomic exchange, the swap renames the old output aside,
    then the new one into place. A build killed between the two renames leaves no
    ``public/``; the next build puts the old one back first, so that even when it fails
    the previous site is there."""
    site = copy_example_site(tmp_path / "site")
    public = site / "public"
    assert run_cli(site, "build").exit_code == 0
    before = tree_digest(public)
    public.rename(site / (aside_prefix(public, public) + "killed"))  # what the kill leaves
    (site / "content/index.de-DE.md").write_text("---\ntitle: [unclosed\n---\n")
    result = run_cli(site, "build")
    assert result.exit_code == 1
    assert "content/index.de-DE.md:2: invalid YAML" in result.stderr
    assert tree_digest(public) == before
    assert _scratch(site) == []


def test_swap_without_atomic_exchange(
    tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The two-rename swap (file systems without ``RENAME_EXCHANGE``) publishes the same
    site and leaves nothing behind."""
    monkeypatch.setattr(publish_module, "_exchange", lambda first, second: False)
    site = copy_example_site(tmp_path / "site")
    _edit(site, "base")
    assert run_cli(site, "build", "--no-cache").exit_code == 0
    first = tree_digest(site / "public")
    _edit(site, "retitled")
    assert run_cli(site, "build", "--no-cache").exit_code == 0
    assert tree_digest(site / "public") != first
    _edit(site, "base")
    assert run_cli(site, "build", "--no-cache").exit_code == 0
    assert tree_digest(site / "public") == first
    assert _scratch(site) == []


def test_next_build_removes_what_killed_builds_left(tmp_path: Path, run_cli) -> None:
    """Scratch that killed builds left beside ``public/`` and in the build cache goes at
    the next build, even when that build finds the output up to date; scratch that a
    build still running holds stays."""
    site = copy_example_site(tmp_path / "site")
    assert run_cli(site, "build").exit_code == 0
    public = site / "public"
    new = scratch_prefix(public, "new")
    (site / f"{new}killed1").mkdir()  # a new output, half written
    (site / f"{new}killed1/index.html").write_text("half")
    (site / f"{new}killed2").write_text("one new file, not yet renamed into place")
    cache = site / ".locgen-cache/build"
    for folder in (cache, cache / "packs", cache / "templates"):
        (folder / ".tmp-killed").write_bytes(b"part of a cache file")
    running = scratch_folder(site, new)  # held, as by a build that is still running
    try:
        result = run_cli(site, "build")
        assert result.exit_code == 0
        assert "output unchanged" in result.output
        assert _scratch(site) == [running.path.name]
    finally:
        running.release()
        running.path.rmdir()
