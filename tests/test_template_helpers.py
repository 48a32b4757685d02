"""Template helpers that remember their results give exactly what a fresh call gives."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import jinja2
import pytest
from babel import Locale
from markupsafe import escape

from conftest import SiteFactory
from locgen.config import load_config
from locgen.formatting import locale_filters
from locgen.locales import site_locales
from locgen.theme import Theme

DE_PO = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

msgid "Welcome"
msgstr "Willkommen"

msgid "Hello %(name)s"
msgstr "Hallo %(name)s"

msgid "100%% sure"
msgstr "100%% sicher"

msgctxt "nav"
msgid "Home"
msgstr "Startseite"

msgid "%(num)s item"
msgid_plural "%(num)s items"
msgstr[0] "%(num)s Eintrag"
msgstr[1] "%(num)s Einträge"
"""

TEMPLATES = [
    '{{ _("Welcome") }}|{{ _("Welcome") }}|{{ gettext("Untranslated") }}',
    '{{ _("Hello %(name)s", name="<Anna>") }}|{{ _("100%% sure") }}|{{ _("A & B") }}',
    '{{ pgettext("nav", "Home") }}|{{ pgettext("verb", "Home") }}',
    '{{ pgettext("x", "%(context)s") }}|{{ pgettext("x", "%(context)s") }}',
    '{{ pgettext("nav", "Home", context="<b>") }}|{{ pgettext("nav", "%(n)s", n="<i>") }}',
    '{{ ngettext("%(num)s item", "%(num)s items", 1) }}',
    '{{ ngettext("%(num)s item", "%(num)s items", 3) }}',
    '{{ npgettext("nav", "%(num)s item", "%(num)s items", 2, num="<2>") }}',
    '{% trans %}Welcome{% endtrans %}|{% trans name="<b>" %}Hello {{ name }}{% endtrans %}',
    "{% trans count=2 %}{{ count }} item{% pluralize %}{{ count }} items{% endtrans %}",
    '{% for i in [1, 2] %}{{ _("Welcome") }}{% set x = i %}{{ _("A & B") }}{% endfor %}',
    '{% autoescape false %}{{ _("Hello %(name)s", name="<Anna>") }}{{ _("A & B") }}'
    '{% endautoescape %}{{ _("Hello %(name)s", name="<Anna>") }}{{ _("A & B") }}',
    '{% set gettext = shout %}{{ _("Welcome") }}|{{ _("Hello %(name)s", name="x") }}',
]


def shout(message: str, **variables: str) -> str:
    """A ``gettext`` a template puts in place of the theme's."""
    return (message % variables).upper()


def escaped_translations(translations: Any) -> dict[str, Callable[..., str]]:
    """*translations*' gettext functions, each returning its translation escaped under
    autoescape: a theme treats translations as text, where Jinja2 trusts them as markup."""

    def escaping(method: Callable[..., str]) -> Callable[..., str]:
        @jinja2.pass_eval_context
        def call(eval_ctx: jinja2.nodes.EvalContext, *args: Any) -> str:
            text = method(*args)
            return escape(text) if eval_ctx.autoescape else text

        return call

    names = ("gettext", "ngettext", "pgettext", "npgettext")
    return {name: escaping(getattr(translations, name)) for name in names}


@pytest.fixture
def german(site_factory: SiteFactory) -> tuple[jinja2.Environment, jinja2.Environment]:
    """A plain Jinja2 environment with a theme's German catalogs, and the theme's own."""
    root = site_factory({"locales/de_DE/LC_MESSAGES/messages.po": DE_PO})
    config = load_config(root)
    locale = site_locales(config, "/")["de-DE"]
    theme = Theme(config)
    plain = jinja2.Environment(autoescape=True, extensions=["jinja2.ext.i18n"])
    plain.install_gettext_callables(  # type: ignore[attr-defined]
        **escaped_translations(theme.translations(locale)), newstyle=True
    )
    return plain, theme.environment(locale)


@pytest.mark.parametrize("source", TEMPLATES)
def test_theme_gettext_is_newstyle_gettext_of_escaped_translations(german, source: str) -> None:
    plain, env = german
    expected = plain.from_string(source).render(shout=shout)
    assert env.from_string(source).render(shout=shout) == expected
    assert env.from_string(source).render(shout=shout) == expected  # remembered


def test_theme_gettext_reports_a_missing_variable_every_time(german) -> None:
    _, env = german
    template = env.from_string('{{ _("Hello %(name)s") }}')
    for _ in range(2):
        with pytest.raises(KeyError):
            template.render()


def test_remembered_dates_keep_equal_moments_on_their_own_days() -> None:
    format_date = locale_filters(Locale.parse("en_US"), currency="USD", timezone="UTC")[
        "format_date"
    ]
    late_evening = dt.datetime(2025, 3, 4, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-1)))
    past_midnight = dt.datetime(2025, 3, 5, 0, 30, tzinfo=dt.UTC)
    assert late_evening == past_midnight
    assert format_date(late_evening) == "March 4, 2025"
    assert format_date(past_midnight) == "March 5, 2025"
    for _ in range(2):
        assert format_date(dt.date(2025, 3, 4)) == "March 4, 2025"
        assert format_date("2025-03-04", "short") == "3/4/25"
