"""Cheaper drop-ins for Python-Markdown's processors, with byte-identical output.

Most of what Python-Markdown does per page is looking for syntax that is not
there: fifteen inline patterns are tried on every paragraph, list item and
table cell, a dozen block processors test every block, and the ``attr_list``
and ``toc`` tree processors search the whole tree for ``{…}`` and ``[TOC]``.
Nearly all of these searches fail on plain prose. Each of them, though, can
only succeed where some literal character or string occurs (``#`` for a hash
heading, ``[`` for a link, ``{`` for an attribute list, ...), and finding
that a literal is absent costs one C-level scan instead of a Python call and
a regular-expression search. The processors here make that check first and,
when the literal is absent, do what the stock processor does after its search
fails; otherwise they run the stock code unchanged.

Why the output is the same
    A step is only skipped when the stock step's search would find nothing,
    and each stock step skipped here does nothing else when it finds nothing:

    - An inline pattern attempt (``InlineProcessor.__applyPattern``) whose
      search finds no match calls neither the pattern's ``handleMatch`` (the
      only place a pattern keeps state, such as the emphasis processor's cache
      of regions) nor changes the text: it returns ``(data, False, 0)``, and
      the next pattern is tried from index 0. The skipping loop does exactly
      that. The literal is looked for in the whole text (a superset of what the
      search reads from its start index) and again before every pattern, so a
      text changed by an earlier pattern is judged as it is then. The order of
      the patterns, the recursion into new elements and the stash are left to
      the stock code, and so are the placeholders, but for a text without the
      placeholder prefix: the stock step only adds such a text to its
      element's text (or tail), as the skipping step does.
    - A block processor's failing test returns ``False`` and changes nothing;
      the reference and footnote-definition processors, which search in
      ``run``, put the block back and return ``False``. (The table processor's
      test also resets ``border``: scratch state that its ``run`` reads only
      right after a test that succeeded, which sets it again.)
    - ``attr_list`` changes an element only when one of its expressions, all
      of which need ``{``, matches the element's text or a tail; ``toc``
      replaces only a childless element whose text is the marker, and gets a
      plain heading's text back from its serialized HTML unchanged
      (:class:`QuickTocTreeprocessor`).
    - ``normalize_whitespace`` replaces characters and lines a text may not
      hold (``\\r``, tabs, lines of spaces, ``STX``/``ETX``); a replacement with
      nothing to replace gives the text back. ``html_block`` parses the text as
      HTML and gives back everything that is not a tag, an entity or a
      character reference as it is: a text without ``<`` and ``&`` has none.
      ``fenced_code_block`` stashes only what its expression matches, which
      starts with a fence of three ``~`` or backticks, and otherwise gives the
      text back split into lines.
      ``unescape`` substitutes placeholders that start with ``STX``.
    - ``prettify`` asks ``Markdown.is_block_level`` about each element's tag;
      the answer depends on the tag alone, so it is asked once per tag and
      page.
    - The block parser iterates its registry of block processors for every
      block; the registry changes only through ``register`` and
      ``deregister``, so its ordered list is kept until one of them is called
      (:class:`ListedRegistry`).

    A pattern or processor is only skipped or replaced when its class is
    exactly Python-Markdown's and its regular expression is exactly the one
    analysed here (:data:`KNOWN_PATTERNS`, :data:`BLOCK_PROCESSORS`). Anything
    else (a plugin's pattern, or a built-in whose expression changes in a later
    release) runs as before. A replacement takes over its stock processor's
    name, priority and place in the order, or is not made at all.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable, Iterable, Iterator
from textwrap import dedent
from typing import Any, TypeVar, cast

import markdown
from markdown import (
    blockprocessors,
    inlinepatterns,
    postprocessors,
    preprocessors,
    treeprocessors,
    util,
)
from markdown.blockparser import BlockParser
from markdown.extensions import Extension, toc
from markdown.extensions.attr_list import AttrListExtension, AttrListTreeprocessor
from markdown.extensions.fenced_code import FencedBlockPreprocessor, FencedCodeExtension
from markdown.extensions.footnotes import (
    FootnoteBlockProcessor,
    FootnoteExtension,
    FootnoteInlineProcessor,
    FootnotePostprocessor,
)
from markdown.extensions.tables import TableExtension, TableProcessor
from markdown.extensions.toc import TocExtension, TocTreeprocessor
from markdown.serializers import to_html_string
from markdown.treeprocessors import InlineProcessor

# Registry ----------------------------------------------------------------------------------

_T = TypeVar("_T")


def replace_registered(registry: util.Registry[_T], name: str, item: _T) -> bool:
    """Put *item* in place of the one registered as *name*, keeping its priority and position.

    Returns ``False``, changing nothing, when that cannot be done: a registry
    sorts a re-registered item after others of equal priority, so the item
    has to be the last of its priority already.
    """
    # Registry keeps priorities privately; without them, leave the stock item alone.
    entries = getattr(registry, "_priority", None)
    priority = next((e.priority for e in entries or () if getattr(e, "name", None) == name), None)
    if priority is None:
        return False
    trial = registry[:]  # a copy, in the same order
    trial.register(item, name, priority)
    if trial.get_index_for_name(name) != registry.get_index_for_name(name):
        return False
    registry.register(item, name, priority)
    return True


class ListedRegistry(util.Registry[_T]):
    """A registry that keeps its items listed in order from one change to the next.

    A stock registry sorts and lists its items again each time it is iterated,
    and the block parser iterates its registry for every block of every page
    (about forty times a page). The list here is made again after each
    ``register`` and ``deregister``, which are the only ways to change a
    registry, so iterating gives the same items in the same order.
    """

    def __init__(self) -> None:
        super().__init__()
        self._listed: list[_T] | None = None

    @classmethod
    def copy_of(cls, registry: util.Registry[_T]) -> ListedRegistry[_T] | None:
        """A listed registry of *registry*'s items, names and priorities, in its order.

        ``None`` when *registry* does not show its priorities (they are private).
        """
        entries = getattr(registry, "_priority", None)
        if entries is None:
            return None
        items = list(registry)  # sorts the entries too
        listed: ListedRegistry[_T] = cls()
        for entry, item in zip(entries, items, strict=True):
            listed.register(item, entry.name, entry.priority)
        return listed

    def __iter__(self) -> Iterator[_T]:
        listed = self._listed
        if listed is None:
            listed = self._listed = list(super().__iter__())
        return iter(listed)

    def register(self, item: _T, name: str, priority: float) -> None:
        """Add *item* as the stock registry does, and list the items again on the next use."""
        self._listed = None
        super().register(item, name, priority)

    def deregister(self, name: str, strict: bool = True) -> None:
        """Remove item *name* as the stock registry does; list the items again on next use."""
        self._listed = None
        super().deregister(name, strict)


# Inline patterns ---------------------------------------------------------------------------

PATTERN_FLAGS = re.DOTALL | re.UNICODE
"""Flags :class:`markdown.inlinepatterns.InlineProcessor` compiles every expression with."""

KNOWN_PATTERNS: dict[tuple[type[inlinepatterns.Pattern], str], tuple[str, ...]] = {
    # Every alternative needs a backtick (one of them in a look-ahead, which still reads it).
    (
        inlinepatterns.BacktickInlineProcessor,
        r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)",
    ): ("`",),
    (inlinepatterns.EscapeInlineProcessor, r"\\(.)"): ("\\",),
    (FootnoteInlineProcessor, r"\[\^([^\]]*)\]"): ("[^",),
    (inlinepatterns.ReferenceInlineProcessor, r"(?<!\!)\["): ("[",),
    (inlinepatterns.LinkInlineProcessor, r"(?<!\!)\["): ("[",),
    (inlinepatterns.ImageInlineProcessor, r"\!\["): ("![",),
    (inlinepatterns.ImageReferenceInlineProcessor, r"\!\["): ("![",),
    (inlinepatterns.ShortReferenceInlineProcessor, r"(?<!\!)\["): ("[",),
    (inlinepatterns.ShortImageReferenceInlineProcessor, r"\!\["): ("![",),
    (
        inlinepatterns.AutolinkInlineProcessor,
        r"<([A-Za-z][A-Za-z0-9+.-]*://[^<>]*)>",
    ): ("<",),
    (inlinepatterns.AutomailInlineProcessor, r"<([^<> !]+@[^@<> ]+)>"): ("<",),
    (inlinepatterns.SubstituteTagInlineProcessor, r"  \n"): ("  \n",),
    (
        inlinepatterns.HtmlInlineProcessor,
        r"""(<(\/?+[a-zA-Z][^\s"'<>@]*+(?:\s+[^\s"'=<>]++(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|"""
        r"""[^\s"'=<>]++))?+)*+\s*+/?|!--(?:(?!<!--|-->).)*--|[?](?:(?!<[?]|[?]>).)*[?]|"""
        r"""!\[CDATA\[(?:(?!<!\[CDATA\[|\]\]>).)*\]\])>)""",
    ): ("<",),
    (
        inlinepatterns.HtmlInlineProcessor,
        r"(&(?:\#[0-9]+|\#x[0-9a-fA-F]+|[a-zA-Z0-9]+);)",
    ): ("&",),
}
"""Built-in inline patterns by class and expression: literals one of which a match needs.

Python-Markdown's own patterns (``markdown.inlinepatterns.build_inlinepatterns``)
and the footnotes extension's. The expressions are spelled out rather than
read from the ``*_RE`` constants, so that a release which changes one makes
that pattern unknown (always tried) instead of skipped on a stale analysis.
"""


def required_literals(pattern: inlinepatterns.Pattern) -> tuple[str, ...] | None:
    """The literals one of which must occur in a text for *pattern* to match in it.

    ``None`` when *pattern*'s expression is not one analysed here, so it must
    always be tried.
    """
    compiled = pattern.getCompiledRegExp()
    if compiled.flags != PATTERN_FLAGS:
        return None
    if type(pattern) is inlinepatterns.DelimiterProcessor:
        # Emphasis: one expression matching any of the delimiter tokens (``*``, ``_``).
        tokens = tuple(pattern.tokens)
        if tokens and compiled.pattern == "|".join(re.escape(token) for token in tokens):
            return tokens
        return None
    return KNOWN_PATTERNS.get((type(pattern), compiled.pattern))


# The stock processor's private methods, by their mangled names: the loop over
# the patterns is overridden below, and calls the stock pattern attempt.
_HANDLE_INLINE = "_InlineProcessor__handleInline"
_APPLY_PATTERN = "_InlineProcessor__applyPattern"
_PROCESS_PLACEHOLDERS = "_InlineProcessor__processPlaceholders"
_PLACEHOLDER_PREFIX = "_InlineProcessor__placeholder_prefix"

ApplyPattern = Callable[[inlinepatterns.Pattern, str, int, int], tuple[str, bool, int]]
ProcessPlaceholders = Callable[
    [str | None, etree.Element, bool], list[tuple[etree.Element, list[str]]]
]


class SkippingInlineProcessor(InlineProcessor):
    """Python-Markdown's ``inline`` tree processor, minus pattern attempts that cannot match."""

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self._apply_pattern: ApplyPattern = getattr(self, _APPLY_PATTERN)
        self._stock_placeholders: ProcessPlaceholders = getattr(super(), _PROCESS_PLACEHOLDERS)
        self._placeholder_prefix: str = getattr(self, _PLACEHOLDER_PREFIX)
        self._patterns: list[inlinepatterns.Pattern] = []
        self._literals: list[tuple[str, ...] | None] = []
        self._any_literal: re.Pattern[str] | None = None

    def run(self, tree: etree.Element, ancestors: list[str] | None = None) -> etree.Element:
        """Apply the inline patterns to *tree*, as the stock processor does."""
        # The stub types this registry with the wrong ``InlineProcessor``: it holds patterns.
        self._patterns = list(cast("Iterable[inlinepatterns.Pattern]", self.inlinePatterns))
        self._literals = [required_literals(pattern) for pattern in self._patterns]
        self._any_literal = None
        if all(literals is not None for literals in self._literals):
            # Every pattern is known: a text with none of the literals stays as it is.
            every = sorted({lit for lits in self._literals if lits for lit in lits})
            self._any_literal = re.compile("|".join(map(re.escape, every)) or "(?!)")
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        """Apply the patterns from *patternIndex* on to *data*: the stock loop, plus skipping."""
        if isinstance(data, util.AtomicString):
            return data
        if self._any_literal is not None and self._any_literal.search(data) is None:
            return data
        patterns = self._patterns
        literals = self._literals
        apply_pattern = self._apply_pattern
        start_index = 0
        count = len(patterns)
        while patternIndex < count:
            needed = literals[patternIndex]
            if needed is not None:
                for literal in needed:
                    if literal in data:
                        break
                else:
                    # The pattern cannot match: go on as after a search that found nothing.
                    patternIndex += 1
                    start_index = 0
                    continue
            data, matched, start_index = apply_pattern(
                patterns[patternIndex], data, patternIndex, start_index
            )
            if not matched:
                patternIndex += 1
        return data

    def _InlineProcessor__processPlaceholders(
        self, data: str | None, parent: etree.Element, isText: bool = True
    ) -> list[tuple[etree.Element, list[str]]]:
        """Put *data* back into *parent* as elements and text: the stock step, minus its
        search for placeholders in a text that has none (most of them)."""
        if not data or self._placeholder_prefix in data:
            return self._stock_placeholders(data, parent, isText)
        # What the stock step does with such a text: it adds it to the parent's text
        # (or tail, for a tail) and makes no element.
        text = data[0:]
        if isinstance(data, util.AtomicString):
            text = util.AtomicString(text)
        if isText:
            parent.text = parent.text + text if parent.text else text
        else:
            parent.tail = parent.tail + text if parent.tail else text
        return []


# Block processors --------------------------------------------------------------------------


class _HashHeaderProcessor(blockprocessors.HashHeaderProcessor):
    """``# Heading``: the expression needs ``#``."""

    def test(self, parent: etree.Element, block: str) -> bool:
        return "#" in block and super().test(parent, block)


class _SetextHeaderProcessor(blockprocessors.SetextHeaderProcessor):
    """Underlined heading: the expression needs a line starting with ``=`` or ``-``."""

    def test(self, parent: etree.Element, block: str) -> bool:
        return ("\n=" in block or "\n-" in block) and super().test(parent, block)


class _HRProcessor(blockprocessors.HRProcessor):
    """Horizontal rule: the expression needs ``-``, ``_`` or ``*``."""

    def test(self, parent: etree.Element, block: str) -> bool:
        return ("-" in block or "_" in block or "*" in block) and super().test(parent, block)


class _BlockQuoteProcessor(blockprocessors.BlockQuoteProcessor):
    """Block quote: the expression needs ``>``."""

    def test(self, parent: etree.Element, block: str) -> bool:
        return ">" in block and super().test(parent, block)


class _ReferenceProcessor(blockprocessors.ReferenceProcessor):
    """Link definition: the expression needs ``]:``."""

    def run(self, parent: etree.Element, blocks: list[str]) -> bool | None:
        return "]:" in blocks[0] and super().run(parent, blocks)


BlockProcessorClass = type[blockprocessors.BlockProcessor]

BLOCK_PROCESSORS: dict[str, tuple[BlockProcessorClass, str, BlockProcessorClass]] = {
    "hashheader": (
        blockprocessors.HashHeaderProcessor,
        r"(?:^|\n)(?P<level>#{1,6})(?P<header>(?:\\.|[^\\#]|#+(?=[^#\n]))*?)#*(?:\n|$)",
        _HashHeaderProcessor,
    ),
    "setextheader": (
        blockprocessors.SetextHeaderProcessor,
        r"^.*?\n(?:=+|-+)[ ]*(\n|$)",
        _SetextHeaderProcessor,
    ),
    "hr": (
        blockprocessors.HRProcessor,
        r"^[ ]{0,3}(?=(?P<atomicgroup>(-+[ ]{0,2}){3,}|(_+[ ]{0,2}){3,}|(\*+[ ]{0,2}){3,}))"
        r"(?P=atomicgroup)[ ]*$",
        _HRProcessor,
    ),
    "quote": (
        blockprocessors.BlockQuoteProcessor,
        r"(^|\n)[ ]{0,3}>[ ]?(.*)",
        _BlockQuoteProcessor,
    ),
    "reference": (
        blockprocessors.ReferenceProcessor,
        r"^[ ]{0,3}\[([^\[\]]*)\]:[ ]*(?:\n[ ]*)?([^\s]+)[ ]*(?:\n[ ]*)?"
        r"""((["\'])(.*)\4[ ]*|\((.*)\)[ ]*)?$""",
        _ReferenceProcessor,
    ),
}
"""Core block processors by registry name: the stock class, the expression its
test (for ``reference``: its ``run``) searches with, and the replacement class
that first checks for a literal that expression needs."""


def _replace_block_processors(parser: BlockParser) -> None:
    registry = parser.blockprocessors
    for name, (stock, expression, replacement) in BLOCK_PROCESSORS.items():
        if name not in registry:
            continue
        processor = registry[name]
        compiled = getattr(processor, "SEARCH_RE", getattr(processor, "RE", None))
        if (
            type(processor) is stock
            and isinstance(compiled, re.Pattern)
            and compiled.pattern == expression
        ):
            replace_registered(registry, name, replacement(parser))


class _TableProcessor(TableProcessor):
    """Table: a header row of more than one cell, or a bordered one, needs ``|``."""

    def test(self, parent: etree.Element, block: str) -> bool:
        return "|" in block and super().test(parent, block)


class _FootnoteBlockProcessor(FootnoteBlockProcessor):
    """Footnote definition: the expression needs ``[^``."""

    def run(self, parent: etree.Element, blocks: list[str]) -> bool | None:
        return "[^" in blocks[0] and super().run(parent, blocks)


_FOOTNOTE_DEFINITION = r"^[ ]{0,3}\[\^([^\]]*)\]:[ ]*(.*)$"
"""The expression the stock footnote-definition processor searches with."""


# Preprocessors -----------------------------------------------------------------------------


class _NormalizeWhitespace(preprocessors.NormalizeWhitespace):
    """``normalize_whitespace``, skipping each replacement that has nothing to replace."""

    def run(self, lines: list[str]) -> list[str]:
        """Normalize the text's line ends, tabs and blank lines, as the stock step does."""
        source = "\n".join(lines)
        if util.STX in source or util.ETX in source:
            source = source.replace(util.STX, "").replace(util.ETX, "")
        if "\r" in source:
            source = source.replace("\r\n", "\n").replace("\r", "\n")
        source += "\n\n"
        if "\t" in source:
            source = source.expandtabs(self.md.tab_length)
        if " \n" in source:
            source = _SPACES_LINE.sub("\n", source)
        return source.split("\n")


_SPACES_LINE = re.compile(r"(?<=\n) +\n")
"""A line of spaces only: the stock step's expression, which needs ``" \\n"``."""


class _HtmlBlockPreprocessor(preprocessors.HtmlBlockPreprocessor):
    """``html_block``, passing text without ``<`` and ``&`` through unparsed.

    The stock step feeds the text to an HTML parser, which reports everything
    between tags, entities and character references as data, kept as it is;
    a text with neither ``<`` nor ``&`` has none of them.
    """

    def run(self, lines: list[str]) -> list[str]:
        """Stash the raw HTML blocks of the text, if it can have any."""
        source = "\n".join(lines)
        if "<" in source or "&" in source:
            return super().run(lines)
        return source.split("\n")


class _FencedBlockPreprocessor(FencedBlockPreprocessor):
    """``fenced_code_block``, passing text without a fence through unsearched.

    The stock step's expression needs an opening fence, three or more ``~``
    or backticks; a text with neither ``~~~`` nor three backticks has none.
    The stock step then gives the text back split into lines, as here. (Which
    other extensions it works with, it looks up on its first search: it
    reads that only for a block it found.)
    """

    def run(self, lines: list[str]) -> list[str]:
        """Stash the fenced code blocks of the text, if it can have any."""
        source = "\n".join(lines)
        if "```" in source or "~~~" in source:
            return super().run(lines)
        return source.split("\n")


_FENCED_BLOCK = dedent(r"""
    (?P<fence>^(?:~{3,}|`{3,}))[ ]*                          # opening fence
    ((\{(?P<attrs>[^\n]*)\})|                                # (optional {attrs} or
    (\.?(?P<lang>[\w#.+-]*)[ ]*)?                            # optional (.)lang
    (hl_lines=(?P<quot>"|')(?P<hl_lines>.*?)(?P=quot)[ ]*)?) # optional hl_lines)
    \n                                                       # newline (end of opening fence)
    (?P<code>.*?)(?<=\n)                                     # the code block
    (?P=fence)[ ]*$                                          # closing fence
""")
"""The expression the stock fenced-code step searches with (Python-Markdown 3.6 to 3.11)."""


PREPROCESSORS: dict[str, tuple[type, type]] = {
    "normalize_whitespace": (preprocessors.NormalizeWhitespace, _NormalizeWhitespace),
    "html_block": (preprocessors.HtmlBlockPreprocessor, _HtmlBlockPreprocessor),
}
"""Core preprocessors by registry name: the stock class and its replacement."""


# Tree processors ---------------------------------------------------------------------------


class _PrettifyTreeprocessor(treeprocessors.PrettifyTreeprocessor):
    """``prettify``, asking whether a tag is block-level once per tag and page."""

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self._block_level: dict[object, bool] = {}
        """``Markdown.is_block_level`` of each tag seen in this run."""

    def run(self, root: etree.Element) -> None:
        """Add line breaks to *root* and its children, as the stock step does."""
        self._block_level = {}
        super().run(root)

    def _is_block_level(self, tag: object) -> bool:
        found = self._block_level.get(tag)
        if found is None:
            found = self._block_level[tag] = self.md.is_block_level(tag)
        return found

    def _prettifyETree(self, elem: etree.Element) -> None:
        """The stock recursion, with the block-level answers remembered."""
        if self._is_block_level(elem.tag) and elem.tag not in ("code", "pre"):
            text = elem.text
            if (not text or not text.strip()) and len(elem) and self._is_block_level(elem[0].tag):
                elem.text = "\n"
            for child in elem:
                if self._is_block_level(child.tag):
                    self._prettifyETree(child)
        if not elem.tail or not elem.tail.strip():
            elem.tail = "\n"


class _UnescapeTreeprocessor(treeprocessors.UnescapeTreeprocessor):
    """``unescape``, skipping texts without an escaped character's placeholder.

    The stock step substitutes each text, tail and attribute value: one without
    the placeholder's ``STX`` comes back equal, as a plain ``str`` (so a text
    of a ``str`` subclass, such as an ``AtomicString``, is still substituted).
    """

    def run(self, root: etree.Element) -> None:
        """Restore the escaped characters in *root*, as the stock step does."""
        unescape = self.unescape
        for elem in root.iter():
            text = elem.text
            if text and elem.tag != "code" and _may_hold_escapes(text):
                elem.text = unescape(text)
            tail = elem.tail
            if tail and _may_hold_escapes(tail):
                elem.tail = unescape(tail)
            for key, value in elem.items():
                if value is not None and _may_hold_escapes(value):
                    elem.set(key, unescape(value))


def _may_hold_escapes(text: str) -> bool:
    return util.STX in text or type(text) is not str


TREEPROCESSORS: dict[str, tuple[type, type]] = {
    "prettify": (treeprocessors.PrettifyTreeprocessor, _PrettifyTreeprocessor),
    "unescape": (treeprocessors.UnescapeTreeprocessor, _UnescapeTreeprocessor),
}
"""Core tree processors by registry name: the stock class and its replacement."""


# Extension tree processors -------------------------------------------------------------------


class QuickTocTreeprocessor(TocTreeprocessor):
    """The ``toc`` tree processor, minus the work plain headings do not need.

    For each heading the stock step serializes the heading, unescapes the
    HTML, runs every postprocessor over it and strips the tags again, to get
    its inner HTML and its name. A *plain* heading has no child elements and
    a text without ``&``, ``<``, ``>`` or a placeholder's ``STX``/``ETX``: the
    serializer escapes nothing in it, and each of the stock postprocessors
    (:data:`_PLACEHOLDER_POSTPROCESSORS`) replaces only placeholders, which
    start with ``STX``. Its inner HTML is then its text, stripped, and its
    name that text with its runs of white space made single spaces, which is
    what the stock step computes. A page whose headings are all plain is done
    that way; any other page, or any pipeline with another postprocessor or
    serializer, or anchors or permalinks turned on, runs the stock step. The
    rest (ids, levels, the nested tokens, the ``div`` and its serialization)
    is the stock code, called as the stock step calls it; Python-Markdown 3.6
    to 3.11 compute these the same way for plain headings.
    """

    def run(self, doc: etree.Element) -> None:
        """Add ids to the headings in *doc*, and set ``md.toc`` and ``md.toc_tokens``."""
        # One walk finds the headings and the ids already used (the stock step walks twice).
        headings: list[etree.Element] = []
        used_ids: set[str] = set()
        for element in doc.iter():
            if "id" in element.attrib:
                used_ids.add(element.attrib["id"])
            if isinstance(element.tag, str) and self.header_rgx.match(element.tag):
                headings.append(element)
        if not self._all_plain(headings):
            super().run(doc)
            return
        # Python-Markdown's tokens: its type stub leaves out the 'html' and 'data-toc-label'.
        tokens: list[Any] = []
        for heading in headings:
            self.set_level(heading)
            inner_html = (heading.text or "").strip()
            name = " ".join(inner_html.split())
            if "id" not in heading.attrib:
                heading.attrib["id"] = toc.unique(self.slugify(name, self.sep), used_ids)
            level = int(heading.tag[-1])
            if self.toc_top <= level <= self.toc_bottom:
                tokens.append(
                    {
                        "level": level,
                        "id": heading.attrib["id"],
                        "name": name,
                        "html": inner_html,
                        "data-toc-label": "",
                    }
                )
        nested = toc.nest_toc_tokens(tokens)
        div = self.build_toc_div(nested)
        if self.marker:
            self.replace_marker(doc, div)
        html = self.md.serializer(div)
        for postprocessor in self.md.postprocessors:
            html = postprocessor.run(html)
        self.md.toc_tokens = nested  # type: ignore[attr-defined]
        self.md.toc = html  # type: ignore[attr-defined]

    def _all_plain(self, headings: list[etree.Element]) -> bool:
        """True when every heading is plain and the pipeline is the stock one (above)."""
        if self.use_anchors or self.use_permalinks not in (False, None):
            return False
        if self.md.serializer is not to_html_string or not all(
            type(postprocessor) in _PLACEHOLDER_POSTPROCESSORS
            for postprocessor in self.md.postprocessors
        ):
            return False
        for heading in headings:
            if len(heading) or "data-toc-label" in heading.attrib:
                return False
            if _NOT_PLAIN.search(heading.text or ""):
                return False
            ident = heading.get("id", "")
            if not isinstance(ident, str) or util.STX in ident:
                return False
        return True

    def replace_marker(self, root: etree.Element, elem: etree.Element) -> None:
        """Replace the ``[TOC]`` paragraph with *elem*, if the page has one."""
        marker = self.marker
        for element in root.iter():
            text = element.text
            if text and len(element) == 0 and text.strip() == marker:
                super().replace_marker(root, elem)
                return


_NOT_PLAIN = re.compile(f"[&<>{util.STX}{util.ETX}]")
"""What makes a heading's text other than plain: a character the serializer escapes
(``&`` only outside an entity, but any ``&`` is enough to take the stock way), or a
placeholder's delimiter."""

_PLACEHOLDER_POSTPROCESSORS = (
    postprocessors.RawHtmlPostprocessor,
    postprocessors.AndSubstitutePostprocessor,
    FootnotePostprocessor,
)
"""Stock postprocessors that replace only placeholders, all of which start with ``STX``."""


class BraceCheckingAttrListTreeprocessor(AttrListTreeprocessor):
    """The ``attr_list`` tree processor, minus the search on pages without ``{``."""

    def run(self, doc: etree.Element) -> None:
        """Apply the ``{: …}`` lists in *doc*, if any text or tail has a ``{``."""
        for element in doc.iter():
            text, tail = element.text, element.tail
            if (text and "{" in text) or (tail and "{" in tail):
                super().run(doc)
                return


# Extensions --------------------------------------------------------------------------------


class FastCoreExtension(Extension):
    """Swaps Python-Markdown's core pre-, block and tree processors for the ones above,
    and the block parser's registry for a :class:`ListedRegistry`.

    List it before every other extension: a replacement keeps its stock
    processor's place among equal priorities only while it is the last of
    them, as the stock ones are before any extension registers.
    """

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        """Replace the stock processors that are still there and analysed here."""
        tree = md.treeprocessors
        if (
            "inline" in tree
            and type(tree["inline"]) is InlineProcessor
            and hasattr(InlineProcessor, _HANDLE_INLINE)
            and hasattr(InlineProcessor, _APPLY_PATTERN)
            and hasattr(InlineProcessor, _PROCESS_PLACEHOLDERS)
            and isinstance(getattr(tree["inline"], _PLACEHOLDER_PREFIX, None), str)
        ):
            replace_registered(tree, "inline", SkippingInlineProcessor(md))
        _replace_block_processors(md.parser)
        listed = ListedRegistry.copy_of(md.parser.blockprocessors)
        if listed is not None:
            md.parser.blockprocessors = listed
        for registry, replacements in ((md.preprocessors, PREPROCESSORS), (tree, TREEPROCESSORS)):
            for name, (stock, replacement) in replacements.items():
                if name in registry and type(registry[name]) is stock:
                    replace_registered(registry, name, replacement(md))


class FastTableExtension(TableExtension):
    """``markdown.extensions.tables``, testing blocks for ``|`` first."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        """Register the extension, then swap in the checking table processor."""
        super().extendMarkdown(md)
        processor = _TableProcessor(md.parser, self.getConfigs())
        replace_registered(md.parser.blockprocessors, "table", processor)


class FastAttrListExtension(AttrListExtension):
    """``markdown.extensions.attr_list``, skipping pages without ``{``."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        """Register the extension, then swap in the checking tree processor."""
        super().extendMarkdown(md)
        processor = BraceCheckingAttrListTreeprocessor(md)
        replace_registered(md.treeprocessors, "attr_list", processor)


class FastFootnoteExtension(FootnoteExtension):
    """``markdown.extensions.footnotes``, testing blocks for ``[^`` first."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        """Register the extension, then swap in the checking definition processor."""
        super().extendMarkdown(md)
        registry = md.parser.blockprocessors
        stock = registry["footnote"]
        if type(stock) is FootnoteBlockProcessor and stock.RE.pattern == _FOOTNOTE_DEFINITION:
            replace_registered(registry, "footnote", _FootnoteBlockProcessor(self))


class FastFencedCodeExtension(FencedCodeExtension):
    """``markdown.extensions.fenced_code``, searching only texts with a fence."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        """Register the extension, then swap in the checking preprocessor."""
        super().extendMarkdown(md)
        stock = md.preprocessors["fenced_code_block"]
        searches = stock.FENCED_BLOCK_RE.pattern if type(stock) is FencedBlockPreprocessor else None
        if searches == _FENCED_BLOCK:
            processor = _FencedBlockPreprocessor(md, self.getConfigs())
            replace_registered(md.preprocessors, "fenced_code_block", processor)


class FastTocExtension(TocExtension):
    """``markdown.extensions.toc``, with plain headings done quickly (see
    :class:`QuickTocTreeprocessor`)."""

    TreeProcessorClass = QuickTocTreeprocessor


FAST_EXTENSIONS: dict[str, Callable[..., Extension]] = {
    "markdown.extensions.tables": FastTableExtension,
    "markdown.extensions.attr_list": FastAttrListExtension,
    "markdown.extensions.footnotes": FastFootnoteExtension,
    "markdown.extensions.toc": FastTocExtension,
    "markdown.extensions.fenced_code": FastFencedCodeExtension,
}
"""Drop-in classes for Python-Markdown extensions, by the name they are loaded with."""
