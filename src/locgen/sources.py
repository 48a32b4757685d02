"""Read the content folder: Markdown translations with front matter, and static files."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import posixpath
import re
import time
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from locgen.config import LOCALE_TAG, SiteConfig, load_config
from locgen.containment import PathEscape, contained, link_target
from locgen.digests import digest_bytes
from locgen.errors import ContentError, LocgenError
from locgen.fences import prose_lines
from locgen.forking import BegunMap, begin_map, map_in_two, may_fork
from locgen.textfiles import (
    MAX_MARKDOWN_NESTING,
    MAX_YAML_DEPTH,
    MAX_YAML_NODES,
    decode_utf8,
    read_limited,
)

# Front matter fields locgen itself reads, with the type each must have.
_FIELD_TYPES: dict[str, tuple[type, ...]] = {
    "title": (str,),
    "description": (str,),
    "slug": (str,),
    "draft": (bool,),
    "template": (str,),
    "weight": (int,),
    "menu": (str,),
    "image": (str,),
    "source_hash": (str,),
    "toc": (bool,),
    "max_angles": (int,),
    "category": (str,),
    "greeting": (bool,),
}
LOCGEN_FIELDS = frozenset({*_FIELD_TYPES, "date", "send_date", "tags", "image_tags"})
"""Front-matter keys locgen reads itself; every other key is free text and data for templates."""
SIDECAR_SUFFIX = ".yaml"
"""A file ``<asset>.yaml`` next to an asset holds that asset's metadata (image tags)."""
_SLUG_FORBIDDEN = re.compile(r"[/\\\x00-\x1f\x7f?#%]")
_YAML_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""LibYAML's safe loader where PyYAML was built with it (ten times faster), else PyYAML's own."""

SETTLED_NS = 2_000_000_000
"""How long a file must have been left alone when it is read for its status to vouch
for its contents later (:func:`settled_status`): a file changed again within the same
tick of the file system's clock can keep its status, but not once it has settled."""

FileStatus = tuple[int, int, int, int, int]
"""``(device, inode, size, modification time, change time)`` of a file, times in ns."""


def settled_status(path: Path) -> FileStatus | None:
    """The status of the file at *path*, if it has been left alone for :data:`SETTLED_NS`.

    Any write to a file changes its change time, which no program can set back, so
    while a settled file's status stays the same, so do its contents (the build
    cache then need not read it to know it, as ``git status`` does not). ``None``
    for a file changed too recently to tell, or one that cannot be read, and on
    Windows, where the status holds the file's creation time instead.
    """
    if os.name == "nt":
        return None
    try:
        stat = os.stat(path)
    except OSError:
        return None
    if stat.st_ctime_ns > time.time_ns() - SETTLED_NS:
        return None
    return (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


@dataclass(frozen=True)
class UnreadBody:
    """The body of a content file the build cache knows to be unchanged, read from
    the file when it is first needed (most builds need few of them)."""

    path: Path
    length: int
    """The body's length in characters (:func:`body_text`)."""
    content_hash: str
    """The file's digest when it was parsed, checked again when it is read."""
    mentions_locgen: bool
    """:attr:`SourceFile.mentions_locgen` of the body."""

    def read(self) -> str:
        """The body, from the file; one changed since it was parsed is a :class:`ContentError`."""
        text = self.read_if_unchanged()
        if text is None:
            raise ContentError(
                "the file changed while the build was reading the content",
                path=self.path,
                hint="run the build again",
            )
        return text

    def read_if_unchanged(self) -> str | None:
        """The body, from the file, if its bytes are those it was parsed from, else ``None``.

        A file that cannot be read is a :class:`ContentError`.
        """
        raw = read_limited(self.path, ContentError)
        if digest_bytes(raw) != self.content_hash:
            return None
        return body_text(raw, self.path, self.length)


class _Body:
    """The ``body`` field of :class:`SourceFile`: its text, read on first use when it
    was given as an :class:`UnreadBody`."""

    def __get__(self, source: SourceFile | None, owner: type | None = None) -> str:
        if source is None:
            raise AttributeError("body")  # the field has no default value
        body = source.__dict__["_body"]
        if isinstance(body, UnreadBody):
            body = source.__dict__["_body"] = body.read()
        return body  # type: ignore[no-any-return]

    def __set__(self, source: SourceFile, value: str | UnreadBody) -> None:
        source.__dict__["_body"] = value


@dataclass(frozen=True)
class SourceFile:
    """One Markdown file: a page in one locale, before rendering."""

    path: Path
    """Absolute path of the file."""
    rel_path: str
    """Path relative to ``content/``, with ``/`` separators."""
    key: str
    """Translation-group key: the path without locale suffix and ``.md``
    (``product/pricing``; ``index`` for the home page; ``support/index`` for
    a section landing)."""
    locale: str
    """Configured locale tag this file is written in."""
    meta: dict[str, Any]
    """Front matter (an empty dict when the file has none)."""
    meta_lines: dict[str, int]
    """1-based line in the file of each top-level front-matter key."""
    # The descriptor raises AttributeError on the class, so the field has no default;
    # mypy takes it for one, hence the two ignores below.
    body: _Body = _Body()
    """Markdown after the front matter, with ``\\n`` line ends (given as text, or as an
    :class:`UnreadBody` that the file gives on first use)."""
    body_line: int  # type: ignore[misc]
    """Line of the file on which ``body`` starts."""
    digest: str  # type: ignore[misc]
    """Short hash of the normalized file text, for outdated-translation checks."""
    content_hash: str = ""
    """Full hash of the file's bytes, for the build cache."""
    file_status: FileStatus | None = field(default=None, compare=False, repr=False)
    """The file's status just before it was read, if it had settled (:func:`settled_status`)."""

    @property
    def mentions_locgen(self) -> bool:
        """True when the body holds ``locgen-``, as every suppression comment does
        (known without reading a body that is still unread)."""
        body = self.__dict__["_body"]
        return body.mentions_locgen if isinstance(body, UnreadBody) else "locgen-" in body

    @property
    def section(self) -> str:
        """Folder of the page within ``content/`` (``""`` at the top)."""
        return posixpath.dirname(self.key)

    @property
    def name(self) -> str:
        """File name without locale suffix and extension."""
        return posixpath.basename(self.key)

    @property
    def is_index(self) -> bool:
        """True for ``index.<locale>.md``: a home or section landing page."""
        return self.name == "index"

    @property
    def is_draft(self) -> bool:
        """True when front matter says ``draft: true``."""
        return bool(self.meta.get("draft", False))

    def body_line_of(self, needle: str) -> int | None:
        """Line of the first body line containing *needle*, or ``None``."""
        for offset, line in enumerate(self.body.split("\n")):
            if needle in line:
                return self.body_line + offset
        return None

    def line_of(self, key: str) -> int | None:
        """Return the line of front-matter *key*, if present."""
        return self.meta_lines.get(key)

    def error(
        self,
        message: str,
        *,
        key: str | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> ContentError:
        """Build a :class:`ContentError` located at *key* or *line* of this file."""
        where = line if line is not None else (self.line_of(key) if key else None)
        return ContentError(message, path=self.path, line=where, hint=hint)


@dataclass(frozen=True)
class ContentTree:
    """Everything found under ``content/``."""

    sources: tuple[SourceFile, ...]
    """Markdown files, sorted by path."""
    assets: tuple[str, ...] = field(default_factory=tuple)
    """Other files (images, PDFs), relative to ``content/``, sorted; copied to the output."""
    sidecars: tuple[str, ...] = field(default_factory=tuple)
    """Metadata files ``<asset>.yaml`` (image tags); read, never published."""

    @functools.cached_property
    def positions(self) -> dict[Path, int]:
        """The place of each Markdown file in :attr:`sources`, by path."""
        return {source.path: number for number, source in enumerate(self.sources)}

    def with_edited(self, edited: Mapping[Path, SourceFile]) -> ContentTree:
        """A copy with the files at some paths of :attr:`sources` replaced (read again)."""
        sources = list(self.sources)
        for path, source in edited.items():
            sources[self.positions[path]] = source
        tree = replace(self, sources=tuple(sources))
        tree.__dict__["positions"] = self.positions  # the same paths in the same places
        return tree


def is_sidecar(rel: str, files: set[str]) -> bool:
    """True when *rel* is the metadata sidecar of another file under ``content/``."""
    return rel.endswith(SIDECAR_SUFFIX) and rel[: -len(SIDECAR_SUFFIX)] in files


def text_digest(text: str) -> str:
    """Return the short content hash recorded in ``source_hash``."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


PARALLEL_READ_MIN_FILES = 256
"""Fewer content files to read than this are read in one process: a copy of the
process to share them with would cost more than it saves."""

READ_CHUNK = 8
"""Content files that the reading processes take at a time."""


@dataclass
class ReadAhead:
    """The content pages that a copy of this process began reading before the build
    asked for them (:func:`read_ahead`)."""

    pages: list[tuple[str, Path]]
    """The pages being read, as :func:`read_content` lists them."""
    settings: tuple[str, tuple[str, ...]]
    """What reading a page takes from the configuration (:func:`_read_settings`)."""
    reading: BegunMap[tuple[str, Path], SourceFile]
    """The copy's reading of :attr:`pages`, which :func:`read_content` joins."""

    def stop(self) -> None:
        """End the copy, if it still reads."""
        self.reading.stop()


def read_ahead(root: Path, *, cache: bool) -> ReadAhead | None:
    """Start reading the content pages of the site at *root* in a copy of this process,
    which this process joins when the build reaches :func:`read_content`.

    A command calls this first, so that the pages are read while this process
    loads the rest of locgen, its plugins and its cultures. ``None`` when there
    is nothing to gain: a *cache* folder is there (its pages are taken from it,
    not read), the site is small, or the configuration or the content folder
    cannot be read (the build reports that, in its place).
    """
    try:
        config = load_config(root)
        if (cache and config.cache_dir.is_dir()) or not config.content_dir.is_dir():
            return None
        pages, _, _ = _content_files(config)
    except LocgenError:
        return None
    if len(pages) < PARALLEL_READ_MIN_FILES or not may_fork():
        return None
    return ReadAhead(
        pages,
        _read_settings(config),
        begin_map(_page_reader(config), pages, chunk=READ_CHUNK),
    )


def read_content(
    config: SiteConfig,
    reuse: Callable[[Path], SourceFile | None] | None = None,
    ahead: ReadAhead | None = None,
) -> ContentTree:
    """Discover and parse every file under the site's ``content/`` folder.

    Many files to read are shared out between this process and a copy of it
    (:func:`~locgen.forking.map_in_two`), or with the copy that *ahead* started
    if it reads the same pages the same way; a file that cannot be read stops
    the build with its error, as in one process.

    :param reuse: returns the already parsed file at a path that has not
        changed since (the build cache, the dev server), or ``None`` to read it.
    """
    try:
        content_dir = config.content_dir
        if not content_dir.is_dir():
            raise ContentError(
                "the content folder is missing",
                path=content_dir,
                hint=f"create content/index.{config.default_locale}.md",
            )
        pages, assets, sidecars = _content_files(config)
        reused = [reuse(path) if reuse is not None else None for _, path in pages]
        unread = [page for page, source in zip(pages, reused, strict=True) if source is None]
        if ahead is not None and (ahead.pages, ahead.settings) == (unread, _read_settings(config)):
            read = iter(ahead.reading.results())
        else:
            read = iter(
                map_in_two(
                    _page_reader(config),
                    unread,
                    min_items=PARALLEL_READ_MIN_FILES,
                    chunk=READ_CHUNK,
                )
            )
    finally:
        if ahead is not None:
            ahead.stop()  # it read other pages, or this failed; after its results, nothing
    sources: list[SourceFile] = []
    seen: dict[tuple[str, str], Path] = {}
    for (_, path), source in zip(pages, reused, strict=True):
        if source is None:
            source = next(read)
        other = seen.get((source.key, source.locale))
        if other is not None:
            raise ContentError(
                f"two files translate {source.key!r} into {source.locale}: "
                f"{other.name} and {path.name}",
                path=path,
                hint="keep one file per page and locale",
            )
        seen[(source.key, source.locale)] = path
        sources.append(source)
    if not sources:
        raise ContentError(
            "the content folder has no Markdown pages",
            path=content_dir,
            hint=f"add content/index.{config.default_locale}.md",
        )
    return ContentTree(sources=tuple(sources), assets=tuple(assets), sidecars=tuple(sidecars))


def _content_files(
    config: SiteConfig,
) -> tuple[list[tuple[str, Path]], list[str], list[str]]:
    """The content folder's pages (``(relative path, path)``), other files and sidecars."""
    files = _walk(config.content_dir, config)
    all_files = {rel for rel, _ in files}
    pages: list[tuple[str, Path]] = []
    assets: list[str] = []
    sidecars: list[str] = []
    for rel, path in files:
        if is_sidecar(rel, all_files):
            sidecars.append(rel)
        elif rel.endswith(".md"):
            pages.append((rel, path))
        else:
            assets.append(rel)
    return pages, assets, sidecars


def _read_settings(config: SiteConfig) -> tuple[str, tuple[str, ...]]:
    """What :func:`read_source` takes from *config*: its default locale and its locales."""
    return config.default_locale, tuple(config.locales)


def _page_reader(config: SiteConfig) -> Callable[[tuple[str, Path]], SourceFile]:
    """:func:`read_source` for a ``(relative path, path)`` page of :func:`_content_files`."""
    by_lower = {tag.lower(): tag for tag in config.locales}
    return lambda page: read_source(page[1], page[0], by_lower, config)


def read_again(source: SourceFile, config: SiteConfig) -> SourceFile:
    """Read a content file again after it was edited in place."""
    by_lower = {tag.lower(): tag for tag in config.locales}
    return read_source(source.path, source.rel_path, by_lower, config)


def _walk(root: Path, config: SiteConfig) -> list[tuple[str, Path]]:
    """Every file under *root* as ``(path relative to root with / separators, path)``,
    sorted by relative path; hidden files and folders (.git, editor swap files) left out.

    A symlink (to a file or a folder) is followed when it leads inside the site
    folder or the content folder, and not into the output or cache folder; any
    other symlink, a name that is not a safe path, or a folder that a link makes
    contain itself is a :class:`ContentError` naming it.
    """
    allowed = (config.root.resolve(), root.resolve())
    refused = (config.output_dir.resolve(), config.cache_dir.resolve())
    found: list[tuple[str, Path]] = []

    def visit(folder: Path, prefix: str, above: frozenset[Path]) -> None:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except (FileNotFoundError, NotADirectoryError):
            return  # removed or replaced since its parent was listed: it holds nothing now
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = folder / entry.name
            rel = prefix + entry.name
            try:
                contained(rel)
            except PathEscape as exc:
                raise ContentError(
                    f"the name of content/{rel} cannot be a path on the site: {exc}",
                    path=path,
                    hint="rename it with letters, digits, dashes and dots only",
                ) from None
            real = _link_target(path, rel, allowed, refused) if entry.is_symlink() else None
            if real is not None and real.is_file():
                found.append((rel, path))
            elif entry.is_dir():
                real = real or Path(os.path.realpath(path))
                if real in above:
                    raise ContentError(
                        f"symlink loop: this folder is {real}, which holds it",
                        path=path,
                        hint="remove the symlink that points at a folder above itself",
                    )
                visit(path, rel + "/", above | {real})
            elif entry.is_file():
                found.append((rel, path))

    visit(root, "", frozenset({root.resolve()}))
    found.sort(key=lambda item: item[0])
    return found


def _link_target(
    link: Path, rel: str, allowed: tuple[Path, ...], refused: tuple[Path, ...]
) -> Path:
    """Where the symlink ``content/<rel>`` leads; one that leads out is a :class:`ContentError`."""
    try:
        return link_target(link, allowed, refused)
    except PathEscape as exc:
        raise ContentError(
            f"symlink content/{rel} is not followed: {exc}",
            path=link,
            hint="remove the link or replace it with a copy of what it points to; "
            "links may point only inside the site folder, not into the output or cache folder",
        ) from None


def read_source(path: Path, rel: str, by_lower: dict[str, str], config: SiteConfig) -> SourceFile:
    """Read one Markdown file and split it into front matter and body."""
    stem = path.name[: -len(".md")]
    name, dot, suffix = stem.rpartition(".")
    if not dot or not name:
        raise ContentError(
            "file name has no locale suffix",
            path=path,
            hint=f"name it {stem}.{config.default_locale}.md",
        )
    tag = by_lower.get(suffix.lower())
    if tag is None:
        if LOCALE_TAG.fullmatch(suffix):
            raise ContentError(
                f"locale {suffix!r} is not one of the site's locales",
                path=path,
                hint=f"add {suffix!r} to [site].locales in locgen.toml, or rename the file "
                f"to one of: {', '.join(config.locales)}",
            )
        raise ContentError(
            "file name has no locale suffix",
            path=path,
            hint=f"name it {stem}.{config.default_locale}.md",
        )
    status = settled_status(path)  # before reading: a later change changes it
    raw = read_limited(path, ContentError)
    text = decode_text(raw, path)
    meta, meta_lines, body, body_line = split_front_matter(text, path)
    check_nesting(body, path, body_line)
    # macOS may hand out file names decomposed (NFD: "U" + U+0308 for "Ü"); keys,
    # and so URLs and output paths, are composed (NFC) whatever the file system says.
    rel = unicodedata.normalize("NFC", rel)
    key = unicodedata.normalize("NFC", PurePosixPath(rel).parent.joinpath(name).as_posix())
    if key.startswith("./"):
        key = key[2:]
    source = SourceFile(
        path=path,
        rel_path=rel,
        key=key,
        locale=tag,
        meta=meta,
        meta_lines=meta_lines,
        body=body,
        body_line=body_line,
        digest=text_digest(text),
        content_hash=digest_bytes(raw),
        file_status=status,
    )
    return _check_fields(source)


def body_text(raw: bytes, path: Path, length: int) -> str:
    """The body of the content file whose bytes are *raw*, given its *length* in characters.

    The body is the end of the file's text (:func:`split_front_matter`), so a
    file read again needs only its body's length, not its front matter parsed.
    """
    text = decode_text(raw, path)
    return text[len(text) - length :] if length else ""


def decode_text(raw: bytes, path: Path) -> str:
    """Decode a content file; bytes that are not UTF-8 are a located :class:`ContentError`."""
    return decode_utf8(raw, path, ContentError)


def split_front_matter(text: str, path: Path) -> tuple[dict[str, Any], dict[str, int], str, int]:
    """Return ``(meta, key lines, body, body start line)`` for a page's *text*."""
    if not (text.startswith("---\n") or text == "---"):
        return {}, {}, text, 1
    lines = text.split("\n")
    end = None
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            end = index
            break
    if end is None:
        raise ContentError(
            "front matter is not closed",
            path=path,
            line=1,
            hint="end the front matter with a line containing only ---",
        )
    yaml_text = "\n".join(lines[1:end])
    meta, meta_lines = parse_yaml_mapping(yaml_text, path, first_line=2)
    body = "\n".join(lines[end + 1 :])
    return meta, meta_lines, body, end + 2


_CONTAINER = re.compile(r"[ \t]*(?:(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)|>[ \t]?)")
"""One list marker or block-quote marker at the start of what is left of a line."""
_LONG_PREFIX = re.compile(rf"[ \t>*+\-0-9.)]{{{MAX_MARKDOWN_NESTING + 1}}}")
"""More characters in a row than the nesting limit of those that markers and
indentation are made of (:data:`_CONTAINER`), matched at the start of a line."""
_LONG_PREFIX_AFTER_LINE_END = re.compile("\n" + _LONG_PREFIX.pattern)
"""The same after a line end (a search for it is many times quicker than one with ``^``)."""
_BRACKET = re.compile(r"(?<!\\)[\[\]]")
"""A square bracket that is not escaped."""


def check_nesting(body: str, path: Path, first_line: int) -> None:
    """Refuse Markdown nested deeper than :data:`MAX_MARKDOWN_NESTING` levels.

    A line's depth counts its list and quote markers and its indentation (four
    columns a level): at least as deep as Python-Markdown can nest it. Fenced
    code is not Markdown and is not counted.
    """
    # Each level takes at least one character of a line's markers and indentation, so
    # only a line that starts with more of them than the limit can nest deeper; and
    # only a page with that many brackets can nest them that deep. Most pages skip
    # the rest.
    long_prefix = _LONG_PREFIX.match(body) or _LONG_PREFIX_AFTER_LINE_END.search(body)
    if not long_prefix and body.count("[") <= MAX_MARKDOWN_NESTING:
        return
    lines = body.split("\n")
    brackets = 0  # "[" not yet closed in the paragraph so far
    for index, is_prose in prose_lines(lines):
        line = lines[index]
        if not is_prose or not line.strip():
            brackets = 0
            continue
        if len(line) > MAX_MARKDOWN_NESTING and _nesting_depth(line) > MAX_MARKDOWN_NESTING:
            raise ContentError(
                f"lists or quotes are nested more than {MAX_MARKDOWN_NESTING} levels deep",
                path=path,
                line=first_line + index,
                hint="flatten the nesting; no reader can follow that many levels",
            )
        # Python-Markdown looks for the "]" of every "[" from the "[" onwards, so
        # brackets nested (or left open) by the thousand take it minutes to read.
        for char in _BRACKET.findall(line):
            brackets = brackets + 1 if char == "[" else max(0, brackets - 1)
            if brackets > MAX_MARKDOWN_NESTING:
                raise ContentError(
                    f"more than {MAX_MARKDOWN_NESTING} brackets [ are open at once",
                    path=path,
                    line=first_line + index,
                    hint="close each [ with ], or write a literal one as \\[",
                )


def _nesting_depth(line: str) -> int:
    """Levels of nesting of *line*: container markers, and indentation in front of them."""
    depth = 0
    position = 0
    while True:
        match = _CONTAINER.match(line, position)
        if match is None:
            break
        indent = match.group(0)
        indent = indent[: len(indent) - len(indent.lstrip(" \t"))]
        depth += 1 + len(indent.expandtabs(4)) // 4
        position = match.end()
        if depth > MAX_MARKDOWN_NESTING:
            break
    return depth


_COLLECTION_MARKS = "-:?[{"
"""The characters one of which starts every mapping or list in YAML: a block list's
``-``, the ``:`` after a mapping's first key (or ``?`` before it) and the brackets
of flow collections. Each mapping or list has one of its own."""


def within_yaml_bounds(text: str) -> bool:
    """True when YAML *text* cannot exceed the limits :func:`check_yaml_bounds` enforces,
    whatever it says; ``False`` means only that it has to be parsed to know.

    Without an alias (``*name``) nothing repeats and nothing can hold itself, so
    the nesting depth is at most the number of mappings and lists, each of which
    starts at a character of :data:`_COLLECTION_MARKS`, and the number of values
    is at most two for each character (``a:`` is a key and an empty value) plus
    the document's own.
    """
    if "*" in text or 2 * len(text) + 2 > MAX_YAML_NODES:
        return False
    return sum(text.count(mark) for mark in _COLLECTION_MARKS) <= MAX_YAML_DEPTH


def check_yaml_bounds(text: str, path: Path, *, first_line: int, what: str) -> None:
    """Refuse YAML nested deeper than :data:`MAX_YAML_DEPTH`, holding more than
    :data:`MAX_YAML_NODES` values once its aliases are expanded, or holding itself.

    Reads the parser's events, one at a time, before anything is built: the
    check costs no more memory than the text, and neither the composer (which
    recurses) nor anything that walks the values (which would visit every
    repetition) ever sees an unbounded document. YAML syntax errors are left
    for the caller to report.

    Most front matter is a few short lines that cannot come near either limit
    (:func:`within_yaml_bounds`); such text is not parsed a second time.
    """
    if within_yaml_bounds(text):
        return
    # For each open mapping or list: its anchor, the value count when it opened,
    # and the depth of the deepest value inside it so far.
    open_nodes: list[tuple[str | None, int, list[int]]] = []
    anchored: dict[str, tuple[int, int]] = {}  # anchor -> (values, depth below)
    values = 0

    def fail(message: str, event: yaml.Event, hint: str) -> ContentError:
        mark = event.start_mark
        line = first_line + mark.line if mark is not None else first_line
        return ContentError(f"{what} {message}", path=path, line=line, hint=hint)

    def add(event: yaml.Event, count: int, below: int) -> None:
        nonlocal values
        values += count
        if values > MAX_YAML_NODES:
            raise fail(
                f"holds more than {MAX_YAML_NODES:,} values (aliases counted each time "
                "they repeat a value)",
                event,
                "write the values out, or use fewer aliases (*name)",
            )
        if len(open_nodes) + below > MAX_YAML_DEPTH:
            raise fail(
                f"is nested more than {MAX_YAML_DEPTH} levels deep",
                event,
                "flatten the lists and mappings",
            )
        if open_nodes:
            deepest = open_nodes[-1][2]
            deepest[0] = max(deepest[0], below + 1)

    for event in yaml.parse(text, Loader=_YAML_LOADER):
        if isinstance(event, yaml.CollectionStartEvent):
            add(event, 1, 0)
            open_nodes.append((event.anchor, values - 1, [0]))
        elif isinstance(event, yaml.CollectionEndEvent):
            anchor, start, deepest = open_nodes.pop()
            if anchor is not None:
                anchored[anchor] = (values - start, deepest[0])
            if open_nodes:
                parent = open_nodes[-1][2]
                parent[0] = max(parent[0], deepest[0] + 1)
        elif isinstance(event, yaml.ScalarEvent):
            add(event, 1, 0)
            if event.anchor is not None:
                anchored[event.anchor] = (1, 0)
        elif isinstance(event, yaml.AliasEvent):
            if any(anchor == event.anchor for anchor, _, _ in open_nodes):
                raise fail(
                    f"contains itself: *{event.anchor} is used inside &{event.anchor}",
                    event,
                    "an alias can only repeat a value that is complete",
                )
            # An alias to no anchor is a syntax error that composing reports.
            count, below = anchored.get(event.anchor or "", (1, 0))
            add(event, count, below)


def parse_yaml_mapping(
    text: str, path: Path, *, first_line: int
) -> tuple[dict[str, Any], dict[str, int]]:
    """Parse YAML *text* (safely) that must be a mapping; return it with each key's line."""
    loader = _YAML_LOADER(text)
    try:
        check_yaml_bounds(text, path, first_line=first_line, what="front matter")
        node = loader.get_single_node()
        if node is None:
            return {}, {}
        if not isinstance(node, yaml.MappingNode):
            raise ContentError(
                "front matter is not a mapping of keys to values",
                path=path,
                line=first_line + node.start_mark.line,
                hint="write front matter as `key: value` lines",
            )
        lines = _key_lines(node, path, first_line)
        data = _construct(loader, node, path, first_line)
    except yaml.MarkedYAMLError as exc:
        raise yaml_error(
            exc,
            path,
            what="invalid YAML in front matter",
            first_line=first_line,
            hint="check indentation and quote values that contain ':' or start with '['",
        ) from None
    except yaml.YAMLError as exc:
        raise yaml_error(
            exc, path, what="invalid YAML in front matter", first_line=first_line, text=text
        ) from None
    finally:
        loader.dispose()
    return data, lines


def load_yaml(text: str, path: Path, *, hint: str) -> Any:
    """Load a whole YAML file safely, within the YAML limits; a located error if it cannot be."""
    try:
        check_yaml_bounds(text, path, first_line=1, what="the file")
        return yaml.load(text, Loader=_YAML_LOADER)
    except yaml.YAMLError as exc:
        raise yaml_error(exc, path, hint=hint, text=text) from None
    except (ValueError, TypeError, OverflowError) as exc:
        raise ContentError(
            f"invalid value: {exc}", path=path, line=1, hint="quote the value to keep it as text"
        ) from None


def _key_lines(node: yaml.MappingNode, path: Path, first_line: int) -> dict[str, int]:
    """Line of each top-level key; a key that is not text or is given twice is an error."""
    lines: dict[str, int] = {}
    for key_node, _ in node.value:
        line = first_line + key_node.start_mark.line
        if key_node.tag == "tag:yaml.org,2002:merge":  # `<<: *defaults`
            continue
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != "tag:yaml.org,2002:str":
            raise ContentError(
                "front matter key is not text", path=path, line=line, hint="quote the key"
            )
        if key_node.value in lines:
            raise ContentError(
                f"front matter key {key_node.value!r} is given twice "
                f"(first on line {lines[key_node.value]})",
                path=path,
                line=line,
                hint="keep one of them; YAML would silently drop the first",
            )
        lines[key_node.value] = line
    return lines


def _construct(
    loader: yaml.SafeLoader, node: yaml.MappingNode, path: Path, first_line: int
) -> dict[str, Any]:
    """Build the mapping; a value YAML recognizes but cannot build is a located error."""
    try:
        data = loader.construct_document(node)
    except (ValueError, TypeError, OverflowError) as exc:
        # e.g. `date: 2026-13-45` matches YAML's timestamp form but is no date.
        line = first_line
        for key_node, value_node in node.value:
            try:
                yaml.SafeLoader("").construct_object(value_node, deep=True)
            except (ValueError, TypeError, OverflowError):
                line = first_line + key_node.start_mark.line
                break
        raise ContentError(
            f"invalid value in front matter: {exc}",
            path=path,
            line=line,
            hint="quote the value to keep it as text, or correct it",
        ) from None
    assert isinstance(data, dict)
    return data


def yaml_error(
    exc: yaml.YAMLError,
    path: Path,
    *,
    hint: str = "check indentation and quote values that contain ':' or start with '['",
    what: str = "invalid YAML",
    first_line: int = 1,
    text: str = "",
) -> ContentError:
    """A located error for YAML that does not parse (*first_line*: where the YAML starts).

    *text* is the YAML, for placing errors the reader reports by character position.
    """
    if isinstance(exc, yaml.MarkedYAMLError):
        return ContentError(
            f"{what}: {_yaml_problem(exc)}",
            path=path,
            line=first_line + _yaml_error_line(exc),
            hint=hint,
        )
    if isinstance(exc, yaml.reader.ReaderError):
        # A character YAML does not allow (a control character, say).
        character = exc.character
        code = character if isinstance(character, int) else ord(character[:1] or "\0")
        return ContentError(
            f"{what}: character U+{code:04X} is not allowed in YAML",
            path=path,
            line=first_line + text[: exc.position].count("\n"),
            hint="remove the character, or write it as an escape in a double-quoted string",
        )
    return ContentError(f"{what}: {exc}", path=path, line=first_line, hint=hint)


def _yaml_error_line(exc: yaml.MarkedYAMLError) -> int:
    """0-based line to blame: where an unclosed bracket or quote opened, else the problem."""
    context = exc.context or ""
    opened = exc.context_mark is not None and ("flow" in context or "quoted" in context)
    mark = exc.context_mark if opened else (exc.problem_mark or exc.context_mark)
    return mark.line if mark is not None else 0


def _yaml_problem(exc: yaml.MarkedYAMLError) -> str:
    parts = [part for part in (exc.context, exc.problem) if part]
    return ", ".join(parts) or "invalid YAML"


def _check_fields(source: SourceFile) -> SourceFile:
    """Validate the fields locgen reads; return the source with ``date`` parsed."""
    meta = dict(source.meta)
    for key, types in _FIELD_TYPES.items():
        if key in meta and not isinstance(meta[key], types):
            expected = " or ".join(t.__name__ for t in types).replace("str", "text")
            hint = "quote the value" if expected == "text" else None
            raise source.error(f"front matter {key!r} must be {expected}", key=key, hint=hint)
    for key in ("weight", "max_angles"):
        if isinstance(meta.get(key), bool):
            raise source.error(f"front matter {key!r} must be int", key=key)
    if "max_angles" in meta and meta["max_angles"] < 1:
        raise source.error(
            "front matter 'max_angles' must be 1 or more", key="max_angles", hint="or leave it out"
        )
    for key in ("date", "send_date"):
        if key in meta:
            meta[key] = _parse_date(source, meta[key], key)
    if "tags" in meta:
        tags = meta["tags"]
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            raise source.error("front matter 'tags' must be a list of text", key="tags")
    if "slug" in meta:
        check_slug(source, meta["slug"])
    return replace(source, meta=meta)


def check_slug(source: SourceFile, slug: str) -> None:
    """Refuse a slug that is not exactly one safe URL segment."""
    if not slug.strip() or slug in (".", "..") or _SLUG_FORBIDDEN.search(slug):
        raise source.error(
            f"slug {slug!r} is not a single URL segment",
            key="slug",
            hint="use letters, digits and dashes, with no '/', '\\', '..', '?', '#' or '%'",
        )
    if slug != slug.strip():
        raise source.error(f"slug {slug!r} has surrounding spaces", key="slug")


def _parse_date(source: SourceFile, value: Any, key: str) -> dt.date | dt.datetime:
    if isinstance(value, dt.datetime | dt.date):
        return value
    if isinstance(value, str):
        try:
            return (
                dt.datetime.fromisoformat(value)
                if "T" in value or " " in value.strip()
                else dt.date.fromisoformat(value)
            )
        except ValueError:
            pass
    raise source.error(
        f"front matter {key!r} {value!r} is not a date",
        key=key,
        hint="write dates as YYYY-MM-DD (or YYYY-MM-DDTHH:MM for a time)",
    )
