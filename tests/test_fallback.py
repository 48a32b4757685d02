"""Fallback chains: a locale without a translation shows another locale's text in its own form."""

from __future__ import annotations

from locgen.build import BuildRequest, build_site
from locgen.config import load_config
from locgen.locales import fallback_chain
from sitekit import page

CONFIG = """\
[site]
title = "Acme"
base_url = "https://acme.example/"
default_locale = "en-US"
locales = ["en-US", "en-GB", "de-DE", "de-AT", "ja-JP"]

[locales."ja-JP"]
fallback = ["en-GB"]
"""


def test_default_chain_is_same_language_then_default_locale(site_factory) -> None:
    config = load_config(site_factory({}, config=CONFIG))
    assert fallback_chain(config, "de-AT") == ("de-AT", "de-DE", "en-US")
    assert fallback_chain(config, "en-GB") == ("en-GB", "en-US")
    assert fallback_chain(config, "en-US") == ("en-US", "en-GB")
    assert fallback_chain(config, "ja-JP") == ("ja-JP", "en-GB")


def test_fallback_page_is_rendered_in_the_readers_locale(site_factory) -> None:
    site = site_factory(
        {
            "content/index.en-US.md": page("Home"),
            "content/index.de-DE.md": page("Startseite"),
            "content/index.en-GB.md": page("Home"),
            "content/index.de-AT.md": page("Startseite"),
            "content/index.ja-JP.md": page("ホーム"),
            "content/news/launch.en-US.md": page("Launch", "We launched.", date="2026-11-01"),
            "content/news/launch.de-DE.md": page("Start", "Wir sind gestartet.", date="2026-11-01"),
            "content/news/launch.en-GB.md": page("Launch", "We have launched.", date="2026-11-01"),
        },
        config=CONFIG,
    )
    result = build_site(BuildRequest(root=site))
    out = site / "public"

    austrian = (out / "de-at/news/launch/index.html").read_text(encoding="utf-8")
    assert '<html lang="de-AT" dir="ltr">' in austrian
    assert "Wir sind gestartet." in austrian
    assert 'lang="de-DE"' in austrian  # the borrowed text keeps its own language
    # Formatting follows the reader: the de-AT date, not the en-US one.
    assert "1. November 2026" in austrian

    japanese = (out / "ja-jp/news/launch/index.html").read_text(encoding="utf-8")
    assert '<html lang="ja-JP" dir="ltr">' in japanese
    assert "We have launched." in japanese  # the en-GB text, per the explicit chain
    assert "2026年11月1日" in japanese  # Japanese date format
    # A fallback page is not a translation: canonical points at the text's own page.
    assert '<link rel="canonical" href="https://acme.example/en-gb/news/launch/">' in japanese
    assert 'content="noindex,follow"' in japanese

    fallbacks = {
        (f.locale, f.path.name) for f in result.findings if f.rule == "translation.fallback"
    }
    assert fallbacks == {("de-AT", "launch.de-DE.md"), ("ja-JP", "launch.en-GB.md")}
    assert result.fallback_pages["ja-JP"] == ("news/launch",)


def test_page_missing_from_every_locale_in_the_chain_is_reported(site_factory) -> None:
    site = site_factory(
        {
            "content/index.en-US.md": page("Home"),
            "content/jp-only.ja-JP.md": page("日本だけ"),
        },
        config=CONFIG,
    )
    result = build_site(BuildRequest(root=site))
    missing = sorted(
        f.locale
        for f in result.findings
        if f.rule == "translation.missing" and f.path.name == "jp-only.ja-JP.md"
    )
    assert missing == ["de-AT", "de-DE", "en-GB", "en-US"]
    assert (site / "public/ja-jp/jp-only/index.html").is_file()
    assert not (site / "public/en-us/jp-only").exists()


def test_link_to_a_fallback_page_points_into_the_readers_locale(site_factory) -> None:
    site = site_factory(
        {
            "content/index.en-US.md": page("Home", "[Launch](news/launch.md)"),
            "content/index.de-DE.md": page("Startseite", "[Start](/news/launch.md#details)"),
            "content/news/launch.en-US.md": page("Launch"),
        },
        config=CONFIG.replace('"en-GB", "de-DE", "de-AT", "ja-JP"', '"de-DE"').replace(
            '[locales."ja-JP"]\nfallback = ["en-GB"]\n', ""
        ),
    )
    build_site(BuildRequest(root=site))
    german = (site / "public/de-de/index.html").read_text(encoding="utf-8")
    assert 'href="/de-de/news/launch/#details"' in german
    english = (site / "public/en-us/index.html").read_text(encoding="utf-8")
    assert 'href="/en-us/news/launch/"' in english
