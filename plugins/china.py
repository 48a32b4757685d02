"""China and Singapore Chinese: indirect and high-context; formal 您, never 你 to customers."""

from locgen import hookimpl
from locgen.cultures import AddressStyle, CultureProfile, ValueScores
from locgen.prose_rules import IMPERATIVE_RULE, NO_RUSH, PRESSURE_RULE, ToneRule

PROFILE = CultureProfile(
    id="china",
    name="China",
    regions=("CN", "zh-SG", "zh"),
    directness="indirect",
    context="high",
    formality="formal",
    name_order="family-given",
    formal=AddressStyle(
        pronoun="您",
        greeting="尊敬的{full}：",
        greeting_female="尊敬的{family}女士：",
        greeting_male="尊敬的{family}先生：",
        greeting_anonymous="尊敬的客户：",
        # The customary closing pair is 此致 / 敬礼; only the first line is kept here.
        sign_off="此致",
        opening="您好！",
    ),
    informal=AddressStyle(
        pronoun="你",
        greeting="亲爱的{full}：",
        greeting_female="",
        greeting_male="",
        greeting_anonymous="亲爱的用户：",
        sign_off="祝好",
        opening="你好！",
    ),
    values=ValueScores(pdi=80, idv=20, mas=66, uai=30, lto=87, ivr=24),
    # Very collectivist and long-term: group benefit, brand trust and service before novelty.
    angles=("collective", "service", "stability", "innovation", "price", "individual"),
    support_channels=("wechat", "email"),
    # WeChat-first market: readers expect replies within a couple of hours.
    response_hours=2,
    compliance="generic",
    holiday_country="CN",
    # The Spring Festival follows the lunar calendar, so no fixed range can name it; the
    # holidays package lists its days off for CN (checked: 2026-02-17, Chinese New Year, is
    # one of them). National Day week is always 1 to 7 October.
    calendar_periods={"National Day week": "10-01..10-07"},
    imagery_cautions={
        "colour:white": "White is the colour of mourning.",
        "colour:red": "Red means luck and gains, so it reads as good news, not as loss.",
        "colour:green-hat": "A man in a green hat signals that his wife is unfaithful.",
        "number:4": "Four sounds like the word for death.",
        "map:borders": "Maps must show the borders as officially drawn in China.",
    },
    # Sites served in mainland China show their ICP filing number.
    footer_params=("icp_number",),
    palette={
        # Red is luck and celebration; gold is prosperity.
        "primary": "#b71c1c",
        "accent": "#d4a017",
        # Red for gains and green for losses, as on Chinese stock tickers.
        "positive": "#c62828",
        "negative": "#2e7d32",
    },
)


@hookimpl
def locgen_cultures():
    """Register the China culture profile."""
    return [PROFILE]


@hookimpl
def locgen_tone_rules():
    """Chinese phrases that urge or pressure."""
    return [
        ToneRule(
            IMPERATIVE_RULE,
            "zh",
            ("立即购买", "马上"),
            suggestion="invite rather than urge: “欢迎了解”",
        ),
        ToneRule(PRESSURE_RULE, "zh", ("最后机会", "仅限今天", "错过不再"), suggestion=NO_RUSH),
    ]
