"""``locgen check``: one planted problem per rule in tests/data/checks-site, found and fixed.

Each rule's problem is found at the right file, line and locale; the same
site with that one problem fixed reports nothing for the rule at that file.
Also: the JSON report against its schema, GitHub annotations, exit codes,
rule settings, inline suppressions and bad input.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import Result

from locgen.sources import text_digest
from sitekit import REPO, tree_digest

FIXTURE = Path(__file__).resolve().parent / "data" / "checks-site"
SCHEMA = REPO / "docs" / "schema" / "check-report-1.json"
UNSUBSCRIBE = 'unsubscribe_url = "https://planted.example/unsubscribe?id={subscriber_id}"\n'


@dataclass(frozen=True)
class Planted:
    """A problem in the fixture site, where it is found, and the edit that fixes it."""

    rule: str
    path: str
    line: int | None
    locale: str | None
    fix: Callable[[Path], None]
    only: tuple[str, ...] = ()
    """Locales the clean run checks (other locales have their own findings of the rule)."""
    elsewhere: bool = False
    """Other files of the fixture have findings of this rule too (the fixed run is clean
    at this file only)."""


def replace(rel: str, old: str, new: str) -> Callable[[Path], None]:
    def edit(site: Path) -> None:
        path = site / rel
        text = path.read_text("utf-8")
        assert old in text, f"{old!r} is not in {rel}"
        path.write_text(text.replace(old, new), "utf-8")

    return edit


def write(rel: str, text: str) -> Callable[[Path], None]:
    def edit(site: Path) -> None:
        (site / rel).write_text(text, "utf-8")

    return edit


def translate(rel: str, source: str, text: str) -> Callable[[Path], None]:
    """Write translation *rel* of *source* with the right ``source_hash``."""

    def edit(site: Path) -> None:
        digest = text_digest((site / source).read_text("utf-8"))
        (site / rel).write_text(f'---\nsource_hash: "{digest}"\n{text}', "utf-8")

    return edit


def up_to_date(rel: str, source: str) -> Callable[[Path], None]:
    def edit(site: Path) -> None:
        digest = text_digest((site / source).read_text("utf-8"))
        text = (site / rel).read_text("utf-8").replace('"00000000"', f'"{digest}"')
        if "source_hash" not in text:
            text = f'---\nsource_hash: "{digest}"\n' + text.removeprefix("---\n")
        (site / rel).write_text(text, "utf-8")

    return edit


PLANTED = [
    Planted(
        "translation.missing",
        "content/only-german.de-DE.md",
        None,
        "en-US",
        write("content/only-german.en-US.md", "---\ntitle: Only German\n---\nNow in English.\n"),
    ),
    Planted(
        "translation.fallback",
        "content/index.en-US.md",
        None,
        "de-DE",
        translate("content/index.de-DE.md", "content/index.en-US.md", "title: Start\n---\nText.\n"),
        only=("de-DE",),
        elsewhere=True,  # every page without a German text falls back
    ),
    Planted(
        "translation.outdated",
        "content/outdated.de-DE.md",
        3,
        "de-DE",
        up_to_date("content/outdated.de-DE.md", "content/outdated.en-US.md"),
    ),
    Planted(
        "translation.untracked",
        "content/untracked.de-DE.md",
        1,
        "de-DE",
        up_to_date("content/untracked.de-DE.md", "content/untracked.en-US.md"),
    ),
    Planted(
        "culture.formality.mixed-register",
        "content/register.de-DE.md",
        7,
        "de-DE",
        replace(
            "content/register.de-DE.md",
            "Wenn du Hilfe brauchst, schreib uns.",
            "Wenn Sie Hilfe brauchen, schreiben Sie uns.",
        ),
    ),
    Planted(
        "culture.address.honorific",
        "content/emails/welcome.ja-JP.md",
        7,
        "ja-JP",
        replace("content/emails/welcome.ja-JP.md", ">}}さん", ">}}様"),
    ),
    Planted(
        "culture.tone.imperative",
        "content/tone.en-US.md",
        6,
        "en-GB",
        replace("content/tone.en-US.md", "Buy now and save", "You can save"),
    ),
    Planted(
        "culture.tone.pressure",
        "content/pressure.en-US.md",
        6,
        "ja-JP",
        replace("content/pressure.en-US.md", "This is your last chance to", "You can still"),
    ),
    Planted(
        "culture.tone.caps",
        "content/caps.en-US.md",
        6,
        "zh-CN",
        replace("content/caps.en-US.md", "FREE for a month, NOW.", "free for a month."),
    ),
    Planted(
        "culture.tone.exclamation",
        "content/exclaim.en-US.md",
        6,
        "ar-SA",
        replace("content/exclaim.en-US.md", "here!!", "here."),
    ),
    Planted(
        "culture.imagery",
        "content/gallery.en-US.md",
        6,
        "ja-JP",
        write("content/images/team.svg.yaml", "tags: [gesture:wave]\n"),
    ),
    Planted(
        "image.alt",
        "content/alt.en-US.md",
        6,
        "de-DE",
        replace(
            "content/alt.en-US.md", "![](images/office.svg)", "![Our office](images/office.svg)"
        ),
    ),
    Planted(
        "links.internal",
        "content/links.en-US.md",
        6,
        "en-US",
        replace("content/links.en-US.md", "(/en-us/pricing/)", "(/gallery.md)"),
    ),
    Planted(
        "links.anchor",
        "content/anchors.en-US.md",
        6,
        "en-US",
        replace("content/anchors.en-US.md", "(/alt.md#alt-text)", "(#setting-up)"),
    ),
    Planted(
        "i18n.untranslated",
        "locales/de_DE/LC_MESSAGES/messages.po",
        7,
        "de-DE",
        replace(
            "locales/de_DE/LC_MESSAGES/messages.po",
            'msgid "Ask the planted team"\nmsgstr ""',
            'msgid "Ask the planted team"\nmsgstr "Fragen Sie das Team"',
        ),
        only=("de-DE",),
    ),
    Planted(
        "i18n.fuzzy",
        "locales/de_DE/LC_MESSAGES/messages.po",
        11,
        "de-DE",
        replace("locales/de_DE/LC_MESSAGES/messages.po", "#, fuzzy\n", ""),
    ),
    Planted(
        "calendar.holiday",
        "content/emails/holiday.de-DE.md",
        6,
        "de-DE",
        replace("content/emails/holiday.de-DE.md", "2026-10-03", "2026-10-06"),
    ),
    Planted(
        "email.unsubscribe",
        "content/emails/promo.en-US.md",
        4,
        "en-US",
        replace(
            "locgen.toml",
            'merge_fields = ["plan"]',
            f'merge_fields = ["subscriber_id"]\n{UNSUBSCRIBE}',
        ),
    ),
    Planted(
        "email.subject-length",
        "content/emails/long-subject.en-US.md",
        2,
        "en-US",
        replace(
            "content/emails/long-subject.en-US.md",
            "Everything you need to know about the changes to your plan, your invoices and your "
            "storage this year",
            "What changes this year",
        ),
    ),
    Planted(
        "email.preheader",
        "content/emails/no-preheader.en-US.md",
        1,
        "en-US",
        replace(
            "content/emails/no-preheader.en-US.md",
            "category: transactional",
            'preheader: "Thank you."\ncategory: transactional',
        ),
    ),
    Planted(
        "checks.suppression",
        "content/suppressed.en-US.md",
        6,
        None,
        replace(
            "content/suppressed.en-US.md",
            "<!-- locgen-disable -->",
            "<!-- locgen-disable culture.tone.caps -->",
        ),
    ),
    Planted(
        "phrasebook.applied",
        "content/phrases.en-US.md",
        4,
        "en-GB",
        replace("content/phrases.en-US.md", "Sign up today and", "Please"),
    ),
    Planted(
        "culture.unmapped",
        "locgen.toml",
        7,
        "et-EE",
        replace("locgen.toml", "[email]", '[locales."et-EE"]\nculture = "sweden"\n\n[email]'),
    ),
    Planted(
        "content.unsafe-html",
        "content/scripted.en-US.md",
        4,
        "en-US",
        replace("content/scripted.en-US.md", "javascript:openChat()", "https://planted.example/"),
    ),
]


def check(run_cli: Callable[..., Result], site: Path, *args: str) -> dict[str, Any]:
    result = run_cli(site, "check", "--format", "json", *args)
    assert result.exit_code in (0, 1), result.output
    report: dict[str, Any] = json.loads(result.output)
    return report


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIXTURE, tmp_path / "site"))


@pytest.fixture(scope="module")
def fixture_report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from click.testing import CliRunner

    from locgen.cli import cli

    site = Path(shutil.copytree(FIXTURE, tmp_path_factory.mktemp("planted") / "site"))
    import os

    before = Path.cwd()
    os.chdir(site)
    try:
        result = CliRunner().invoke(cli, ["check", "--format", "json"], catch_exceptions=False)
    finally:
        os.chdir(before)
    assert result.exit_code == 1, result.output
    report: dict[str, Any] = json.loads(result.output)
    return report


def test_every_rule_has_a_planted_problem(fixture_report: dict[str, Any]) -> None:
    declared = {rule["id"] for rule in fixture_report["rules"]}
    assert declared == {planted.rule for planted in PLANTED}


@pytest.mark.parametrize("planted", PLANTED, ids=[p.rule for p in PLANTED])
def test_planted_problem_is_found_where_it_is(
    fixture_report: dict[str, Any], planted: Planted
) -> None:
    found = [
        (f["path"], f["line"], f["locale"])
        for f in fixture_report["findings"]
        if f["rule"] == planted.rule
    ]
    assert (planted.path, planted.line, planted.locale) in found, found
    finding = next(
        f
        for f in fixture_report["findings"]
        if (f["rule"], f["path"], f["locale"]) == (planted.rule, planted.path, planted.locale)
    )
    assert finding["message"] and finding["suggestion"]


@pytest.mark.parametrize("planted", PLANTED, ids=[p.rule for p in PLANTED])
def test_fixed_variant_reports_nothing_for_the_rule(
    site: Path, run_cli: Callable[..., Result], planted: Planted
) -> None:
    planted.fix(site)
    args = [arg for tag in planted.only for arg in ("--locale", tag)]
    report = check(run_cli, site, *args)
    left = [
        f
        for f in report["findings"]
        if f["rule"] == planted.rule and (f["path"] == planted.path or not planted.elsewhere)
    ]
    assert left == []


def test_json_report_validates_against_the_documented_schema(
    fixture_report: dict[str, Any],
) -> None:
    schema = json.loads(SCHEMA.read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(fixture_report, schema, cls=jsonschema.Draft202012Validator)
    assert fixture_report["version"] == 1
    assert fixture_report["summary"]["error"] == sum(
        1 for f in fixture_report["findings"] if f["level"] == "error"
    )
    row = fixture_report["matrix"]["outdated"]
    assert row["en-US"]["status"] == "source"
    assert row["de-DE"]["status"] == "outdated"
    assert row["ja-JP"] == {"status": "fallback", "served_from": "en-US"}
    assert fixture_report["matrix"]["only-german"]["en-US"]["status"] == "missing"


def test_github_format_prints_workflow_annotations(
    site: Path, run_cli: Callable[..., Result]
) -> None:
    result = run_cli(site, "check", "--format", "github")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert "::error file=content/links.en-US.md,line=6,title=links.internal::" in "\n".join(
        line[: line.index("::", 2) + 2] for line in lines if line.startswith("::error")
    )
    register = next(line for line in lines if "title=culture.formality.mixed-register" in line)
    assert register.startswith("::warning file=content/register.de-DE.md,line=7,col=6,")
    assert any(line.startswith("::notice ") for line in lines)
    assert lines[-1].startswith("checked 8 locales: ")


def test_text_format_groups_findings_by_file_and_shows_the_matrix(
    site: Path, run_cli: Callable[..., Result]
) -> None:
    output = run_cli(site, "check").output
    assert "\ncontent/register.de-DE.md\n" in output
    assert "\x1b[" not in output  # no colour when the output is not a terminal
    assert "translations: " in output and "only-german" in output
    assert output.rstrip().splitlines()[-1].startswith("checked 8 locales: ")


def test_strict_fails_on_warnings_and_the_example_site_passes(
    site: Path, run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    for planted in PLANTED:
        if planted.rule in ("email.unsubscribe", "links.internal"):
            planted.fix(site)
    assert run_cli(site, "check").exit_code == 0  # warnings only
    assert run_cli(site, "check", "--strict").exit_code == 1
    assert run_cli(REPO, "check", "--strict").exit_code == 0


def test_build_runs_the_error_checks_and_keeps_the_previous_output(
    site: Path, run_cli: Callable[..., Result]
) -> None:
    fix_errors = [p for p in PLANTED if p.rule in ("email.unsubscribe", "links.internal")]
    for planted in fix_errors:
        planted.fix(site)
    built = run_cli(site, "build")
    assert built.exit_code == 0, built.output
    assert "checks: 0 errors" in built.output
    before = tree_digest(site / "public")
    replace("content/links.en-US.md", "(/gallery.md)", "(/en-us/nowhere/)")(site)
    failed = run_cli(site, "build")
    assert failed.exit_code == 1
    assert "content/links.en-US.md:4: link /en-us/nowhere/ leads to nothing" in failed.stderr
    assert "[links.internal]" in failed.stderr and "Traceback" not in failed.output
    assert tree_digest(site / "public") == before


def test_rule_settings_change_levels_per_locale_and_path(
    site: Path, run_cli: Callable[..., Result]
) -> None:
    config = site / "locgen.toml"
    config.write_text(
        config.read_text("utf-8")
        + """
[checks.rules]
"culture.tone" = "off"
"image.alt" = "error"
"translation.fallback" = "off"

[[checks.override]]
locales = ["ja-JP"]
rules = { "culture.imagery" = "off", "culture.tone.pressure" = "info" }

[[checks.override]]
paths = ["content/emails/*"]
rules = { "email" = "off" }
""",
        "utf-8",
    )
    findings = check(run_cli, site)["findings"]
    rules = {(f["rule"], f["locale"], f["level"]) for f in findings}
    assert not any(rule.startswith("translation.fallback") for rule, _, _ in rules)
    assert ("image.alt", "de-DE", "error") in rules
    assert not any(r == "culture.imagery" for r, _, _ in rules)  # only ja-JP had it
    pressure = {(loc, level) for r, loc, level in rules if r == "culture.tone.pressure"}
    assert pressure == {("ja-JP", "info")}  # the later, more specific setting wins there
    assert not any(
        r.startswith("culture.tone.") and r != "culture.tone.pressure" for r, _, _ in rules
    )
    assert not any(r.startswith("email.") for r, _, _ in rules)
    assert any(r == "calendar.holiday" for r, _, _ in rules)  # not under email.


def test_inline_suppressions_switch_rules_off_for_their_lines(
    site: Path, run_cli: Callable[..., Result]
) -> None:
    (site / "content/tone.en-US.md").write_text(
        "---\ntitle: Tone\n---\n"
        "<!-- locgen-disable-next-line culture.tone.imperative -->\n"
        "Buy now and save on your first year.\n\n"
        "<!-- locgen-disable culture.tone -->\n"
        "This is your last chance. Act now!!\n"
        "<!-- locgen-enable culture.tone -->\n\n"
        "Order now while it lasts.\n",
        "utf-8",
    )
    findings = [f for f in check(run_cli, site)["findings"] if f["path"] == "content/tone.en-US.md"]
    tone = {(f["rule"], f["line"]) for f in findings if f["rule"].startswith("culture.tone")}
    assert tone == {("culture.tone.imperative", 11)}


@pytest.mark.parametrize(
    ("comment", "message"),
    [
        ("<!-- locgen-disable -->", "<!-- locgen-disable --> names no rule"),
        ("<!-- locgen-disabel culture.tone -->", "unknown comment 'locgen-disabel'"),
        (
            "<!-- locgen-disable culture.tone.shouting -->",
            "unknown rule id 'culture.tone.shouting'",
        ),
        ("<!-- locgen-enable image.alt -->", "without a locgen-disable before it"),
    ],
)
def test_malformed_suppression_is_a_located_warning(
    site: Path, run_cli: Callable[..., Result], comment: str, message: str
) -> None:
    (site / "content/suppressed.en-US.md").write_text(
        f"---\ntitle: Suppressed\n---\nText.\n\n{comment}\n", "utf-8"
    )
    findings = check(run_cli, site)["findings"]
    problems = [f for f in findings if f["rule"] == "checks.suppression"]
    assert [(f["path"], f["line"], f["level"]) for f in problems] == [
        ("content/suppressed.en-US.md", 6, "warning")
    ]
    assert message in problems[0]["message"]


def test_unknown_rule_id_in_config_is_a_located_error(
    site: Path, run_cli: Callable[..., Result]
) -> None:
    config = site / "locgen.toml"
    config.write_text(
        config.read_text("utf-8") + '\n[checks.rules]\n"culture.tone.caps" = "off"\n'
        '"links.anchors" = "error"\n',
        "utf-8",
    )
    lines = config.read_text("utf-8").splitlines()
    for command in ("check", "build"):
        result = run_cli(site, command)
        assert result.exit_code == 1
        assert f"locgen.toml:{len(lines)}: [checks.rules]: unknown rule id 'links.anchors'" in (
            result.stderr
        )
        assert "did you mean 'links.anchor'?" in result.stderr
        assert "Traceback" not in result.output


def test_bad_level_and_bad_tone_rule_are_located_errors(
    site: Path, run_cli: Callable[..., Result]
) -> None:
    config = site / "locgen.toml"
    original = config.read_text("utf-8")
    config.write_text(original + '\n[checks.rules]\n"image.alt" = "loud"\n', "utf-8")
    result = run_cli(site, "check")
    assert result.exit_code == 1
    assert "image.alt = 'loud' is not a level" in result.stderr
    assert "use one of error, warning, info, off" in result.stderr

    config.write_text(
        original + '\n[[checks.tone]]\nrule = "culture.tone.pressure"\nlanguage = "en"\n'
        'phrases = "act fast"\n',
        "utf-8",
    )
    result = run_cli(site, "check")
    assert result.exit_code == 1
    assert "locgen.toml:" in result.stderr and "phrases" in result.stderr


def test_site_tone_rules_extend_the_defaults(site: Path, run_cli: Callable[..., Result]) -> None:
    config = site / "locgen.toml"
    config.write_text(
        config.read_text("utf-8") + '\n[[checks.tone]]\nrule = "culture.tone.pressure"\n'
        'language = "en"\nphrases = ["suit teams"]\nsuggestion = "say who it suits"\n',
        "utf-8",
    )
    findings = check(run_cli, site)["findings"]
    added = [f for f in findings if f["path"] == "content/tone.en-US.md" and f["line"] == 4]
    assert {f["locale"] for f in added} == {"en-GB", "ja-JP", "zh-CN", "ar-SA"}
    assert all(f["suggestion"] == "say who it suits" for f in added)


def test_send_date_that_is_not_a_date_is_a_located_error(
    site: Path, run_cli: Callable[..., Result]
) -> None:
    replace("content/emails/holiday.de-DE.md", "2026-10-03", "next tuesday")(site)
    result = run_cli(site, "check")
    assert result.exit_code == 1
    assert "content/emails/holiday.de-DE.md:6:" in result.stderr
    assert "send_date" in result.stderr and "Traceback" not in result.output


def test_check_of_one_locale_reports_only_that_locale(
    site: Path, run_cli: Callable[..., Result]
) -> None:
    report = check(run_cli, site, "--locale", "ja-JP")
    assert report["locales"] == ["ja-JP"]
    assert {f["locale"] for f in report["findings"]} <= {"ja-JP", None}
    # Links to pages of the locales left out are not broken; the planted one still is.
    broken = [f for f in report["findings"] if f["rule"] == "links.internal"]
    assert broken and all("/en-us/pricing/" in f["message"] for f in broken)


def test_locale_shards_merge_into_the_single_build(
    tmp_path: Path, run_cli: Callable[..., Result]
) -> None:
    full = tmp_path / "full"
    merged = tmp_path / "merged"
    assert run_cli(REPO, "build", "--output", str(full)).exit_code == 0
    locales = ["en-US", "en-GB", "de-DE", "sv-SE", "ja-JP", "zh-CN", "ar-SA", "pt-BR"]
    for tag in reversed(locales):
        shard = tmp_path / f"shard-{tag}"
        assert run_cli(REPO, "build", "--locale", tag, "--output", str(shard)).exit_code == 0
        shutil.copytree(shard, merged, dirs_exist_ok=True)
    assert run_cli(REPO, "build", "--emails-only", "--output", str(merged)).exit_code == 0
    assert tree_digest(merged) == tree_digest(full)


def test_a_broken_link_the_theme_makes_is_one_warning_per_locale(
    site_factory: Callable[..., Path], run_cli: Callable[..., Result]
) -> None:
    # No content/index.*.md: every page's header links to a home page that is not built.
    site = site_factory(
        {
            "content/a.en-US.md": "---\ntitle: A\n---\nText.\n",
            "content/b.en-US.md": "---\ntitle: B\n---\nText.\n",
        }
    )
    built = run_cli(site, "build")
    assert built.exit_code == 0, built.output
    findings = check(run_cli, site)["findings"]
    broken = [f for f in findings if f["rule"] == "links.internal"]
    assert [(f["locale"], f["level"], f["path"]) for f in broken] == [
        ("de-DE", "warning", None),
        ("en-US", "warning", None),
    ]
    assert "the theme links /en-us/a/ and 1 more pages to /en-us/" in broken[1]["message"]
    assert "content/index.<locale>.md" in broken[1]["suggestion"]


def test_links_to_a_heading_of_the_same_page_are_checked_in_each_locale(
    site_factory: Callable[..., Path], run_cli: Callable[..., Result]
) -> None:
    # The German text renames the heading: its link to #plans leads nowhere, the English
    # one does not, and a link to #plans on another page is judged by that page.
    site = site_factory(
        {
            "content/index.en-US.md": "---\ntitle: Home\n---\nSee [a](/a.md#plans).\n",
            "content/index.de-DE.md": "---\ntitle: Start\n---\nSiehe [a](/a.md#plans).\n",
            "content/a.en-US.md": "---\ntitle: A\n---\n## Plans\n\nSee [plans](#plans).\n",
            "content/a.de-DE.md": "---\ntitle: A\n---\n## Tarife\n\nSiehe [Tarife](#plans).\n",
        }
    )
    findings = check(run_cli, site)["findings"]
    anchors = [(f["path"], f["line"], f["locale"]) for f in findings if f["rule"] == "links.anchor"]
    assert sorted(anchors) == [
        ("content/a.de-DE.md", 6, "de-DE"),
        ("content/index.de-DE.md", 4, "de-DE"),
    ]


def test_text_report_lists_info_when_verbose_and_colours_on_a_terminal(
    site: Path, run_cli: Callable[..., Result]
) -> None:
    import io

    from locgen.build import BuildRequest
    from locgen.check import run_check, write_check_report

    quiet = run_cli(site, "check").output
    assert "translation.fallback" not in quiet
    assert "info findings not shown (--verbose shows them)" in quiet
    verbose = run_cli(site, "check", "--verbose").output
    assert "translation.fallback" in verbose and "not shown" not in verbose

    out = io.StringIO()
    write_check_report(run_check(BuildRequest(root=site)), "text", out, colour=True)
    assert "\x1b[33mwarning" in out.getvalue() and "\x1b[31merror" in out.getvalue()


def test_suppression_comments_are_not_published(
    site_factory: Callable[..., Path], run_cli: Callable[..., Result]
) -> None:
    site = site_factory(
        {
            "content/index.en-US.md": "---\ntitle: Home\n---\n"
            "<!-- locgen-disable-next-line image.alt -->\nText. <!-- other comment -->\n",
        }
    )
    assert run_cli(site, "build").exit_code == 0
    html = (site / "public/en-us/index.html").read_text("utf-8")
    assert "locgen-disable" not in html and "<!-- other comment -->" in html


def test_a_page_whose_template_makes_only_a_comment_is_checked_as_empty(
    site_factory: Callable[..., Path], run_cli: Callable[..., Result]
) -> None:
    """The link check reads every page; one with no elements at all has no links."""
    site = site_factory(
        {
            "themes/own/templates/home.html": "<!-- nothing here yet -->\n",
            "content/index.en-US.md": "---\ntitle: Home\n---\n\nText.\n",
        },
        config='[site]\ntitle = "Empty"\ndefault_locale = "en-US"\nlocales = ["en-US"]\n'
        'theme = "own"\n',
    )

    result = run_cli(site, "build")

    assert result.exit_code == 0, result.output
    assert (site / "public/en-us/index.html").read_text("utf-8") == "<!-- nothing here yet -->\n"


def test_a_page_outline_holds_the_links_and_ids_a_browser_sees() -> None:
    """The link check reads each built page as a browser parses it."""
    from locgen.checks import html_outline

    page = """<!doctype html><html><head><title>t</title>
    <script>document.write('<a href="/in-script/">x</a>')</script></head><body>
    <!-- <a href="/in-comment/">old</a> -->
    <nav id="top"><a href="/de-de/">de</a> <a href="../page-2/?a=1&amp;b=2#intro">next</a></nav>
    <a name="legacy">anchor</a> <a href="">empty</a> <a href>bare</a> <a href="/de-de/">again</a>
    <template><a href="/in-template/" id="inert">later</a></template>
    <h2 id="preise">Preise</h2><p id>bare id</p>
    </body></html>"""
    outline = html_outline(page.encode())
    assert outline.links == ("/de-de/", "../page-2/?a=1&b=2#intro", "/de-de/")
    assert outline.ids == {"top", "legacy", "preise", ""}
    assert html_outline(b"  \n") == html_outline(b"") == html_outline(b"<!-- nothing -->")
    assert html_outline(b"").links == () and html_outline(b"").ids == frozenset()
