"""Site checks: named rules that look at what each locale's readers get and report findings.

A :class:`Check` declares the :class:`Rule` ids it reports and runs at one or
both of two moments:

* ``text``: once per page or email and locale, on the prose that locale's
  readers get (:class:`ReaderText`: culture variants chosen, phrasebook
  applied, code left out), each line with its line in the source file. Text
  checks run while the page renders, so the dev server re-runs them only for
  the pages a change touches.
* ``run``: once per build, on the whole site (:class:`CheckContext`): links
  between pages, translation status, catalogs, calendars.

Checks come from plugins through the ``locgen_checks`` hook; locgen's own are
registered the same way. Which findings are kept, and at which level, is
decided afterwards by the site's ``[checks]`` configuration and by inline
``<!-- locgen-disable rule.id -->`` comments (:mod:`locgen.rules`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from locgen.config import SiteConfig
from locgen.cultures import CultureProfile
from locgen.findings import LEVELS, Finding
from locgen.images import ImageUse
from locgen.pages import SiteIndex

if TYPE_CHECKING:
    from locgen.theme import Theme

TEXT_FIELDS = ("title", "description", "subject", "preheader")
"""Front-matter fields whose text readers see, checked with the body."""


@dataclass(frozen=True)
class Rule:
    """One kind of finding: a stable dotted id, its default level and what it means."""

    id: str
    """Dotted id, e.g. ``culture.tone.pressure``; stable across releases."""
    level: str
    """Default level: ``error``, ``warning`` or ``info``."""
    description: str
    """One line saying what the rule reports."""

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise ValueError(f"rule {self.id}: level {self.level!r} is not one of {LEVELS}")


@dataclass(frozen=True)
class ReaderText:
    """The prose one locale's readers get from one source file, line by line."""

    path: Path | None
    """The source file."""
    locale: str
    """The reader's locale tag, e.g. ``de-DE``."""
    language: str
    """Language the text is written in (``de``); differs from the locale's on fallback pages."""
    culture: CultureProfile
    """The reader's culture profile."""
    lines: tuple[tuple[int, str], ...]
    """``(source line, text)`` pairs: front-matter text fields, then the body's prose."""
    kind: str = "page"
    """``page`` or ``email``."""
    fields: Mapping[str, Any] = field(default_factory=dict)
    """The front matter as the reader gets it (``subject``, ``category``, …)."""
    html: str = ""
    """The body as HTML, after every plugin's ``locgen_page_html``."""


class HtmlOutline:
    """What link checks need of one built HTML file: :attr:`links` and :attr:`ids`.

    The build cache keeps both as text, each joined by NUL (:meth:`kept`);
    an outline made from that text (:meth:`joined`) splits it only when a
    check asks for the strings, since a build that renders nothing follows no
    link again and needs each file's links and ids only as text
    (:meth:`links_text`, :meth:`ids_text`).
    """

    __slots__ = ("_ids", "_kept", "_links")

    def __init__(self, links: Iterable[str], ids: Iterable[str]) -> None:
        self._links: tuple[str, ...] | None = tuple(links)
        self._ids: frozenset[str] | None = frozenset(ids)
        self._kept: tuple[str | None, str | None] | None = None

    @classmethod
    def joined(cls, links: str | None, ids: str | None) -> HtmlOutline:
        """The outline whose :meth:`kept` text is *links* and *ids*."""
        outline = cls.__new__(cls)
        outline._links = outline._ids = None
        outline._kept = (links, ids)
        return outline

    def kept(self) -> tuple[str | None, str | None]:
        """The links, and the ids in sorted order, each joined by NUL (``None`` for
        none), as the build cache keeps them; :meth:`joined` takes them back."""
        if self._kept is None:
            ids = sorted(self.ids)
            self._kept = (
                _KEPT_SEPARATOR.join(self.links) if self.links else None,
                _KEPT_SEPARATOR.join(ids) if ids else None,
            )
        return self._kept

    @property
    def links(self) -> tuple[str, ...]:
        """The ``href`` of every ``<a>``, in document order."""
        if self._links is None:
            joined = self.kept()[0]
            self._links = tuple(joined.split(_KEPT_SEPARATOR)) if joined is not None else ()
        return self._links

    @property
    def ids(self) -> frozenset[str]:
        """Every ``id`` and ``<a name>`` in the file."""
        if self._ids is None:
            joined = self.kept()[1]
            self._ids = (
                frozenset(joined.split(_KEPT_SEPARATOR)) if joined is not None else frozenset()
            )
        return self._ids

    def links_text(self, separator: str) -> str:
        """:attr:`links` joined by *separator*."""
        if self._links is None:
            return (self.kept()[0] or "").replace(_KEPT_SEPARATOR, separator)
        return separator.join(self._links)

    def ids_text(self, separator: str) -> str:
        """:attr:`ids` in sorted order, joined by *separator*."""
        if self._ids is None:
            return (self.kept()[1] or "").replace(_KEPT_SEPARATOR, separator)
        return separator.join(sorted(self._ids))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, HtmlOutline):
            return NotImplemented
        return (self.links, self.ids) == (other.links, other.ids)

    def __hash__(self) -> int:
        return hash((self.links, self.ids))

    def __repr__(self) -> str:
        return f"HtmlOutline(links={self.links!r}, ids={self.ids!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (HtmlOutline, (self.links, self.ids))


_KEPT_SEPARATOR = "\0"
"""Joins an outline's links, and its ids, in the text the build cache keeps."""


def html_outline(data: bytes) -> HtmlOutline:
    """The links and ids of the HTML document *data* (UTF-8, as locgen writes it).

    The document is parsed as a browser parses it (HTML5, by Lexbor through
    selectolax): a link in a comment, a script or a ``<template>`` is not one
    a reader can follow.
    """
    # Load it on first use: a warm build outlines nothing.
    from selectolax.lexbor import LexborHTMLParser

    links: list[str] = []
    ids: set[str] = set()
    for element in LexborHTMLParser(data).css(_OUTLINED):
        attributes = element.attributes  # a bare attribute (<p id>) has the value None
        if element.tag == "a":
            if href := attributes.get("href"):
                links.append(href)
            if "name" in attributes:
                ids.add(attributes["name"] or "")
        if "id" in attributes:
            ids.add(attributes["id"] or "")
    return HtmlOutline(links, ids)


_OUTLINED = "a[href], a[name], [id]"
"""The elements an outline reads, in document order: links, and named or id'd elements."""


@dataclass(frozen=True)
class CheckContext:
    """What a site-wide check can look at."""

    config: SiteConfig
    """The site configuration."""
    index: SiteIndex
    """Every page in every locale."""
    locales: tuple[str, ...]
    """Locales being built or checked."""
    cultures: Mapping[str, CultureProfile]
    """Each locale's culture profile, by locale tag."""
    image_uses: tuple[ImageUse, ...]
    """Every image shown, per page and locale."""
    output: Callable[[str], bytes | Path | None] = field(default=lambda path: None)
    """The built file at an output path (``de-de/product/index.html``): its bytes, the
    path of a file copied as it is, or ``None``."""
    output_paths: Collection[str] = ()
    """Every output path of the build."""
    outline: Callable[[str], HtmlOutline | None] = field(default=lambda path: None)
    """The links and ids of the built HTML file at an output path, or ``None``; made
    while the file rendered when a check :attr:`~Check.reads_html`."""
    theme: Theme | None = None
    """The theme the site was rendered with."""
    cache: dict[str, Any] = field(default_factory=dict)
    """Kept from one build to the next in ``locgen serve``: a check may memoize work here."""
    store: dict[str, Any] = field(default_factory=dict)
    """Kept from one build to the next in the build cache (``.locgen-cache/``) and in
    ``locgen serve``. What a check keeps here must pickle, and must be keyed or
    stamped by content (hashes), never by file times, so that it is right after
    a ``git clone`` and a cache restore."""


@dataclass(frozen=True)
class Check:
    """A named group of rules and the functions that report them."""

    id: str
    """Name of the check, e.g. ``links``."""
    description: str
    """One line saying what it checks."""
    run: Callable[[CheckContext], Iterable[Finding]] | None = None
    """Site-wide part, run once per build."""
    text: Callable[[ReaderText], Iterable[Finding]] | None = None
    """Per-text part, run for every page and email in every locale."""
    rules: tuple[Rule, ...] = ()
    """The rules its findings use; config and suppressions may name only these."""
    reads_html: bool = False
    """True when :attr:`run` reads :attr:`CheckContext.outline`: the build then outlines
    each HTML file while it renders (in the worker processes of a parallel build)."""
