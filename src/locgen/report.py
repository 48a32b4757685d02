"""The build report: what was built, what is untranslated or outdated.

Printed as text, JSON or GitHub workflow annotations.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from locgen.findings import LEVELS, Finding

REPORT_VERSION = 1
FORMATS = ("text", "json", "github")


@dataclass(frozen=True)
class BuildResult:
    """The outcome of one successful build."""

    root: Path
    """Site folder."""
    output_dir: Path
    """Folder the site was published to."""
    locales: tuple[str, ...]
    """Locales built."""
    pages_by_locale: dict[str, int]
    """HTML pages written per locale (404 pages not counted)."""
    files: int
    """Files written in all (pages, emails, root files, static files, assets)."""
    drafts_skipped: int
    """Draft files left out (0 with ``--drafts``)."""
    findings: tuple[Finding, ...]
    """Untranslated, missing and outdated pages."""
    fallback_pages: dict[str, tuple[str, ...]]
    """Per locale, the keys of pages it shows from another locale's text."""
    seconds: float
    """Wall time of the build."""
    emails: int = 0
    """Emails written, counting each locale (each has an HTML, text and ``.eml`` file)."""
    rendered: int = 0
    """Outputs (pages, emails, root files) rendered by this build."""
    reused: int = 0
    """Outputs taken from the build cache, unchanged since an earlier build."""
    unchanged: bool = False
    """True when the output folder already held exactly this build and was left alone."""

    @property
    def pages(self) -> int:
        """HTML pages written in all locales."""
        return sum(self.pages_by_locale.values())

    def count(self, level: str) -> int:
        """Number of findings at *level*."""
        return sum(1 for f in self.findings if f.level == level)


def write_report(result: BuildResult, fmt: str, out: TextIO) -> None:
    """Print *result* in *fmt* (``text``, ``json`` or ``github``)."""
    if fmt == "json":
        out.write(json.dumps(report_json(result), indent=2, ensure_ascii=False, sort_keys=True))
        out.write("\n")
    elif fmt == "github":
        for finding in result.findings:
            if finding.level != "info":
                out.write(github_annotation(finding, result.root) + "\n")
        out.write(summary_line(result) + "\n")
    else:
        write_text_report(result, out)


def report_json(result: BuildResult) -> dict[str, object]:
    """The JSON build report (schema version :data:`REPORT_VERSION`)."""
    return {
        "version": REPORT_VERSION,
        "output": str(result.output_dir),
        "locales": list(result.locales),
        "pages": result.pages_by_locale,
        "emails": result.emails,
        "files": result.files,
        "drafts_skipped": result.drafts_skipped,
        "seconds": round(result.seconds, 3),
        "rendered": result.rendered,
        "reused": result.reused,
        "unchanged": result.unchanged,
        "fallback_pages": {tag: list(keys) for tag, keys in result.fallback_pages.items()},
        "summary": {level: result.count(level) for level in LEVELS},
        "findings": [f.to_json(result.root) for f in result.findings],
    }


def summary_line(result: BuildResult) -> str:
    """One line: pages, locales, where, how long."""
    try:
        shown = result.output_dir.relative_to(Path.cwd())
    except ValueError:
        shown = result.output_dir
    emails = f" and {count_text(result.emails, 'email')}" if result.emails else ""
    cached = ""
    if result.reused:
        cached = f", {result.rendered} rendered, {result.reused} from the cache"
    if result.unchanged:
        cached += ", output unchanged"
    return (
        f"built {count_text(result.pages, 'page')}{emails} in "
        f"{count_text(len(result.locales), 'locale')} into {shown}/ "
        f"({count_text(result.files, 'file')}, {result.seconds:.2f} s{cached})"
    )


def write_text_report(result: BuildResult, out: TextIO) -> None:
    """Human-readable report: summary, per-locale counts, warnings, untranslated pages."""
    out.write(summary_line(result) + "\n")
    parts = []
    for tag in result.locales:
        count = len(result.fallback_pages.get(tag, ()))
        extra = f" ({count} fallback)" if count else ""
        parts.append(f"{tag} {result.pages_by_locale.get(tag, 0)}{extra}")
    out.write("  pages: " + " · ".join(parts) + "\n")
    if result.drafts_skipped:
        out.write(f"  drafts skipped: {result.drafts_skipped} (build with --drafts to include)\n")
    counts = ", ".join(count_text(result.count(level), level) for level in LEVELS)
    out.write(f"  checks: {counts} (`locgen check` runs every check)\n")
    for finding in result.findings:
        if finding.level == "warning":
            out.write(format_finding(finding, result.root) + "\n")
    untracked = [f for f in result.findings if f.rule == "translation.untracked"]
    if untracked:
        out.write(
            f"  {len(untracked)} translations have no source_hash; see --format json for the list\n"
        )
    for tag, keys in result.fallback_pages.items():
        if keys:
            out.write(f"  untranslated in {tag} (fallback): {', '.join(keys)}\n")
    substitutions = [f for f in result.findings if f.rule == "phrasebook.applied"]
    if substitutions:
        out.write(f"  phrasebook: {len(substitutions)} substitutions\n")
        for finding in substitutions:
            where = finding.relative_path(result.root) or ""
            if finding.line:
                where += f":{finding.line}"
            out.write(f"    {where} ({finding.locale}): {finding.message}\n")


def count_text(count: int, noun: str) -> str:
    """``1 error``, ``3 warnings``, ``12 info`` (*noun* in the singular)."""
    plural = "" if count == 1 or noun == "info" else "s"
    return f"{count} {noun}{plural}"


def format_finding(finding: Finding, root: Path) -> str:
    """``level: path:line: message (locale) [rule]`` plus a hint line."""
    where = finding.relative_path(root) or ""
    if where and finding.line:
        where += f":{finding.line}"
    text = f"{finding.level}: {where + ': ' if where else ''}{finding.message}"
    if finding.locale:
        text += f" ({finding.locale})"
    text += f" [{finding.rule}]"
    if finding.suggestion:
        text += f"\n  hint: {finding.suggestion}"
    return text


def github_annotation(finding: Finding, root: Path) -> str:
    """A GitHub Actions workflow command (``::warning file=…,line=…::message``)."""
    kind = {"error": "error", "warning": "warning"}.get(finding.level, "notice")
    props = []
    path = finding.relative_path(root)
    if path:
        props.append(f"file={_escape_property(path)}")
    if finding.line:
        props.append(f"line={finding.line}")
        if finding.column:
            props.append(f"col={finding.column}")
    props.append(f"title={_escape_property(finding.rule)}")
    message = finding.message
    if finding.locale:
        message += f" ({finding.locale})"
    if finding.suggestion:
        message += f"\n{finding.suggestion}"
    return f"::{kind} {','.join(props)}::{_escape_data(message)}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


class Progress:
    """Progress on an interactive terminal; silent in CI and when output is not a TTY."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() and not os.environ.get("CI")
        self._shown = False

    def __call__(self, locale: str, done: int, total: int) -> None:
        """Show that *done* of *total* pages of *locale* are rendered."""
        if not self.enabled or (done != total and done % 25):
            return
        self.stream.write(f"\r\033[Krendering {locale}: {done}/{total} pages")
        self.stream.flush()
        self._shown = True

    def close(self) -> None:
        """Clear the progress line."""
        if self._shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
