"""locgen's own behaviour, written as an ordinary plugin.

Defaults that a plugin may replace are ``trylast``: a plugin's answer to a
*select* hook comes first. The site's ``[cultures.<id>]`` overrides are
``tryfirst``, so they beat every plugin's changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from markdown.extensions import Extension
from markupsafe import Markup

from locgen import hookimpl
from locgen.address import Person, greeting, sign_off
from locgen.checks import Check
from locgen.config import SiteConfig
from locgen.culture_markup import CultureMarkupExtension
from locgen.cultures import AddressStyle, CultureProfile, ValueScores
from locgen.images import resolve_variant
from locgen.locale_cultures import NEUTRAL_ID, site_overrides
from locgen.locales import SiteLocale
from locgen.pages import absolute_for_email, origin_of
from locgen.prose_rules import DEFAULT_TONE_RULES, ToneRule
from locgen.shortcodes import RenderContext, Shortcode, ShortcodeExtension, merge_tag
from locgen.site_checks import builtin_checks
from locgen.support import local_hours, preferred_channels, response_time

NEUTRAL = CultureProfile(
    id=NEUTRAL_ID,
    name="Neutral",
    regions=(),
    directness="direct",
    context="low",
    formality="formal",
    name_order="given-family",
    formal=AddressStyle(
        pronoun="",
        greeting="Dear {given} {family},",
        greeting_female="",
        greeting_male="",
        greeting_anonymous="Hello,",
        sign_off="Kind regards,",
    ),
    informal=AddressStyle(
        pronoun="",
        greeting="Hello {given},",
        greeting_female="",
        greeting_male="",
        greeting_anonymous="Hello,",
        sign_off="Best wishes,",
    ),
    values=ValueScores(pdi=50, idv=50, mas=50, uai=50, lto=50, ivr=50),
    angles=(),
    support_channels=("email",),
    response_hours=24,
    compliance="generic",
    holiday_country="",
)
"""The profile of a locale no culture claims: plain, polite and formal."""


@hookimpl
def locgen_cultures() -> list[CultureProfile]:
    """Register the neutral profile used when no culture claims a locale."""
    return [NEUTRAL]


@hookimpl(trylast=True)
def locgen_culture_for_locale(
    locale: SiteLocale, cultures: Mapping[str, CultureProfile]
) -> str | None:
    """Match the locale against each profile's ``regions``, most specific first.

    Language and territory (``de-CH``) beat territory (``JP``), which beats
    language (``ja``). At one level the profile registered last wins, so a
    site plugin can claim a territory from a bundled culture.
    """
    language = str(locale.babel.language)
    territory = locale.babel.territory
    wanted = [f"{language}-{territory}".lower()] if territory else []
    wanted += [territory.lower()] if territory else []
    wanted += [language.lower()]
    for key in wanted:
        for culture_id in reversed(list(cultures)):
            if key in (region.lower() for region in cultures[culture_id].regions):
                return culture_id
    return NEUTRAL_ID


@hookimpl(tryfirst=True)
def locgen_prepare_culture(culture: CultureProfile, config: SiteConfig) -> dict[str, Any] | None:
    """Apply the site's ``[cultures.<id>]`` table (it beats every plugin)."""
    return site_overrides(config, culture.id) or None


@hookimpl
def locgen_markdown_extensions(config: SiteConfig) -> list[Extension]:
    """Culture blocks, the inline form and the phrasebook; then shortcodes."""
    return [CultureMarkupExtension(), ShortcodeExtension()]


@hookimpl
def locgen_shortcodes(config: SiteConfig) -> dict[str, Shortcode]:
    """Greeting, sign-off, support hours, response time, support channels, merge tags, buttons."""
    return {
        "merge": merge_shortcode,
        "button": button_shortcode,
        "greeting": greeting_shortcode,
        "sign_off": sign_off_shortcode,
        "support_hours": support_hours_shortcode,
        "response_time": response_time_shortcode,
        "support_channels": support_channels_shortcode,
    }


def merge_shortcode(context: RenderContext, field: str) -> str:
    """``{{< merge first_name >}}``: the recipient's field, as the email service writes it."""
    return merge_tag(field, context, None)


def button_shortcode(context: RenderContext, text: str, *, url: str) -> Markup:
    """``{{< button "Get started" url="https://…" >}}``: a call to action.

    In an email it is a table cell with a background colour, which every mail
    client (Outlook for Windows included) draws as a button.
    """
    if not url.strip():
        raise context.error(
            "button: url is empty", None, 'write url="https://…" or url=merge(field)'
        )
    email = context.page is not None and context.page.kind == "email"
    if email:
        url = absolute_for_email(url, origin_of(context.config))
    return context.render_template("shortcodes/button", {"text": text, "url": url, "email": email})


def greeting_shortcode(
    context: RenderContext,
    person: Mapping[str, Any] | None = None,
    *,
    given: str | None = None,
    family: str | None = None,
    gender: str | None = None,
    title: str | None = None,
) -> str:
    """``{{< greeting given="Anna" family="Schmidt" gender="female" >}}``: a greeting."""
    try:
        reader = Person.from_fields(person, given=given, family=family, gender=gender, title=title)
    except ValueError as exc:
        raise context.error(f"greeting: {exc}", None, "see docs/cultures.md#greetings") from None
    return str(
        context.host.call(
            "locgen_address_form",
            kind="greeting",
            person=reader,
            locale=context.locale,
            culture=context.culture,
            page=context.page,
        )
    )


def sign_off_shortcode(context: RenderContext) -> str:
    """``{{< sign_off >}}``: the culture's closing line."""
    return str(
        context.host.call(
            "locgen_address_form",
            kind="sign_off",
            person=Person(),
            locale=context.locale,
            culture=context.culture,
            page=context.page,
        )
    )


def _support(context: RenderContext, name: str) -> Any:
    support = context.config.support
    if support is None:
        raise context.error(
            f"{name} needs a [support] table in locgen.toml",
            None,
            'add [support] with timezone, days = "mon-fri" and hours = "09:00-17:00"',
        )
    return support


def support_hours_shortcode(context: RenderContext) -> Markup:
    """``{{< support_hours >}}``: the company's hours in the reader's zone and format."""
    support = _support(context, "support_hours")
    on = context.page.date if context.page is not None else None
    hours = local_hours(support, context.locale.babel, context.locale.timezone, on)
    return context.render_template(
        "shortcodes/support_hours", {"days": hours.days, "hours": hours.hours, "zone": hours.zone}
    )


def response_time_shortcode(context: RenderContext) -> Markup:
    """``{{< response_time >}}``: how soon the reader's culture expects a first reply."""
    return context.render_template(
        "shortcodes/response_time",
        {"duration": response_time(context.culture, context.locale.babel)},
    )


def support_channels_shortcode(context: RenderContext) -> Markup:
    """``{{< support_channels >}}``: the channels offered, the reader's favourites first."""
    support = _support(context, "support_channels")
    channels = preferred_channels(support, context.culture)
    return context.render_template("shortcodes/support_channels", {"channels": channels})


@hookimpl(trylast=True)
def locgen_resolve_image(
    path: str, locale: SiteLocale, culture: CultureProfile, assets: frozenset[str]
) -> str | None:
    """The most specific variant: ``hero.ja-JP.jpg``, ``hero.japan.jpg``, ``hero.jpg``."""
    return resolve_variant(path, locale.tag, culture.id, assets)


@hookimpl(trylast=True)
def locgen_address_form(kind: str, person: Person, culture: CultureProfile) -> str:
    """Fill the culture's greeting or sign-off pattern for its formality."""
    return greeting(person, culture) if kind == "greeting" else sign_off(culture)


@hookimpl(tryfirst=True)
def locgen_compliance_footer(
    culture: CultureProfile, config: SiteConfig, category: str | None
) -> list[str]:
    """Sender identity (company and postal address) and the culture's registration lines.

    Every regime asks who sends; ``[params]`` ``company`` and ``address``
    supply it. A culture's ``footer_params`` add more (Germany's Impressum:
    ``register`` and ``vat_id``; China: ``icp_number``). Transactional mail
    goes without, unless the culture's ``transactional_footer`` says its law
    asks for the details on all business mail.
    """
    if category == "transactional" and not culture.transactional_footer:
        return []
    params = config.params
    lines: list[str] = []
    for key in ("company", "address", *culture.footer_params):
        value = params.get(key)
        if isinstance(value, list):  # an address given as a list of lines
            lines.extend(str(item) for item in value if item)
        elif value:
            lines.append(str(value))
    return lines


@hookimpl
def locgen_template_variables(culture: CultureProfile) -> dict[str, Any]:
    """``culture`` (the profile) and ``culture_css`` (its palette as CSS custom properties)."""
    return {"culture": culture, "culture_css": palette_css(culture)}


def palette_css(culture: CultureProfile) -> Markup:
    """``:root`` rule setting ``--culture-<key>`` for each palette colour."""
    if not culture.palette:
        return Markup("")
    body = "".join(f"--culture-{key}:{value};" for key, value in sorted(culture.palette.items()))
    return Markup(":root{") + Markup(body) + Markup("}")


@hookimpl
def locgen_checks() -> list[Check]:
    """Links, images, theme strings, emails and send dates (see :mod:`locgen.site_checks`)."""
    return builtin_checks()


@hookimpl
def locgen_tone_rules() -> tuple[ToneRule, ...]:
    """locgen's default tone rules (see :data:`locgen.prose_rules.DEFAULT_TONE_RULES`)."""
    return DEFAULT_TONE_RULES
