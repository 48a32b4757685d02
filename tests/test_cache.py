"""The build cache reuses exactly the outputs nothing has changed for, parallel builds make
the same bytes as one process, and shards merge into one build."""

from __future__ import annotations

import gc
import os
import pickle
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import pytest
from click.testing import Result

from locgen import sources
from locgen.build import BuildRequest, SiteBuild, build_site
from locgen.cache import RESTATTED_SHARE
from locgen.checks import HtmlOutline
from locgen.digests import digest_bytes
from locgen.errors import (
    EXIT_INTERNAL,
    BuildFailed,
    ContentError,
    LocgenError,
    PluginError,
    WorkerStopped,
)
from locgen.incremental import (
    CHOOSER,
    NOT_FOUND,
    PAGE,
    SITEMAP,
    Job,
    JobResult,
    JobRunner,
    run_jobs,
)
from sitekit import copy_example_site, tree_digest

LOCALES = ("en-US", "en-GB", "de-DE", "sv-SE", "ja-JP", "zh-CN", "ar-SA", "pt-BR")


SETTLED_NS = sources.SETTLED_NS


@pytest.fixture(autouse=True)
def settled_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files count as settled as soon as they are written, so that the builds here take
    unchanged files by their status without reading them, as builds of a site whose
    files were saved more than a moment ago do."""
    monkeypatch.setattr(sources, "SETTLED_NS", 0)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A copy of the example site, built once so that its cache is filled."""
    root = copy_example_site(tmp_path / "site")
    build_site(BuildRequest(root=root, use_cache=True))
    return root


def rebuild(root: Path, **options: object) -> tuple[SiteBuild, dict[str, bytes]]:
    """Build *root* again with the cache; return the build and its output files."""
    build = SiteBuild(BuildRequest(root=root, use_cache=True, **options))  # type: ignore[arg-type]
    state = build.run()
    files = {}
    for path, data in state.output.items():
        files[path] = data if isinstance(data, bytes) else data.read_bytes()
    return build, files


def fresh_output(root: Path) -> dict[str, bytes]:
    """The output of a build that uses no cache."""
    state = SiteBuild(BuildRequest(root=root, workers=1)).run()
    return {p: d if isinstance(d, bytes) else d.read_bytes() for p, d in state.output.items()}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_warm_build_renders_nothing_and_leaves_the_output_alone(site: Path) -> None:
    public, cache = site / "public", site / ".locgen-cache"

    def stamps(folder: Path) -> dict[Path, tuple[int, int]]:
        return {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.rglob("*")}

    before = stamps(public)
    cached = stamps(cache)  # as the cold build left it

    result = build_site(BuildRequest(root=site, use_cache=True))

    assert result.rendered == 0 and result.reused > 100
    assert result.unchanged
    assert stamps(public) == before
    assert stamps(cache) == cached  # nothing new to keep


def test_a_warm_build_undoes_changes_made_to_the_output_by_hand(site: Path) -> None:
    public = site / "public"
    expected = tree_digest(public)
    (public / "de-de/produkt/stray.html").write_text("left over", encoding="utf-8")
    (public / "sv-se/support/getting-started/index.html").unlink()
    (public / "ja-jp/notes").mkdir()
    (public / "ja-jp/notes/todo.txt").write_text("x", encoding="utf-8")

    result = build_site(BuildRequest(root=site, use_cache=True))

    assert result.rendered == 0 and not result.unchanged
    assert tree_digest(public) == expected
    assert not (public / "ja-jp/notes").exists()

    # A file added where the last build made none, with nothing else touched.
    (public / "stray.txt").write_text("x", encoding="utf-8")
    build_site(BuildRequest(root=site, use_cache=True))
    assert tree_digest(public) == expected


def test_an_edit_writes_only_the_changed_files(site: Path) -> None:
    public = site / "public"
    pricing = public / "de-de/produkt/preise/index.html"
    support = public / "sv-se/support/getting-started/index.html"
    inodes = {path: path.stat().st_ino for path in (pricing, support)}
    _body(site)

    result = build_site(BuildRequest(root=site, use_cache=True))

    assert not result.unchanged and result.rendered == 1
    assert "Wählen Sie Ihren Tarif" in pricing.read_text(encoding="utf-8")
    assert pricing.stat().st_ino != inodes[pricing]  # written anew
    assert support.stat().st_ino == inodes[support]  # not touched: one file was renamed in

    # A change to many files swaps in a new tree, into which unchanged files are linked.
    edit(site / "content/product/pricing.de-DE.md", 'title: "Tarife und Preise"', 'title: "Preise"')
    result = build_site(BuildRequest(root=site, use_cache=True))

    assert result.rendered > 20
    assert "<title>Preise" in pricing.read_text(encoding="utf-8")
    assert support.stat().st_ino == inodes[support]
    assert tree_digest(public) == _digest_of(fresh_output(site))


def _digest_of(files: dict[str, bytes]) -> dict[str, str]:
    import hashlib

    return {path: hashlib.sha256(data).hexdigest() for path, data in sorted(files.items())}


def _pages(key: str) -> set[Job]:
    return {Job(PAGE, tag, key) for tag in LOCALES}


def _in_locale(tag: str) -> Callable[[Job], bool]:
    return lambda job: job.locale == tag


Change = Callable[[Path], None]


def _body(root: Path) -> None:
    edit(
        root / "content/product/pricing.de-DE.md",
        "Wählen Sie einen Tarif",
        "Wählen Sie Ihren Tarif",
    )


def _template(root: Path) -> None:
    edit(
        root / "themes/default/templates/404.html",
        "{% block content %}",
        "{% block content %}<!-- v2 -->",
    )


def _catalog(root: Path) -> None:
    catalog = root / "locales/sv_SE/LC_MESSAGES/messages.po"
    text = catalog.read_text(encoding="utf-8")
    catalog.write_text(text + "\n# reviewed\n", encoding="utf-8")


def _culture(root: Path) -> None:
    edit(root / "locgen.toml", "response_hours = 2", "response_hours = 3")


def _sidecar(root: Path) -> None:
    edit(root / "content/images/hero.svg.yaml", "tags: [gesture:ok-sign]", "tags: [gesture:wave]")


def _site_title(root: Path) -> None:
    edit(root / "locgen.toml", 'title = "', 'title = "New ')


def _phrasebook(root: Path) -> None:
    path = root / "phrasebook.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n# reviewed\n", encoding="utf-8")


def add_plugin(root: Path, name: str, source: str) -> None:
    """Give the site *root* the plugin ``plugins/<name>.py``."""
    (root / "plugins").mkdir(exist_ok=True)
    (root / "plugins" / f"{name}.py").write_text(source, encoding="utf-8")


def _plugin(root: Path) -> None:
    add_plugin(root, "brand", '"""A site plugin with no hooks yet."""\n')


CHANGES: dict[str, tuple[Change, Callable[[Job], bool]]] = {
    # One page's text: that page, in the one locale it is written in (the other
    # locales have their own translations, and no page shows another one's text).
    "page body": (_body, lambda job: job == Job(PAGE, "de-DE", "product/pricing")),
    # One template: the outputs made with it, the 404 pages.
    "template": (_template, lambda job: job.kind == NOT_FOUND),
    # One catalog: the outputs of its locale.
    "catalog": (_catalog, _in_locale("sv-SE")),
    # One culture profile (a site override of it): the outputs of its locale.
    "culture profile": (_culture, _in_locale("ja-JP")),
    # An image's tags: the pages that show the image.
    "image tags": (_sidecar, lambda job: job in _pages("index")),
    # The configuration, the phrasebook and the plugins: everything.
    "config": (_site_title, lambda job: True),
    "phrasebook": (_phrasebook, lambda job: True),
    "plugin": (_plugin, lambda job: True),
}


@pytest.mark.parametrize("kind", list(CHANGES))
def test_each_kind_of_change_renders_exactly_the_outputs_it_affects(site: Path, kind: str) -> None:
    change, affected = CHANGES[kind]
    change(site)

    build, output = rebuild(site)

    state = build.state
    assert state is not None
    expected = {job for job in state.jobs if affected(job)}
    assert set(build.rendered) == expected
    assert output == fresh_output(site)


def test_a_changed_title_renders_what_shows_it_and_nothing_else(site: Path) -> None:
    """A title shows where the page is listed, linked (its URL), in menus and switchers."""
    edit(site / "content/product/pricing.de-DE.md", 'title: "Tarife und Preise"', 'title: "Preise"')

    build, output = rebuild(site)

    rendered = set(build.rendered)
    assert build.state is not None
    de_pages = {job for job in build.state.jobs if job.locale == "de-DE" and job.kind == PAGE}
    assert de_pages <= rendered  # the German menu lists the page
    assert {job.key for job in rendered if job.locale == "sv-SE"} == {
        "product/pricing",  # the language switcher shows the German title
        "product/index",  # lists it
        "index",  # links to it
        "support/billing-and-invoices",  # links to it
        "emails/welcome",  # links to it
    }
    assert Job(SITEMAP) in rendered and Job(CHOOSER) not in rendered
    assert output == fresh_output(site)


def test_the_cache_does_not_depend_on_file_times(site: Path) -> None:
    """A fresh clone has new file times: the cache restored beside it still serves."""
    for path in site.rglob("*"):
        if ".locgen-cache" not in path.parts:
            os.utime(path, (2_000_000_000, 2_000_000_000))

    build, output = rebuild(site)

    assert build.rendered == ()
    assert output == fresh_output(site)


def test_new_file_statuses_are_kept_when_many_files_have_them(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a clone every file has a new status: the cache keeps them, so that the
    next build reads none of the files; one touched file is only read again."""
    jobs = site / ".locgen-cache/build/jobs.bin"
    reads: list[Path] = []
    read_if_unchanged = sources.UnreadBody.read_if_unchanged

    def counted(body: sources.UnreadBody) -> str | None:
        reads.append(body.path)
        return read_if_unchanged(body)

    monkeypatch.setattr(sources.UnreadBody, "read_if_unchanged", counted)
    pages = sorted((site / "content").rglob("*.md"))
    assert len(pages) > RESTATTED_SHARE

    os.utime(pages[0], (2_000_000_000, 2_000_000_000))  # the same bytes, a new status
    kept = jobs.read_bytes()
    build, output = rebuild(site)
    assert reads == [pages[0]] and build.rendered == ()
    assert jobs.read_bytes() == kept  # not worth writing the whole cache for one file
    assert output == fresh_output(site)

    reads.clear()
    for page in pages:
        os.utime(page, (2_000_000_001, 2_000_000_001))
    rebuild(site)
    assert len(reads) == len(pages) and jobs.read_bytes() != kept

    reads.clear()
    build, output = rebuild(site)
    assert reads == [] and build.rendered == ()
    assert output == fresh_output(site)


def test_a_file_rewritten_with_its_old_size_and_time_is_read_again(site: Path) -> None:
    """An editor or a tool may keep a file's size and set its old time back: the file's
    change time, which no program sets, still tells the cache to read it."""
    page = site / "content/product/pricing.en-US.md"
    before = page.stat()
    edit(page, "Plans and pricing", "Plans and prizing")
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (page.stat().st_size, page.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)

    build, output = rebuild(site)

    assert Job(PAGE, "en-US", "product/pricing") in build.rendered
    assert output == fresh_output(site)


def test_a_file_saved_a_moment_ago_is_not_taken_by_its_status(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file may change again within one tick of the file system's clock and keep its
    status: the cache takes a file by its status only once it has settled."""
    monkeypatch.setattr(sources, "SETTLED_NS", SETTLED_NS)
    page = tmp_path / "page.en-US.md"
    page.write_text("Saved just now.", encoding="utf-8")

    assert sources.settled_status(page) is None
    monkeypatch.setattr(sources, "SETTLED_NS", 0)
    status = sources.settled_status(page)
    assert status is not None and status[2] == len("Saved just now.")


def test_a_page_changed_after_the_cache_vouched_for_it_stops_the_build(site: Path) -> None:
    """The body of a file taken by its status is read when a page needs it; if the
    file changed in between, the build stops instead of mixing two versions."""
    page = site / "content/product/pricing.en-US.md"
    raw = page.read_bytes()
    body = sources.UnreadBody(page, len(raw.decode()), digest_bytes(raw), mentions_locgen=False)
    assert body.read() == raw.decode()  # a file without front matter is all body
    edit(page, "Plans and pricing", "Plans and prizing")

    with pytest.raises(ContentError) as caught:
        body.read()

    assert caught.value.path == page
    assert "changed while the build was reading" in str(caught.value)


def test_a_damaged_cache_file_is_ignored_with_a_warning(
    site: Path, run_cli: Callable[..., Result]
) -> None:
    jobs = site / ".locgen-cache/build/jobs.bin"
    data = bytearray(jobs.read_bytes())
    data[len(data) // 2] ^= 0xFF
    jobs.write_bytes(bytes(data))
    shutil.rmtree(site / "public")

    result = run_cli(site, "build")

    assert result.exit_code == 0, result.output
    assert f"warning: the build cache file {jobs} is damaged; ignoring it" in result.stderr
    assert tree_digest(site / "public") == _digest_of(fresh_output(site))
    assert ", from the cache" not in result.stdout


def test_a_damaged_output_in_the_cache_is_rendered_again(
    site: Path, run_cli: Callable[..., Result]
) -> None:
    shutil.rmtree(site / "public")  # the cache has to supply every file
    pack = next((site / ".locgen-cache/build/packs").glob("*.pack"))
    with pack.open("r+b") as handle:
        handle.write(b"not what it was")  # the first file kept in the pack

    result = run_cli(site, "build")

    assert result.exit_code == 0, result.output
    assert "is damaged; rendering its page again" in result.stderr
    assert "1 rendered" in result.stdout
    assert tree_digest(site / "public") == _digest_of(fresh_output(site))


def test_deleting_the_cache_only_costs_time(site: Path) -> None:
    shutil.rmtree(site / ".locgen-cache")

    build, output = rebuild(site)

    assert len(build.rendered) == len(build.state.jobs) if build.state else False
    assert output == fresh_output(site)


def test_the_cache_folder_is_configurable_and_can_be_switched_off(
    site: Path, run_cli: Callable[..., Result]
) -> None:
    with (site / "locgen.toml").open("a", encoding="utf-8") as config:
        config.write('\n[build]\ncache_dir = "../shared-cache"\n')

    first = run_cli(site, "build")
    second = run_cli(site, "build")
    off = run_cli(site, "build", "--no-cache")

    assert (site.parent / "shared-cache/build/jobs.bin").is_file()
    assert "from the cache" not in first.stdout  # the new folder starts empty
    assert "0 rendered" in second.stdout and "output unchanged" in second.stdout
    assert "from the cache" not in off.stdout


def test_bad_build_settings_are_located_errors(site: Path, run_cli: Callable[..., Result]) -> None:
    with (site / "locgen.toml").open("a", encoding="utf-8") as config:
        config.write("\n[build]\njobs = 0\n")

    result = run_cli(site, "build")

    assert result.exit_code == 1
    line = (site / "locgen.toml").read_text(encoding="utf-8").splitlines().index("jobs = 0") + 1
    assert f"locgen.toml:{line}: [build].jobs must be a whole number of 1 or more" in result.stderr


def test_a_cache_folder_inside_the_output_is_refused(
    site: Path, run_cli: Callable[..., Result]
) -> None:
    with (site / "locgen.toml").open("a", encoding="utf-8") as config:
        config.write('\n[build]\ncache_dir = "public/.cache"\n')

    result = run_cli(site, "build")

    assert result.exit_code == 1
    assert "overlaps" in result.stderr and "public" in result.stderr


def test_parallel_builds_make_the_same_bytes_as_one_process(
    tmp_path: Path, run_cli: Callable[..., Result]
) -> None:
    root = copy_example_site(tmp_path / "site")

    one = run_cli(root, "build", "-j", "1", "--no-cache", "--output", str(tmp_path / "one"))
    four = run_cli(root, "build", "-j", "4", "--no-cache", "--output", str(tmp_path / "four"))

    assert one.exit_code == 0 and four.exit_code == 0, one.output + four.output
    assert tree_digest(tmp_path / "one") == tree_digest(tmp_path / "four")
    assert one.stdout.splitlines()[1:] == four.stdout.splitlines()[1:]  # the same findings


def _page_html_plugin(root: Path, body: str) -> None:
    """Give the site *root* a plugin whose ``locgen_page_html(page)`` runs *body*."""
    hook = "from locgen import hookimpl\n\n@hookimpl\ndef locgen_page_html(page):\n"
    add_plugin(root, "fragile", hook + body)


def _fail_every_page(root: Path) -> str:
    _page_html_plugin(root, "    raise ValueError(f'no {page.key} today')\n")
    return "error: plugins/fragile.py:5: plugin site:fragile failed"


def _break_german_catalog_behind_a_failing_page(root: Path) -> str:
    po = root / "locales/de_DE/LC_MESSAGES/messages.po"
    po.write_text(po.read_text(encoding="utf-8") + '\nmsgid "x"\nmsgstr broken\n', "utf-8")
    _page_html_plugin(
        root,
        "    if page.locale.tag == 'en-GB':  # rendered before any German output\n"
        "        raise ValueError('no British pages today')\n",
    )
    return "error: plugins/fragile.py:6: plugin site:fragile failed"


def _break_the_markdown_pipeline(root: Path) -> str:
    add_plugin(
        root,
        "fragile",
        "from locgen import hookimpl\n"
        "from markdown.extensions import Extension\n\n"
        "class Broken(Extension):\n"
        "    def extendMarkdown(self, md):\n"
        "        raise ValueError('no extension today')\n\n"
        "@hookimpl\n"
        "def locgen_markdown_extensions(config):\n"
        "    return [Broken()]\n",
    )
    return "error: plugins/fragile.py:6: plugin site:fragile failed in locgen_markdown_extensions"


@pytest.mark.parametrize(
    "breaking",
    [_fail_every_page, _break_german_catalog_behind_a_failing_page, _break_the_markdown_pipeline],
)
def test_a_build_failing_in_the_workers_fails_as_in_one_process(
    tmp_path: Path, breaking: Callable[[Path], str]
) -> None:
    """The build stops (it does not wait for ever on an error it cannot receive) and
    reports the error a single process meets first, whatever the number of workers:
    when every page and email fails, and when what the build process sets up once
    for the workers (theme strings, Markdown pipelines) fails, which is left for the
    job that meets it."""
    root = copy_example_site(tmp_path / "site")
    expected = breaking(root)

    one = locgen(root, "build", "--no-cache", "-j", "1")
    four = locgen(root, "build", "--no-cache", "-j", "4")

    assert one.returncode == four.returncode == 1, one.stderr + four.stderr
    assert one.stderr == four.stderr
    assert one.stderr.startswith(expected), one.stderr
    assert not (root / "public").exists()


def locgen(root: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m locgen`` with *arguments* in *root* as a process of its own (which
    may start workers), bounded so that a build that hangs fails the test."""
    command = [sys.executable, "-m", "locgen", *arguments]
    return subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=300)


class ErrorWithTwoArguments(Exception):
    """An exception that pickles but does not unpickle: ``args`` holds one of two."""

    def __init__(self, first: str, second: str) -> None:
        super().__init__(first)
        self.second = second


class FailingRunner(JobRunner):
    def __init__(self) -> None:
        pass

    def run(self, job: Job) -> JobResult:
        raise ErrorWithTwoArguments(f"failed on {job.key}", "second")


@contextmanager
def fails_after(seconds: int) -> Iterator[None]:
    """Raise TimeoutError in the block after *seconds*: a run that would wait for ever
    fails its test instead of hanging the test session."""

    def waited_too_long(signum: int, frame: object) -> None:
        raise TimeoutError(f"still waiting after {seconds} s")

    previous = signal.signal(signal.SIGALRM, waited_too_long)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_an_error_the_build_cannot_unpickle_still_stops_a_parallel_run() -> None:
    jobs = [Job(PAGE, "en-US", f"page-{n}") for n in range(40)]
    with fails_after(60), pytest.raises(RuntimeError, match=r"^ErrorWithTwoArguments: failed on"):
        run_jobs(FailingRunner(), jobs, workers=2)


class DyingRunner(JobRunner):
    """Kills the worker process it runs in (as the out-of-memory killer would)."""

    def __init__(self) -> None:
        self.build_process = os.getpid()

    def run(self, job: Job) -> JobResult:
        if os.getpid() != self.build_process:
            os.kill(os.getpid(), signal.SIGKILL)
        raise AssertionError("a job ran in the build's own process")


def test_a_worker_that_dies_stops_a_parallel_run_instead_of_leaving_it_waiting() -> None:
    jobs = [Job(PAGE, "en-US", f"page-{n}") for n in range(40)]
    with fails_after(60), pytest.raises(WorkerStopped, match="a worker process stopped"):
        run_jobs(DyingRunner(), jobs, workers=2)


def test_a_killed_worker_is_reported_as_such_not_as_a_bug(tmp_path: Path) -> None:
    """A worker the out-of-memory killer stops: exit 3, as for an internal error, with
    what happened and what to do, and the previous output left as it was."""
    root = copy_example_site(tmp_path / "site")
    first = locgen(root, "build")
    assert first.returncode == 0, first.stderr
    before = tree_digest(root / "public")
    add_plugin(
        root,
        "killed",
        "import os, signal\n"
        "from locgen import hookimpl\n\n"
        "BUILD = None\n\n"
        "@hookimpl\n"
        "def locgen_build_started(config, locales):\n"
        "    global BUILD\n"
        "    BUILD = os.getpid()\n\n"
        "@hookimpl\n"
        "def locgen_page_html(page):\n"
        "    if os.getpid() != BUILD:\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n",
    )

    result = locgen(root, "build", "-j", "2", "--no-cache")

    assert result.returncode == EXIT_INTERNAL, result.stderr
    assert result.stderr == (
        "error: a worker process stopped while rendering (was it killed, or out of memory?)\n"
        "  hint: build again; if memory ran out, build with fewer workers "
        "(-j 1 renders in one process)\n"
    )
    assert tree_digest(root / "public") == before


def _touch_build(tmp_path: Path, probe: str) -> str:
    """Build the example site, edit its English home page, and build it again by
    running *probe* (Python that runs the CLI); the probe's standard error."""
    root = copy_example_site(tmp_path / "site")
    assert locgen(root, "build").returncode == 0
    home = root / "content" / "index.en-US.md"
    home.write_text(home.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=root, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert "One more line." in (root / "public" / "en-us" / "index.html").read_text()
    return result.stderr


def test_a_page_edited_after_a_build_renders_without_loading_locale_data(
    tmp_path: Path,
) -> None:
    """Every page's language switcher names every locale in its own language, from
    CLDR data that takes Babel milliseconds a locale to load: the build cache keeps
    the names, so that rendering one page again loads none of it."""
    stderr = _touch_build(
        tmp_path,
        "import sys\n"
        "import babel.localedata as data\n"
        "from locgen.cli import cli\n"
        "load = data.load\n"
        "def recorded(name, *args, **kwargs):\n"
        "    print('loaded', name, file=sys.stderr)\n"
        "    return load(name, *args, **kwargs)\n"
        "data.load = recorded\n"
        "cli.main(['build'], prog_name='locgen')\n",
    )
    assert "loaded" not in stderr, stderr


def test_a_build_that_takes_its_emails_from_the_cache_loads_no_email_rendering(
    tmp_path: Path,
) -> None:
    """CSS inlining and HTML to text take a twentieth of a second to load: a build that
    renders no email (it writes their manifest from the cache) does not load them."""
    stderr = _touch_build(
        tmp_path,
        "import sys\n"
        "from locgen.cli import cli\n"
        "try:\n"
        "    cli.main(['build'], prog_name='locgen')\n"
        "finally:\n"
        "    print(*sorted(m for m in sys.modules if m.split('.')[0] in\n"
        "        ('css_inline', 'inscriptis', 'lxml', 'locgen')), file=sys.stderr)\n",
    )
    loaded = stderr.split()
    assert "locgen.email_files" in loaded  # it wrote the manifest
    assert not {"css_inline", "lxml", "inscriptis", "locgen.emails"} & set(loaded), stderr


def test_the_workers_of_a_killed_build_end_with_it(tmp_path: Path) -> None:
    """A build killed from outside (a CI job's timeout) leaves no worker rendering on."""
    _, build, workers = _slow_build(tmp_path)

    build.kill()
    build.communicate()

    # A worker stops when it would hand over its next results (7 pages): it does not
    # render the rest of the site's 115 pages, which would take 10 s.
    assert _wait_for(lambda: not any(map(_running, workers)), seconds=5)


def test_ctrl_c_stops_a_parallel_build_and_its_workers_quietly(tmp_path: Path) -> None:
    """Ctrl-C in a terminal interrupts the build and its workers alike: one line, exit
    130, no worker left rendering, and the previous output as it was."""
    root, build, workers = _slow_build(tmp_path, start_new_session=True)  # a terminal's job

    os.killpg(build.pid, signal.SIGINT)  # the whole process group, as Ctrl-C does
    try:
        _, errors = build.communicate(timeout=60)
    finally:
        if build.poll() is None:
            build.kill()
            build.communicate()

    assert build.returncode == 130, errors
    assert errors == "interrupted\n"
    assert _wait_for(lambda: not any(map(_running, workers)), seconds=5)
    assert tree_digest(root / "public") == tree_digest(tmp_path / "before")


def _slow_build(
    tmp_path: Path, *, start_new_session: bool = False
) -> tuple[Path, subprocess.Popen[str], set[int]]:
    """Build the example site, copy its output to ``before``, then start building it
    again with two workers and a plugin that makes each page take 0.2 s.

    Returns the site, the running build and its workers that have started rendering.
    """
    root = copy_example_site(tmp_path / "site")
    assert locgen(root, "build").returncode == 0
    shutil.copytree(root / "public", tmp_path / "before")
    started = tmp_path / "started"
    started.mkdir()
    add_plugin(
        root,
        "slow",
        "import os, time\n"
        "from pathlib import Path\n"
        "from locgen import hookimpl\n\n"
        "@hookimpl\n"
        "def locgen_page_html(page):\n"
        f"    Path({str(started)!r}, str(os.getpid())).touch()\n"
        "    time.sleep(0.2)\n",
    )
    build = subprocess.Popen(
        [sys.executable, "-m", "locgen", "build", "-j", "2", "--no-cache"],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=start_new_session,
    )
    try:
        workers = _wait_for(lambda: {int(p.name) for p in started.iterdir()} - {build.pid})
    except BaseException:
        build.kill()
        build.communicate()
        raise
    return root, build, workers


_V = TypeVar("_V")


def _wait_for(condition: Callable[[], _V], seconds: float = 60) -> _V:
    """The first true value of *condition*, asked every 10 ms for up to *seconds*."""
    deadline = time.monotonic() + seconds
    while not (value := condition()):
        assert time.monotonic() < deadline, f"still waiting after {seconds} s"
        time.sleep(0.01)
    return value


def _running(pid: int) -> bool:
    """Whether process *pid* exists and has not ended (a zombie has ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


@pytest.mark.parametrize(
    "error",
    [
        ContentError("bad front matter", path="content/a.md", line=3, hint="quote it"),
        PluginError("failed", plugin="site:x", hook="locgen_page_html", locale="de-DE"),
        BuildFailed("2 warnings", findings=(), hint="fix them"),
    ],
)
def test_errors_arrive_whole_from_a_worker_process(error: LocgenError) -> None:
    arrived = pickle.loads(pickle.dumps(error))
    assert type(arrived) is type(error)
    assert vars(arrived) == vars(error)
    assert str(arrived) == str(error)


def test_a_build_leaves_what_the_program_froze_frozen(site: Path) -> None:
    """A program that runs builds may freeze its own objects out of the garbage
    collector's sight (before forking workers of its own, say): loading the cache
    and rendering in worker processes move objects between the collector's
    generations, and must not unfreeze the program's."""
    gc.freeze()
    try:
        # Frozen objects that die leave the count, so it may shrink a little; had
        # the build unfrozen them, it would be nought.
        frozen = gc.get_freeze_count()
        assert frozen > 1000
        build_site(BuildRequest(root=site, use_cache=True))  # loads the cache
        assert gc.get_freeze_count() > frozen - 1000
        SiteBuild(BuildRequest(root=site, workers=2)).run()  # renders in two workers
        assert gc.get_freeze_count() > frozen - 1000
    finally:
        gc.unfreeze()


def test_shards_copied_together_are_the_single_build(
    tmp_path: Path, run_cli: Callable[..., Result]
) -> None:
    root = copy_example_site(tmp_path / "site")
    whole = run_cli(root, "build", "--no-cache", "--output", str(tmp_path / "whole"))
    assert whole.exit_code == 0, whole.output
    merged = tmp_path / "merged"
    counts = []
    for shard in ("3/3", "1/3", "2/3"):
        out = tmp_path / f"shard-{shard[0]}"
        result = run_cli(root, "build", "--shard", shard, "--output", str(out))
        assert result.exit_code == 0, result.output
        counts.append(sum(1 for path in out.rglob("*.html")))
        built = int(result.stdout.split()[1])  # "built N pages …": the shard's own pages
        assert built == sum(1 for p in out.rglob("index.html") if p.parent != out), result.stdout
        shutil.copytree(out, merged, dirs_exist_ok=True)

    assert tree_digest(merged) == tree_digest(tmp_path / "whole")
    assert all(count > 10 for count in counts)  # every shard has a share of the pages


@pytest.mark.parametrize("value", ["0/2", "3/2", "1", "a/b"])
def test_a_bad_shard_is_a_usage_error(
    site: Path, run_cli: Callable[..., Result], value: str
) -> None:
    result = run_cli(site, "build", "--shard", value)

    assert result.exit_code == 2
    assert "is not I/N with 1 <= I <= N" in result.output


def test_links_of_pages_taken_from_the_cache_are_still_checked(site: Path) -> None:
    """A page the cache supplies keeps its links: removing the heading it links to is a
    broken anchor there, as in a build without the cache."""
    edit(
        site / "content/support/getting-started.en-US.md",
        "## Before you start",
        "## Before starting",
    )

    build, _ = rebuild(site)

    assert build.state is not None
    linking = Job(PAGE, "en-US", "support/reset-password")
    assert linking in build.state.jobs and linking not in build.rendered
    broken = [f for f in build.state.findings if f.rule == "links.anchor"]
    # Every locale that reads the English page (by fallback, too) has the broken anchor,
    # and so has the Chinese page, which links to the English guide by fallback.
    assert {(f.path.name if f.path else None, f.line) for f in broken} == {
        ("reset-password.en-US.md", 45),
        ("reset-password.zh-CN.md", 46),
    }
    assert "en-US" in {f.locale for f in broken}
    fresh = SiteBuild(BuildRequest(root=site, workers=1)).run()
    assert build.state.findings == fresh.findings


def test_an_outline_the_cache_keeps_as_text_reads_back_as_the_outline_it_was() -> None:
    made = HtmlOutline(["#lg-main", "/de-de/", "../page-2/#intro", "/de-de/"], {"top", "intro"})

    kept = made.kept()

    assert kept == ("#lg-main\0/de-de/\0../page-2/#intro\0/de-de/", "intro\0top")
    back = HtmlOutline.joined(*kept)
    assert back == made and hash(back) == hash(made)
    assert back.links == ("#lg-main", "/de-de/", "../page-2/#intro", "/de-de/")
    assert back.ids == frozenset({"intro", "top"})
    for outline in (HtmlOutline.joined(*kept), made):  # a fresh one still holds only text
        assert outline.links_text("\x01") == "#lg-main\x01/de-de/\x01../page-2/#intro\x01/de-de/"
        assert outline.ids_text("\x01") == "intro\x01top"
        assert outline.kept() == kept
    assert pickle.loads(pickle.dumps(back)) == made
    nothing = HtmlOutline((), ())
    assert nothing.kept() == (None, None)
    assert HtmlOutline.joined(None, None) == nothing and nothing.links_text("\x01") == ""


def test_image_findings_of_pages_taken_from_the_cache_name_their_page(site: Path) -> None:
    """An image a cached page shows is still checked against its readers' culture
    (by ``locgen check``, which runs the warning-level checks a build leaves out)."""
    with (site / "locgen.toml").open("a", encoding="utf-8") as config:
        config.write('\n[cultures.sweden.imagery_cautions]\n"gesture:ok-sign" = "test caution"\n')
    SiteBuild(BuildRequest(root=site, use_cache=True, all_checks=True)).run()
    edit(site / "content/support/getting-started.en-US.md", "## Before you start", "## Before")

    build, _ = rebuild(site, all_checks=True)

    assert build.state is not None
    home = Job(PAGE, "sv-SE", "index")
    assert home in build.state.jobs and home not in build.rendered
    imagery = [f for f in build.state.findings if f.rule == "culture.imagery"]
    assert [(f.path, f.locale) for f in imagery] == [(site / "content/index.sv-SE.md", "sv-SE")]
    fresh = SiteBuild(BuildRequest(root=site, workers=1, all_checks=True)).run()
    assert build.state.findings == fresh.findings


def test_a_build_that_finds_errors_keeps_what_it_rendered(tmp_path: Path) -> None:
    root = copy_example_site(tmp_path / "site")
    page = root / "content/product/pricing.de-DE.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text + "\n[Archiv](/de-de/archiv/)\n", encoding="utf-8")

    with pytest.raises(BuildFailed, match="error"):
        build_site(BuildRequest(root=root, use_cache=True))
    assert not (root / "public").exists()

    page.write_text(text, encoding="utf-8")
    result = build_site(BuildRequest(root=root, use_cache=True))

    assert result.rendered == 1  # the page fixed; the cache kept every other output
    assert tree_digest(root / "public") == _digest_of(fresh_output(root))
