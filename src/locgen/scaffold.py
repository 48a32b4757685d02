"""``locgen init``: scaffold a new site that builds at once with the bundled theme."""

from __future__ import annotations

import shutil
from pathlib import Path

from locgen.config import CONFIG_NAME
from locgen.errors import UsageError

SCAFFOLD_DIR = Path(__file__).resolve().parent / "scaffold"


def init_site(target: Path) -> list[Path]:
    """Create a new site in *target* (which may exist, but must not hold a site yet)."""
    if (target / CONFIG_NAME).exists() or (target / "content").exists():
        raise UsageError(
            f"{target} already holds a site ({CONFIG_NAME} or content/ exists)",
            hint="choose an empty or new folder",
        )
    if target.exists() and not target.is_dir():
        raise UsageError(f"{target} exists and is not a folder")
    created = []
    for source in sorted(SCAFFOLD_DIR.rglob("*")):
        if source.is_dir() or "__pycache__" in source.parts:
            continue
        destination = target / source.relative_to(SCAFFOLD_DIR)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)
        created.append(destination)
    return created
