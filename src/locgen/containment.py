"""Containment: no name, reference or plugin answer leads a read or a write out of its folder.

Every route by which text from a site becomes a file path goes through
:func:`contained`: content file and folder names, slugs and the output paths
made from them, image references, the image a plugin chooses, and scratch
names read back by the cleanup. Every symlink under ``content/`` goes
through :func:`link_target`. Callers turn a :class:`PathEscape` into a
:class:`~locgen.errors.LocgenError` that names the file and the fix.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

_UNSAFE = re.compile(r"[\\\x00-\x1f\x7f]")


class PathEscape(ValueError):
    """A path that would leave its folder; the message says why, for an error message."""


def contained(path: str, base: str = "") -> str:
    """*path*, taken relative to the folder *base*, as a normal path inside the top folder.

    Both are relative to one top folder (``content/``, the output folder) and
    use ``/`` separators; ``.`` segments and empty segments fall away and
    ``..`` goes up one folder, as in a URL.

    :raises PathEscape: when *path* is absolute, climbs above the top folder
        with ``..``, names no file, or holds a backslash (a folder separator
        on Windows and to some web servers), a NUL or another control character.
    """
    if path.startswith("/"):
        raise PathEscape("it is an absolute path")
    unsafe = _UNSAFE.search(path) or _UNSAFE.search(base)
    if unsafe is not None:
        what = "a backslash" if unsafe.group() == "\\" else "a control character"
        raise PathEscape(f"it holds {what}")
    parts: list[str] = []
    for segment in [*base.split("/"), *path.split("/")]:
        if segment in ("", "."):
            continue
        if segment == "..":
            if not parts:
                raise PathEscape("it climbs out of its folder with '..'")
            parts.pop()
        else:
            parts.append(segment)
    if not parts:
        raise PathEscape("it names no file")
    return "/".join(parts)


def link_target(link: Path, allowed: Iterable[Path], refused: Iterable[Path] = ()) -> Path:
    """Where the symlink *link* leads (every link in the chain followed).

    :param allowed: folders (resolved) the target must be inside of.
    :param refused: folders (resolved) inside *allowed* that the target must
        stay out of (the output and cache folders, which a build rewrites).
    :raises PathEscape: when the target does not exist, or lies outside every
        allowed folder or inside a refused one.
    """
    try:
        target = link.resolve(strict=True)
    except (OSError, RuntimeError):  # missing target, or a chain of links in a circle
        try:
            shown = os.readlink(link)
        except OSError:
            shown = str(link)
        raise PathEscape(f"it points to {shown!r}, which does not exist") from None
    for folder in refused:
        if _inside(target, folder):
            raise PathEscape(f"it points to {target}, inside {folder}, which locgen rewrites")
    if not any(_inside(target, folder) for folder in allowed):
        raise PathEscape(f"it points to {target}, outside the site folder")
    return target


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents
