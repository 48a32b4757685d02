"""The build benchmark (benchmarks/bench.py) runs real builds of synthetic sites."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "benchmarks" / "bench.py"


def test_each_run_builds_every_size_and_cold_builds_start_without_output(tmp_path: Path) -> None:
    figures = tmp_path / "figures.json"
    sizes_and_runs = ["--pages-list", "30,60", "--runs", "2", "--locales", "2", "--emails", "1"]
    done = subprocess.run(
        [sys.executable, str(BENCH), *sizes_and_runs, "--keep", "--json", str(figures)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "TMPDIR": str(tmp_path)},  # its folders go under tmp_path
    )
    out = done.stdout
    # The sizes take turns, so that both meet the same moments of a busy machine.
    runs = re.findall(r"^(\d+) pages, run (\d)/2:$", out, flags=re.MULTILINE)
    assert runs == [("30", "1"), ("60", "1"), ("30", "2"), ("60", "2")]
    sizes = json.loads(figures.read_text(encoding="utf-8"))["sizes"]
    small, large = (size["summary"]["cold"]["pages"] for size in sizes)
    assert small < large
    scaling = out.split("\nscaling:")[1]
    assert re.search(r"^cold +\d+ +\d+ +\d+\.\d\d ", scaling, flags=re.MULTILINE)
    # Before the second cold build, the first run's output and cache were moved aside
    # (not deleted, and not built upon).
    work = Path(re.findall(r"^kept (.+)$", out, flags=re.MULTILINE)[0])
    for site in ("site-1", "site-2"):
        moved = sorted(path.name for path in (work / site / "trash").iterdir())
        assert moved == ["0-public", "1-.locgen-cache"]
        assert (work / site / "public" / "index.html").is_file()
    # The line through the two sizes' median times gives each size's time back.
    cost = out.split("\ncost:")[1]
    for measure in ("cold", "warm", "touch"):
        found = re.search(rf"^{measure} +(-?\d+\.\d\d) +(-?\d+\.\d\d)$", cost, flags=re.MULTILINE)
        assert found, cost
        fixed, per_page = float(found[1]), float(found[2]) / 1000
        for size in sizes:
            median = size["summary"][measure]
            expected = median["seconds"]["median"]
            assert abs(fixed + per_page * median["pages"] - expected) < 0.01 + 0.01 * expected
