"""The bundled example site: languages, directions, hreflang, sitemap and CLDR formatting."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

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


def pages(public: Path) -> list[Path]:
    return sorted(p for p in public.rglob("*.html"))


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
    for path in pages(example_output):
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
    for path in pages(example_output):
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
    assert rules == {"translation.fallback"}
    assert result.fallback_pages["de-DE"] == (
        "support/billing-and-invoices",
        "support/data-residency",
        "support/invite-your-team",
    )
