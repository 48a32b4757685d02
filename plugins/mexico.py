"""Mexico and Latin American Spanish: indirect and high-context; formal usted with titles."""

from locgen import hookimpl
from locgen.cultures import AddressStyle, CultureProfile, ValueScores
from locgen.prose_rules import IMPERATIVE_RULE, INVITE, NO_RUSH, PRESSURE_RULE, ToneRule

PROFILE = CultureProfile(
    id="mexico",
    name="Mexico",
    regions=("MX", "419"),
    directness="indirect",
    context="high",
    formality="formal",
    name_order="given-family",
    formal=AddressStyle(
        pronoun="usted",
        # {family} is the paternal surname. Professional titles (Lic., Ing.) replace
        # Sr./Sra. rather than follow them, so a site that knows them overrides these patterns.
        greeting="Estimado/a {given} {family}:",
        greeting_female="Estimada Sra. {family}:",
        greeting_male="Estimado Sr. {family}:",
        greeting_anonymous="Estimado/a cliente:",
        sign_off="Saludos cordiales,",
    ),
    informal=AddressStyle(
        pronoun="tú",
        greeting="¡Hola, {given}!",
        greeting_female="",
        greeting_male="",
        greeting_anonymous="¡Hola!",
        sign_off="Saludos,",
    ),
    values=ValueScores(pdi=81, idv=30, mas=69, uai=82, lto=24, ivr=97),
    # High power distance and uncertainty avoidance, collectivist: personal service, family first.
    angles=("service", "collective", "stability", "price", "innovation", "individual"),
    support_channels=("whatsapp", "email"),
    # WhatsApp-first market: readers expect a same-day reply.
    response_hours=4,
    compliance="generic",
    holiday_country="MX",
    imagery_cautions={
        "colour:yellow-flowers": "Yellow flowers are linked with death and the Day of the Dead.",
    },
    palette={
        "primary": "#006847",
        # Mexican pink, a popular festive colour.
        "accent": "#e4007c",
        "positive": "#2e7d32",
        "negative": "#c62828",
    },
)


@hookimpl
def locgen_cultures():
    """Register the Mexico culture profile."""
    return [PROFILE]


@hookimpl
def locgen_tone_rules():
    """Spanish phrases that urge or pressure."""
    return [
        ToneRule(IMPERATIVE_RULE, "es", ("Compra ya", "Compra ahora"), suggestion=INVITE),
        ToneRule(PRESSURE_RULE, "es", ("Última oportunidad", "Solo hoy"), suggestion=NO_RUSH),
    ]
