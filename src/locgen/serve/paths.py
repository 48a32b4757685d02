"""Map request paths to files of the built site, never to anything outside it.

The dev server serves the output tree held in memory: a request names a key
of that tree or nothing. Dot segments, encoded or not, backslashes and NUL
bytes name nothing; a file copied from disk (an image, a static file) is
served only if it really lies in the folder it was found in.
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

INDEX_FILE = "index.html"
NOT_FOUND_FILE = "404.html"


@dataclass(frozen=True)
class Resolved:
    """Where a request leads."""

    path: str | None
    """Output path to serve, or ``None`` for a 404."""
    redirect: str | None = None
    """URL to redirect to instead (a folder asked for without its slash)."""


def output_path(request_path: str, base_path: str) -> str | None:
    """The output path a request path names, or ``None`` when it names nothing safely.

    :param request_path: the path of the request line, still percent-encoded,
        without query string.
    :param base_path: the path part of the site's base URL (``/`` or ``/docs/``).
    """
    try:
        decoded = unquote(request_path, errors="strict")
    except UnicodeDecodeError:
        return None
    if "\x00" in decoded or "\\" in decoded or not decoded.startswith(base_path):
        return None
    rel = decoded[len(base_path) :]
    if rel.startswith("/") or any(part in (".", "..") for part in rel.split("/")):
        return None
    return rel


def resolve(request_path: str, base_path: str, files: Container[str]) -> Resolved:
    """Find the output file for *request_path* among *files*."""
    rel = output_path(request_path, base_path)
    if rel is None:
        return Resolved(None)
    candidate = rel + INDEX_FILE if rel == "" or rel.endswith("/") else rel
    if candidate in files:
        return Resolved(candidate)
    if rel and f"{rel}/{INDEX_FILE}" in files:
        return Resolved(None, redirect=request_path + "/")
    return Resolved(None)


def not_found_page(request_path: str, base_path: str, locale_segments: Iterable[str]) -> str:
    """The 404 page for *request_path*: its locale's when the path starts in a locale."""
    rel = output_path(request_path, base_path) or ""
    first = rel.split("/", 1)[0]
    for segment in locale_segments:
        if segment and first == segment:
            return f"{segment}/{NOT_FOUND_FILE}"
    return NOT_FOUND_FILE


def inside(path: Path, roots: Iterable[Path]) -> bool:
    """True when *path*, with every symbolic link followed, lies inside one of *roots*.

    *roots* must have their own links resolved already.
    """
    real = path.resolve()
    return any(real.is_relative_to(root) for root in roots)
