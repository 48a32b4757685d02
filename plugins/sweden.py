"""Sweden and Swedish-speaking Finland: direct and low-context; informal du is the norm."""

from locgen import hookimpl
from locgen.cultures import AddressStyle, CultureProfile, ValueScores

PROFILE = CultureProfile(
    id="sweden",
    name="Sweden",
    regions=("SE", "sv-FI", "sv"),
    # Evidence for "direct" is weak; a site can override it.
    directness="direct",
    context="low",
    # Since the du-reform du is normal with customers; ni can sound distant.
    formality="informal",
    name_order="given-family",
    formal=AddressStyle(
        pronoun="ni",
        greeting="Bästa {given} {family},",
        greeting_female="",
        greeting_male="",
        greeting_anonymous="Hej,",
        sign_off="Med vänliga hälsningar",
    ),
    informal=AddressStyle(
        pronoun="du",
        greeting="Hej {given},",
        greeting_female="",
        greeting_male="",
        greeting_anonymous="Hej,",
        sign_off="Med vänliga hälsningar",
    ),
    values=ValueScores(pdi=31, idv=71, mas=5, uai=29, lto=53, ivr=78),
    # Lowest uncertainty avoidance here: new ideas lead; consensus culture puts service over price.
    angles=("innovation", "individual", "service", "price", "collective", "stability"),
    support_channels=("email", "messenger"),
    # Email-first market: a next-business-day reply is the norm.
    response_hours=24,
    compliance="gdpr",
    holiday_country="SE",
    imagery_cautions={},
    palette={
        "primary": "#005b99",
        "accent": "#f5c400",
        "positive": "#2e7d32",
        "negative": "#c62828",
    },
)


@hookimpl
def locgen_cultures():
    """Register the Sweden culture profile."""
    return [PROFILE]
