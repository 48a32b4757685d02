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
        # Lines given as text are not decoded again with the charset the header names.
        catalog = read_po(io.StringIO(text), abort_invalid=True, domain=DOMAIN)
    except PoFileError as exc:
        # Babel counts the lines of its errors from 0 and appends " on <that number>".
        lineno = getattr(exc, "lineno", None)
        message = re.sub(r" on \d+$", "", str(exc.args[0] if exc.args else exc))
        raise CatalogError(
            f"invalid PO file: {message}",
            path=path,
            line=lineno + 1 if isinstance(lineno, int) else None,
            hint="fix the entry, or regenerate it with `locgen i18n update`",
        ) from None
    except (ValueError, LookupError) as exc:
        # Babel reads the header entry as it goes: "nplurals=x" fails there.
        raise CatalogError(
            f"invalid PO file header: {exc}",
            path=path,
            line=_line_containing(text, "plural-forms:") or _line_containing(text, 'msgid ""'),
            hint='start the file with the msgid "" entry pybabel writes, with valid headers',
        ) from None
    # The file was read as UTF-8 whatever its header says (pybabel writes UTF-8,
    # a template copied by hand may still say "charset=CHARSET").
    catalog.charset = "utf-8"
    _check_plural_forms(catalog, text, path)
    _check_messages(catalog, path)
    return catalog


def _check_plural_forms(catalog: Catalog, text: str, path: Path) -> None:
    """Refuse a ``Plural-Forms`` header that gettext cannot evaluate for every count."""
    header = catalog.mime_headers
    value = next((v for k, v in header if k.lower() == "plural-forms"), None)
    if value is None:
        return
    line = _line_containing(text, "plural-forms:")
    problem = None
    fields = dict(part.strip().partition("=")[::2] for part in value.split(";") if "=" in part)
    try:
        count = int(fields.get("nplurals", ""))
        plural = gettext.c2py(fields.get("plural", ""))
        if count < 1:
            problem = f"nplurals is {count}"
        else:
            # gettext picks msgstr[plural(n)]; every count must pick an existing form.
            bad = next((n for n in range(1000) if not 0 <= plural(n) < count), None)
            if bad is not None:
                problem = f"plural({bad}) is {plural(bad)}, but there are only {count} forms"
    except (ValueError, ZeroDivisionError, RecursionError) as exc:
        problem = str(exc) or type(exc).__name__
    if problem is not None:
        raise CatalogError(
            f"invalid Plural-Forms header {value!r}: {problem}",
            path=path,
            line=line,
            hint='write e.g. "Plural-Forms: nplurals=2; plural=(n != 1);\\n" '
            "(see the gettext manual for your language's rule)",
        )


def _line_containing(text: str, needle: str) -> int | None:
    """The first line of *text* that contains *needle* (ignoring case), or ``None``."""
    return next(
        (n for n, line in enumerate(text.splitlines(), start=1) if needle in line.lower()), None
    )


def _check_messages(catalog: Catalog, path: Path) -> None:
    """Refuse a message that cannot be compiled, or that the theme cannot format.

    A compiled catalog separates the forms of a message with the control
    characters NUL and EOT, so no message may contain them. Themes format every
    translated string with ``%`` and the keyword arguments the template passes,
    which are the source string's ``%(name)s`` placeholders (as ``msgfmt
    --check-format`` requires, a translation uses no others).
    """
    for message in catalog:
        ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        for text in (*ids, *strings, message.context or ""):
            bad = next((c for c in "\x00\x04" if c in (text or "")), None)
            if bad is not None:
                raise CatalogError(
                    f"a message contains the control character U+{ord(bad):04X}",
                    path=path,
                    line=message.lineno,
                    hint="remove it; gettext catalogs cannot hold it",
                )
        if not message.id or not message.string or message.fuzzy:
            continue  # the header, an untranslated entry, or one a build leaves out
        # The keyword arguments a template passes: the placeholders, and what
        # ngettext and pgettext add themselves.
        names: dict[str, object] = {"num": 0, "context": 0}
        for source in ids:
            names.update(dict.fromkeys(re.findall(r"%\(([^)]*)\)", source), 0))
        try:
            for source in ids:
                source % names
        except (KeyError, ValueError, TypeError):
            continue  # not a format string (or one the theme formats otherwise)
        for translated in strings:
            if not translated:
                continue
            try:
                translated % names
            except KeyError as exc:
                problem = f"%({exc.args[0]})s is not a placeholder of the source text"
            except (ValueError, TypeError) as exc:
                problem = f"it is not a valid format string ({exc})"
            else:
                continue
            raise CatalogError(
                f"the translation of {ids[0]!r} cannot be filled in: {problem}",
                path=path,
                line=message.lineno,
                hint="use the placeholders of msgid, and write a literal % as %%",
            )


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
