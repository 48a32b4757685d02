"""Whole builds: determinism, atomic publish, reports and the CLI's exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

import pytest

from locgen import build as build_module
from locgen.publish import remove_leftovers
from sitekit import copy_example_site, page, tree_digest


def test_building_twice_gives_byte_identical_trees(tmp_path: Path, run_cli) -> None:
    first = copy_example_site(tmp_path / "one")
    second = copy_example_site(tmp_path / "two")
    assert run_cli(first, "build").exit_code == 0
    assert run_cli(second, "build").exit_code == 0
    once = tree_digest(first / "public")
    assert once == tree_digest(second / "public")
    assert run_cli(first, "build").exit_code == 0
    assert tree_digest(first / "public") == once


def test_failed_build_leaves_previous_output_exactly(tmp_path: Path, run_cli) -> None:
    site = copy_example_site(tmp_path / "site")
    assert run_cli(site, "build").exit_code == 0
    before = tree_digest(site / "public")
    pricing = site / "content/product/pricing.de-DE.md"
    lines = pricing.read_text(encoding="utf-8").split("\n")
    title_line = next(n for n, line in enumerate(lines, start=1) if line.startswith("title:"))
    lines[title_line - 1] = lines[title_line - 1].replace("title:", "title: [unclosed")
    pricing.write_text("\n".join(lines), encoding="utf-8")
    result = run_cli(site, "build")
    assert result.exit_code == 1
    assert f"content/product/pricing.de-DE.md:{title_line}: invalid YAML" in result.stderr
    assert tree_digest(site / "public") == before
    assert sorted(p.name for p in site.iterdir() if p.name.startswith(".public")) == []


def test_leftover_staging_folders_are_cleaned_up(site_factory, run_cli) -> None:
    site = site_factory({"content/index.en-US.md": page("Home")})
    (site / ".public.locgen-new-abc123").mkdir()
    (site / ".public.locgen-new-abc123" / "half.html").write_text("x")
    (site / ".public.locgen-old-def456").mkdir()
    assert run_cli(site, "build").exit_code == 0
    assert not any(p.name.startswith(".public.locgen") for p in site.iterdir())
    remove_leftovers(site / "public")  # nothing left to remove is fine


def test_output_folder_has_normal_permissions(site_factory, run_cli) -> None:
    site = site_factory({"content/index.en-US.md": page("Home")})
    assert run_cli(site, "build").exit_code == 0
    assert (site / "public").stat().st_mode & 0o755 == 0o755


def test_locale_option_builds_only_those_locales(site_factory, run_cli) -> None:
    site = site_factory(
        {
            "content/index.en-US.md": page("Home"),
            "content/index.de-DE.md": page("Start"),
        }
    )
    assert run_cli(site, "build", "--locale", "de-de").exit_code == 0
    assert (site / "public/de-de/index.html").is_file()
    assert not (site / "public/en-us").exists()
    # Root files describe the whole site, so locale builds merge into one tree.
    assert "/en-us/" in (site / "public/sitemap.xml").read_text(encoding="utf-8")


def test_the_sitemap_is_xml_whatever_characters_the_base_url_holds(site_factory, run_cli) -> None:
    site = site_factory(
        {
            "content/index.en-US.md": page("Home"),
            "content/index.de-DE.md": page("Start"),
            "content/r-and-d.en-US.md": page("R&D"),
            "content/r-and-d.de-DE.md": page("F&E"),
        }
    )
    result = run_cli(site, "build", "--base-url", "https://example.com/r&d/<x>/")
    assert result.exit_code == 0, result.output

    tree = ElementTree.parse(site / "public/sitemap.xml")  # raises on unescaped text

    space = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    links = "{http://www.w3.org/1999/xhtml}link"
    base = "https://example.com/r&d/<x>/"
    assert [loc.text for loc in tree.iterfind("s:url/s:loc", space)] == [
        base,
        base + "en-us/",
        base + "de-de/",
        base + "en-us/r-and-d/",
        base + "de-de/r-and-d/",
    ]
    assert {link.get("href") for link in tree.iter(links)} >= {
        base + "en-us/r-and-d/",
        base + "de-de/r-and-d/",
    }


def test_output_and_base_url_options(site_factory, run_cli, tmp_path: Path) -> None:
    site = site_factory({"content/index.en-US.md": page("Home")})
    result = run_cli(
        site, "build", "--output", str(tmp_path / "out"), "--base-url", "https://cdn.example/docs"
    )
    assert result.exit_code == 0, result.output
    html = (tmp_path / "out/en-us/index.html").read_text(encoding="utf-8")
    assert 'href="https://cdn.example/docs/en-us/"' in html
    assert "/docs/static/css/site.css" in html
    assert run_cli(site, "build", "--base-url", "not a url").exit_code == 2


def test_drafts_option(site_factory, run_cli) -> None:
    site = site_factory(
        {
            "content/index.en-US.md": page("Home"),
            "content/plans.en-US.md": page("Plans", draft="true"),
        }
    )
    result = run_cli(site, "build")
    assert "drafts skipped: 1" in result.output
    assert not (site / "public/en-us/plans").exists()
    assert run_cli(site, "build", "--drafts").exit_code == 0
    assert (site / "public/en-us/plans/index.html").is_file()


def test_json_report(site_factory, run_cli) -> None:
    site = site_factory(
        {
            "content/index.en-US.md": page("Home"),
            "content/faq.en-US.md": page("FAQ"),
            "content/index.de-DE.md": page("Start"),
        }
    )
    result = run_cli(site, "build", "--format", "json")
    report = json.loads(result.stdout)
    assert report["version"] == 1
    assert report["pages"] == {"en-US": 2, "de-DE": 2}
    assert report["fallback_pages"] == {"en-US": [], "de-DE": ["faq"]}
    fallback = [f for f in report["findings"] if f["rule"] == "translation.fallback"]
    assert fallback == [
        {
            "rule": "translation.fallback",
            "level": "info",
            "locale": "de-DE",
            "message": "faq is not translated into de-DE; showing the en-US text",
            "path": "content/faq.en-US.md",
            "line": None,
            "column": None,
            "suggestion": "add faq.de-DE.md",
        }
    ]


def test_github_report_annotates_warnings(site_factory, run_cli) -> None:
    site = site_factory(
        {
            "content/index.en-US.md": page("Home"),
            "content/index.de-DE.md": page("Start", source_hash='"00000000"'),
        }
    )
    result = run_cli(site, "build", "--format", "github")
    assert result.exit_code == 0
    assert result.stdout.startswith(
        "::warning file=content/index.de-DE.md,line=3,title=translation.outdated::"
    )


class TestExitCodes:
    def test_ok_is_0(self, site_factory, run_cli) -> None:
        site = site_factory({"content/index.en-US.md": page("Home")})
        result = run_cli(site, "build")
        assert result.exit_code == 0
        assert result.stdout.startswith("built 2 pages in 2 locales into")

    def test_content_error_is_1(self, site_factory, run_cli) -> None:
        site = site_factory({"content/index.en-US.md": "---\ntitle: [\n---\n"})
        assert run_cli(site, "build").exit_code == 1

    def test_usage_error_is_2(self, site_factory, run_cli, tmp_path: Path) -> None:
        site = site_factory({"content/index.en-US.md": page("Home")})
        assert run_cli(site, "build", "--no-such-option").exit_code == 2
        outside = tmp_path / "empty"
        outside.mkdir()
        result = run_cli(outside, "build")
        assert result.exit_code == 2
        assert "no locgen.toml" in result.stderr

    def test_internal_error_is_3_without_traceback(
        self, site_factory, run_cli, monkeypatch
    ) -> None:
        site = site_factory({"content/index.en-US.md": page("Home")})

        def broken(*args, **kwargs):
            raise RuntimeError("boom")

        monkeypatch.setattr(build_module, "build_site", broken)
        result = run_cli(site, "build")
        assert result.exit_code == 3
        assert "internal error: RuntimeError: boom" in result.stderr
        assert "Traceback" not in result.stderr
        debug = run_cli(site, "build", "--debug")
        assert debug.exit_code == 3
        assert "Traceback" in debug.stderr

    def test_version(self, tmp_path: Path, run_cli) -> None:
        result = run_cli(tmp_path, "--version")
        assert result.exit_code == 0
        assert result.stdout.startswith("locgen, version ")


@pytest.mark.parametrize("target", ["new-site", "."])
def test_init_scaffolds_a_site_that_builds(tmp_path: Path, run_cli, target: str) -> None:
    folder = tmp_path / "work"
    folder.mkdir()
    assert run_cli(folder, "init", target).exit_code == 0
    site = (folder / target).resolve()
    result = run_cli(site, "build", "--strict")
    assert result.exit_code == 0, result.output
    assert (site / "public/de-de/anleitungen/index.html").is_file()
    again = run_cli(folder, "init", target)
    assert again.exit_code == 2
    assert "already holds a site" in again.stderr


def test_site_theme_needs_only_the_templates_it_changes(site_factory, run_cli) -> None:
    site = site_factory(
        {
            "content/index.en-US.md": page("Home"),
            "content/faq.en-US.md": page("FAQ"),
            "themes/brand/templates/page.html": "<main>{{ page.title }}</main>\n",
            "themes/brand/static/css/site.css": "body { color: teal }\n",
        },
        config="""\
        [site]
        title = "T"
        default_locale = "en-US"
        locales = ["en-US"]
        theme = "brand"
        """,
    )
    assert run_cli(site, "build").exit_code == 0
    out = site / "public"
    assert (out / "en-us/faq/index.html").read_text(encoding="utf-8") == "<main>FAQ</main>\n"
    assert "<!doctype html>" in (out / "en-us/index.html").read_text(encoding="utf-8").lower()
    assert (out / "static/css/site.css").read_text(encoding="utf-8") == "body { color: teal }\n"


class _Terminal:
    def __init__(self, tty: bool) -> None:
        self.tty = tty
        self.text = ""

    def isatty(self) -> bool:
        return self.tty

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        pass


def test_progress_shows_on_a_terminal_only(monkeypatch) -> None:
    from locgen.report import Progress

    monkeypatch.delenv("CI", raising=False)
    terminal = _Terminal(tty=True)
    progress = Progress(terminal)  # type: ignore[arg-type]
    progress("de-DE", 3, 3)
    progress.close()
    assert "rendering de-DE: 3/3 pages" in terminal.text
    assert terminal.text.endswith("\r\033[K")

    for tty, ci in ((False, None), (True, "true")):
        if ci:
            monkeypatch.setenv("CI", ci)
        quiet = _Terminal(tty=tty)
        Progress(quiet)("de-DE", 3, 3)  # type: ignore[arg-type]
        assert quiet.text == ""


def test_url_for_in_front_matter_links_to_unknown_page_is_an_error(site_factory, run_cli) -> None:
    site = site_factory(
        {
            "content/index.en-US.md": "---\ntitle: Home\nhero:\n  title: Hi\n"
            "  cta_label: Go\n  cta_link: /nowhere.md\n---\n",
        }
    )
    result = run_cli(site, "build")
    assert result.exit_code == 1
    assert "url_for('/nowhere.md'): no such page in en-US" in result.stderr
    assert "content/index.en-US.md" in result.stderr


def test_the_summary_counts_one_page_and_one_locale_in_the_singular(site_factory, run_cli) -> None:
    site = site_factory(
        {"content/index.en-US.md": page("Home")},
        config='[site]\ntitle = "T"\ndefault_locale = "en-US"\nlocales = ["en-US"]\n',
    )

    result = run_cli(site, "build")

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("built 1 page in 1 locale into public/ (")
