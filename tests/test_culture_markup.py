"""Culture markup, phrasebook, shortcodes and image variants, as each locale's reader sees them."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from sitekit import page

# en-US reads as us (direct, informal, innovation first), ja-JP as japan
# (indirect, formal, stability first), de-DE as germany (direct, formal).
CONFIG = """\
[site]
title = "Markup"
base_url = "https://markup.example/"
default_locale = "en-US"
locales = ["en-US", "ja-JP", "de-DE", "pt-BR"]
timezone = "America/New_York"
"""

Build = Callable[..., dict[str, str]]


@pytest.fixture
def built(site_factory: Callable[..., Path], run_cli: Callable[..., Result]) -> Build:
    """Build a site whose home page has *body*; return each locale's main content."""

    def make(
        body: str, files: dict[str, str | bytes] | None = None, **meta: object
    ) -> dict[str, str]:
        site = site_factory(
            {"content/index.en-US.md": page("Home", body, **meta), **(files or {})}, config=CONFIG
        )
        result = run_cli(site, "build")
        assert result.exit_code == 0, result.output
        pages = {}
        for tag in ("en-us", "ja-jp", "de-de", "pt-br"):
            html = (site / "public" / tag / "index.html").read_text("utf-8")
            main = re.search(r'<div class="prose home-prose"[^>]*>(.*?)</div>', html, re.S)
            pages[tag] = main.group(1).strip() if main else html
        return pages

    return make


TONES = """\
Intro.

::: tone direct
Buy it today.
:::

::: tone indirect
Perhaps it suits you.
:::

Outro.
"""


def test_tone_blocks_pick_the_cultures_variant(built: Build) -> None:
    pages = built(TONES)
    assert pages["en-us"] == "<p>Intro.</p>\n<p>Buy it today.</p>\n<p>Outro.</p>"
    assert pages["ja-jp"] == "<p>Intro.</p>\n<p>Perhaps it suits you.</p>\n<p>Outro.</p>"


def test_a_group_without_the_cultures_variant_shows_its_first_block(built: Build) -> None:
    pages = built("::: tone indirect\nSoft words.\n:::\n")
    assert pages["en-us"] == "<p>Soft words.</p>"


def test_formality_blocks_and_inline_forms(built: Build) -> None:
    body = (
        "## [[formality formal: Ihre Vorteile | informal: Deine Vorteile]]\n\n"
        "::: formality informal\nHey, you.\n:::\n::: formality formal\nGood day.\n:::\n\n"
        "[[tone direct: Buy now | indirect: Explore the plans]]\n"
    )
    pages = built(body)
    assert pages["de-de"] == (
        '<h2 id="ihre-vorteile">Ihre Vorteile</h2>\n<p>Good day.</p>\n<p>Buy now</p>'
    )
    assert pages["en-us"] == (
        '<h2 id="deine-vorteile">Deine Vorteile</h2>\n<p>Hey, you.</p>\n<p>Buy now</p>'
    )
    assert pages["ja-jp"].endswith("<p>Explore the plans</p>")


ANGLES = """\
::: angle innovation
New.
:::
::: angle stability
Steady.
:::
::: angle price
Cheap.
:::
"""


def test_angle_blocks_follow_the_cultures_preference(built: Build) -> None:
    pages = built(ANGLES)
    assert pages["en-us"] == "<p>New.</p>\n<p>Cheap.</p>\n<p>Steady.</p>"
    assert pages["ja-jp"] == "<p>Steady.</p>\n<p>New.</p>\n<p>Cheap.</p>"


def test_max_angles_keeps_the_most_preferred(built: Build) -> None:
    pages = built(ANGLES, max_angles=1)
    assert (pages["en-us"], pages["ja-jp"]) == ("<p>New.</p>", "<p>Steady.</p>")


def test_blocks_of_different_kinds_nest(built: Build) -> None:
    body = (
        "::: angle stability\n::: tone direct\nSteady. Buy.\n:::\n"
        "::: tone indirect\nSteady, perhaps.\n:::\n:::\n"
    )
    pages = built(body)
    assert pages["ja-jp"] == "<p>Steady, perhaps.</p>"
    assert pages["de-de"] == "<p>Steady. Buy.</p>"


def test_code_is_left_alone(built: Build) -> None:
    body = (
        "```\n::: tone direct\n{{< greeting >}}\n```\n\n"
        "Use `[[tone direct: a | indirect: b]]` inline.\n"
    )
    pages = built(body)
    assert "::: tone direct\n{{&lt; greeting &gt;}}" in pages["ja-jp"]
    assert "<code>[[tone direct: a | indirect: b]]</code>" in pages["ja-jp"]


def test_front_matter_text_takes_the_inline_form(
    site_factory: Callable[..., Path], run_cli: Callable[..., Result]
) -> None:
    site = site_factory(
        {
            "content/index.en-US.md": (
                "---\ntitle: Home\nhero:\n  title: Sync\n"
                '  cta_label: "[[tone direct: Buy now | indirect: See the plans]]"\n'
                "  cta_link: /index.md\n---\nText.\n"
            )
        },
        config=CONFIG,
    )
    assert run_cli(site, "build").exit_code == 0
    assert ">Buy now<span" in (site / "public/en-us/index.html").read_text("utf-8")
    assert ">See the plans<span" in (site / "public/ja-jp/index.html").read_text("utf-8")


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        ("Text.\n\n::: mood happy\nHi.\n:::\n", 7, "unknown culture block kind 'mood'"),
        ("::: tone blunt\nHi.\n:::\n", 5, "::: tone has 'blunt'; it takes one of direct, indirect"),
        ("::: angle\nHi.\n:::\n", 5, "::: angle has no value"),
        ("Text.\n\n::: tone direct\nHi.\n", 7, "::: tone direct is never closed"),
        (
            "::: tone direct\n::: tone indirect\nHi.\n:::\n:::\n",
            6,
            "a ::: tone block inside another ::: tone block (opened on line 5)",
        ),
        ("Hi.\n:::\n", 6, "::: closes a block that was never opened"),
        (
            "::: tone direct\nA.\n:::\n::: tone direct\nB.\n:::\n",
            8,
            "two ::: tone direct blocks next to each other (the first on line 5)",
        ),
        ("Say [[angle price: cheap]].\n", 5, "no inline form for 'angle'"),
        ("Say [[tone direct: a | sideways: b]].\n", 5, "::: tone has 'sideways'"),
        ("Say [[tone direct a]].\n", 5, "each choice is 'value: text'"),
        ("Hi {{< no_such_code >}}.\n", 5, "unknown shortcode 'no_such_code'"),
        ('{{< greeting gender="other" >}}\n', 5, "gender 'other' must be female or male"),
        ("{{< greeting Anna >}}\n", 5, "'Anna' is not a person; name the fields"),
        ("{{< sign_off loudly=yes >}}\n", 5, "shortcode sign_off: got an unexpected keyword"),
        ("{{< support_hours >}}\n", 5, "support_hours needs a [support] table"),
    ],
    ids=[
        "unknown-kind",
        "unknown-value",
        "missing-value",
        "unclosed",
        "nested-same-kind",
        "stray-close",
        "duplicate-variant",
        "inline-angle",
        "inline-unknown-value",
        "inline-no-colon",
        "unknown-shortcode",
        "bad-greeting-argument",
        "positional-person",
        "unexpected-argument",
        "support-without-config",
    ],
)
def test_markup_mistakes_are_located_errors(
    site_factory: Callable[..., Path],
    run_cli: Callable[..., Result],
    body: str,
    line: int,
    message: str,
) -> None:
    site = site_factory({"content/index.en-US.md": page("Home", body)}, config=CONFIG)
    result = run_cli(site, "build")
    assert result.exit_code == 1, result.output
    first = result.output.splitlines()[0]
    assert first.startswith(f"error: content/index.en-US.md:{line}: "), result.output
    assert message in first
    assert "hint:" in result.output and "Traceback" not in result.output
    assert not (site / "public").exists()


def test_a_markup_error_leaves_the_previous_output(
    site_factory: Callable[..., Path], run_cli: Callable[..., Result]
) -> None:
    site = site_factory({"content/index.en-US.md": page("Home", TONES)}, config=CONFIG)
    assert run_cli(site, "build").exit_code == 0
    before = (site / "public/ja-jp/index.html").read_bytes()
    (site / "content/index.en-US.md").write_text(page("Home", "::: tone direct\nOops.\n"))
    assert run_cli(site, "build").exit_code == 1
    assert (site / "public/ja-jp/index.html").read_bytes() == before


def test_shortcodes_in_content(built: Build) -> None:
    body = (
        '{{< greeting given="Anna" family="Schmidt" gender="female" >}}\n\n'
        "Write {{</* greeting */>}} to greet.\n\n{{< sign_off >}}\n"
    )
    pages = built(body)
    assert pages["de-de"] == (
        "<p>Sehr geehrte Frau Schmidt,</p>\n<p>Write {{&lt; greeting &gt;}} to greet.</p>\n"
        "<p>Mit freundlichen Grüßen</p>"
    )
    assert pages["ja-jp"].startswith("<p>Schmidt様</p>")
    assert pages["en-us"].startswith("<p>Hi Anna,</p>")


def test_support_shortcodes_use_zone_culture_and_theme_strings(
    site_factory: Callable[..., Path], run_cli: Callable[..., Result]
) -> None:
    config = CONFIG + (
        '\n[locales."ja-JP"]\ntimezone = "Asia/Tokyo"\n'
        '\n[support]\nhours = "09:00-18:00"\n'
        'channels = { email = "mailto:help@x.example", line = "https://line.me/x" }\n'
    )
    site = site_factory(
        {
            "content/index.en-US.md": page(
                "Home", "{{< support_hours >}}\n\n{{< response_time >}}\n\n{{< support_channels >}}"
            )
        },
        config=config,
    )
    assert run_cli(site, "build").exit_code == 0
    tokyo = (site / "public/ja-jp/index.html").read_text("utf-8")
    assert "月曜日～金曜日" in tokyo and "23:00～8:00" in tokyo and "日本標準時" in tokyo
    channels = re.findall(r'data-channel="(\w+)"', tokyo)
    assert channels == ["line", "email"]
    us = (site / "public/en-us/index.html").read_text("utf-8")
    assert "9:00\u202fAM" in us and "Eastern Standard Time" in us
    assert re.findall(r'data-channel="(\w+)"', us) == ["email", "line"]
    assert "24 hours" in us


PHRASEBOOK = """\
indirect:
  en:
    "Buy now": "Explore the plans"
    "today": "when it suits you"
direct:
  en-US:
    "Explore the plans": "Buy now"
"""


def test_phrasebook_substitutes_per_tone_and_reports_it(
    site_factory: Callable[..., Path], run_cli: Callable[..., Result]
) -> None:
    site = site_factory(
        {
            "phrasebook.yaml": PHRASEBOOK,
            "content/index.en-US.md": page(
                "Home", "Buy now and save today.\n\n`Buy now` in code stays.\n", cta="Buy now"
            ),
        },
        config=CONFIG,
    )
    result = run_cli(site, "build", "--format", "json")
    assert result.exit_code == 0, result.output
    japanese = (site / "public/ja-jp/index.html").read_text("utf-8")
    assert "<p>Explore the plans and save when it suits you.</p>" in japanese
    assert "<code>Buy now</code>" in japanese
    assert "Buy now and save today." in (site / "public/en-us/index.html").read_text("utf-8")
    applied = [
        f for f in json.loads(result.output)["findings"] if f["rule"] == "phrasebook.applied"
    ]
    # ja-JP and pt-BR read the English text through indirect cultures; de-DE is direct.
    assert {(f["locale"], f["line"], f["message"]) for f in applied} == {
        (tag, line, message)
        for tag in ("ja-JP", "pt-BR")
        for line, message in [
            (6, "'Buy now' → 'Explore the plans' (indirect tone)"),
            (6, "'today' → 'when it suits you' (indirect tone)"),
            (3, "'Buy now' → 'Explore the plans' (indirect tone)"),
        ]
    }
    assert all(f["suggestion"].startswith("phrasebook.yaml line ") for f in applied)
    text = run_cli(site, "build").output
    assert "phrasebook: 6 substitutions" in text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("polite:\n  en:\n    a: b\n", "error: phrasebook.yaml:1: unknown tone 'polite'"),
        ('indirect:\n  en:\n    "Buy now: b\n', "error: phrasebook.yaml:3: invalid YAML"),
        ("indirect:\n  en: [a, b]\n", "error: phrasebook.yaml:2: 'en' must be a mapping"),
    ],
    ids=["unknown-tone", "bad-yaml", "not-a-mapping"],
)
def test_a_broken_phrasebook_is_a_located_error(
    site_factory: Callable[..., Path], run_cli: Callable[..., Result], text: str, expected: str
) -> None:
    site = site_factory(
        {"phrasebook.yaml": text, "content/index.en-US.md": page("Home")}, config=CONFIG
    )
    result = run_cli(site, "build")
    assert result.exit_code == 1
    assert result.output.startswith(expected), result.output


@pytest.mark.parametrize("value", ["0", "two", "true"])
def test_max_angles_must_be_a_positive_whole_number(
    site_factory: Callable[..., Path], run_cli: Callable[..., Result], value: str
) -> None:
    site = site_factory(
        {"content/index.en-US.md": page("Home", ANGLES, max_angles=value)}, config=CONFIG
    )
    result = run_cli(site, "build")
    assert result.exit_code == 1
    assert result.output.startswith("error: content/index.en-US.md:3: front matter 'max_angles'")


SVG = b"<svg xmlns='http://www.w3.org/2000/svg'/>"


def test_images_resolve_to_the_most_specific_variant(
    site_factory: Callable[..., Path], run_cli: Callable[..., Result]
) -> None:
    site = site_factory(
        {
            "content/index.en-US.md": page(
                "Home", "![Team](/images/hero.svg)", image="/images/hero.svg"
            ),
            "content/images/hero.svg": SVG,
            "content/images/hero.japan.svg": SVG,
            "content/images/hero.de-DE.svg": SVG,
            "content/images/hero.germany.svg": SVG,
            "content/images/hero.svg.yaml": "tags: [colour:blue]\n",
        },
        config=CONFIG,
    )
    assert run_cli(site, "build").exit_code == 0
    public = site / "public"
    for tag, name in [
        ("en-us", "hero.svg"),
        ("ja-jp", "hero.japan.svg"),
        ("de-de", "hero.de-DE.svg"),
    ]:
        html = (public / tag / "index.html").read_text("utf-8")
        assert f'src="/images/{name}"' in html, tag
    assert not (public / "images/hero.svg.yaml").exists()
    assert (public / "images/hero.japan.svg").is_file()


def test_tagged_images_that_hit_a_caution_are_reported(
    site_factory: Callable[..., Path], run_cli: Callable[..., Result]
) -> None:
    site = site_factory(
        {
            "content/index.en-US.md": page(
                "Home", "Text.", image="/images/hero.svg", image_tags="[colour:white]"
            ),
            "content/images/hero.svg": SVG,
            "content/images/hero.svg.yaml": "tags: [gesture:ok-sign]\n",
            "content/images/hero.japan.svg": SVG,
        },
        config=CONFIG,
    )
    result = run_cli(site, "check", "--format", "json")
    assert result.exit_code == 0
    cautions = [f for f in json.loads(result.output)["findings"] if f["rule"] == "culture.imagery"]
    # ja-JP shows the japan variant (no sidecar), but the page tags its image colour:white.
    assert [(f["locale"], f["line"]) for f in cautions] == [("ja-JP", 3), ("pt-BR", 3)]
    assert "gesture:ok-sign" in cautions[1]["message"] and cautions[1]["level"] == "warning"
    assert "colour:white" in cautions[0]["message"]
    assert "image_tags say colour:white" in cautions[0]["suggestion"]
    assert "content/images/hero.brazil.svg" in cautions[1]["suggestion"]
    assert run_cli(site, "check", "--strict").exit_code == 1
    # A warning-level rule is not run by the build, which publishes.
    assert run_cli(site, "build", "--strict").exit_code == 0


def test_a_missing_image_lists_the_variants_tried(
    site_factory: Callable[..., Path], run_cli: Callable[..., Result]
) -> None:
    site = site_factory(
        {"content/index.en-US.md": page("Home", "Text.\n\n![x](/images/none.png)")}, config=CONFIG
    )
    result = run_cli(site, "build")
    assert result.exit_code == 1
    assert (
        "content/index.en-US.md:7: image '/images/none.png' not found (looked for "
        "content/images/none.en-US.png, content/images/none.us.png, content/images/none.png)"
    ) in result.output


def test_template_shortcodes_see_the_page(
    site_factory: Callable[..., Path], run_cli: Callable[..., Result]
) -> None:
    config = CONFIG.replace('theme = "default"', "") + (
        'theme = "own"\n\n[locales."de-DE"]\ntimezone = "Europe/Berlin"\n\n[support]\n'
        'hours = "09:00-17:00"\n'
    )
    site = site_factory(
        {
            "themes/own/templates/home.html": "<p>{{ support_hours() }}</p>\n",
            "content/index.en-US.md": page("Home", date="2026-07-01"),
        },
        config=config.replace("[site]\n", "[site]\n", 1),
    )
    assert run_cli(site, "build").exit_code == 0
    german = (site / "public/de-de/index.html").read_text("utf-8")
    # The page's summer date converts New York's hours with both zones on summer time.
    assert "15:00\u2009–\u200923:00" in german and "Mitteleuropäische Sommerzeit" in german
