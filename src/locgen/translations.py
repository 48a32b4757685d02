"""Translation status: pages served by fallback, missing pages, outdated translations.

A translation records which version of its source it was made from in the
front-matter field ``source_hash``: the short hash of the default-locale file.
When the source changes, its hash changes and the translation is reported as
outdated until a translator updates it and copies the new hash, which the
report prints. The hash depends only on file contents, so it works the same
in a fresh clone, a shallow CI checkout or an archive.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from locgen.findings import Finding
from locgen.pages import SiteIndex

STATUSES = ("source", "translated", "untracked", "outdated", "fallback", "missing")
"""Translation status of a page in a locale, from best to worst."""


@dataclass(frozen=True)
class Status:
    """The translation status of one page in one locale."""

    status: str
    """One of :data:`STATUSES`."""
    served_from: str | None = None
    """For ``fallback``, the locale whose text is shown."""


def status_of(index: SiteIndex, key: str, tag: str) -> Status:
    """Whether translation group *key* is translated, outdated, served by fallback… in *tag*."""
    translations = index.groups[key]
    original = translations.get(index.config.default_locale)
    own = translations.get(tag)
    page = index.page(key, tag)
    if page is None:
        return Status("missing")
    if page.is_fallback:
        return Status("fallback", page.content_locale.tag)
    if tag == index.config.default_locale or own is None or original is None:
        return Status("source")
    recorded = own.meta.get("source_hash")
    if recorded is None:
        return Status("untracked")
    return Status("translated" if recorded == original.digest else "outdated")


def group_findings(index: SiteIndex, key: str, locales: Iterable[str]) -> list[Finding]:
    """The fallback, missing, untracked and outdated findings of translation group *key*."""
    findings: list[Finding] = []
    translations = index.groups[key]
    original = translations.get(index.config.default_locale)
    for tag in locales:
        status = status_of(index, key, tag)
        own = translations.get(tag)
        if status.status == "missing":
            findings.append(
                Finding(
                    rule="translation.missing",
                    level="warning",
                    message=f"{key} has no text for {tag} or any locale in its fallback chain",
                    path=(original or next(iter(translations.values()))).path,
                    locale=tag,
                    suggestion=f"translate it, or add a fallback for {tag} in locgen.toml",
                )
            )
        elif status.status == "fallback":
            page = index.page(key, tag)
            assert page is not None
            findings.append(
                Finding(
                    rule="translation.fallback",
                    level="info",
                    message=f"{key} is not translated into {tag}; "
                    f"showing the {status.served_from} text",
                    path=page.source.path if page.source else None,
                    locale=tag,
                    suggestion=f"add {key}.{tag}.md",
                )
            )
        elif status.status == "untracked":
            assert own is not None and original is not None
            findings.append(
                Finding(
                    rule="translation.untracked",
                    level="info",
                    message=f"cannot tell whether this translation is up to date: "
                    f"it has no source_hash (source is {original.digest})",
                    path=own.path,
                    line=1,
                    locale=tag,
                    suggestion=f"if it matches {original.rel_path}, add "
                    f'`source_hash: "{original.digest}"` to its front matter',
                )
            )
        elif status.status == "outdated":
            assert own is not None and original is not None
            findings.append(
                Finding(
                    rule="translation.outdated",
                    level="warning",
                    message=f"outdated: {original.rel_path} changed since this translation "
                    f"(source_hash {own.meta.get('source_hash')}, source is now "
                    f"{original.digest})",
                    path=own.path,
                    line=own.line_of("source_hash"),
                    locale=tag,
                    suggestion=f"update the translation, then set "
                    f'`source_hash: "{original.digest}"`',
                )
            )
    return findings
