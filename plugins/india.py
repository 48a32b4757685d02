"""India: indirect and high-context; formal-polite English with Mr./Ms., Hindi आप."""

from locgen import hookimpl
from locgen.cultures import AddressStyle, CultureProfile, ValueScores

PROFILE = CultureProfile(
    id="india",
    name="India",
    regions=("IN", "hi"),
    # Evidence for "indirect" is weak; a site can override it.
    directness="indirect",
    context="high",
    formality="formal",
    name_order="given-family",
    formal=AddressStyle(
        # The greetings are English, which has one form of "you"; Hindi content uses आप.
        pronoun="",
        greeting="Dear {given} {family},",
        greeting_female="Dear Ms. {family},",
        greeting_male="Dear Mr. {family},",
        # "Respected Sir/Madam" is common but dated.
        greeting_anonymous="Dear Customer,",
        sign_off="Warm regards,",
    ),
    informal=AddressStyle(
        pronoun="",
        greeting="Hi {given},",
        greeting_female="",
        greeting_male="",
        greeting_anonymous="Hello,",
        sign_off="Warm regards,",
    ),
    values=ValueScores(pdi=77, idv=48, mas=56, uai=40, lto=51, ivr=26),
    # High power distance and mid individualism: attentive service and family/group benefit lead.
    angles=("service", "collective", "price", "innovation", "stability", "individual"),
    support_channels=("whatsapp", "email"),
    # WhatsApp-first market: readers expect a same-day reply.
    response_hours=4,
    compliance="generic",
    holiday_country="IN",
    imagery_cautions={
        "gesture:left-hand": "The left hand is considered unclean for giving, eating or greeting.",
        "colour:white": "White is worn for mourning.",
        "map:borders": "Maps must show Jammu and Kashmir and Ladakh as India officially does.",
    },
    palette={
        "primary": "#0b3d91",
        # Saffron, from the flag; reads as warm and auspicious.
        "accent": "#e8791d",
        "positive": "#138808",
        "negative": "#c62828",
    },
)


@hookimpl
def locgen_cultures():
    """Register the India culture profile."""
    return [PROFILE]
