"""Digests that name contents: equal for equal contents, in any process, on any machine."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path


def digest_bytes(data: bytes) -> str:
    """The digest the build cache and the publish step name file contents by."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def digest_parts(parts: Iterable[str]) -> str:
    """One digest of several strings, kept apart so that ``("ab", "c") != ("a", "bc")``."""
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


def canonical(value: object) -> str:
    """A text that is equal for equal values, in any process: dicts and sets sorted."""
    if value is None or isinstance(value, bool | int | float | str | bytes):
        return repr(value)
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return f"{type(value).__name__}({value.isoformat()})"
    if isinstance(value, Path):
        return f"Path({str(value)!r})"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        # Fields left out of equality (a config's source text) are left out here too.
        fields = ", ".join(
            f"{f.name}={canonical(getattr(value, f.name))}"
            for f in dataclasses.fields(value)
            if f.compare
        )
        return f"{type(value).__name__}({fields})"
    if isinstance(value, Mapping):
        items = sorted((canonical(k), canonical(v)) for k, v in value.items())
        return "{" + ", ".join(f"{k}: {v}" for k, v in items) + "}"
    if isinstance(value, set | frozenset):
        return "{" + ", ".join(sorted(canonical(v) for v in value)) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(canonical(v) for v in value) + "]"
    return f"{type(value).__qualname__}({value!r})"
