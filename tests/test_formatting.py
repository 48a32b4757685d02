"""Locale-aware template filters built on Babel Locale objects."""

from __future__ import annotations

import datetime as dt
import locale as process_locale

import pytest
from babel import Locale

from locgen.formatting import locale_filters


def filters(tag: str, currency: str, timezone: str = "UTC"):
    return locale_filters(Locale.parse(tag, sep="-"), currency=currency, timezone=timezone)


def plain(text: str) -> str:
    return text.replace("\xa0", " ").replace("\u202f", " ")


@pytest.mark.parametrize(
    ("tag", "currency", "price", "percent", "number", "listed"),
    [
        ("en-US", "USD", "$1,234.50", "25%", "1,234,567.891", "A, B, and C"),
        ("de-DE", "EUR", "1.234,50 €", "25 %", "1.234.567,891", "A, B und C"),
        ("sv-SE", "SEK", "1 234,50 kr", "25 %", "1 234 567,891", "A, B och C"),
        ("ja-JP", "JPY", "￥1,234", "25%", "1,234,567.891", "A、B、C"),
        ("ar-SA", "SAR", "\u200f1,234.50 ر.س.\u200f", "25%", "1,234,567.891", "A وB وC"),
    ],
)
def test_numbers_currency_percent_lists(tag, currency, price, percent, number, listed) -> None:
    f = filters(tag, currency)
    assert plain(f["format_currency"](1234.5)) == price
    assert plain(f["format_percent"](0.25)) == percent
    assert plain(f["format_number"](1234567.891)) == number
    assert f["format_list"](["A", "B", "C"]) == listed


def test_explicit_currency_wins_over_the_locales() -> None:
    assert plain(filters("de-DE", "EUR")["format_currency"](10, "USD")) == "10,00 $"


def test_dates_and_times_in_the_readers_zone() -> None:
    moment = dt.datetime(2026, 11, 1, 15, 30, tzinfo=dt.UTC)
    tokyo = filters("ja-JP", "JPY", "Asia/Tokyo")
    assert tokyo["format_date"](dt.date(2026, 11, 1)) == "2026年11月1日"
    assert tokyo["format_time"](moment) == "0:30"
    berlin = filters("de-DE", "EUR", "Europe/Berlin")
    assert berlin["format_date"]("2026-11-01", "full") == "Sonntag, 1. November 2026"
    assert berlin["format_datetime"](moment, "short") == "01.11.26, 16:30"
    assert berlin["format_timezone"]("Europe/Berlin") == "Mitteleuropäische Zeit"
    assert filters("en-US", "USD")["format_timezone"]("Asia/Tokyo") == "Japan Time"


def test_formatting_never_touches_the_process_locale() -> None:
    before = process_locale.setlocale(process_locale.LC_ALL)
    filters("de-DE", "EUR")["format_currency"](1)
    assert process_locale.setlocale(process_locale.LC_ALL) == before
