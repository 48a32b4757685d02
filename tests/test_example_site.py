"""The bundled example site: languages, directions, hreflang, sitemap and CLDR formatting."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from sitekit import web_pages

LOCALES = ["en-US", "en-GB", "de-DE", "sv-SE", "ja-JP", "zh-CN", "ar-SA", "pt-BR"]
ORIGIN = "https://acme.example"


class Head(HTMLParser):
    """Collects <html lang dir>, canonical, robots and hreflang links of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.lang = self.dir = self.canonical = self.robots = None
        self.alternates: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang, self.dir = a.get("lang"), a.get("dir")
        elif tag == "link" and a.get("rel") == "canonical":
            self.canonical = a["href"]
        elif tag == "link" and a.get("rel") == "alternate" and "hreflang" in a:
            assert a["hreflang"] not in self.alternates, "duplicate hreflang"
            self.alternates[a["hreflang"]] = a["href"]
        elif tag == "meta" and a.get("name") == "robots":
            self.robots = a["content"]


def head(path: Path) -> Head:
    parser = Head()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def url_to_file(public: Path, url: str) -> Path:
    path = unquote(urlsplit(url).path).lstrip("/")
    target = public / path
    return target / "index.html" if url.endswith("/") else target


def text(public: Path, rel: str) -> str:
    # Non-breaking and narrow spaces from CLDR compared as plain spaces.
    raw = (public / rel).read_text(encoding="utf-8")
    return raw.replace("\xa0", " ").replace("\u202f", " ")


def test_every_locale_is_built(example_output: Path) -> None:
    for tag in LOCALES:
        assert (example_output / tag.lower() / "index.html").is_file(), tag
        assert (example_output / tag.lower() / "404.html").is_file(), tag
    assert (example_output / "index.html").is_file()
    assert (example_output / "sitemap.xml").is_file()
    assert (example_output / "static/css/site.css").is_file()
    assert (example_output / "images/hero.svg").is_file()


def test_every_page_has_its_locales_lang_and_dir(example_output: Path) -> None:
    for path in web_pages(example_output):
        rel = path.relative_to(example_output)
        info = head(path)
        if len(rel.parts) == 1:  # root chooser and root 404 speak the default locale
            assert info.lang == "en-US", rel
            continue
        tag = next(t for t in LOCALES if t.lower() == rel.parts[0])
        assert info.lang == tag, rel
        assert info.dir == ("rtl" if tag == "ar-SA" else "ltr"), rel


def test_hreflang_sets_are_complete_and_reciprocal(example_output: Path) -> None:
    checked = 0
    for path in web_pages(example_output):
        info = head(path)
        if path.name == "404.html" or not info.alternates:
            continue
        if info.robots and "noindex" in info.robots:
            # A fallback-served page is not a translation: it points at the page it shows.
            target = head(url_to_file(example_output, info.canonical))
            assert target.alternates == info.alternates, path
            continue
        own_url = ORIGIN + "/" + path.parent.relative_to(example_output).as_posix() + "/"
        if path.parent == example_output:
            own_url = ORIGIN + "/"
        assert info.canonical == own_url
        assert "x-default" in info.alternates, path
        if path.parent != example_output:
            assert info.alternates[info.lang] == own_url, f"{path} does not list itself"
        for hreflang, href in info.alternates.items():
            other = url_to_file(example_output, href)
            assert other.is_file(), f"{path}: {hreflang} -> {href} does not exist"
            assert head(other).alternates == info.alternates, f"{path} vs {other}"
        checked += 1
    assert checked > 40


def test_translated_pages_list_every_translation(example_output: Path) -> None:
    home = head(example_output / "de-de/index.html")
    assert set(home.alternates) == {*LOCALES, "x-default"}
    assert home.alternates["x-default"] == ORIGIN + "/"
    pricing = head(example_output / "de-de/produkt/preise/index.html")
    assert set(pricing.alternates) == {*LOCALES, "x-default"}
    assert pricing.alternates["sv-SE"] == ORIGIN + "/sv-se/produkt/priser/"
    assert pricing.alternates["x-default"] == ORIGIN + "/en-us/product/pricing/"
    reset = head(example_output / "de-de/hilfe/passwort-zuruecksetzen/index.html")
    assert set(reset.alternates) == {"en-US", "de-DE", "ja-JP", "zh-CN", "x-default"}


def test_every_sitemap_url_exists(example_output: Path) -> None:
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    root = ET.parse(example_output / "sitemap.xml").getroot()
    urls = root.findall("s:url", ns)
    assert len(urls) > 40
    for url in urls:
        loc = url.find("s:loc", ns).text
        assert url_to_file(example_output, loc).is_file(), loc
        links = {link.get("hreflang"): link.get("href") for link in url.findall("x:link", ns)}
        assert "x-default" in links
        for href in links.values():
            assert url_to_file(example_output, href).is_file(), href


def test_ar_sa_is_right_to_left(example_output: Path) -> None:
    for path in (example_output / "ar-sa").rglob("*.html"):
        assert '<html lang="ar-SA" dir="rtl">' in path.read_text(encoding="utf-8"), path


@pytest.mark.parametrize(
    ("rel", "price", "date"),
    [
        ("en-us/product/pricing/index.html", "$1,290.00", "November 1, 2026"),
        ("en-gb/product/pricing/index.html", "£1,050.00", "1 November 2026"),
        ("de-de/produkt/preise/index.html", "1.234,50 €", "1. November 2026"),
        ("sv-se/produkt/priser/index.html", "13 500,00 kr", "1 november 2026"),
        ("ja-jp/product/pricing/index.html", "￥180,000", "2026年11月1日"),
        ("zh-cn/product/pricing/index.html", "¥8,800.00", "2026年11月1日"),
        ("ar-sa/product/pricing/index.html", "4,790.00 ر.س.", "1 نوفمبر 2026"),
        ("pt-br/produto/precos/index.html", "R$ 5.490,00", "1 de novembro de 2026"),
    ],
)
def test_pricing_follows_cldr(example_output: Path, rel: str, price: str, date: str) -> None:
    page = text(example_output, rel)
    assert price in page
    assert date in page


def test_language_switcher_links_the_same_page_with_native_names(example_output: Path) -> None:
    page = text(example_output, "ja-jp/product/pricing/index.html")
    assert re.search(r'href="/de-de/produkt/preise/"[^>]*>Deutsch \(Deutschland\)<', page)
    assert re.search(r'href="/ar-sa/product/pricing/"[^>]*>العربية', page)
    assert re.search(r'href="/sv-se/produkt/priser/"[^>]*>Svenska \(Sverige\)<', page)


def test_root_chooser_offers_every_locale_and_browser_redirect(example_output: Path) -> None:
    page = text(example_output, "index.html")
    for tag in LOCALES:
        assert f'href="/{tag.lower()}/"' in page
    assert "navigator.languages" in page


def test_example_translations_are_tracked_and_current(tmp_path: Path) -> None:
    from locgen.build import BuildRequest, build_site
    from sitekit import copy_example_site

    result = build_site(BuildRequest(root=copy_example_site(tmp_path / "site"), strict=True))
    rules = {f.rule for f in result.findings}
    # Only information: pages served by fallback, and the phrasebook's substitutions.
    assert rules == {"translation.fallback", "phrasebook.applied"}
    assert {f.level for f in result.findings} == {"info"}
    assert result.fallback_pages["de-DE"] == (
        "support/billing-and-invoices",
        "support/data-residency",
        "support/invite-your-team",
    )


# -- cultures: the same site reads differently in each market ----------------


def main_text(public: Path, rel: str) -> str:
    """The visible text of a page's <main>, tags removed and whitespace collapsed."""
    html = text(public, rel)
    main = html[html.index("<main") : html.index("</main>")]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def test_tone_variants_differ_between_us_and_japan(example_output: Path) -> None:
    us = main_text(example_output, "en-us/index.html")
    assert "Get up and running in ten minutes:" in us
    assert "Most teams find they are up and running" not in us
    japan = main_text(example_output, "ja-jp/index.html")
    assert "多くのお客様が、約 10 分でご利用を開始されています。" in japan
    assert "約 10 分で利用を開始できます。" not in japan
    # The inline form picks the hero button: direct for us, indirect for japan.
    assert ">Start your free trial<" in text(example_output, "en-us/index.html")
    assert ">プランと料金を見る<" in text(example_output, "ja-jp/index.html")


def test_angle_order_differs_between_us_and_japan(example_output: Path) -> None:
    def order(rel: str, headings: dict[str, str]) -> list[str]:
        body = main_text(example_output, rel)
        return sorted(headings, key=lambda angle: body.index(headings[angle]))

    us = order(
        "en-us/index.html",
        {
            "innovation": "Built for the way teams work next.",
            "stability": "Dependable, year after year.",
            "collective": "One shared space for the whole team.",
        },
    )
    japan = order(
        "ja-jp/index.html",
        {
            "innovation": "これからの働き方に合わせて。",
            "stability": "長く安心してお使いいただける基盤。",
            "collective": "チーム全員で、同じファイルを。",
        },
    )
    assert us == ["innovation", "stability", "collective"]
    assert japan == ["stability", "collective", "innovation"]


def test_address_forms_differ_between_us_and_uk(example_output: Path) -> None:
    us = main_text(example_output, "en-us/support/index.html")
    uk = main_text(example_output, "en-gb/support/index.html")
    assert "Hi there," in us and "Best regards," in us
    assert "Hello," in uk and "Kind regards," in uk
    assert "Hi there," not in uk and "Best regards," not in uk


def test_german_theme_strings_are_formal(example_output: Path) -> None:
    not_found = text(example_output, "de-de/404.html")
    assert "Oder besuchen Sie eine dieser Seiten:" in not_found
    assert " du " not in main_text(example_output, "de-de/404.html")
    swedish = main_text(example_output, "sv-se/404.html")  # sweden is informal: du
    assert " du " in swedish or "Du " in swedish


def test_japan_gets_its_own_hero_image(example_output: Path) -> None:
    assert 'src="/images/hero.japan.svg"' in text(example_output, "ja-jp/index.html")
    assert 'src="/images/hero.pt-BR.svg"' in text(example_output, "pt-br/index.html")
    assert 'src="/images/hero.svg"' in text(example_output, "en-us/index.html")
    assert not (example_output / "images/hero.svg.yaml").exists()


def test_palettes_reach_the_theme_as_css_properties(example_output: Path) -> None:
    def root_rule(rel: str) -> str:
        found = re.search(r"<style>(:root\{[^}]*\})</style>", text(example_output, rel))
        assert found, rel
        return found.group(1)

    assert "--culture-positive:#" in root_rule("zh-cn/index.html")
    assert root_rule("zh-cn/index.html") != root_rule("en-us/index.html")


def test_site_culture_override_shows_in_the_output_and_in_locgen_cultures(
    example_output: Path, run_cli
) -> None:
    import json

    from sitekit import REPO

    japan = main_text(example_output, "ja-jp/support/index.html")
    assert "2 時間以内" in japan  # [cultures.japan] response_hours = 2; the default is 4
    result = run_cli(REPO, "cultures", "ja-JP", "--format", "json")
    assert result.exit_code == 0, result.output
    [entry] = json.loads(result.output)["locales"]
    assert entry["culture"] == "japan"
    assert entry["settings"]["response_hours"]["value"] == 2
    assert entry["settings"]["response_hours"]["source"] == "site"
    assert entry["settings"]["response_hours"]["origin"].startswith("locgen.toml:")
    assert entry["settings"]["formality"] == {
        "value": "formal",
        "source": "bundled",
        "origin": "bundled:japan",
    }
