"""Calendar check: an email planned for a day its readers are not at work.

An email's ``send_date`` is a *day off* for a culture's readers when it is a
public holiday in the culture's ``holiday_country`` (from the ``holidays``
package, which also knows the lunar ones: Spring Festival, Seollal, Chuseok,
the Eids) or falls in one of the culture's ``calendar_periods`` (Golden Week,
Ramadan). Such a send date gets a ``calendar.holiday`` warning that suggests
the next working day, counting the weekend of the reader's country.

Holiday tables are computed once per country, subdivision and year and kept
for the life of the process: they are the same for every build.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from locgen.checks import Rule
from locgen.cultures import CultureProfile, parse_calendar_period
from locgen.findings import Finding

CALENDAR_RULE = Rule(
    "calendar.holiday",
    "warning",
    "an email's send_date falls on a public holiday or a quiet period in the reader's country",
)
"""The rule :func:`holiday_findings` reports."""

_SEARCH_DAYS = 400
"""How far :func:`next_working_day` looks: over a year, so only a year-long period defeats it."""
_DEFAULT_WEEKEND = frozenset({5, 6})
"""Saturday and Sunday (Monday is 0): the weekend where the holidays package lacks the country."""
_MAX_LISTED_SUBDIVISIONS = 12


@dataclass(frozen=True)
class _PublicHolidays:
    """One year of one country's (or subdivision's) public holidays."""

    names: Mapping[dt.date, str]
    """Each holiday's name in the country's language, with the English one in brackets."""
    weekend: frozenset[int]
    """Weekdays off (Monday is 0): Friday and Saturday in most Gulf states."""


def _split_country(code: str) -> tuple[str, str | None]:
    """``DE-BY`` → ``("DE", "BY")``; ``DE`` → ``("DE", None)``."""
    country, _, subdivision = code.partition("-")
    return country.upper(), subdivision or None


@functools.lru_cache(maxsize=512)
def _public_holidays(country: str, subdivision: str | None, year: int) -> _PublicHolidays | None:
    """*country*'s public holidays in *year*, or ``None`` if the holidays package lacks it."""
    try:
        # Always name the language: left unset, the holidays package reads it from
        # the environment's locale, and findings would differ from machine to machine.
        import holidays  # loaded only for a site whose emails have a send_date

        english = holidays.country_holidays(
            country, subdiv=subdivision, years=year, language="en_US"
        )
    except NotImplementedError:
        return None
    names = dict(english.items())
    language = english.default_language
    if language and not language.startswith("en"):
        local = holidays.country_holidays(
            country, subdiv=subdivision, years=year, language=language
        )
        names = {
            day: name if local.get(day, name) == name else f"{local[day]} ({name})"
            for day, name in names.items()
        }
    return _PublicHolidays(names, frozenset(english.weekend))


def holiday_country_problem(culture: CultureProfile) -> str | None:
    """Why *culture*'s ``holiday_country`` gives no public holidays, or ``None`` if it is fine.

    An empty ``holiday_country`` is fine: the culture has no public holidays to
    check. :func:`day_off` skips a country the holidays package does not know,
    so a caller reports this once, as a warning.
    """
    code = culture.holiday_country
    if not code:
        return None
    country, subdivision = _split_country(code)
    try:
        import holidays

        holidays.country_holidays(country, subdiv=subdivision)
    except NotImplementedError:
        known = holidays.list_supported_countries().get(country)
        if known is None:
            return (
                f"holiday_country {code!r} is not a country the holidays package knows "
                "(use an ISO 3166 code such as DE or DE-BY); its public holidays are not checked"
            )
        listed = ", ".join(known[:_MAX_LISTED_SUBDIVISIONS])
        more = ", …" if len(known) > _MAX_LISTED_SUBDIVISIONS else ""
        return (
            f"holiday_country {code!r}: {country} has no subdivision {subdivision!r} "
            f"(known: {listed}{more}); its public holidays are not checked"
        )
    return None


def _public_holiday(day: dt.date, culture: CultureProfile) -> str | None:
    if not culture.holiday_country:
        return None
    table = _public_holidays(*_split_country(culture.holiday_country), day.year)
    return None if table is None else table.names.get(day)


def _hijri_month_day(day: dt.date) -> tuple[int, int] | None:
    try:
        import hijridate

        hijri = hijridate.Gregorian(day.year, day.month, day.day).to_hijri()
    except OverflowError:
        # Outside the Umm al-Qura tables (1924 to 2077): no Hijri date to compare.
        return None
    return hijri.month, hijri.day


def _calendar_period(day: dt.date, culture: CultureProfile) -> str | None:
    """The name of the first of *culture*'s ``calendar_periods`` that contains *day*."""
    for name, spec in culture.calendar_periods.items():
        period = parse_calendar_period(spec)
        month_day = _hijri_month_day(day) if period.calendar == "hijri" else (day.month, day.day)
        if month_day is not None and period.contains(*month_day):
            return name
    return None


def day_off(day: dt.date, culture: CultureProfile) -> str | None:
    """What makes *day* a bad day to send campaign mail to *culture*'s readers, or ``None``.

    :returns: the public holiday's name in ``holiday_country``
        (``Tag der Deutschen Einheit (German Unity Day)``), else the name of the
        ``calendar_periods`` entry that contains the day (``Ramadan``), else
        ``None``. A ``holiday_country`` the holidays package does not know
        contributes no holidays (see :func:`holiday_country_problem`).
    """
    return _public_holiday(day, culture) or _calendar_period(day, culture)


def _weekend(day: dt.date, culture: CultureProfile) -> frozenset[int]:
    if culture.holiday_country:
        table = _public_holidays(*_split_country(culture.holiday_country), day.year)
        if table is not None:
            return table.weekend
    return _DEFAULT_WEEKEND


def next_working_day(day: dt.date, culture: CultureProfile) -> dt.date | None:
    """The first day after *day* that is neither a weekend nor a :func:`day_off` for the readers.

    The weekend is the reader's country's, as the holidays package knows it
    (Friday and Saturday in Saudi Arabia, Qatar, Kuwait, Bahrain and Oman;
    Saturday and Sunday elsewhere, the UAE included). ``None`` when no such
    day comes within a year, as with a period that covers the whole year.
    """
    for offset in range(1, _SEARCH_DAYS + 1):
        candidate = day + dt.timedelta(days=offset)
        if candidate.weekday() not in _weekend(candidate, culture) and (
            day_off(candidate, culture) is None
        ):
            return candidate
    return None


def holiday_findings(
    send_date: dt.date | dt.datetime,
    culture: CultureProfile,
    *,
    path: Path | None,
    line: int | None,
    locale: str,
    email_name: str,
) -> list[Finding]:
    """A ``calendar.holiday`` warning when *send_date* is a day off for *locale*'s readers.

    A date-time counts by its own date, as the sender wrote it. The suggestion
    names the next working day; inside a calendar period (Ramadan, Golden
    Week) that is the first working day after it.

    :param send_date: the email's ``send_date``.
    :param culture: the culture of *locale*'s readers.
    :param path: the email's source file.
    :param line: the line of ``send_date`` in it, when known.
    :param locale: the readers' locale tag, e.g. ``de-DE``.
    :param email_name: how the message names the email, e.g. ``spring-sale``.
    :returns: one finding, or none when the day is a working day.
    """
    day = send_date.date() if isinstance(send_date, dt.datetime) else send_date
    holiday = _public_holiday(day, culture)
    period = _calendar_period(day, culture)
    if holiday is not None:
        reason = f"is {holiday} in {culture.holiday_country}, a public holiday for {locale} readers"
    elif period is not None:
        reason = f"falls in {period} ({culture.id} calendar) for {locale} readers"
    else:
        return []
    after = f" after {period}" if period is not None else ""
    later = next_working_day(day, culture)
    example = f", e.g. {later.isoformat()}" if later is not None else ""
    return [
        Finding(
            rule=CALENDAR_RULE.id,
            level=CALENDAR_RULE.level,
            message=f"{email_name}: send_date {day.isoformat()} {reason}",
            path=path,
            line=line,
            locale=locale,
            suggestion=f"move the send_date to a working day{after}{example}",
        )
    ]
