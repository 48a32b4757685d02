"""The site's locales: names, text direction and default currency from CLDR."""

from __future__ import annotations

from conftest import SiteFactory
from locgen.config import load_config
from locgen.locales import site_locales

CONFIG = """
    [site]
    title = "Shop"
    base_url = "https://example.com/shop/"
    default_locale = "en-US"
    locales = ["en-US", "sv-SE", "ar-SA", "ja", "de-CH"]

    [locales.de-CH]
    currency = "EUR"
"""


def test_each_locale_has_its_cldr_names_direction_and_currency(
    site_factory: SiteFactory,
) -> None:
    config = load_config(site_factory(config=CONFIG))

    locales = site_locales(config, "/shop/")

    shown = {
        tag: (locale.native_name, locale.language_name, locale.dir, locale.currency)
        for tag, locale in locales.items()
    }
    assert shown == {
        "en-US": ("English (United States)", "English", "ltr", "USD"),
        "sv-SE": ("Svenska (Sverige)", "Svenska", "ltr", "SEK"),
        "ar-SA": ("العربية (المملكة العربية السعودية)", "العربية", "rtl", "SAR"),
        "ja": ("日本語", "日本語", "ltr", "USD"),  # no territory: no currency of its own
        "de-CH": ("Deutsch (Schweiz)", "Deutsch", "ltr", "EUR"),  # as configured
    }
    assert locales["sv-SE"].home_url == "/shop/sv-se/"
    assert locales["sv-SE"].title == "Shop"
