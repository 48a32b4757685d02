"""Gulf states and Arabic: indirect and high-context; formal title + first name, right to left."""

from locgen import hookimpl
from locgen.cultures import AddressStyle, CultureProfile, ValueScores

PROFILE = CultureProfile(
    id="gulf",
    name="Gulf states",
    regions=("SA", "AE", "QA", "KW", "BH", "OM", "ar"),
    directness="indirect",
    context="high",
    formality="formal",
    name_order="given-family",
    # Arabic forms, since the Gulf site is Arabic; title + first name (e.g. Mr. Ahmed).
    formal=AddressStyle(
        pronoun="حضرتكم",
        greeting="السيد/السيدة {given} المحترم/ة،",
        greeting_female="السيدة {given} المحترمة،",
        greeting_male="السيد {given} المحترم،",
        greeting_anonymous="السلام عليكم،",
        sign_off="مع أطيب التحيات،",
    ),
    informal=AddressStyle(
        pronoun="أنت",
        greeting="مرحبًا {given}،",
        greeting_female="",
        greeting_male="",
        greeting_anonymous="مرحبًا،",
        sign_off="مع التحية،",
    ),
    values=ValueScores(pdi=80, idv=38, mas=53, uai=68, lto=23, ivr=34),
    # High power distance and uncertainty avoidance, collectivist: service and trust first.
    angles=("service", "collective", "stability", "price", "innovation", "individual"),
    # Evidence for WhatsApp as first choice is weak; a site can override it.
    support_channels=("whatsapp", "email"),
    # Messaging-first market: readers expect a same-day reply.
    response_hours=4,
    compliance="generic",
    holiday_country="SA",
    # No campaign mail during the month of fasting; Eid al-Fitr is a public holiday in SA.
    calendar_periods={"Ramadan": "hijri:9"},
    imagery_cautions={
        "gesture:left-hand": "The left hand is considered unclean for giving, eating or greeting.",
        "gesture:soles-of-feet": "Showing the soles of the feet is insulting.",
        "gesture:beckoning": "Beckoning with a finger is rude.",
        "content:alcohol": "Alcohol is forbidden in Islam and must not appear.",
        "content:pork": "Pork is forbidden in Islam and must not appear.",
        "content:nudity": "Revealing clothing and nudity are offensive.",
        "symbol:cross": "Crosses and other non-Islamic religious symbols are inappropriate.",
    },
    palette={
        "primary": "#0f4c5c",
        # Green is sacred in Islam and widely liked; use it as the accent.
        "accent": "#007a3d",
        "positive": "#1b7a3e",
        "negative": "#c62828",
    },
)


@hookimpl
def locgen_cultures():
    """Register the Gulf states culture profile."""
    return [PROFILE]
