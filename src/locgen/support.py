"""Support hours, response time and channels, shown in the reader's time zone and language.

The company states its hours once (``[support]``, in its own zone); each
locale shows them converted to its zone and written in its locale format.
The culture says which channels its readers prefer and how soon they expect
a reply.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from babel import Locale
from babel.dates import format_time, format_timedelta, get_day_names, get_timezone_name
from babel.lists import format_list

from locgen.config import SupportSettings
from locgen.cultures import CultureProfile


@dataclass(frozen=True)
class LocalHours:
    """Support hours as one locale shows them."""

    days: str
    """Weekdays, e.g. ``Monday – Friday`` or ``月曜日～金曜日``."""
    hours: str
    """Opening and closing time, e.g. ``15:00–23:00``."""
    zone: str
    """The reader's time zone name, e.g. ``Central European Standard Time``."""


def local_hours(
    support: SupportSettings, babel_locale: Locale, timezone: str, on: dt.date | None
) -> LocalHours:
    """Convert the company's hours into *timezone* for the week of *on*.

    Days move with the opening time: hours that open on Monday evening in
    New York open on Tuesday morning in Tokyo.
    """
    company = zoneinfo.ZoneInfo(support.timezone)
    reader = zoneinfo.ZoneInfo(timezone)
    reference = on or support.reference_date
    monday = reference - dt.timedelta(days=reference.weekday())
    starts: list[dt.datetime] = []
    for day in support.days:
        opening = dt.datetime.combine(monday + dt.timedelta(days=day), support.opens, company)
        starts.append(opening.astimezone(reader))
    first = starts[0]
    length = _duration(support.opens, support.closes)
    closing = first + length
    weekdays = sorted({start.weekday() for start in starts})
    names = get_day_names("wide", context="format", locale=babel_locale)
    return LocalHours(
        days=_day_span(weekdays, names, babel_locale),
        hours=_interval(
            format_time(first.timetz(), "short", locale=babel_locale),
            format_time(closing.timetz(), "short", locale=babel_locale),
            babel_locale,
        ),
        zone=get_timezone_name(first, width="long", locale=babel_locale),
    )


def _duration(opens: dt.time, closes: dt.time) -> dt.timedelta:
    start = dt.timedelta(hours=opens.hour, minutes=opens.minute)
    end = dt.timedelta(hours=closes.hour, minutes=closes.minute)
    return end - start if end > start else end - start + dt.timedelta(days=1)


def _interval(first: str, last: str, babel_locale: Locale) -> str:
    """Join two values with the locale's range pattern (``9:00 AM – 5:00 PM``, ``9:00～17:00``)."""
    pattern = babel_locale.interval_formats.get(None, "{0}–{1}")
    return str(pattern).replace("{0}", first).replace("{1}", last)


def _day_span(weekdays: list[int], names: object, babel_locale: Locale) -> str:
    day_names = [str(names[d]) for d in weekdays]  # type: ignore[index]
    contiguous = weekdays == list(range(weekdays[0], weekdays[0] + len(weekdays)))
    if len(weekdays) >= 3 and contiguous:
        return _interval(day_names[0], day_names[-1], babel_locale)
    return format_list(day_names, locale=babel_locale)


def response_time(culture: CultureProfile, babel_locale: Locale) -> str:
    """How soon the culture's readers expect a first reply, e.g. ``4 hours`` or ``4時間``."""
    return format_timedelta(
        dt.timedelta(hours=culture.response_hours),
        threshold=10**6,
        granularity="hour",
        format="long",
        locale=babel_locale,
    )


def preferred_channels(support: SupportSettings, culture: CultureProfile) -> list[tuple[str, str]]:
    """The channels the company offers as ``(channel, link)``, the culture's favourites first."""
    offered = support.channels
    preferred = [c for c in culture.support_channels if c in offered]
    rest = [c for c in offered if c not in preferred]
    return [(channel, offered[channel]) for channel in [*preferred, *rest]]
