"""Locales of a site: Babel locale data, text direction, native names, fallback chains."""

from __future__ import annotations

from dataclasses import dataclass

from babel import Locale
from babel.numbers import get_territory_currencies

from locgen.config import SiteConfig

# Scripts written right to left; Babel knows the direction of every CLDR locale,
# this set only documents the languages the product contract names.
RTL_LANGUAGES = frozenset({"ar", "he", "fa", "ur"})


@dataclass(frozen=True)
class SiteLocale:
    """One locale of the site, as templates and the build see it."""

    tag: str
    """BCP 47 tag as configured, e.g. ``de-DE``; used for ``lang`` and ``hreflang``."""
    babel: Locale
    """Babel locale for CLDR formatting (never ``locale.setlocale``)."""
    url_segment: str
    """First URL segment of this locale's pages: the tag in lowercase."""
    native_name: str
    """Name in its own language, e.g. ``Deutsch (Deutschland)``."""
    language_name: str
    """Language name in its own language, e.g. ``Deutsch``."""
    dir: str
    """Text direction: ``ltr`` or ``rtl``."""
    currency: str
    """ISO 4217 code used when a template formats a price without naming one."""
    timezone: str
    """IANA time zone for dates and times."""
    title: str
    """Site title in this locale."""
    home_url: str
    """URL of this locale's home page (site-relative, with the base path)."""

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
        babel_locale = Locale.parse(tag, sep="-")
        settings = config.settings(tag)
        direction = "rtl" if babel_locale.text_direction == "rtl" else "ltr"
        if babel_locale.language in RTL_LANGUAGES:
            direction = "rtl"
        currency = settings.currency or _territory_currency(babel_locale)
        segment = tag.lower()
        result[tag] = SiteLocale(
            tag=tag,
            babel=babel_locale,
            url_segment=segment,
            native_name=_capitalize_first(babel_locale.get_display_name(babel_locale) or tag),
            language_name=_capitalize_first(babel_locale.get_language_name(babel_locale) or tag),
            dir=direction,
            currency=currency,
            timezone=settings.timezone or config.timezone,
            title=settings.title or config.title,
            home_url=f"{base_path}{segment}/",
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
