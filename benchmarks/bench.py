"""Benchmark locgen builds on a synthetic site: time, pages/s and peak memory.

    python benchmarks/bench.py [--pages 1000] [--locales 6] [--emails 4] [--runs 5]
                               [--jobs N] [--site DIR] [--serve] [--json out.json]
                               [--locgen "python -m locgen"] [--keep]
    python benchmarks/bench.py --pages-list 1000,10000 [...]

Writes the site with ``benchmarks/synthetic.py`` (the same arguments always
write the same site) into a temporary folder, or copies the site ``--site``
names there (the user's site is never modified). Then, ``--runs`` times, it
runs three builds in a row, each ``<locgen> build --output <tmp>/public``
(plus ``-j N`` when ``--jobs`` is given) as a child process in the site:

- cold: the output folder and the site's ``.locgen-cache/`` are moved out of
  the way first (into the temporary folder, deleted when the benchmark ends:
  see :func:`clean`);
- warm: the same build again, nothing changed;
- touch: one page's Markdown has a line appended, then the build runs; the
  page is restored (content and times) afterwards, so every run starts from
  the same site.

These are the conventions of ``shared/bench/compare.py`` (which deletes the
output and the cache before a cold build). For each measure it
prints the median, minimum and maximum wall time, the pages the build made
(the ``built N pages`` summary line: translation groups x locales) per
second, and the peak memory: the peak of the summed VmRSS of the locgen
process and all its descendants (``-j`` workers), sampled from ``/proc``
every 10 ms while the build runs. Summed RSS counts pages shared between a
parent and its forked workers once per process, so it is an upper bound.
The kernel's ``ru_maxrss`` (the largest single process of the tree) is shown
for reference, and so is the CPU time of the tree, with its system (kernel)
part beside it: that part is where the file system's cost of creating the
output's files and folders shows.

``--serve`` also measures the save-to-served latency of ``locgen serve`` (body
and title edits, ``--runs`` of each) with ``benchmarks/serve_latency.py``; the
server always runs as ``python -m locgen serve`` with this interpreter.

``--pages-list 1000,10000`` runs every measure at each size, each run building
every size in turn, and then prints pages/s at each size and the ratio
between the largest and the smallest: a ratio near 1.00 means the cost grows
linearly with the site. It also prints the straight line through the median
times, a fixed part plus a cost per page, and with three sizes or more how
far the line misses the farthest of them: a fixed part makes pages/s grow
with the site even when the cost is a straight line.

``--json FILE`` writes every run's figures and the summaries.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
import urllib.error
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import serve_latency
from synthetic import LOCALES, write_site

CACHE_DIR = ".locgen-cache"
MEASURES = ("cold", "warm", "touch")
TOUCH_LINE = b"\nOne more line.\n"
SUMMARY = re.compile(r"built (\d+) pages?(?: and (\d+) emails?)?")
MIB = 1024 * 1024
SAMPLE_SECONDS = 0.01


# -- memory of a process tree ------------------------------------------------


def _proc_children_supported() -> bool:
    """Whether this kernel has ``/proc/<pid>/task/<tid>/children``."""
    pid = os.getpid()
    return Path(f"/proc/{pid}/task/{pid}/children").exists()


def children_from_proc(pid: int) -> list[int]:
    """The child process ids of *pid*, from each of its threads' ``children`` file."""
    found: list[int] = []
    for path in glob.glob(f"/proc/{pid}/task/*/children"):
        try:
            found.extend(int(word) for word in Path(path).read_text().split())
        except OSError:
            continue
    return found


def children_by_scan() -> dict[int, list[int]]:
    """Every process's children, from the parent ids in ``/proc/*/stat`` (the fallback)."""
    tree: dict[int, list[int]] = {}
    for path in glob.glob("/proc/[0-9]*/stat"):
        try:
            after_name = Path(path).read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        tree.setdefault(int(after_name[1]), []).append(int(path.split("/")[2]))
    return tree


def process_tree(pid: int, use_children_files: bool) -> list[int]:
    """*pid* and all its descendants."""
    scanned = {} if use_children_files else children_by_scan()
    tree, pending = [], [pid]
    while pending:
        current = pending.pop()
        tree.append(current)
        if use_children_files:
            pending.extend(children_from_proc(current))
        else:
            pending.extend(scanned.get(current, []))
    return tree


def vm_rss(pid: int) -> int:
    """Resident set size of *pid* in bytes (0 when it is gone or a zombie)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


class PeakRss:
    """Samples the summed RSS of a process tree in a thread; ``peak`` is the largest sum."""

    def __init__(self, pid: int, interval: float = SAMPLE_SECONDS) -> None:
        self.pid = pid
        self.interval = interval
        self.peak = 0
        self.samples = 0
        self._stop = threading.Event()
        self._children_files = _proc_children_supported()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        """Add up the tree's RSS every *interval* seconds until stopped."""
        while not self._stop.is_set():
            total = sum(vm_rss(pid) for pid in process_tree(self.pid, self._children_files))
            self.peak = max(self.peak, total)
            self.samples += 1
            self._stop.wait(self.interval)


# -- one build ------------------------------------------------------------------


@dataclass
class Build:
    """The figures of one build."""

    number: int
    """Position of the build among its site's builds (1, 2, ...)."""
    measure: str
    """``cold``, ``warm`` or ``touch``."""
    seconds: float
    """Wall time of the child process, start to exit."""
    pages: int
    """Pages the build made (its ``built N pages`` line)."""
    emails: int
    """Emails the build made."""
    peak_rss: int
    """Peak of the summed RSS of the process tree, in bytes."""
    ru_maxrss: int
    """The kernel's ``ru_maxrss`` of the reaped child (largest single process), in bytes."""
    cpu_seconds: float
    """User plus system CPU time of the child and its reaped descendants."""
    system_seconds: float
    """The system (kernel) part of :attr:`cpu_seconds`: creating files and folders
    shows here, and it depends on the file system (see docs/performance.md)."""

    @property
    def pages_per_second(self) -> float:
        """Pages made per second of wall time."""
        return self.pages / self.seconds


def build_argv(locgen: Sequence[str], output: Path, jobs: int | None) -> list[str]:
    """The command line of one build."""
    argv = [*locgen, "build", "--output", str(output)]
    if jobs is not None:
        argv += ["-j", str(jobs)]
    return argv


def run_build(argv: list[str], site: Path, number: int, measure: str) -> Build:
    """Run one build in *site*, sampling its memory; abort with its stderr when it fails."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(argv, cwd=site, stdout=out, stderr=err)
        with PeakRss(process.pid) as sampler:
            _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    if process.returncode != 0:
        raise SystemExit(
            f"build failed (exit {process.returncode}): {shlex.join(argv)}\n"
            f"in {site}\n{stderr[-4000:]}"
        )
    summary = SUMMARY.search(stdout)
    if summary is None:
        raise SystemExit(f"no 'built N pages' line in the output of {shlex.join(argv)}:\n{stdout}")
    return Build(
        number=number,
        measure=measure,
        seconds=seconds,
        pages=int(summary.group(1)),
        emails=int(summary.group(2) or 0),
        peak_rss=sampler.peak,
        ru_maxrss=usage.ru_maxrss * 1024,
        cpu_seconds=usage.ru_utime + usage.ru_stime,
        system_seconds=usage.ru_stime,
    )


# -- the site -----------------------------------------------------------------


def site_settings(site: Path) -> dict[str, Any]:
    """The ``[site]`` table of the site's ``locgen.toml`` (empty when unreadable)."""
    try:
        data = tomllib.loads((site / "locgen.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return {}
    table = data.get("site", {})
    return table if isinstance(table, dict) else {}


def copy_site(source: Path, target: Path) -> None:
    """Copy the user's site, leaving out its cache and its output folder."""
    if not (source / "locgen.toml").is_file():
        raise SystemExit(f"--site {source}: no locgen.toml there")
    output = str(site_settings(source).get("output", "public"))

    def skipped(folder: str, names: list[str]) -> list[str]:
        if Path(folder).resolve() != source.resolve():
            return []
        return [name for name in names if name in (CACHE_DIR, output)]

    shutil.copytree(source, target, ignore=skipped)


def prepare_site(args: argparse.Namespace, pages: int, site: Path) -> None:
    """Write the synthetic site of *pages* pages, or copy ``--site``, to *site*."""
    started = time.perf_counter()
    if args.site:
        copy_site(args.site, site)
        print(f"site: copy of {args.site} in {site}")
    else:
        write_site(site, pages, args.locales, args.emails)
        files = sum(1 for _ in (site / "content").rglob("*.md"))
        print(
            f"site: synthetic, --pages {pages} --locales {args.locales} --emails {args.emails}"
            f" ({files} Markdown files, written in {time.perf_counter() - started:.1f} s)"
            f" in {site}"
        )


def content_pages(site: Path) -> list[Path]:
    """The default locale's page sources (no emails, no index pages), sorted."""
    locale = str(site_settings(site).get("default_locale", ""))
    pattern = f"*.{locale}.md" if locale else "*.md"
    content = site / "content"
    return sorted(
        path
        for path in content.rglob(pattern)
        if "emails" not in path.relative_to(content).parts and not path.name.startswith("index.")
    )


def touch_page(site: Path) -> Path:
    """The page the touch builds edit: the middle one of :func:`content_pages`."""
    pages = content_pages(site) or sorted((site / "content").rglob("*.md"))
    if not pages:
        raise SystemExit(f"{site}: no Markdown page to edit")
    return pages[len(pages) // 2]


@contextmanager
def touched(page: Path) -> Iterator[None]:
    """Append a line to *page*; restore its bytes and times on leaving."""
    original = page.read_bytes()
    times = page.stat()
    page.write_bytes(original + TOUCH_LINE)
    try:
        yield
    finally:
        page.write_bytes(original)
        os.utime(page, ns=(times.st_atime_ns, times.st_mtime_ns))


def clean(site: Path, output: Path, trash: Path) -> None:
    """Move the output folder and the site's cache into *trash*, for a cold build.

    They are deleted when the benchmark ends, not now: a file system that skips
    the inodes freed in the last minutes when it makes a file (ext4 without a
    journal, see ``refill.py``) would make the cold build right after pay for
    the benchmark's own deletion, thousands of times over. Until then each run
    keeps its output and cache (about 0.3 GB for 10,000 pages).
    """
    trash.mkdir(exist_ok=True)
    for folder in (output, site / CACHE_DIR):
        if folder.exists():
            folder.rename(trash / f"{len(os.listdir(trash))}-{folder.name}")


# -- the measures -----------------------------------------------------------------


def log_build(build: Build, run: int, runs: int) -> None:
    """One line per build, as it finishes."""
    print(
        f"  build {build.number:>3}  run {run}/{runs}  {build.measure:<5}"
        f" {build.seconds:8.2f} s  {build.pages:>7} pages  {build.pages_per_second:8.0f} pages/s"
        f"  peak RSS {build.peak_rss / MIB:7.0f} MiB  ru_maxrss {build.ru_maxrss / MIB:6.0f} MiB"
        f"  cpu {build.cpu_seconds:6.2f} s  sys {build.system_seconds:5.2f} s",
        flush=True,
    )


@dataclass
class BenchSite:
    """One site of the benchmark, in a folder of its own, and its builds so far."""

    site: Path
    output: Path
    argv: list[str]
    page: Path
    """The page the touch builds edit."""
    result: SizeResult

    @classmethod
    def prepare(cls, args: argparse.Namespace, pages: int | None, folder: Path) -> BenchSite:
        """Write (or copy) the site of *pages* pages into *folder*."""
        site, output = folder / "site", folder / "public"
        prepare_site(args, pages or 0, site)
        argv = build_argv(args.locgen, output, args.jobs)
        page = touch_page(site)
        print(f"  build: {shlex.join(argv)}  (in the site)")
        print(f"  touch: appends a line to {page.relative_to(site)}, restored after each touch")
        return cls(site, output, argv, page, SizeResult(pages, str(args.site or site), []))

    def run(self, run: int, runs: int) -> None:
        """A cold, a warm and a touch build, in that order."""
        print(f"{self.result.label()}, run {run}/{runs}:")
        clean(self.site, self.output, self.site.parent / "trash")
        for measure in MEASURES:
            number = len(self.result.builds) + 1
            with touched(self.page) if measure == "touch" else nullcontext():
                build = run_build(self.argv, self.site, number, measure)
            self.result.builds.append(build)
            log_build(build, run, runs)


def serve_candidates(site: Path) -> list[tuple[Path, str]]:
    """Page sources with the URL ``locgen serve`` is expected to serve them at."""
    content = site / "content"
    found = []
    for path in content_pages(site):
        key, _, tag = path.relative_to(content).as_posix()[: -len(".md")].rpartition(".")
        text = path.read_text(encoding="utf-8")
        if re.search(r"^slug:", text, re.M) or not re.search(r"^title: ", text, re.M):
            continue
        found.append((path, f"/{tag.lower()}/{key}/"))
    return found


def reachable(server: serve_latency.Server, url: str) -> bool:
    """Whether the server answers *url* with a page."""
    try:
        server.get(url)
    except urllib.error.URLError:
        return False
    return True


def run_serve(site: Path, edits: int) -> dict[str, list[tuple[float, int]]]:
    """Body and title edits under ``locgen serve``: (seconds, pages re-rendered) per edit."""
    candidates = serve_candidates(site)
    step = max(1, len(candidates) // (2 * edits + 1))
    originals = {path: path.read_bytes() for path, _ in candidates[::step]}
    server = serve_latency.Server(site)
    results: dict[str, list[tuple[float, int]]] = {}
    try:
        started = server.wait_until_serving(timeout=1800)
        first = next((line for line in server.lines if line.startswith("built ")), "")
        print(f"serve: started in {started:.1f} s ({first})")
        picks = [(p, url) for p, url in candidates[::step] if reachable(server, url)]
        picks = picks[: 2 * edits]
        if len(picks) < 2:
            print("serve: skipped, no page found at a predictable URL")
            return {}
        half = len(picks) // 2
        for kind, chosen, title in (("body", picks[:half], False), ("title", picks[half:], True)):
            measure = f"serve {kind} edit"
            results[measure] = []
            for number, (source, url) in enumerate(chosen, 1):
                marker = f"Edited {kind} {number} {time.time_ns()}"
                latency, pages = serve_latency.measure(server, source, url, marker, title)
                results[measure].append((latency, pages))
                print(f"  {measure} {number}/{len(chosen)}  {latency * 1000:6.0f} ms  {url}")
                time.sleep(0.2)
    finally:
        server.stop()
        for path, data in originals.items():
            path.write_bytes(data)
    return results


# -- figures --------------------------------------------------------------------


def spread(values: Sequence[float]) -> dict[str, float]:
    """Median, minimum and maximum."""
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


@dataclass
class SizeResult:
    """Every figure measured on one site."""

    requested_pages: int | None
    site: str
    builds: list[Build]
    serve: dict[str, list[tuple[float, int]]] = field(default_factory=dict)

    def label(self) -> str:
        """The site, as the build log names it."""
        if self.requested_pages is None:
            return f"site {self.site}"
        return f"{self.requested_pages} pages"

    def of(self, measure: str) -> list[Build]:
        """The builds of *measure*."""
        return [build for build in self.builds if build.measure == measure]

    def pages(self) -> int:
        """Pages the cold builds made (the median, should they differ)."""
        return int(statistics.median(build.pages for build in self.of("cold")))

    def summary(self, measure: str) -> dict[str, Any]:
        """Median, min and max of each figure of *measure*."""
        builds = self.of(measure)
        seconds = spread([build.seconds for build in builds])
        pages = int(statistics.median(build.pages for build in builds))
        return {
            "builds": [build.number for build in builds],
            "pages": pages,
            "seconds": seconds,
            # From the median, slowest and fastest time, so median pages/s = pages / median s.
            "pages_per_second": {
                "median": pages / seconds["median"],
                "min": pages / seconds["max"],
                "max": pages / seconds["min"],
            },
            "peak_rss_mib": spread([build.peak_rss / MIB for build in builds]),
            "ru_maxrss_mib": spread([build.ru_maxrss / MIB for build in builds]),
            "cpu_seconds": spread([build.cpu_seconds for build in builds]),
            "system_seconds": spread([build.system_seconds for build in builds]),
        }

    def to_json(self) -> dict[str, Any]:
        """Everything, for ``--json``."""
        serve = {
            measure: {
                "latency_ms": spread([seconds * 1000 for seconds, _ in edits]),
                "edits": [{"ms": seconds * 1000, "pages_rendered": n} for seconds, n in edits],
            }
            for measure, edits in self.serve.items()
        }
        return {
            "requested_pages": self.requested_pages,
            "site": self.site,
            "pages": self.pages(),
            "summary": {measure: self.summary(measure) for measure in MEASURES},
            "builds": [asdict(build) for build in self.builds],
            "serve": serve,
        }


def print_rows(header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """A plain table: first column left-aligned, the others right-aligned."""
    table = [list(header), *map(list, rows)]
    widths = [max(len(row[column]) for row in table) for column in range(len(header))]
    for row in table:
        cells = [row[0].ljust(widths[0])]
        cells += [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
        print("  ".join(cells).rstrip())


def print_table(result: SizeResult, runs: int) -> None:
    """The build table of one site, and the serve table when measured."""
    print(f"\n{result.pages()} pages, median of {runs} runs (min and max beside it):")
    rows = []
    for measure in MEASURES:
        s = result.summary(measure)
        rows.append(
            [
                measure,
                ",".join(map(str, s["builds"])),
                str(s["pages"]),
                f"{s['seconds']['median']:.2f}",
                f"{s['seconds']['min']:.2f}",
                f"{s['seconds']['max']:.2f}",
                f"{s['pages_per_second']['median']:.0f}",
                f"{s['peak_rss_mib']['median']:.0f}",
                f"{s['peak_rss_mib']['max']:.0f}",
                f"{s['ru_maxrss_mib']['median']:.0f}",
                f"{s['cpu_seconds']['median']:.2f}",
                f"{s['system_seconds']['median']:.2f}",
            ]
        )
    header = ["measure", "builds", "pages", "median s", "min s", "max s", "pages/s"]
    header += ["peak RSS MiB", "max MiB", "ru_maxrss MiB", "cpu s", "sys s"]
    print_rows(header, rows)
    if result.serve:
        print()
        serve_rows = []
        for measure, edits in result.serve.items():
            ms = spread([seconds * 1000 for seconds, _ in edits])
            rendered = ",".join(str(n) for n in sorted({n for _, n in edits}))
            serve_rows.append(
                [
                    measure,
                    str(len(edits)),
                    f"{ms['median']:.0f}",
                    f"{ms['min']:.0f}",
                    f"{ms['max']:.0f}",
                    rendered,
                ]
            )
        print_rows(
            ["serve", "edits", "median ms", "min ms", "max ms", "pages re-rendered"], serve_rows
        )


def print_scaling(results: list[SizeResult]) -> None:
    """Pages/s at each size and the ratio of the largest size's to the smallest's."""
    first, last = results[0], results[-1]
    growth = last.pages() / first.pages()
    print(
        f"\nscaling: median pages/s at each size; ratio = {last.pages()} pages / "
        f"{first.pages()} pages (1.00 = linear cost, < 1 = grows faster than the site)"
    )
    rows = []
    for measure in MEASURES:
        speeds = [r.summary(measure)["pages_per_second"]["median"] for r in results]
        seconds = median_seconds(results, measure)
        time_growth = seconds[-1] / seconds[0]
        ratio = f"{speeds[-1] / speeds[0]:.2f}"
        time_text = f"x{time_growth:.1f} for x{growth:.1f}"
        rows.append([measure, *(f"{speed:.0f}" for speed in speeds), ratio, time_text])
    header = ["measure", *(f"{r.pages()} pages" for r in results), "ratio", "time"]
    print_rows(header, rows)
    print_cost_line(results)


def median_seconds(results: list[SizeResult], measure: str) -> list[float]:
    """The median time of *measure* at each size."""
    return [r.summary(measure)["seconds"]["median"] for r in results]


def print_cost_line(results: list[SizeResult]) -> None:
    """The straight line through the median times: a fixed part plus a cost per page.

    Pages/s differ between sizes when a build has a fixed part (starting Python,
    loading modules, the emails, the checks at the end), even when each page
    costs the same at every size. With three sizes or more, the largest miss of
    the line says how straight the cost is.
    """
    pages = [r.pages() for r in results]
    print(
        "\ncost: median seconds = fixed part + pages x cost per page (least squares over the sizes)"
    )
    header = ["measure", "fixed s", "ms/page"]
    if len(results) > 2:
        header.append("largest miss")
    rows = []
    for measure in MEASURES:
        seconds = median_seconds(results, measure)
        per_page, fixed = statistics.linear_regression(pages, seconds)
        row = [measure, f"{fixed:.2f}", f"{per_page * 1000:.2f}"]
        if len(results) > 2:
            misses = [
                abs(fixed + per_page * n - s) / s for n, s in zip(pages, seconds, strict=True)
            ]
            row.append(f"{max(misses):.0%}")
        rows.append(row)
    print_rows(header, rows)


def environment(locgen: Sequence[str], jobs: int | None) -> dict[str, Any]:
    """The machine and the locgen the figures come from."""
    version = subprocess.run([*locgen, "--version"], capture_output=True, text=True, check=False)
    return {
        "locgen": shlex.join(locgen),
        "locgen_version": version.stdout.strip(),
        "jobs": jobs,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def check_jobs_option(locgen: Sequence[str]) -> None:
    """Warn when ``locgen build --help`` does not list ``-j`` (it is passed anyway)."""
    argv = [*locgen, "build", "--help"]
    shown = subprocess.run(argv, capture_output=True, text=True, check=False)
    if not re.search(r"(^|\s)-j\b", shown.stdout):
        print("note: `locgen build --help` does not list -j; passing it anyway", file=sys.stderr)


# -- command line ---------------------------------------------------------------


def page_sizes(text: str) -> list[int]:
    """``1000,10000`` as a list of sizes."""
    try:
        sizes = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of page counts: {text!r}") from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"not a list of page counts: {text!r}")
    return sizes


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="See the module docstring for what each measure is.",
    )
    parser.add_argument("--pages", type=int, default=1000, help="site size (default 1000)")
    parser.add_argument(
        "--pages-list",
        type=page_sizes,
        metavar="N,N,...",
        help="run at each of these sizes and compare pages/s (instead of --pages)",
    )
    parser.add_argument(
        "--locales",
        type=int,
        default=6,
        choices=range(1, len(LOCALES) + 1),
        metavar="1-8",
        help="locales of the synthetic site (default 6)",
    )
    parser.add_argument("--emails", type=int, default=4, help="emails per locale (default 4)")
    parser.add_argument("--runs", type=int, default=5, help="runs of each measure (default 5)")
    parser.add_argument("--jobs", type=int, help="pass -j JOBS to locgen build")
    parser.add_argument("--site", type=Path, help="benchmark a copy of this site instead")
    parser.add_argument("--serve", action="store_true", help="also time locgen serve edits")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the figures here")
    parser.add_argument(
        "--locgen",
        type=shlex.split,
        default=[sys.executable, "-m", "locgen"],
        metavar="CMD",
        help='the locgen command (default: this interpreter\'s "python -m locgen")',
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folders")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if args.site and args.pages_list:
        parser.error("--pages-list writes synthetic sites; it cannot be used with --site")
    return args


def run_benchmark(args: argparse.Namespace, sizes: Sequence[int | None]) -> list[SizeResult]:
    """Every measure at every size, in temporary folders.

    Each run builds every size in turn (cold, warm, touch), so that the sizes
    meet the same moments of a shared machine: their ratio is then measured
    side by side, not from runs minutes apart.
    """
    work = Path(tempfile.mkdtemp(prefix="locgen-bench-"))
    try:
        sites = []
        for number, pages in enumerate(sizes, 1):
            print()
            sites.append(BenchSite.prepare(args, pages, work / f"site-{number}"))
        print()
        for run in range(1, args.runs + 1):
            for site in sites:
                site.run(run, args.runs)
        for site in sites:
            if args.serve:
                site.result.serve = run_serve(site.site, args.runs)
            print_table(site.result, args.runs)
        return [site.result for site in sites]
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    """Run the benchmark and print (and optionally write) the figures."""
    args = parse_args()
    if args.jobs is not None:
        check_jobs_option(args.locgen)
    env = environment(args.locgen, args.jobs)
    print(f"{env['locgen_version']} ({env['locgen']}), jobs {args.jobs or 'default'}")
    print(f"python {env['python']} on {env['platform']}, {env['cpus']} CPUs")
    print("each run: cold (no output, no .locgen-cache/), warm (again), touch (one page edited)")
    sizes: list[int | None] = [None] if args.site else (args.pages_list or [args.pages])
    results = run_benchmark(args, sizes)
    if len(results) > 1:
        print_scaling(results)
    if args.json:
        figures = {"environment": env, "runs": args.runs, "sizes": [r.to_json() for r in results]}
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
        print(f"\nwrote {args.json}")


if __name__ == "__main__":
    main()
