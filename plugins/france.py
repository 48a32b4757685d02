"""France, Wallonia, Romandy: direct, mid-to-high-context; formal vous, open with Bonjour."""

from locgen import hookimpl
from locgen.cultures import AddressStyle, CultureProfile, ValueScores

PROFILE = CultureProfile(
    id="france",
    name="France",
    regions=("FR", "fr-BE", "fr-CH", "fr"),
    directness="direct",
    # Mid-to-high context: more is implied than in the US or Germany.
    context="mid",
    formality="formal",
    name_order="given-family",
    formal=AddressStyle(
        pronoun="vous",
        greeting="Bonjour {given} {family},",
        greeting_female="Bonjour Madame {family},",
        greeting_male="Bonjour Monsieur {family},",
        greeting_anonymous="Madame, Monsieur,",
        sign_off="Cordialement,",
    ),
    informal=AddressStyle(
        pronoun="tu",
        greeting="Bonjour {given},",
        greeting_female="",
        greeting_male="",
        greeting_anonymous="Bonjour,",
        sign_off="À bientôt,",
    ),
    values=ValueScores(pdi=68, idv=71, mas=43, uai=86, lto=63, ivr=48),
    # High power distance and uncertainty avoidance: service and reassurance before novelty.
    angles=("service", "stability", "individual", "price", "innovation", "collective"),
    support_channels=("email", "messenger"),
    # Email-first market: a next-business-day reply is the norm.
    response_hours=24,
    compliance="gdpr",
    holiday_country="FR",
    imagery_cautions={
        "gesture:ok-sign": "The OK sign means zero or worthless.",
    },
    palette={
        "primary": "#1f3b73",
        "accent": "#b0223b",
        "positive": "#2e7d32",
        "negative": "#c62828",
    },
)


@hookimpl
def locgen_cultures():
    """Register the France culture profile."""
    return [PROFILE]
