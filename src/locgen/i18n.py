"""``locgen i18n``: theme-string catalogs with Babel, laid out as pybabel lays them out.

Each subcommand runs Babel's own ``pybabel`` front end with the site's paths
filled in, so the files are exactly what ``pybabel`` would write, and any
further ``pybabel`` option can be passed through.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from contextlib import chdir
from pathlib import Path
from typing import Any

from babel.messages.frontend import CommandLineInterface

from locgen.catalogs import FORMALITY_CONTEXTS
from locgen.config import SiteConfig
from locgen.errors import CatalogError, UsageError
from locgen.locales import gettext_name
from locgen.theme import EMAIL_FOLDER

TEMPLATE_NAME = "messages.pot"
MAPPING = """\
[locgen_jinja: **.html]
extensions = jinja2.ext.i18n
"""
FORMALITY_KEYWORD = "formality_gettext"
"""Template function whose message gets one catalog entry per formality context."""


def extract_templates(
    fileobj: Any, keywords: Sequence[str], comment_tags: Sequence[str], options: dict[str, Any]
) -> Iterator[tuple[int, str, Any, list[str]]]:
    """Babel extractor for Jinja2 templates that knows ``formality_gettext``.

    ``{{ formality_gettext("Questions? Write to us.") }}`` becomes two entries,
    ``msgctxt "formal"`` and ``msgctxt "informal"``, so translators can give
    each register its own wording (Sie/du, vous/tu).
    """
    from jinja2.ext import babel_extract

    for lineno, function, message, comments in babel_extract(
        fileobj, [*keywords, FORMALITY_KEYWORD], comment_tags, options
    ):
        if function == FORMALITY_KEYWORD:
            # With keyword arguments Jinja2 reports (message, None, …): the message is first.
            text = message[0] if isinstance(message, tuple) else message
            if not isinstance(text, str):
                continue  # not a literal string: nothing to extract
            for context in FORMALITY_CONTEXTS:
                yield lineno, "pgettext", (context, text), list(comments)
        else:
            yield lineno, function, message, list(comments)


def extract(config: SiteConfig, extra: Sequence[str] = ()) -> Path:
    """Extract the strings of the theme's page and email templates into ``messages.pot``."""
    config.locales_dir.mkdir(parents=True, exist_ok=True)
    template = config.locales_dir / TEMPLATE_NAME
    templates = config.theme_dir / "templates"
    # Locations in the catalog are written as given: run from the folder that
    # holds the theme so they read themes/<name>/templates/..., on any machine.
    base = config.root if config.root in templates.parents else templates.parent.parent.parent
    email_folder = config.theme_dir / EMAIL_FOLDER
    emails = [email_folder.relative_to(base).as_posix()] if email_folder.is_dir() else []
    with tempfile.TemporaryDirectory(prefix="locgen-i18n-") as folder, chdir(base):
        mapping = Path(folder) / "babel.cfg"
        mapping.write_text(MAPPING, encoding="utf-8")
        _run(
            [
                "extract",
                "--mapping-file",
                str(mapping),
                "--output-file",
                str(template),
                "--project",
                config.title,
                "--sort-by-file",
                "--add-comments",
                "TRANSLATORS:",
                *extra,
                templates.relative_to(base).as_posix(),
                *emails,
            ]
        )
    return template


def init(config: SiteConfig, tags: Sequence[str], extra: Sequence[str] = ()) -> list[Path]:
    """Start a catalog for each of *tags* (default: every site locale without one)."""
    template = _require_template(config)
    wanted = list(tags) or [
        tag
        for tag in config.locales
        if not (config.locales_dir / gettext_name(tag) / "LC_MESSAGES" / "messages.po").exists()
    ]
    created = []
    for tag in wanted:
        if tag not in config.locales:
            raise UsageError(
                f"{tag!r} is not one of the site's locales",
                hint=f"choose from {', '.join(config.locales)}",
            )
        _run(
            [
                "init",
                "--input-file",
                str(template),
                "--output-dir",
                str(config.locales_dir),
                "--locale",
                gettext_name(tag),
                *extra,
            ]
        )
        created.append(config.locales_dir / gettext_name(tag) / "LC_MESSAGES" / "messages.po")
    return created


def update(config: SiteConfig, tags: Sequence[str], extra: Sequence[str] = ()) -> None:
    """Merge new strings from ``messages.pot`` into every catalog (or those of *tags*)."""
    template = _require_template(config)
    selections = [["--locale", gettext_name(tag)] for tag in tags] or [[]]
    for locale_args in selections:
        _run(
            [
                "update",
                "--input-file",
                str(template),
                "--output-dir",
                str(config.locales_dir),
                *locale_args,
                *extra,
            ]
        )


def compile_catalogs(config: SiteConfig, extra: Sequence[str] = ()) -> None:
    """Write ``.mo`` files next to the catalogs, as pybabel does (builds do not need them)."""
    if not config.locales_dir.is_dir():
        raise UsageError(
            "there is no locales/ folder to compile",
            hint="run `locgen i18n extract` and `locgen i18n init` first",
        )
    _run(["compile", "--directory", str(config.locales_dir), "--statistics", *extra])


def _require_template(config: SiteConfig) -> Path:
    template = config.locales_dir / TEMPLATE_NAME
    if not template.is_file():
        raise UsageError(f"{template} does not exist", hint="run `locgen i18n extract` first")
    return template


def _run(argv: list[str]) -> None:
    try:
        CommandLineInterface().run(["pybabel", *argv])  # type: ignore[no-untyped-call]
    except SystemExit as exc:
        if exc.code not in (0, None):
            raise CatalogError(
                f"pybabel {argv[0]} failed (exit {exc.code})", hint="see the messages above"
            ) from None
    except Exception as exc:  # Babel reports user mistakes as assorted exceptions.
        raise CatalogError(f"pybabel {argv[0]} failed: {exc}") from None
