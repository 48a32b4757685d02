"""``locgen check``: build in memory, run every check, report the findings and the matrix.

Nothing is written: the site is rendered exactly as ``locgen build`` renders
it (so links are checked in the real output of every locale), then every
check runs and the site's ``[checks]`` settings and inline suppressions
decide what is reported. The report is text (grouped by file, coloured on a
terminal), JSON (schema version :data:`CHECK_REPORT_VERSION`, documented in
``docs/checks.md``) or GitHub workflow annotations.
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from locgen.build import BuildRequest, SiteBuild, load_rulebook
from locgen.config import load_config
from locgen.findings import LEVELS, Finding
from locgen.pages import SiteIndex
from locgen.phrasebook import load_phrasebook
from locgen.plugins import load_plugins
from locgen.report import count_text, github_annotation
from locgen.sources import ReadAhead
from locgen.translations import STATUSES, Status, status_of

CHECK_REPORT_VERSION = 1
"""Version of the JSON report's schema; it changes only when a field changes meaning."""
_MARK = {
    "source": "S",
    "translated": "✓",
    "untracked": "?",
    "outdated": "O",
    "fallback": "F",
    "missing": "-",
}
_COLOURS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m"}
_DIM, _BOLD, _RESET = "\033[2m", "\033[1m", "\033[0m"


@dataclass(frozen=True)
class CheckReport:
    """What ``locgen check`` found."""

    root: Path
    """Site folder; paths are shown relative to it."""
    locales: tuple[str, ...]
    """Locales checked."""
    findings: tuple[Finding, ...]
    """Every finding, sorted by file, line and rule."""
    matrix: dict[str, dict[str, Status]]
    """Translation status: page or email key → locale → cell."""
    rules: list[dict[str, Any]]
    """Every rule with its default level and the site's setting."""
    seconds: float
    """Wall time."""

    def count(self, level: str) -> int:
        """Number of findings at *level*."""
        return sum(1 for f in self.findings if f.level == level)

    def failed(self, strict: bool) -> bool:
        """True when the check should exit 1: errors, or warnings under *strict*."""
        return self.count("error") > 0 or (strict and self.count("warning") > 0)


def run_check(
    request: BuildRequest,
    progress: Callable[[str, int, int], None] | None = None,
    notice: Callable[[str], None] | None = None,
    ahead: ReadAhead | None = None,
) -> CheckReport:
    """Render the site in memory, run every check, and return the report.

    :param notice: told of problems that do not stop the check (a damaged cache file).
    :param ahead: the site's pages, being read since the command started
        (:func:`~locgen.sources.read_ahead`); the caller stops it when this raises.
    """
    started = time.perf_counter()
    build = SiteBuild(dataclasses.replace(request, all_checks=True), notice, ahead=ahead)
    state = build.run(progress)
    root = state.config.root
    findings = sorted(
        state.findings,
        key=lambda f: (
            f.relative_path(root) or "",
            f.line or 0,
            f.column or 0,
            f.locale or "",
            f.rule,
            f.message,
        ),
    )
    return CheckReport(
        root=root,
        locales=tuple(state.locales),
        findings=tuple(findings),
        matrix=translation_matrix(state.index, state.locales),
        rules=state.rulebook.describe(),
        seconds=time.perf_counter() - started,
    )


def site_rules(root: Path) -> list[dict[str, Any]]:
    """Every rule the site's plugins declare, with its settings, without building anything."""
    config = load_config(root)
    return load_rulebook(load_plugins(config.root), config, load_phrasebook(config.root)).describe()


def translation_matrix(index: SiteIndex, locales: list[str]) -> dict[str, dict[str, Status]]:
    """The status of every page and email (by key) in every locale."""
    return {
        key: {tag: status_of(index, key, tag) for tag in locales} for key in sorted(index.groups)
    }


# -- output ------------------------------------------------------------------


def write_check_report(
    report: CheckReport, fmt: str, out: TextIO, *, colour: bool, verbose: bool = False
) -> None:
    """Print *report* as ``text``, ``json`` or ``github`` annotations.

    The text report leaves out info findings unless *verbose*; the other formats
    hold every finding.
    """
    if fmt == "json":
        out.write(json.dumps(check_json(report), indent=2, ensure_ascii=False, sort_keys=True))
        out.write("\n")
    elif fmt == "github":
        for finding in report.findings:
            out.write(github_annotation(finding, report.root) + "\n")
        out.write(summary_line(report) + "\n")
    else:
        write_check_text(report, out, colour=colour, verbose=verbose)


def check_json(report: CheckReport) -> dict[str, Any]:
    """The JSON report (schema version :data:`CHECK_REPORT_VERSION`)."""
    return {
        "version": CHECK_REPORT_VERSION,
        "locales": list(report.locales),
        "summary": {level: report.count(level) for level in LEVELS},
        "findings": [f.to_json(report.root) for f in report.findings],
        "matrix": {
            key: {
                tag: {"status": cell.status, "served_from": cell.served_from}
                for tag, cell in row.items()
            }
            for key, row in report.matrix.items()
        },
        "rules": report.rules,
    }


def summary_line(report: CheckReport) -> str:
    """``checked 8 locales: 1 error, 3 warnings, 12 info (0.9 s)``."""
    counts = ", ".join(count_text(report.count(level), level) for level in LEVELS)
    files = len({f.path for f in report.findings if f.path is not None})
    where = f" in {count_text(files, 'file')}" if files else ""
    return (
        f"checked {count_text(len(report.locales), 'locale')}: {counts}{where} "
        f"({report.seconds:.2f} s)"
    )


def write_check_text(
    report: CheckReport, out: TextIO, *, colour: bool, verbose: bool = False
) -> None:
    """Findings grouped by file, then the translation matrix, then the summary."""

    def paint(text: str, style: str) -> str:
        return f"{style}{text}{_RESET}" if colour else text

    shown = [f for f in report.findings if verbose or f.level != "info"]
    current: str | None = None
    for finding in shown:
        path = finding.relative_path(report.root) or "(site)"
        if path != current:
            if current is not None:
                out.write("\n")
            out.write(paint(path, _BOLD) + "\n")
            current = path
        where = f"{finding.line or '-'}"
        if finding.column:
            where += f":{finding.column}"
        level = paint(f"{finding.level:<7}", _COLOURS[finding.level])
        locale = f"{finding.locale or '':<6}"
        out.write(f"  {where:<7} {level} {locale} {finding.message}  {paint(finding.rule, _DIM)}\n")
        if finding.suggestion:
            out.write(f"  {'':<7} {'':<7} {'':<6} {paint('→ ' + finding.suggestion, _DIM)}\n")
    if shown:
        out.write("\n")
    write_matrix(report, out)
    hidden = len(report.findings) - len(shown)
    if hidden:
        out.write(f"{hidden} info findings not shown (--verbose shows them)\n")
    out.write(summary_line(report) + "\n")


def write_matrix(report: CheckReport, out: TextIO) -> None:
    """The translation matrix: every page not translated everywhere, one column per locale."""
    rows = {
        key: row
        for key, row in report.matrix.items()
        if any(cell.status not in ("source", "translated") for cell in row.values())
    }
    totals: Counter[str] = Counter(
        cell.status for row in report.matrix.values() for cell in row.values()
    )
    out.write(
        f"translations: {len(report.matrix)} pages and emails × "
        f"{count_text(len(report.locales), 'locale')} — "
        + ", ".join(f"{totals[s]} {s}" for s in STATUSES if totals[s])
        + "\n"
    )
    if not rows:
        return
    width = max(len(key) for key in rows)
    header = f"  {'':<{width}}  " + " ".join(f"{tag:<6}" for tag in report.locales)
    out.write(header.rstrip() + "\n")
    for key, row in rows.items():
        marks = " ".join(f"{_MARK[row[tag].status]:<6}" for tag in report.locales)
        out.write(f"  {key:<{width}}  {marks}".rstrip() + "\n")
    legend = " · ".join(f"{_MARK[s]} {s}" for s in STATUSES)
    out.write(f"  ({legend})\n")
