"""Locale-aware formatting for templates: dates, numbers, currency, lists, time zones.

Every function takes a Babel ``Locale`` object; nothing touches the process-wide
``locale`` module, so locales never leak into each other.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from babel import Locale, dates, lists, numbers

Number = int | float | Decimal


def format_date(value: dt.date | str, format: str = "long", *, locale: Locale) -> str:
    """Format a date the CLDR way (``format``: short, medium, long, full or a pattern)."""
    return str(dates.format_date(_as_date(value), format=format, locale=locale))


def format_datetime(
    value: dt.datetime | str, format: str = "medium", *, locale: Locale, timezone: str
) -> str:
    """Format a date and time in *timezone* (naive values are taken as UTC)."""
    moment = _as_datetime(value)
    return str(
        dates.format_datetime(
            moment, format=format, tzinfo=dates.get_timezone(timezone), locale=locale
        )
    )


def format_time(
    value: dt.datetime | dt.time | str, format: str = "short", *, locale: Locale, timezone: str
) -> str:
    """Format a time of day in *timezone* (a bare time is shown as given)."""
    if isinstance(value, dt.time):
        return str(dates.format_time(value, format=format, locale=locale))
    moment = _as_datetime(value)
    return str(
        dates.format_time(moment, format=format, tzinfo=dates.get_timezone(timezone), locale=locale)
    )


def format_timezone(name: str, width: str = "long", *, locale: Locale) -> str:
    """Name an IANA time zone in the reader's language.

    ``Europe/Berlin`` becomes ``Mitteleuropäische Zeit`` in German.
    """
    return str(
        dates.get_timezone_name(
            dates.get_timezone(name),
            width=width,  # type: ignore[arg-type]
            locale=locale,
        )
    )


def format_number(value: Number, *, locale: Locale) -> str:
    """Format a number with the locale's grouping and decimal signs."""
    return str(numbers.format_decimal(value, locale=locale))


def format_decimal(value: Number, format: str | None = None, *, locale: Locale) -> str:
    """Format a decimal number, optionally with a CLDR pattern such as ``#,##0.00``."""
    return str(numbers.format_decimal(value, format=format, locale=locale))


def format_currency(
    value: Number,
    currency: str | None = None,
    format: str | None = None,
    *,
    locale: Locale,
    default_currency: str,
) -> str:
    """Format a price (``1.234,50 €`` in de-DE); *currency* defaults to the locale's."""
    return str(
        numbers.format_currency(value, currency or default_currency, format=format, locale=locale)
    )


def format_percent(value: Number, format: str | None = None, *, locale: Locale) -> str:
    """Format a ratio as a percentage (``0.25`` → ``25 %`` in de-DE)."""
    return str(numbers.format_percent(value, format=format, locale=locale))


def format_list(items: Iterable[Any], style: str = "standard", *, locale: Locale) -> str:
    """Join items the locale's way (``A, B und C``; ``A、B、C``)."""
    return str(
        lists.format_list(
            [str(item) for item in items],
            style=style,  # type: ignore[arg-type]
            locale=locale,
        )
    )


def locale_filters(
    locale: Locale, *, currency: str, timezone: str
) -> dict[str, Callable[..., str]]:
    """Return the template filters bound to one locale, currency and time zone.

    ``format_date`` remembers what it formatted: pages list the same dates
    again and again, and a date (or ISO string) in a format always reads the same.
    """
    formatted_dates: dict[tuple[dt.date | str, str], str] = {}

    def _date(value: dt.date | str, format: str = "long") -> str:
        if type(value) not in (dt.date, str) or type(format) is not str:
            return format_date(value, format, locale=locale)  # equal datetimes can be days apart
        key = (value, format)
        found = formatted_dates.get(key)
        if found is None:
            found = formatted_dates[key] = format_date(value, format, locale=locale)
        return found

    def _datetime(value: dt.datetime | str, format: str = "medium") -> str:
        return format_datetime(value, format, locale=locale, timezone=timezone)

    def _time(value: dt.datetime | dt.time | str, format: str = "short") -> str:
        return format_time(value, format, locale=locale, timezone=timezone)

    def _timezone(name: str, width: str = "long") -> str:
        return format_timezone(name, width, locale=locale)

    def _number(value: Number) -> str:
        return format_number(value, locale=locale)

    def _decimal(value: Number, format: str | None = None) -> str:
        return format_decimal(value, format, locale=locale)

    def _currency(
        value: Number, currency_code: str | None = None, format: str | None = None
    ) -> str:
        return format_currency(
            value, currency_code, format, locale=locale, default_currency=currency
        )

    def _percent(value: Number, format: str | None = None) -> str:
        return format_percent(value, format, locale=locale)

    def _list(items: Iterable[Any], style: str = "standard") -> str:
        return format_list(items, style, locale=locale)

    return {
        "format_date": _date,
        "format_datetime": _datetime,
        "format_time": _time,
        "format_timezone": _timezone,
        "format_number": _number,
        "format_decimal": _decimal,
        "format_currency": _currency,
        "format_percent": _percent,
        "format_list": _list,
    }


def _as_date(value: dt.date | str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _as_datetime(value: dt.datetime | str) -> dt.datetime:
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment
