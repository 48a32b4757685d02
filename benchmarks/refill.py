"""Time a file system creating a site-shaped folder tree, again and again.

    python benchmarks/refill.py [--dir DIR] [--folders 1800] [--rounds 6]

Each round creates ``--folders`` folders under ``DIR/out`` (six locale
folders, a page folder each, as ``<locale>/posts/<page>/``), writes an
``index.html`` of ``--bytes`` bytes into each, then deletes the whole tree:
what ``shared/bench/compare.py`` and ``benchmarks/bench.py`` do to the
output folder before every cold build. For each round it prints the wall
time and the system (kernel) CPU time of the creating, which no build of
any tool can spend less on.

No locgen code runs here. On most file systems every round costs the same.
On ext4 without a journal each round costs more than the last while the
deleted inodes are recent (about a minute), because the kernel looks at
every recently deleted inode of a block group before it hands out a new one:
the cold-build figures measured on such a disk grow with how many files the
benchmark deleted just before. ``--dir`` on a tmpfs (``/dev/shm``) shows
the same tree without that cost.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

LOCALES = 6


def create(root: Path, folders: int, size: int) -> tuple[float, float]:
    """Create the tree under *root*; return its wall and system CPU seconds."""
    data = b"x" * size
    started, before = time.perf_counter(), os.times()
    for number in range(folders):
        folder = root / f"l{number % LOCALES}" / "posts" / f"page-{number}"
        folder.mkdir(parents=True)
        (folder / "index.html").write_bytes(data)
    return time.perf_counter() - started, os.times().system - before.system


def main() -> None:
    """Run the rounds and print one line for each."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dir", type=Path, help="where to work (default: a new temporary folder)")
    parser.add_argument("--folders", type=int, default=1800, help="page folders (default 1800)")
    parser.add_argument("--bytes", type=int, default=10_000, help="size of each file")
    parser.add_argument("--rounds", type=int, default=6, help="create-and-delete rounds")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="locgen-refill-", dir=args.dir))
    try:
        print(f"{args.folders} folders and files of {args.bytes} bytes in {work}")
        for round_number in range(1, args.rounds + 1):
            wall, system = create(work / "out", args.folders, args.bytes)
            per_inode = system / (2 * args.folders) * 1e6
            print(
                f"round {round_number}: create {wall:6.3f} s wall, {system:6.3f} s system"
                f" ({per_inode:4.0f} us per file or folder)",
                flush=True,
            )
            shutil.rmtree(work / "out")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
