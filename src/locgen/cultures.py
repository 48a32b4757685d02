"""Culture profiles: how the readers of one market expect to be addressed.

A :class:`CultureProfile` is plain data that plugins supply through the
``locgen_cultures`` hook. The build picks one profile per locale, applies the
site's ``[cultures.<id>]`` overrides, and every adaptation (tone and formality
variants, greetings, angle order, image variants, palette, support hours)
reads from the prepared profile.

Profiles convert to and from *settings*: a flat mapping of dotted names
(``formality``, ``formal.greeting``, ``values.idv``, ``palette.accent``) to
values. Overrides, provenance and ``locgen cultures`` all work on settings, so
every field is overridable in ``locgen.toml`` under the same name.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

DIRECTNESS = ("direct", "indirect")
"""Values of ``directness`` (and of ``::: tone`` blocks)."""
CONTEXTS = ("low", "mid", "high")
"""Values of ``context``: how much a reader expects to be said outright."""
FORMALITIES = ("formal", "informal")
"""Values of ``formality`` (and of ``::: formality`` blocks and gettext contexts)."""
ANGLES = ("innovation", "stability", "individual", "collective", "price", "service")
"""Value angles a page can argue from (``::: angle`` blocks), in their default order."""
NAME_ORDERS = ("given-family", "family-given")
"""How a full name is written."""
PALETTE_KEYS = ("primary", "accent", "positive", "negative")
"""Colours a culture sets; themes read them as ``--culture-<key>`` CSS properties."""
CHANNELS = (
    "email",
    "phone",
    "chat",
    "whatsapp",
    "line",
    "wechat",
    "kakaotalk",
    "messenger",
)
"""Support channels a culture can prefer and a site can offer."""


@dataclass(frozen=True)
class Regime:
    """What one body of email law asks of commercial mail."""

    name: str
    """Display name, e.g. ``CAN-SPAM``."""
    unsubscribe: bool
    """Marketing mail must carry a working opt-out link."""


REGIMES: dict[str, Regime] = {
    # Physical postal address and a working opt-out in every commercial email.
    "can-spam": Regime("CAN-SPAM (US)", unsubscribe=True),
    # Consent, mailing address, and an unsubscribe that works for 60 days.
    "casl": Regime("CASL (Canada)", unsubscribe=True),
    # ePrivacy: every marketing message offers a simple way to object.
    "gdpr": Regime("GDPR and ePrivacy (EU)", unsubscribe=True),
    "uk-gdpr": Regime("UK GDPR and PECR", unsubscribe=True),
    # Sender name, address and an opt-out address or URL.
    "japan-specified-email": Regime("Act on Specified Electronic Mail (Japan)", unsubscribe=True),
    # Consent can be withdrawn at any time, free of charge.
    "lgpd": Regime("LGPD (Brazil)", unsubscribe=True),
    "generic": Regime("no specific regime", unsubscribe=False),
}
"""Email compliance regimes a culture can name, with what each requires."""
COMPLIANCE_REGIMES = tuple(REGIMES)
"""Email compliance regimes a culture can name (``can-spam``, ``gdpr``, …)."""
FIXED_SETTINGS = ("id", "regions")
"""Settings that overrides cannot change: locales are matched against them first."""
GREETING_FIELDS = ("given", "family", "full", "title")
"""Placeholders a greeting pattern may use: ``{given}``, ``{family}``, ``{full}``, ``{title}``."""
TABLE_SETTINGS = ("imagery_cautions", "palette", "calendar_periods")
"""Settings that are tables of text: overrides merge them key by key, an empty value removes one."""


@dataclass(frozen=True)
class AddressStyle:
    """How a reader is addressed at one level of formality."""

    pronoun: str
    """Second-person pronoun, e.g. ``Sie`` or ``du``; empty where the language has one form."""
    greeting: str
    """Greeting with a name when the gender is unknown, e.g. ``Dear {given} {family},``."""
    greeting_female: str
    """Greeting for a woman, e.g. ``Sehr geehrte Frau {title}{family},``; empty: ``greeting``."""
    greeting_male: str
    """Greeting for a man, e.g. ``Sehr geehrter Herr {title}{family},``; empty uses ``greeting``."""
    greeting_anonymous: str
    """Greeting when no name is known, e.g. ``Sehr geehrte Damen und Herren,``."""
    sign_off: str
    """Closing line before the sender, e.g. ``Mit freundlichen Grüßen``."""
    opening: str = ""
    """Customary line after the greeting, e.g. ``いつもお世話になっております。``; may be empty."""


@dataclass(frozen=True)
class ValueScores:
    """Published cultural-dimension scores (0–100+) used to order value angles."""

    pdi: int
    """Power distance: acceptance of hierarchy; high favours titles and formal address."""
    idv: int
    """Individualism: high puts ``individual`` before ``collective``."""
    mas: int
    """Motivation towards achievement and success."""
    uai: int
    """Uncertainty avoidance: high favours ``stability`` and ``service``, and more detail."""
    lto: int
    """Long-term orientation."""
    ivr: int
    """Indulgence."""


@dataclass(frozen=True)
class CultureProfile:
    """Everything locgen knows about how one market's readers expect to be addressed."""

    id: str
    """Lowercase English id, e.g. ``japan``; used in ``[cultures.<id>]`` and image variants."""
    name: str
    """English display name, e.g. ``Japan``."""
    regions: tuple[str, ...]
    """Locales this culture serves: ``JP`` (territory), ``ja`` (language), ``de-CH`` (both)."""
    directness: str
    """``direct`` or ``indirect``: which ``::: tone`` variant readers get."""
    context: str
    """``low``, ``mid`` or ``high``: how much is left unsaid."""
    formality: str
    """``formal`` or ``informal``: variants, gettext context and address forms used."""
    name_order: str
    """``given-family`` or ``family-given``."""
    formal: AddressStyle
    """Address forms used when formality is ``formal``."""
    informal: AddressStyle
    """Address forms used when formality is ``informal``."""
    values: ValueScores
    """Cultural-dimension scores."""
    angles: tuple[str, ...]
    """Value angles in order of preference; unlisted angles follow in default order."""
    support_channels: tuple[str, ...]
    """Support channels readers prefer, most preferred first."""
    response_hours: int
    """First support reply readers expect, in hours."""
    compliance: str
    """Email compliance regime, one of :data:`COMPLIANCE_REGIMES`."""
    holiday_country: str
    """ISO 3166 country (optionally ``-SUBDIVISION``) whose public holidays apply."""
    calendar_periods: Mapping[str, str] = field(default_factory=dict)
    """Named periods in which campaign mail should not be sent, beyond public holidays.

    Each value is a :func:`parse_calendar_period` spec: ``04-29..05-05`` (the
    same Gregorian days every year, possibly wrapping over new year) or
    ``hijri:9`` (a whole month of the Hijri calendar, here Ramadan).
    """
    imagery_cautions: Mapping[str, str] = field(default_factory=dict)
    """Image tags to avoid (``gesture:ok-sign``) mapped to the reason shown in findings."""
    palette: Mapping[str, str] = field(default_factory=dict)
    """CSS colours by :data:`PALETTE_KEYS` name; missing keys keep the theme's colours."""
    footer_params: tuple[str, ...] = ()
    """``[params]`` keys the compliance footer adds for these readers (``register``, ``vat_id``)."""
    transactional_footer: bool = False
    """Transactional mail keeps the compliance footer too (Germany: business-letter law)."""

    @property
    def regime(self) -> Regime:
        """What the culture's email compliance regime requires."""
        return REGIMES[self.compliance]

    @property
    def tone(self) -> str:
        """The ``::: tone`` variant this culture's readers get (its directness)."""
        return self.directness

    @property
    def address(self) -> AddressStyle:
        """Address forms at the culture's formality."""
        return self.formal if self.formality == "formal" else self.informal

    def angle_order(self) -> tuple[str, ...]:
        """Every angle, most preferred first.

        :attr:`angles` first, then unlisted angles in default order; a profile
        that lists none gets the order :func:`derived_angles` reads from its values.
        """
        if not self.angles:
            return derived_angles(self.values)
        return (*self.angles, *(a for a in ANGLES if a not in self.angles))

    def settings(self) -> dict[str, Any]:
        """The profile as flat dotted settings (``formal.greeting``, ``values.idv``)."""
        flat: dict[str, Any] = {}
        _flatten(dataclasses.asdict(self), "", flat)
        return flat


class ProfileError(ValueError):
    """A culture profile or an override of one has an invalid setting.

    :param setting: the dotted setting name at fault.
    """

    def __init__(self, setting: str, message: str) -> None:
        super().__init__(f"{setting}: {message}")
        self.setting = setting
        self.message = message


def _flatten(data: Mapping[str, Any], prefix: str, out: dict[str, Any]) -> None:
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping) and key not in TABLE_SETTINGS:
            _flatten(value, name + ".", out)
        elif isinstance(value, Mapping):
            out[name] = dict(value)
        else:
            out[name] = value


def setting_names() -> tuple[str, ...]:
    """Every setting name a profile has, in field order."""
    names: list[str] = []
    for f in dataclasses.fields(CultureProfile):
        nested = _NESTED.get(f.name)
        if nested is None:
            names.append(f.name)
        else:
            names.extend(f"{f.name}.{sub.name}" for sub in dataclasses.fields(nested))
    return tuple(names)


_NESTED: dict[str, type[Any]] = {
    "formal": AddressStyle,
    "informal": AddressStyle,
    "values": ValueScores,
}


def apply_settings(profile: CultureProfile, changes: Mapping[str, Any]) -> CultureProfile:
    """Return *profile* with dotted *changes* applied, validated; :class:`ProfileError` if bad.

    The :data:`TABLE_SETTINGS` (``palette``, ``imagery_cautions``,
    ``calendar_periods``) merge key by key: ``palette.accent`` changes one
    colour, an empty value removes a key. Every other setting is replaced
    whole. ``id`` and ``regions`` are fixed once a culture is registered,
    because locales have already been matched against them.
    """
    flat = profile.settings()
    known = set(setting_names())
    for name, value in changes.items():
        head, _, key = name.partition(".")
        if head in FIXED_SETTINGS:
            raise ProfileError(
                name,
                "cannot be changed after registration; choose a locale's culture with "
                '[locales."<tag>"].culture instead',
            )
        if head in TABLE_SETTINGS:
            entries = {key: value} if key else value
            if not isinstance(entries, Mapping):
                raise ProfileError(name, "must be a table")
            merged = dict(flat[head])
            for entry, text in entries.items():
                if text == "":
                    merged.pop(entry, None)
                else:
                    merged[entry] = text
            flat[head] = merged
        elif name in known:
            flat[name] = value
        else:
            raise ProfileError(name, _unknown_setting_message(name))
    return profile_from_settings(flat)


def _unknown_setting_message(name: str) -> str:
    import difflib

    close = difflib.get_close_matches(name, setting_names(), n=1)
    return "is not a culture setting" + (f"; did you mean {close[0]!r}?" if close else "")


def profile_from_settings(flat: Mapping[str, Any]) -> CultureProfile:
    """Build and validate a profile from flat dotted settings."""
    values: dict[str, Any] = {}
    for f in dataclasses.fields(CultureProfile):
        nested = _NESTED.get(f.name)
        if nested is None:
            if f.name not in flat:
                raise ProfileError(f.name, "is missing")
            values[f.name] = flat[f.name]
        else:
            parts = {}
            for sub in dataclasses.fields(nested):
                name = f"{f.name}.{sub.name}"
                if name in flat:
                    parts[sub.name] = flat[name]
                elif sub.default is dataclasses.MISSING:
                    raise ProfileError(name, "is missing")
            parts = {k: _check_field(f"{f.name}.{k}", v, nested) for k, v in parts.items()}
            values[f.name] = nested(**parts)
    checked = {
        name: (v if name in _NESTED else _check_field(name, v, CultureProfile))
        for name, v in values.items()
    }
    profile = CultureProfile(**checked)
    validate_profile(profile)
    return profile


def _check_field(name: str, value: Any, owner: type[Any]) -> Any:
    """Type-check one setting and convert lists to tuples."""
    field_name = name.rpartition(".")[2]
    kind = {f.name: f.type for f in dataclasses.fields(owner)}[field_name]
    if kind == "str":
        if not isinstance(value, str):
            raise ProfileError(name, f"must be text, not {type(value).__name__}")
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            raise ProfileError(name, f"must be true or false, not {type(value).__name__}")
        return value
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ProfileError(name, f"must be a whole number, not {type(value).__name__}")
        return value
    if kind == "tuple[str, ...]":
        if isinstance(value, str) or not isinstance(value, Iterable):
            raise ProfileError(name, "must be a list of text")
        items = tuple(value)
        if not all(isinstance(item, str) for item in items):
            raise ProfileError(name, "must be a list of text")
        return items
    if kind == "Mapping[str, str]":
        if not isinstance(value, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            raise ProfileError(name, "must be a table of text values")
        return dict(sorted(value.items()))
    return value


def validate_profile(profile: CultureProfile) -> None:
    """Check every setting of *profile* against its allowed values; :class:`ProfileError`."""
    if (
        not profile.id
        or not profile.id.replace("-", "").isalnum()
        or profile.id != profile.id.lower()
    ):
        raise ProfileError("id", f"{profile.id!r} must be lowercase letters, digits and hyphens")
    _one_of("directness", profile.directness, DIRECTNESS)
    _one_of("context", profile.context, CONTEXTS)
    _one_of("formality", profile.formality, FORMALITIES)
    _one_of("name_order", profile.name_order, NAME_ORDERS)
    _one_of("compliance", profile.compliance, COMPLIANCE_REGIMES)
    for angle in profile.angles:
        _one_of("angles", angle, ANGLES)
    if len(set(profile.angles)) != len(profile.angles):
        raise ProfileError("angles", "lists an angle twice")
    for channel in profile.support_channels:
        _one_of("support_channels", channel, CHANNELS)
    for key in profile.palette:
        _one_of("palette", key, PALETTE_KEYS)
    for key, colour in profile.palette.items():
        if not _is_css_colour(colour):
            raise ProfileError(f"palette.{key}", f"{colour!r} is not a CSS colour like #1a73e8")
    for tag in profile.imagery_cautions:
        if ":" not in tag:
            raise ProfileError(
                "imagery_cautions", f"tag {tag!r} must look like kind:value, e.g. gesture:ok-sign"
            )
    for name, spec in profile.calendar_periods.items():
        if not name.strip():
            raise ProfileError("calendar_periods", f"period {name!r} needs a name")
        try:
            parse_calendar_period(spec)
        except ValueError as exc:
            raise ProfileError("calendar_periods", f"{name!r} = {spec!r}: {exc}") from None
    if profile.response_hours <= 0:
        raise ProfileError("response_hours", "must be a positive number of hours")
    for level in FORMALITIES:
        style: AddressStyle = getattr(profile, level)
        for f in dataclasses.fields(AddressStyle):
            if f.name.startswith("greeting"):
                _check_pattern(f"{level}.{f.name}", getattr(style, f.name))
    for region in profile.regions:
        if not region or not all(part.isalnum() for part in region.split("-")):
            raise ProfileError("regions", f"{region!r} is not a territory, language or tag")


@dataclass(frozen=True)
class CalendarPeriod:
    """A span of days that comes back every year, read from a ``calendar_periods`` spec."""

    calendar: str
    """``gregorian`` or ``hijri``: the calendar :attr:`first` and :attr:`last` count in."""
    first: tuple[int, int]
    """``(month, day)`` of the first day."""
    last: tuple[int, int]
    """``(month, day)`` of the last day; before :attr:`first` when the span wraps over new year."""

    def contains(self, month: int, day: int) -> bool:
        """Whether the day ``(month, day)``, counted in :attr:`calendar`, falls in the period."""
        if self.first <= self.last:
            return self.first <= (month, day) <= self.last
        return (month, day) >= self.first or (month, day) <= self.last


_GREGORIAN_RANGE = re.compile(r"(\d\d)-(\d\d)\.\.(\d\d)-(\d\d)")
_HIJRI_MONTH = re.compile(r"hijri:(\d{1,2})")


@functools.lru_cache(maxsize=256)
def parse_calendar_period(spec: str) -> CalendarPeriod:
    """Read a ``calendar_periods`` spec; :class:`ValueError` saying what is wrong.

    ``MM-DD..MM-DD`` is a Gregorian span, the same every year (``12-24..01-06``
    wraps over new year); ``hijri:M`` is the whole Hijri month ``M`` (``hijri:9``
    is Ramadan), which moves through the Gregorian year.
    """
    if match := _GREGORIAN_RANGE.fullmatch(spec):
        month1, day1, month2, day2 = (int(part) for part in match.groups())
        for month, day in ((month1, day1), (month2, day2)):
            try:
                # A leap year, so that 02-29 is a valid day.
                dt.date(2000, month, day)
            except ValueError:
                raise ValueError(f"{month:02}-{day:02} is not a day of the year") from None
        return CalendarPeriod("gregorian", (month1, day1), (month2, day2))
    if match := _HIJRI_MONTH.fullmatch(spec):
        month = int(match.group(1))
        if not 1 <= month <= 12:
            raise ValueError("Hijri months are numbered 1 to 12")
        return CalendarPeriod("hijri", (month, 1), (month, 30))
    raise ValueError("must be MM-DD..MM-DD or hijri:M (e.g. 04-29..05-05, or hijri:9 for Ramadan)")


def _one_of(name: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ProfileError(name, f"{value!r} is not one of {', '.join(allowed)}")


def _is_css_colour(value: str) -> bool:
    if value.startswith("#"):
        digits = value[1:]
        return len(digits) in (3, 4, 6, 8) and all(c in string.hexdigits for c in digits)
    return value.startswith(("rgb(", "rgba(", "hsl(", "hsla(", "oklch(")) and value.endswith(")")


def _check_pattern(name: str, pattern: str) -> None:
    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(pattern) if f is not None]
    except ValueError as exc:
        raise ProfileError(name, f"bad pattern {pattern!r}: {exc}") from None
    for placeholder in fields:
        if placeholder not in GREETING_FIELDS:
            raise ProfileError(
                name,
                f"unknown placeholder {{{placeholder}}}; use "
                + ", ".join("{" + f + "}" for f in GREETING_FIELDS),
            )


def derived_angles(values: ValueScores) -> tuple[str, ...]:
    """Angle order read from *values*, for profiles that list no ``angles``.

    High individualism puts ``individual`` before ``collective``; high
    uncertainty avoidance and long-term orientation put ``stability`` and
    ``service`` before ``innovation``; a short-term, individualist reader
    weighs ``price``.
    """
    scores = {
        "innovation": (200 - values.uai - values.lto) / 2,
        "stability": (values.uai + values.lto) / 2,
        "individual": values.idv,
        "collective": 100 - values.idv,
        "price": (100 - values.lto + values.idv) / 2,
        "service": (values.pdi + values.uai) / 2,
    }
    return tuple(sorted(ANGLES, key=lambda angle: (-scores[angle], ANGLES.index(angle))))
