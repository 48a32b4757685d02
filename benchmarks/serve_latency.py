"""Time from saving a content file to the rebuilt page being served by ``locgen serve``.

    python benchmarks/serve_latency.py [--pages 10000] [--edits 9] [--site DIR]

Writes a synthetic site (``benchmarks/synthetic.py``) unless ``--site`` names
an existing one, starts ``locgen serve`` on it in a separate process, and
then, edit by edit, appends a paragraph to one page's Markdown and polls
that page over HTTP until the new text is served. It reports the median,
minimum and maximum latency, and how many pages the server rendered again
for each edit (from its log), for body edits and for title edits.
"""

from __future__ import annotations

import argparse
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import write_site

REBUILT = re.compile(r"rebuilt (\d+) pages? in (\d+) ms")


class Server:
    """``locgen serve`` in a child process, with its log lines collected."""

    def __init__(self, site: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "locgen", "serve", "--port", str(self.port)],
            cwd=site,
            stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.append(line.rstrip("\n"))

    def wait_until_serving(self, timeout: float) -> float:
        started = time.perf_counter()
        while not any(line.startswith("serving ") for line in self.lines):
            if self.process.poll() is not None or time.perf_counter() - started > timeout:
                raise SystemExit("locgen serve did not start:\n" + "\n".join(self.lines))
            time.sleep(0.05)
        return time.perf_counter() - started

    def get(self, path: str) -> bytes:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=10) as answer:
            data: bytes = answer.read()
            return data

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def measure(server: Server, source: Path, url: str, marker: str, title: bool) -> tuple[float, int]:
    """Save *source* with *marker* added; return seconds until served and pages rendered."""
    text = source.read_text(encoding="utf-8")
    if title:
        changed = re.sub(r"^title: .*$", f"title: {marker}", text, count=1, flags=re.M)
    else:
        changed = text + f"\n{marker}\n"
    logged = len(server.lines)
    saved = time.perf_counter()
    source.write_text(changed, encoding="utf-8")
    needle = marker.encode()
    while needle not in server.get(url):
        if time.perf_counter() - saved > 120:
            raise SystemExit(f"{url} never showed the edit:\n" + "\n".join(server.lines[-5:]))
        time.sleep(0.002)
    latency = time.perf_counter() - saved
    deadline = time.perf_counter() + 5
    while time.perf_counter() < deadline:
        for line in server.lines[logged:]:
            found = REBUILT.search(line)
            if found:
                return latency, int(found.group(1))
        time.sleep(0.01)
    return latency, -1


def report(kind: str, results: list[tuple[float, int]]) -> None:
    """Print median, min and max latency and the pages rendered per edit."""
    times = [seconds * 1000 for seconds, _ in results]
    rendered = sorted({pages for _, pages in results})
    print(
        f"{kind}: median {statistics.median(times):.0f} ms, "
        f"min {min(times):.0f} ms, max {max(times):.0f} ms over {len(times)} edits; "
        f"pages rendered again per edit: {', '.join(map(str, rendered))}"
    )


def main() -> None:
    """Parse the command line, run the edits, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=10_000, help="site size (default 10000)")
    parser.add_argument("--locales", type=int, default=6)
    parser.add_argument("--edits", type=int, default=9, help="edits of each kind (default 9)")
    parser.add_argument("--site", type=Path, help="reuse this synthetic site")
    args = parser.parse_args()

    site = args.site or Path(tempfile.mkdtemp(prefix="locgen-serve-bench-")) / "site"
    if not (site / "locgen.toml").is_file():
        write_site(site, args.pages, args.locales, emails=4)
    sources = sorted((site / "content").glob("section-*/page-*.en-US.md"))
    pages = sum(1 for _ in (site / "content").rglob("*.md"))
    print(f"site: {site} ({pages} content files, {len(sources)} page groups in en-US)")

    server = Server(site)
    try:
        started = server.wait_until_serving(timeout=1800)
        built = next((line for line in server.lines if line.startswith("built ")), "")
        print(f"first build: {started:.1f} s ({built})")
        step = max(1, len(sources) // (2 * args.edits + 1))
        picks = sources[::step][: 2 * args.edits]
        for kind, chosen, title in (
            ("body edit", picks[: args.edits], False),
            ("title edit", picks[args.edits :], True),
        ):
            results = []
            for number, source in enumerate(chosen):
                section, name = source.parent.name, source.name.split(".")[0]
                url = f"/en-us/{section}/{name}/"
                marker = f"Edited {kind.split()[0]} {number} {time.time_ns()}"
                results.append(measure(server, source, url, marker, title))
                time.sleep(0.2)
            report(kind, results)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
