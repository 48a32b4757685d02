"""Markdown to HTML: one factory for the Python-Markdown instance every page uses.

Later features (culture blocks, shortcodes) add their extensions through
:func:`create_markdown`'s ``extensions`` argument rather than building their
own instance, so that every page goes through one configured pipeline.

Text from outside the site's own authors (``unsafe_html = false`` in
``locgen.toml``) goes through the same pipeline plus :class:`SafeHtmlExtension`:
its raw HTML is left out, and script URLs and event-handler attributes
are taken out of the HTML the page ends up with.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import markdown
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markdown.inlinepatterns import HTML_RE, HtmlInlineProcessor
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import HtmlBlockPreprocessor
from markdown.treeprocessors import Treeprocessor
from markupsafe import escape

from locgen.fast_markdown import FAST_EXTENSIONS, FastCoreExtension

# (attribute value, element tag) -> replacement URL, or None to leave it alone.
UrlResolver = Callable[[str, str], str | None]

BASE_EXTENSIONS: tuple[str, ...] = (
    "markdown.extensions.tables",
    "markdown.extensions.attr_list",
    "markdown.extensions.footnotes",
    "markdown.extensions.fenced_code",
    "markdown.extensions.toc",
)
EXTENSION_CONFIGS: dict[str, dict[str, Any]] = {
    "markdown.extensions.toc": {"slugify": slugify_unicode, "toc_depth": "2-3"},
    "markdown.extensions.footnotes": {"BACKLINK_TITLE": "%d"},
}
"""Configuration of the base extensions, by name."""


@dataclass(frozen=True)
class RemovedAttribute:
    """An attribute :class:`SafeHtmlExtension` took out of a page body."""

    name: str
    """Attribute name, lowercase (``href``, ``onerror``)."""
    value: str | None
    """Its value as the browser would have read it (references decoded); ``None`` when bare."""

    def __str__(self) -> str:
        return self.name if self.value is None else f'{self.name}="{self.value}"'


@dataclass(frozen=True)
class RemovedHtml:
    """Raw HTML (a block, a tag or a comment) :class:`SafeHtmlExtension` left out."""

    text: str
    """The HTML as written."""

    def first_line(self) -> str:
        """Its first line that holds anything, to find it in the source."""
        return next((line.strip() for line in self.text.splitlines() if line.strip()), "")

    def __str__(self) -> str:
        shown = self.first_line()
        return "raw HTML " + (shown if len(shown) <= 60 else shown[:57] + "…")


@dataclass(frozen=True)
class RenderedMarkdown:
    """HTML of one page body and its table of contents."""

    html: str
    """Body HTML."""
    toc: str
    """Nested ``<ul>`` of the headings, or ``""`` when the body has none."""
    removed: tuple[RemovedAttribute | RemovedHtml, ...] = ()
    """What :class:`SafeHtmlExtension` took out of the body (``onerror="…"``,
    ``href="javascript:…"``), in order; empty when raw HTML is allowed."""


# Safe HTML -------------------------------------------------------------------------------

SCRIPT_SCHEMES = frozenset({"javascript", "vbscript", "data"})
"""URL schemes that run code or carry a whole document; links and images lose them."""
URL_ATTRIBUTES = frozenset(
    {
        "action",
        "background",
        "cite",
        "codebase",
        "data",
        "dynsrc",
        "formaction",
        "href",
        "longdesc",
        "lowsrc",
        "ping",
        "poster",
        "src",
        "srcset",
        "xlink:href",
    }
)
"""Attributes whose value a browser loads or follows as a URL."""
IMAGE_ATTRIBUTES = frozenset({"src", "srcset"})
"""Attributes where a raster ``data:image/…`` URL stays (an inline picture)."""
_RASTER_DATA = re.compile(r"data:image/(?:png|gif|jpeg|jpg|webp|avif|bmp)[;,]", re.IGNORECASE)
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_C0_AND_SPACE = "".join(map(chr, range(0x21)))
_TAB_OR_NEWLINE = re.compile("[\t\n\r]")


def url_scheme(url: str) -> str:
    """The scheme a browser reads from the attribute value *url* (entities already decoded).

    Lowercase; ``""`` when *url* has no scheme (a relative URL). See
    :func:`_as_parsed`: ``java``, a tab, then ``script:alert(1)`` is a
    ``javascript`` URL.
    """
    match = _SCHEME.match(_as_parsed(url))
    return match.group(1).lower() if match else ""


def _as_parsed(url: str) -> str:
    """*url* as the URL standard's parser reads it: leading and trailing control
    characters and spaces dropped, tabs and newlines removed anywhere."""
    return _TAB_OR_NEWLINE.sub("", url.strip(_C0_AND_SPACE))


def is_script_url(url: str, attribute: str = "href") -> bool:
    """True when *url*, the decoded value of *attribute*, would run code or load a document.

    ``javascript:``, ``vbscript:`` and ``data:`` URLs, except raster
    ``data:image/…`` pictures in ``src`` and ``srcset``. A ``srcset`` is
    judged by each of its candidate URLs.
    """
    candidates = re.split(r"[\s,]+", url) if attribute == "srcset" else [url]
    for candidate in candidates:
        scheme = url_scheme(candidate)
        if scheme not in SCRIPT_SCHEMES:
            continue
        if attribute in IMAGE_ATTRIBUTES and _RASTER_DATA.match(_as_parsed(candidate)):
            continue
        return True
    return False


def is_unsafe_attribute(name: str, value: str | None) -> bool:
    """True for an event handler (``onclick``) or a URL attribute holding a script URL."""
    if name.startswith("on"):
        return True
    return name in URL_ATTRIBUTES and value is not None and is_script_url(value, name)


class _StartTagCleaner(HTMLParser):
    """Finds start tags with unsafe attributes and writes them again without those."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self._text = text
        self._line_starts = [0, *(match.end() for match in re.finditer("\n", text))]
        self.edits: list[tuple[int, int, str]] = []
        """``(start, end, replacement)`` of each start tag to rewrite, in text order."""
        self.removed: list[RemovedAttribute] = []
        """Each attribute taken out."""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._clean(tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._clean(tag, attrs)

    def _clean(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        kept = [(name, value) for name, value in attrs if not is_unsafe_attribute(name, value)]
        if len(kept) == len(attrs):
            return
        raw = self.get_starttag_text() or ""
        line, column = self.getpos()
        start = self._line_starts[line - 1] + column
        # The parser stands at the start of the tag while it reports it.
        assert self._text.startswith(raw, start), "start tag not found where it was parsed"
        for name, value in attrs:
            if (name, value) not in kept:
                self.removed.append(RemovedAttribute(name, value))
        written = "".join(
            f" {name}" if value is None else f' {name}="{escape(value)}"' for name, value in kept
        )
        ending = " />" if raw.endswith("/>") else ">"
        self.edits.append((start, start + len(raw), f"<{tag}{written}{ending}"))


def remove_unsafe_attributes(text: str) -> tuple[str, list[RemovedAttribute]]:
    """*text* (HTML) without event-handler attributes and script URLs, and what went.

    Each start tag is read as a browser reads it (attribute values with their
    character references decoded, so ``&#106;avascript:`` is a ``javascript:``
    URL). A tag that keeps all its attributes is left exactly as written; one
    that loses some is written again with the others.
    """
    cleaner = _StartTagCleaner(text)
    cleaner.feed(text)
    cleaner.close()
    if not cleaner.edits:
        return text, []
    parts: list[str] = []
    last = 0
    for start, end, replacement in cleaner.edits:
        parts.append(text[last:start])
        parts.append(replacement)
        last = end
    parts.append(text[last:])
    return "".join(parts), cleaner.removed


class _UnsafeAttributeRemover(Postprocessor):
    """Takes event handlers and script URLs out of the finished body HTML."""

    def __init__(self, md: markdown.Markdown, extension: SafeHtmlExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, text: str) -> str:
        cleaned, removed = remove_unsafe_attributes(text)
        self.extension.removed.extend(removed)
        return cleaned


class _DroppedHtmlBlocks(HtmlBlockPreprocessor):
    """Raw HTML blocks, found as Python-Markdown finds them, and left out."""

    def __init__(self, md: markdown.Markdown, extension: SafeHtmlExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        stash = self.md.htmlStash
        first = len(stash.rawHtmlBlocks)
        lines = super().run(lines)
        found = range(first, len(stash.rawHtmlBlocks))
        self.extension.removed.extend(RemovedHtml(str(stash.rawHtmlBlocks[i])) for i in found)
        dropped = {stash.get_placeholder(i) for i in found}
        for i in found:
            stash.rawHtmlBlocks[i] = ""
        return [line for line in lines if line.strip() not in dropped]


class _DroppedInlineHtml(HtmlInlineProcessor):
    """Raw inline HTML (tags and comments), found as Python-Markdown finds it, and left out."""

    def __init__(self, pattern: str, md: markdown.Markdown, extension: SafeHtmlExtension) -> None:
        super().__init__(pattern, md)
        self.extension = extension

    def handleMatch(  # type: ignore[override]
        self, m: re.Match[str], data: str
    ) -> tuple[str, int, int]:
        self.extension.removed.append(RemovedHtml(m.group(0)))
        return "", m.start(0), m.end(0)


class SafeHtmlExtension(Extension):
    """Markdown for text from outside the site's authors: no raw HTML, no script URLs.

    - Raw HTML, block and inline (comments too), is left out: it is found as
      Python-Markdown finds it (the ``html_block`` preprocessor and the
      ``html`` inline pattern), and dropped instead of kept. HTML in code
      spans and blocks is text, as always; character references (``&amp;``,
      ``&#169;``) still work.
    - A last postprocessor, after the stashed HTML of code blocks and
      shortcodes is back in place, removes event-handler attributes
      (``{: onclick="…"}``) and ``javascript:``, ``vbscript:`` and ``data:``
      URLs (raster ``data:image/…`` pictures excepted) from every tag, however
      the URL is spelled (``JaVaScRiPt:``, ``java&#09;script:``,
      ``&#106;avascript:``). The link text or image ``alt`` stays.
    """

    def __init__(self) -> None:
        super().__init__()
        self.removed: list[RemovedAttribute | RemovedHtml] = []
        """What the current page lost; the renderer empties it before each page."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        """Put raw-HTML processors that drop what they find in place of the ones that
        keep it (at their priorities), and register the attribute remover."""
        md.preprocessors.register(_DroppedHtmlBlocks(md, self), "html_block", 20)
        md.inlinePatterns.register(_DroppedInlineHtml(HTML_RE, md, self), "html", 90)
        # After raw_html (30), footnotes (25) and amp_substitute (20): the HTML as served.
        md.postprocessors.register(_UnsafeAttributeRemover(md, self), "locgen_safe_html", 5)


class _UrlRewriter(Treeprocessor):
    """Rewrites ``href`` of links and ``src`` of images through the current resolver."""

    def __init__(self, md: markdown.Markdown, extension: UrlExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: etree.Element) -> None:
        resolve = self.extension.resolver
        if resolve is None:
            return
        for element in root.iter():
            attribute = {"a": "href", "img": "src"}.get(element.tag)
            if attribute is None:
                continue
            value = element.get(attribute)
            if value is None:
                continue
            replacement = resolve(value, element.tag)
            if replacement is not None:
                element.set(attribute, replacement)


class UrlExtension(Extension):
    """Lets the build map source links (``../product/pricing.md``) to locale URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.resolver: UrlResolver | None = None

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # After inline patterns (priority 20) have produced the <a> and <img> elements.
        md.treeprocessors.register(_UrlRewriter(md, self), "locgen_urls", 8)


@dataclass
class _Pipeline:
    """One configured Markdown instance and the extensions the renderer drives."""

    md: markdown.Markdown
    urls: UrlExtension
    safe: SafeHtmlExtension | None


class MarkdownRenderer:
    """Configured Markdown instances, reset between pages.

    One pipeline lets raw HTML through (text from the site's authors), one
    does not (:class:`SafeHtmlExtension`); each is made when a page first
    needs it, and both use the same *extensions* instances. *fast* is passed
    on to :func:`create_markdown`.
    """

    def __init__(self, extensions: Sequence[Extension | str] = (), *, fast: bool = True) -> None:
        self._extensions = list(extensions)
        self._fast = fast
        self._pipelines: dict[bool, _Pipeline] = {}

    def prepare(self, *, raw_html: bool) -> None:
        """Make the pipeline for *raw_html* now rather than for the first page that needs it."""
        self._pipeline(raw_html)

    def _pipeline(self, raw_html: bool) -> _Pipeline:
        found = self._pipelines.get(raw_html)
        if found is None:
            urls = UrlExtension()
            safe = None if raw_html else SafeHtmlExtension()
            extra = [urls] if safe is None else [urls, safe]
            md = create_markdown([*self._extensions, *extra], fast=self._fast)
            found = self._pipelines[raw_html] = _Pipeline(md, urls, safe)
        return found

    def render(
        self,
        text: str,
        resolve_url: UrlResolver | None = None,
        context: object = None,
        *,
        raw_html: bool = True,
    ) -> RenderedMarkdown:
        """Convert *text*; *resolve_url* rewrites link and image URLs for this page.

        *context* (the page's :class:`~locgen.shortcodes.RenderContext`) is
        available to extensions as ``md.locgen`` while the text converts.
        ``raw_html=False`` converts it as text from outside the site's
        authors (:class:`SafeHtmlExtension`).
        """
        pipeline = self._pipeline(raw_html)
        md = pipeline.md
        md.reset()
        if pipeline.safe is not None:
            pipeline.safe.removed.clear()
        pipeline.urls.resolver = resolve_url
        md.locgen = context  # type: ignore[attr-defined]
        try:
            html = md.convert(text)
        finally:
            pipeline.urls.resolver = None
            md.locgen = None  # type: ignore[attr-defined]
        toc = getattr(md, "toc", "")
        if not getattr(md, "toc_tokens", None):
            toc = ""
        removed = tuple(pipeline.safe.removed) if pipeline.safe is not None else ()
        return RenderedMarkdown(html=html, toc=toc, removed=removed)


def create_markdown(
    extensions: Sequence[Extension | str] = (), *, fast: bool = True
) -> markdown.Markdown:
    """Return a Python-Markdown instance with locgen's base extensions plus *extensions*.

    Headings get Unicode-safe ids (``## 料金プラン`` keeps its letters), so
    anchors work in every script. *fast* swaps in the processors of
    :mod:`locgen.fast_markdown`, which produce the same HTML with less work;
    ``fast=False`` gives the stock pipeline they are tested against.
    """
    base: list[Extension | str] = list(BASE_EXTENSIONS)
    if fast:
        # Instances, not names: Python-Markdown looks a name up among every installed
        # package's entry points first, which takes longer than making the instance.
        base = [
            FastCoreExtension(),
            *(FAST_EXTENSIONS[name](**EXTENSION_CONFIGS.get(name, {})) for name in BASE_EXTENSIONS),
        ]
    return markdown.Markdown(
        extensions=[*base, *extensions],
        extension_configs=EXTENSION_CONFIGS,
        output_format="html",
    )
