"""Gettext catalogs for theme strings, compiled in memory at build time.

Catalogs live in ``locales/<ll_TT>/LC_MESSAGES/messages.po`` (the pybabel
layout; ``locales/<ll-TT>/`` is accepted too). The site's catalog wins over the
bundled theme's, which fills in what the site does not translate. No ``.mo``
file is read or written by a build.
"""

from __future__ import annotations

import gettext
import io
import re
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.support import NullTranslations, Translations

from locgen.errors import CatalogError
from locgen.locales import SiteLocale
from locgen.textfiles import decode_utf8

DOMAIN = "messages"


def catalog_candidates(locales_dir: Path, locale: SiteLocale) -> list[Path]:
    """Return the ``messages.po`` paths that may hold *locale*'s strings, most specific first."""
    names = [locale.catalog_name, locale.tag]
    language = locale.language
    if language not in names:
        names.append(language)
    return [locales_dir / name / "LC_MESSAGES" / f"{DOMAIN}.po" for name in names]


def find_catalog(locales_dir: Path, locale: SiteLocale) -> Path | None:
    """Return the catalog file for *locale* in *locales_dir*, or ``None``."""
    for candidate in catalog_candidates(locales_dir, locale):
        if candidate.is_file():
            return candidate
    return None


# A PO line is a comment, a keyword with one quoted string, or a continuation
# string. Babel's reader silently mangles an unquoted or unterminated string
# ("Willkommen" read as "illkomme"), so lines are checked before it reads them.
_PO_LINE = re.compile(
    r'\s*(?:#.*|(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)?\s*"(?:[^"\\]|\\.)*"\s*)?'
)


def read_catalog(path: Path) -> Catalog:
    """Parse a PO file, turning syntax errors into a located :class:`CatalogError`."""
    text = decode_utf8(path.read_bytes(), path, CatalogError)
    for number, line in enumerate(text.splitlines(), start=1):
        if not _PO_LINE.fullmatch(line):
            raise CatalogError(
                "invalid PO file: expected a keyword and one quoted string",
                path=path,
                line=number,
                hint='write entries as msgid "..." / msgstr "...", with quotes closed',
            )
    try:
        return read_po(io.BytesIO(text.encode("utf-8")), abort_invalid=True, domain=DOMAIN)
    except PoFileError as exc:
        raise CatalogError(
            f"invalid PO file: {exc.args[0] if exc.args else exc}",
            path=path,
            line=getattr(exc, "lineno", None),
            hint="fix the entry, or regenerate it with `locgen i18n update`",
        ) from None


def compile_catalog(catalog: Catalog) -> Translations:
    """Compile a parsed catalog into translations in memory (fuzzy entries left out)."""
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def load_translations(locale: SiteLocale, locales_dirs: list[Path]) -> NullTranslations:
    """Return *locale*'s translations from *locales_dirs*, earlier folders winning.

    A locale without any catalog gets the source (English) strings.
    """
    chain: list[Translations] = []
    seen: set[Path] = set()
    for folder in locales_dirs:
        path = find_catalog(folder, locale)
        if path is None or path.resolve() in seen:
            continue
        seen.add(path.resolve())
        chain.append(compile_catalog(read_catalog(path)))
    if not chain:
        return NullTranslations()
    first = chain[0]
    for fallback in chain[1:]:
        first.add_fallback(fallback)
    return first


class FormalityTranslations(gettext.NullTranslations):
    """Translations where ``pgettext("formal"|"informal", …)`` falls back to the plain entry.

    A theme string looked up in the culture's formality context uses that
    context's translation when the catalog has one, and the context-free
    translation otherwise, so a catalog only adds formality entries where a
    language needs them.
    """

    def __init__(self, inner: NullTranslations) -> None:
        super().__init__()
        self.inner = inner

    def gettext(self, message: str) -> str:
        return str(self.inner.gettext(message))

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return str(self.inner.ngettext(msgid1, msgid2, n))

    def pgettext(self, context: str, message: str) -> str:
        translated = str(self.inner.pgettext(context, message))
        if context in FORMALITY_CONTEXTS and translated == message:
            return str(self.inner.gettext(message))
        return translated

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        translated = self.inner.npgettext(context, msgid1, msgid2, n)
        if context in FORMALITY_CONTEXTS and translated in (msgid1, msgid2):
            return str(self.inner.ngettext(msgid1, msgid2, n))
        return str(translated)


FORMALITY_CONTEXTS = ("formal", "informal")
"""gettext contexts a culture's formality chooses between."""
