"""Japan: very indirect and high-context; formal keigo, customers addressed as 様."""

from locgen import hookimpl
from locgen.cultures import AddressStyle, CultureProfile, ValueScores
from locgen.prose_rules import IMPERATIVE_RULE, NO_RUSH, PRESSURE_RULE, ToneRule

PROFILE = CultureProfile(
    id="japan",
    name="Japan",
    regions=("JP", "ja"),
    directness="indirect",
    context="high",
    formality="formal",
    name_order="family-given",
    formal=AddressStyle(
        pronoun="",
        greeting="{family}様",
        greeting_female="",
        greeting_male="",
        greeting_anonymous="お客様",
        sign_off="今後ともよろしくお願いいたします。",
        opening="いつもお世話になっております。",
    ),
    informal=AddressStyle(
        # Still polite (です/ます): さん instead of 様.
        pronoun="",
        greeting="{family}さん",
        greeting_female="",
        greeting_male="",
        greeting_anonymous="みなさま",
        sign_off="よろしくお願いします。",
        opening="こんにちは。",
    ),
    values=ValueScores(pdi=54, idv=46, mas=95, uai=92, lto=88, ivr=42),
    # Very high uncertainty avoidance and long-term orientation: stability, service, teamwork.
    angles=("stability", "service", "collective", "innovation", "price", "individual"),
    support_channels=("line", "email", "phone"),
    # LINE-first market with high service expectations: a same-day reply within business hours.
    response_hours=4,
    compliance="japan-specified-email",
    holiday_country="JP",
    # Most of Japan is away for the string of holidays around the turn of April and May.
    calendar_periods={"Golden Week": "04-29..05-05"},
    imagery_cautions={
        "gesture:ok-sign": "The OK sign means money.",
        "gesture:beckoning": "Beckoning with a palm-up finger is rude; people beckon palm down.",
        "number:4": "Four is read shi, which sounds like death.",
        "number:49": "Forty-nine is read shiku, which sounds like suffering until death.",
        "colour:white": "White is the colour of mourning.",
    },
    palette={
        # Indigo rather than white as the main colour; white is the colour of mourning.
        "primary": "#264a7a",
        "accent": "#c0392b",
        "positive": "#2e7d32",
        "negative": "#c62828",
    },
)


@hookimpl
def locgen_cultures():
    """Register the Japan culture profile."""
    return [PROFILE]


@hookimpl
def locgen_tone_rules():
    """Japanese phrases that urge or pressure; readers expect to be invited."""
    return [
        ToneRule(
            IMPERATIVE_RULE,
            "ja",
            ("今すぐ", "急いで"),
            suggestion="invite rather than urge: 「ぜひご検討ください」",
        ),
        ToneRule(
            PRESSURE_RULE, "ja", ("最後のチャンス", "本日限り", "お見逃しなく"), suggestion=NO_RUSH
        ),
        ToneRule(
            PRESSURE_RULE,
            "ja",
            ("必ず",),
            threshold=3,
            suggestion="say what readers can do: 「〜いただけます」",
        ),
    ]
