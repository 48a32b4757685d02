"""Brazil: indirect and high-context; formal o senhor / a senhora, você when informal, never tu."""

from locgen import hookimpl
from locgen.cultures import AddressStyle, CultureProfile, ValueScores
from locgen.prose_rules import IMPERATIVE_RULE, INVITE, NO_RUSH, PRESSURE_RULE, ToneRule

PROFILE = CultureProfile(
    id="brazil",
    name="Brazil",
    regions=("BR", "pt"),
    # Evidence for "indirect" is weak; a site can override it.
    directness="indirect",
    context="high",
    formality="formal",
    name_order="given-family",
    formal=AddressStyle(
        pronoun="o senhor",
        greeting="Prezado(a) {given} {family},",
        greeting_female="Prezada Sra. {family},",
        greeting_male="Prezado Sr. {family},",
        greeting_anonymous="Prezado(a) cliente,",
        sign_off="Atenciosamente,",
    ),
    informal=AddressStyle(
        pronoun="você",
        greeting="Olá, {given}!",
        greeting_female="",
        greeting_male="",
        greeting_anonymous="Olá!",
        sign_off="Abraços,",
    ),
    values=ValueScores(pdi=69, idv=38, mas=49, uai=76, lto=44, ivr=59),
    # High uncertainty avoidance and power distance, collectivist: service and reassurance first.
    angles=("service", "stability", "collective", "price", "innovation", "individual"),
    support_channels=("whatsapp", "email"),
    # WhatsApp-first market: readers expect a same-day reply.
    response_hours=4,
    compliance="lgpd",
    holiday_country="BR",
    imagery_cautions={
        "gesture:ok-sign": "The OK sign is an obscene insult.",
        "gesture:horns": "The horns gesture implies that someone's partner is unfaithful.",
        "colour:purple": "Purple is associated with death and mourning in some contexts.",
    },
    palette={
        "primary": "#00843d",
        "accent": "#f2c100",
        "positive": "#2e7d32",
        "negative": "#c62828",
    },
)


@hookimpl
def locgen_cultures():
    """Register the Brazil culture profile."""
    return [PROFILE]


@hookimpl
def locgen_tone_rules():
    """Portuguese phrases that urge or pressure."""
    return [
        ToneRule(IMPERATIVE_RULE, "pt", ("Compre já", "Compre agora"), suggestion=INVITE),
        ToneRule(
            PRESSURE_RULE, "pt", ("Última chance", "Só hoje", "Não perca"), suggestion=NO_RUSH
        ),
    ]
