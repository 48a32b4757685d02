"""The build benchmark (benchmarks/bench.py) runs real builds of synthetic sites."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

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


def test_the_cost_line_gives_the_fixed_part_the_cost_per_page_and_its_largest_miss(
    capsys: pytest.CaptureFixture[str],
) -> None:
    bench = _load_bench()
    # 0.5 s plus 2 ms a page at 100 and 1,000 pages, 10% over that at 400 pages: the
    # least-squares line is 0.56 s plus 1.97 ms a page, and misses 400 pages by 8%.
    times = {100: 0.7, 400: 1.3 * 1.1, 1000: 2.5}
    results = [
        bench.SizeResult(
            requested_pages=pages,
            site="synthetic",
            builds=[
                bench.Build(number, measure, seconds, pages, 0, 0, 0, seconds, 0.0)
                for number, measure in enumerate(bench.MEASURES, 1)
            ],
        )
        for pages, seconds in times.items()
    ]
    bench.print_cost_line(results)
    rows = capsys.readouterr().out.split("\ncost:")[1].splitlines()[2:]
    assert [row.split() for row in rows] == [
        [measure, "0.56", "1.97", "8%"] for measure in bench.MEASURES
    ]


def _load_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module
