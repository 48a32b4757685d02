"""The dev server's own pages under ``/_locgen/``.

- ``/_locgen/``: the build status and links to the others.
- ``/_locgen/compare/?page=<key>[&locales=a,b]``: one page in every locale side by side,
  each with what its culture changed.
- ``/_locgen/emails/`` and ``?email=<name>&locale=<tag>``: each email in each locale,
  its subject, preheader, HTML and text.
- ``/_locgen/translations/``: the translation status matrix (page × locale).
- ``/_locgen/checks/``: everything the build noticed.
"""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import jinja2

from locgen.errors import LocgenError
from locgen.findings import Finding
from locgen.incremental import EMAIL, PAGE, Job
from locgen.inventory import locale_entry
from locgen.locales import SiteLocale
from locgen.pages import Page, email_name, is_email_key

if TYPE_CHECKING:
    from locgen.build import BuildState
    from locgen.serve.server import DevServer, Snapshot

PREVIEW_PATH = "/_locgen/emails/"

_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(Path(__file__).parent / "templates")),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=jinja2.StrictUndefined,
)


@dataclass(frozen=True)
class DevPage:
    """A dev page and when it reloads."""

    body: bytes
    """The HTML."""
    live: str
    """Output path whose change reloads it; ``*`` for any rebuild, ``""`` for none
    (framed pages reload themselves)."""


@dataclass(frozen=True)
class Column:
    """One locale in the comparison view."""

    locale: SiteLocale
    """The reader's locale."""
    page: Page | None
    """The page in that locale, or ``None`` where it is missing."""
    culture: Mapping[str, Any]
    """The culture's entry from ``locgen cultures`` (id, name, effects)."""
    images: tuple[tuple[str, str], ...] = ()
    """Images the page asks for and the variant this locale shows, where they differ."""
    notes: tuple[Finding, ...] = ()
    """What rendering changed or noticed on this page (phrasebook substitutions)."""


@dataclass(frozen=True)
class Cell:
    """One page in one locale of the translation matrix."""

    status: str
    """``translated``, ``outdated``, ``untracked``, ``fallback`` or ``missing``."""
    url: str | None = None
    """The page's URL, where it exists."""
    detail: str = ""
    """The locale shown by a fallback, or the finding's message."""


@dataclass
class _Matrix:
    keys: list[str] = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)
    cells: dict[tuple[str, str], Cell] = field(default_factory=dict)


def render(
    dev: DevServer, snapshot: Snapshot, path: str, query: Mapping[str, list[str]]
) -> DevPage | None:
    """The dev page at *path*, or ``None`` when there is none."""
    state = snapshot.state
    base = {"snapshot": snapshot, "error": _error_or_none(snapshot.error, dev.options.root)}
    page = path.rstrip("/").removeprefix("/_locgen").strip("/")
    if page == "":
        return DevPage(_page("index.html", **base, state=state, url=dev.url), "*")
    if state is None:
        return DevPage(no_build(snapshot.error, dev.options.root), "*")
    if page == "compare":
        key = _one(query, "page")
        if key is None:
            return DevPage(_page("compare_list.html", **base, pages=_comparable(state)), "*")
        body = _compare(state, key, _one(query, "locales"), base)
        return None if body is None else DevPage(body, "")
    if page == "emails":
        name, tag = _one(query, "email"), _one(query, "locale")
        if name is not None and tag is not None:
            return _email(state, name, tag, base)
        return DevPage(_page("emails.html", **base, emails=_emails(state), state=state), "*")
    if page == "translations":
        matrix = _matrix(state)
        return DevPage(_page("translations.html", **base, matrix=matrix, state=state), "*")
    if page == "checks":
        findings = [f.to_json(state.config.root) for f in state.findings]
        return DevPage(_page("checks.html", **base, findings=findings), "*")
    return None


def not_found(path: str) -> bytes:
    """The answer for an unknown ``/_locgen/`` path."""
    return _page("not_found.html", path=path, error=None)


def no_build(error: LocgenError | None, root: Path) -> bytes:
    """What every path shows while no build has succeeded yet."""
    return _page("no_build.html", error=_error_or_none(error, root))


def error_json(error: LocgenError, root: Path) -> dict[str, Any]:
    """A build error as the reload script shows it: where, what, and the fix."""
    return {
        "message": error.message,
        "where": error.location(root),
        "path": str(error.path) if error.path is not None else None,
        "line": error.line,
        "locale": error.locale,
        "hint": error.hint,
    }


def attribute(text: str) -> str:
    """*text* escaped for an HTML attribute value."""
    return html.escape(text, quote=True)


# -- pages -------------------------------------------------------------------


def _page(name: str, **context: Any) -> bytes:
    return _ENV.get_template(name).render(context).encode("utf-8")


def _one(query: Mapping[str, list[str]], name: str) -> str | None:
    values = query.get(name)
    return values[0] if values else None


def _error_or_none(error: LocgenError | None, root: Path) -> dict[str, Any] | None:
    return None if error is None else error_json(error, root)


def _comparable(state: BuildState) -> list[Page]:
    """One entry per web page: the default locale's, or the first locale's that has it."""
    found: dict[str, Page] = {}
    for tag in state.locales:
        for page in state.index.pages_in(tag):
            found.setdefault(page.key, page)
    return [found[key] for key in sorted(found)]


def _compare(
    state: BuildState, key: str, locales: str | None, base: dict[str, Any]
) -> bytes | None:
    index = state.index
    wanted = [tag.strip() for tag in locales.split(",")] if locales else list(state.locales)
    by_lower = {tag.lower(): tag for tag in state.locales}
    tags = [by_lower[tag.lower()] for tag in wanted if tag.lower() in by_lower]
    if is_email_key(key) or not any(index.page(key, tag) for tag in tags):
        return None
    columns = []
    for tag in tags:
        page = index.page(key, tag)
        result = state.results.get(Job(PAGE, tag, key))
        images: tuple[tuple[str, str], ...] = ()
        notes: tuple[Finding, ...] = ()
        if result is not None:
            images = tuple(
                dict.fromkeys(
                    (use.requested, use.resolved)
                    for use in result.image_uses
                    if use.requested != use.resolved
                )
            )
            notes = result.findings
        columns.append(
            Column(
                locale=index.locales[tag],
                page=page,
                culture=locale_entry(state.cultures.by_locale[tag]),
                images=images,
                notes=notes,
            )
        )
    title = next(c.page.title for c in columns if c.page is not None)
    return _page("compare.html", **base, key=key, title=title, columns=columns)


def _emails(state: BuildState) -> list[dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    for job in state.jobs:
        result = state.results[job]
        if job.kind != EMAIL or result.email is None:
            continue
        row = rows.setdefault(email_name(job.key), {"name": email_name(job.key), "locales": []})
        row["locales"].append(result.email)
    return list(rows.values())


def _email(state: BuildState, name: str, tag: str, base: dict[str, Any]) -> DevPage | None:
    by_lower = {t.lower(): t for t in state.locales}
    locale = by_lower.get(tag.lower())
    result = state.results.get(Job(EMAIL, locale or "", f"emails/{name}"))
    if result is None or result.email is None:
        return None
    body = _page("email.html", **base, email=result.email, others=_emails(state))
    # The HTML part reloads in its frame; the text part is on this page.
    return DevPage(body, result.email.page.output_path[: -len(".html")] + ".txt")


def _matrix(state: BuildState) -> _Matrix:
    index = state.index
    matrix = _Matrix()
    flagged = {
        (f.path, f.locale): f
        for f in state.findings
        if f.rule in ("translation.outdated", "translation.untracked")
    }
    for key in index.groups:
        matrix.keys.append(key)
        for tag in state.locales:
            page = index.page(key, tag)
            if page is not None and key not in matrix.titles:
                matrix.titles[key] = page.title
            cell = _cell(index.groups[key], page, tag, flagged)
            if is_email_key(key) and cell.url is not None:
                preview = f"{PREVIEW_PATH}?email={quote(email_name(key))}&locale={quote(tag)}"
                cell = dataclasses.replace(cell, url=preview)
            matrix.cells[(key, tag)] = cell
    return matrix


def _cell(
    group: Mapping[str, Any],
    page: Page | None,
    tag: str,
    flagged: Mapping[tuple[Path | None, str | None], Finding],
) -> Cell:
    if page is None:
        return Cell("missing")
    url = page.url
    if page.is_fallback:
        return Cell("fallback", url, page.content_locale.tag)
    own = group.get(tag)
    finding = flagged.get((own.path if own is not None else None, tag))
    if finding is not None:
        return Cell(finding.rule.rpartition(".")[2], url, finding.message)
    return Cell("translated", url)
