"""Culture markup: variants of text that the reader's culture chooses between.

Blocks, in Markdown::

    ::: tone direct
    Upgrade today and save 20%.
    :::
    ::: tone indirect
    When the timing suits your team, upgrading could save 20%.
    :::

Adjacent blocks of one kind (blank lines between them allowed) form a group.
For ``tone`` and ``formality`` the group shows the block matching the
culture's directness or formality, or, when the group has none, its first
block. For ``angle`` the group shows every block, ordered by the culture's
value preferences (front matter ``max_angles: N`` keeps the first N).

Inline, for short text such as buttons and headings::

    [[tone direct: Buy now | indirect: Explore the plans]]

The phrasebook is applied to the text that remains. All of this runs as one
Python-Markdown preprocessor that records, for each line it emits, the source
line it came from, so later steps report errors at the right place.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from locgen.cultures import ANGLES, DIRECTNESS, FORMALITIES, CultureProfile
from locgen.fences import prose_lines
from locgen.findings import Finding
from locgen.shortcodes import CODE_SPAN, RenderContext, replace_outside_code

BLOCK_KINDS: dict[str, tuple[str, ...]] = {
    "tone": DIRECTNESS,
    "formality": FORMALITIES,
    "angle": ANGLES,
}
"""Block kinds and the values each accepts."""
INLINE_KINDS = ("tone", "formality")
"""Kinds with an inline form (an angle orders whole blocks, so it has none)."""
MAX_ANGLES_KEY = "max_angles"
"""Front-matter key limiting how many ``angle`` blocks of a group are shown."""

SUPPRESSION_COMMENT = re.compile(r"<!--\s*(locgen-[\w-]*)(.*?)-->")
"""A ``<!-- locgen-disable rule.id -->`` comment: its directive, then its rule ids.

:mod:`locgen.rules` reads them; the culture-markup step keeps them out of the output.
"""
MARKER = re.compile(r"^ {0,3}:::(?P<rest>.*)$")
INLINE = re.compile(r"\[\[(?P<kind>[A-Za-z]+)\s+(?P<body>[^\[\]]*?)\]\]")


class MarkupError(ValueError):
    """Culture markup that cannot be read; *line* is the source line."""

    def __init__(self, message: str, line: int | None, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.hint = hint


@dataclass
class _Block:
    kind: str
    value: str
    line: int | None
    children: list[_Node] = field(default_factory=list)


@dataclass
class _Text:
    lines: list[tuple[str, int | None]]


_Node = _Block | _Text


def parse_blocks(lines: list[str], numbers: list[int | None]) -> list[_Node]:
    """Parse culture blocks out of Markdown *lines* (fenced code is left alone)."""
    root: list[_Node] = []
    stack: list[_Block] = []

    def add_text(text: str, number: int | None) -> None:
        siblings = stack[-1].children if stack else root
        if siblings and isinstance(siblings[-1], _Text):
            siblings[-1].lines.append((text, number))
        else:
            siblings.append(_Text([(text, number)]))

    for index, is_prose in prose_lines(lines):
        line, number = lines[index], numbers[index]
        match = MARKER.match(line) if is_prose else None
        if match is None:
            add_text(line, number)
            continue
        rest = match.group("rest").strip()
        if not rest:
            if not stack:
                raise MarkupError(
                    "::: closes a block that was never opened",
                    number,
                    "remove this line, or open the block with ::: tone|formality|angle <value>",
                )
            block = stack.pop()
            (stack[-1].children if stack else root).append(block)
            continue
        kind, _, value = rest.partition(" ")
        value = value.strip()
        _check_value(kind, value, number)
        for open_block in stack:
            if open_block.kind == kind:
                raise MarkupError(
                    f"a ::: {kind} block inside another ::: {kind} block "
                    f"(opened on line {open_block.line})",
                    number,
                    "close the outer block with ::: first; blocks of one kind cannot nest",
                )
        stack.append(_Block(kind, value, number))
    if stack:
        block = stack[-1]
        raise MarkupError(
            f"::: {block.kind} {block.value} is never closed",
            block.line,
            "end the block with a line containing only :::",
        )
    return root


def _check_value(kind: str, value: str, line: int | None) -> None:
    allowed = BLOCK_KINDS.get(kind)
    if allowed is None:
        raise MarkupError(
            f"unknown culture block kind {kind!r}",
            line,
            f"block kinds are {', '.join(BLOCK_KINDS)}, e.g. ::: tone direct",
        )
    if value not in allowed:
        shown = repr(value) if value else "no value"
        raise MarkupError(
            f"::: {kind} has {shown}; it takes one of {', '.join(allowed)}",
            line,
            f"write ::: {kind} {allowed[0]}",
        )


def select(nodes: list[_Node], culture: CultureProfile, max_angles: int | None) -> list[_Text]:
    """The text the culture reads: one variant per tone/formality group, angles reordered."""
    out: list[_Text] = []
    index = 0
    while index < len(nodes):
        node = nodes[index]
        if isinstance(node, _Text):
            out.append(node)
            index += 1
            continue
        group, index = _group(nodes, index)
        for block in _choose(group, culture, max_angles):
            # Blank lines keep a block's paragraphs apart from its neighbours.
            out.append(_Text([("", block.line)]))
            out.extend(select(block.children, culture, max_angles))
            out.append(_Text([("", block.line)]))
    return out


def _group(nodes: list[_Node], start: int) -> tuple[list[_Block], int]:
    """Adjacent blocks of one kind from *start*, and the index after them."""
    first = nodes[start]
    assert isinstance(first, _Block)
    group = [first]
    index = end = start + 1
    while index < len(nodes):
        node = nodes[index]
        if isinstance(node, _Text) and all(not text.strip() for text, _ in node.lines):
            index += 1
            continue
        if isinstance(node, _Block) and node.kind == first.kind:
            group.append(node)
            index = end = index + 1
            continue
        break
    seen: dict[str, _Block] = {}
    for block in group:
        if block.value in seen:
            raise MarkupError(
                f"two ::: {block.kind} {block.value} blocks next to each other "
                f"(the first on line {seen[block.value].line})",
                block.line,
                "merge them into one block",
            )
        seen[block.value] = block
    return group, end


def _choose(group: list[_Block], culture: CultureProfile, max_angles: int | None) -> list[_Block]:
    kind = group[0].kind
    if kind == "angle":
        order = culture.angle_order()
        ranked = sorted(group, key=lambda block: order.index(block.value))
        return ranked[:max_angles] if max_angles is not None else ranked
    wanted = culture.tone if kind == "tone" else culture.formality
    for block in group:
        if block.value == wanted:
            return [block]
    return [group[0]]


def choose_inline(text: str, culture: CultureProfile, line: int | None) -> str:
    """Replace every ``[[kind value: text | value: text]]`` in *text* with the culture's pick."""

    def one(match: re.Match[str]) -> str:
        kind = match.group("kind")
        if kind not in INLINE_KINDS:
            hint = (
                "angles order whole blocks; use ::: angle blocks"
                if kind == "angle"
                else f"inline kinds are {', '.join(INLINE_KINDS)}"
            )
            raise MarkupError(f"{match.group(0)!r}: no inline form for {kind!r}", line, hint)
        options: dict[str, str] = {}
        for part in match.group("body").split("|"):
            value, sep, option = part.partition(":")
            value = value.strip()
            if not sep:
                raise MarkupError(
                    f"{match.group(0)!r}: each choice is 'value: text'",
                    line,
                    f"write [[{kind} {BLOCK_KINDS[kind][0]}: … | {BLOCK_KINDS[kind][1]}: …]]",
                )
            _check_value(kind, value, line)
            if value in options:
                raise MarkupError(
                    f"{match.group(0)!r}: {value!r} is given twice", line, "keep one of them"
                )
            options[value] = option.strip()
        wanted = culture.tone if kind == "tone" else culture.formality
        return options.get(wanted, next(iter(options.values())))

    return INLINE.sub(one, text)


def adapt_text(
    text: str, context: RenderContext, line: int | None, *, apply_inline: bool = True
) -> str:
    """Apply the inline form and the phrasebook to one piece of prose."""
    if apply_inline and "[[" in text:
        text = choose_inline(text, context.culture, line)
    phrasebook = context.phrasebook
    if phrasebook is None or not phrasebook.rules:
        return text
    tone = context.culture.tone
    written_in = context.page.content_locale.tag if context.page is not None else None
    text, fired = phrasebook.apply(text, tone, context.locale.tag, written_in or context.locale.tag)
    source = context.source
    for rule in fired:
        context.findings.append(
            Finding(
                rule="phrasebook.applied",
                level="info",
                message=f"{rule.phrase!r} → {rule.replacement!r} ({tone} tone)",
                path=source.path if source is not None else None,
                line=line,
                locale=context.locale.tag,
                suggestion=f"phrasebook.yaml line {rule.line}",
            )
        )
    return text


def adapt_params(value: Any, context: RenderContext, line: int | None) -> Any:
    """Apply :func:`adapt_text` to every string in front-matter *value* (lists, tables)."""
    if isinstance(value, str):
        return adapt_text(value, context, line)
    if isinstance(value, list):
        return [adapt_params(item, context, line) for item in value]
    if isinstance(value, Mapping):
        return {key: adapt_params(item, context, line) for key, item in value.items()}
    return value


class _CulturePreprocessor(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        context: RenderContext | None = getattr(self.md, "locgen", None)
        if context is None:
            return lines
        text = "\n".join(lines)
        if "locgen-" in text:
            # Check suppressions are for locgen, not for readers: keep them out of the HTML.
            lines = [SUPPRESSION_COMMENT.sub("", line) for line in lines]
            text = "\n".join(lines)
        has_phrases = context.phrasebook is not None and bool(context.phrasebook.rules)
        if ":::" not in text and "[[" not in text and not has_phrases:
            # Nothing to choose or replace: skip the line-by-line pass.
            if context.reader_lines is not None:
                context.reader_lines = reader_lines(lines, context.source_line)
            return lines
        numbers = [context.source_line(i) for i in range(len(lines))]
        # Checked when the file was read: a whole number of at least 1, or absent.
        max_angles = context.source.meta.get(MAX_ANGLES_KEY) if context.source else None
        try:
            chosen = select(parse_blocks(lines, numbers), context.culture, max_angles)
            out: list[tuple[str, int | None]] = [pair for text in chosen for pair in text.lines]
            result: list[str] = []
            emitted = [text for text, _ in out]
            prose = dict(prose_lines(emitted))
            for index, (text, number) in enumerate(out):
                if prose[index]:
                    text = replace_outside_code(
                        text, partial(adapt_text, context=context, line=number)
                    )
                result.append(text)
        except MarkupError as exc:
            raise context.error(exc.message, exc.line, exc.hint) from None
        source_line = context.source.body_line if context.source is not None else 1
        line_map = [n if n is not None else source_line for _, n in out]
        context.line_map = line_map
        if context.reader_lines is not None:
            context.reader_lines = reader_lines(result, line_map.__getitem__)
        return result


def reader_lines(lines: list[str], number_of: Callable[[int], int | None]) -> list[tuple[int, str]]:
    """The prose of *lines* as ``(source line, text)``: no blank lines or fenced code.

    Inline code spans are blanked out with spaces, so columns stay right.
    """
    kept = []
    for index, is_prose in prose_lines(lines):
        text = lines[index]
        if is_prose and text.strip():
            if "`" in text:
                text = CODE_SPAN.sub(lambda m: " " * len(m.group(0)), text)
            kept.append((number_of(index) or 0, text))
    return kept


class CultureMarkupExtension(Extension):
    """Chooses culture variants (``:::`` blocks, ``[[…]]`` inline) and applies the phrasebook."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # After whitespace normalisation (30), before shortcodes (27) and fenced code (25).
        md.preprocessors.register(_CulturePreprocessor(md), "locgen_culture", 28)
