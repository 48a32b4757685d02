"""The plain-text part of an email, made from its finished HTML.

One source, two parts: the text is converted from the same HTML the reader
sees, so nothing is written twice and nothing drifts. lxml prepares the tree
(layout tables become blocks, hidden elements such as the preheader go,
links gain their URL in brackets), inscriptis lays it out as text, and the
result is wrapped at 78 columns: at spaces, and between Chinese and Japanese
characters (but never before closing punctuation), keeping URLs and merge
tags whole.
"""

from __future__ import annotations

import copy
import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator

import lxml.html
from inscriptis.css_profiles import CSS_PROFILES
from inscriptis.html_engine import Inscriptis
from inscriptis.model.config import ParserConfig
from inscriptis.model.html_element import HtmlElement
from lxml.html.defs import block_tags

WIDTH = 78
"""Longest line of the text part, in columns (RFC 5322's recommended 78)."""

_VERBATIM = "\ue000"
"""Marks a line of a table or a code block: laid out already, never wrapped."""
_HEADINGS = {"h1": "\ue001", "h2": "\ue002", "h3": "\ue002"}
"""Marks a heading line, to be underlined with ``=`` (h1) or ``-`` (h2, h3)."""
_UNDERLINES = {"\ue001": "=", "\ue002": "-"}
_TABLE_PARTS = frozenset({"tbody", "thead", "tfoot", "tr", "td", "th"})
_HIDDEN = re.compile(r"display\s*:\s*none", re.IGNORECASE)
_URL = re.compile(r"(?:https?://|mailto:)[^\s)]+")
"""A URL in running text: up to a space or a closing bracket."""
_LIST_ITEM = re.compile(r"(\s*)([*+\-•]|\d+[.)])\s+")


def _css_profile() -> dict[str, HtmlElement]:
    """inscriptis' strict layout, with a blank line around lists as around paragraphs."""
    css = dict(CSS_PROFILES["strict"])
    for tag in ("ul", "ol"):
        element = copy.copy(css[tag])
        element.margin_before = 1  # a margin after would also space out the items
        css[tag] = element
    return css


_CONFIG = ParserConfig(css=_css_profile())
_NO_LINE_START = frozenset(
    ",.:;!?)]}、。，．・：；？！ー）」』】〕〉》〙〗’”ゝゞ々ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ〜～"
)
"""Characters a line never starts with (closing punctuation, small kana)."""
_NO_LINE_END = frozenset("([{（「『【〔〈《〘〖‘“")
"""Characters a line never ends with (opening brackets)."""


def html_to_text(html: str, keep_whole: Iterable[str] = ()) -> str:
    """Convert an email's HTML to its plain-text alternative.

    Headings are underlined, lists keep their bullets, links read
    ``text (url)``, tables are laid out in columns, hidden text (the
    preheader) is left out, and lines are wrapped at :data:`WIDTH` columns.

    :param keep_whole: strings never broken across lines (the merge tags).
    """
    tree = lxml.html.document_fromstring(html)
    _prepare(tree)
    text = _laid_out(tree)
    protected = _protected_pattern(keep_whole)
    lines = [line for raw in text.split("\n") for line in _layout_line(raw, protected)]
    return _tidy(lines)


def _prepare(tree: lxml.html.HtmlElement) -> None:
    """Reshape the tree so that inscriptis lays out what a reader of the HTML sees."""
    for element in list(tree.iter("head", "style", "script", "title")):
        _drop(element)
    for element in list(tree.iter()):
        if isinstance(element.tag, str) and _HIDDEN.search(element.get("style", "")):
            _drop(element)
    for table in tree.iter("table"):
        if table.get("role") == "presentation":
            _unwrap_layout(table)
    for anchor in tree.iter("a"):
        _show_url(anchor)
    for image in list(tree.iter("img")):
        _replace_with_alt(image)
    for tag, marker in _HEADINGS.items():
        for heading in tree.iter(tag):
            heading.text = marker + (heading.text or "")
    for pre in list(tree.iter("pre")):
        _make_verbatim(pre, pre.text_content())
    for table in list(tree.iter("table")):
        _make_verbatim(table, _laid_out(table))


def _drop(element: lxml.html.HtmlElement) -> None:
    """Remove *element* and its content, keeping the text that follows it."""
    parent = element.getparent()
    if parent is not None:
        element.drop_tree()


def _unwrap_layout(table: lxml.html.HtmlElement) -> None:
    """Turn a layout table and its rows and cells into plain blocks.

    A layout table holding only text and links (a button) becomes a paragraph,
    so blank lines set it apart as they would a paragraph of text.
    """
    parts = list(_own_parts(table))
    holds_blocks = any(
        element.tag in block_tags
        for part in parts
        if part.tag in ("td", "th")
        for element in part.iterdescendants()
        if isinstance(element.tag, str)
    )
    table.tag = "div" if holds_blocks else "p"
    for part in parts:
        part.tag = "div" if holds_blocks else "span"


def _own_parts(element: lxml.html.HtmlElement) -> Iterator[lxml.html.HtmlElement]:
    """The row groups, rows and cells of a table, not those of tables inside its cells."""
    for child in element.iterchildren():
        if child.tag in _TABLE_PARTS:
            yield child
            if child.tag not in ("td", "th"):
                yield from _own_parts(child)


def _show_url(anchor: lxml.html.HtmlElement) -> None:
    """Append `` (url)`` to a link whose text does not already say where it goes."""
    href = (anchor.get("href") or "").strip()
    if not href or href.startswith("#"):
        return
    label = " ".join(anchor.text_content().split())
    if not label:
        alts = [img.get("alt", "").strip() for img in anchor.iter("img")]
        label = " ".join(alt for alt in alts if alt)
        for child in list(anchor):
            anchor.remove(child)
        anchor.text = label
    if label in (href, href.removeprefix("mailto:")):
        return
    anchor.tail = (f" ({href})" if label else href) + (anchor.tail or "")


def _replace_with_alt(image: lxml.html.HtmlElement) -> None:
    """An image reads as its alt text (a linked one already gave its alt to the link)."""
    parent = image.getparent()
    if parent is None:
        return
    alt = " ".join(image.get("alt", "").split())
    previous = image.getprevious()
    text = alt + (image.tail or "")
    if previous is not None:
        previous.tail = (previous.tail or "") + text
    else:
        parent.text = (parent.text or "") + text
    parent.remove(image)


def _laid_out(element: lxml.html.HtmlElement) -> str:
    """inscriptis' text of *element*, without the text that follows it (its tail,
    which stays where it is)."""
    tail, element.tail = element.tail, None
    try:
        text: str = Inscriptis(element, _CONFIG).get_text()
    finally:
        element.tail = tail
    return text


def _make_verbatim(element: lxml.html.HtmlElement, text: str) -> None:
    """Replace *element* by a ``<pre>`` of *text*, each line marked as laid out."""
    lines = ["", *(line.rstrip() for line in text.strip("\n").split("\n")), ""]
    pre = lxml.html.Element("pre")
    pre.text = "\n".join(_VERBATIM + line for line in lines)
    pre.tail = element.tail
    parent = element.getparent()
    if parent is not None:
        parent.replace(element, pre)


def _protected_pattern(keep_whole: Iterable[str]) -> re.Pattern[str]:
    """URLs (with any merge tags inside them) and merge tags: never broken."""
    tags = "|".join(re.escape(tag) for tag in sorted(set(keep_whole) - {""}, key=len, reverse=True))
    if not tags:
        return _URL
    return re.compile(rf"(?:https?://|mailto:)(?:{tags}|[^\s)])+|{tags}")


def _layout_line(line: str, protected: re.Pattern[str]) -> Iterator[str]:
    """Wrap one line of laid-out text; underline headings; leave verbatim lines alone."""
    if _VERBATIM in line:
        yield line.replace(_VERBATIM, "").rstrip()
        return
    marker = next((m for m in _UNDERLINES if m in line), None)
    if marker is not None:
        wrapped = list(_wrap(line.replace(marker, ""), protected))
        yield from wrapped
        yield _UNDERLINES[marker] * min(WIDTH, max(_width(w.strip()) for w in wrapped))
        return
    yield from _wrap(line, protected)


def _wrap(line: str, protected: re.Pattern[str]) -> Iterator[str]:
    """Wrap *line* at :data:`WIDTH`, list items with a hanging indent."""
    line = line.rstrip()
    if _width(line) <= WIDTH:
        yield line
        return
    item = _LIST_ITEM.match(line)
    indent = len(item.group(0)) if item else len(line) - len(line.lstrip(" "))
    for number, part in enumerate(_fill(line[indent:], WIDTH - indent, protected)):
        yield (line[:indent] if number == 0 else " " * indent) + part


def _fill(text: str, width: int, protected: re.Pattern[str]) -> list[str]:
    """Break *text* into lines of at most *width* columns where breaking is allowed.

    A word longer than a line (a long URL) stands on a line of its own.
    """
    widths = _widths(text)
    allowed = _break_opportunities(text, widths, protected)
    lines: list[str] = []
    start, column, last = 0, 0, 0
    for index, char in enumerate(text):
        if index > start and allowed[index]:
            last = index
        char_width = widths[index]
        if column + char_width > width and last > start and char != " ":
            lines.append(text[start:last].rstrip())
            start = last
            column = sum(widths[start:index])
        column += char_width
    lines.append(text[start:].rstrip())
    return lines


def _break_opportunities(text: str, widths: list[int], protected: re.Pattern[str]) -> list[bool]:
    """Where a line may start: after spaces, and between Chinese or Japanese characters.

    As in Unicode line breaking (UAX #14), closing punctuation and small kana
    never start a line and opening brackets never end one; URLs and merge
    tags are never broken. *widths* are the characters' columns (:func:`_widths`).
    """
    allowed = [False] * len(text)
    for index in range(1, len(text)):
        before, char = text[index - 1], text[index]
        if char == " ":
            continue
        if before == " " or (
            (widths[index - 1] == 2 or widths[index] == 2)
            and not (char in _NO_LINE_START or before in _NO_LINE_END)
        ):
            allowed[index] = True
    for match in protected.finditer(text):
        for index in range(match.start() + 1, match.end()):
            allowed[index] = False
    return allowed


@functools.cache
def _char_width(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _widths(text: str) -> list[int]:
    """The columns each character of *text* takes; every ASCII character takes one."""
    if text.isascii():
        return [1] * len(text)
    return [_char_width(char) for char in text]


def _width(text: str) -> int:
    """Columns *text* takes in a fixed-width font (East Asian wide characters take two)."""
    return sum(_widths(text))


def _tidy(lines: list[str]) -> str:
    """Join *lines*, with at most one blank line in a row and none at either end."""
    out: list[str] = []
    for line in lines:
        if not line.strip():
            if out and out[-1]:
                out.append("")
            continue
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n"
