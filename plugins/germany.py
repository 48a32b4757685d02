"""Germany, Austria, German-speaking Switzerland: direct and low-context; formal Sie with titles."""

from locgen import hookimpl
from locgen.cultures import AddressStyle, CultureProfile, ValueScores

PROFILE = CultureProfile(
    id="germany",
    name="Germany",
    regions=("DE", "AT", "de-CH", "de"),
    directness="direct",
    context="low",
    formality="formal",
    name_order="given-family",
    formal=AddressStyle(
        pronoun="Sie",
        # Gender unknown (a mailing list's name fields): the form-letter "Sehr geehrte/r".
        greeting="Sehr geehrte/r {given} {family},",
        # Academic titles are kept: "Sehr geehrter Herr Dr. Meyer,".
        greeting_female="Sehr geehrte Frau {title}{family},",
        greeting_male="Sehr geehrter Herr {title}{family},",
        greeting_anonymous="Sehr geehrte Damen und Herren,",
        sign_off="Mit freundlichen Grüßen",
    ),
    informal=AddressStyle(
        pronoun="du",
        greeting="Hallo {given},",
        greeting_female="",
        greeting_male="",
        greeting_anonymous="Hallo,",
        sign_off="Viele Grüße",
    ),
    values=ValueScores(pdi=35, idv=67, mas=66, uai=65, lto=83, ivr=40),
    # High uncertainty avoidance and long-term orientation: reliability and service before novelty.
    angles=("stability", "service", "individual", "price", "innovation", "collective"),
    support_channels=("whatsapp", "email"),
    # Messaging-first market: readers expect a same-day reply.
    response_hours=4,
    compliance="gdpr",
    holiday_country="DE",
    imagery_cautions={},
    # The Impressum names the commercial register entry and the VAT id.
    footer_params=("register", "vat_id"),
    # Company law (§ 37a HGB, § 35a GmbHG) asks for these details in every business
    # email, order confirmations and password resets included.
    transactional_footer=True,
    palette={
        "primary": "#1f3a5f",
        "accent": "#d4a017",
        "positive": "#2e7d32",
        "negative": "#c62828",
    },
)


@hookimpl
def locgen_cultures():
    """Register the Germany culture profile."""
    return [PROFILE]
