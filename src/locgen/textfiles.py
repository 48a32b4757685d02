"""Decoding of the text files a site is made of: config, content and catalogs."""

from __future__ import annotations

from pathlib import Path

from locgen.errors import LocgenError


def decode_utf8(raw: bytes, path: Path, error: type[LocgenError]) -> str:
    """Decode UTF-8 (a BOM is dropped) and normalize line ends to ``\\n``.

    Bytes that are not UTF-8 raise *error* naming the file and the line they are on.
    """
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
