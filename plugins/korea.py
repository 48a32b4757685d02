"""South Korea: indirect and high-context; formal 합쇼체, customers addressed as 고객님."""

from locgen import hookimpl
from locgen.cultures import AddressStyle, CultureProfile, ValueScores
from locgen.prose_rules import IMPERATIVE_RULE, NO_RUSH, PRESSURE_RULE, ToneRule

PROFILE = CultureProfile(
    id="korea",
    name="South Korea",
    regions=("KR", "ko"),
    directness="indirect",
    context="high",
    formality="formal",
    name_order="family-given",
    formal=AddressStyle(
        # 고객님 stands in for "you"; never 당신.
        pronoun="고객님",
        greeting="{full} 고객님께",
        greeting_female="",
        greeting_male="",
        greeting_anonymous="고객님께",
        sign_off="감사합니다.",
        # Evidence for this opening is weak; a site can override it.
        opening="안녕하십니까.",
    ),
    informal=AddressStyle(
        # Polite 해요체 with the name + 님; Korean drops the pronoun rather than use 당신.
        pronoun="",
        greeting="{full}님",
        greeting_female="",
        greeting_male="",
        greeting_anonymous="고객님",
        sign_off="감사합니다.",
        opening="안녕하세요.",
    ),
    values=ValueScores(pdi=60, idv=18, mas=39, uai=85, lto=100, ivr=29),
    # Highest long-term orientation and very collectivist: stability and the group first.
    angles=("stability", "collective", "service", "innovation", "price", "individual"),
    support_channels=("kakaotalk", "email"),
    # KakaoTalk-first market: readers expect replies within a couple of hours.
    response_hours=2,
    compliance="generic",
    # Seollal and Chuseok follow the lunar calendar; the holidays package lists their days for KR.
    holiday_country="KR",
    imagery_cautions={
        "colour:red-name": "Writing a living person's name in red suggests death.",
        "colour:white": "White is the colour of mourning.",
        "number:4": "Four sounds like the word for death.",
    },
    palette={
        "primary": "#0047a0",
        "accent": "#cd2e3a",
        # Red for gains and blue for losses, as on Korean stock tickers.
        "positive": "#cd2e3a",
        "negative": "#0047a0",
    },
)


@hookimpl
def locgen_cultures():
    """Register the South Korea culture profile."""
    return [PROFILE]


@hookimpl
def locgen_tone_rules():
    """Korean phrases that urge or pressure."""
    return [
        ToneRule(
            IMPERATIVE_RULE,
            "ko",
            ("지금 구매", "지금 바로"),
            suggestion="invite rather than urge: '확인해 보시기 바랍니다'",
        ),
        ToneRule(
            PRESSURE_RULE, "ko", ("마지막 기회", "오늘만", "놓치지 마세요"), suggestion=NO_RUSH
        ),
    ]
