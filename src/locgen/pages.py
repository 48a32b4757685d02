"""The site's structure: which page exists in which locale, at which URL, from which file.

Everything here is decided before anything is rendered: a page's URL, its
fallback source, its section and children, the menu, hreflang alternates. The
renderer only reads this index.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import posixpath
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote, urlsplit

from locgen.config import SiteConfig
from locgen.errors import ContentError
from locgen.locales import SiteLocale, fallback_chain, site_locales
from locgen.sources import ContentTree, SourceFile

HOME_KEY = "index"
EMAILS_SECTION = "emails"
"""Folder of ``content/`` whose files are emails, not pages."""


def is_email_key(key: str) -> bool:
    """True when the translation group *key* is an email (``emails/welcome``)."""
    return key.startswith(EMAILS_SECTION + "/")


def email_name(key: str) -> str:
    """The name of the email with translation-group *key* (``emails/welcome`` → ``welcome``)."""
    return key[len(EMAILS_SECTION) + 1 :]


def absolute_for_email(url: str, origin: str) -> str:
    """*url* as an email needs it: a site-relative path (``/downloads/``) gets *origin* in front.

    A mail client has no site to resolve such a path against; full URLs,
    ``mailto:`` links and merge tags are left as they are.
    """
    return origin + url if url.startswith("/") and not url.startswith("//") else url


@dataclass(frozen=True)
class Page:
    """One page in one locale, placed but not yet rendered."""

    key: str
    """Translation-group key shared by all locales (``product/pricing``)."""
    kind: str
    """``home``, ``section``, ``page`` or ``email``."""
    locale: SiteLocale
    """The reader's locale: ``lang``, formatting and theme strings follow it."""
    source: SourceFile | None
    """The file whose text is shown; ``None`` for a generated section page."""
    url: str
    """Site-relative URL, with the base path, ending in ``/``."""
    permalink: str
    """Absolute URL."""
    output_path: str
    """File written under the output folder (``de-de/product/preise/index.html``)."""
    title: str
    """Page title from front matter (or the folder name of a generated section)."""
    content_locale: SiteLocale
    """Locale the text is written in; differs from ``locale`` when served by fallback."""
    description: str = ""
    """Meta description."""
    date: dt.date | None = None
    """Publication date from front matter."""
    weight: int | None = None
    """Ordering weight in lists and menus (lower first)."""
    tags: tuple[str, ...] = ()
    """Tags from front matter."""
    params: Mapping[str, Any] = field(default_factory=dict)
    """All front matter, for templates."""

    @property
    def is_fallback(self) -> bool:
        """True when this locale has no translation and shows another locale's text."""
        return self.content_locale.tag != self.locale.tag

    @property
    def section_key(self) -> str:
        """Folder of the section this page is listed in (``""``: listed on the home page)."""
        if self.key == HOME_KEY:
            return ""
        parent = posixpath.dirname(self.key)
        return posixpath.dirname(parent) if self.kind == "section" else parent

    @property
    def template(self) -> str:
        """Template name: front matter ``template`` or the page kind's default."""
        if self.source is not None and "template" in self.source.meta:
            return str(self.source.meta["template"])
        return self.kind

    def sort_key(self) -> tuple[Any, ...]:
        """Order in listings: weighted first by weight, then newest, then title."""
        ordinal = self.date.toordinal() if self.date else 0
        return (self.weight is None, self.weight or 0, -ordinal, self.title.casefold(), self.key)


@dataclass(frozen=True)
class Alternate:
    """One ``<link rel="alternate" hreflang>`` entry."""

    hreflang: str
    """BCP 47 tag or ``x-default``."""
    href: str
    """Absolute URL."""


@dataclass(frozen=True)
class Untranslated:
    """A page a locale shows from another locale's text (or cannot show at all)."""

    key: str
    """Translation-group key."""
    locale: str
    """Reader's locale."""
    served_from: str | None
    """Locale whose text is shown, or ``None`` when the page is missing in this locale."""


@dataclass
class SiteIndex:
    """Every page of every locale, and the lookups templates and links need."""

    config: SiteConfig
    """The site configuration."""
    locales: dict[str, SiteLocale]
    """Site locales by tag, in config order."""
    groups: dict[str, dict[str, SourceFile]]
    """Source files by key, then by locale (drafts already removed)."""
    pages: dict[tuple[str, str], Page]
    """Pages by (key, locale tag)."""
    assets: tuple[str, ...]
    """Non-Markdown files under ``content/``, relative paths."""
    base_path: str
    """Path part of the base URL (``/`` or ``/docs/``)."""
    origin: str
    """Scheme and host of the base URL (``https://acme.example``)."""

    def page(self, key: str, locale: str) -> Page | None:
        """Return the page *key* in *locale*, or ``None`` if that locale has no such page."""
        return self.pages.get((key, locale))

    _by_locale: dict[str, list[Page]] = field(default_factory=dict, init=False, repr=False)
    _children: dict[tuple[str, str], list[Page]] = field(
        default_factory=dict, init=False, repr=False
    )
    _menus: dict[str, list[Page]] = field(default_factory=dict, init=False, repr=False)
    _emails: dict[str, list[Page]] = field(default_factory=dict, init=False, repr=False)

    def freeze(self) -> None:
        """Compute the per-locale lists, listings and menus once all pages are placed."""
        for key, tag in sorted(self.pages):
            page = self.pages[(key, tag)]
            if page.kind == "email":
                self._emails.setdefault(tag, []).append(page)
                continue
            self._by_locale.setdefault(tag, []).append(page)
            if key != HOME_KEY:
                self._children.setdefault((page.section_key, tag), []).append(page)
            if page.source is not None and page.source.meta.get("menu") == "main":
                self._menus.setdefault(tag, []).append(page)
        for listing in (*self._children.values(), *self._menus.values()):
            listing.sort(key=Page.sort_key)

    def with_sources(self, changed: Mapping[int, SourceFile]) -> SiteIndex:
        """A copy with source files swapped for new versions whose front matter is unchanged.

        :param changed: the new file by ``id()`` of the old one. Placement (URLs,
            titles, listings) depends only on front matter, so it is kept as is;
            only the groups, pages and listings that hold a swapped file are copied.
        """
        keys = {source.key for source in changed.values()}
        groups = dict(self.groups)
        pages = dict(self.pages)
        swapped: dict[int, Page] = {}
        for key in keys:
            files = self.groups.get(key)
            if files is None:
                continue
            groups[key] = {tag: changed.get(id(file), file) for tag, file in files.items()}
            for tag in self.locales:
                page = self.pages.get((key, tag))
                if page is None or page.source is None:
                    continue
                new_source = changed.get(id(page.source))
                if new_source is not None:
                    new_page = dataclasses.replace(page, source=new_source, params=new_source.meta)
                    swapped[id(page)] = new_page
                    pages[key, tag] = new_page
        index = SiteIndex(
            config=self.config,
            locales=self.locales,
            groups=groups,
            pages=pages,
            assets=self.assets,
            base_path=self.base_path,
            origin=self.origin,
        )
        for name in ("_by_locale", "_children", "_menus", "_emails"):
            lists: dict[Any, list[Page]] = getattr(self, name)
            setattr(
                index,
                name,
                {
                    slot: (
                        listed
                        if swapped.keys().isdisjoint(map(id, listed))
                        else [swapped.get(id(p), p) for p in listed]
                    )
                    for slot, listed in lists.items()
                },
            )
        return index

    def pages_in(self, locale: str) -> list[Page]:
        """Return every page of *locale*, ordered by key (emails are not pages)."""
        return self._by_locale.get(locale, [])

    def emails_in(self, locale: str) -> list[Page]:
        """Return every email of *locale*, ordered by key."""
        return self._emails.get(locale, [])

    def translations(self, page: Page) -> list[Page]:
        """Return the page in every locale where it exists, in config order."""
        found = (self.page(page.key, tag) for tag in self.locales)
        return [p for p in found if p is not None]

    def alternates(self, page: Page) -> list[Alternate]:
        """Return hreflang alternates: every real translation of the page plus ``x-default``.

        Fallback-served pages are not translations and are left out; they point
        their canonical URL at the page whose text they show.
        """
        translated = [p for p in self.translations(page) if not p.is_fallback]
        if not translated:
            return []
        links = [Alternate(p.locale.tag, p.permalink) for p in translated]
        links.append(Alternate("x-default", self.x_default(page.key, translated)))
        return links

    def x_default(self, key: str, translated: list[Page]) -> str:
        """URL for visitors whose language the page is not written in."""
        if key == HOME_KEY:
            return self.origin + self.base_path
        for candidate in translated:
            if candidate.locale.tag == self.config.default_locale:
                return candidate.permalink
        return translated[0].permalink

    def canonical(self, page: Page) -> str:
        """Return the canonical URL: the page itself, or for a fallback the page it shows."""
        if page.is_fallback:
            original = self.page(page.key, page.content_locale.tag)
            if original is not None:
                return original.permalink
        return page.permalink

    def children(self, page: Page) -> list[Page]:
        """Return the pages listed on a home or section page, in listing order."""
        if page.kind not in ("home", "section"):
            return []
        section = "" if page.key == HOME_KEY else page.key[: -len("/index")]
        return self._children.get((section, page.locale.tag), [])

    def section_of(self, page: Page) -> Page | None:
        """Return the section landing page that *page* belongs to, if any."""
        if page.key == HOME_KEY:
            return None
        key = f"{page.section_key}/index" if page.section_key else HOME_KEY
        return self.page(key, page.locale.tag)

    def menu(self, locale: str) -> list[Page]:
        """Return the pages with ``menu: main`` in *locale*, by weight."""
        return self._menus.get(locale, [])

    def resolve_link(self, target: str, source: SourceFile) -> str | None:
        """Map a link to a source file (``/product/pricing.md``) to its translation-group key.

        Returns ``None`` when *target* does not name a Markdown source; raises
        :class:`ContentError` when it does but no such page exists.
        """
        key = source_key(target, source.section)
        if key is None or key in self.groups:
            return key
        raise ContentError(
            f"link to {target!r}: no page content/{key}.<locale>.md exists",
            path=source.path,
            line=source.body_line_of(target),
            hint="link to the source file of an existing page, without the locale suffix",
        )


def source_key(target: str, section: str = "") -> str | None:
    """Return the translation-group key a link to a source file names, or ``None``.

    ``/product/pricing.md`` names ``product/pricing`` from anywhere; a relative
    ``pricing.md`` is taken from *section*. Links that are not to a ``.md``
    file (URLs, anchors, folders) name no page.
    """
    path = target.split("#", 1)[0].split("?", 1)[0]
    if not path.endswith(".md") or urlsplit(path).scheme or path.startswith("//"):
        return None
    base = "" if path.startswith("/") else section
    joined = posixpath.normpath(posixpath.join("/", base, path.lstrip("/")))
    # Keys are NFC (see sources.read_source): a link typed in either form finds its page.
    return unicodedata.normalize("NFC", joined.lstrip("/")[: -len(".md")])


def base_path_of(config: SiteConfig) -> str:
    """The path part of ``[site].base_url``, starting and ending with ``/``."""
    path = urlsplit(config.base_url).path
    path = path if path.endswith("/") else path + "/"
    return path if path.startswith("/") else "/" + path


def origin_of(config: SiteConfig) -> str:
    """Scheme and host of ``[site].base_url`` (``https://acme.example``), or ``""``."""
    parts = urlsplit(config.base_url)
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""


def build_index(
    config: SiteConfig,
    tree: ContentTree,
    *,
    include_drafts: bool,
    locales: dict[str, SiteLocale] | None = None,
) -> SiteIndex:
    """Place every page of every locale: choose sources, slugs and URLs.

    :param locales: the site's locales when the caller has made them already.
    """
    base_path = base_path_of(config)
    origin = origin_of(config)
    if locales is None:
        locales = site_locales(config, base_path)

    groups: dict[str, dict[str, SourceFile]] = {}
    for source in tree.sources:
        if source.is_draft and not include_drafts:
            continue
        groups.setdefault(source.key, {})[source.locale] = source
    groups = {key: groups[key] for key in sorted(groups)}

    index = SiteIndex(
        config=config,
        locales=locales,
        groups=groups,
        pages={},
        assets=tree.assets,
        base_path=base_path,
        origin=origin,
    )
    chains = {tag: fallback_chain(config, tag) for tag in config.locales}
    keys = set(groups) | _generated_sections(groups)
    # Parents before children and landings before pages, so that a page's URL
    # can use the slugs its sections have in the same locale.
    for key in sorted(keys, key=lambda k: (k.count("/"), not _is_landing(k), k)):
        for tag in config.locales:
            page = _place(index, key, locales[tag], chains[tag])
            if page is not None:
                index.pages[(key, tag)] = page
    _check_unique_urls(index.pages.values())
    index.freeze()
    return index


def _generated_sections(groups: Mapping[str, Mapping[str, SourceFile]]) -> set[str]:
    """Section landings for folders that have pages but no ``index.<locale>.md``."""
    needed: set[str] = set()
    for key in groups:
        if is_email_key(key):
            continue
        parent = PurePosixPath(key).parent
        if key.endswith("/index") or key == HOME_KEY:
            parent = parent.parent if key != HOME_KEY else PurePosixPath(".")
        while parent.as_posix() != ".":
            needed.add(f"{parent.as_posix()}/index")
            parent = parent.parent
    return {key for key in needed if key not in groups}


def _place(index: SiteIndex, key: str, locale: SiteLocale, chain: Iterable[str]) -> Page | None:
    translations = index.groups.get(key)
    kind = "home" if key == HOME_KEY else ("section" if key.endswith("/index") else "page")
    if translations is None:
        return _generated_section(index, key, locale, chain)
    chosen = next((translations[tag] for tag in chain if tag in translations), None)
    if chosen is None:
        return None
    if is_email_key(key):
        return _place_email(index, key, locale, chosen)
    segments = _section_segments(index, key, locale)
    if kind == "page":
        segments.append(str(chosen.meta.get("slug", chosen.name)))
    elif kind == "section" and "slug" in chosen.meta:
        segments[-1] = str(chosen.meta["slug"])
    meta = chosen.meta
    date = meta.get("date")
    if isinstance(date, dt.datetime):
        date = date.date()
    return _make_page(
        index,
        key=key,
        kind=kind,
        locale=locale,
        source=chosen,
        segments=segments,
        title=str(meta["title"]) if "title" in meta else _default_title(key, kind, locale),
        content_locale=index.locales[chosen.locale],
        description=str(meta.get("description", "")),
        date=date,
        weight=meta.get("weight"),
        tags=tuple(meta.get("tags", ())),
        params=meta,
    )


def _place_email(index: SiteIndex, key: str, locale: SiteLocale, chosen: SourceFile) -> Page:
    """An email: ``emails/<locale>/<name>.html``, titled by its subject."""
    path = f"{EMAILS_SECTION}/{locale.tag.lower()}/{email_name(key)}.html"
    url = index.base_path + quote(path)
    meta = chosen.meta
    return Page(
        key=key,
        kind="email",
        locale=locale,
        source=chosen,
        url=url,
        permalink=index.origin + url,
        output_path=path,
        title=str(meta.get("subject", meta.get("title", PurePosixPath(key).name))),
        content_locale=index.locales[chosen.locale],
        description=str(meta.get("preheader", "")),
        params=meta,
    )


def _section_segments(index: SiteIndex, key: str, locale: SiteLocale) -> list[str]:
    """URL segments of the folders above *key*, using each section's slug in *locale*.

    For a section landing the list ends with its own folder's segment.
    """
    if key == HOME_KEY:
        return []
    folders = key.split("/")[:-1]
    segments: list[str] = []
    for depth in range(1, len(folders) + 1):
        section_key = "/".join(folders[:depth]) + "/index"
        section = index.pages.get((section_key, locale.tag))
        if section is None:
            # The landing is not available in this locale: its folder name stands in.
            segments.append(folders[depth - 1])
        else:
            segments.append(section.output_path.rsplit("/", 2)[-2])
    return segments


def _is_landing(key: str) -> bool:
    return key == HOME_KEY or key.endswith("/index")


def _generated_section(
    index: SiteIndex, key: str, locale: SiteLocale, chain: Iterable[str]
) -> Page | None:
    section = key[: -len("/index")]
    readable = tuple(chain)
    has_pages = any(
        other.startswith(section + "/") and any(tag in index.groups[other] for tag in readable)
        for other in index.groups
    )
    if not has_pages:
        return None
    segments = _section_segments(index, key, locale)
    return _make_page(
        index,
        key=key,
        kind="section",
        locale=locale,
        source=None,
        segments=segments,
        title=_title_from_name(_folder_name(key)),
        content_locale=locale,
    )


def _make_page(index: SiteIndex, *, segments: list[str], locale: SiteLocale, **fields: Any) -> Page:
    path = "/".join([locale.url_segment, *segments])
    url = index.base_path + quote(path + "/")
    return Page(
        locale=locale,
        url=url,
        permalink=index.origin + url,
        output_path=path + "/index.html",
        **fields,
    )


def _default_title(key: str, kind: str, locale: SiteLocale) -> str:
    """Title of a page whose front matter has none: site title, folder or file name."""
    if kind == "home":
        return locale.title
    name = _folder_name(key) if kind == "section" else PurePosixPath(key).name
    return _title_from_name(name)


def _folder_name(key: str) -> str:
    return PurePosixPath(key).parent.name


def _title_from_name(name: str) -> str:
    return name.replace("-", " ").replace("_", " ").strip().capitalize() or name


def _check_unique_urls(pages: Iterable[Page]) -> None:
    seen: dict[str, Page] = {}
    for page in pages:
        other = seen.get(page.output_path)
        if other is None:
            seen[page.output_path] = page
            continue
        first, second = (other.source, page.source)
        where = second or first
        names = " and ".join(
            s.rel_path if s is not None else f"generated section {p.key}"
            for s, p in ((first, other), (second, page))
        )
        raise ContentError(
            f"two pages have the same URL {page.url}: {names}",
            path=where.path if where else None,
            line=where.line_of("slug") if where else None,
            locale=page.locale.tag,
            hint="give one of them a different slug",
        )
