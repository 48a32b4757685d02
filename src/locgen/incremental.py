"""A site as render jobs, and which jobs a change makes stale.

Every output that needs rendering is one :class:`Job`: a page in a locale,
an email in a locale, a 404 page, the language chooser, the sitemap. Its
:class:`JobResult` keeps the files it made and the dependency tokens
(:mod:`locgen.deps`) of everything it read. After a change, the tokens the
change touches select the jobs to run again; everything else is reused.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import os
from collections.abc import Callable, Collection, Generator, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from locgen import deps
from locgen.checks import HtmlOutline, html_outline
from locgen.config import SiteConfig
from locgen.digests import digest_bytes
from locgen.errors import LocgenError, WorkerStopped
from locgen.findings import Finding
from locgen.forking import CopyStopped, map_in_copies, may_fork
from locgen.images import ImageUse
from locgen.pages import HOME_KEY, Page, SiteIndex, is_email_key
from locgen.render import STATIC_PREFIX, OutputTree, SiteRenderer

if TYPE_CHECKING:
    # Email rendering (CSS inlining, HTML to text) is loaded when a build has emails.
    from locgen.emails import EmailRenderer, RenderedEmail

PAGE = "page"
EMAIL = "email"
NOT_FOUND = "not_found"
CHOOSER = "chooser"
SITEMAP = "sitemap"


class Job(NamedTuple):
    """One output to render.

    A named tuple rather than a dataclass: jobs are looked up by the ten
    thousand on every build and dev-server update, and a tuple hashes in C.
    """

    kind: str
    """``page``, ``email``, ``not_found``, ``chooser`` or ``sitemap``."""
    locale: str = ""
    """Reader's locale (``""`` for the root 404 page, the chooser and the sitemap)."""
    key: str = ""
    """Translation-group key of a page or email."""


@dataclass(frozen=True)
class OutputFile:
    """One file a job made."""

    path: str
    """Path under the output folder."""
    data: bytes | Path
    """Contents, or for a result from the build cache, the file that holds them."""
    origin: str
    """What the file is, for messages."""
    source: Path | None = None
    """The user's file it comes from."""


@dataclass(frozen=True)
class JobResult:
    """What one job made and read."""

    files: tuple[OutputFile, ...]
    """Files made, in the order they are added to the output."""
    deps: frozenset[str]
    """Dependency tokens of everything the job read."""
    findings: tuple[Finding, ...] = ()
    """Findings made while rendering."""
    image_uses: tuple[ImageUse, ...] = ()
    """Images shown."""
    email: RenderedEmail | None = None
    """The rendered email, for an email job."""
    manifest_entry: dict[str, object] | None = None
    """The email's entry in ``emails/manifest.json``."""
    outlines: tuple[tuple[str, HtmlOutline], ...] = ()
    """Links and ids of each HTML file made, by output path, when checks read them."""
    digests: tuple[str, ...] = ()
    """Digest of each file's contents (:func:`~locgen.digests.digest_bytes`), in the
    order of :attr:`files`."""


def site_jobs(index: SiteIndex, locales: Iterable[str], *, pages: bool = True) -> list[Job]:
    """Every job of a build of *locales*, in output order; emails only when not *pages*."""
    selected = list(locales)
    jobs: list[Job] = []
    if pages:
        for tag in selected:
            jobs.extend(Job(PAGE, tag, page.key) for page in index.pages_in(tag))
            jobs.append(Job(NOT_FOUND, tag))
        jobs += [Job(CHOOSER), Job(NOT_FOUND), Job(SITEMAP)]
    for tag in selected:
        jobs.extend(Job(EMAIL, tag, page.key) for page in index.emails_in(tag))
    return jobs


class JobRunner:
    """Runs jobs with one renderer, recording what each one reads."""

    def __init__(self, renderer: SiteRenderer, *, outlines: bool = False) -> None:
        self.renderer = renderer
        self.outlines = outlines
        """Outline every HTML file made (:attr:`JobResult.outlines`)."""
        self._emails: EmailRenderer | None = None

    def prepare(self, jobs: Iterable[Job]) -> None:
        """Set up now what rendering *jobs* sets up on first use, so that worker processes
        (:func:`run_jobs`), copies of this one, find it done rather than each doing it:
        the modules loaded on first use (the HTML parser outlining pages, email
        rendering), each locale's theme strings (compiled from their catalogs) and
        the Markdown pipelines.

        What fails here is left for the job that meets it, so that errors still come
        in job order, as in one process.
        """
        jobs = list(jobs)
        modules = ["selectolax.lexbor"] if self.outlines else []
        if any(job.kind == EMAIL for job in jobs):
            modules += ["locgen.emails", "locgen.email_files"]
        for module in modules:
            importlib.import_module(module)
        renderer = self.renderer
        config = renderer.index.config
        tags = dict.fromkeys(job.locale or config.default_locale for job in jobs)
        for tag in tags:
            with contextlib.suppress(LocgenError):
                renderer.theme.translations(renderer.index.locales[tag])
        for raw_html in sorted({config.allows_raw_html(tag) for tag in tags}):
            with contextlib.suppress(Exception):  # a plugin's Markdown extension that fails
                renderer.markdown.prepare(raw_html=raw_html)

    def run(self, job: Job) -> JobResult:
        """Render *job* and return its files, dependencies and findings."""
        renderer = self.renderer
        index = renderer.index
        with renderer.recording() as recording:
            # Every output is in one locale, read in its culture, with its theme strings.
            tag = job.locale or index.config.default_locale
            renderer.depend(deps.catalog(tag))
            renderer.depend(deps.culture(tag))
            email = None
            entry = None
            if job.kind == PAGE:
                files = [self._page_file(_page(index, job))]
            elif job.kind == EMAIL:
                email = self._email_renderer().render(_page(index, job))
                from locgen.email_files import email_files

                made, entry = email_files(email, index.config)
                source = email.page.source.path if email.page.source else None
                origin = f"email {email.name} ({job.locale})"
                files = [OutputFile(path, data, origin, source) for path, data in made.items()]
            elif job.kind == NOT_FOUND:
                prefix = f"{index.locales[tag].url_segment}/" if job.locale else ""
                data = renderer.render_not_found(index.locales[tag])
                files = [OutputFile(f"{prefix}404.html", data, "404 page")]
            elif job.kind == CHOOSER:
                files = [OutputFile("index.html", renderer.render_chooser(), "language chooser")]
            elif job.kind == SITEMAP:
                files = [OutputFile("sitemap.xml", renderer.render_sitemap(), "sitemap")]
            else:
                raise ValueError(f"unknown job kind {job.kind!r}")
        made_bytes = [file.data for file in files if isinstance(file.data, bytes)]
        assert len(made_bytes) == len(files), "rendered files are bytes"
        outlines: tuple[tuple[str, HtmlOutline], ...] = ()
        if self.outlines:
            outlines = tuple(
                (file.path, html_outline(data))
                for file, data in zip(files, made_bytes, strict=True)
                if file.path.endswith(".html")
            )
        return JobResult(
            files=tuple(files),
            deps=frozenset(recording.deps),
            findings=tuple(recording.findings),
            image_uses=tuple(recording.image_uses),
            email=email,
            manifest_entry=entry,
            outlines=outlines,
            digests=tuple(digest_bytes(data) for data in made_bytes),
        )

    def _page_file(self, page: Page) -> OutputFile:
        origin = page.source.rel_path if page.source else f"section {page.key}"
        return OutputFile(
            page.output_path,
            self.renderer.render_page(page),
            f"content/{origin}",
            page.source.path if page.source else None,
        )

    def _email_renderer(self) -> EmailRenderer:
        if self._emails is None:
            from locgen.emails import EmailRenderer

            self._emails = EmailRenderer(self.renderer)
        return self._emails


def shard_of(key: str, shards: int) -> int:
    """The shard (1 to *shards*) that builds translation group *key* in every locale.

    Pages are spread by a digest of their key, the same on every machine;
    everything else (emails and their manifest, the root files, the 404
    pages) is built by shard 1, so that the shards' outputs copied together
    are the output of one build.
    """
    if not key or is_email_key(key):
        return 1
    return int(digest_bytes(key.encode("utf-8"))[:8], 16) % shards + 1


def default_workers() -> int:
    """How many processes render by default: one per CPU this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


PARALLEL_MIN_JOBS = 32
"""Fewer jobs than this render in this process: starting workers would cost more."""

MAX_CHUNK = 16
"""Most jobs a worker takes at a time: enough to amortise handing their results over
(about a tenth of a millisecond). It takes fewer when a share of the jobs left is
smaller (:func:`~locgen.forking.map_in_copies`)."""


def runs_in_workers(jobs: Collection[Job], workers: int) -> bool:
    """True when :func:`run_jobs` renders *jobs* in worker processes: more than one
    *workers*, enough jobs, and a process that may make copies of itself."""
    return workers > 1 and len(jobs) >= PARALLEL_MIN_JOBS and may_fork()


def run_jobs(
    runner: JobRunner,
    jobs: Sequence[Job],
    *,
    workers: int = 1,
    done: Callable[[Job, JobResult], None] | None = None,
) -> dict[Job, JobResult]:
    """Run *jobs* and return their results by job.

    With more than one worker (and enough jobs, in a process running no
    other threads), the jobs run in worker processes that are copies of this
    one (:func:`~locgen.forking.map_in_copies`), so nothing is set up twice
    (:meth:`JobRunner.prepare` loads what rendering loads on first use);
    results come back in job order, so the output is the same as rendering in
    one process. A job's error is raised here, the first in job order, as in
    one process.
    """
    results: dict[Job, JobResult] = {}
    if not runs_in_workers(jobs, workers):
        arriving: Generator[JobResult, None, None] = (runner.run(job) for job in jobs)
        freeze = False
    else:
        arriving = map_in_copies(runner.run, jobs, copies=workers, chunk=MAX_CHUNK)
        # What the workers inherit stays shared with this process only while nothing
        # writes to it; the cycle collector would, so it leaves the inherited objects be
        # (unless the program froze objects itself: unfreezing them after would undo that).
        freeze = gc.get_freeze_count() == 0
    if freeze:
        gc.freeze()
    try:
        for job, result in zip(jobs, arriving, strict=True):
            results[job] = result
            if done is not None:
                done(job, result)
    except CopyStopped:
        raise WorkerStopped(
            "a worker process stopped while rendering (was it killed, or out of memory?)",
            hint="build again; if memory ran out, build with fewer workers "
            "(-j 1 renders in one process)",
        ) from None
    finally:
        arriving.close()  # a worker still rendering when the build fails stops here
        if freeze:
            gc.unfreeze()
    return results


def _page(index: SiteIndex, job: Job) -> Page:
    page = index.page(job.key, job.locale)
    assert page is not None, job
    return page


def assemble(
    jobs: Iterable[Job],
    results: Mapping[Job, JobResult],
    renderer: SiteRenderer,
    config: SiteConfig,
    *,
    pages: bool = True,
) -> OutputTree:
    """The output tree of a build: every job's files, the static files, assets and manifest."""
    tree = OutputTree()
    entries: list[dict[str, object]] = []
    for job in jobs:
        result = results[job]
        for file, digest in zip(result.files, result.digests, strict=True):
            tree.add(file.path, file.data, file.origin, source=file.source, digest=digest)
        if result.manifest_entry is not None:
            entries.append(result.manifest_entry)
    if pages:
        for rel, path in renderer.static_files.items():
            tree.add(STATIC_PREFIX + rel, path, f"theme static/{rel}")
        for rel in renderer.index.assets:
            asset = config.content_dir / rel
            tree.add(rel, asset, f"content/{rel}", source=asset)
    if entries:
        from locgen.email_files import MANIFEST_PATH, manifest_json

        tree.add(MANIFEST_PATH, manifest_json(entries, config), "email manifest")
    return tree


def index_tokens(old: SiteIndex, new: SiteIndex) -> set[str]:
    """Dependency tokens of what differs between two placements of the site.

    A page whose source file changed touches ``source:<key>:<locale>`` of the
    file it rendered and of the one it renders now; a page whose title, URL or
    front matter changed (or that appeared or went away) touches also
    ``page:<key>``, its section's listing, its locale's menu if it is in it,
    and the index as a whole.
    """
    tokens: set[str] = set()
    for slot in old.pages.keys() | new.pages.keys():
        before, after = old.pages.get(slot), new.pages.get(slot)
        key, tag = slot
        files = {
            deps.source(key, page.source.locale)
            for page in (before, after)
            if page is not None and page.source is not None
        }
        if before is not None and after is not None:
            if before.source is not after.source and before.source != after.source:
                tokens |= files
            if page_summary(before) == page_summary(after):
                continue
        tokens |= {*files, deps.page(key), deps.INDEX}
        for page in (before, after):
            if page is not None and page.key != HOME_KEY:
                tokens.add(deps.listing(page.section_key, tag))
            if page is not None and page.params.get("menu") == "main":
                tokens.add(deps.menu(tag))
    if old.assets != new.assets:
        tokens.add(deps.IMAGES)
    return tokens


def page_summary(page: Page) -> tuple[object, ...]:
    """What other outputs can show of *page*: everything but its body."""
    return (
        page.kind,
        page.url,
        page.output_path,
        page.title,
        page.content_locale.tag,
        page.description,
        page.date,
        page.weight,
        page.tags,
        page.params,
    )


def stale_jobs(results: Mapping[Job, JobResult], tokens: Collection[str]) -> set[Job]:
    """The jobs whose recorded dependencies include any of *tokens*."""
    if not tokens:
        return set()
    return {job for job, result in results.items() if not result.deps.isdisjoint(tokens)}
