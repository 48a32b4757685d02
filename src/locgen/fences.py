"""Fenced code blocks in Markdown: which lines of a page are prose.

Shortcodes, culture blocks and the checks that read a page's text leave code
alone. Kept apart from the Markdown pipeline so that reading a page's source
does not load Python-Markdown.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
"""The opening or closing line of a fenced code block (up to three spaces in front)."""


def prose_lines(lines: list[str]) -> Iterator[tuple[int, bool]]:
    """Yield ``(index, is_prose)`` for *lines*; fenced code blocks are not prose."""
    fence: str | None = None
    for index, line in enumerate(lines):
        match = FENCE.match(line)
        if fence is None and match:
            fence = match.group(1)
            yield index, False
        elif fence is not None:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
            yield index, False
        else:
            yield index, True
