"""Reading the text files a site is made of (config, content, catalogs, YAML), and the
limits that keep a build's time and memory bounded whatever those files hold.

Every limit is here, named, so that the documentation and the error messages
quote one number. A file beyond a limit is refused with a located error that
names the limit; nothing is truncated silently.
"""

from __future__ import annotations

from pathlib import Path

from locgen.errors import LocgenError

MAX_TEXT_FILE_BYTES = 4 * 1024 * 1024
"""Largest text file locgen reads (a page, ``locgen.toml``, a catalog, a YAML file): 4 MiB.

A Markdown page of that size is a book of some two thousand printed pages and
takes tens of seconds per locale to render; a bigger file is refused rather
than risking a build that seems to hang.
"""
MAX_MARKDOWN_NESTING = 100
"""Deepest nesting of lists and block quotes in a page (each ``-``, ``1.``, ``>`` or
four columns of indentation in front of one is a level), and most square brackets
open at once in a paragraph. Python-Markdown nests lists by recursion and gives up a
few hundred levels down, and takes time growing with the square of the open
brackets; real pages stay below ten of either."""
MAX_YAML_DEPTH = 50
"""Deepest nesting of mappings and lists in front matter and YAML files."""
MAX_YAML_NODES = 100_000
"""Most values front matter or a YAML file may hold, counting every value an
alias (``*name``) repeats: bounds "billion laughs" documents, whose few lines
stand for billions of values."""


def read_text(path: Path, error: type[LocgenError]) -> str:
    """Read and decode the text file *path*, refusing one over :data:`MAX_TEXT_FILE_BYTES`.

    A file that cannot be read, is too large or is not UTF-8 raises *error*.
    """
    return decode_utf8(read_limited(path, error), path, error)


def read_limited(path: Path, error: type[LocgenError]) -> bytes:
    """The bytes of the file *path*; one that cannot be read or is larger than
    :data:`MAX_TEXT_FILE_BYTES` (told before reading it) raises *error*."""
    try:
        size = path.stat().st_size
        if size > MAX_TEXT_FILE_BYTES:
            raise too_large(size, path, error)
        return path.read_bytes()
    except OSError as exc:
        raise error(
            f"cannot read the file: {exc.strerror}",
            path=path,
            hint="check that the file exists and is readable",
        ) from None


def too_large(size: int, path: Path, error: type[LocgenError]) -> LocgenError:
    """The error for a text file of *size* bytes, over :data:`MAX_TEXT_FILE_BYTES`."""
    return error(
        f"file is too large ({size / 1024 / 1024:.1f} MiB; "
        f"locgen reads text files of up to {MAX_TEXT_FILE_BYTES // 1024 // 1024} MiB)",
        path=path,
        hint="split it into several files",
    )


def decode_utf8(raw: bytes, path: Path, error: type[LocgenError]) -> str:
    """Decode UTF-8 (a BOM is dropped) and normalize line ends to ``\\n``.

    Bytes that are not UTF-8 raise *error* naming the file and the line they are
    on; more than :data:`MAX_TEXT_FILE_BYTES` raise *error* too.
    """
    if len(raw) > MAX_TEXT_FILE_BYTES:
        raise too_large(len(raw), path, error)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(
            "file is not valid UTF-8",
            path=path,
            line=raw[: exc.start].count(b"\n") + 1,
            hint="save the file as UTF-8",
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")
