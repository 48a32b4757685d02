"""Where the bundled theme and catalogs are, installed or in a source checkout.

A wheel carries them in ``locgen/_bundled/``; a source checkout (editable
install) has them at the repository root, which is also the example site.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def bundled_dir() -> Path:
    """Return the folder that holds the bundled ``themes/`` and ``locales/``."""
    packaged = _PACKAGE_DIR / "_bundled"
    if packaged.is_dir():
        return packaged
    return _PACKAGE_DIR.parent.parent


def bundled_theme(name: str) -> Path | None:
    """Return the bundled theme called *name*, or ``None``."""
    candidate = bundled_dir() / "themes" / name
    return candidate if (candidate / "templates").is_dir() else None


def bundled_locales_dir() -> Path:
    """Return the folder of the bundled theme catalogs."""
    return bundled_dir() / "locales"


def find_theme(site_root: Path, name: str) -> Path | None:
    """Return the theme folder for *name*: the site's own ``themes/<name>`` first."""
    if not name or "/" in name or "\\" in name or name in (".", ".."):
        return None
    own = site_root / "themes" / name
    if (own / "templates").is_dir():
        return own
    return bundled_theme(name)
