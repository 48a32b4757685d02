"""Calendar check: send dates on public holidays and quiet periods, with the bundled cultures."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import hijridate
import pytest

from locgen.calendar_check import (
    CALENDAR_RULE,
    day_off,
    holiday_country_problem,
    holiday_findings,
    next_working_day,
)
from locgen.cultures import CultureProfile, ProfileError, apply_settings
from locgen.locale_cultures import registered_cultures
from locgen.plugins import load_plugins

WORKING_TUESDAY = dt.date(2026, 6, 9)
FRIDAY, SATURDAY, SUNDAY = 4, 5, 6


@pytest.fixture(scope="module")
def cultures() -> dict[str, CultureProfile]:
    return {cid: profile for cid, (profile, _) in registered_cultures(load_plugins(None)).items()}


def findings_for(
    cultures: dict[str, CultureProfile], culture: str, send_date: dt.date, locale: str = "xx-XX"
) -> list[str]:
    found = holiday_findings(
        send_date,
        cultures[culture],
        path=Path("emails/spring-sale.md"),
        line=4,
        locale=locale,
        email_name="spring-sale",
    )
    assert all(f.rule == "calendar.holiday" and f.level == "warning" for f in found)
    return [f"{f.message} | {f.suggestion}" for f in found]


@pytest.mark.parametrize("culture", ["us", "uk", "germany", "france", "japan", "china", "brazil"])
def test_new_years_day_is_a_public_holiday(
    cultures: dict[str, CultureProfile], culture: str
) -> None:
    [finding] = findings_for(cultures, culture, dt.date(2026, 1, 1))
    assert "send_date 2026-01-01 is " in finding and "a public holiday for xx-XX readers" in finding


def test_german_unity_day_names_the_holiday_and_the_next_working_day(
    cultures: dict[str, CultureProfile],
) -> None:
    [finding] = holiday_findings(
        dt.date(2026, 10, 3),
        cultures["germany"],
        path=Path("emails/spring-sale.md"),
        line=4,
        locale="de-DE",
        email_name="spring-sale",
    )
    assert finding.message == (
        "spring-sale: send_date 2026-10-03 is Tag der Deutschen Einheit (German Unity Day) "
        "in DE, a public holiday for de-DE readers"
    )
    # 3 October 2026 is a Saturday: the next working day is Monday the 5th.
    assert finding.suggestion == "move the send_date to a working day, e.g. 2026-10-05"
    assert (finding.path, finding.line, finding.locale) == (
        Path("emails/spring-sale.md"),
        4,
        "de-DE",
    )
    assert finding.rule == CALENDAR_RULE.id


def test_golden_week_is_quiet_in_japan(cultures: dict[str, CultureProfile]) -> None:
    [greenery_day] = findings_for(cultures, "japan", dt.date(2026, 5, 4), "ja-JP")
    assert "Greenery Day" in greenery_day and "after Golden Week, e.g. 2026-05-07" in greenery_day
    # 1 May is no public holiday in Japan, but it falls in Golden Week.
    [may_day] = findings_for(cultures, "japan", dt.date(2026, 5, 1), "ja-JP")
    assert "falls in Golden Week (japan calendar) for ja-JP readers" in may_day


def test_spring_festival_comes_from_the_holidays_package(
    cultures: dict[str, CultureProfile],
) -> None:
    [finding] = findings_for(cultures, "china", dt.date(2026, 2, 17), "zh-CN")
    assert "Spring Festival" in finding and "in CN, a public holiday" in finding


def test_seollal_and_chuseok_are_holidays_in_korea(cultures: dict[str, CultureProfile]) -> None:
    assert day_off(dt.date(2026, 2, 17), cultures["korea"]) is not None
    assert "Chuseok" in (day_off(dt.date(2026, 9, 25), cultures["korea"]) or "")


def test_ramadan_is_quiet_for_gulf_readers(cultures: dict[str, CultureProfile]) -> None:
    day = dt.date(2026, 3, 5)
    assert hijridate.Gregorian(day.year, day.month, day.day).to_hijri().month == 9
    [finding] = findings_for(cultures, "gulf", day, "ar-SA")
    assert "send_date 2026-03-05 falls in Ramadan (gulf calendar) for ar-SA readers" in finding
    # Ramadan 1447 ends on 19 March; Eid al-Fitr holidays follow until the 24th.
    assert finding.endswith("move the send_date to a working day after Ramadan, e.g. 2026-03-25")


def test_a_send_time_counts_by_its_date(cultures: dict[str, CultureProfile]) -> None:
    [finding] = findings_for(cultures, "germany", dt.datetime(2026, 10, 3, 23, 30))
    assert "send_date 2026-10-03 is" in finding


def test_an_ordinary_tuesday_is_a_working_day_everywhere(
    cultures: dict[str, CultureProfile],
) -> None:
    assert WORKING_TUESDAY.weekday() == 1
    for culture in cultures:
        assert day_off(WORKING_TUESDAY, cultures[culture]) is None, culture
        assert findings_for(cultures, culture, WORKING_TUESDAY) == [], culture


@pytest.mark.parametrize(
    ("culture", "send_date", "weekend"),
    [
        ("germany", dt.date(2026, 10, 3), {SATURDAY, SUNDAY}),
        ("us", dt.date(2026, 12, 25), {SATURDAY, SUNDAY}),
        ("japan", dt.date(2026, 4, 30), {SATURDAY, SUNDAY}),
        ("china", dt.date(2026, 2, 17), {SATURDAY, SUNDAY}),
        ("china", dt.date(2026, 10, 1), {SATURDAY, SUNDAY}),
        ("korea", dt.date(2026, 9, 25), {SATURDAY, SUNDAY}),
        ("gulf", dt.date(2026, 3, 5), {FRIDAY, SATURDAY}),
        ("gulf", dt.date(2026, 5, 27), {FRIDAY, SATURDAY}),
    ],
)
def test_the_suggested_date_is_a_working_day(
    cultures: dict[str, CultureProfile], culture: str, send_date: dt.date, weekend: set[int]
) -> None:
    [finding] = findings_for(cultures, culture, send_date)
    suggested = dt.date.fromisoformat(finding.rpartition("e.g. ")[2])
    assert suggested > send_date
    assert suggested.weekday() not in weekend
    assert day_off(suggested, cultures[culture]) is None
    assert suggested == next_working_day(send_date, cultures[culture])


def test_calendar_periods_may_wrap_over_new_year(cultures: dict[str, CultureProfile]) -> None:
    # The neutral culture has no holiday country: only its periods count.
    quiet = apply_settings(cultures["neutral"], {"calendar_periods.Year end": "12-28..01-03"})
    assert day_off(dt.date(2026, 12, 27), quiet) is None
    assert day_off(dt.date(2026, 12, 29), quiet) == "Year end"
    assert day_off(dt.date(2027, 1, 3), quiet) == "Year end"
    assert day_off(dt.date(2027, 1, 4), quiet) is None


def test_calendar_periods_merge_key_by_key(cultures: dict[str, CultureProfile]) -> None:
    japan = cultures["japan"]
    assert japan.settings()["calendar_periods"] == {"Golden Week": "04-29..05-05"}
    with_obon = apply_settings(japan, {"calendar_periods": {"Obon": "08-13..08-16"}})
    assert with_obon.calendar_periods == {"Golden Week": "04-29..05-05", "Obon": "08-13..08-16"}
    without = apply_settings(with_obon, {"calendar_periods.Golden Week": ""})
    assert without.calendar_periods == {"Obon": "08-13..08-16"}
    assert day_off(dt.date(2026, 5, 1), without) is None


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("04-29..05-35", "05-35 is not a day of the year"),
        ("13-01..13-02", "13-01 is not a day of the year"),
        ("hijri:13", "Hijri months are numbered 1 to 12"),
        ("ramadan", "must be MM-DD..MM-DD or hijri:M"),
        ("4-29..5-5", "must be MM-DD..MM-DD or hijri:M"),
    ],
)
def test_a_bad_calendar_period_names_the_setting(
    cultures: dict[str, CultureProfile], spec: str, message: str
) -> None:
    with pytest.raises(ProfileError) as caught:
        apply_settings(cultures["japan"], {"calendar_periods.Obon": spec})
    assert caught.value.setting == "calendar_periods"
    assert f"'Obon' = {spec!r}: {message}" in caught.value.message


def test_an_unknown_holiday_country_is_reported_not_fatal(
    cultures: dict[str, CultureProfile],
) -> None:
    assert all(holiday_country_problem(profile) is None for profile in cultures.values())
    unknown = dataclasses.replace(cultures["germany"], holiday_country="XX")
    assert day_off(dt.date(2026, 10, 3), unknown) is None
    assert "'XX' is not a country" in (holiday_country_problem(unknown) or "")
    no_state = dataclasses.replace(cultures["germany"], holiday_country="DE-QQ")
    assert day_off(dt.date(2026, 10, 3), no_state) is None
    assert "DE has no subdivision 'QQ'" in (holiday_country_problem(no_state) or "")


def test_a_subdivision_adds_its_own_holidays(cultures: dict[str, CultureProfile]) -> None:
    bavaria = dataclasses.replace(cultures["germany"], holiday_country="DE-BY")
    assert holiday_country_problem(bavaria) is None
    assert "Epiphany" in (day_off(dt.date(2026, 1, 6), bavaria) or "")
    assert day_off(dt.date(2026, 1, 6), cultures["germany"]) is None
