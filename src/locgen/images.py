"""Images: per-locale and per-culture variants, and the tags a culture's imagery rules read.

``images/hero.jpg`` shows, in each locale, the most specific file that
exists: ``images/hero.ja-JP.jpg``, then ``images/hero.japan.jpg``, then
``images/hero.jpg``. A file's tags (``gesture:ok-sign``, ``colour:white``)
come from a sidecar ``images/hero.jpg.yaml`` (``tags: [...]``) and, for a
page's own image, from front matter ``image_tags``.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path

from locgen.containment import PathEscape, contained
from locgen.errors import ContentError
from locgen.sources import SIDECAR_SUFFIX, load_yaml
from locgen.textfiles import decode_utf8


@dataclass(frozen=True)
class ImageUse:
    """One image shown on one page in one locale."""

    requested: str
    """The path the page asks for, relative to ``content/``."""
    resolved: str
    """The file shown, relative to ``content/``."""
    locale: str
    """Locale of the page."""
    page_path: Path | None
    """Source file of the page."""
    line: int | None
    """Line of the reference in that file, when known."""
    tags: tuple[str, ...]
    """Tags of the shown file (sidecar) plus the page's ``image_tags`` for its own image."""
    page_tags: tuple[str, ...] = ()
    """The tags among :attr:`tags` that come from the page's ``image_tags``."""


def variant_candidates(path: str, locale_tag: str, culture_id: str) -> list[str]:
    """Files to try for *path*, most specific first."""
    folder, name = posixpath.split(path)
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    suffix = f".{extension}" if extension else ""
    names = [f"{stem}.{locale_tag}{suffix}", f"{stem}.{culture_id}{suffix}", name]
    return [posixpath.join(folder, n) if folder else n for n in names]


def resolve_variant(
    path: str, locale_tag: str, culture_id: str, assets: frozenset[str]
) -> str | None:
    """The most specific existing variant of *path*, or ``None`` when none exists."""
    for candidate in variant_candidates(path, locale_tag, culture_id):
        if candidate in assets:
            return candidate
    return None


def image_path(reference: str, section: str, page_path: Path, line: int | None) -> str:
    """The file under ``content/`` that an image reference in a page names.

    ``/images/hero.jpg`` is taken from the top of ``content/``, ``hero.jpg``
    and ``../images/hero.jpg`` from the page's *section*. A reference that
    leads out of ``content/`` is a :class:`ContentError` at the page's *line*.
    """
    rooted = reference.startswith("/")
    try:
        return contained(reference.lstrip("/") if rooted else reference, "" if rooted else section)
    except PathEscape as exc:
        raise ContentError(
            f"image {reference!r} is not a file under content/: {exc}",
            path=page_path,
            line=line,
            hint="put the file under content/ and refer to it by its path there",
        ) from None


def chosen_image_problem(answer: object) -> str | None:
    """Why a ``locgen_resolve_image`` answer cannot be used, or ``None`` when it can."""
    if answer is None:
        return None
    if not isinstance(answer, str):
        return f"it must be a path relative to content/, not {type(answer).__name__}"
    try:
        if contained(answer) == answer:
            return None
        return "it must be a plain path relative to content/, with no '.' or '..' segments"
    except PathEscape as exc:
        return f"{exc}; it must be a path relative to content/"


class ImageTags:
    """Reads (once each) the tags of images from their sidecar files."""

    def __init__(self, content_dir: Path, sidecars: frozenset[str]) -> None:
        self.content_dir = content_dir
        self.sidecars = sidecars
        self._cache: dict[str, tuple[str, ...]] = {}

    def tags(self, rel: str) -> tuple[str, ...]:
        """Tags of the file *rel* (relative to ``content/``); empty without a sidecar."""
        cached = self._cache.get(rel)
        if cached is None:
            cached = self._cache[rel] = self._read(rel)
        return cached

    def _read(self, rel: str) -> tuple[str, ...]:
        sidecar = rel + SIDECAR_SUFFIX
        if sidecar not in self.sidecars:
            return ()
        path = self.content_dir / sidecar
        text = decode_utf8(path.read_bytes(), path, ContentError)
        data = load_yaml(text, path, hint="write tags: [gesture:ok-sign, colour:white]")
        return parse_tags(data.get("tags") if isinstance(data, dict) else data, path, None)


def parse_tags(value: object, path: Path | None, line: int | None) -> tuple[str, ...]:
    """Check a list of ``kind:value`` tags; a malformed one is a located error."""
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
        raise ContentError(
            "image tags must be a list of kind:value text",
            path=path,
            line=line,
            hint="write tags: [gesture:ok-sign, colour:white]",
        )
    for tag in value:
        if ":" not in tag:
            raise ContentError(
                f"image tag {tag!r} must look like kind:value",
                path=path,
                line=line,
                hint="for example gesture:ok-sign, colour:white, number:4",
            )
    return tuple(tag.strip().lower() for tag in value)
