"""Text from translators and front matter cannot run scripts in the built site.

Theme strings from PO catalogs and front-matter values are escaped wherever a
template shows them; with ``unsafe_html = false`` Markdown loses its raw HTML,
event handlers and script URLs. Every output is read back with an HTML parser.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import lxml.html
import pytest
from click.testing import Result
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml.etree import _Element

from conftest import DEFAULT_CONFIG, SiteFactory
from locgen.build import BuildRequest, build_site
from locgen.culture_markup import CultureMarkupExtension
from locgen.findings import Finding
from locgen.markup import MarkdownRenderer, remove_unsafe_attributes
from locgen.shortcodes import ShortcodeExtension

CONFIG = (
    DEFAULT_CONFIG
    + """\
{site_extra}

[params]
support_email = "help@test.example"

[email]
merge_fields = ["subscriber"]
unsubscribe_url = "https://test.example/u?id={{subscriber}}"
{extra}
"""
)

HOSTILE_PO = r"""
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"

msgid "Skip to content"
msgstr "<script>alert('skip')</script>"

msgid "Choose your language"
msgstr "\"><img src=x onerror=alert('switcher')>"

msgctxt "nav"
msgid "Main"
msgstr "\" onfocus=\"alert('nav')"

msgid "%(num)s article"
msgid_plural "%(num)s articles"
msgstr[0] "%(num)s <img src=x onerror=alert('one')>"
msgstr[1] "%(num)s <img src=x onerror=alert('many')>"
"""
"""Hostile German theme strings; :data:`FORMAL_PO` adds those the theme looks up in the
culture's formality context (German readers are addressed formally)."""

FORMAL_PO = r"""
msgctxt "formal"
msgid "This page is not yet available in your language, so it is shown in %(language)s."
msgstr "<script>alert('fallback')</script> %(language)s"

msgctxt "formal"
msgid "Still need help?"
msgstr "</h2><script>alert('help')</script>"

msgctxt "formal"
msgid "Our support team is happy to help. Email us at %(email)s."
msgstr "<a href=\"javascript:alert('mail')\">Hilfe</a> %(email)s"

msgctxt "formal"
msgid "You are receiving this email because you signed up for %(site)s."
msgstr "<script>alert('email')</script> %(site)s"

msgctxt "formal"
msgid "Unsubscribe from these emails"
msgstr "\"><img src=x onerror=alert('unsubscribe')>"
"""

HOSTILE_TITLE = "</title><script>alert('title')</script>"
HOSTILE_DESCRIPTION = '" onmouseover="alert(\'description\')" x="\'><script>alert(1)</script>'
HOSTILE_SUBJECT = "</title><script>alert('subject')</script>"
HOSTILE_PREHEADER = "\"><img src=x onerror=alert('preheader')>"


def yaml_text(value: str) -> str:
    """*value* as a double-quoted YAML scalar."""
    return json.dumps(value)


def hostile_site(site_factory: SiteFactory, site_extra: str = "") -> Path:
    """English pages and an email with hostile front matter, and a hostile German catalog.

    Nothing is translated into German, so every German page and email shows the
    English text with the German theme strings (and the fallback notice).
    """
    return site_factory(
        {
            "locales/de_DE/LC_MESSAGES/messages.po": HOSTILE_PO + FORMAL_PO,
            "content/index.en-US.md": f"""\
                ---
                title: {yaml_text(HOSTILE_TITLE)}
                description: {yaml_text(HOSTILE_DESCRIPTION)}
                hero:
                  title: "<script>alert('hero')</script>"
                  text: "<img src=x onerror=alert('hero-text')>"
                  cta_label: "</a><script>alert('cta')</script>"
                  cta_link: "/guides/index.md"
                features:
                  - title: "<svg onload=alert('feature')>"
                    text: "<iframe src=javascript:alert('feature-text')>"
                ---

                Welcome.
                """,
            "content/guides/index.en-US.md": f"""\
                ---
                title: {yaml_text(HOSTILE_TITLE)}
                description: {yaml_text(HOSTILE_DESCRIPTION)}
                ---
                """,
            "content/guides/intro.en-US.md": f"""\
                ---
                title: {yaml_text(HOSTILE_TITLE)}
                description: {yaml_text(HOSTILE_DESCRIPTION)}
                tags: ["<script>alert('tag')</script>"]
                date: 2025-03-04
                ---

                Text.
                """,
            "content/emails/welcome.en-US.md": f"""\
                ---
                subject: {yaml_text(HOSTILE_SUBJECT)}
                preheader: {yaml_text(HOSTILE_PREHEADER)}
                from_name: "<script>alert('from')</script>"
                ---

                Hello.
                """,
        },
        config=CONFIG.format(site_extra=site_extra, extra=""),
    )


def parse(path: Path) -> _Element:
    """The document in the HTML file at *path*."""
    return lxml.html.document_fromstring(path.read_text("utf-8"))


def browser_scheme(url: str) -> str:
    """The scheme a browser reads from a decoded attribute value (URL standard)."""
    cleaned = re.sub(r"[\t\n\r]", "", url.strip("".join(map(chr, range(0x21)))))
    match = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", cleaned)
    return match.group(1).lower() if match else ""


URL_ATTRIBUTES = ("href", "src", "srcset", "action", "formaction", "xlink:href", "poster")


def script_hazards(root: _Element, allowed_scripts: int = 0) -> list[str]:
    """What in *root* could run a script: script elements beyond *allowed_scripts* inline
    ones of the theme, event-handler attributes, and ``javascript:``/``vbscript:`` URLs."""
    found = []
    scripts = list(root.iter("script"))
    if len(scripts) > allowed_scripts or any("alert" in (s.text or "") for s in scripts):
        found.extend(f"<script>{s.text}</script>" for s in scripts)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # comments
        for name, value in element.attrib.items():
            if name.lower().startswith("on"):
                found.append(f"<{element.tag} {name}={value!r}>")
            scheme = browser_scheme(value) if name.lower() in URL_ATTRIBUTES else ""
            if scheme in ("javascript", "vbscript"):
                found.append(f"<{element.tag} {name}={value!r}>")
    return found


def html_files(public: Path) -> Iterator[Path]:
    return iter(sorted(public.rglob("*.html")))


# -- theme strings and front matter ------------------------------------------------


def test_hostile_catalog_and_front_matter_cannot_run_scripts(site_factory: SiteFactory) -> None:
    site = hostile_site(site_factory)
    build_site(BuildRequest(root=site))
    public = site / "public"
    files = list(html_files(public))
    assert len(files) > 6
    for path in files:
        # The root language chooser has the theme's own redirect script.
        allowed = 1 if path == public / "index.html" else 0
        assert script_hazards(parse(path), allowed) == [], path


def test_hostile_theme_strings_are_shown_as_written(site_factory: SiteFactory) -> None:
    site = hostile_site(site_factory)
    build_site(BuildRequest(root=site))
    page = parse(site / "public/de-de/guides/intro/index.html")

    skip = page.xpath("//a[@class='skip-link']")[0]
    assert skip.text_content() == "<script>alert('skip')</script>"
    switcher = page.xpath("//nav[@class='lang-switcher']")[0]
    assert switcher.get("aria-label") == "\"><img src=x onerror=alert('switcher')>"
    navigation = page.xpath("//nav[@class='site-nav']")
    if navigation:  # attribute context: the quote stays inside the value
        assert navigation[0].get("aria-label") == "\" onfocus=\"alert('nav')"
    notice = page.xpath("//p[@class='notice']")[0]
    assert notice.text_content().startswith("<script>alert('fallback')</script> ")
    # The language name comes in as markup through %(language)s and stays an element.
    assert notice.xpath("./bdi[@lang='en-US']")
    help_box = page.xpath("//aside[@class='help-box']")[0]
    assert help_box.xpath("./h2")[0].text_content() == "</h2><script>alert('help')</script>"
    paragraph = help_box.xpath("./p")[0]
    assert paragraph.text_content().startswith("<a href=\"javascript:alert('mail')\">Hilfe</a>")
    assert [a.get("href") for a in paragraph.iter("a")] == ["mailto:help@test.example"]

    section = parse(site / "public/de-de/guides/index.html")
    count = section.xpath("//p[@class='list-count']")[0]
    assert count.text_content() == "1 <img src=x onerror=alert('one')>"


def test_hostile_front_matter_is_shown_as_written(site_factory: SiteFactory) -> None:
    site = hostile_site(site_factory)
    build_site(BuildRequest(root=site))
    page = parse(site / "public/en-us/guides/intro/index.html")

    assert page.findtext(".//title") == f"{HOSTILE_TITLE} | Test Site"
    assert page.xpath("//meta[@name='description']/@content") == [HOSTILE_DESCRIPTION]
    assert page.xpath("//meta[@property='og:title']/@content") == [HOSTILE_TITLE]
    assert page.xpath("//meta[@property='og:description']/@content") == [HOSTILE_DESCRIPTION]
    assert page.xpath("//h1")[0].text_content() == HOSTILE_TITLE
    assert page.xpath("//li[@class='tag']")[0].text_content() == "<script>alert('tag')</script>"

    home = parse(site / "public/en-us/index.html")
    assert home.xpath("//section[@class='hero']//h1")[0].text_content() == (
        "<script>alert('hero')</script>"
    )
    cta = home.xpath("//p[@class='hero-actions']/a")[0]
    assert cta.text_content() == "</a><script>alert('cta')</script>"
    feature = home.xpath("//li[@class='feature']")[0]
    assert feature.xpath("./h3")[0].text_content() == "<svg onload=alert('feature')>"


def test_hostile_email_fields_and_theme_strings_stay_text(site_factory: SiteFactory) -> None:
    site = hostile_site(site_factory)
    build_site(BuildRequest(root=site))
    emails = site / "public/emails"
    for locale in ("en-us", "de-de"):
        email = parse(emails / locale / "welcome.html")
        assert script_hazards(email) == [], locale
        assert email.findtext(".//title") == HOSTILE_SUBJECT
        preheader = email.xpath("//div[@class='preheader']")[0].text_content()
        assert preheader.startswith(HOSTILE_PREHEADER)
        assert email.xpath("//div[@role='article']/@aria-label") == [HOSTILE_SUBJECT]
        sign_off = email.xpath("//p[@class='sign-off']")[0].text_content()
        assert sign_off.endswith("<script>alert('from')</script>")

    german = parse(emails / "de-de/welcome.html")
    footer = german.xpath("//td[@class='footer']")[0].text_content()
    assert "<script>alert('email')</script> Test Site" in footer
    assert "\"><img src=x onerror=alert('unsubscribe')>" in footer
    # The plain-text part shows the same words, as text.
    text = (emails / "de-de/welcome.txt").read_text("utf-8")
    assert "<script>alert('email')</script> Test Site" in text
    manifest = json.loads((emails / "manifest.json").read_text("utf-8"))
    subjects = {entry["subject"] for entry in manifest["emails"]}
    assert subjects == {HOSTILE_SUBJECT}


# -- Markdown: raw HTML allowed (the default) ---------------------------------------

RAW_HTML_PAGE = """\
---
title: Raw
---

<div class="widget"><script>window.trusted = 1;</script></div>

Text with <b class="raw">bold</b> and [a link](javascript:void(0)).
"""


def test_raw_html_is_kept_by_default(site_factory: SiteFactory) -> None:
    site = site_factory(
        {"content/raw.en-US.md": RAW_HTML_PAGE}, config=CONFIG.format(site_extra="", extra="")
    )
    result = build_site(BuildRequest(root=site))
    page = parse(site / "public/en-us/raw/index.html")
    assert [s.text for s in page.iter("script")] == ["window.trusted = 1;"]
    assert page.xpath("//b[@class='raw']")
    assert page.xpath("//div[@class='prose']//a/@href") == ["javascript:void(0)"]
    assert not [f for f in result.findings if f.rule == "content.unsafe-html"]


# -- Markdown: unsafe_html = false -------------------------------------------------

HOSTILE_MARKDOWN = """\
---
title: Hostile
---

<script>alert('raw-block')</script>

<div onclick="alert('div')">block</div>

Inline <img src=x onerror="alert('img')"> and <a href="javascript:alert('a')">a tag</a>.

<!-- a comment -->

[plain](javascript:alert(1)) [cased](JaVaScRiPt:alert(2)) [spaced]( javascript:alert(3))
[vb](vbscript:msgbox(1)) [data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)

[decimal](&#106;avascript:alert(4)) [hex](&#x6A;avascript&#x3A;alert(5))
[named](javascript&colon;alert(6)) [tabbed](java&#9;script:alert(7))
[newline](java&NewLine;script:alert(8)) [padded](&#0000106;avascript:alert(9))

![image](JaVaScRiPt:alert(10)) ![svg](data:image/svg+xml;base64,PHN2Zz4=)
![pixel](data:image/png;base64,iVBORw0KGgo=)

[reference][evil] and ![reference image][evil]

[evil]: javascript:alert(11)

Autolinks: <javascript:alert(12)> <javascript://%0aalert(13)> <https://ok.example/>

Attributes
{: onmouseover="alert(14)" }

[attr](https://ok.example/){: onclick="alert(15)" href="javascript:alert(16)" }

{{< button "Button" url="javascript:alert(17)" >}}

::: tone direct
[direct](JAVASCRIPT:alert(18))
:::
::: tone indirect
[indirect](JAVASCRIPT:alert(19))
:::

Inline: [[tone direct: [buy](javascript:alert(20)) | indirect: [look](javascript:alert(21))]]

[fine](https://ok.example/page) and [relative](#top) and [mail](mailto:a@ok.example)
"""


@pytest.fixture
def safe_build(site_factory: SiteFactory) -> tuple[Path, list[Finding]]:
    """A site with ``unsafe_html = false`` and one hostile page; output and its warnings."""
    site = site_factory(
        {"content/hostile.en-US.md": HOSTILE_MARKDOWN},
        config=CONFIG.format(site_extra="unsafe_html = false", extra=""),
    )
    result = build_site(BuildRequest(root=site))
    return site / "public", [f for f in result.findings if f.rule == "content.unsafe-html"]


@pytest.mark.parametrize("locale", ["en-us", "de-de"])
def test_hostile_markdown_cannot_run_scripts(
    safe_build: tuple[Path, list[Finding]], locale: str
) -> None:
    public, _ = safe_build
    html = (public / locale / "hostile/index.html").read_text("utf-8")
    page = lxml.html.document_fromstring(html)
    assert script_hazards(page) == []
    assert "<script" not in html.lower()
    prose = page.xpath("//div[@class='prose']")[0]
    hrefs = [a.get("href") for a in prose.iter("a") if a.get("href") is not None]
    assert hrefs == [
        "https://ok.example/",
        "https://ok.example/page",
        "#top",
        "mailto:a@ok.example",
    ]
    # data: URLs went too, except the raster picture.
    assert [img.get("src") for img in prose.iter("img") if img.get("src")] == [
        "data:image/png;base64,iVBORw0KGgo="
    ]
    # Link texts and alt texts stay, without their URLs.
    texts = [a.text_content() for a in prose.iter("a")]
    for text in ("plain", "cased", "decimal", "hex", "named", "reference", "Button", "direct"):
        assert text in texts


def test_raw_html_is_left_out_and_reported(safe_build: tuple[Path, list[Finding]]) -> None:
    public, findings = safe_build
    html = (public / "en-us/hostile/index.html").read_text(encoding="utf-8")
    prose = parse(public / "en-us/hostile/index.html").xpath("//div[@class='prose']")[0]
    text = prose.text_content()
    for raw in ("raw-block", "alert('div')", "alert('img')", "a comment", "alert(12)"):
        assert raw not in text and raw not in html
    assert not prose.xpath(".//script | .//img[@onerror] | .//div[@onclick]")
    reported = {f.message for f in findings if f.locale == "en-US"}
    assert any("raw HTML <script>alert('raw-block')</script>" in m for m in reported)
    assert any("raw HTML <!-- a comment -->" in m for m in reported)


def test_each_removal_is_reported(safe_build: tuple[Path, list[Finding]]) -> None:
    _, findings = safe_build
    messages = [f.message for f in findings if f.locale == "en-US"]
    joined = "\n".join(messages)
    for removed in (
        'href="javascript:alert(1)"',
        'href="javascript:alert(4)"',  # &#106; decoded, as a browser decodes it
        'src="JaVaScRiPt:alert(10)"',
        'href="javascript:alert(11)"',
        'onmouseover="alert(14)"',
        'onclick="alert(15)"',
        'href="javascript:alert(17)"',
    ):
        assert removed in joined
    assert all("unsafe_html = false" in message for message in messages)
    # Each is reported where it is written, in the English page and its German fallback.
    lines = HOSTILE_MARKDOWN.splitlines()
    decimal = next(i for i, line in enumerate(lines, start=1) if "[decimal]" in line)
    where = {(f.path.name, f.line, f.locale) for f in findings if "alert(4)" in f.message}
    assert where == {("hostile.en-US.md", decimal, "en-US"), ("hostile.en-US.md", decimal, "de-DE")}


def test_unsafe_html_per_locale_follows_the_language_of_the_text(
    site_factory: SiteFactory,
) -> None:
    raw = "---\ntitle: {title}\n---\n\nSee <b class='raw'>this</b> [here](javascript:go()).\n"
    site = site_factory(
        {
            "content/translated.en-US.md": raw.format(title="Translated"),
            "content/translated.de-DE.md": raw.format(title="Übersetzt"),
            "content/english.en-US.md": raw.format(title="English only"),
        },
        config=CONFIG.format(site_extra="", extra='[locales."de-DE"]\nunsafe_html = false\n'),
    )
    result = build_site(BuildRequest(root=site))
    public = site / "public"

    def raw_kept(rel: str) -> bool:
        page = parse(public / rel)
        return bool(page.xpath("//b[@class='raw']")) and bool(
            page.xpath("//a[@href='javascript:go()']")
        )

    assert raw_kept("en-us/translated/index.html")
    assert not raw_kept("de-de/translated/index.html")
    german = (public / "de-de/translated/index.html").read_text(encoding="utf-8")
    assert "class='raw'" not in german and 'class="raw"' not in german  # left out
    # German readers of the English-only page get the English text as its authors wrote it.
    assert raw_kept("de-de/english/index.html")
    reported = {(f.path.name, f.locale) for f in result.findings if f.rule == "content.unsafe-html"}
    assert reported == {("translated.de-DE.md", "de-DE")}


@pytest.mark.parametrize(
    ("site_extra", "expected"), [("", "java\tscript:go()"), ("unsafe_html = false", "#")]
)
def test_front_matter_links_follow_unsafe_html(
    site_factory: SiteFactory, site_extra: str, expected: str
) -> None:
    home = """\
        ---
        title: Home
        hero:
          title: Welcome
          cta_label: Start
          cta_link: "java\\tscript:go()"
        ---
        """
    site = site_factory(
        {"content/index.en-US.md": home},
        config=CONFIG.format(site_extra=site_extra, extra=""),
    )
    build_site(BuildRequest(root=site))
    page = parse(site / "public/en-us/index.html")
    assert page.xpath("//p[@class='hero-actions']/a/@href") == [expected]


def test_unsafe_html_must_be_true_or_false(
    site_factory: SiteFactory, run_cli: Callable[..., Result]
) -> None:
    site = site_factory(config=CONFIG.format(site_extra='unsafe_html = "no"', extra=""))
    result = run_cli(site, "build")
    assert result.exit_code == 1
    assert "locgen.toml:6: unsafe_html must be true or false, not 'no'" in result.stderr
    assert "Traceback" not in result.output


# -- the Markdown pipeline itself ----------------------------------------------------

FRAGMENTS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "<svg/onload=alert(1)>",
    "<iframe src=javascript:alert(1)>",
    "<!-- <script>alert(1)</script> -->",
    "<div>",
    "</div>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](java\tscript:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6a;avascript&colon;alert(1))",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html,<script>alert(1)</script>)",
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml,<svg onload=alert(1)>)",
    "[x][r]",
    "[r]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "<javascript://%0aalert(1)>",
    '{: onclick="alert(1)" }',
    '{: href="javascript:alert(1)" }',
    "`<script>`",
    "```\n<script>alert(1)</script>\n```",
    "&lt;script&gt;",
    "*",
    "_",
    "#",
    "> ",
    "- ",
    "1. ",
    "| a | b |\n|---|---|\n| <script> | c |",
    "text",
    "[^1]",
    "[^1]: <img src=x onerror=alert(1)>",
    "\\",
    '"',
    "'",
    "&",
]

SEPARATORS = ["", " ", "\n", "\n\n", "    "]


@st.composite
def hostile_markdown(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=10))
    text = ""
    for part in parts:
        text += draw(st.sampled_from(SEPARATORS)) + part
    return text


FAST = MarkdownRenderer([CultureMarkupExtension(), ShortcodeExtension()])
STOCK = MarkdownRenderer([CultureMarkupExtension(), ShortcodeExtension()], fast=False)


@settings(max_examples=300, deadline=None)
@given(hostile_markdown())
def test_safe_markdown_never_yields_a_script(text: str) -> None:
    rendered = FAST.render(text, raw_html=False)
    # The faster pipeline gives the stock pipeline's HTML with the safe extension too.
    assert rendered == STOCK.render(text, raw_html=False)
    assert "<script" not in rendered.html.lower()
    if rendered.html.strip():
        root = lxml.html.fragment_fromstring(rendered.html, create_parent="div")
        assert script_hazards(root) == []
    # Nothing is left to take out of what the safe pipeline made.
    assert remove_unsafe_attributes(rendered.html) == (rendered.html, [])


def test_safe_html_leaves_a_page_without_hazards_byte_for_byte() -> None:
    text = (
        "# Title {: #top .lead }\n\nSome *text* with [a link](https://ok.example/?a=1&b=2 "
        '"Title & more") and ![a picture](/images/a.png).\n\n'
        "| a | b |\n|---|---|\n| 1 | 2 |\n\nNote[^1].\n\n[^1]: The note.\n\n"
        "```python\nprint('<b>')\n```\n"
    )
    for renderer in (FAST, STOCK):
        safe = renderer.render(text, raw_html=False)
        assert safe == renderer.render(text)
        assert safe.removed == ()
