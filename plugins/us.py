"""United States: direct and low-context; informal first-name address, no T-V distinction."""

from locgen import hookimpl
from locgen.cultures import AddressStyle, CultureProfile, ValueScores

PROFILE = CultureProfile(
    id="us",
    name="United States",
    regions=("US", "en"),
    directness="direct",
    context="low",
    formality="informal",
    name_order="given-family",
    formal=AddressStyle(
        pronoun="",
        greeting="Dear {given} {family}:",
        greeting_female="Dear Ms. {family}:",
        greeting_male="Dear Mr. {family}:",
        greeting_anonymous="Dear customer:",
        sign_off="Best regards,",
    ),
    informal=AddressStyle(
        pronoun="",
        greeting="Hi {given},",
        greeting_female="",
        greeting_male="",
        greeting_anonymous="Hi there,",
        sign_off="Best regards,",
    ),
    values=ValueScores(pdi=40, idv=91, mas=62, uai=46, lto=26, ivr=68),
    # Low uncertainty avoidance and short-term orientation: novelty and uniqueness sell first.
    angles=("innovation", "individual", "price", "service", "stability", "collective"),
    support_channels=("phone", "email", "messenger"),
    # Email is the written channel here; a next-business-day reply is the norm.
    response_hours=24,
    compliance="can-spam",
    holiday_country="US",
    imagery_cautions={
        "colour:red": "Red signals loss or decline in financial contexts.",
    },
    palette={
        "primary": "#1a4d8f",
        "accent": "#e07a10",
        "positive": "#2e7d32",
        # Red means loss to US readers (the opposite of China).
        "negative": "#c62828",
    },
)


@hookimpl
def locgen_cultures():
    """Register the United States culture profile."""
    return [PROFILE]
