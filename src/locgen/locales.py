"""Locales of a site: Babel locale data, text direction, native names, fallback chains."""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import cached_property
from typing import Any

from babel import Locale
from babel.numbers import get_territory_currencies

from locgen.config import SiteConfig

# Scripts written right to left; Babel knows the direction of every CLDR locale,
# this set only documents the languages the product contract names.
RTL_LANGUAGES = frozenset({"ar", "he", "fa", "ur"})


LocaleFacts = tuple[str, str, str, str]
"""What :meth:`SiteLocale.facts` gives."""
_FACTS = ("native_name", "language_name", "dir", "currency")


@dataclass(frozen=True)
class SiteLocale:
    """One locale of the site, as templates and the build see it.

    The names, the text direction and the default currency come from the
    locale's CLDR data, which Babel loads on first use (a few milliseconds a
    locale): they are worked out when first asked for, so a build that renders
    nothing, or only some locales, does not load every locale's data.
    """

    tag: str
    """BCP 47 tag as configured, e.g. ``de-DE``; used for ``lang`` and ``hreflang``."""
    babel: Locale
    """Babel locale for CLDR formatting (never ``locale.setlocale``)."""
    url_segment: str
    """First URL segment of this locale's pages: the tag in lowercase."""
    timezone: str
    """IANA time zone for dates and times."""
    title: str
    """Site title in this locale."""
    home_url: str
    """URL of this locale's home page (site-relative, with the base path)."""
    configured_currency: str | None = None
    """``[locales.<tag>].currency`` from ``locgen.toml``, if set (see :attr:`currency`)."""

    @cached_property
    def native_name(self) -> str:
        """Name in its own language, e.g. ``Deutsch (Deutschland)``."""
        return _capitalize_first(self.babel.get_display_name(self.babel) or self.tag)

    @cached_property
    def language_name(self) -> str:
        """Language name in its own language, e.g. ``Deutsch``."""
        return _capitalize_first(self.babel.get_language_name(self.babel) or self.tag)

    @cached_property
    def dir(self) -> str:
        """Text direction: ``ltr`` or ``rtl``."""
        if self.babel.language in RTL_LANGUAGES or self.babel.text_direction == "rtl":
            return "rtl"
        return "ltr"

    @cached_property
    def currency(self) -> str:
        """ISO 4217 code used when a template formats a price without naming one: the
        configured one, else the first currency of the locale's territory, else USD."""
        return self.configured_currency or _territory_currency(self.babel)

    @property
    def language(self) -> str:
        """ISO 639 language code, e.g. ``de``."""
        return str(self.babel.language)

    @property
    def territory(self) -> str | None:
        """ISO 3166 territory code, e.g. ``DE``, or ``None``."""
        return self.babel.territory

    @property
    def catalog_name(self) -> str:
        """Folder name of this locale's gettext catalog (``de_DE``, pybabel style)."""
        return gettext_name(self.tag)

    def __str__(self) -> str:
        return self.tag

    def facts(self) -> LocaleFacts:
        """Its :attr:`native_name`, :attr:`language_name`, :attr:`dir` and :attr:`currency`."""
        return (self.native_name, self.language_name, self.dir, self.currency)

    def know(self, facts: LocaleFacts) -> None:
        """Take the :meth:`facts` an earlier build worked out, so that asking for them
        loads no CLDR data (each page's language switcher asks for every locale's)."""
        self.__dict__.update(zip(_FACTS, facts, strict=True))  # as cached_property keeps them

    def __reduce__(self) -> tuple[Any, ...]:
        # A Babel locale pickles with all the CLDR data it has loaded (180 KB): it
        # travels as its identifier, and a copy loads the data where it is used.
        settings = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "babel"}
        return (_site_locale, (str(self.babel), settings))


def _site_locale(babel: str, settings: dict[str, Any]) -> SiteLocale:
    """The :class:`SiteLocale` that :meth:`SiteLocale.__reduce__` sent."""
    return SiteLocale(babel=Locale.parse(babel), **settings)


def gettext_name(tag: str) -> str:
    """The gettext/pybabel folder name of a BCP 47 tag: ``de-DE`` → ``de_DE``."""
    return tag.replace("-", "_")


def _capitalize_first(text: str) -> str:
    # CLDR gives some names in lowercase ("svenska"); a menu shows them capitalized.
    return text[:1].upper() + text[1:]


def site_locales(config: SiteConfig, base_path: str) -> dict[str, SiteLocale]:
    """Build a :class:`SiteLocale` for every configured locale, in config order."""
    result: dict[str, SiteLocale] = {}
    for tag in config.locales:
        settings = config.settings(tag)
        segment = tag.lower()
        result[tag] = SiteLocale(
            tag=tag,
            babel=Locale.parse(tag, sep="-"),
            url_segment=segment,
            timezone=settings.timezone or config.timezone,
            title=settings.title or config.title,
            home_url=f"{base_path}{segment}/",
            configured_currency=settings.currency,
        )
    return result


def _territory_currency(babel_locale: Locale) -> str:
    territory = babel_locale.territory
    if territory:
        currencies = get_territory_currencies(territory)
        if currencies:
            return str(currencies[0])
    return "USD"


def fallback_chain(config: SiteConfig, tag: str) -> tuple[str, ...]:
    """Return the locales whose content *tag* may show, most preferred first.

    The chain starts with *tag* itself. An explicit ``[locales.X].fallback``
    is used as written; otherwise the chain is every other configured locale
    of the same language (in config order), then the default locale.
    """
    explicit = config.settings(tag).fallback
    if explicit is not None:
        chain = [tag, *explicit]
    else:
        language = tag.split("-")[0].lower()
        same_language = [
            other
            for other in config.locales
            if other != tag and other.split("-")[0].lower() == language
        ]
        chain = [tag, *same_language, config.default_locale]
    seen: list[str] = []
    for item in chain:
        if item not in seen:
            seen.append(item)
    return tuple(seen)
