"""The data behind ``locgen plugins`` and ``locgen cultures``: what a site's plugins do."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any, TextIO

from locgen.address import Person, greeting
from locgen.config import SiteConfig
from locgen.errors import UsageError
from locgen.images import variant_candidates
from locgen.locale_cultures import LocaleCulture, setup_cultures
from locgen.locales import site_locales
from locgen.pages import base_path_of
from locgen.plugins import PluginHost

REPORT_VERSION = 1
SAMPLE_PERSON = Person(given="Anna", family="Schmidt", gender="female")
"""Whom the example greeting in ``locgen cultures`` addresses."""


def plugins_report(host: PluginHost, root: Path) -> dict[str, Any]:
    """Every plugin in registration order, with its kind, origin and hooks."""
    return {
        "version": REPORT_VERSION,
        "plugins": [
            {
                "name": info.name,
                "kind": info.kind,
                "origin": _shown(info.origin, root),
                "hooks": host.hooks_of(info),
            }
            for info in host.plugins
        ],
    }


def write_plugins(report: dict[str, Any], fmt: str, out: TextIO) -> None:
    """Print the plugins report as text or JSON."""
    if fmt == "json":
        _write_json(report, out)
        return
    for plugin in report["plugins"]:
        out.write(f"{plugin['name']}  ({plugin['kind']}, {plugin['origin']})\n")
        out.write("  " + ", ".join(plugin["hooks"]) + "\n")


def cultures_report(
    config: SiteConfig, host: PluginHost, only: str | None = None
) -> dict[str, Any]:
    """Per locale: the culture chosen, what it changes, and each setting with its origin."""
    locales = site_locales(config, base_path_of(config))
    if only is not None:
        match = {tag.lower(): tag for tag in locales}.get(only.lower())
        if match is None:
            raise UsageError(
                f"{only!r} is not one of the site's locales",
                hint=f"choose from {', '.join(locales)}",
            )
        locales = {match: locales[match]}
    setup = setup_cultures(config, host, locales)
    return {
        "version": REPORT_VERSION,
        "locales": [locale_entry(entry) for entry in setup.by_locale.values()],
        "findings": [finding.to_json(config.root) for finding in setup.findings],
    }


def locale_entry(entry: LocaleCulture) -> dict[str, Any]:
    """One locale's culture: its id, why it was chosen, its effects and every setting."""
    profile = entry.profile
    settings = profile.settings()
    return {
        "locale": entry.locale,
        "culture": profile.id,
        "name": profile.name,
        "selected_by": entry.selected_by,
        "effects": {
            "tone": profile.tone,
            "formality": profile.formality,
            "gettext_context": profile.formality,
            "greeting": greeting(Person(), profile),
            "greeting_example": greeting(SAMPLE_PERSON, profile),
            "sign_off": profile.address.sign_off,
            "angle_order": list(profile.angle_order()),
            "image_variants": variant_candidates("images/hero.jpg", entry.locale, profile.id),
            "palette": dict(profile.palette),
        },
        "settings": {
            name: {
                "value": _plain(value),
                "source": entry.provenance[name].source,
                "origin": entry.provenance[name].origin,
            }
            for name, value in settings.items()
        },
    }


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return list(value)
    return value


def write_cultures(report: dict[str, Any], fmt: str, out: TextIO) -> None:
    """Print the cultures report as text or JSON."""
    if fmt == "json":
        _write_json(report, out)
        return
    for entry in report["locales"]:
        effects = entry["effects"]
        out.write(
            f"{entry['locale']} → {entry['culture']} ({entry['name']}), "
            f"chosen by {entry['selected_by']}\n"
        )
        out.write(
            f"  tone {effects['tone']} · formality {effects['formality']} · "
            f"angles {' > '.join(effects['angle_order'])}\n"
        )
        out.write(
            f"  greeting {effects['greeting']!r} / {effects['greeting_example']!r} · "
            f"sign-off {effects['sign_off']!r}\n"
        )
        out.write(f"  images {' → '.join(effects['image_variants'])}\n")
        width = max(len(name) for name in entry["settings"])
        for name, setting in entry["settings"].items():
            value = json.dumps(setting["value"], ensure_ascii=False)
            if _columns(value) > 60:
                while _columns(value) > 57:
                    value = value[:-1]
                value += "..."
            padding = " " * (60 - _columns(value))
            out.write(f"    {name:<{width}}  {value}{padding}  {setting['origin']}\n")
        out.write("\n")
    for finding in report["findings"]:
        out.write(f"{finding['level']}: {finding['message']} [{finding['rule']}]\n")


def _columns(text: str) -> int:
    """Terminal columns *text* takes: wide (East Asian) characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _write_json(report: dict[str, Any], out: TextIO) -> None:
    out.write(json.dumps(report, indent=2, ensure_ascii=False, sort_keys=False))
    out.write("\n")


def _shown(origin: str, root: Path) -> str:
    path = Path(origin)
    if not path.is_absolute():
        return origin
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return origin
