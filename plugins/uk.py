"""United Kingdom and Ireland: understated and low-context; informal-polite, no T-V distinction."""

from locgen import hookimpl
from locgen.cultures import AddressStyle, CultureProfile, ValueScores

PROFILE = CultureProfile(
    id="uk",
    name="United Kingdom",
    regions=("GB", "IE"),
    directness="indirect",
    context="low",
    formality="informal",
    name_order="given-family",
    formal=AddressStyle(
        pronoun="",
        greeting="Dear {given} {family},",
        # British style: no full stop after Mr, Ms or Dr.
        greeting_female="Dear Ms {family},",
        greeting_male="Dear Mr {family},",
        greeting_anonymous="Dear Sir or Madam,",
        sign_off="Kind regards,",
    ),
    informal=AddressStyle(
        pronoun="",
        # Informal but polite: "Dear" with the first name rather than "Hi".
        greeting="Dear {given},",
        greeting_female="",
        greeting_male="",
        greeting_anonymous="Hello,",
        sign_off="Kind regards,",
    ),
    values=ValueScores(pdi=35, idv=89, mas=66, uai=35, lto=51, ivr=69),
    # Very individualist with low uncertainty avoidance: personal benefit and value for money lead.
    angles=("individual", "price", "innovation", "service", "stability", "collective"),
    support_channels=("whatsapp", "email"),
    # Messaging-first market: readers expect a same-day reply.
    response_hours=4,
    compliance="uk-gdpr",
    holiday_country="GB",
    imagery_cautions={
        "gesture:v-sign-palm-in": "A V-sign with the palm facing inward is an insult.",
    },
    palette={
        "primary": "#1d3f6e",
        "accent": "#8a1538",
        "positive": "#2e7d32",
        "negative": "#c62828",
    },
)


@hookimpl
def locgen_cultures():
    """Register the United Kingdom culture profile."""
    return [PROFILE]
