"""Turn the placed site into output files: pages, chooser, 404s, sitemap, static files.

Nothing is written here: rendering fills an :class:`OutputTree` in memory, and
only a complete tree is published.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit
from xml.sax.saxutils import escape, quoteattr

from markupsafe import Markup

from locgen.errors import ContentError, LocgenError
from locgen.locales import SiteLocale
from locgen.markup import MarkdownRenderer
from locgen.pages import HOME_KEY, Alternate, Page, SiteIndex, source_key
from locgen.theme import Theme, missing_template_error

STATIC_PREFIX = "static/"


@dataclass(frozen=True)
class SiteView:
    """What templates see as ``site``."""

    title: str
    """Site title in the page's locale."""
    description: str
    """Site description."""
    base_url: str
    """Absolute base URL."""
    params: Mapping[str, Any]
    """``[params]`` from ``locgen.toml``."""
    locales: tuple[SiteLocale, ...]
    """All locales, config order."""
    default_locale: SiteLocale
    """The default locale."""


@dataclass(frozen=True)
class LanguageLink:
    """One entry of the language switcher."""

    locale: SiteLocale
    """Locale the link leads to."""
    url: str
    """URL of the same page in that locale."""
    title: str
    """Page title in that locale."""
    is_current: bool
    """True for the page being rendered."""
    is_fallback: bool
    """True when that locale shows the page from another locale's text."""


@dataclass(frozen=True)
class MenuItem:
    """One entry of the top navigation."""

    title: str
    """Link text."""
    url: str
    """Link target."""
    is_active: bool
    """True when the current page is this entry or inside its section."""


@dataclass(frozen=True)
class PageView:
    """What templates see as ``page``: a placed page plus its rendered body."""

    kind: str
    """``home``, ``section``, ``page``, ``404`` or ``chooser``."""
    title: str
    """Title."""
    url: str
    """Site-relative URL."""
    permalink: str
    """Absolute URL."""
    canonical: str
    """URL for ``rel=canonical``."""
    robots: str
    """Content of ``<meta name="robots">``."""
    locale: SiteLocale
    """Reader's locale."""
    content_locale: SiteLocale
    """Locale the text is written in."""
    description: str = ""
    """Meta description from front matter (empty when the page has none)."""
    content: Markup = field(default_factory=Markup)
    """Body HTML."""
    toc: Markup = field(default_factory=Markup)
    """Table of contents HTML, or empty."""
    date: Any = None
    """Date from front matter, or ``None``."""
    params: Mapping[str, Any] = field(default_factory=dict)
    """Front matter."""
    tags: tuple[str, ...] = ()
    """Tags."""
    image: str | None = None
    """URL of the front-matter image, or ``None``."""
    alternates: tuple[Alternate, ...] = ()
    """hreflang alternates, ``x-default`` last."""
    children: tuple[Page, ...] = ()
    """Pages listed on a home or section page."""
    section: Page | None = None
    """Section landing this page belongs to."""

    @property
    def is_fallback(self) -> bool:
        """True when the text comes from another locale."""
        return self.content_locale.tag != self.locale.tag


class OutputTree:
    """Files of the built site, by path relative to the output folder."""

    def __init__(self) -> None:
        self._files: dict[str, bytes | Path] = {}
        self._origins: dict[str, str] = {}

    def add(
        self, path: str, data: bytes | Path, origin: str, *, source: Path | None = None
    ) -> None:
        """Add a file (bytes, or a path to copy); two files at one path is an error.

        :param origin: what the file is, for the error message.
        :param source: the user's file it comes from, where the error points.
        """
        if path in self._files:
            raise ContentError(
                f"two outputs would be written to {path}: {self._origins[path]} and {origin}",
                path=source,
                hint="rename or move one of them",
            )
        self._files[path] = data
        self._origins[path] = origin

    def items(self) -> list[tuple[str, bytes | Path]]:
        """Return ``(path, data)`` pairs sorted by path."""
        return sorted(self._files.items())

    def __contains__(self, path: object) -> bool:
        return path in self._files

    def __len__(self) -> int:
        return len(self._files)


class SiteRenderer:
    """Renders every output of one build."""

    def __init__(self, index: SiteIndex, markdown: MarkdownRenderer | None = None) -> None:
        self.index = index
        self.markdown = markdown or MarkdownRenderer()
        self.theme = Theme(index.config, globals_for=self._template_globals)
        self._static_files = self.theme.static_files()
        self._site_views: dict[str, SiteView] = {}

    # -- template helpers -------------------------------------------------

    def _template_globals(self, locale: SiteLocale) -> dict[str, Callable[..., str]]:
        def url_for(target: str) -> str:
            return self.url_for_source(target, locale)

        def static_url(path: str) -> str:
            clean = path.lstrip("/")
            if clean not in self._static_files:
                raise ContentError(
                    f"static_url({path!r}): no such file in the theme's static/ folder",
                    hint="check the file name under the theme's static/ folder",
                )
            return self.index.base_path + STATIC_PREFIX + quote(clean)

        return {"url_for": url_for, "static_url": static_url}

    def url_for_source(self, target: str, locale: SiteLocale) -> str:
        """URL in *locale* of the page whose source is *target* (``/product/pricing.md``)."""
        key = source_key(target)
        page = None if key is None else self.index.page(key, locale.tag)
        if page is None:
            raise ContentError(
                f"url_for({target!r}): no such page in {locale.tag}",
                hint="name the source file of an existing page, e.g. /product/pricing.md",
            )
        fragment = target.partition("#")[2]
        return page.url + (f"#{fragment}" if fragment else "")

    def _resolve_body_url(self, page: Page) -> Callable[[str, str], str | None]:
        source = page.source
        assert source is not None

        def resolve(value: str, tag: str) -> str | None:
            if tag == "a":
                key = self.index.resolve_link(value, source)
                if key is None:
                    return None
                target = self.index.page(key, page.locale.tag)
                if target is None:
                    raise ContentError(
                        f"link to {value!r}: that page is not available in {page.locale.tag}",
                        path=source.path,
                        hint="translate the page, or add a fallback locale that has it",
                    )
                fragment = value.partition("#")[2]
                return target.url + (f"#{fragment}" if fragment else "")
            return self.asset_url(value, source.section, source.path)

        return resolve

    def asset_url(self, value: str, section: str, source_path: Path | None) -> str | None:
        """Map an image reference in content to its URL; ``None`` leaves external URLs alone."""
        parts = urlsplit(value)
        if parts.scheme or value.startswith("//") or not parts.path:
            return None
        base = "" if parts.path.startswith("/") else section
        rel = posixpath.normpath(posixpath.join("/", base, parts.path)).lstrip("/")
        if rel not in self.index.assets:
            raise ContentError(
                f"image {value!r} not found (looked for content/{rel})",
                path=source_path,
                hint="put the file under content/ and refer to it by its path there",
            )
        return self.index.base_path + quote(rel)

    # -- pages -------------------------------------------------------------

    def site_view(self, locale: SiteLocale) -> SiteView:
        """The ``site`` object for templates in *locale* (made once per locale)."""
        view = self._site_views.get(locale.tag)
        if view is None:
            view = self._site_views[locale.tag] = self._make_site_view(locale)
        return view

    def _make_site_view(self, locale: SiteLocale) -> SiteView:
        config = self.index.config
        return SiteView(
            title=locale.title,
            description=config.description,
            base_url=config.base_url,
            params=config.params,
            locales=tuple(self.index.locales.values()),
            default_locale=self.index.locales[config.default_locale],
        )

    def page_view(self, page: Page) -> PageView:
        """Render the page's Markdown and gather everything its template needs."""
        content = toc = Markup("")
        if page.source is not None:
            rendered = self.markdown.render(page.source.body, self._resolve_body_url(page))
            content, toc = Markup(rendered.html), Markup(rendered.toc)
        image = None
        if page.source is not None and "image" in page.source.meta:
            image = self.asset_url(
                str(page.source.meta["image"]), page.source.section, page.source.path
            )
        return PageView(
            kind=page.kind,
            title=page.title,
            url=page.url,
            permalink=page.permalink,
            canonical=self.index.canonical(page),
            robots="noindex,follow" if page.is_fallback else "index,follow",
            locale=page.locale,
            content_locale=page.content_locale,
            description=page.description,
            content=content,
            toc=toc,
            date=page.date,
            params=page.params,
            tags=page.tags,
            image=image,
            alternates=tuple(self.index.alternates(page)),
            children=tuple(self.index.children(page)),
            section=self.index.section_of(page),
        )

    def language_links(self, page: Page) -> list[LanguageLink]:
        """Switcher entries: the page in every locale where it exists."""
        return [
            LanguageLink(
                locale=other.locale,
                url=other.url,
                title=other.title,
                is_current=other.locale.tag == page.locale.tag,
                is_fallback=other.is_fallback,
            )
            for other in self.index.translations(page)
        ]

    def menu(self, page: Page) -> list[MenuItem]:
        """Top navigation of the page's locale, with the active entry marked."""
        items = []
        for entry in self.index.menu(page.locale.tag):
            entry_section = entry.key[: -len("index")] if entry.kind == "section" else None
            active = entry.key == page.key or (
                entry_section is not None and page.key.startswith(entry_section)
            )
            items.append(MenuItem(title=entry.title, url=entry.url, is_active=active))
        return items

    def render_page(self, page: Page) -> bytes:
        """Render one page to HTML bytes."""
        template = page.template
        if not self.theme.has_template(template):
            source = page.source
            raise missing_template_error(
                self.theme,
                template,
                source.path if source else None,
                source.line_of("template") if source else None,
            )
        try:
            view = self.page_view(page)
            html = self.theme.render(
                page.locale,
                template,
                {
                    "site": self.site_view(page.locale),
                    "locale": page.locale,
                    "page": view,
                    "translations": self.language_links(page),
                    "menu": self.menu(page),
                },
            )
        except LocgenError as exc:
            _locate(exc, page)
            raise
        return html.encode("utf-8")

    def _theme_page_view(
        self,
        kind: str,
        locale: SiteLocale,
        url: str,
        robots: str,
        *,
        title: str = "",
        alternates: tuple[Alternate, ...] = (),
    ) -> PageView:
        """The ``page`` of an output made by the theme alone (404, root chooser)."""
        return PageView(
            kind=kind,
            title=title,
            url=url,
            permalink=self.index.origin + url,
            canonical=self.index.origin + url,
            robots=robots,
            locale=locale,
            content_locale=locale,
            description=self.index.config.description,
            alternates=alternates,
        )

    def render_not_found(self, locale: SiteLocale) -> bytes:
        """Render the 404 page of *locale*."""
        home = self.index.page(HOME_KEY, locale.tag)
        view = self._theme_page_view("404", locale, f"{locale.home_url}404.html", "noindex,follow")
        links = [] if home is None else self.language_links(home)
        menu = [] if home is None else self.menu(home)
        html = self.theme.render(
            locale,
            "404",
            {
                "site": self.site_view(locale),
                "locale": locale,
                "page": view,
                "translations": links,
                "menu": menu,
            },
        )
        return html.encode("utf-8")

    def render_chooser(self) -> bytes:
        """Render the root language chooser (the ``x-default`` of the home page)."""
        default = self.index.locales[self.index.config.default_locale]
        homes = [p for p in (self.index.page(HOME_KEY, tag) for tag in self.index.locales) if p]
        alternates = tuple(self.index.alternates(homes[0])) if homes else ()
        view = self._theme_page_view(
            "chooser",
            default,
            self.index.base_path,
            "index,follow",
            title=default.title,
            alternates=alternates,
        )
        html = self.theme.render(
            default,
            "chooser",
            {
                "site": self.site_view(default),
                "locale": default,
                "page": view,
                "choices": [
                    LanguageLink(p.locale, p.url, p.title, False, p.is_fallback) for p in homes
                ],
                "translations": [],
                "menu": [],
            },
        )
        return html.encode("utf-8")

    def render_sitemap(self) -> bytes:
        """Render ``sitemap.xml`` with ``xhtml:link`` alternates for every translated page."""
        lines = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:xhtml="http://www.w3.org/1999/xhtml">',
        ]
        for key in self.index.groups:
            translated = [
                p
                for p in (self.index.page(key, tag) for tag in self.index.locales)
                if p is not None and not p.is_fallback
            ]
            entries: list[tuple[str, list[Alternate]]] = [
                (p.permalink, self.index.alternates(p)) for p in translated
            ]
            if key == HOME_KEY and translated:
                root = self.index.origin + self.index.base_path
                entries.insert(0, (root, self.index.alternates(translated[0])))
            for loc, alternates in entries:
                lines.append("  <url>")
                lines.append(f"    <loc>{escape(loc)}</loc>")
                for alt in alternates:
                    lines.append(
                        f'    <xhtml:link rel="alternate" hreflang={quoteattr(alt.hreflang)} '
                        f"href={quoteattr(alt.href)}/>"
                    )
                lines.append("  </url>")
        lines.append("</urlset>")
        return ("\n".join(lines) + "\n").encode("utf-8")

    # -- whole site --------------------------------------------------------

    def render_site(
        self, locales: Iterable[str], progress: Callable[[str, int, int], None] | None = None
    ) -> OutputTree:
        """Render the pages of *locales* plus the shared root files into an output tree."""
        tree = OutputTree()
        selected = [self.index.locales[tag] for tag in locales]
        # One compile catches every syntax error; the other locales reuse the bytecode.
        self.theme.compile_all(self.index.locales[self.index.config.default_locale])
        for locale in selected:
            pages = self.index.pages_in(locale.tag)
            for number, page in enumerate(pages, start=1):
                origin = page.source.rel_path if page.source else f"section {page.key}"
                tree.add(
                    page.output_path,
                    self.render_page(page),
                    f"content/{origin}",
                    source=page.source.path if page.source else None,
                )
                if progress is not None:
                    progress(locale.tag, number, len(pages))
            tree.add(f"{locale.url_segment}/404.html", self.render_not_found(locale), "404 page")
        default = self.index.locales[self.index.config.default_locale]
        tree.add("index.html", self.render_chooser(), "language chooser")
        tree.add("404.html", self.render_not_found(default), "404 page")
        tree.add("sitemap.xml", self.render_sitemap(), "sitemap")
        for rel, path in self._static_files.items():
            tree.add(STATIC_PREFIX + rel, path, f"theme static/{rel}")
        for rel in self.index.assets:
            asset = self.index.config.content_dir / rel
            tree.add(rel, asset, f"content/{rel}", source=asset)
        return tree


def _locate(exc: LocgenError, page: Page) -> None:
    """Give an error without a place the page's source file and locale."""
    if exc.path is None and page.source is not None:
        exc.path = page.source.path
    if exc.locale is None:
        exc.locale = page.locale.tag
