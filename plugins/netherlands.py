"""Netherlands and Flanders: very direct and low-context; formal u, never mixed with je."""

from locgen import hookimpl
from locgen.cultures import AddressStyle, CultureProfile, ValueScores

PROFILE = CultureProfile(
    id="netherlands",
    name="Netherlands",
    regions=("NL", "nl-BE", "nl"),
    directness="direct",
    context="low",
    # Traditional u; many Dutch brands write je instead, so a site can set
    # formality = "informal" under [cultures.netherlands]. Never mix the two.
    formality="formal",
    name_order="given-family",
    formal=AddressStyle(
        pronoun="u",
        # Never a first name after "Geachte". A surname prefix is capitalised
        # without a first name before it ("mevrouw De Vries"); {family} should carry that.
        greeting="Geachte heer/mevrouw {family},",
        greeting_female="Geachte mevrouw {family},",
        greeting_male="Geachte heer {family},",
        greeting_anonymous="Geachte heer/mevrouw,",
        sign_off="Met vriendelijke groet,",
    ),
    informal=AddressStyle(
        pronoun="je",
        greeting="Beste {given},",
        greeting_female="",
        greeting_male="",
        greeting_anonymous="Hallo,",
        sign_off="Met vriendelijke groet,",
    ),
    values=ValueScores(pdi=38, idv=80, mas=14, uai=53, lto=67, ivr=68),
    # Individualist with fairly long-term orientation: personal benefit, then reliability.
    angles=("individual", "stability", "price", "service", "innovation", "collective"),
    support_channels=("whatsapp", "email"),
    # Messaging-first market: readers expect a same-day reply.
    response_hours=4,
    compliance="gdpr",
    holiday_country="NL",
    imagery_cautions={},
    palette={
        "primary": "#1e4b8f",
        # Orange is the national colour and reads as friendly, not as a warning.
        "accent": "#e8730c",
        "positive": "#2e7d32",
        "negative": "#c62828",
    },
)


@hookimpl
def locgen_cultures():
    """Register the Netherlands culture profile."""
    return [PROFILE]
