"""``locgen build``: the one place that orders the phases of a build.

config → plugins → cultures → sources → site index → translation status →
render (in memory) → checks → strict gate → atomic publish → report. Each
phase lives in its own module; nothing is written until every page has
rendered.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from locgen.checks import CheckContext
from locgen.config import SiteConfig, load_config
from locgen.email_files import add_email_files
from locgen.emails import render_emails
from locgen.errors import BuildFailed, UsageError
from locgen.findings import Finding
from locgen.images import ImageTags
from locgen.locale_cultures import setup_cultures
from locgen.locales import site_locales
from locgen.pages import EMAILS_SECTION, SiteIndex, base_path_of, build_index
from locgen.phrasebook import load_phrasebook
from locgen.plugins import PLUGINS_FOLDER, PluginHost, load_plugins
from locgen.publish import publish
from locgen.render import OutputTree, SiteRenderer
from locgen.report import BuildResult
from locgen.sources import read_content
from locgen.translations import translation_findings


@dataclass(frozen=True)
class BuildRequest:
    """What ``locgen build`` was asked to do."""

    root: Path
    """Site folder (holding ``locgen.toml``)."""
    locales: tuple[str, ...] = ()
    """Locales to build; empty means all."""
    output: Path | None = None
    """Output folder overriding ``[site].output``."""
    base_url: str | None = None
    """Base URL overriding ``[site].base_url``."""
    include_drafts: bool = False
    """Build pages marked ``draft: true``."""
    strict: bool = False
    """Fail (and publish nothing) when the build has warnings."""
    emails_only: bool = False
    """Build only the emails and replace only the output's ``emails/`` folder."""


def build_site(
    request: BuildRequest, progress: Callable[[str, int, int], None] | None = None
) -> BuildResult:
    """Build the site described by *request* and publish it atomically."""
    started = time.perf_counter()
    _check_request(request)

    # 1. Configuration, with command-line overrides.
    config = apply_overrides(load_config(request.root), request)
    locales = select_locales(config, request.locales)

    # 2. Plugins, registered afresh for this build in a fixed order.
    host = load_plugins(config.root)

    # 3. Cultures: which profile each locale reads in, with the site's overrides.
    site_locale_map = site_locales(config, base_path_of(config))
    cultures = setup_cultures(config, host, site_locale_map)
    profiles = cultures.profiles()
    host.call("locgen_build_started", config=config, locales=tuple(locales))

    # 4. Sources: every Markdown file and asset under content/.
    tree = read_content(config)

    # 5. Site index: which page exists in which locale, at which URL.
    index = build_index(
        config, tree, include_drafts=request.include_drafts, locales=site_locale_map
    )

    # 6. Translation status, known before anything renders.
    findings = [f for f in cultures.findings if f.locale in locales]
    findings += translation_findings(index, locales)

    # 7. Render every output into memory, each locale through its culture.
    renderer = SiteRenderer(
        index,
        host,
        profiles,
        phrasebook=load_phrasebook(config.root),
        image_tags=ImageTags(config.content_dir, frozenset(tree.sidecars)),
    )
    output = OutputTree() if request.emails_only else renderer.render_site(locales, progress)
    emails = render_emails(renderer, locales)
    add_email_files(output, emails, config)
    findings += renderer.findings

    # 8. Checks that plugins register look at what was rendered.
    check_context = CheckContext(
        config=config,
        index=index,
        locales=tuple(locales),
        cultures=profiles,
        image_uses=tuple(renderer.image_uses),
    )
    findings += run_plugin_checks(host, check_context)

    # 9. Under --strict, warnings stop the build before the output is touched.
    warnings = [f for f in findings if f.level == "warning"]
    if request.strict and warnings:
        raise BuildFailed(
            f"{len(warnings)} warning(s) and --strict is set; {config.output_dir} was not changed",
            findings=warnings,
            hint="fix the warnings listed above, or build without --strict",
        )

    # 10. Publish: swap the complete new site (or its emails/ folder) into place.
    target = config.output_dir
    if request.emails_only:
        output, target = output.subtree(EMAILS_SECTION), target / EMAILS_SECTION
    publish(output, target, site_root=config.root, sources=_source_folders(config))

    drafts = sum(1 for s in tree.sources if s.is_draft) if not request.include_drafts else 0
    result = BuildResult(
        root=config.root,
        output_dir=config.output_dir,
        locales=tuple(locales),
        pages_by_locale={
            tag: 0 if request.emails_only else len(index.pages_in(tag)) for tag in locales
        },
        emails=len(emails),
        files=len(output),
        drafts_skipped=drafts,
        findings=tuple(findings),
        fallback_pages=_fallback_pages(index, locales),
        seconds=time.perf_counter() - started,
    )
    host.call("locgen_build_finished", config=config, result=result)
    return result


def run_plugin_checks(host: PluginHost, context: CheckContext) -> list[Finding]:
    """Run every check plugins register; a check that raises names its plugin."""
    checks = [check for group in host.call("locgen_checks") for check in group]
    findings: list[Finding] = []
    for check in checks:
        with host.blame(f"check {check.id}", {}):
            findings.extend(check.run(context))
    return findings


def apply_overrides(config: SiteConfig, request: BuildRequest) -> SiteConfig:
    """Return *config* with ``--output`` and ``--base-url`` applied."""
    changes: dict[str, object] = {}
    if request.output is not None:
        changes["output"] = str(request.output.absolute())
    if request.base_url is not None:
        parts = urlsplit(request.base_url)
        if not (
            parts.scheme in ("http", "https") and parts.netloc
        ) and not request.base_url.startswith("/"):
            raise UsageError(
                f"--base-url {request.base_url!r} is not an absolute URL or path",
                hint="use a URL such as https://example.com/ or a path such as /docs/",
            )
        base = request.base_url if request.base_url.endswith("/") else request.base_url + "/"
        changes["base_url"] = base
    return dataclasses.replace(config, **changes) if changes else config  # type: ignore[arg-type]


def _check_request(request: BuildRequest) -> None:
    if request.emails_only and request.locales:
        raise UsageError(
            "--emails-only builds every locale's emails and cannot be combined with --locale",
            hint="leave out --locale: the emails/ folder and its manifest are replaced as a whole",
        )


def select_locales(config: SiteConfig, requested: tuple[str, ...]) -> list[str]:
    """Return the locales to build, in config order; unknown ones are a usage error."""
    if not requested:
        return list(config.locales)
    by_lower = {tag.lower(): tag for tag in config.locales}
    chosen = set()
    for tag in requested:
        known = by_lower.get(tag.lower())
        if known is None:
            raise UsageError(
                f"--locale {tag!r} is not one of the site's locales",
                hint=f"choose from {', '.join(config.locales)}",
            )
        chosen.add(known)
    return [tag for tag in config.locales if tag in chosen]


def _source_folders(config: SiteConfig) -> list[Path]:
    return [
        config.content_dir,
        config.locales_dir,
        config.root / "themes",
        config.theme_dir,
        config.root / PLUGINS_FOLDER,
    ]


def _fallback_pages(index: SiteIndex, locales: list[str]) -> dict[str, tuple[str, ...]]:
    return {
        tag: tuple(p.key for p in index.pages_in(tag) if p.is_fallback and p.source is not None)
        for tag in locales
    }
