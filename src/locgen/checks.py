"""Site checks that plugins register: each looks at the built site and reports findings."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from locgen.config import SiteConfig
from locgen.cultures import CultureProfile
from locgen.findings import Finding
from locgen.images import ImageUse
from locgen.pages import SiteIndex


@dataclass(frozen=True)
class CheckContext:
    """What a check can look at."""

    config: SiteConfig
    """The site configuration."""
    index: SiteIndex
    """Every page in every locale."""
    locales: tuple[str, ...]
    """Locales being built or checked."""
    cultures: Mapping[str, CultureProfile]
    """Each locale's culture profile, by locale tag."""
    image_uses: tuple[ImageUse, ...]
    """Every image shown, per page and locale."""


@dataclass(frozen=True)
class Check:
    """A named check."""

    id: str
    """Rule id prefix of its findings, e.g. ``imagery``."""
    description: str
    """One line saying what it checks."""
    run: Callable[[CheckContext], Iterable[Finding]]
    """The check itself."""
