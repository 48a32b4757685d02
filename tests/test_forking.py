"""Work shared with a copy of the process gives what one process would give."""

from __future__ import annotations

import os
import signal
import threading

import pytest

from conftest import SiteFactory
from locgen import sources
from locgen.config import load_config
from locgen.errors import ContentError
from locgen.forking import map_in_halves
from locgen.sources import read_content


def test_a_copy_does_the_second_half_and_the_results_keep_their_order() -> None:
    parent = os.getpid()
    results = map_in_halves(lambda n: (n * n, os.getpid()), range(100), min_items=10)
    assert [square for square, _ in results] == [n * n for n in range(100)]
    workers = [pid for _, pid in results]
    assert workers[:50] == [parent] * 50
    assert parent not in workers[50:]


def test_few_items_are_done_in_this_process() -> None:
    assert map_in_halves(lambda n: os.getpid(), range(9), min_items=10) == [os.getpid()] * 9


@pytest.mark.parametrize("bad", [(30, 70), (70, 90), (99,)])
def test_the_first_failing_item_raises_as_in_one_process(bad: tuple[int, ...]) -> None:
    def check(n: int) -> int:
        if n in bad:
            raise ValueError(f"item {n}")
        return n

    with pytest.raises(ValueError, match=f"^item {bad[0]}$"):
        map_in_halves(check, range(100), min_items=10)


def test_what_a_killed_copy_did_not_send_is_done_here() -> None:
    parent = os.getpid()

    def item(n: int) -> int:
        if n == 60 and os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return n

    assert map_in_halves(item, range(100), min_items=10) == list(range(100))


def test_no_copy_is_made_while_another_thread_runs() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        workers = map_in_halves(lambda n: os.getpid(), range(100), min_items=10)
    finally:
        stop.set()
        thread.join()
    assert workers == [os.getpid()] * 100


def pages(count: int) -> dict[str, str]:
    """*count* English pages, for :func:`site_factory`."""
    return {
        f"content/page-{n:03}.en-US.md": (
            f"---\ntitle: Page {n}\ndate: 2026-01-{n % 28 + 1:02}\ntags: [a, b]\n---\n\nText {n}.\n"
        )
        for n in range(count)
    }


def test_content_read_in_halves_is_the_content_read_in_one_process(
    site_factory: SiteFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = load_config(site_factory(pages(300)))
    assert sources.PARALLEL_READ_MIN_FILES <= 300
    in_halves = read_content(config)
    monkeypatch.setattr(sources, "PARALLEL_READ_MIN_FILES", 10**9)
    assert read_content(config) == in_halves
    assert [source.meta["title"] for source in in_halves.sources] == [
        f"Page {n}" for n in range(300)
    ]


@pytest.mark.parametrize("broken", [20, 250])
def test_a_broken_file_stops_the_read_with_its_error_wherever_it_is(
    site_factory: SiteFactory, monkeypatch: pytest.MonkeyPatch, broken: int
) -> None:
    """The first broken file in order is reported, whichever process read it."""
    site = site_factory(pages(300))
    bad = site / f"content/page-{broken:03}.en-US.md"
    bad.write_text("---\ntitle: Fine\ndate: [unclosed\n---\n\nText.\n", encoding="utf-8")
    (site / "content/page-299.en-US.md").write_text("---\ntitle: [\n---\n", "utf-8")
    config = load_config(site)
    with pytest.raises(ContentError) as in_halves:
        read_content(config)
    monkeypatch.setattr(sources, "PARALLEL_READ_MIN_FILES", 10**9)
    with pytest.raises(ContentError) as in_one:
        read_content(config)
    assert in_halves.value.path == in_one.value.path == bad
    assert in_halves.value.line == in_one.value.line == 3
    assert str(in_halves.value) == str(in_one.value)
