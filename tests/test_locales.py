"""The site's locales: names, text direction and default currency from CLDR."""

from __future__ import annotations

import pickle

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


def test_a_locale_pickles_without_the_cldr_data_it_loaded(site_factory: SiteFactory) -> None:
    """A parallel build sends locales back from its workers (with each email): as a
    name, not as the locale data Babel loaded to render it."""
    config = load_config(site_factory(config=CONFIG))
    for locale in site_locales(config, "/shop/").values():
        named = (locale.native_name, locale.language_name, locale.dir, locale.currency)

        data = pickle.dumps(locale)
        arrived = pickle.loads(data)

        assert len(data) < 1000, len(data)
        assert arrived == locale and arrived.babel == locale.babel
        assert (arrived.native_name, arrived.language_name, arrived.dir, arrived.currency) == named
