"""Markdown to HTML: one factory for the Python-Markdown instance every page uses.

Later features (culture blocks, shortcodes) add their extensions through
:func:`create_markdown`'s ``extensions`` argument rather than building their
own instance, so that every page goes through one configured pipeline.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import markdown
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markdown.treeprocessors import Treeprocessor

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
class RenderedMarkdown:
    """HTML of one page body and its table of contents."""

    html: str
    """Body HTML."""
    toc: str
    """Nested ``<ul>`` of the headings, or ``""`` when the body has none."""


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


class MarkdownRenderer:
    """A configured Markdown instance, reset between pages.

    *fast* is passed on to :func:`create_markdown`.
    """

    def __init__(self, extensions: Sequence[Extension | str] = (), *, fast: bool = True) -> None:
        self._urls = UrlExtension()
        self._md = create_markdown([*extensions, self._urls], fast=fast)

    def render(
        self, text: str, resolve_url: UrlResolver | None = None, context: object = None
    ) -> RenderedMarkdown:
        """Convert *text*; *resolve_url* rewrites link and image URLs for this page.

        *context* (the page's :class:`~locgen.shortcodes.RenderContext`) is
        available to extensions as ``md.locgen`` while the text converts.
        """
        self._md.reset()
        self._urls.resolver = resolve_url
        self._md.locgen = context  # type: ignore[attr-defined]
        try:
            html = self._md.convert(text)
        finally:
            self._urls.resolver = None
            self._md.locgen = None  # type: ignore[attr-defined]
        toc = getattr(self._md, "toc", "")
        if not getattr(self._md, "toc_tokens", None):
            toc = ""
        return RenderedMarkdown(html=html, toc=toc)


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
        base = [
            FastCoreExtension(),
            *(
                FAST_EXTENSIONS[name](**EXTENSION_CONFIGS.get(name, {}))
                if name in FAST_EXTENSIONS
                else name
                for name in BASE_EXTENSIONS
            ),
        ]
    return markdown.Markdown(
        extensions=[*base, *extensions],
        extension_configs=EXTENSION_CONFIGS,
        output_format="html",
    )
