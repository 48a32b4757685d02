"""Helpers for tests: page text, output digests, a copy of the example site."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def page(title: str, body: str = "Text.", **meta: object) -> str:
    """Markdown text of a page with front matter."""
    lines = [f"title: {title}"] + [f"{key}: {value}" for key, value in meta.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body + "\n"


def tree_digest(folder: Path) -> dict[str, str]:
    """Map every file under *folder* to the hash of its bytes."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def web_pages(public: Path) -> list[Path]:
    """Every web page under *public*, sorted; the emails under ``emails/`` are not web pages."""
    return sorted(p for p in public.rglob("*.html") if p.relative_to(public).parts[0] != "emails")


def copy_example_site(target: Path) -> Path:
    """Copy the example site at the repository root (without its output) to *target*.

    ``plugins/`` stays behind: at the repository root it holds the bundled
    cultures, which every site loads anyway.
    """
    target.mkdir(parents=True, exist_ok=True)
    for name in ("locgen.toml", "phrasebook.yaml"):
        shutil.copy(REPO / name, target / name)
    for folder in ("content", "locales", "themes"):
        shutil.copytree(
            REPO / folder, target / folder, ignore=shutil.ignore_patterns("*.mo", "__pycache__")
        )
    return target
