"""Findings: located observations about a site, each with a stable rule id and a level."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

LEVELS = ("error", "warning", "info")


@dataclass(frozen=True)
class Finding:
    """One thing a build or check noticed, with where and how to act on it."""

    rule: str
    """Dotted, stable rule id, e.g. ``translation.outdated``."""
    level: str
    """``error``, ``warning`` or ``info``."""
    message: str
    """What is wrong, in one sentence."""
    path: Path | None = None
    """File the finding is about."""
    line: int | None = None
    """1-based line in that file, when known."""
    column: int | None = None
    """1-based column, when known."""
    locale: str | None = None
    """Locale concerned, when one is."""
    suggestion: str | None = None
    """How to fix it."""

    def relative_path(self, root: Path) -> str | None:
        """The path relative to *root* with ``/`` separators (absolute if outside)."""
        if self.path is None:
            return None
        try:
            return self.path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            return self.path.as_posix()

    def to_json(self, root: Path) -> dict[str, Any]:
        """A JSON-ready mapping, paths relative to *root*."""
        return {
            "rule": self.rule,
            "level": self.level,
            "message": self.message,
            "path": self.relative_path(root),
            "line": self.line,
            "column": self.column,
            "locale": self.locale,
            "suggestion": self.suggestion,
        }
