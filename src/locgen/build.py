"""``locgen build``: the one place that orders the phases of a build.

config → plugins → cultures → sources → site index → translation status →
render (in memory) → checks → strict gate → atomic publish → report. Each
phase lives in its own module; nothing is written until every page has
rendered.

A :class:`SiteBuild` keeps what a build made, so that the dev server can
bring it up to date after a change by running only the phases and render
jobs the change affects.
"""

from __future__ import annotations

import contextlib
import dataclasses
import time
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from itertools import chain
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from locgen import deps
from locgen.cache import BuildCache, Fingerprints, site_key
from locgen.catalogs import catalog_candidates
from locgen.checks import Check, CheckContext, HtmlOutline
from locgen.config import SiteConfig, load_config
from locgen.errors import BuildFailed, ConfigError, LocgenError, UsageError
from locgen.findings import Finding
from locgen.forking import Aside, aside
from locgen.images import ImageTags, ImageUse
from locgen.incremental import (
    EMAIL,
    PAGE,
    PARALLEL_MIN_JOBS,
    Job,
    JobResult,
    JobRunner,
    assemble,
    default_workers,
    index_tokens,
    run_jobs,
    runs_in_workers,
    shard_of,
    site_jobs,
    stale_jobs,
)
from locgen.locale_cultures import CultureSetup, setup_cultures
from locgen.locales import SiteLocale, site_locales
from locgen.pages import EMAILS_SECTION, SiteIndex, base_path_of, build_index
from locgen.phrasebook import PHRASEBOOK_NAME, Phrasebook, load_phrasebook
from locgen.plugins import PLUGINS_FOLDER, PluginHost, load_plugins
from locgen.prose_rules import ToneRuleError, parse_tone_rules
from locgen.publish import (
    Staging,
    changed_files,
    check_output_dir,
    publish,
    remove_leftovers,
    replace_file,
)
from locgen.render import STATIC_PREFIX, OutputTree, SiteRenderer
from locgen.report import BuildResult
from locgen.rules import RuleBook
from locgen.scratch import WRITE_PREFIX, remove_abandoned
from locgen.site_checks import prose_check
from locgen.sources import ContentTree, ReadAhead, SourceFile, read_again, read_content
from locgen.theme import EMAIL_FOLDER
from locgen.translations import group_findings


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
    origin: str | None = None
    """Scheme and host that replace the base URL's (the dev server's own address)."""
    all_checks: bool = False
    """Run every check; by default only those that can report an error run."""
    workers: int | None = None
    """Processes that render; ``None``: ``[build].jobs``, else one per CPU."""
    shard: tuple[int, int] | None = None
    """``(I, N)``: build only the I-th of N disjoint parts of the pages (1-based)."""
    use_cache: bool = False
    """Reuse and keep render results in the build cache (``[build].cache_dir``)."""


def build_site(
    request: BuildRequest,
    progress: Callable[[str, int, int], None] | None = None,
    notice: Callable[[str], None] | None = None,
    ahead: ReadAhead | None = None,
) -> BuildResult:
    """Build the site described by *request* and publish it atomically.

    :param notice: told of problems that do not stop the build (a damaged cache file).
    :param ahead: the site's pages, being read since the command started
        (:func:`~locgen.sources.read_ahead`); the caller stops it when this raises.
    """
    started = time.perf_counter()
    build = SiteBuild(request, notice, publishing=True, ahead=ahead)
    try:
        state = build.run(progress)
    except BaseException:
        if build.staging is not None:
            build.staging.abandon()
        raise
    result = dataclasses.replace(
        build.result(time.perf_counter() - started), unchanged=build.unchanged
    )
    state.host.call("locgen_build_finished", config=state.config, result=result)
    return result


def _check_and_publish(build: SiteBuild, state: BuildState) -> bool:
    """Stop on errors (and under ``--strict`` warnings), else publish; True if nothing changed."""
    request = build.request
    # Errors, and under --strict warnings, stop the build before the output is touched.
    errors = [f for f in state.findings if f.level == "error"]
    if errors:
        raise BuildFailed(
            f"{len(errors)} error(s); {state.config.output_dir} was not changed",
            findings=errors,
            hint="fix the errors listed above (`locgen check` lists every finding)",
        )
    warnings = [f for f in state.findings if f.level == "warning"]
    if request.strict and warnings:
        raise BuildFailed(
            f"{len(warnings)} warning(s) and --strict is set; "
            f"{state.config.output_dir} was not changed",
            findings=warnings,
            hint="fix the warnings listed above, or build without --strict",
        )

    # Publish: swap the complete new site (or its emails/ folder) into place.
    output, target = state.output, state.config.output_dir.absolute()
    sources = source_folders(state.config)
    cache = build.cache
    if request.emails_only:
        publish(
            output.subtree(EMAILS_SECTION),
            target / EMAILS_SECTION,
            site_root=state.config.root,
            sources=sources,
            top=target,
        )
        if cache is not None:
            cache.forget_published()
        return False
    if build.staging is not None:  # pages went into the new folder as they rendered
        build.staging.complete(output)
        if cache is not None:
            cache.record_published(target, {path: output.digest(path) for path in output.paths()})
        return False
    # No staging: the cache knows the last publish to this folder (SiteBuild._stage). Files
    # it wrote and nothing touched since are linked, not written; one changed file is
    # renamed into place; when none changed, nothing is written.
    assert cache is not None
    same = cache.published_file
    changed: list[str] | None
    if cache.holds_only_published(target, output.paths()):  # no file came or went
        changed = [path for path, _ in output.items() if same(path, output.digest(path)) is None]
    else:
        changed = changed_files(target, output, same)
    if changed == []:
        return True
    digests = {path: output.digest(path) for path in output.paths()}
    if changed is not None and len(changed) == 1:
        check_output_dir(target, state.config.root, sources)
        replace_file(output, target, changed[0])
        cache.record_published(target, digests, written=changed)
    else:
        publish(output, target, site_root=state.config.root, sources=sources, unchanged=same)
        cache.record_published(target, digests)
    return False


@dataclass
class BuildState:
    """Everything one build made, from configuration to output tree."""

    config: SiteConfig
    """Configuration with command-line overrides."""
    locales: list[str]
    """Locales built."""
    host: PluginHost
    """Plugins, in registration order."""
    cultures: CultureSetup
    """Each locale's culture."""
    tree: ContentTree
    """Everything under ``content/``."""
    index: SiteIndex
    """Which page exists in which locale, at which URL."""
    renderer: SiteRenderer
    """The renderer (theme, Markdown, shortcodes) the outputs were made with."""
    jobs: list[Job]
    """Every render job, in output order."""
    results: dict[Job, JobResult]
    """What each job made and read."""
    rulebook: RuleBook
    """Every rule the checks declare, with the site's settings; applied to the findings."""
    checks: tuple[Check, ...]
    """The checks this build runs (all of them, or those that can report an error)."""
    translation: dict[str, list[Finding]] = field(default_factory=dict)
    """Translation findings by translation group, in the index's order."""
    output: OutputTree = field(default_factory=OutputTree)
    """The built site, in memory."""
    cache: dict[str, Any] = field(default_factory=dict)
    """What site checks memoize, kept from one update to the next."""
    store: dict[str, Any] = field(default_factory=dict)
    """What site checks keep by content, from one update and one build to the next."""
    findings: list[Finding] = field(default_factory=list)
    """Everything the build noticed, after the site's rule settings."""
    gathered: _Gathered | None = None
    """The jobs' findings, image uses and outlines put together (:meth:`SiteBuild._check`)."""


@dataclass(frozen=True)
class _Gathered:
    """What the site checks read of every job's result, in job order."""

    findings: list[Finding]
    image_uses: tuple[ImageUse, ...]
    outlines: dict[str, HtmlOutline]

    @classmethod
    def of(cls, results: Iterable[JobResult]) -> _Gathered:
        """Put the findings, image uses and outlines of *results* together."""
        results = list(results)
        return cls(
            findings=list(chain.from_iterable(result.findings for result in results)),
            image_uses=tuple(chain.from_iterable(result.image_uses for result in results)),
            outlines=dict(chain.from_iterable(result.outlines for result in results)),
        )

    def with_rendered(
        self, old: Mapping[Job, JobResult], new: Mapping[Job, JobResult], rendered: list[Job]
    ) -> _Gathered | None:
        """The same with the results of *rendered* jobs replaced, when only outlines
        changed (the same findings and image uses); ``None`` when it must be made anew."""
        outlines = dict(self.outlines)
        for job in rendered:
            before, after = old.get(job), new[job]
            if before is None or (before.findings, before.image_uses) != (
                after.findings,
                after.image_uses,
            ):
                return None
            for path, _ in before.outlines:
                del outlines[path]
            outlines.update(after.outlines)
        return _Gathered(self.findings, self.image_uses, outlines)


@dataclass(frozen=True)
class Update:
    """What bringing a build up to date did."""

    rendered: tuple[Job, ...]
    """Jobs rendered again, in output order."""
    changed: tuple[str, ...]
    """Output paths whose contents changed, appeared or went away."""
    restarted: bool
    """True when the change (config, plugins, phrasebook) needed a build from scratch."""
    seconds: float
    """Time taken."""

    @property
    def pages(self) -> int:
        """Pages and emails rendered again."""
        return sum(1 for job in self.rendered if job.kind in (PAGE, EMAIL))


class SiteBuild:
    """A site's build, made once in full and then brought up to date change by change."""

    def __init__(
        self,
        request: BuildRequest,
        notice: Callable[[str], None] | None = None,
        *,
        publishing: bool = False,
        ahead: ReadAhead | None = None,
    ) -> None:
        """:param publishing: :meth:`run` publishes the build (:func:`build_site`): when
        the whole output has to be written, it is written while the pages render, and
        it is swapped into place while a copy of this process writes the cache.
        :param ahead: the site's pages, being read ahead of the first :meth:`run`."""
        _check_request(request)
        self.request = request
        self.publishing = publishing
        self._ahead = ahead
        self.staging: Staging | None = None
        """The new output folder being written while pages render, if it is; the caller
        of :meth:`run` completes or abandons it."""
        self.state: BuildState | None = None
        """The last complete build; ``None`` until :meth:`run` succeeds."""
        self.cache: BuildCache | None = None
        """The build cache of the last :meth:`run`, when the request uses one."""
        self.rendered: tuple[Job, ...] = ()
        """The jobs the last :meth:`run` rendered; the others came from the cache."""
        self.unchanged = False
        """The last :meth:`run` published nothing: the output folder held it all already."""
        self._notice = notice or (lambda message: None)
        self._pending: set[Path] = set()

    def run(self, progress: Callable[[str, int, int], None] | None = None) -> BuildState:
        """Build everything from scratch, and publish it when :attr:`publishing`; the
        state changes only if the build succeeds."""
        request = self.request
        # 1. Configuration, with command-line overrides.
        config = apply_overrides(load_config(request.root), request)
        locales = select_locales(config, request.locales)
        if self.publishing:
            remove_leftovers(config.output_dir)  # of builds killed while they ran
            remove_abandoned(config.cache_dir, WRITE_PREFIX, recursive=True)

        # 2. Plugins, registered afresh for this build in a fixed order.
        host = load_plugins(config.root)

        # 3. Cultures: which profile each locale reads in, with the site's overrides.
        site_locale_map = site_locales(config, base_path_of(config))
        cultures = setup_cultures(config, host, site_locale_map)
        host.call("locgen_build_started", config=config, locales=tuple(locales))

        # 4. Sources: every Markdown file and asset under content/ (unchanged files as the
        # last build parsed them).
        cache = self.cache = self._open_cache(config, host, locales) if request.use_cache else None
        if cache is not None:
            for tag, facts in cache.locale_facts.items():
                if tag in site_locale_map:
                    site_locale_map[tag].know(facts)
        ahead, self._ahead = self._ahead, None
        if ahead is not None and host.implemented("locgen_build_started"):
            ahead.stop()  # the plugin may change the content before it is read, as it may
            ahead = None
        tree = read_content(config, reuse=cache.source if cache is not None else None, ahead=ahead)

        # 5. Site index: which page exists in which locale, at which URL.
        index = build_index(
            config, tree, include_drafts=request.include_drafts, locales=site_locale_map
        )

        # 6. Checks: every rule the plugins declare, with the site's settings.
        phrasebook = load_phrasebook(config.root)
        rulebook = load_rulebook(host, config, phrasebook)
        checks = tuple(
            check for check in rulebook.checks if request.all_checks or rulebook.can_be_error(check)
        )

        # 7. Render every output into memory, each locale through its culture.
        renderer = SiteRenderer(
            index,
            host,
            cultures.profiles(),
            phrasebook=phrasebook,
            image_tags=ImageTags(config.content_dir, frozenset(tree.sidecars)),
            text_checks=checks,
            template_cache=cache.folder / "templates" if cache is not None else None,
        )
        jobs = site_jobs(index, locales, pages=not request.emails_only)
        groups = list(index.groups)
        if request.shard is not None:
            jobs = [job for job in jobs if shard_of(job.key, request.shard[1]) == request.shard[0]]
            groups = [key for key in groups if shard_of(key, request.shard[1]) == request.shard[0]]
        runner = JobRunner(renderer, outlines=any(check.reads_html for check in checks))
        counter = _Progress(jobs, progress)
        results: dict[Job, JobResult] = {}
        fingerprints = Fingerprints(
            tree=tree,
            index=index,
            theme=renderer.theme,
            cultures=cultures.profiles(),
            static_files=renderer.static_files,
        )
        staging = self.staging = self._stage(config, cache)

        def done(job: Job, result: JobResult) -> None:
            counter.done(job)
            if staging is not None:
                for file in result.files:
                    staging.write(file.path, file.data)

        # One compile catches every syntax error, and the locales and the workers reuse
        # the bytecode. Templates that did not compile in the last build start compiling
        # in a copy of this process now, while this one finds what to render and loads
        # what rendering takes. Those that did are left to rendering when only a few
        # pages render.
        names = sorted(renderer.theme.template_names)
        templates = fingerprints.state(deps.template(name) for name in names)
        compiled = cache is not None and cache.compiled_templates == templates
        default_locale = index.locales[config.default_locale]
        compiling = None
        if not request.emails_only and not compiled:
            compiling = renderer.theme.begin_compile(default_locale)
        try:
            stale = []
            for job in jobs:
                found = cache.result(job, fingerprints) if cache is not None else None
                if found is None:
                    stale.append(job)
                else:
                    results[job] = found
            if compiling is None and not request.emails_only and len(stale) >= PARALLEL_MIN_JOBS:
                compiling = renderer.theme.begin_compile(default_locale)
            if stale and not request.emails_only:
                # Every page's language switcher names every locale: work their names out
                # once, here, rather than in each worker, and keep them for the next build.
                worked_out = {tag: locale.facts() for tag, locale in index.locales.items()}
                if cache is not None:
                    cache.locale_facts = worked_out
            workers = request.workers or config.build.jobs or default_workers()
            if runs_in_workers(stale, workers):
                runner.prepare(stale)
            if compiling is not None:
                compiling.finish()
        except BaseException:
            if compiling is not None:
                compiling.stop()
            raise
        if cache is not None:
            cache.compiled_templates = templates
        rendered = run_jobs(runner, stale, workers=workers, done=done)
        for job, found in results.items():  # after the workers started: writing starts threads
            done(job, found)
        self.rendered = tuple(stale)
        results.update(rendered)
        save = None if cache is None else partial(cache.save, rendered, fingerprints, tree.sources)
        saving: Aside[None] | None = None
        if save is not None and rendered:
            # Keeping what rendered takes a while: a copy of this process writes it to the
            # cache while this one runs the checks (whose store is written after them).
            # A build that rendered nothing saves here: a copy would cost more.
            if staging is not None:
                staging.settle()  # its writer threads end: no copy is made while they run
            saving = aside(save)

        try:
            # 8. The output tree, translation status and site checks.
            translation = {key: group_findings(index, key, locales) for key in groups}
            state = BuildState(
                config,
                locales,
                host,
                cultures,
                tree,
                index,
                renderer,
                jobs,
                results,
                rulebook,
                checks,
                translation,
                store=cache.store if cache is not None else {},
            )
            state.output = self._assemble(state, runner)
            self._check(state, runner)
        except BaseException:
            if saving is not None:
                saving.stop()  # a build that fails before its checks end keeps no cache
            raise
        if cache is not None:
            cache.save_store()

        def keep_cache() -> None:
            if saving is not None:
                saving.result()
            elif save is not None:
                save()

        try:
            if self.publishing:  # while the copy still writes the cache
                self.unchanged = _check_and_publish(self, state)
        except LocgenError:  # errors found, or an output folder that cannot be written
            keep_cache()
            raise
        except BaseException:
            if saving is not None:
                saving.stop()  # interrupted: no cache is kept
            raise
        keep_cache()
        self.state = state
        self._pending.clear()
        return state

    def update(self, paths: Iterable[Path]) -> Update:
        """Bring the build up to date after *paths* changed (created, edited or deleted).

        Only the render jobs whose recorded dependencies the change touches run
        again. If the update fails, the previous build stays current and the
        paths are remembered for the next update.
        """
        started = time.perf_counter()
        self._pending.update(path.absolute() for path in paths)
        old = self.state
        if old is None or _needs_restart(old.config, self._pending):
            previous = old.output if old is not None else OutputTree()
            state = self.run()
            return Update(
                rendered=tuple(state.jobs),
                changed=_changed_paths(previous, state.output),
                restarted=True,
                seconds=time.perf_counter() - started,
            )
        change = _classify(old, self._pending)
        state, rendered, replaced = self._apply(old, change)
        self.state = state
        self._pending.clear()
        if replaced is None:
            changed = _changed_paths(old.output, state.output, change.touched_outputs)
        else:
            changed = tuple(sorted({*replaced, *change.touched_outputs} & state.output.paths()))
        return Update(
            rendered=tuple(rendered),
            changed=changed,
            restarted=False,
            seconds=time.perf_counter() - started,
        )

    def _stage(self, config: SiteConfig, cache: BuildCache | None) -> Staging | None:
        """A new output folder to write pages into as they render, when the build will
        write the whole output (not when it can keep the files that did not change)."""
        target = config.output_dir.absolute()
        if not self.publishing or self.request.emails_only:
            return None
        if cache is not None and cache.published_to(target):
            return None
        return Staging(target, site_root=config.root, sources=source_folders(config))

    def _open_cache(self, config: SiteConfig, host: PluginHost, locales: list[str]) -> BuildCache:
        """The build cache of this request: one for builds, one for ``locgen check``."""
        request = self.request
        options = {
            "locales": locales,
            "drafts": request.include_drafts,
            "emails_only": request.emails_only,
            "all_checks": request.all_checks,
            "shard": request.shard,
        }
        folder = config.cache_dir / ("check" if request.all_checks else "build")
        return BuildCache(folder, site_key(config, host, options), self._notice)

    def result(self, seconds: float) -> BuildResult:
        """The report of the current build."""
        state = self.state
        assert state is not None
        request = self.request
        drafts = 0 if request.include_drafts else sum(1 for s in state.tree.sources if s.is_draft)
        emails = sum(1 for job in state.jobs if job.kind == EMAIL)
        return BuildResult(
            root=state.config.root,
            output_dir=state.config.output_dir,
            locales=tuple(state.locales),
            pages_by_locale={  # the pages this build made (a shard makes a part of them)
                tag: sum(1 for job in state.jobs if job.kind == PAGE and job.locale == tag)
                for tag in state.locales
            },
            emails=emails,
            files=len(state.output),  # with --emails-only the output holds only emails/
            drafts_skipped=drafts,
            findings=tuple(state.findings),
            fallback_pages=_fallback_pages(state.index, state.locales),
            seconds=seconds,
            rendered=len(self.rendered),
            reused=len(state.jobs) - len(self.rendered),
        )

    def _apply(
        self, old: BuildState, change: _Change
    ) -> tuple[BuildState, list[Job], set[str] | None]:
        """A new state from *old* and *change*, rendering only the stale jobs.

        Also returns the output paths whose contents changed when the output tree
        could be brought up to date file by file, else ``None``.
        """
        config = old.config
        tokens = set(change.tokens)
        tree, index = old.tree, old.index
        edited: set[str] | None = set()
        if change.content:
            tree, index, content_tokens, edited = self._reread(old, change)
            tokens |= content_tokens
        image_tags = old.renderer.image_tags
        if change.sidecars or tree.sidecars != old.tree.sidecars:
            image_tags = ImageTags(config.content_dir, frozenset(tree.sidecars))
            tokens.add(deps.IMAGES)
        if change.theme:
            renderer = SiteRenderer(
                index,
                old.host,
                old.cultures.profiles(),
                phrasebook=old.renderer.phrasebook,
                image_tags=image_tags,
                text_checks=old.checks,
            )
            if not self.request.emails_only:
                renderer.theme.compile_all(index.locales[config.default_locale])
            if renderer.static_files.keys() != old.renderer.static_files.keys():
                tokens.add(deps.STATIC)
        else:
            renderer = old.renderer
            renderer.use_index(index, image_tags)

        if edited is None:  # the site was placed again
            jobs = site_jobs(index, old.locales, pages=not self.request.emails_only)
            translation = {key: group_findings(index, key, old.locales) for key in index.groups}
        else:  # every page kept its place: the same jobs, the same status but for the edits
            jobs = old.jobs
            translation = {
                key: group_findings(index, key, old.locales) if key in edited else findings
                for key, findings in old.translation.items()
            }
        stale = stale_jobs(old.results, tokens)
        runner = JobRunner(renderer, outlines=any(check.reads_html for check in old.checks))
        results: dict[Job, JobResult] = {}
        rendered: list[Job] = []
        for job in jobs:
            previous = old.results.get(job)
            if previous is None or job in stale:
                results[job] = runner.run(job)
                rendered.append(job)
            else:
                results[job] = previous
        # The same config, plugins, cultures and checks; new content, renders and findings.
        state = dataclasses.replace(
            old,
            tree=tree,
            index=index,
            renderer=renderer,
            jobs=jobs,
            results=results,
            translation=translation,
            output=OutputTree(),
            findings=[],
        )
        replaced: set[str] | None = None
        if jobs is old.jobs and renderer is old.renderer and index.assets == old.index.assets:
            replaced = _replaced_files(old, rendered, results)
        if replaced is None:
            state.output = self._assemble(state, runner)
            state.gathered = None
        else:
            if old.gathered is not None:  # the same jobs: only the rendered ones can differ
                state.gathered = old.gathered.with_rendered(old.results, results, rendered)
            state.output = old.output.with_files(
                (file.path, file.data, digest)
                for job in rendered
                for file, digest in zip(results[job].files, results[job].digests, strict=True)
            )
        self._check(state, runner)
        return state, rendered, replaced

    def _reread(
        self, old: BuildState, change: _Change
    ) -> tuple[ContentTree, SiteIndex, set[str], set[str] | None]:
        """Read the changed content files again and place the site anew if it must be.

        Returns the tree, the index, the dependency tokens touched, and the
        translation groups whose files were edited in place, or ``None`` when
        the site had to be placed again.
        """
        config = old.config
        content_dir = config.content_dir
        sources, positions = old.tree.sources, old.tree.positions
        copied = {*old.tree.assets, *old.tree.sidecars}
        moved = {
            path
            for path in change.content
            if not path.is_file()
            or (path not in positions and path.relative_to(content_dir).as_posix() not in copied)
        }
        if not moved:
            # Files edited in place. Images and sidecars are read when served or
            # tagged; Markdown files are read again, just those.
            edited = {
                path: read_again(sources[positions[path]], config)
                for path in change.content
                if path in positions
            }
            if not edited:
                return old.tree, old.index, set(), set()
            tree = old.tree.with_edited(edited)
            if all(new.meta == sources[positions[path]].meta for path, new in edited.items()):
                # Only bodies changed: every page keeps its place, URL and title.
                replaced = {id(sources[positions[path]]): new for path, new in edited.items()}
                keys = {new.key for new in edited.values()}
                index = old.index.with_sources(replaced)
                files = {deps.source(new.key, new.locale) for new in edited.values()}
                return tree, index, files, keys
        else:
            # Files or folders appeared, went away or moved: walk the folder again.

            def unchanged(path: Path) -> SourceFile | None:
                if path in change.content or _inside_any(path, moved, content_dir):
                    return None
                number = positions.get(path)
                return sources[number] if number is not None else None

            tree = read_content(config, reuse=unchanged)
        index = build_index(
            config,
            tree,
            include_drafts=self.request.include_drafts,
            locales=old.index.locales,
        )
        return tree, index, index_tokens(old.index, index), None

    def _assemble(self, state: BuildState, runner: JobRunner) -> OutputTree:
        """The output tree of a rendered *state*."""
        return assemble(
            state.jobs,
            state.results,
            runner.renderer,
            state.config,
            pages=not self.request.emails_only,
        )

    def _check(self, state: BuildState, runner: JobRunner) -> None:
        """Add the findings to a rendered *state* with its output tree."""
        findings = [f for f in state.cultures.findings if f.locale in state.locales]
        findings += chain.from_iterable(state.translation.values())
        if state.gathered is None:
            state.gathered = _Gathered.of(map(state.results.__getitem__, state.jobs))
        findings += state.gathered.findings
        image_uses, outlines = state.gathered.image_uses, state.gathered.outlines
        check_context = CheckContext(
            config=state.config,
            index=state.index,
            locales=tuple(state.locales),
            cultures=state.cultures.profiles(),
            image_uses=image_uses,
            output=state.output.get,
            output_paths=state.output.paths(),
            theme=runner.renderer.theme,
            cache=state.cache,
            store=state.store,
            outline=outlines.get,
        )
        findings += run_site_checks(state.host, state.checks, check_context)
        state.findings = state.rulebook.apply(findings, state.tree.sources)


@dataclass
class _Change:
    """What a set of changed paths touches, sorted by the phase that reads them."""

    content: set[Path] = field(default_factory=set)
    """Changed files and folders under ``content/`` (Markdown and assets)."""
    sidecars: bool = False
    """An image sidecar (tags) changed."""
    theme: bool = False
    """Templates, catalogs or the set of static files changed: the renderer is made afresh."""
    tokens: set[str] = field(default_factory=set)
    """Dependency tokens touched directly (templates, catalogs)."""
    touched_outputs: set[str] = field(default_factory=set)
    """Output paths that are copies of changed files (assets, static files)."""


def _needs_restart(config: SiteConfig, paths: Collection[Path]) -> bool:
    """True when *paths* include the config, the phrasebook or a plugin."""
    restart = {config.config_path.absolute(), (config.root / PHRASEBOOK_NAME).absolute()}
    plugins = (config.root / PLUGINS_FOLDER).absolute()
    return any(path in restart or path == plugins or plugins in path.parents for path in paths)


def _classify(state: BuildState, paths: Collection[Path]) -> _Change:
    """Sort changed *paths* by what they affect."""
    config = state.config
    theme = state.renderer.theme
    change = _Change()
    content_dir = config.content_dir.absolute()
    template_roots = [(root.absolute(), "") for root in theme.templates_dirs]
    template_roots += [(root.absolute(), EMAIL_FOLDER + "/") for root in theme.email_dirs]
    static_roots = [(layer / "static").absolute() for layer in theme.layers]
    catalog_roots = [folder.absolute() for folder in theme.catalog_dirs()]
    for path in paths:
        if path == content_dir or content_dir in path.parents:
            change.content.add(path)
            rel = path.relative_to(content_dir).as_posix()
            if rel.endswith(".yaml") or path.is_dir():
                change.sidecars = True
            if not rel.endswith(".md"):
                change.touched_outputs.add(rel)
            continue
        for root, prefix in template_roots:
            if root in path.parents:
                change.theme = True
                name = prefix + path.relative_to(root).as_posix()
                names = _template_names(path, name, theme.template_names)
                change.tokens |= {deps.template(n) for n in names}
        for root in static_roots:
            if root in path.parents:
                rel = path.relative_to(root).as_posix()
                change.touched_outputs.add(STATIC_PREFIX + rel)
                served = state.renderer.static_files.get(rel)
                if served is None or served.absolute() != path or not path.is_file():
                    change.theme = True  # the set of static files changed: static_url() sees it
        for root in catalog_roots:
            if root in path.parents:
                change.theme = True
                locales = _catalog_locales(path, root, state.index.locales)
                change.tokens |= {deps.catalog(tag) for tag in locales}
    return change


def _template_names(path: Path, name: str, known: Collection[str]) -> set[str]:
    """The template names a change at *path* (loaded as *name*) touches.

    A file touches its own name, whether it was edited, appeared (it may hide
    another layer's template of that name) or went away. A folder touches
    every template in it, before and after.
    """
    names = {name} | {other for other in known if other.startswith(name + "/")}
    # A folder removed while it is listed holds no template now.
    with contextlib.suppress(FileNotFoundError):
        if path.is_dir():
            names |= {
                f"{name}/{file.relative_to(path).as_posix()}"
                for file in path.rglob("*")
                if file.is_file()
            }
    return names


def _catalog_locales(path: Path, root: Path, locales: dict[str, SiteLocale]) -> set[str]:
    """The locales whose strings the catalog at *path* (under *root*) can hold."""
    touched = {
        tag
        for tag, locale in locales.items()
        if any(path.with_suffix(".po") == c for c in catalog_candidates(root, locale))
    }
    return touched or set(locales)


def _inside_any(path: Path, folders: Collection[Path], top: Path) -> bool:
    """True when a folder above *path*, below *top*, is among *folders*."""
    return bool(folders) and any(
        parent in folders for parent in path.parents if top in parent.parents
    )


def _replaced_files(
    old: BuildState, rendered: Iterable[Job], results: Mapping[Job, JobResult]
) -> set[str] | None:
    """The paths of the files *rendered* jobs made anew whose contents changed.

    ``None`` when a job made files at other paths than before, or has an entry in
    the email manifest (which is assembled from every email's entry).
    """
    changed: set[str] = set()
    for job in rendered:
        before, after = old.results[job], results[job]
        if (
            before.manifest_entry is not None
            or after.manifest_entry is not None
            or [f.path for f in before.files] != [f.path for f in after.files]
            or len(before.digests) != len(before.files)
            or len(after.digests) != len(after.files)
        ):
            return None
        changed.update(
            file.path
            for file, earlier, now in zip(after.files, before.digests, after.digests, strict=True)
            if earlier != now
        )
    return changed


def _changed_paths(
    before: OutputTree, after: OutputTree, copied: Collection[str] = ()
) -> tuple[str, ...]:
    """Output paths that differ between two trees, plus *copied* files that changed on disk."""
    changed = {path for path, _ in after.items() if before.get(path) != after.get(path)}
    changed |= {path for path, _ in before.items() if path not in after}
    changed |= {path for path in copied if path in after or path in before}
    return tuple(sorted(changed))


class _Progress:
    """Reports pages done per locale to a progress callback."""

    def __init__(self, jobs: list[Job], report: Callable[[str, int, int], None] | None) -> None:
        self._report = report
        self._totals: dict[str, int] = {}
        for job in jobs:
            if job.kind == PAGE:
                self._totals[job.locale] = self._totals.get(job.locale, 0) + 1
        self._done: dict[str, int] = {}

    def done(self, job: Job) -> None:
        if self._report is None or job.kind != PAGE:
            return
        count = self._done[job.locale] = self._done.get(job.locale, 0) + 1
        self._report(job.locale, count, self._totals[job.locale])


def load_rulebook(host: PluginHost, config: SiteConfig, phrasebook: Phrasebook) -> RuleBook:
    """Every check and its rules, with the site's ``[checks]`` settings checked against them.

    The checks are the prose check, with every plugin's and the site's tone
    rules, then each plugin's ``locgen_checks``.
    """
    tone_rules = [rule for group in host.call("locgen_tone_rules") for rule in group]
    try:
        tone_rules += parse_tone_rules(list(config.checks.tone), "checks.tone")
    except ToneRuleError as exc:
        raise ConfigError(
            str(exc),
            path=config.config_path,
            line=config.checks.table_line("tone", (exc.index or 0) + 1),
            hint="see the tone rules in docs/checks.md",
        ) from None
    checks = [prose_check(tone_rules, phrasebook)]
    checks += [check for group in host.call("locgen_checks") for check in group]
    return RuleBook(checks, config)


def run_site_checks(
    host: PluginHost, checks: Iterable[Check], context: CheckContext
) -> list[Finding]:
    """Run the site-wide part of *checks*; a check that raises names its plugin."""
    findings: list[Finding] = []
    for check in checks:
        if check.run is not None:
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
    if request.origin is not None:
        path = base_path_of(dataclasses.replace(config, **changes))  # type: ignore[arg-type]
        changes["base_url"] = request.origin.rstrip("/") + path
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


def source_folders(config: SiteConfig) -> list[Path]:
    """The folders a build reads, which the output folder must stay clear of."""
    return [
        config.content_dir,
        config.locales_dir,
        config.root / "themes",
        config.theme_dir,
        config.root / PLUGINS_FOLDER,
        config.cache_dir,
    ]


def _fallback_pages(index: SiteIndex, locales: list[str]) -> dict[str, tuple[str, ...]]:
    return {
        tag: tuple(p.key for p in index.pages_in(tag) if p.is_fallback and p.source is not None)
        for tag in locales
    }
