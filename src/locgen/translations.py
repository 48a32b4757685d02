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

from locgen.findings import Finding
from locgen.pages import SiteIndex


def group_findings(index: SiteIndex, key: str, locales: Iterable[str]) -> list[Finding]:
    """The fallback, missing and outdated findings of translation group *key*."""
    selected = list(locales)
    findings: list[Finding] = []
    default_tag = index.config.default_locale
    translations = index.groups[key]
    original = translations.get(default_tag)
    for tag in selected:
        page = index.page(key, tag)
        own = translations.get(tag)
        if page is None:
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
        elif page.is_fallback:
            findings.append(
                Finding(
                    rule="translation.fallback",
                    level="info",
                    message=f"{key} is not translated into {tag}; "
                    f"showing the {page.content_locale.tag} text",
                    path=page.source.path if page.source else None,
                    locale=tag,
                    suggestion=f"add {key}.{tag}.md",
                )
            )
        if own is None or original is None or tag == default_tag:
            continue
        recorded = own.meta.get("source_hash")
        if recorded is None:
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
        elif recorded != original.digest:
            findings.append(
                Finding(
                    rule="translation.outdated",
                    level="warning",
                    message=f"outdated: {original.rel_path} changed since this translation "
                    f"(source_hash {recorded}, source is now {original.digest})",
                    path=own.path,
                    line=own.line_of("source_hash"),
                    locale=tag,
                    suggestion=f"update the translation, then set "
                    f'`source_hash: "{original.digest}"`',
                )
            )
    return findings
