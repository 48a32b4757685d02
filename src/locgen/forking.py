"""Work shared with copies of this process, where the system can make them.

A copy (``fork``) starts with everything this process has set up, so nothing
is set up twice, and it costs a few milliseconds to make (4 ms, there and
back, for a process of 70 MB). It is only safe in
a process running no other threads: one of them may hold a lock the copy
would wait on for ever.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

_T = TypeVar("_T")
_R = TypeVar("_R")


def can_fork() -> bool:
    """True where worker processes can start as copies of this one (Linux, BSD, macOS)."""
    return "fork" in multiprocessing.get_all_start_methods()


def may_fork() -> bool:
    """True when this process can start copies of itself now: it can fork, and it
    runs no other threads (the dev server's, or a build's file writers)."""
    return can_fork() and threading.active_count() == 1


def map_in_halves(function: Callable[[_T], _R], items: Sequence[_T], *, min_items: int) -> list[_R]:
    """``[function(item) for item in items]``, with a copy of this process doing half.

    The copy applies *function* to the second half of *items* while this
    process does the first, then sends its results back pickled. It stops at
    the first item *function* raises on; this process applies *function*
    itself to every item the copy did not finish (so it raises the same
    exception, at the same item, as a loop in one process would). Fewer than
    *min_items* items, or no copy allowed (:func:`may_fork`): one plain loop.

    *function* must not change anything this process relies on afterwards:
    what the copy changes stays in the copy.
    """
    if len(items) < min_items or not may_fork():
        return [function(item) for item in items]
    half = len(items) // 2
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the copy
        os.close(read_end)
        _send_results(function, items[half:], write_end)
    os.close(write_end)
    pipe = os.fdopen(read_end, "rb")
    try:
        results = [function(item) for item in items[:half]]
        received: list[_R] = _received(pipe.read())
    finally:
        pipe.close()  # before waiting: a copy still writing then stops
        os.waitpid(pid, 0)
    results += received
    results += [function(item) for item in items[half + len(received) :]]
    return results


def _send_results(function: Callable[[_T], _R], items: Sequence[_T], pipe: int) -> None:
    """Apply *function* to *items* until one raises, write the results to *pipe*, exit."""
    status = 1
    try:
        results: list[_R] = []
        for item in items:
            try:
                results.append(function(item))
            except Exception:
                break  # the process that made this copy meets it again, and reports it
        with os.fdopen(pipe, "wb") as out:
            out.write(pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL))
        status = 0
    finally:
        # No clean-up of the process this is a copy of: no exit handlers, no buffers.
        os._exit(status)


def _received(data: bytes) -> list[_R]:
    """The results a copy sent; none when it sent nothing whole (it was killed)."""
    try:
        received = pickle.loads(data)
    except Exception:
        return []
    return received if isinstance(received, list) else []
