"""Prose rules: register slips, honorifics and tone, on the text each locale's readers get."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from locgen.checks import ReaderText
from locgen.cultures import CultureProfile
from locgen.findings import Finding
from locgen.locale_cultures import registered_cultures
from locgen.phrasebook import Phrasebook, PhraseRule
from locgen.plugins import load_plugins
from locgen.prose_rules import (
    DEFAULT_TONE_RULES,
    PROSE_RULES,
    ToneRule,
    honorific_findings,
    mask_markup,
    parse_tone_rules,
    prose_findings,
    register_findings,
    tone_findings,
)

PATH = Path("content/offer.md")


@pytest.fixture(scope="module")
def cultures() -> dict[str, CultureProfile]:
    return {cid: profile for cid, (profile, _) in registered_cultures(load_plugins(None)).items()}


def reader(
    culture: CultureProfile, locale: str, *lines: str, first_line: int = 10, kind: str = "page"
) -> ReaderText:
    """A text in *locale*'s language whose lines start at source line *first_line*."""
    return ReaderText(
        path=PATH,
        locale=locale,
        language=locale.split("-")[0],
        culture=culture,
        lines=tuple(enumerate(lines, start=first_line)),
        kind=kind,
    )


def where(findings: list[Finding]) -> list[tuple[str, int | None, int | None]]:
    return [(finding.rule, finding.line, finding.column) for finding in findings]


# --- mask_markup --------------------------------------------------------------------------


def test_mask_markup_blanks_urls_tags_code_and_shortcode_names_in_place() -> None:
    line = (
        'See [the plans](https://example.com/NOW "Plans") `du` <b class="x">FREE</b> '
        '<!-- NOW --> <https://example.com/du> {{< button "Buy now" url="/du" >}} &nbsp;'
    )
    masked = mask_markup(line)
    assert len(masked) == len(line)
    assert masked.split() == ["See", "[the", "plans]", "FREE", "Buy", "now"]
    assert masked.index("Buy now") == line.index("Buy now")


def test_mask_markup_keeps_merge_shortcodes_when_asked() -> None:
    line = "Dear Mr {{< merge last_name >}}, see ![logo](logo.png) and {{< greeting >}}"
    kept = mask_markup(line, keep_merge=True)
    assert kept.split() == [
        "Dear",
        "Mr",
        "{{<",
        "merge",
        "last_name",
        ">}},",
        "see",
        "[logo]",
        "and",
    ]
    assert "merge" not in mask_markup(line)


# --- culture.formality.mixed-register -----------------------------------------------------


def test_one_du_in_a_formal_german_page_is_a_mixed_register(
    cultures: dict[str, CultureProfile],
) -> None:
    text = reader(
        cultures["germany"],
        "de-DE",
        "Hier finden Sie alles für Ihre Reise.",
        "Wenn du Fragen hast, schreiben Sie uns.",
    )
    [finding] = register_findings(text)
    assert where([finding]) == [("culture.formality.mixed-register", 11, 6)]
    assert finding.locale == "de-DE"
    assert finding.path == PATH
    assert finding.level == "warning"
    assert 'informal "du"' in finding.message
    assert 'otherwise says "Sie"' in finding.message
    assert '"Sie"' in (finding.suggestion or "")


def test_a_german_page_only_in_du_for_formal_readers_is_the_wrong_register(
    cultures: dict[str, CultureProfile],
) -> None:
    # The sentence-initial "Sie" may be "sie" (they), so it does not count as formal.
    text = reader(cultures["germany"], "de-DE", "Sie sind neu hier? Hast du Fragen?")
    [finding] = register_findings(text)
    assert (finding.line, finding.column) == (10, 25)
    assert finding.message == 'informal "du" where de-DE readers are addressed formally ("Sie")'
    assert "[cultures.germany]" in (finding.suggestion or "")


def test_a_formal_german_page_is_clean(cultures: dict[str, CultureProfile]) -> None:
    text = reader(
        cultures["germany"],
        "de-DE",
        "Hier finden Sie Ihre Rechnung.",
        "Sie erreichen uns jederzeit, damit",
        "Sie Ihre Fragen schnell klären.",
    )
    assert register_findings(text) == []


def test_markup_words_are_not_register_slips(cultures: dict[str, CultureProfile]) -> None:
    text = reader(
        cultures["germany"],
        "de-DE",
        "Hier finden [Sie alles](https://example.com/du/dein) `du` {{< du-hinweis x=dir >}}.",
        '{{< button "Ihre Rechnung" url="/de/du" >}} <span title="du">Ihr Konto</span>',
    )
    assert register_findings(text) == []


def test_dutch_geachte_with_a_first_name_is_reported(cultures: dict[str, CultureProfile]) -> None:
    text = reader(
        cultures["netherlands"],
        "nl-NL",
        "Geachte {{< merge first_name >}},",
        "Geachte Anna,",
        "Geachte mevrouw {{< merge last_name >}},",
        "Geachte klant,",
        "`Geachte Anna`",
    )
    findings = register_findings(text)
    assert where(findings) == [
        ("culture.formality.mixed-register", 10, 1),
        ("culture.formality.mixed-register", 11, 1),
    ]
    assert findings[0].message == "Geachte takes a title and family name, not a first name"
    assert "Beste {{< merge first_name >}}" in (findings[0].suggestion or "")


def test_formal_u_on_an_informal_dutch_site(cultures: dict[str, CultureProfile]) -> None:
    informal = dataclasses.replace(cultures["netherlands"], formality="informal")
    text = reader(informal, "nl-NL", "Je bestelling is onderweg.", "Bekijk uw bestelling.")
    [finding] = register_findings(text)
    assert (finding.line, finding.column) == (11, 8)
    assert finding.message.startswith('formal "uw" in a page that otherwise says "Je"')
    assert register_findings(reader(informal, "nl-NL", "Je bestelling is onderweg.")) == []


def test_french_tu_for_vous_readers(cultures: dict[str, CultureProfile]) -> None:
    text = reader(cultures["france"], "fr-FR", "Votre compte est prêt. Tu peux t'abonner.")
    findings = register_findings(text)
    assert [(f.column, f.message.split('"')[1]) for f in findings] == [(24, "Tu"), (32, "t'")]
    assert register_findings(reader(cultures["france"], "fr-FR", "Votre compte est prêt.")) == []


def test_chinese_ni_for_nin_readers(cultures: dict[str, CultureProfile]) -> None:
    [finding] = register_findings(reader(cultures["china"], "zh-CN", "您好！你的订单已发货。"))
    assert (finding.line, finding.column, finding.locale) == (10, 4, "zh-CN")
    assert '"你"' in finding.message and '"您"' in finding.message
    assert register_findings(reader(cultures["china"], "zh-CN", "您好！您的订单已发货。")) == []


def test_korean_banmal_and_dangsin(cultures: dict[str, CultureProfile]) -> None:
    text = reader(
        cultures["korea"],
        "ko-KR",
        "주문이 완료되었습니다. 지금 확인해!",
        "당신의 주문을 준비하고 있습니다.",
    )
    findings = register_findings(text)
    assert [(f.line, f.column, f.message.split('"')[1]) for f in findings] == [
        (10, 17, "확인해"),
        (11, 1, "당신"),
    ]
    assert "고객님" in (findings[0].suggestion or "")


def test_polite_korean_is_clean(cultures: dict[str, CultureProfile]) -> None:
    text = reader(
        cultures["korea"],
        "ko-KR",
        "## 새 이미지",
        "주문이 완료되었습니다. 확인해 주세요.",
        "고객님, 무엇을 도와드릴까요?",
    )
    assert register_findings(text) == []


def test_languages_with_one_form_of_address_are_not_checked(
    cultures: dict[str, CultureProfile],
) -> None:
    assert register_findings(reader(cultures["sweden"], "sv-SE", "Hej! Har du frågor?")) == []
    assert register_findings(reader(cultures["us"], "en-US", "You and your team.")) == []


# --- culture.address.honorific ------------------------------------------------------------


def test_japanese_customer_name_needs_sama(cultures: dict[str, CultureProfile]) -> None:
    text = reader(
        cultures["japan"],
        "ja-JP",
        "{{< merge last_name >}}さん、こんにちは。",
        "{{< merge last_name >}}様、いつもお世話になっております。",
        "{{< merge last_name >}} 様",
        "{{< merge last_name >}}{{< merge first_name >}}様",
    )
    [finding] = honorific_findings(text)
    assert where([finding]) == [("culture.address.honorific", 10, 1)]
    assert finding.locale == "ja-JP"
    assert "様" in finding.message
    assert finding.suggestion == "write {{< merge last_name >}}様"


def test_honorific_rules_apply_only_to_text_in_their_language(
    cultures: dict[str, CultureProfile],
) -> None:
    fallback = dataclasses.replace(
        reader(cultures["japan"], "ja-JP", "Dear {{< merge last_name >}},"), language="en"
    )
    assert honorific_findings(fallback) == []


def test_korean_customer_name_needs_nim(cultures: dict[str, CultureProfile]) -> None:
    text = reader(
        cultures["korea"],
        "ko-KR",
        "안녕하세요, {{< merge full_name >}}씨.",
        "{{< merge full_name >}} 고객님께",
        "{{< merge last_name >}}님, 감사합니다.",
    )
    [finding] = honorific_findings(text)
    assert (finding.line, finding.column) == (10, 8)
    assert "{{< merge full_name >}}님" in (finding.suggestion or "")


def test_british_titles_drop_the_full_stop(cultures: dict[str, CultureProfile]) -> None:
    [finding] = honorific_findings(reader(cultures["uk"], "en-GB", "Dear Mr. Smith,"))
    assert where([finding]) == [("culture.address.honorific", 10, 6)]
    assert finding.suggestion == 'British usage drops the full stop: write "Mr"'
    assert honorific_findings(reader(cultures["uk"], "en-GB", "Dear Mr Smith,")) == []


def test_american_titles_take_a_full_stop(cultures: dict[str, CultureProfile]) -> None:
    text = reader(cultures["us"], "en-US", "Dear Mr Smith,", "Dear Ms {{< merge last_name >}}:")
    findings = honorific_findings(text)
    assert where(findings) == [
        ("culture.address.honorific", 10, 6),
        ("culture.address.honorific", 11, 6),
    ]
    assert findings[1].suggestion == 'American usage writes "Ms."'
    assert honorific_findings(reader(cultures["us"], "en-US", "Dear Mr. Smith:")) == []


# --- culture.tone.* -----------------------------------------------------------------------


def test_buy_now_is_blunt_for_indirect_readers_only(cultures: dict[str, CultureProfile]) -> None:
    lines = ("Our plans are ready.", "Buy now and save 20%.")
    [finding] = tone_findings(reader(cultures["japan"], "en-JP", *lines))
    assert where([finding]) == [("culture.tone.imperative", 11, 1)]
    assert finding.locale == "en-JP"
    assert finding.message == (
        'blunt imperative "Buy now" for en-JP readers, who expect an indirect tone'
    )
    assert finding.suggestion
    assert tone_findings(reader(cultures["us"], "en-US", *lines)) == []


def test_a_button_label_is_prose_but_its_url_is_not(cultures: dict[str, CultureProfile]) -> None:
    line = 'Plans: {{< button "Buy now" url="/act-now/hurry" >}} [more](https://x.com/buy-now)'
    [finding] = tone_findings(reader(cultures["japan"], "en-JP", line))
    assert (finding.rule, finding.column) == ("culture.tone.imperative", line.index("Buy now") + 1)


def test_must_is_pressure_from_the_third_time(cultures: dict[str, CultureProfile]) -> None:
    twice = ("You must sign in.", "You must accept the terms.")
    assert tone_findings(reader(cultures["japan"], "en-JP", *twice)) == []
    thrice = (*twice, "Then you must pay.")
    [finding] = tone_findings(reader(cultures["japan"], "en-JP", *thrice))
    assert where([finding]) == [("culture.tone.pressure", 12, 10)]
    assert finding.message.startswith('"must" 3 times in one page: pressure for en-JP readers')


def test_cjk_tone_phrases_match_inside_words(cultures: dict[str, CultureProfile]) -> None:
    # Japanese phrases come from the japan culture plugin, through locgen_tone_rules.
    host = load_plugins(None)
    rules = [rule for group in host.call("locgen_tone_rules") for rule in group]
    text = reader(cultures["japan"], "ja-JP", "こちらから今すぐ購入。")
    assert tone_findings(text, DEFAULT_TONE_RULES) == []
    [finding] = tone_findings(text, rules)
    assert (finding.rule, finding.column) == ("culture.tone.imperative", 6)


def test_caps_words_are_reported_when_there_are_several(
    cultures: dict[str, CultureProfile],
) -> None:
    text = reader(cultures["japan"], "en-JP", "Get it FREE.", "Order NOW, it ships today.")
    findings = tone_findings(text)
    caps = [f for f in findings if f.rule == "culture.tone.caps"]
    assert where(caps) == [("culture.tone.caps", 10, 8), ("culture.tone.caps", 11, 7)]
    assert '"FREE"' in caps[0].message


def test_acronyms_and_single_caps_words_are_fine(cultures: dict[str, CultureProfile]) -> None:
    text = reader(cultures["japan"], "en-JP", "GDPR and SSO are supported.", "It is FREE.")
    assert tone_findings(text) == []


def test_caps_in_urls_and_shortcode_names_are_not_prose(
    cultures: dict[str, CultureProfile],
) -> None:
    text = reader(
        cultures["japan"],
        "en-JP",
        "See [our plans](https://example.com/NOW/FREE) and <span class='URGENT'>them</span>.",
        '{{< promo-NOW code="FREE" >}} `SALE NOW`',
    )
    assert tone_findings(text) == []


def test_exclamation_marks(cultures: dict[str, CultureProfile]) -> None:
    text = reader(cultures["japan"], "en-JP", "Welcome!! We are glad.")
    [finding] = tone_findings(text)
    assert where([finding]) == [("culture.tone.exclamation", 10, 8)]
    three = reader(cultures["japan"], "en-JP", "Hello! Welcome!", "Enjoy! ![logo](logo.png)")
    assert tone_findings(three) == []
    four = reader(cultures["japan"], "en-JP", "Hello! Welcome!", "Enjoy!", "Thanks!")
    [finding] = tone_findings(four)
    assert where([finding]) == [("culture.tone.exclamation", 12, 7)]
    assert tone_findings(reader(cultures["us"], "en-US", "Welcome!! Yes!!")) == []


def test_the_phrasebook_entry_is_quoted_as_the_suggestion(
    cultures: dict[str, CultureProfile],
) -> None:
    phrasebook = Phrasebook(
        rules={("indirect", "en-GB"): (PhraseRule("Buy now", "Explore the plans", 3),)}
    )
    text = reader(cultures["japan"], "en-JP", "Buy now.")
    [finding] = tone_findings(text, DEFAULT_TONE_RULES, phrasebook)
    suggestion = finding.suggestion or ""
    assert 'softens "Buy now" to "Explore the plans" (indirect, en-GB)' in suggestion
    assert "indirect: en" in suggestion


def test_a_site_tone_rule_can_name_direct_cultures(cultures: dict[str, CultureProfile]) -> None:
    [rule] = parse_tone_rules(
        [
            {
                "rule": "culture.tone.hype",
                "language": "en",
                "phrases": ["game-changing", "revolutionary"],
                "cultures": ["us"],
                "suggestion": "say what it does",
                "level": "info",
            }
        ],
        "checks.tone",
    )
    assert rule == ToneRule(
        "culture.tone.hype",
        "en",
        ("game-changing", "revolutionary"),
        cultures=("us",),
        suggestion="say what it does",
        level="info",
    )
    [finding] = tone_findings(reader(cultures["us"], "en-US", "A revolutionary app."), [rule])
    assert (finding.rule, finding.level, finding.column) == ("culture.tone.hype", "info", 3)
    assert finding.message == 'hype phrase "revolutionary" for en-US readers'
    assert tone_findings(reader(cultures["japan"], "en-JP", "A revolutionary app."), [rule]) == []


@pytest.mark.parametrize(
    ("entry", "complaint"),
    [
        ({"rule": "culture.tone.x", "language": "en", "phrase": ["a"]}, "phrase is not"),
        ({"rule": "tone.x", "language": "en", "phrases": ["a"]}, "rule 'tone.x' must be"),
        ({"rule": "culture.tone.x", "language": "en-GB", "phrases": ["a"]}, "language"),
        ({"rule": "culture.tone.x", "language": "en", "phrases": "a"}, "phrases must be a list"),
        ({"rule": "culture.tone.x", "language": "en", "phrases": []}, "phrases must list"),
        ({"rule": "culture.tone.x", "language": "en", "phrases": ["a"], "threshold": 0}, "thresh"),
        ({"rule": "culture.tone.x", "language": "en", "phrases": ["a"], "level": "loud"}, "level"),
        ({"language": "en", "phrases": ["a"]}, "rule is missing"),
    ],
)
def test_bad_tone_tables_name_the_key(entry: dict[str, object], complaint: str) -> None:
    with pytest.raises(ValueError, match=r"checks\.tone entry 1: ") as error:
        parse_tone_rules([entry], "checks.tone")
    assert complaint in str(error.value)


def test_tone_rules_must_be_a_list() -> None:
    with pytest.raises(ValueError, match=r"\[\[checks.tone\]\]"):
        parse_tone_rules({"rule": "culture.tone.x"}, "checks.tone")


# --- Declaration --------------------------------------------------------------------------


def test_every_reported_rule_is_declared(cultures: dict[str, CultureProfile]) -> None:
    assert {rule.id for rule in PROSE_RULES} == {
        "culture.formality.mixed-register",
        "culture.address.honorific",
        "culture.tone.imperative",
        "culture.tone.pressure",
        "culture.tone.caps",
        "culture.tone.exclamation",
    }
    assert {rule.level for rule in PROSE_RULES} == {"warning"}
    text = reader(
        cultures["japan"],
        "en-JP",
        "Dear {{< merge last_name >}}, BUY NOW!! Last chance.",
    )
    assert {f.rule for f in prose_findings(text)} <= {rule.id for rule in PROSE_RULES}
    assert {rule.rule for rule in DEFAULT_TONE_RULES} <= {rule.id for rule in PROSE_RULES}
