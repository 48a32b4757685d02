"""``locgen.toml``: read, validate and freeze the site configuration."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.numbers import is_currency

from locgen.errors import ConfigError, UsageError
from locgen.merge_tags import DEFAULT_DIALECT, MergeFieldError, MergeTags
from locgen.resources import find_theme
from locgen.textfiles import decode_utf8

CONFIG_NAME = "locgen.toml"
LOCALE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*")
"""The shape of a BCP 47 tag as locgen accepts it (hyphens; Babel checks the rest)."""

_SITE_KEYS = {
    "title",
    "description",
    "base_url",
    "default_locale",
    "locales",
    "theme",
    "output",
    "timezone",
    "unsafe_html",
}
_LOCALE_KEYS = {"fallback", "title", "currency", "timezone", "culture", "unsafe_html"}
_SUPPORT_KEYS = {"timezone", "days", "hours", "channels", "reference_date"}
_EMAIL_KEYS = {
    "merge_tags",
    "subject_limits",
    "merge_fields",
    "unsubscribe_url",
    "unsubscribe_mailto",
    "from_name",
    "from_address",
    "sender_timezone",
    "export",
}
_TOP_KEYS = {"site", "locales", "cultures", "support", "params", "email", "checks", "build"}
_BUILD_KEYS = {"cache_dir", "jobs"}
TABLE_KEYS: dict[str, frozenset[str]] = {
    "site": frozenset(_SITE_KEYS),
    "locales.<tag>": frozenset(_LOCALE_KEYS),
    "support": frozenset(_SUPPORT_KEYS),
    "email": frozenset(_EMAIL_KEYS),
    "build": frozenset(_BUILD_KEYS),
}
"""The keys each table of ``locgen.toml`` with fixed keys takes (``[locales."<tag>"]``
for every locale's table)."""
EMAIL_EXPORTS = ("postmark",)
"""Upload formats ``[email].export`` can name."""
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_REFERENCE_DATE = dt.date(2026, 1, 12)
"""Week whose clocks convert support hours when a page has no date (northern winter time)."""


@dataclass(frozen=True)
class LocaleSettings:
    """Per-locale settings from ``[locales."<tag>"]``."""

    tag: str
    """The BCP 47 tag as written in ``[site].locales``."""
    fallback: tuple[str, ...] | None = None
    """Explicit content fallback chain; ``None`` means the default chain."""
    title: str | None = None
    """Site title shown in this locale; ``None`` uses ``[site].title``."""
    currency: str | None = None
    """ISO 4217 code for prices; ``None`` uses the territory's currency."""
    timezone: str | None = None
    """IANA zone for dates and times; ``None`` uses ``[site].timezone``."""
    culture: str | None = None
    """Culture id this locale uses; ``None`` lets plugins choose from the locale."""
    unsafe_html: bool | None = None
    """Whether this locale's text may carry raw HTML; ``None`` uses ``[site].unsafe_html``."""


@dataclass(frozen=True)
class SupportSettings:
    """``[support]``: when and where the company answers, in its own time zone."""

    timezone: str
    """IANA zone the hours are given in (default: ``[site].timezone``)."""
    days: tuple[int, ...] = (0, 1, 2, 3, 4)
    """Open weekdays, 0 = Monday (``days = "mon-fri"`` or a list of day names)."""
    opens: dt.time = dt.time(9, 0)
    """Opening time (``hours = "09:00-17:00"``)."""
    closes: dt.time = dt.time(17, 0)
    """Closing time; earlier than ``opens`` means after midnight."""
    channels: dict[str, str] = field(default_factory=dict)
    """Channels the company offers, mapped to a link (``mailto:``, ``tel:``, ``https:``)."""
    reference_date: dt.date = DEFAULT_REFERENCE_DATE
    """Date whose time-zone offsets convert the hours for pages without a ``date``."""


@dataclass(frozen=True)
class BuildSettings:
    """``[build]``: how builds run."""

    cache_dir: str = ".locgen-cache"
    """Folder of the build cache, relative to the site folder (or absolute)."""
    jobs: int | None = None
    """Worker processes that render pages; ``None``: one per CPU."""


@dataclass(frozen=True)
class EmailSettings:
    """``[email]``: how emails are addressed, sent and exported."""

    merge_tags: MergeTags = field(default_factory=lambda: MergeTags.create(DEFAULT_DIALECT, {}))
    """The email service's merge-tag syntax and the fields it knows."""
    unsubscribe_url: str | None = None
    """Unsubscribe link of marketing mail, merge tags filled in; ``None`` when not set."""
    unsubscribe_mailto: str | None = None
    """Address for ``List-Unsubscribe`` by email (``unsubscribe@example.com``)."""
    from_name: str | None = None
    """Sender name; ``None`` uses the locale's site title."""
    from_address: str | None = None
    """Sender address for the ``.eml`` previews; ``None`` uses ``hello@<site host>``."""
    sender_timezone: str | None = None
    """IANA zone that ``send_date`` times are given in; ``None`` uses ``[site].timezone``."""
    export: tuple[str, ...] = ()
    """Email-service upload formats to write next to each email (``postmark``)."""
    subject_limits: dict[str, int] = field(default_factory=dict)
    """Subject lengths inboxes show, by language or locale tag (lowercased), over the
    built-in ones."""


@dataclass(frozen=True)
class CheckOverride:
    """One ``[[checks.override]]``: rule settings for some locales and paths."""

    rules: dict[str, str]
    """Rule id or prefix → ``error``, ``warning``, ``info`` or ``off``."""
    locales: tuple[str, ...] = ()
    """Locales it applies to; empty means every locale."""
    paths: tuple[str, ...] = ()
    """Glob patterns relative to the site folder; empty means every file."""


@dataclass(frozen=True)
class CheckSettings:
    """``[checks]``: which rules report, at which level; extra tone rules."""

    rules: dict[str, str] = field(default_factory=dict)
    """``[checks.rules]``: rule id or prefix → level or ``off``, site-wide."""
    overrides: tuple[CheckOverride, ...] = ()
    """``[[checks.override]]`` tables, later ones winning."""
    tone: tuple[dict[str, Any], ...] = ()
    """``[[checks.tone]]`` tables: the site's own tone rules (checked with the rules)."""
    source_text: str = field(default="", repr=False, compare=False)

    def line_of(self, key: str) -> int | None:
        """Line of ``locgen.toml``, in the ``[checks…]`` tables, where *key* is set."""
        pattern = re.compile(r"""(?:^|[\s{,])["']?""" + re.escape(key) + r"""["']?\s*=""")
        in_checks = False
        for number, line in enumerate(self.source_text.splitlines(), start=1):
            stripped = line.strip()
            if stripped.startswith("["):
                in_checks = re.match(r"\[\[?\s*checks\b", stripped) is not None
            elif in_checks and pattern.search(line):
                return number
        return None

    def table_line(self, name: str, number: int) -> int | None:
        """Line of the *number*-th (1-based) ``[[checks.<name>]]`` header."""
        header = re.compile(r"^\s*\[\[\s*checks\s*\.\s*" + re.escape(name) + r"\s*\]\]")
        seen = 0
        for index, line in enumerate(self.source_text.splitlines(), start=1):
            if header.match(line):
                seen += 1
                if seen == number:
                    return index
        return None


@dataclass(frozen=True)
class SiteConfig:
    """The whole validated configuration of one site."""

    root: Path
    """The site folder (where ``locgen.toml`` is)."""
    title: str
    """Site title, shown in every page's header and ``<title>``."""
    base_url: str
    """Absolute URL the site is published at, ending in ``/``."""
    default_locale: str
    """Locale of the source content, of ``x-default`` and of the root page."""
    locales: tuple[str, ...]
    """Every locale built, in the order the language switcher shows them."""
    description: str = ""
    """Default meta description for pages that give none."""
    theme: str = "default"
    """Theme name: a folder in ``themes/`` or a bundled theme."""
    output: str = "public"
    """Output folder, relative to the site folder unless absolute."""
    timezone: str = "UTC"
    """Default IANA time zone for date and time formatting."""
    unsafe_html: bool = True
    """Whether Markdown may carry raw HTML and script URLs; ``False`` for text from
    outside the site's authors (see :class:`locgen.markup.SafeHtmlExtension`)."""
    locale_settings: dict[str, LocaleSettings] = field(default_factory=dict)
    """Settings per locale tag; every tag in ``locales`` has an entry."""
    params: dict[str, Any] = field(default_factory=dict)
    """Free-form ``[params]`` table, exposed to templates as ``site.params``."""
    cultures: dict[str, dict[str, Any]] = field(default_factory=dict)
    """``[cultures.<id>]`` override tables, checked once plugins have registered cultures."""
    support: SupportSettings | None = None
    """``[support]``; ``None`` when the site has no such table."""
    email: EmailSettings = field(default_factory=EmailSettings)
    """``[email]``, with defaults when the site has no such table."""
    checks: CheckSettings = field(default_factory=CheckSettings)
    """``[checks]``, with defaults when the site has no such table."""
    build: BuildSettings = field(default_factory=BuildSettings)
    """``[build]``, with defaults when the site has no such table."""
    source_text: str = field(default="", repr=False, compare=False)
    """Text of ``locgen.toml``, for locating keys in later error messages."""

    def line_of(self, table: str, key: str | None = None) -> int | None:
        """Line of *key* in ``[table]`` (or of the table header) in ``locgen.toml``."""
        return _line_of(self.source_text, table, key)

    @property
    def config_path(self) -> Path:
        """Path of the ``locgen.toml`` this config came from."""
        return self.root / CONFIG_NAME

    @property
    def content_dir(self) -> Path:
        """Folder holding pages and their translations."""
        return self.root / "content"

    @property
    def locales_dir(self) -> Path:
        """Folder holding the site's gettext catalogs."""
        return self.root / "locales"

    @property
    def cache_dir(self) -> Path:
        """Folder of the build cache."""
        folder = Path(self.build.cache_dir)
        return folder if folder.is_absolute() else self.root / folder

    @property
    def output_dir(self) -> Path:
        """Folder the built site is published to."""
        out = Path(self.output)
        return out if out.is_absolute() else self.root / out

    @property
    def theme_dir(self) -> Path:
        """Folder of the theme in use (the site's own or a bundled one)."""
        found = find_theme(self.root, self.theme)
        assert found is not None, "validated when the config was loaded"
        return found

    def settings(self, tag: str) -> LocaleSettings:
        """Return the settings of locale *tag*."""
        return self.locale_settings[tag]

    def allows_raw_html(self, tag: str) -> bool:
        """Whether text written in locale *tag* may carry raw HTML (``unsafe_html``)."""
        own = self.locale_settings[tag].unsafe_html
        return self.unsafe_html if own is None else own


def find_site_root(start: Path) -> Path:
    """Return *start* if it holds a ``locgen.toml``; otherwise a usage error."""
    if (start / CONFIG_NAME).is_file():
        return start
    raise UsageError(
        f"no {CONFIG_NAME} in {start}",
        hint="run locgen inside a site folder, or create one with `locgen init DIR`",
    )


def load_config(root: Path) -> SiteConfig:
    """Read ``root/locgen.toml`` and return the validated configuration."""
    path = root / CONFIG_NAME
    text = _read_text(path)
    try:
        data = tomllib.loads(text)
    except RecursionError:
        # tomllib reads nested arrays and inline tables by recursion.
        lines = text.split("\n")
        deepest = max(range(len(lines)), key=lambda i: lines[i].count("[") + lines[i].count("{"))
        raise ConfigError(
            "invalid TOML: arrays or inline tables nested too deeply to read",
            path=path,
            line=deepest + 1,
            hint="flatten the value; locgen's settings nest at most a few levels",
        ) from None
    except tomllib.TOMLDecodeError as exc:
        line = _toml_error_line(str(exc), text)
        raise ConfigError(
            f"invalid TOML: {_strip_position(str(exc))}",
            path=path,
            line=line,
            hint="check quoting, brackets and `key = value` syntax on that line",
        ) from None
    return _validate(root, path, text, data)


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UsageError(
            f"no {CONFIG_NAME} in {path.parent}",
            hint="run locgen inside a site folder, or create one with `locgen init DIR`",
        ) from None
    return decode_utf8(raw, path, ConfigError)


def _validate(root: Path, path: Path, text: str, data: dict[str, Any]) -> SiteConfig:
    def fail(
        message: str,
        *,
        table: str | None = None,
        key: str | None = None,
        hint: str | None = None,
        line: int | None = None,
    ) -> ConfigError:
        where = line if line is not None else _line_of(text, table, key)
        return ConfigError(message, path=path, line=where, hint=hint)

    for key in data:
        if key not in _TOP_KEYS:
            raise fail(
                f"unknown table [{key}]",
                table=key,
                hint=f"known tables: {', '.join(sorted(_TOP_KEYS))}",
            )
    site = data.get("site")
    if not isinstance(site, dict):
        raise fail("missing [site] table", hint="add [site] with title, default_locale, locales")
    _check_keys(site, _SITE_KEYS, "site", "[site]", fail)

    def site_str(key: str, default: str | None = None) -> str:
        value = site.get(key, default)
        if value is None:
            raise fail(f"[site].{key} is required", table="site", hint=f'add {key} = "..."')
        if not isinstance(value, str) or not value.strip():
            raise fail(f"[site].{key} must be a non-empty string", table="site", key=key)
        return value

    title = site_str("title")
    description = site.get("description", "")
    if not isinstance(description, str):
        raise fail("[site].description must be a string", table="site", key="description")
    base_url = site_str("base_url", "/")
    if not base_url.endswith("/"):
        base_url += "/"
    default_locale = site_str("default_locale")
    theme = site_str("theme", "default")
    output = site_str("output", "public")
    timezone = site_str("timezone", "UTC")
    _check_timezone(timezone, fail, "site", "timezone")
    unsafe_html = _unsafe_html(site, "site", fail)

    raw_locales = site.get("locales")
    if not isinstance(raw_locales, list) or not raw_locales:
        raise fail(
            "[site].locales must be a non-empty list of BCP 47 tags",
            table="site",
            key="locales" if raw_locales is not None else None,
            hint='for example: locales = ["en-US", "de-DE"]',
        )
    locales: list[str] = []
    for tag in raw_locales:
        if not isinstance(tag, str):
            raise fail(f"locale {tag!r} is not a string", table="site", key="locales")
        check_locale_tag(tag, lambda msg, hint: fail(msg, table="site", key="locales", hint=hint))
        if tag.lower() in (t.lower() for t in locales):
            raise fail(f"locale {tag!r} is listed twice", table="site", key="locales")
        locales.append(tag)
    if default_locale not in locales:
        raise fail(
            f"default_locale {default_locale!r} is not in [site].locales",
            table="site",
            key="default_locale",
            hint=f"use one of {', '.join(locales)} or add it to locales",
        )

    raw_settings = data.get("locales", {})
    if not isinstance(raw_settings, dict):
        raise fail("[locales] must be a table of per-locale tables", table="locales")
    settings: dict[str, LocaleSettings] = {}
    for tag, table in raw_settings.items():
        table_name = f'locales."{tag}"'
        if tag not in locales:
            raise fail(
                f"[locales.{tag!r}] names a locale that is not in [site].locales",
                table=table_name,
                hint=f"known locales: {', '.join(locales)}",
            )
        if not isinstance(table, dict):
            raise fail(f"[locales.{tag!r}] must be a table", table=table_name)
        _check_keys(table, _LOCALE_KEYS, table_name, f"[locales.{tag!r}]", fail)
        fallback = table.get("fallback")
        if fallback is not None:
            if not isinstance(fallback, list) or not all(isinstance(f, str) for f in fallback):
                raise fail(
                    "fallback must be a list of locale tags", table=table_name, key="fallback"
                )
            for other in fallback:
                if other not in locales:
                    raise fail(
                        f"fallback locale {other!r} is not in [site].locales",
                        table=table_name,
                        key="fallback",
                        hint=f"known locales: {', '.join(locales)}",
                    )
                if other == tag:
                    raise fail(
                        f"locale {tag!r} lists itself as its fallback",
                        table=table_name,
                        key="fallback",
                    )
        for key in ("title", "currency", "timezone", "culture"):
            if key in table and not (isinstance(table[key], str) and table[key].strip()):
                raise fail(f"{key} must be a non-empty string", table=table_name, key=key)
        currency = table.get("currency")
        if currency is not None and not is_currency(currency):
            raise fail(
                f"unknown currency {currency!r}",
                table=table_name,
                key="currency",
                hint="use an ISO 4217 code such as EUR or JPY",
            )
        if "timezone" in table:
            _check_timezone(table["timezone"], fail, table_name, "timezone")
        locale_unsafe_html = (
            _unsafe_html(table, table_name, fail) if "unsafe_html" in table else None
        )
        settings[tag] = LocaleSettings(
            tag=tag,
            fallback=tuple(fallback) if fallback is not None else None,
            title=table.get("title"),
            currency=currency,
            timezone=table.get("timezone"),
            culture=table.get("culture"),
            unsafe_html=locale_unsafe_html,
        )
    for tag in locales:
        settings.setdefault(tag, LocaleSettings(tag=tag))

    if find_theme(root, theme) is None:
        raise fail(
            f"unknown theme {theme!r}",
            table="site",
            key="theme",
            hint=f'create themes/{theme}/templates/ or use the bundled theme "default"',
        )

    params = data.get("params", {})
    if not isinstance(params, dict):
        raise fail("[params] must be a table", table="params")
    cultures = data.get("cultures", {})
    if not isinstance(cultures, dict) or not all(isinstance(v, dict) for v in cultures.values()):
        raise fail(
            "[cultures] must hold one table per culture id, e.g. [cultures.japan]",
            table="cultures",
        )
    support = _support_settings(data.get("support"), timezone, fail)
    email = _email_settings(data.get("email"), fail)
    checks = _check_settings(data.get("checks"), text, locales, fail)
    build = _build_settings(data.get("build", {}), fail)

    return SiteConfig(
        root=root,
        title=title,
        description=description,
        base_url=base_url,
        default_locale=default_locale,
        locales=tuple(locales),
        theme=theme,
        output=output,
        timezone=timezone,
        unsafe_html=unsafe_html,
        locale_settings=settings,
        params=params,
        cultures=cultures,
        support=support,
        email=email,
        checks=checks,
        build=build,
        source_text=text,
    )


def _unsafe_html(table: dict[str, Any], table_name: str, fail: Any) -> bool:
    """Validate ``unsafe_html`` in ``[site]`` or ``[locales."<tag>"]`` (default ``true``)."""
    value = table.get("unsafe_html", True)
    if not isinstance(value, bool):
        raise fail(
            f"unsafe_html must be true or false, not {value!r}",
            table=table_name,
            key="unsafe_html",
            hint="write unsafe_html = false (without quotes) to show raw HTML in Markdown as text",
        )
    return value


def _build_settings(raw: Any, fail: Any) -> BuildSettings:
    """Validate ``[build]``."""
    if not isinstance(raw, dict):
        raise fail("[build] must be a table", table="build")
    _check_keys(raw, _BUILD_KEYS, "build", "[build]", fail)
    cache_dir = raw.get("cache_dir", BuildSettings.cache_dir)
    if not isinstance(cache_dir, str) or not cache_dir.strip():
        raise fail(
            "[build].cache_dir must be a folder name",
            table="build",
            key="cache_dir",
            hint='for example: cache_dir = ".locgen-cache"',
        )
    jobs = raw.get("jobs")
    if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1):
        raise fail(
            "[build].jobs must be a whole number of 1 or more",
            table="build",
            key="jobs",
            hint="leave it out to use one worker per CPU",
        )
    return BuildSettings(cache_dir=cache_dir, jobs=jobs)


def _check_keys(
    table: dict[str, Any], known: set[str], table_name: str, shown: str, fail: Any
) -> None:
    """Refuse a key of *table* that is not in *known*, pointing at its line."""
    for key in table:
        if key not in known:
            raise fail(
                f"unknown key {key!r} in {shown}",
                table=table_name,
                key=key,
                hint=f"known keys: {', '.join(sorted(known))}",
            )


def _check_settings(raw: Any, text: str, locales: list[str], fail: Any) -> CheckSettings:
    """Validate the shape of ``[checks]``; rule ids are checked once plugins have registered."""
    if raw is None:
        return CheckSettings(source_text=text)
    if not isinstance(raw, dict):
        raise fail("[checks] must be a table", table="checks")
    _check_keys(raw, {"rules", "override", "tone"}, "checks", "[checks]", fail)

    def levels(value: Any, where: str) -> dict[str, str]:
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise fail(
                f"{where} must map rule ids to levels",
                table="checks",
                hint='e.g. rules = { "translation.fallback" = "off", "culture.tone" = "error" }',
            )
        return dict(value)

    def strings(value: Any, where: str) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise fail(f"{where} must be a list of strings", table="checks")
        return tuple(value)

    overrides = []
    raw_overrides = raw.get("override", [])
    if not isinstance(raw_overrides, list):
        raise fail("[[checks.override]] must be an array of tables", table="checks")
    probe = CheckSettings(source_text=text)
    for number, table in enumerate(raw_overrides, start=1):
        where = f"[[checks.override]] #{number}"
        line = probe.table_line("override", number)
        if not isinstance(table, dict):
            raise fail(f"{where} must be a table", line=line)
        _check_keys(table, {"rules", "locales", "paths"}, "checks", where, fail)
        if "rules" not in table:
            raise fail(f"{where} has no rules", hint='add rules = { "rule.id" = "off" }', line=line)
        override_locales = strings(table.get("locales", []), f"{where}.locales")
        for tag in override_locales:
            if tag not in locales:
                raise fail(
                    f"{where}.locales: {tag!r} is not one of the site's locales",
                    hint=f"choose from {', '.join(locales)}",
                    line=probe.line_of("locales") or line,
                )
        overrides.append(
            CheckOverride(
                levels(table["rules"], f"{where}.rules"),
                override_locales,
                strings(table.get("paths", []), f"{where}.paths"),
            )
        )
    tone = raw.get("tone", [])
    if not isinstance(tone, list) or not all(isinstance(t, dict) for t in tone):
        raise fail("[[checks.tone]] must be an array of tables", table="checks")
    return CheckSettings(
        rules=levels(raw.get("rules", {}), "[checks].rules"),
        overrides=tuple(overrides),
        tone=tuple(tone),
        source_text=text,
    )


def _support_settings(raw: Any, site_timezone: str, fail: Any) -> SupportSettings | None:
    """Validate ``[support]``."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise fail("[support] must be a table", table="support")
    _check_keys(raw, _SUPPORT_KEYS, "support", "[support]", fail)
    zone = raw.get("timezone", site_timezone)
    _check_timezone(zone, fail, "support", "timezone")
    days = _weekdays(raw.get("days", "mon-fri"))
    if days is None:
        raise fail(
            f"[support].days {raw.get('days')!r} is not a day range or list",
            table="support",
            key="days",
            hint='write days = "mon-fri" or days = ["mon", "wed", "fri"]',
        )
    hours = raw.get("hours", "09:00-17:00")
    match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*", str(hours))
    times = None
    if match:
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if h1 < 24 and h2 <= 24 and m1 < 60 and m2 < 60:
            times = (dt.time(h1, m1), dt.time(0, 0) if h2 == 24 else dt.time(h2, m2))
    if times is None or not isinstance(hours, str):
        raise fail(
            f"[support].hours {hours!r} is not a time range",
            table="support",
            key="hours",
            hint='write hours = "09:00-17:00" (24-hour clock, in [support].timezone)',
        )
    channels = raw.get("channels", {})
    from locgen.cultures import CHANNELS

    if not isinstance(channels, dict) or not all(isinstance(v, str) for v in channels.values()):
        raise fail(
            "[support].channels must map channel names to links",
            table="support",
            key="channels",
            hint='write channels = { email = "mailto:help@example.com" }',
        )
    for name in channels:
        if name not in CHANNELS:
            raise fail(
                f"unknown support channel {name!r}",
                table="support",
                key="channels",
                hint=f"channels: {', '.join(CHANNELS)}",
            )
    reference = raw.get("reference_date", DEFAULT_REFERENCE_DATE)
    if not isinstance(reference, dt.date) or isinstance(reference, dt.datetime):
        raise fail(
            "[support].reference_date must be a date",
            table="support",
            key="reference_date",
            hint="write reference_date = 2026-01-12 (no quotes)",
        )
    return SupportSettings(
        timezone=zone,
        days=days,
        opens=times[0],
        closes=times[1],
        channels=dict(channels),
        reference_date=reference,
    )


def _email_settings(raw: Any, fail: Any) -> EmailSettings:
    """Validate ``[email]``."""
    if raw is None:
        return EmailSettings()
    if not isinstance(raw, dict):
        raise fail("[email] must be a table", table="email")
    _check_keys(raw, _EMAIL_KEYS, "email", "[email]", fail)
    for key in _EMAIL_KEYS - {"merge_fields", "export", "subject_limits"}:
        if key in raw and not (isinstance(raw[key], str) and raw[key].strip()):
            raise fail(f"[email].{key} must be a non-empty string", table="email", key=key)
    declared = raw.get("merge_fields", {})
    if isinstance(declared, list) and all(isinstance(f, str) for f in declared):
        declared = {name: name for name in declared}
    if not isinstance(declared, dict) or not all(isinstance(v, str) for v in declared.values()):
        raise fail(
            "[email].merge_fields must list field names or map them to the service's names",
            table="email",
            key="merge_fields",
            hint='write merge_fields = ["plan"] or merge_fields = { plan = "PLAN" }',
        )
    key = "merge_tags" if "merge_tags" in raw else "merge_fields"
    try:
        tags = MergeTags.create(raw.get("merge_tags", DEFAULT_DIALECT), declared)
    except MergeFieldError as exc:
        raise fail(f"[email]: {exc.message}", table="email", key=key, hint=exc.hint) from None
    unsubscribe = raw.get("unsubscribe_url")
    if unsubscribe is not None:
        try:
            unsubscribe = tags.fill(unsubscribe)
        except MergeFieldError as exc:
            raise fail(
                f"[email].unsubscribe_url: {exc.message}",
                table="email",
                key="unsubscribe_url",
                hint=exc.hint,
            ) from None
        scheme = unsubscribe.split(":", 1)[0].lower()
        # A URL the service fills in whole ("{unsubscribe_url}") is fine too.
        if scheme not in ("https", "http") and not raw["unsubscribe_url"].startswith("{"):
            raise fail(
                f"[email].unsubscribe_url {raw['unsubscribe_url']!r} is not an http(s) URL",
                table="email",
                key="unsubscribe_url",
                hint='write e.g. unsubscribe_url = "https://example.com/unsubscribe?id={subscriber_id}"',
            )
    mailto = raw.get("unsubscribe_mailto")
    if mailto is not None:
        mailto = mailto.removeprefix("mailto:")
    if mailto is not None and not re.fullmatch(r"[^@\s<>]+@[^@\s<>]+", mailto):
        raise fail(
            f"[email].unsubscribe_mailto {mailto!r} is not an email address",
            table="email",
            key="unsubscribe_mailto",
            hint='write e.g. unsubscribe_mailto = "unsubscribe@example.com"',
        )
    if "sender_timezone" in raw:
        _check_timezone(raw["sender_timezone"], fail, "email", "sender_timezone")
    export = raw.get("export", [])
    if isinstance(export, str):
        export = [export]
    if not isinstance(export, list) or any(e not in EMAIL_EXPORTS for e in export):
        raise fail(
            f"[email].export {raw.get('export')!r} names an unknown format",
            table="email",
            key="export",
            hint=f"formats: {', '.join(EMAIL_EXPORTS)}",
        )
    if "postmark" in export and tags.dialect.name == "mailchimp":
        raise fail(
            "the postmark export cannot use mailchimp merge tags: Postmark reads {{field}}",
            table="email",
            key="merge_tags",
            hint='set merge_tags = "handlebars" (or liquid) for Postmark',
        )
    limits = raw.get("subject_limits", {})
    if not isinstance(limits, dict) or not all(
        isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in limits.values()
    ):
        raise fail(
            "[email].subject_limits must map languages or locales to a number of characters",
            table="email",
            key="subject_limits",
            hint="write e.g. subject_limits = { ja = 25, de = 70 }",
        )
    return EmailSettings(
        merge_tags=tags,
        subject_limits={key.lower(): value for key, value in limits.items()},
        unsubscribe_url=unsubscribe,
        unsubscribe_mailto=mailto,
        from_name=raw.get("from_name"),
        from_address=raw.get("from_address"),
        sender_timezone=raw.get("sender_timezone"),
        export=tuple(dict.fromkeys(export)),
    )


def _weekdays(value: Any) -> tuple[int, ...] | None:
    """``"mon-fri"`` or ``["mon", "sat"]`` as weekday numbers (0 = Monday)."""
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not names:
        return None
    days: list[int] = []
    for item in names:
        if not isinstance(item, str):
            return None
        first, sep, last = item.strip().lower().partition("-")
        if first not in WEEKDAYS or (sep and last not in WEEKDAYS):
            return None
        start, end = WEEKDAYS.index(first), WEEKDAYS.index(last if sep else first)
        span = range(start, end + 1) if start <= end else [*range(start, 7), *range(0, end + 1)]
        days.extend(d for d in span if d not in days)
    return tuple(sorted(days))


def check_locale_tag(tag: str, fail: Any) -> Locale:
    """Parse a BCP 47 *tag* with Babel; call ``fail(message, hint)`` if it is unknown."""
    if not LOCALE_TAG.fullmatch(tag):
        raise fail(
            f"{tag!r} is not a BCP 47 locale tag",
            "write tags like en-US, de-DE or zh-Hans-CN (hyphens, not underscores)",
        )
    try:
        return Locale.parse(tag, sep="-")
    except (UnknownLocaleError, ValueError):
        raise fail(
            f"unknown locale {tag!r}",
            "use a tag that CLDR knows, such as en-US, pt-BR or ja-JP",
        ) from None


def _check_timezone(name: Any, fail: Any, table: str, key: str) -> None:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        raise fail(
            f"unknown time zone {name!r}",
            table=table,
            key=key,
            hint="use an IANA name such as Europe/Berlin or UTC",
        ) from None


def _toml_error_line(message: str, text: str) -> int | None:
    """Line of a ``tomllib`` error: as it says, or the last line for "at end of document"."""
    match = re.search(r"at line (\d+)", message)
    if match:
        return int(match.group(1))
    if "(at end of document)" in message:
        return max(1, len(text.rstrip("\n").split("\n")))
    return None


def _strip_position(message: str) -> str:
    return re.sub(r"\s*\((?:at line \d+, column \d+|at end of document)\)", "", message)


def _line_of(text: str, table: str | None, key: str | None) -> int | None:
    """Best-effort line of ``key`` in ``[table]`` (or of the table header) in TOML *text*."""
    if table is None:
        return None
    header = re.compile(r"^\s*\[\s*" + _table_pattern(table) + r"\s*\]")
    any_header = re.compile(r"^\s*\[")
    lines = text.splitlines()
    start = None
    for number, line in enumerate(lines, start=1):
        if header.match(line):
            start = number
            break
    if start is None:
        return None
    if key is None:
        return start
    key_pattern = re.compile(r"^\s*[\"']?" + re.escape(key) + r"[\"']?\s*=")
    for number in range(start + 1, len(lines) + 1):
        line = lines[number - 1]
        if any_header.match(line):
            break
        if key_pattern.match(line):
            return number
    return start


def _table_pattern(table: str) -> str:
    parts = [p.strip('"') for p in re.findall(r'"[^"]*"|[^.]+', table)]
    return r"\s*\.\s*".join(r"[\"']?" + re.escape(p) + r"[\"']?" for p in parts)
