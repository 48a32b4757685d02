"""Culture profiles: the bundled 13, locale mapping, address forms, support hours, overrides."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from babel import Locale
from click.testing import Result

from locgen.address import Person, greeting
from locgen.config import SupportSettings, load_config
from locgen.cultures import ANGLES, derived_angles
from locgen.locale_cultures import registered_cultures, setup_cultures
from locgen.locales import site_locales
from locgen.plugins import load_plugins
from locgen.support import local_hours, preferred_channels, response_time
from sitekit import page

BUNDLED = {
    "us", "uk", "germany", "netherlands", "france", "sweden", "japan",
    "china", "korea", "india", "brazil", "mexico", "gulf",
}  # fmt: skip


@pytest.fixture(scope="module")
def cultures() -> dict[str, object]:
    return {cid: profile for cid, (profile, _) in registered_cultures(load_plugins(None)).items()}


def config_for(site_factory: Callable[..., Path], locales: list[str], extra: str = "") -> Path:
    tags = ", ".join(f'"{tag}"' for tag in locales)
    return site_factory(
        {"content/index.en-US.md": page("Home")},
        config=f"""\
[site]
title = "Cultures"
default_locale = "en-US"
locales = [{tags}]
{extra}""",
    )


def test_thirteen_cultures_are_bundled(cultures: dict[str, object]) -> None:
    assert set(cultures) == BUNDLED | {"neutral"}


@pytest.mark.parametrize(
    ("tag", "culture"),
    [
        ("en-US", "us"),
        ("en-GB", "uk"),
        ("en-IE", "uk"),
        ("en-AU", "us"),
        ("de-DE", "germany"),
        ("de-AT", "germany"),
        ("de-CH", "germany"),
        ("fr-CH", "france"),
        ("nl-BE", "netherlands"),
        ("fr-BE", "france"),
        ("sv-FI", "sweden"),
        ("ja-JP", "japan"),
        ("ja", "japan"),
        ("zh-Hans-CN", "china"),
        ("zh-SG", "china"),
        ("ko-KR", "korea"),
        ("hi-IN", "india"),
        ("en-IN", "india"),
        ("pt-BR", "brazil"),
        ("es-MX", "mexico"),
        ("es-419", "mexico"),
        ("ar-SA", "gulf"),
        ("ar-EG", "gulf"),
        ("ar-AE", "gulf"),
    ],
)
def test_locales_map_to_cultures_by_territory_then_language(
    site_factory: Callable[..., Path], tag: str, culture: str
) -> None:
    locales = ["en-US"] if tag == "en-US" else ["en-US", tag]
    config = load_config(config_for(site_factory, locales))
    setup = setup_cultures(config, load_plugins(config.root), site_locales(config, "/"))
    assert setup.by_locale[tag].profile.id == culture
    assert not setup.findings


def test_an_unclaimed_locale_gets_the_neutral_profile_and_a_warning(
    site_factory: Callable[..., Path], run_cli: Callable[..., Result]
) -> None:
    site = config_for(site_factory, ["en-US", "es-ES"])
    result = run_cli(site, "build", "--format", "json")
    assert result.exit_code == 0, result.output
    [finding] = [
        f for f in json.loads(result.output)["findings"] if f["rule"] == "culture.unmapped"
    ]
    assert finding["locale"] == "es-ES" and finding["level"] == "warning"
    assert 'set [locales."es-ES"].culture' in finding["suggestion"]


def test_locale_culture_setting_wins(site_factory: Callable[..., Path]) -> None:
    site = config_for(site_factory, ["en-US", "es-ES"], '\n[locales."es-ES"]\nculture = "mexico"\n')
    config = load_config(site)
    setup = setup_cultures(config, load_plugins(site), site_locales(config, "/"))
    assert setup.by_locale["es-ES"].profile.id == "mexico"
    assert setup.by_locale["es-ES"].selected_by == "locgen.toml:7"


ANNA = Person(given="Anna", family="Schmidt", gender="female")


@pytest.mark.parametrize(
    ("culture", "person", "expected"),
    [
        ("germany", ANNA, "Sehr geehrte Frau Schmidt,"),
        (
            "germany",
            Person(family="Meyer", gender="male", title="Dr."),
            "Sehr geehrter Herr Dr. Meyer,",
        ),
        ("germany", Person(), "Sehr geehrte Damen und Herren,"),
        ("japan", Person(given="太郎", family="山田"), "山田様"),
        ("china", Person(given="伟", family="李", gender="male"), "尊敬的李先生："),
        ("us", Person(given="Anna", family="Miller"), "Hi Anna,"),
        ("uk", Person(given="Anna", family="Miller"), "Dear Anna,"),
        ("mexico", Person(family="López", gender="male"), "Estimado Sr. López:"),
        ("netherlands", Person(family="De Vries", gender="female"), "Geachte mevrouw De Vries,"),
        ("france", Person(), "Madame, Monsieur,"),
    ],
)
def test_greetings_follow_the_culture(
    cultures: dict[str, object], culture: str, person: Person, expected: str
) -> None:
    assert greeting(person, cultures[culture]) == expected  # type: ignore[arg-type]


def test_formal_greetings_use_honorific_and_name_order(cultures: dict[str, object]) -> None:
    import dataclasses

    us_formal = dataclasses.replace(cultures["us"], formality="formal")  # type: ignore[type-var]
    uk_formal = dataclasses.replace(cultures["uk"], formality="formal")  # type: ignore[type-var]
    miller = Person(given="John", family="Miller", gender="male")
    assert greeting(miller, us_formal) == "Dear Mr. Miller:"
    assert greeting(miller, uk_formal) == "Dear Mr Miller,"


def test_merge_tags_pass_through_greetings(cultures: dict[str, object]) -> None:
    person = Person(given="{{ first_name }}", family="{{ last_name }}")
    assert greeting(person, cultures["us"]) == "Hi {{ first_name }},"  # type: ignore[arg-type]
    assert greeting(person, cultures["japan"]) == "{{ last_name }}様"  # type: ignore[arg-type]


def test_angle_order_differs_between_us_and_japan(cultures: dict[str, object]) -> None:
    us, japan = cultures["us"], cultures["japan"]
    assert us.angle_order()[0] == "innovation"  # type: ignore[attr-defined]
    assert japan.angle_order()[:2] == ("stability", "service")  # type: ignore[attr-defined]
    assert sorted(us.angle_order()) == sorted(ANGLES)  # type: ignore[attr-defined]


def test_derived_angles_read_the_value_scores(cultures: dict[str, object]) -> None:
    japan = derived_angles(cultures["japan"].values)  # type: ignore[attr-defined]
    us = derived_angles(cultures["us"].values)  # type: ignore[attr-defined]
    assert japan.index("stability") < japan.index("innovation")
    assert us.index("individual") < us.index("collective")


SUPPORT = SupportSettings(
    timezone="America/New_York",
    days=(0, 1, 2, 3, 4),
    opens=dt.time(9),
    closes=dt.time(18),
    channels={"email": "mailto:x@y.z", "line": "https://line.me/x", "phone": "tel:1"},
)


def test_support_hours_move_into_the_readers_zone_and_format() -> None:
    tokyo = local_hours(SUPPORT, Locale.parse("ja_JP"), "Asia/Tokyo", None)
    assert (tokyo.days, tokyo.hours, tokyo.zone) == ("月曜日～金曜日", "23:00～8:00", "日本標準時")
    berlin = local_hours(SUPPORT, Locale.parse("de_DE"), "Europe/Berlin", dt.date(2026, 7, 1))
    assert berlin.hours == "15:00\u2009–\u200900:00"  # summer time on both sides
    assert berlin.zone == "Mitteleuropäische Sommerzeit"


def test_late_hours_shift_the_days() -> None:
    late = SupportSettings(timezone="America/New_York", opens=dt.time(14), closes=dt.time(22))
    sydney = local_hours(late, Locale.parse("en_AU"), "Australia/Sydney", None)
    assert sydney.days.startswith("Tuesday") and sydney.days.endswith("Saturday")


def test_response_time_and_channels_follow_the_culture(cultures: dict[str, object]) -> None:
    japan = cultures["japan"]
    assert response_time(japan, Locale.parse("ja_JP")) == "4 時間"  # type: ignore[arg-type]
    assert [c for c, _ in preferred_channels(SUPPORT, japan)] == ["line", "email", "phone"]  # type: ignore[arg-type]
    us = cultures["us"]
    assert [c for c, _ in preferred_channels(SUPPORT, us)] == ["phone", "email", "line"]  # type: ignore[arg-type]


def test_cultures_command_shows_provenance_and_site_overrides(
    site_factory: Callable[..., Path], run_cli: Callable[..., Result]
) -> None:
    site = config_for(
        site_factory,
        ["en-US", "ja-JP"],
        '\n[cultures.japan]\nresponse_hours = 2\n\n[cultures.japan.palette]\naccent = "#0a7a5a"\n',
    )
    result = run_cli(site, "cultures", "ja-jp", "--format", "json")
    assert result.exit_code == 0, result.output
    [entry] = json.loads(result.output)["locales"]
    assert entry["locale"] == "ja-JP" and entry["culture"] == "japan"
    settings = entry["settings"]
    assert settings["directness"] == {
        "value": "indirect",
        "source": "bundled",
        "origin": "bundled:japan",
    }
    assert settings["response_hours"] == {"value": 2, "source": "site", "origin": "locgen.toml:7"}
    assert settings["palette"]["source"] == "site"
    assert settings["palette"]["value"]["accent"] == "#0a7a5a"
    assert entry["effects"]["greeting_example"] == "Schmidt様"
    assert entry["effects"]["image_variants"] == [
        "images/hero.ja-JP.jpg",
        "images/hero.japan.jpg",
        "images/hero.jpg",
    ]
    text = run_cli(site, "cultures").output
    assert "en-US → us (United States), chosen by builtin" in text
    assert "ja-JP → japan (Japan)" in text


@pytest.mark.parametrize(
    ("extra", "message", "line"),
    [
        ('\n[locales."ja-JP"]\nculture = "atlantis"\n', "unknown culture 'atlantis' for ja-JP", 7),
        (
            '\n[cultures.atlantis]\nformality = "formal"\n',
            "[cultures.atlantis] names an unknown culture",
            6,
        ),
        (
            '\n[cultures.japan]\nformality = "casual"\n',
            "[cultures.japan] formality: 'casual' is not one of formal, informal",
            7,
        ),
        (
            '\n[cultures.japan]\nformalty = "formal"\n',
            "[cultures.japan] formalty: is not a culture setting; did you mean 'formality'?",
            7,
        ),
        (
            '\n[cultures.japan.palette]\naccent = "blue-ish"\n',
            "[cultures.japan] palette.accent: 'blue-ish' is not a CSS colour",
            7,
        ),
        (
            '\n[cultures.japan]\nregions = ["JP", "KR"]\n',
            "[cultures.japan] regions: cannot be changed after registration",
            7,
        ),
        (
            '\n[cultures.korea]\nformality = "casual"\n',
            "[cultures.korea] formality: 'casual' is not one of formal, informal",
            7,
        ),
    ],
    ids=[
        "unknown-locale-culture",
        "unknown-table",
        "bad-value",
        "misspelled",
        "bad-colour",
        "fixed-setting",
        "unused-culture",
    ],
)
def test_culture_config_mistakes_are_located(
    site_factory: Callable[..., Path],
    run_cli: Callable[..., Result],
    extra: str,
    message: str,
    line: int,
) -> None:
    site = config_for(site_factory, ["en-US", "ja-JP"], extra)
    result = run_cli(site, "build")
    assert result.exit_code == 1
    assert f"error: locgen.toml:{line}: {message}" in result.output
    assert "known cultures" in result.output or "docs/cultures.md" in result.output
    assert not (site / "public").exists()


@pytest.mark.parametrize(
    ("support", "message"),
    [
        ('hours = "9-5"', "[support].hours '9-5' is not a time range"),
        ('days = "monday-friday"', "[support].days 'monday-friday' is not a day range"),
        ('channels = { fax = "tel:1" }', "unknown support channel 'fax'"),
        ('timezone = "Mars/Olympus"', "unknown time zone 'Mars/Olympus'"),
    ],
)
def test_support_config_mistakes_are_located(
    site_factory: Callable[..., Path], run_cli: Callable[..., Result], support: str, message: str
) -> None:
    site = config_for(site_factory, ["en-US"], f"\n[support]\n{support}\n")
    result = run_cli(site, "build")
    assert result.exit_code == 1
    assert f"error: locgen.toml:7: {message}" in result.output


def test_an_empty_override_removes_a_caution(
    site_factory: Callable[..., Path], run_cli: Callable[..., Result]
) -> None:
    site = config_for(
        site_factory, ["en-US", "ja-JP"], '\n[cultures.japan.imagery_cautions]\n"number:4" = ""\n'
    )
    [entry] = json.loads(run_cli(site, "cultures", "ja-JP", "--format", "json").output)["locales"]
    cautions = entry["settings"]["imagery_cautions"]["value"]
    assert "number:4" not in cautions and "gesture:ok-sign" in cautions


def test_compliance_footer_takes_an_address_as_lines(
    site_factory: Callable[..., Path], run_cli: Callable[..., Result]
) -> None:
    site = site_factory(
        {
            "themes/own/templates/home.html": "<p>{{ compliance_footer() | join(' / ') }}</p>\n",
            "content/index.en-US.md": page("Home"),
        },
        config="""\
[site]
title = "Footer"
default_locale = "en-US"
locales = ["en-US", "de-DE"]
theme = "own"

[params]
company = "Acme GmbH"
address = ["Hauptstraße 1", "10115 Berlin"]
register = "HRB 12345"
""",
    )
    assert run_cli(site, "build").exit_code == 0
    german = (site / "public/de-de/index.html").read_text("utf-8")
    assert "<p>Acme GmbH / Hauptstraße 1 / 10115 Berlin / HRB 12345</p>" in german
    assert "HRB 12345" not in (site / "public/en-us/index.html").read_text("utf-8")
