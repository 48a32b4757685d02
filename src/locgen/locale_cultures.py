"""Which culture each locale reads in, prepared with overrides, and where each setting came from.

1. Plugins register profiles (``locgen_cultures``); an id registered twice is an error.
2. Each locale gets ``[locales.X].culture`` when set, else the first answer
   of ``locgen_culture_for_locale``.
3. Each profile in use is prepared (``locgen_prepare_culture``); the site's
   ``[cultures.<id>]`` table has the last word.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from locgen.config import SiteConfig
from locgen.cultures import (
    TABLE_SETTINGS,
    CultureProfile,
    ProfileError,
    apply_settings,
    validate_profile,
)
from locgen.errors import ConfigError, PluginError
from locgen.findings import Finding
from locgen.locales import SiteLocale
from locgen.plugins import PluginHost, PluginInfo

NEUTRAL_ID = "neutral"
SETTINGS_HINT = "docs/cultures.md lists every setting and its allowed values"


@dataclass(frozen=True)
class Provenance:
    """Where one culture setting's value comes from."""

    source: str
    """``bundled``, ``plugin`` or ``site``."""
    origin: str
    """The plugin's name, or ``locgen.toml:<line>`` for a site override."""


@dataclass(frozen=True)
class LocaleCulture:
    """The culture one locale reads in."""

    locale: str
    """Locale tag."""
    profile: CultureProfile
    """The prepared profile."""
    selected_by: str
    """Why this culture: ``locgen.toml:<line>`` or the plugin that chose it."""
    provenance: Mapping[str, Provenance]
    """Per dotted setting, where its value comes from."""


@dataclass(frozen=True)
class CultureSetup:
    """Every locale's culture, plus what setting them up noticed."""

    by_locale: dict[str, LocaleCulture]
    """By locale tag, in config order."""
    registered: dict[str, tuple[CultureProfile, PluginInfo]]
    """Every registered profile (unprepared) and its plugin, by id."""
    findings: tuple[Finding, ...]
    """Warnings, e.g. a locale no culture claims."""

    def profiles(self) -> dict[str, CultureProfile]:
        """Each locale's prepared profile, by locale tag."""
        return {tag: entry.profile for tag, entry in self.by_locale.items()}


def setup_cultures(
    config: SiteConfig, host: PluginHost, locales: Mapping[str, SiteLocale]
) -> CultureSetup:
    """Register, select and prepare the culture of every locale in *locales*."""
    registered = registered_cultures(host)
    _check_config_ids(config, registered)
    profiles = {cid: profile for cid, (profile, _) in registered.items()}
    prepared: dict[str, tuple[CultureProfile, dict[str, Provenance]]] = {}
    by_locale: dict[str, LocaleCulture] = {}
    findings: list[Finding] = []
    for tag, locale in locales.items():
        chosen = config.settings(tag).culture
        if chosen is not None:
            selected_by = f"locgen.toml:{config.line_of(_locale_table(tag), 'culture')}"
        else:
            chosen, selected_by = _select(host, locale, profiles)
        if chosen == NEUTRAL_ID:
            findings.append(
                Finding(
                    rule="culture.unmapped",
                    level="warning",
                    message=f"no culture claims {tag}; it uses the neutral profile",
                    path=config.config_path,
                    line=config.line_of("site", "locales"),
                    locale=tag,
                    suggestion=f'set [locales."{tag}"].culture, or add a culture plugin for it',
                )
            )
        if chosen not in prepared:
            prepared[chosen] = _prepare(config, host, *registered[chosen])
        profile, provenance = prepared[chosen]
        by_locale[tag] = LocaleCulture(tag, profile, selected_by, provenance)
    for culture_id in config.cultures:
        # A site override is checked even while no locale uses the culture.
        if culture_id not in prepared:
            prepared[culture_id] = _prepare(config, host, *registered[culture_id])
    return CultureSetup(by_locale=by_locale, registered=registered, findings=tuple(findings))


def registered_cultures(host: PluginHost) -> dict[str, tuple[CultureProfile, PluginInfo]]:
    """Every profile plugins register, validated, by id in registration order."""
    found: dict[str, tuple[CultureProfile, PluginInfo]] = {}
    for info, profiles in reversed(host.each("locgen_cultures")):
        for profile in profiles:
            if not isinstance(profile, CultureProfile):
                raise _plugin_error(
                    info,
                    "locgen_cultures",
                    f"plugin {info.name}: locgen_cultures returned {type(profile).__name__}, "
                    "not a CultureProfile",
                    "return a list of locgen.cultures.CultureProfile objects",
                )
            try:
                validate_profile(profile)
            except ProfileError as exc:
                raise _plugin_error(
                    info,
                    "locgen_cultures",
                    f"plugin {info.name}: culture {profile.id!r} has an invalid setting "
                    f"{exc.setting}: {exc.message}",
                    SETTINGS_HINT,
                ) from None
            if profile.id in found:
                other = found[profile.id][1]
                raise _plugin_error(
                    info,
                    "locgen_cultures",
                    f"two plugins register the culture {profile.id!r}: "
                    f"{other.name} and {info.name}",
                    "give one of them another id, or change the existing culture with "
                    "locgen_prepare_culture or [cultures.<id>] in locgen.toml instead",
                )
            found[profile.id] = (profile, info)
    return found


def _plugin_error(info: PluginInfo, hook: str, message: str, hint: str) -> PluginError:
    """An error about what plugin *info* returned from *hook*, pointing at its file."""
    return PluginError(
        message,
        plugin=info.name,
        hook=hook,
        path=info.files[0] if info.files else None,
        hint=hint,
    )


def _locale_table(tag: str) -> str:
    return f'locales."{tag}"'


def _check_config_ids(
    config: SiteConfig, registered: Mapping[str, tuple[CultureProfile, PluginInfo]]
) -> None:
    known = ", ".join(sorted(registered))
    for tag in config.locales:
        culture = config.settings(tag).culture
        if culture is not None and culture not in registered:
            raise ConfigError(
                f"unknown culture {culture!r} for {tag}",
                path=config.config_path,
                line=config.line_of(_locale_table(tag), "culture"),
                hint=f"known cultures: {known}",
            )
    for culture in config.cultures:
        if culture not in registered:
            raise ConfigError(
                f"[cultures.{culture}] names an unknown culture",
                path=config.config_path,
                line=config.line_of(f"cultures.{culture}"),
                hint=f"known cultures: {known}",
            )


def _select(
    host: PluginHost, locale: SiteLocale, profiles: Mapping[str, CultureProfile]
) -> tuple[str, str]:
    """Ask ``locgen_culture_for_locale``; the first answer wins (as ``firstresult``)."""
    for info, answer in host.each("locgen_culture_for_locale", locale=locale, cultures=profiles):
        if answer not in profiles:
            raise _plugin_error(
                info,
                "locgen_culture_for_locale",
                f"plugin {info.name} chose the unknown culture {answer!r} for {locale.tag}",
                f"return one of: {', '.join(sorted(profiles))}",
            )
        return str(answer), info.name
    raise AssertionError("the built-in plugin answers for every locale (neutral at worst)")


def site_overrides(config: SiteConfig, culture_id: str) -> dict[str, Any]:
    """``[cultures.<id>]`` as dotted settings (``formal.greeting``, ``palette.accent``)."""
    flat: dict[str, Any] = {}

    def walk(table: Mapping[str, Any], prefix: str) -> None:
        for key, value in table.items():
            if isinstance(value, dict) and prefix + key not in TABLE_SETTINGS:
                walk(value, f"{prefix}{key}.")
            elif isinstance(value, dict):
                for sub, item in value.items():
                    flat[f"{prefix}{key}.{sub}"] = item
            else:
                flat[prefix + key] = value

    walk(config.cultures.get(culture_id, {}), "")
    return flat


def _prepare(
    config: SiteConfig, host: PluginHost, profile: CultureProfile, owner: PluginInfo
) -> tuple[CultureProfile, dict[str, Provenance]]:
    """Apply every plugin's changes; per setting the first plugin called wins."""
    changes: dict[str, tuple[Any, PluginInfo]] = {}
    for info, result in host.each("locgen_prepare_culture", culture=profile, config=config):
        for name, value in dict(result).items():
            changes.setdefault(name, (value, info))
    provenance = {
        name: Provenance("bundled" if owner.kind == "bundled" else "plugin", owner.name)
        for name in profile.settings()
    }
    site = site_overrides(config, profile.id)
    for name, (value, info) in changes.items():
        try:
            profile = apply_settings(profile, {name: value})
        except ProfileError as exc:
            if info.kind == "builtin" and name in site:
                raise _override_error(config, profile.id, name, exc) from None
            raise _plugin_error(
                info,
                "locgen_prepare_culture",
                f"plugin {info.name} sets {profile.id} {exc.setting}: {exc.message}",
                SETTINGS_HINT,
            ) from None
        top = name if name.split(".")[0] not in TABLE_SETTINGS else name.split(".")[0]
        if info.kind == "builtin" and name in site:
            where = _override_line(config, profile.id, name)
            provenance[top] = Provenance("site", f"locgen.toml:{where}")
        else:
            provenance[top] = Provenance("plugin", info.name)
    validate_profile(profile)
    return profile, provenance


def _override_line(config: SiteConfig, culture_id: str, name: str) -> int | None:
    """Line of a dotted setting in ``[cultures.<id>]`` or one of its sub-tables."""
    head, _, rest = name.partition(".")
    if rest:
        line = config.line_of(f"cultures.{culture_id}.{head}", rest)
        if line is not None:
            return line
    return config.line_of(f"cultures.{culture_id}", head)


def _override_error(
    config: SiteConfig, culture_id: str, name: str, exc: ProfileError
) -> ConfigError:
    return ConfigError(
        f"[cultures.{culture_id}] {exc.setting}: {exc.message}",
        path=config.config_path,
        line=_override_line(config, culture_id, name),
        hint=SETTINGS_HINT,
    )
