"""The phrasebook: a site's opt-in substitutions of phrases per tone.

``phrasebook.yaml`` in the site folder maps a tone, then a language or a
locale, to phrases and their replacements::

    indirect:
      en:
        "Buy now": "Explore the plans"
      en-GB:
        "Sign up today": "Sign up whenever it suits you"

A page read by a culture of that tone has each phrase replaced (whole words,
case-sensitive, longest phrase first). Entries for the reader's locale come
first, then those for the locale and the language the text is written in.
Every replacement is listed in the build report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from locgen.cultures import DIRECTNESS
from locgen.errors import ContentError
from locgen.sources import check_yaml_bounds, yaml_error
from locgen.textfiles import read_text

PHRASEBOOK_NAME = "phrasebook.yaml"


@dataclass(frozen=True)
class PhraseRule:
    """One substitution from the phrasebook."""

    phrase: str
    """Text to find (whole words, case-sensitive)."""
    replacement: str
    """Text to put in its place."""
    line: int
    """Line of the entry in ``phrasebook.yaml``."""


@dataclass(frozen=True)
class Phrasebook:
    """Every substitution of a site, by tone and by language or locale."""

    path: Path | None = None
    """The phrasebook file, or ``None`` when the site has none."""
    rules: dict[tuple[str, str], tuple[PhraseRule, ...]] = field(default_factory=dict)
    """``(tone, language or locale tag)`` → rules."""
    _patterns: dict[tuple[str, ...], tuple[re.Pattern[str] | None, dict[str, PhraseRule]]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def rules_for(self, tone: str, keys: tuple[str, ...]) -> dict[str, PhraseRule]:
        """Rules for *tone* under *keys* (locale tags or languages); earlier keys win."""
        chosen: dict[str, PhraseRule] = {}
        for key in keys:
            for rule in self.rules.get((tone, key), ()):
                chosen.setdefault(rule.phrase, rule)
        return chosen

    def apply(
        self, text: str, tone: str, reader: str, written_in: str
    ) -> tuple[str, list[PhraseRule]]:
        """Replace phrases in *text*; return the new text and the rules that fired.

        Entries are looked up for the *reader*'s locale, then the locale the
        text is *written_in*, then that locale's language, so ``en`` entries
        apply to English text whoever reads it.
        """
        keys = tuple(dict.fromkeys((reader, written_in, written_in.split("-")[0])))
        cached = self._patterns.get((tone, *keys))
        if cached is None:
            rules = self.rules_for(tone, keys)
            pattern = None
            if rules:
                phrases = sorted(rules, key=lambda p: (-len(p), p))
                pattern = re.compile(
                    r"(?<!\w)(?:" + "|".join(re.escape(p) for p in phrases) + r")(?!\w)"
                )
            cached = self._patterns[(tone, *keys)] = (pattern, rules)
        pattern, rules = cached
        if pattern is None:
            return text, []
        fired: list[PhraseRule] = []

        def substitute(match: re.Match[str]) -> str:
            rule = rules[match.group(0)]
            fired.append(rule)
            return rule.replacement

        return pattern.sub(substitute, text), fired


def load_phrasebook(root: Path) -> Phrasebook:
    """Read ``phrasebook.yaml`` from the site folder; an empty phrasebook when there is none."""
    path = root / PHRASEBOOK_NAME
    if not path.is_file():
        return Phrasebook()
    text = read_text(path, ContentError)
    try:
        check_yaml_bounds(text, path, first_line=1, what="the phrasebook")
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise yaml_error(
            exc, path, hint="check indentation, and quote phrases that contain ':'", text=text
        ) from None
    rules: dict[tuple[str, str], tuple[PhraseRule, ...]] = {}
    if node is None:
        return Phrasebook(path=path)
    for tone, languages in _mapping(node, path, "the phrasebook"):
        if tone.value not in DIRECTNESS:
            raise ContentError(
                f"unknown tone {tone.value!r}",
                path=path,
                line=tone.start_mark.line + 1,
                hint=f"top-level keys are tones: {', '.join(DIRECTNESS)}",
            )
        for language, phrases in _mapping(languages, path, f"tone {tone.value!r}"):
            entries: list[PhraseRule] = []
            for phrase, replacement in _mapping(phrases, path, f"{language.value!r}"):
                if not isinstance(replacement, yaml.ScalarNode) or not phrase.value.strip():
                    raise ContentError(
                        "a phrasebook entry maps a phrase to its replacement text",
                        path=path,
                        line=phrase.start_mark.line + 1,
                        hint='write "Buy now": "Explore the plans"',
                    )
                entries.append(
                    PhraseRule(phrase.value, replacement.value, phrase.start_mark.line + 1)
                )
            rules[(tone.value, language.value)] = tuple(entries)
    return Phrasebook(path=path, rules=rules)


def _mapping(node: yaml.Node, path: Path, what: str) -> list[tuple[yaml.ScalarNode, yaml.Node]]:
    if not isinstance(node, yaml.MappingNode):
        raise ContentError(
            f"{what} must be a mapping",
            path=path,
            line=node.start_mark.line + 1,
            hint="see docs/cultures.md for the phrasebook layout",
        )
    pairs: list[tuple[yaml.ScalarNode, yaml.Node]] = []
    seen: set[str] = set()
    for key, value in node.value:
        if not isinstance(key, yaml.ScalarNode):
            raise ContentError(
                "keys must be text", path=path, line=key.start_mark.line + 1, hint="quote the key"
            )
        if key.value in seen:
            raise ContentError(
                f"{key.value!r} is given twice in {what}",
                path=path,
                line=key.start_mark.line + 1,
                hint="keep one of them",
            )
        seen.add(key.value)
        pairs.append((key, value))
    return pairs
