"""Outdated translations: a translation records the hash of the source it was made from."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from locgen.build import BuildRequest, build_site
from locgen.sources import text_digest
from sitekit import page, tree_digest

SOURCE = page("Pricing", "Plans start at $7.")


def site_with_translation(site_factory, recorded: str | None):
    meta = {"source_hash": recorded} if recorded else {}
    return site_factory(
        {
            "content/index.en-US.md": page("Home"),
            "content/index.de-DE.md": page("Startseite", source_hash=text_digest(page("Home"))),
            "content/pricing.en-US.md": SOURCE,
            "content/pricing.de-DE.md": page("Preise", "Ab 6,50 €.", **meta),
        }
    )


def rules(result, name="pricing.de-DE.md"):
    return [f.rule for f in result.findings if f.path and f.path.name == name]


def test_matching_source_hash_is_up_to_date(site_factory) -> None:
    site = site_with_translation(site_factory, text_digest(SOURCE))
    assert rules(build_site(BuildRequest(root=site))) == []


def test_changed_source_makes_translation_outdated(site_factory) -> None:
    site = site_with_translation(site_factory, text_digest(SOURCE))
    (site / "content/pricing.en-US.md").write_text(
        page("Pricing", "Plans start at $8."), encoding="utf-8"
    )
    result = build_site(BuildRequest(root=site))
    [finding] = [f for f in result.findings if f.rule == "translation.outdated"]
    new_hash = text_digest(page("Pricing", "Plans start at $8."))
    assert finding.level == "warning"
    assert finding.locale == "de-DE"
    assert finding.line == 3  # the source_hash line
    assert f'source_hash: "{new_hash}"' in finding.suggestion


def test_translation_without_hash_is_reported_as_untracked(site_factory) -> None:
    site = site_with_translation(site_factory, None)
    assert rules(build_site(BuildRequest(root=site))) == ["translation.untracked"]


def test_timestamps_do_not_matter(site_factory) -> None:
    site = site_with_translation(site_factory, text_digest(SOURCE))
    source = site / "content/pricing.en-US.md"
    os.utime(source, (2_000_000_000, 2_000_000_000))  # source "newer" than translation
    assert rules(build_site(BuildRequest(root=site))) == []


def test_strict_build_fails_on_outdated_and_keeps_previous_output(site_factory, run_cli) -> None:
    site = site_with_translation(site_factory, text_digest(SOURCE))
    assert run_cli(site, "build", "--strict").exit_code == 0
    before = tree_digest(site / "public")
    (site / "content/pricing.en-US.md").write_text(page("Pricing", "Now $8."), encoding="utf-8")
    result = run_cli(site, "build", "--strict")
    assert result.exit_code == 1
    assert "pricing.en-US.md changed since this translation" in result.stderr
    assert "--strict" in result.stderr
    assert tree_digest(site / "public") == before


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_outdated_detection_works_in_a_fresh_clone(site_factory, tmp_path) -> None:
    site = site_with_translation(site_factory, "0000dead")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q", str(site)], check=True)
    subprocess.run([*git, "-C", str(site), "add", "."], check=True)
    subprocess.run([*git, "-C", str(site), "commit", "-qm", "site"], check=True)
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{site}", str(clone)], check=True)
    result = build_site(BuildRequest(root=clone))
    assert rules(result) == ["translation.outdated"]
