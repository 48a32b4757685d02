"""Prose rules: lint the text a locale's readers get for register, address and tone slips.

Each rule is a pure function of one :class:`~locgen.checks.ReaderText` that
returns :class:`~locgen.findings.Finding` objects, driven by the data tables
in this module:

* :func:`register_findings` (``culture.formality.mixed-register``): second-person
  forms of the other register (``du`` in a formal German page), from
  :data:`REGISTER_FORMS`, and greetings that do not fit, from
  :data:`GREETING_RULES` (``Geachte Anna,``).
* :func:`honorific_findings` (``culture.address.honorific``): a customer's name
  without the honorific the culture expects (``様``, ``님``), or a title
  written the other country's way (``Mr.`` in British English), from
  :data:`HONORIFIC_RULES`.
* :func:`tone_findings` (``culture.tone.*``): blunt imperatives and pressure
  phrases (:data:`DEFAULT_TONE_RULES`, extended by ``[[checks.tone]]`` through
  :func:`parse_tone_rules`), shouting capitals and piled-up exclamation marks,
  for readers who expect an indirect tone.

Lines hold Markdown inline syntax. Words inside URLs, HTML tags, code spans and
shortcode names are not prose, so matching runs on :func:`mask_markup`'s
output, which blanks them out without moving any column. These checks run on
every page of large sites: patterns are compiled once per language, culture
or rule and cached (so the tables are treated as constants), and a text whose
language or culture has no data returns at once.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from string import Template

from locgen.checks import ReaderText, Rule
from locgen.findings import LEVELS, Finding
from locgen.phrasebook import Phrasebook, PhraseRule

REGISTER_RULE = "culture.formality.mixed-register"
HONORIFIC_RULE = "culture.address.honorific"
IMPERATIVE_RULE = "culture.tone.imperative"
PRESSURE_RULE = "culture.tone.pressure"
CAPS_RULE = "culture.tone.caps"
EXCLAMATION_RULE = "culture.tone.exclamation"
TONE_PREFIX = "culture.tone."

PROSE_RULES: tuple[Rule, ...] = (
    Rule(REGISTER_RULE, "warning", "second-person forms or a greeting of the other register"),
    Rule(HONORIFIC_RULE, "warning", "a name or title without the honorific the culture expects"),
    Rule(IMPERATIVE_RULE, "warning", "a blunt imperative for readers who expect an indirect tone"),
    Rule(PRESSURE_RULE, "warning", "urgency or pressure for readers who expect an indirect tone"),
    Rule(CAPS_RULE, "warning", "all-caps words for readers who expect an indirect tone"),
    Rule(EXCLAMATION_RULE, "warning", "piled-up exclamation marks for indirect-tone readers"),
)
"""The rules this module reports, with their default levels."""


# --- Masking markup -----------------------------------------------------------------------

_MARKUP = re.compile(
    r"""
      (?P<code>(?P<ticks>`+).+?(?P=ticks))                  # inline code span
    | (?P<comment><!--.*?(?:-->|$))                         # HTML comment
    | (?P<escaped>\{\{</\*.*?\*/>\}\})                      # {{</* x */>}}, shown as code
    | (?P<shortcode>\{\{<\s*(?P<body>.*?)\s*>\}\})          # {{< name "text" key="value" >}}
    | (?P<bang>!(?=\[[^\]\n]*\]\())                         # the ! of an image
    | (?<=\])(?P<destination>\(\s*(?:<[^<>\n]*>|(?:[^()\s]|\([^()\s]*\))*)
          (?:\s+(?:"[^"]*"|'[^']*'|\([^()]*\)))?\s*\))      # link or image (url "title")
    | (?<=\])(?P<reference>\[[^\[\]]*\])                    # [text][reference]
    | (?P<definition>^\ {0,3}\[(?!\^)[^\]]+\]:\s*\S.*$)     # [reference]: url
    | (?P<autolink><(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[^\s<>@]+@[^\s<>]+)>)
    | (?P<tag></?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|<![A-Za-z][^<>]*>)
    | (?P<url>(?:https?://|www\.|mailto:)[^\s<>"'\]]*[^\s<>"'\]).,;:!?])
    | (?P<entity>&(?:[A-Za-z][A-Za-z0-9]{1,31}|\#[0-9]{1,7}|\#[xX][0-9A-Fa-f]{1,6});)
    """,
    re.VERBOSE,
)
_SHORTCODE_TOKEN = re.compile(
    r"""
      (?P<keyword>[A-Za-z_][\w-]*=(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\S*))
    | "(?P<double>(?:[^"\\]|\\.)*)"
    | '(?P<single>(?:[^'\\]|\\.)*)'
    | (?P<bare>\S+)
    """,
    re.VERBOSE,
)
_MARKUP_HINT = re.compile(r"[`<{\[\]!&]|://|www\.|mailto:")


def mask_markup(line: str, keep_merge: bool = False) -> str:
    """Return *line* with the markup readers do not see as prose replaced by spaces.

    Blanks out link and image URLs (and the ``!`` of an image), reference
    labels and definitions, autolinks, bare URLs, HTML tags, comments and
    entities, inline code spans and shortcodes shown as code. Of a shortcode
    only its quoted positional arguments stay: ``{{< button "Buy now" url="…" >}}``
    keeps ``Buy now``, which readers see on the button. The result has the
    same length, so a column in it is a column in *line*.

    :param keep_merge: keep ``{{< merge field >}}`` shortcodes whole, for rules
        that look at what follows a customer's name.
    """
    if not _MARKUP_HINT.search(line):
        return line
    return _MARKUP.sub(lambda match: _blank(match, keep_merge), line)


def _blank(match: re.Match[str], keep_merge: bool) -> str:
    if match.group("shortcode") is None:
        return " " * len(match.group(0))
    return _blank_shortcode(match, keep_merge)


def _blank_shortcode(match: re.Match[str], keep_merge: bool) -> str:
    """Spaces for a shortcode, except the text of its quoted positional arguments."""
    whole = match.group(0)
    body = match.group("body")
    offset = match.start("body") - match.start()
    tokens = list(_SHORTCODE_TOKEN.finditer(body))
    if keep_merge and tokens and tokens[0].group(0) == "merge":
        return whole
    kept = [" "] * len(whole)
    for token in tokens[1:]:
        group = "double" if token.group("double") is not None else "single"
        if token.group(group) is None:
            continue
        start = offset + token.start(group)
        kept[start : start + len(token.group(group))] = token.group(group)
    return "".join(kept)


@lru_cache(maxsize=16384)
def _masked(line: str) -> str:
    # The same line reaches these rules once per locale that reads it.
    return mask_markup(line)


@lru_cache(maxsize=16384)
def _masked_keeping_merge(line: str) -> str:
    return mask_markup(line, keep_merge=True)


# --- Shared helpers -----------------------------------------------------------------------


def _primary(tag: str) -> str:
    """The primary language subtag of a tag, lowercase: ``zh-Hans-CN`` → ``zh``."""
    return tag.split("-", 1)[0].split("_", 1)[0].lower()


def _finding(
    text: ReaderText,
    rule: str,
    line: int,
    column: int,
    message: str,
    suggestion: str,
    level: str = "warning",
) -> Finding:
    return Finding(
        rule=rule,
        level=level,
        message=message,
        path=text.path,
        line=line,
        column=column + 1,
        locale=text.locale,
        suggestion=suggestion,
    )


def _word_hits(pattern: re.Pattern[str], line: str, word_start: bool) -> Iterator[re.Match[str]]:
    """Matches of *pattern* in *line*; with *word_start*, only those that start a word."""
    for match in pattern.finditer(line):
        if not word_start or not _after_word(line, match.start()):
            yield match


def _after_word(line: str, start: int, joiners: str = "") -> bool:
    """Whether *start* continues a word: it follows a letter, digit, ``_`` or one of *joiners*."""
    if start == 0:
        return False
    before = line[start - 1]
    return before.isalnum() or before == "_" or before in joiners


def _reader_expects(text: ReaderText) -> str:
    """``", who expect an indirect tone"`` when they do, else nothing."""
    return ", who expect an indirect tone" if text.culture.directness == "indirect" else ""


# --- 1. Register --------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterForms:
    """The second-person forms of one language at each register, as regular expressions."""

    formal: str
    """Formal forms (``Sie``, ``vous``, ``您``); scope flags inline, e.g. ``(?i:…)``."""
    informal: str
    """Informal forms (``du``, ``tu``, ``你``)."""
    word_start: bool = True
    """Keep only hits that start a word (not right after a letter, digit or ``_``). This is
    checked in code rather than with a leading ``\\b``, which would keep the regex engine
    from skipping quickly to candidate letters; end patterns with ``\\b`` themselves."""
    formal_mid_sentence_only: bool = False
    """Skip formal hits that start a sentence, where German ``Sie`` may be ``sie`` (they)."""
    informal_always_wrong: str = ""
    """When set, the informal forms are wrong at either formality, for this reason; the
    formal forms are then never wrong (Korean 해요체 mixes with 합쇼체, 해체 fits neither)."""
    suggestion: str = ""
    """Advice for every finding; empty: built from the culture's pronouns."""


_HANGUL_WORD_START = r"(?<![가-힣])[가-힣]*"

REGISTER_FORMS: dict[str, RegisterForms] = {
    # "Sie" is case-sensitive and ambiguous with sie (they) where a sentence starts.
    "de": RegisterForms(
        formal=r"(?:Sie|Ihnen|Ihr|Ihre|Ihrem|Ihren|Ihrer|Ihres)\b",
        informal=r"(?i:(?:du|dich|dir|dein|deine|deinem|deinen|deiner|deines)\b)",
        formal_mid_sentence_only=True,
    ),
    "nl": RegisterForms(
        formal=r"(?i:(?:u|uw)\b)",
        informal=r"(?i:(?:je|jij|jou|jouw)\b)",
    ),
    # t' is the elided te/toi (t'aider); whole words keep "Votre compte" formal only.
    "fr": RegisterForms(
        formal=r"(?i:(?:vous|votre|vos)\b)",
        informal=r"(?i:(?:tu|te|toi|ton|ta|tes)\b|t['’](?=\w))",
    ),
    # "su" and "le" serve usted as well as él/ella, so only usted/ustedes count as formal.
    "es": RegisterForms(
        formal=r"(?i:(?:usted|ustedes)\b)",
        informal=r"(?i:(?:tú|tu|te|ti|contigo|tus|vosotros|os)\b)",
    ),
    # você is neutral: neither list has it.
    "pt": RegisterForms(
        formal=r"(?i:(?:o\s+senhor|a\s+senhora|os\s+senhores|as\s+senhoras)\b)",
        informal=r"(?i:(?:tu|te|ti|contigo|teu|tua|teus|tuas)\b)",
    ),
    # Formal: 합쇼체 endings (합니다, 입니다, 하십시오, 합니까?). Informal: 해체 endings
    # before sentence punctuation, and 당신. At a line end only endings that are rarely
    # the last syllable of a noun count, so headings like "이미지" or "새해" stay quiet.
    "ko": RegisterForms(
        formal=_HANGUL_WORD_START + r"(?:니다|십시오|니까(?=\s*[?？]))",
        informal=(
            _HANGUL_WORD_START + r"[해야어아지니냐자워줘봐](?=[*_\"'”’)]*[.!?。！？~])"
            r"|" + _HANGUL_WORD_START + r"[냐워줘봐](?=[*_]*\s*$)"
            r"|당신"
        ),
        word_start=False,
        informal_always_wrong="해체 endings and 당신 are too familiar for customers",
        suggestion="end sentences in 합쇼체 (-습니다, -십시오) or 해요체 (-요), "
        "and call the reader 고객님 rather than 당신",
    ),
    "zh": RegisterForms(formal=r"您", informal=r"[你妳]", word_start=False),
}
"""Second-person forms by language (primary subtag). Languages with one form of address
(English, Swedish as written today, Japanese) have no entry and are not checked."""


@dataclass(frozen=True)
class GreetingRule:
    """A greeting that does not fit its language's conventions."""

    pattern: str
    """Regular expression over the line with code masked and merge shortcodes kept."""
    message: str
    """What is wrong, in one sentence."""
    suggestion: str
    """How to fix it."""


_DUTCH_TITLES = (
    "mevrouw|mevr|heer|heren|hr|meneer|dhr|dames|relatie|relaties|klant|klanten|lezer|lezers"
    "|collega|collega's|collegas|leden|lid|abonnee|abonnees|deelnemer|deelnemers|gebruiker"
    "|gebruikers|familie|bestuur|voorzitter|professor|prof|dr|drs|mr|ir|ing"
)
_NAME_MERGE = r"\{\{<\s*merge\s+\"?(?:first_name|given_name|full_name|name|last_name|family_name)\b"

GREETING_RULES: dict[str, tuple[GreetingRule, ...]] = {
    "nl": (
        GreetingRule(
            pattern=(
                r"(?i:\bGeachte)\s+(?!(?i:" + _DUTCH_TITLES + r")(?![\w']))"
                r"(?=[A-ZÀ-ÖØ-Þ]|" + _NAME_MERGE + ")"
            ),
            message="Geachte takes a title and family name, not a first name",
            suggestion="write Geachte heer/mevrouw {{< merge last_name >}}, "
            "or the informal Beste {{< merge first_name >}},",
        ),
    ),
}
"""Greetings that are wrong in a language, by language; reported as register slips."""


@cache
def _register_patterns(language: str) -> tuple[re.Pattern[str], re.Pattern[str]] | None:
    forms = REGISTER_FORMS.get(language)
    if forms is None:
        return None
    return re.compile(forms.formal), re.compile(forms.informal)


@cache
def _greeting_patterns(language: str) -> tuple[tuple[re.Pattern[str], GreetingRule], ...]:
    return tuple((re.compile(rule.pattern), rule) for rule in GREETING_RULES.get(language, ()))


@dataclass(frozen=True)
class _Hit:
    line: int
    column: int
    word: str


# Characters that may stand between a sentence's start and its first word.
_SENTENCE_LEAD = " \t*_\"'„“”‚‘’»«([>#+|-"
_SENTENCE_END = ".!?:…"


def _starts_sentence(lines: Sequence[tuple[int, str]], index: int, start: int) -> bool:
    """Whether the word at *start* of masked line *index* is the first of a sentence."""
    number, line = lines[index]
    before = line[:start].rstrip(_SENTENCE_LEAD)
    if before:
        return before[-1] in _SENTENCE_END
    if line[:start].strip(" \t") or index == 0:
        return True  # a heading, list item or quote starts a sentence; so does the text
    # A hard-wrapped paragraph continues the previous source line's sentence.
    previous_number, previous = lines[index - 1]
    previous = previous.rstrip().rstrip("*_\"'”’»)")
    if previous_number != number - 1 or not previous or previous.lstrip().startswith("#"):
        return True
    return previous[-1] in _SENTENCE_END


def register_findings(text: ReaderText) -> list[Finding]:
    """Report second-person forms of the wrong register and greetings that do not fit.

    The culture's ``formality`` says which register is right. Every hit of the
    other one is reported; the message says whether the text mixes the two or
    uses only the wrong one. Only languages in :data:`REGISTER_FORMS` or
    :data:`GREETING_RULES` are checked.
    """
    language = _primary(text.language)
    patterns = _register_patterns(language)
    greetings = _greeting_patterns(language)
    if patterns is None and not greetings:
        return []
    findings: list[Finding] = []
    for pattern, greeting in greetings:
        for number, line in text.lines:
            for match in pattern.finditer(_masked_keeping_merge(line)):
                message, suggestion = greeting.message, greeting.suggestion
                findings.append(
                    _finding(text, REGISTER_RULE, number, match.start(), message, suggestion)
                )
    if patterns is not None:
        findings += _register_slips(text, REGISTER_FORMS[language], *patterns)
    return sorted(findings, key=lambda finding: (finding.line or 0, finding.column or 0))


def _register_slips(
    text: ReaderText, forms: RegisterForms, formal: re.Pattern[str], informal: re.Pattern[str]
) -> list[Finding]:
    masked = [(number, _masked(line)) for number, line in text.lines]
    hits: dict[str, list[_Hit]] = {"formal": [], "informal": []}
    for index, (number, line) in enumerate(masked):
        for match in _word_hits(formal, line, forms.word_start):
            if forms.formal_mid_sentence_only and _starts_sentence(masked, index, match.start()):
                continue
            hits["formal"].append(_Hit(number, match.start(), match.group(0)))
        for match in _word_hits(informal, line, forms.word_start):
            hits["informal"].append(_Hit(number, match.start(), match.group(0)))
    expected = text.culture.formality
    if forms.informal_always_wrong:
        wrong, right = "informal", "formal"
    else:
        wrong = "informal" if expected == "formal" else "formal"
        right = expected
    if not hits[wrong]:
        return []
    style = text.culture.formal if right == "formal" else text.culture.informal
    pronoun = style.pronoun
    if forms.suggestion:
        suggestion = forms.suggestion
    elif hits[right]:
        suggestion = f'write the {right} forms throughout ("{pronoun or hits[right][0].word}")'
    else:
        shown = f' ("{pronoun}")' if pronoun else ""
        suggestion = (
            f'write the {right} forms{shown}, or set formality = "{wrong}" under '
            f"[cultures.{text.culture.id}] if this site addresses {text.locale} readers {wrong}ly"
        )
    findings = []
    for hit in hits[wrong]:
        if forms.informal_always_wrong:
            reason = f"{forms.informal_always_wrong} ({text.locale} readers)"
            message = f'{wrong} "{hit.word}" in a {text.kind}: {reason}'
        elif hits[right]:
            message = (
                f'{wrong} "{hit.word}" in a {text.kind} that otherwise says '
                f'"{hits[right][0].word}" ({text.locale} readers are addressed {right}ly)'
            )
        else:
            shown = f' ("{pronoun}")' if pronoun else ""
            message = f'{wrong} "{hit.word}" where {text.locale} readers are addressed {right}ly'
            message += shown
        findings.append(_finding(text, REGISTER_RULE, hit.line, hit.column, message, suggestion))
    return findings


# --- 2. Honorifics ------------------------------------------------------------------------


@dataclass(frozen=True)
class HonorificRule:
    """A name or title written without the honorific (or punctuation) a culture expects."""

    language: str
    """Language of the text it applies to (primary subtag)."""
    pattern: str
    """Regular expression over the line with code and URLs masked and merge shortcodes kept;
    its named groups can be used in the message and suggestion."""
    message: str
    """What is wrong; ``$locale`` and the pattern's named groups (``$field``) are filled in."""
    suggestion: str
    """How to fix it, with the same placeholders."""


_NAME_FIELD = r"\{\{<\s*merge\s+\"?(?P<field>last_name|first_name|full_name)\"?\s*>\}\}"
_ANY_NAME_FIELD = r"\{\{<\s*merge\s+\"?(?:last_name|first_name|full_name)\"?\s*>\}\}"

HONORIFIC_RULES: dict[str, tuple[HonorificRule, ...]] = {
    # A following name field is allowed: {{< merge last_name >}}{{< merge first_name >}}様.
    "japan": (
        HonorificRule(
            language="ja",
            pattern=_NAME_FIELD + r"(?!\s*(?:様|さま|殿|" + _ANY_NAME_FIELD + "))",
            message="customer name without 様: $locale readers expect 様 after a customer's name",
            suggestion="write {{< merge $field >}}様",
        ),
    ),
    "korea": (
        HonorificRule(
            language="ko",
            pattern=_NAME_FIELD + r"(?!\s*(?:님|고객님|" + _ANY_NAME_FIELD + "))",
            message="customer name without 님: $locale readers expect 님 or 고객님 after a name",
            suggestion="write {{< merge $field >}}님 or {{< merge $field >}} 고객님",
        ),
    ),
    "uk": (
        HonorificRule(
            language="en",
            pattern=r"\b(?P<title>Mr|Mrs|Ms|Mx|Dr)\.",
            message='"$title." has a full stop, which $locale readers do not expect',
            suggestion='British usage drops the full stop: write "$title"',
        ),
    ),
    "us": (
        HonorificRule(
            language="en",
            pattern=r"\b(?P<title>Mr|Mrs|Ms|Mx|Dr) (?=[A-Z]|\{\{<\s*merge\b)",
            message='"$title" without a full stop, which $locale readers expect',
            suggestion='American usage writes "$title."',
        ),
    ),
}
"""Honorific and title rules by culture id; cultures without an entry are not checked."""


@cache
def _honorific_patterns(
    culture: str, language: str
) -> tuple[tuple[re.Pattern[str], HonorificRule], ...]:
    return tuple(
        (re.compile(rule.pattern), rule)
        for rule in HONORIFIC_RULES.get(culture, ())
        if _primary(rule.language) == language
    )


def honorific_findings(text: ReaderText) -> list[Finding]:
    """Report customer names without the culture's honorific and titles punctuated wrongly.

    Rules come from :data:`HONORIFIC_RULES` for the reader's culture and apply
    only to text in the rule's language (an English fallback page read in
    Japan needs no 様).
    """
    patterns = _honorific_patterns(text.culture.id, _primary(text.language))
    findings: list[Finding] = []
    for number, line in text.lines if patterns else ():
        visible = _masked_keeping_merge(line)
        for pattern, rule in patterns:
            for match in pattern.finditer(visible):
                values = {"locale": text.locale, **match.groupdict(default="")}
                findings.append(
                    _finding(
                        text,
                        HONORIFIC_RULE,
                        number,
                        match.start(),
                        Template(rule.message).safe_substitute(values),
                        Template(rule.suggestion).safe_substitute(values),
                    )
                )
    return findings


# --- 3. Tone ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ToneRule:
    """Phrases that read as blunt or pushy to readers who expect an indirect tone."""

    rule: str
    """Rule id, ``culture.tone.<name>``: ``imperative``, ``pressure`` or a site's own."""
    language: str
    """Language of the text it applies to: ``en``, ``de``, ``ja``, …"""
    phrases: tuple[str, ...]
    """Matched as whole words, case-insensitively; phrases in CJK scripts as plain substrings."""
    threshold: int = 1
    """Hits in one text before anything is reported: "must" once is fine, three times is
    pressure. Above 1 the rule reports once, at the hit that reaches it."""
    cultures: tuple[str, ...] = ()
    """Culture ids it applies to; empty: every culture whose directness is ``indirect``."""
    suggestion: str = ""
    """Generic advice, used when the phrasebook has no softer wording."""
    level: str = "warning"
    """Level of its findings."""

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise ValueError(f"tone rule {self.rule}: level {self.level!r} is not one of {LEVELS}")
        if self.threshold < 1:
            raise ValueError(f"tone rule {self.rule}: threshold must be at least 1")


INVITE = "invite rather than urge: 'you can … whenever it suits you'"
"""Advice for a blunt imperative, for tone rules that have none of their own."""
NO_RUSH = "give readers time: state the date an offer ends rather than urging them"
"""Advice for a pressure phrase, for tone rules that have none of their own."""

DEFAULT_TONE_RULES: tuple[ToneRule, ...] = (
    ToneRule(
        IMPERATIVE_RULE,
        "en",
        (
            "Buy now",
            "Act now",
            "Order now",
            "Sign up now",
            "Subscribe now",
            "Call now",
            "Click here",
            "Don't wait",
            "Hurry",
        ),
        suggestion=INVITE,
    ),
    ToneRule(
        PRESSURE_RULE,
        "en",
        (
            "last chance",
            "limited time",
            "only today",
            "don't miss out",
            "ends tonight",
            "before it's too late",
            "act fast",
        ),
        suggestion=NO_RUSH,
    ),
    ToneRule(
        PRESSURE_RULE,
        "en",
        ("must",),
        threshold=3,
        suggestion="say what readers can do and why it helps them, not what they must do",
    ),
    ToneRule(
        IMPERATIVE_RULE,
        "de",
        ("Jetzt kaufen", "Jetzt bestellen", "Jetzt zugreifen", "Sofort zugreifen"),
        suggestion="invite rather than urge: 'Sie können … jederzeit'",
    ),
    ToneRule(
        PRESSURE_RULE,
        "de",
        ("Nur heute", "Letzte Chance", "Nicht verpassen", "Solange der Vorrat reicht"),
        suggestion=NO_RUSH,
    ),
    ToneRule(PRESSURE_RULE, "de", ("sofort",), threshold=3, suggestion=NO_RUSH),
)
"""locgen's own tone phrases for English and German, which direct and indirect cultures share.

The bundled culture plugins add their own languages' phrases (japan: Japanese,
china: Chinese, korea: Korean, brazil: Portuguese, mexico: Spanish) through the
``locgen_tone_rules`` hook; a site adds more with ``[[checks.tone]]``."""

_ACRONYM_LIST = """
    API SSO SAML GDPR HTML CSS XML CSV PDF PNG JPEG GIF SVG ZIP URL FAQ USB VAT CEO CTO CFO COO
    IT ID UK US EU UN USA UAE JSON HTTP HTTPS SMS ISO CLI SDK SQL AWS CRM ERP KPI ROI SLA
    DNS SSL TLS VPN SSH FTP RSS GPS NFC QR ATM PIN OTP MFA IBAN BIC SEPA LLC LTD PLC
    EUR USD GBP JPY CNY RMB KRW BRL MXN INR SEK CHF AED SAR QAR UTC GMT CET CEST JST KST IST BST
    LGPD CCPA HIPAA PCI DSS SOC CASL PECR DSGVO AGB TVA IVA CNPJ CPF CURP RFC NIF ICP
    AI UI UX HR PR TV OS IP CPU GPU RAM SSD NASA NATO OK
"""
ACRONYMS = frozenset(_ACRONYM_LIST.split())
"""Capitalised words ``culture.tone.caps`` leaves alone: acronyms, currencies, time zones,
laws. Words with digits (``MP4``, ``B2B``) are never reported either."""
CAPS_DENSITY = 2
"""Different all-caps words a text needs before any is reported, so one acronym the list
misses (``EUA`` three times) stays quiet."""
EXCLAMATIONS_ALLOWED = 3
"""Single exclamation marks a text may have before the next one is reported."""

# Starts with the letters, not a lookbehind, so the engine can skip ahead; _caps_findings
# then drops hits that continue a word (iPHONE) or a hyphenated or elided one.
_CAPS_WORD = re.compile(r"[A-ZÀ-ÖØ-Þ]{3,}(?![\w'’]|-\d)")
_EXCLAMATION = re.compile(r"[!！]+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_TONE_NOUNS = {
    "imperative": ("blunt imperative", "blunt imperatives"),
    "pressure": ("pressure phrase", "pressure"),
}


@cache
def _tone_pattern(rule: ToneRule) -> re.Pattern[str]:
    """One pattern for all of *rule*'s phrases, longest first."""
    alternatives = []
    for phrase in sorted(rule.phrases, key=lambda p: (-len(p), p)):
        body = r"\s+".join(re.escape(word) for word in phrase.split())
        body = re.sub("['’]", "['’]", body)  # either apostrophe matches either
        if _CJK.search(phrase):
            alternatives.append(body)
        else:
            alternatives.append(r"(?<!\w)" + body + r"(?!\w)")
    return re.compile("|".join(alternatives), re.IGNORECASE)


@cache
def _tone_needles(rule: ToneRule) -> tuple[str, ...]:
    """Lowercase first words of *rule*'s phrases: a text without any has no hit to scan for."""
    return tuple(re.split(r"['’\s]", phrase.lower(), maxsplit=1)[0] for phrase in rule.phrases)


def _applies(rule: ToneRule, text: ReaderText, language: str) -> bool:
    if _primary(rule.language) != language:
        return False
    if rule.cultures:
        return text.culture.id in rule.cultures
    return text.culture.directness == "indirect"


def tone_findings(
    text: ReaderText,
    rules: Iterable[ToneRule] = DEFAULT_TONE_RULES,
    phrasebook: Phrasebook | None = None,
) -> list[Finding]:
    """Report blunt imperatives, pressure, shouting capitals and exclamation marks.

    A :class:`ToneRule` applies to text in its language read by the cultures
    it names, or by every indirect culture when it names none. The all-caps
    and exclamation rules need no phrases and apply to indirect cultures in
    every language. When the *phrasebook* already softens a phrase for some
    locale of the language, the suggestion quotes that entry.
    """
    language = _primary(text.language)
    applicable = [rule for rule in rules if _applies(rule, text, language)]
    indirect = text.culture.directness == "indirect"
    if not applicable and not indirect:
        return []
    masked = [(number, _masked(line)) for number, line in text.lines]
    findings: list[Finding] = []
    if applicable:
        # Most texts have none of the phrases: a substring test per rule is far cheaper
        # than scanning every line with its case-insensitive pattern.
        haystack = "\n".join(line for _, line in masked).lower()
        for rule in applicable:
            if any(needle in haystack for needle in _tone_needles(rule)):
                findings.extend(_phrase_findings(text, rule, masked, phrasebook))
    if indirect:
        findings += _caps_findings(text, masked)
        findings += _exclamation_findings(text, masked)
    return sorted(findings, key=lambda finding: (finding.line or 0, finding.column or 0))


def _phrase_findings(
    text: ReaderText,
    rule: ToneRule,
    masked: Sequence[tuple[int, str]],
    phrasebook: Phrasebook | None,
) -> Iterator[Finding]:
    pattern = _tone_pattern(rule)
    name = rule.rule.removeprefix(TONE_PREFIX)
    one, many = _TONE_NOUNS.get(name, (f"{name} phrase", f"{name} phrases"))
    readers = f"{text.locale} readers{_reader_expects(text)}"
    count = 0
    words: dict[str, str] = {}  # each phrase as first written, by its lowercase form
    for number, line in masked:
        for match in pattern.finditer(line):
            hit = match.group(0)
            count += 1
            words.setdefault(hit.lower(), hit)
            if rule.threshold <= 1:
                message = f'{one} "{hit}" for {readers}'
            elif count == rule.threshold:
                quoted = ", ".join(f'"{word}"' for word in words.values())
                message = f"{quoted} {count} times in one {text.kind}: {many} for {readers}"
            else:
                continue
            suggestion = _phrasebook_suggestion(phrasebook, hit, text) or rule.suggestion
            yield _finding(text, rule.rule, number, match.start(), message, suggestion, rule.level)


def _phrasebook_suggestion(phrasebook: Phrasebook | None, hit: str, text: ReaderText) -> str:
    """Quote the phrasebook's softer wording of *hit*, if it has one for the text's language."""
    if phrasebook is None or not phrasebook.rules:
        return ""
    language = _primary(text.language)
    wanted = " ".join(hit.lower().replace("’", "'").split())
    applying = (text.locale, text.language, language)
    candidates: list[tuple[tuple[bool, bool, str, str], PhraseRule]] = []
    for (tone, key), entries in phrasebook.rules.items():
        if tone != "indirect" or _primary(key) != language:
            continue
        for entry in entries:
            phrase = " ".join(entry.phrase.lower().replace("’", "'").split())
            if wanted in phrase:
                rank = (phrase != wanted, key not in applying, key, entry.phrase)
                candidates.append((rank, entry))
    if not candidates:
        return ""
    (_, _, key, _), entry = min(candidates, key=lambda candidate: candidate[0])
    softened = f'the phrasebook softens "{entry.phrase}" to "{entry.replacement}" (indirect, {key})'
    if key in applying:
        # The entry applies to this text, yet the hit is still here: the phrasebook
        # matches whole phrases case-sensitively, and this one is written differently.
        return f'{softened}; add "{hit}" as written under indirect: {key}'
    return f"{softened}; add it under indirect: {language} to soften it in every {language} text"


def _caps_findings(text: ReaderText, masked: Sequence[tuple[int, str]]) -> list[Finding]:
    hits = [
        (number, match)
        for number, line in masked
        for match in _CAPS_WORD.finditer(line)
        if match.group(0) not in ACRONYMS and not _after_word(line, match.start(), "-'’")
    ]
    if len({match.group(0) for _, match in hits}) < CAPS_DENSITY:
        return []  # one word, however often: most likely an acronym the list misses
    readers = f"{text.locale} readers{_reader_expects(text)}"
    return [
        _finding(
            text,
            CAPS_RULE,
            number,
            match.start(),
            f'all-caps "{match.group(0)}" shouts at {readers}',
            f'write "{match.group(0).lower()}" in normal case and let the layout carry emphasis; '
            f"an acronym can be kept with <!-- locgen-disable-next-line {CAPS_RULE} -->",
        )
        for number, match in hits
    ]


def _exclamation_findings(text: ReaderText, masked: Sequence[tuple[int, str]]) -> list[Finding]:
    readers = f"{text.locale} readers{_reader_expects(text)}"
    findings = []
    singles = 0
    for number, line in masked:
        if "!" not in line and "！" not in line:
            continue
        for match in _EXCLAMATION.finditer(line):
            marks = match.group(0)
            if len(marks) > 1:
                findings.append(
                    _finding(
                        text,
                        EXCLAMATION_RULE,
                        number,
                        match.start(),
                        f'repeated exclamation marks "{marks}" for {readers}',
                        "end the sentence with one exclamation mark, or a full stop",
                    )
                )
                continue
            singles += 1
            if singles == EXCLAMATIONS_ALLOWED + 1:
                findings.append(
                    _finding(
                        text,
                        EXCLAMATION_RULE,
                        number,
                        match.start(),
                        f"{singles} exclamation marks in one {text.kind}: "
                        f"too emphatic for {readers}",
                        f"keep at most {EXCLAMATIONS_ALLOWED} per {text.kind}; "
                        "most sentences read better ending in a full stop",
                    )
                )
    return findings


def parse_tone_rules(entries: object, where: str) -> tuple[ToneRule, ...]:
    """Read a site's ``[[checks.tone]]`` tables into :class:`ToneRule` objects.

    Each table has ``rule`` (``culture.tone.<name>``), ``language`` and
    ``phrases``, and optionally ``threshold``, ``cultures``, ``suggestion`` and
    ``level``. Raises :class:`ToneRuleError` (a :class:`ValueError`) naming the
    entry and key at fault; the caller adds the file and line.

    :param entries: the parsed TOML value, a list of tables.
    :param where: how to name the list in messages, e.g. ``checks.tone``.
    """
    if not isinstance(entries, list):
        raise ToneRuleError(where, None, None, "must be a list of tables: write [[checks.tone]]")
    return tuple(_parse_tone_rule(entry, where, index) for index, entry in enumerate(entries))


class ToneRuleError(ValueError):
    """A ``[[checks.tone]]`` table is invalid.

    :param index: 0-based position of the table in the list, or ``None``.
    :param key: the key at fault, or ``None`` for the table as a whole.
    """

    def __init__(self, where: str, index: int | None, key: str | None, problem: str) -> None:
        place = where if index is None else f"{where} entry {index + 1}"
        super().__init__(f"{place}: {key} {problem}" if key else f"{place}: {problem}")
        self.index = index
        self.key = key


TONE_RULE_KEYS = ("rule", "language", "phrases", "threshold", "cultures", "suggestion", "level")
"""Keys a ``[[checks.tone]]`` table may have."""
_RULE_NAME = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*(?:\.[a-z0-9]+(?:[-_][a-z0-9]+)*)*")
_LANGUAGE = re.compile(r"[a-z]{2,3}")


def _parse_tone_rule(entry: object, where: str, index: int) -> ToneRule:
    def fail(key: str | None, problem: str) -> ToneRuleError:
        return ToneRuleError(where, index, key, problem)

    if not isinstance(entry, Mapping):
        raise fail(None, "must be a table with rule, language and phrases")
    for key in entry:
        if key not in TONE_RULE_KEYS:
            close = difflib.get_close_matches(str(key), TONE_RULE_KEYS, n=1)
            hint = f"did you mean {close[0]!r}?" if close else "use " + ", ".join(TONE_RULE_KEYS)
            raise fail(str(key), "is not a tone rule key; " + hint)
    for key in ("rule", "language", "phrases"):
        if key not in entry:
            raise fail(key, "is missing")
    rule = _text(entry, "rule", fail)
    if not rule.startswith(TONE_PREFIX) or not _RULE_NAME.fullmatch(rule[len(TONE_PREFIX) :]):
        raise fail("rule", f"{rule!r} must be culture.tone.<name>, e.g. culture.tone.pressure")
    language = _text(entry, "language", fail)
    if not _LANGUAGE.fullmatch(language):
        raise fail(
            "language",
            f'{language!r} must be a lowercase language code like "en"; '
            "limit a rule to some markets with cultures",
        )
    phrases = _texts(entry, "phrases", fail)
    if not phrases or not all(phrase.strip() for phrase in phrases):
        raise fail("phrases", "must list at least one phrase, none of them empty")
    threshold = entry.get("threshold", 1)
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 1:
        raise fail("threshold", f"must be a whole number of at least 1, not {threshold!r}")
    level = _text(entry, "level", fail, "warning")
    if level not in LEVELS:
        raise fail("level", f"{level!r} must be one of {', '.join(LEVELS)}")
    return ToneRule(
        rule=rule,
        language=language,
        phrases=phrases,
        threshold=threshold,
        cultures=_texts(entry, "cultures", fail, ()),
        suggestion=_text(entry, "suggestion", fail, ""),
        level=level,
    )


def _text(
    entry: Mapping[object, object],
    key: str,
    fail: Callable[[str, str], ToneRuleError],
    default: str | None = None,
) -> str:
    value = entry.get(key, default)
    if not isinstance(value, str):
        raise fail(key, f"must be text, not {type(value).__name__}")
    return value


def _texts(
    entry: Mapping[object, object],
    key: str,
    fail: Callable[[str, str], ToneRuleError],
    default: tuple[str, ...] | None = None,
) -> tuple[str, ...]:
    value = entry.get(key, default)
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        raise fail(key, "must be a list of text")
    if not all(isinstance(item, str) for item in value):
        raise fail(key, "must be a list of text")
    return tuple(value)


# --- All of them --------------------------------------------------------------------------


def prose_findings(
    text: ReaderText,
    tone_rules: Iterable[ToneRule] = DEFAULT_TONE_RULES,
    phrasebook: Phrasebook | None = None,
) -> list[Finding]:
    """Every prose rule's findings for *text*: register, honorifics and tone."""
    return [
        *register_findings(text),
        *honorific_findings(text),
        *tone_findings(text, tone_rules, phrasebook),
    ]
