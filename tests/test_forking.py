"""Work shared with a copy of the process gives what one process would give."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from conftest import SiteFactory
from locgen import forking, sources
from locgen.config import load_config
from locgen.errors import ContentError
from locgen.forking import CopyStopped, aside, begin_map, map_in_copies, map_in_two
from locgen.sources import read_ahead, read_content


def test_a_copy_shares_the_items_and_the_results_keep_their_order() -> None:
    def item(n: int) -> tuple[int, int]:
        time.sleep(0.002)
        return n * n, os.getpid()

    results = map_in_two(item, range(100), min_items=10, chunk=3)

    assert [square for square, _ in results] == [n * n for n in range(100)]
    workers = [pid for _, pid in results]
    assert len(set(workers)) == 2 and os.getpid() in workers
    assert 20 <= workers.count(os.getpid()) <= 80  # shared, not one doing all


def test_few_items_are_done_in_this_process() -> None:
    assert map_in_two(lambda n: os.getpid(), range(9), min_items=10) == [os.getpid()] * 9


@pytest.mark.parametrize("bad", [(30, 70), (70, 90), (99,), (0, 1)])
def test_the_first_failing_item_raises_as_in_one_process(bad: tuple[int, ...]) -> None:
    def check(n: int) -> int:
        if n == bad[0]:
            time.sleep(0.1)  # a later item fails first
        if n in bad:
            raise ValueError(f"item {n}")
        return n

    with pytest.raises(ValueError, match=f"^item {bad[0]}$"):
        map_in_two(check, range(100), min_items=10)


def test_what_a_killed_copy_did_not_send_is_done_here() -> None:
    parent = os.getpid()

    def item(n: int) -> int:
        if n == 60 and os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        time.sleep(0.001)
        return n

    assert map_in_two(item, range(100), min_items=10) == list(range(100))


def test_no_copy_is_made_while_another_thread_runs() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        workers = map_in_two(lambda n: os.getpid(), range(100), min_items=10)
    finally:
        stop.set()
        thread.join()
    assert workers == [os.getpid()] * 100


def test_a_begun_map_is_under_way_before_its_results_are_asked_for() -> None:
    def item(n: int) -> tuple[int, float]:
        time.sleep(0.01)
        return os.getpid(), time.monotonic()

    begun = begin_map(item, range(60), chunk=2)
    time.sleep(0.3)
    asked = time.monotonic()
    results = begun.results()

    before = [pid for pid, done in results if done < asked]
    assert before and os.getpid() not in before  # the copy began alone
    assert os.getpid() in [pid for pid, _ in results]  # and this process joined in
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # the copy is reaped


def test_a_begun_map_of_fewer_items_than_asked_makes_no_copy() -> None:
    begun = begin_map(lambda n: os.getpid(), range(3), min_items=4)
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # no copy was made
    assert begun.results() == [os.getpid()] * 3


def test_no_item_is_taken_after_one_has_failed() -> None:
    """The items after a failing one are not needed: this process does none of them."""
    parent = os.getpid()
    done_here: list[int] = []

    def item(n: int) -> int:
        if os.getpid() == parent:
            done_here.append(n)
        if n == 2:
            raise ValueError("item 2")
        time.sleep(0.01)
        return n

    begun = begin_map(item, range(100))
    time.sleep(0.5)  # the copy meets item 2 long before
    with pytest.raises(ValueError, match=r"^item 2$"):
        begun.results()
    assert done_here == []


def test_a_begun_map_can_be_stopped() -> None:
    started = time.monotonic()
    begun = begin_map(lambda n: time.sleep(30), range(4))
    begun.stop()
    assert time.monotonic() - started < 5
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # the copy ended and was reaped


def test_copies_share_the_items_and_the_results_keep_their_order() -> None:
    def item(n: int) -> tuple[int, int]:
        time.sleep(0.02 if n < 10 else 0)  # the first chunks arrive last
        return n * n, os.getpid()

    results = list(map_in_copies(item, range(100), copies=3, chunk=4))

    assert [square for square, _ in results] == [n * n for n in range(100)]
    workers = {pid for _, pid in results}
    assert len(workers) == 3 and os.getpid() not in workers


def test_the_last_items_are_shared_out_in_small_chunks() -> None:
    """Slow items at the end do not all go to one copy while the others wait for it."""

    def item(n: int) -> int:
        if n >= 80:
            time.sleep(0.05)
        return os.getpid()

    workers = list(map_in_copies(item, range(96), copies=2, chunk=16))

    assert len(set(workers[80:])) == 2  # not one chunk of 16 for one copy


@pytest.mark.parametrize("bad", [(30, 70), (5, 90), (99,)])
def test_the_first_failing_item_in_order_raises_after_the_results_before_it(
    bad: tuple[int, ...],
) -> None:
    """Also when a later item fails first, in another copy."""

    def check(n: int) -> int:
        if n == bad[0]:
            time.sleep(0.2)
        if n in bad:
            raise ValueError(f"item {n}")
        return n

    got: list[int] = []
    with pytest.raises(ValueError, match=f"^item {bad[0]}$"):
        got.extend(map_in_copies(check, range(100), copies=2, chunk=3))
    assert got == list(range(bad[0]))


def test_an_error_that_does_not_pickle_arrives_named() -> None:
    class Odd(Exception):
        def __init__(self, first: str, second: str) -> None:
            super().__init__(first)

    def check(n: int) -> int:
        if n == 7:
            raise Odd("seven", "two")
        return n

    with pytest.raises(RuntimeError, match=r"^Odd: seven$"):
        list(map_in_copies(check, range(20), copies=2, chunk=2))


def test_a_killed_copy_stops_the_map_and_the_others_are_stopped_too() -> None:
    parent = os.getpid()
    seen: list[int] = []

    def item(n: int) -> int:
        if n == 40 and os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        time.sleep(0.001)
        return n

    with pytest.raises(CopyStopped):
        seen.extend(map_in_copies(item, range(10_000), copies=2, chunk=4))
    assert seen == list(range(len(seen))) and len(seen) <= 40
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # no copy is left running, or unreaped


def test_what_a_copy_prints_is_not_lost_nor_what_came_before_printed_again() -> None:
    script = (
        "from locgen.forking import map_in_copies, map_in_two\n"
        "print('before')\n"
        "def item(n):\n"
        "    print('item', n)\n"
        "    return n\n"
        "assert list(map_in_copies(item, range(50), copies=2, chunk=5)) == list(range(50))\n"
        "assert map_in_two(item, range(50, 100), min_items=10) == list(range(50, 100))\n"
    )
    # Printed to a pipe, the lines wait in each copy's buffer until it ends.
    buffered = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, env=buffered
    )
    expected = ["before", *(f"item {n}" for n in range(100))]
    assert sorted(result.stdout.splitlines()) == sorted(expected)


def pages(count: int) -> dict[str, str]:
    """*count* English pages, for :func:`site_factory`."""
    return {
        f"content/page-{n:03}.en-US.md": (
            f"---\ntitle: Page {n}\ndate: 2026-01-{n % 28 + 1:02}\ntags: [a, b]\n---\n\nText {n}.\n"
        )
        for n in range(count)
    }


def test_a_call_made_aside_runs_in_a_copy_while_this_process_goes_on() -> None:
    parent = os.getpid()
    started = time.monotonic()
    running = aside(lambda: (time.sleep(0.5), os.getpid(), time.monotonic())[1:])
    here = time.monotonic()  # the call is under way, not done
    pid, ended = running.result()
    assert here - started < 0.25 and ended - started >= 0.5
    assert pid != parent
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # the copy is reaped


def test_what_a_call_made_aside_raises_raises_when_its_result_is_asked_for() -> None:
    def fail() -> None:
        raise ValueError("no room on the disk")

    running = aside(fail)
    with pytest.raises(ValueError, match="no room on the disk"):
        running.result()

    class Odd(Exception):
        def __init__(self, first: str, second: str) -> None:
            super().__init__(first)

    def odd() -> None:
        raise Odd("seven", "two")

    with pytest.raises(RuntimeError, match=r"^Odd: seven$"):
        aside(odd).result()


def test_a_call_whose_copy_was_killed_is_made_here() -> None:
    parent = os.getpid()

    def call() -> int:
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return os.getpid()

    assert aside(call).result() == parent


def test_a_call_made_aside_while_another_thread_runs_is_made_here_when_asked() -> None:
    made: list[int] = []
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        running = aside(lambda: made.append(os.getpid()))
        assert made == []  # not yet
    finally:
        stop.set()
        thread.join()
    running.result()
    assert made == [os.getpid()]


def test_a_call_made_aside_when_the_system_makes_no_copy_is_made_here(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refused() -> int:  # what fork() raises at a process limit, or out of memory
        raise BlockingIOError(errno.EAGAIN, "Resource temporarily unavailable")

    monkeypatch.setattr(forking, "_fork", refused)
    assert aside(os.getpid).result() == os.getpid()


def test_a_call_made_aside_can_be_stopped() -> None:
    started = time.monotonic()
    running = aside(lambda: time.sleep(30))
    running.stop()
    assert time.monotonic() - started < 5
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # the copy ended and was reaped


def test_content_read_in_two_processes_is_the_content_read_in_one(
    site_factory: SiteFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = site_factory(pages(300))
    config = load_config(site)
    assert sources.PARALLEL_READ_MIN_FILES <= 300
    shared = read_content(config)
    ahead = read_ahead(site, cache=False)
    assert ahead is not None
    read_ahead_of_it = read_content(config, ahead=ahead)
    monkeypatch.setattr(sources, "PARALLEL_READ_MIN_FILES", 10**9)
    assert read_content(config) == shared == read_ahead_of_it
    assert [source.meta["title"] for source in shared.sources] == [f"Page {n}" for n in range(300)]


@pytest.mark.parametrize("broken", [20, 250])
@pytest.mark.parametrize("begun", [False, True])
def test_a_broken_file_stops_the_read_with_its_error_wherever_it_is(
    site_factory: SiteFactory, monkeypatch: pytest.MonkeyPatch, broken: int, begun: bool
) -> None:
    """The first broken file in order is reported, whichever process read it."""
    site = site_factory(pages(300))
    bad = site / f"content/page-{broken:03}.en-US.md"
    bad.write_text("---\ntitle: Fine\ndate: [unclosed\n---\n\nText.\n", encoding="utf-8")
    (site / "content/page-299.en-US.md").write_text("---\ntitle: [\n---\n", "utf-8")
    config = load_config(site)
    with pytest.raises(ContentError) as shared:
        read_content(config, ahead=read_ahead(site, cache=False) if begun else None)
    monkeypatch.setattr(sources, "PARALLEL_READ_MIN_FILES", 10**9)
    with pytest.raises(ContentError) as in_one:
        read_content(config)
    assert shared.value.path == in_one.value.path == bad
    assert shared.value.line == in_one.value.line == 3
    assert str(shared.value) == str(in_one.value)
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # no copy is left running, or unreaped


def test_pages_added_or_removed_after_reading_began_are_read_as_they_are_then(
    site_factory: SiteFactory,
) -> None:
    site = site_factory(pages(300))
    ahead = read_ahead(site, cache=False)
    (site / "content/page-007.en-US.md").unlink()
    (site / "content/late.en-US.md").write_text("---\ntitle: Late\n---\n\nText.\n", "utf-8")

    tree = read_content(load_config(site), ahead=ahead)

    titles = [source.meta["title"] for source in tree.sources]
    assert "Late" in titles and "Page 7" not in titles and len(titles) == 300
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def test_no_reading_ahead_where_the_build_cache_has_the_pages(site_factory: SiteFactory) -> None:
    site = site_factory(pages(300))
    (site / ".locgen-cache").mkdir()
    assert read_ahead(site, cache=True) is None
    ahead = read_ahead(site, cache=False)  # --no-cache: the pages are read
    assert ahead is not None
    ahead.stop()
    for n in range(20, 300):
        (site / f"content/page-{n:03}.en-US.md").unlink()
    assert read_ahead(site, cache=False) is None  # too few pages to share
