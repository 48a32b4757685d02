"""Which findings a site keeps, and at which level: ``[checks]`` and inline suppressions.

Every finding carries a rule id that some :class:`~locgen.checks.Check` (or
locgen's core) declares. The site decides what to do with each rule in
``locgen.toml``::

    [checks.rules]
    "translation.fallback" = "off"      # a rule id ...
    "culture.tone" = "error"            # ... or a prefix of several

    [[checks.override]]                 # later overrides win
    locales = ["en-GB"]
    paths = ["content/legal/*"]
    rules = { "culture.tone" = "off" }

and a Markdown file can switch rules off for some of its lines::

    <!-- locgen-disable culture.tone.pressure -->
    ...
    <!-- locgen-enable culture.tone.pressure -->
    <!-- locgen-disable-next-line culture.tone.caps -->
"""

from __future__ import annotations

import difflib
import fnmatch
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from locgen.checks import Check, Rule
from locgen.config import CheckSettings, SiteConfig
from locgen.culture_markup import SUPPRESSION_COMMENT
from locgen.errors import ConfigError
from locgen.findings import LEVELS, Finding
from locgen.sources import SourceFile

OFF = "off"
"""The setting that switches a rule off."""
SUPPRESSION_RULE = Rule(
    "checks.suppression",
    "warning",
    "a <!-- locgen-… --> comment that cannot be read or names an unknown rule",
)
CORE_RULES = (
    Rule("translation.missing", "warning", "a page has no text for a locale or its fallbacks"),
    Rule("translation.fallback", "info", "a locale shows a page in another locale's text"),
    Rule("translation.outdated", "warning", "a translation's source_hash is not its source's"),
    Rule("translation.untracked", "info", "a translation has no source_hash to compare"),
    Rule("phrasebook.applied", "info", "the phrasebook replaced a phrase for a locale"),
    Rule("culture.unmapped", "warning", "no culture matches a locale: it gets the neutral one"),
    Rule(
        "content.unsafe-html",
        "warning",
        "unsafe_html = false took a script URL or event handler out of a page",
    ),
    SUPPRESSION_RULE,
)
"""Rules that locgen's build itself reports, outside any check."""

DIRECTIVES = ("locgen-disable", "locgen-enable", "locgen-disable-next-line")


@dataclass(frozen=True)
class Scope:
    """Rule settings that apply to some locales and paths (``[[checks.override]]``)."""

    levels: Mapping[str, str]
    """Rule id or prefix → level or ``off``."""
    locales: frozenset[str] = frozenset()
    """Locales it applies to; empty means all."""
    paths: tuple[str, ...] = ()
    """Glob patterns (relative to the site folder) it applies to; empty means all."""

    def covers(self, finding: Finding, rel_path: str | None) -> bool:
        """True when *finding* (at *rel_path*) is in this scope."""
        if self.locales and finding.locale not in self.locales:
            return False
        if self.paths:
            return rel_path is not None and any(
                fnmatch.fnmatchcase(rel_path, pattern) for pattern in self.paths
            )
        return True


class RuleBook:
    """Every rule the build's checks declare, and the site's settings for them."""

    def __init__(self, checks: Sequence[Check], config: SiteConfig) -> None:
        self.checks = tuple(checks)
        self.rules: dict[str, Rule] = {rule.id: rule for rule in CORE_RULES}
        for check in checks:
            for rule in check.rules:
                self.rules.setdefault(rule.id, rule)
        self.config = config
        settings = config.checks
        self._scopes = [Scope(self._validated(settings.rules, settings, "checks.rules"))]
        for number, override in enumerate(settings.overrides, start=1):
            self._scopes.append(
                Scope(
                    self._validated(override.rules, settings, f"checks.override #{number}"),
                    frozenset(override.locales),
                    override.paths,
                )
            )
        self._suppressions: dict[Path, tuple[str, Suppressions]] = {}
        self._comments: (
            tuple[tuple[SourceFile, ...], dict[Path, Suppressions], list[Finding]] | None
        ) = None
        """The sources :meth:`apply` last read, with their comments."""
        self._levels: dict[tuple[str, str, str | None, str | None], str] = {}
        """The level of findings by rule, own level, locale and relative path (:meth:`level`)."""

    def _validated(
        self, levels: Mapping[str, str], settings: CheckSettings, where: str
    ) -> dict[str, str]:
        for name, level in levels.items():
            if not self.matching(name):
                close = difflib.get_close_matches(name, list(self.rules), n=1)
                raise ConfigError(
                    f"[{where}]: unknown rule id {name!r}",
                    path=self.config.config_path,
                    line=settings.line_of(name),
                    hint=f"did you mean {close[0]!r}? `locgen check --rules` lists them all"
                    if close
                    else "`locgen check --rules` lists every rule id",
                )
            if level not in (*LEVELS, OFF):
                raise ConfigError(
                    f"[{where}]: {name} = {level!r} is not a level",
                    path=self.config.config_path,
                    line=settings.line_of(name),
                    hint=f"use one of {', '.join((*LEVELS, OFF))}",
                )
        return dict(levels)

    def describe(self) -> list[dict[str, Any]]:
        """Every rule with its default level and the site-wide setting, sorted by id."""
        site = self._scopes[0].levels
        return [
            {
                "id": rule.id,
                "level": rule.level,
                "setting": _most_specific(site, rule.id),
                "description": rule.description,
            }
            for rule in sorted(self.rules.values(), key=lambda r: r.id)
        ]

    def matching(self, name: str) -> list[str]:
        """Rule ids that *name* (an id or a dotted prefix) selects."""
        return [rid for rid in self.rules if selects(name, rid)]

    def level(self, finding: Finding, rel_path: str | None) -> str:
        """The level the site gives *finding*: its own, or the setting of its rule."""
        level = finding.level
        for scope in self._scopes:
            if scope.covers(finding, rel_path):
                setting = _most_specific(scope.levels, finding.rule)
                if setting is not None:
                    level = setting
        return level

    def can_be_error(self, check: Check) -> bool:
        """True when a finding of *check* can reach the error level under some setting.

        A check that declares no rules might report anything, so it counts.
        """
        if not check.rules:
            return True
        for rule in check.rules:
            if rule.level == "error":
                return True
            for scope in self._scopes:
                if _most_specific(scope.levels, rule.id) == "error":
                    return True
        return False

    def apply(self, findings: Iterable[Finding], sources: Iterable[SourceFile]) -> list[Finding]:
        """*findings* with the site's levels, ``off`` rules and suppressed lines removed.

        Malformed suppression comments in *sources* are reported as findings.
        """
        root = self.config.root
        sources = tuple(sources)
        comments, extra = self._comments_of(sources)
        by_path = any(scope.paths for scope in self._scopes)
        relative: dict[Path | None, str | None] = {}
        levels = self._levels
        kept: list[Finding] = []
        for finding in [*findings, *extra]:
            rel = None
            if by_path:
                if finding.path not in relative:
                    relative[finding.path] = finding.relative_path(root)
                rel = relative[finding.path]
            slot = (finding.rule, finding.level, finding.locale, rel)
            level = levels.get(slot)
            if level is None:
                level = levels[slot] = self.level(finding, rel)
            if level == OFF:
                continue
            if comments and finding.path is not None:
                found_in = comments.get(finding.path)
                if found_in is not None and found_in.hides(finding):
                    continue
            kept.append(finding if level == finding.level else replace(finding, level=level))
        return kept

    def _comments_of(
        self, sources: tuple[SourceFile, ...]
    ) -> tuple[dict[Path, Suppressions], list[Finding]]:
        """The suppression comments of *sources* by file, and the malformed ones' findings.

        When the last call had as many files, only those that are new objects are
        read (a dev-server update swaps the files it read again).
        """
        last = self._comments
        if last is not None and len(last[0]) == len(sources):
            swapped = [
                (old, new) for new, old in zip(sources, last[0], strict=True) if new is not old
            ]
            if all(
                old.path == new.path and old.path not in last[1] and not self.suppressions(new)
                for old, new in swapped
            ):  # the files read again had no comments, and have none
                self._comments = (sources, last[1], last[2])
                return last[1], last[2]
        comments: dict[Path, Suppressions] = {}
        extra: list[Finding] = []
        for source in sources:
            found = self.suppressions(source)
            if found:
                comments[source.path] = found
                extra.extend(found.problems)
        self._comments = (sources, comments, extra)
        return comments, extra

    def suppressions(self, source: SourceFile) -> Suppressions:
        """The ``locgen-disable`` comments of *source* (read again only when it changed)."""
        known = self._suppressions.get(source.path)
        if known is None or known[0] != source.digest:
            known = self._suppressions[source.path] = (
                source.digest,
                read_suppressions(source, self),
            )
        return known[1]


def selects(name: str, rule: str) -> bool:
    """True when *name* (a rule id, or a dotted prefix such as ``culture.tone``) names *rule*."""
    return rule == name or rule.startswith(name + ".")


def _most_specific(levels: Mapping[str, str], rule: str) -> str | None:
    """The setting for *rule* from its longest matching name in *levels*."""
    matching = [name for name in levels if selects(name, rule)]
    return levels[max(matching, key=len)] if matching else None


@dataclass(frozen=True)
class Suppressions:
    """The lines of one file on which rules are switched off."""

    ranges: tuple[tuple[str, int, int], ...] = ()
    """``(rule id or prefix, first line, last line)``."""
    problems: tuple[Finding, ...] = ()
    """Comments that could not be read."""

    def __bool__(self) -> bool:
        """True when the file has any suppression comment, read or not."""
        return bool(self.ranges or self.problems)

    def hides(self, finding: Finding) -> bool:
        """True when *finding*'s rule is off on its line (or in the whole file, if it has none)."""
        for name, first, last in self.ranges:
            if not selects(name, finding.rule):
                continue
            if finding.line is None:
                if first <= 1 and last == END:
                    return True
            elif first <= finding.line <= last:
                return True
        return False


END = 1 << 30
"""Last line of a range that runs to the end of the file."""


def read_suppressions(source: SourceFile, book: RuleBook) -> Suppressions:
    """Parse the ``<!-- locgen-… -->`` comments of *source*'s body."""
    if not source.mentions_locgen:
        return Suppressions()
    ranges: list[tuple[str, int, int]] = []
    problems: list[Finding] = []
    open_since: dict[str, int] = {}

    def problem(line: int, message: str, suggestion: str) -> None:
        problems.append(
            Finding(
                rule=SUPPRESSION_RULE.id,
                level=SUPPRESSION_RULE.level,
                message=message,
                path=source.path,
                line=line,
                suggestion=suggestion,
            )
        )

    for offset, text in enumerate(source.body.split("\n")):
        if "locgen-" not in text:
            continue
        line = source.body_line + offset
        for match in SUPPRESSION_COMMENT.finditer(text):
            directive, names = match.group(1), match.group(2).split()
            if directive not in DIRECTIVES:
                close = difflib.get_close_matches(directive, DIRECTIVES, n=1)
                problem(
                    line,
                    f"unknown comment {directive!r}: it switches nothing off",
                    f"write <!-- {close[0] if close else 'locgen-disable'} rule.id -->",
                )
                continue
            if not names:
                problem(
                    line,
                    f"<!-- {directive} --> names no rule",
                    f"name the rules: <!-- {directive} culture.tone.pressure -->",
                )
                continue
            for name in names:
                if not book.matching(name):
                    close = difflib.get_close_matches(name, list(book.rules), n=1)
                    problem(
                        line,
                        f"<!-- {directive} {name} -->: unknown rule id {name!r}",
                        f"did you mean {close[0]!r}?" if close else "see `locgen check --rules`",
                    )
                elif directive == "locgen-disable-next-line":
                    ranges.append((name, line, line + 1))
                elif directive == "locgen-disable":
                    open_since.setdefault(name, line)
                else:
                    start = open_since.pop(name, None)
                    if start is None:
                        problem(
                            line,
                            f"<!-- locgen-enable {name} --> without a locgen-disable before it",
                            f"add <!-- locgen-disable {name} --> above, or remove this comment",
                        )
                    else:
                        ranges.append((name, start, line))
    for name, start in open_since.items():
        ranges.append((name, 1 if start <= source.body_line else start, END))
    return Suppressions(tuple(ranges), tuple(problems))
