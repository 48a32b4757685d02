"""Work shared with copies of this process, where the system can make them.

A copy (``fork``) starts with everything this process has set up, so nothing
is set up twice, and it costs a few milliseconds to make (4 ms, there and
back, for a process of 70 MB). It is only safe in
a process running no other threads: one of them may hold a lock the copy
would wait on for ever.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable, Generator, Iterator, Sequence
from functools import partial
from multiprocessing.connection import Connection, wait
from typing import Any, Generic, NoReturn, TypeAlias, TypeVar, cast

_T = TypeVar("_T")
_R = TypeVar("_R")


def can_fork() -> bool:
    """True where worker processes can start as copies of this one (Linux, BSD, macOS)."""
    return "fork" in multiprocessing.get_all_start_methods()


def may_fork() -> bool:
    """True when this process can start copies of itself now: it can fork, and it
    runs no other threads (the dev server's, or a build's file writers)."""
    return can_fork() and threading.active_count() == 1


_Chunk: TypeAlias = tuple[int, list[_R], Exception | None]
"""The first item's index, the results from it on, and the error that ended them."""


def map_in_two(
    function: Callable[[_T], _R], items: Sequence[_T], *, min_items: int, chunk: int = 1
) -> list[_R]:
    """``[function(item) for item in items]``, with a copy of this process sharing the items.

    The copy and this process take the next *chunk* items that neither has
    taken until none are left (:func:`begin_map`). Fewer than *min_items*
    items, or no copy allowed (:func:`may_fork`): one plain loop.
    """
    return begin_map(function, items, chunk=chunk, min_items=min_items).results()


def begin_map(
    function: Callable[[_T], _R], items: Sequence[_T], *, chunk: int = 1, min_items: int = 1
) -> BegunMap[_T, _R]:
    """Start ``[function(item) for item in items]`` in a copy of this process, before
    this process asks for the results; :meth:`BegunMap.results` has it join in.

    The copy takes *chunk* items at a time that no one has taken yet, and sends
    its results back pickled when none are left. When this process asks for the
    results, it takes the items left the same way. The first item *function*
    raises on raises its exception there, after the results before it, as in a
    loop in one process (an exception that does not pickle arrives as a
    :class:`RuntimeError` naming it); items the copy took but did not send (it was
    killed) are done in this process. Where no copy may be made
    (:func:`may_fork`), or for fewer than *min_items* items (a copy would cost
    more than it saves), all items are done when the results are asked for.

    *function* must not change anything this process relies on afterwards: what
    the copy changes stays in it. Call :meth:`~BegunMap.results` or
    :meth:`~BegunMap.stop` once, so that the copy is reaped.
    """
    return BegunMap(function, items, chunk, fork=len(items) >= min_items and may_fork())


class BegunMap(Generic[_T, _R]):
    """A map over items that a copy of this process began (:func:`begin_map`)."""

    def __init__(
        self, function: Callable[[_T], _R], items: Sequence[_T], chunk: int, *, fork: bool
    ) -> None:
        assert chunk >= 1, chunk
        self._function, self._items, self._chunk = function, items, chunk
        self._copy: Aside[list[_Chunk[_R]]] | None = None
        if fork:
            self._taken = multiprocessing.get_context("fork").Value("q", 0)
            self._copy = aside(self._sendable_chunks)

    def results(self) -> list[_R]:
        """Take the items left, then wait for the copy; the results in item order."""
        if self._copy is None:
            return [self._function(item) for item in self._items]
        try:
            chunks = self._take_chunks() + self._copy.result()
        except BaseException:
            self._copy.stop()
            raise
        done = {first: (results, error) for first, results, error in chunks}
        results: list[_R] = []
        while len(results) < len(self._items):
            found = done.pop(len(results), None)
            if found is None:  # taken by a copy that ended before sending it
                results.append(self._function(self._items[len(results)]))
                continue
            results += found[0]
            if found[1] is not None:
                raise found[1]
        return results

    def stop(self) -> None:
        """End the copy where it is, if it still runs; what it did is dropped."""
        if self._copy is not None:
            self._copy.stop()

    def _take_chunks(self) -> list[_Chunk[_R]]:
        """The chunks of :func:`_taken_chunks`, *chunk* items each, that this process did."""
        return list(_taken_chunks(self._function, self._items, self._taken, self._chunk_of))

    def _chunk_of(self, left: int) -> int:
        return self._chunk

    def _sendable_chunks(self) -> list[_Chunk[_R]]:
        """In the copy: :meth:`_take_chunks`, its error made sure to pickle."""
        return [
            (first, results, None if error is None else _picklable(error))
            for first, results, error in self._take_chunks()
        ]


class CopyStopped(RuntimeError):
    """A copy working for :func:`map_in_copies` ended before sending all it took
    (it was killed, or ran out of memory)."""


def map_in_copies(
    function: Callable[[_T], _R], items: Sequence[_T], *, copies: int, chunk: int
) -> Generator[_R, None, None]:
    """``map(function, items)``, with *copies* copies of this process applying it.

    Each copy takes the next items that no copy has taken yet (at most *chunk*
    of them, and an eighth of its share of those left when that is less, so
    that the copies finish together), applies
    *function* to them and sends the results back pickled, until none are left;
    the results are yielded in the order of *items*, as they arrive. The first
    item *function* raises on raises its exception here, after the results of
    the items before it, as a loop in one process would (an exception that does
    not pickle arrives as a :class:`RuntimeError` naming it); once an item has
    raised, no copy takes more. A copy that ends before it sent what it took
    raises :class:`CopyStopped`. When the iteration
    ends early, for any reason, the copies still working are stopped.

    Only for a process that :func:`may_fork`. *function* must not change
    anything this process relies on afterwards: what a copy changes stays in it.
    """
    assert copies >= 1 and chunk >= 1, (copies, chunk)
    taken = multiprocessing.get_context("fork").Value("q", 0)
    started: dict[Connection, int] = {}
    finished = False
    try:
        for _ in range(copies):
            reader, writer = multiprocessing.Pipe(duplex=False)
            try:
                pid = _fork()
            except BaseException:
                reader.close()
                writer.close()
                raise
            if pid == 0:  # the copy
                for other in started:
                    other.close()
                reader.close()
                _take_and_send(function, items, chunk, copies, taken, writer)
            writer.close()
            started[reader] = pid
        yield from _in_order(started, len(items))
        finished = True
    finally:
        for reader, pid in started.items():
            reader.close()
            if not finished:  # the copies may still be working: they stop now
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)


def _in_order(started: dict[Connection, int], count: int) -> Iterator[Any]:
    """The results of *count* items that the copies in *started* send, in order; the
    first error raises.

    A copy that ended is reaped here, and leaves *started*.
    """
    arrived: dict[int, tuple[list[Any], BaseException | None]] = {}
    first = 0
    while first < count:
        while first not in arrived:
            if not started:
                raise CopyStopped(f"no copy is left to send item {first} on")
            for reader in wait(list(started)):
                assert isinstance(reader, Connection)
                try:
                    sent, results, error = pickle.loads(reader.recv_bytes())
                except EOFError:  # the copy closed its end: it ended, as it should or not
                    reader.close()
                    _, status = os.waitpid(started.pop(reader), 0)
                    if status != 0:
                        raise CopyStopped(f"a copy ended with status {status}") from None
                    continue
                arrived[sent] = (results, error)
        results, error = arrived.pop(first)
        yield from results
        if error is not None:
            raise error
        first += len(results)


def _take_and_send(
    function: Callable[[_T], _R],
    items: Sequence[_T],
    chunk: int,
    copies: int,
    taken: Any,
    writer: Connection,
) -> None:
    """In a copy: apply *function* to chunks of the *items* from the *taken* one on,
    send each chunk's results (up to the first error) to *writer*, then exit.

    A chunk is *chunk* items, or an eighth of each copy's share of what is left
    when that is less: the last items go one at a time.
    """
    status = 1
    try:
        share = partial(_share_of, chunk, copies)
        for first, results, error in _taken_chunks(function, items, taken, share):
            sent = None if error is None else _picklable(error)
            try:
                message = pickle.dumps((first, results, sent), pickle.HIGHEST_PROTOCOL)
            except Exception as exc:
                sent = RuntimeError(f"a result could not be sent back from a copy: {exc}")
                message = pickle.dumps((first, [], sent), pickle.HIGHEST_PROTOCOL)
            writer.send_bytes(message)
            if sent is not None:
                break
        status = 0
    finally:
        _end_copy(status)


def _share_of(chunk: int, copies: int, left: int) -> int:
    """*chunk* items, or an eighth of each of *copies* copies' share of the *left* ones
    when that is less (at least one)."""
    return max(1, min(chunk, left // (copies * 8)))


def _taken_chunks(
    function: Callable[[_T], _R], items: Sequence[_T], taken: Any, size: Callable[[int], int]
) -> Iterator[_Chunk[_R]]:
    """Take the next items that no process has *taken* (``size(items left)`` of them),
    apply *function* to them, and yield the chunk, until none are left or *function*
    raises; then no process takes more (the items after an error are not needed)."""
    while True:
        with taken.get_lock():
            first = taken.value
            count = size(len(items) - first)
            taken.value = min(len(items), first + count)
        if first >= len(items):
            return
        results: list[_R] = []
        for item in items[first : first + count]:
            try:
                results.append(function(item))
            except Exception as exc:
                with taken.get_lock():
                    taken.value = len(items)
                yield first, results, exc
                return
        yield first, results, None


class Aside(Generic[_R]):
    """A call running in a copy of this process while this one goes on (:func:`aside`)."""

    def __init__(self, function: Callable[[], _R]) -> None:
        self._function = function
        self._pid: int | None = None
        self._pipe: int | None = None
        if not may_fork():
            return  # :meth:`result` calls it here
        read_end, write_end = os.pipe()
        try:
            pid = _fork()
        except OSError:  # no copy to be had (memory, a process limit): :meth:`result` calls it
            os.close(read_end)
            os.close(write_end)
            return
        except BaseException:
            os.close(read_end)
            os.close(write_end)
            raise
        if pid == 0:  # the copy
            os.close(read_end)
            _call_and_send(function, write_end)
        os.close(write_end)
        self._pid, self._pipe = pid, read_end

    def result(self) -> _R:
        """Wait for the call and return what it returned, or raise what it raised.

        Where no copy could be made, or the copy ended without sending what the call
        gave (it was killed), the call is made here and now.
        """
        if self._pid is None or self._pipe is None:
            return self._function()
        try:
            with os.fdopen(self._pipe, "rb") as pipe:
                self._pipe = None
                data = pipe.read()
        except BaseException:  # interrupted while waiting
            self.stop()
            raise
        self._reap()
        try:
            returned, value = pickle.loads(data)
        except Exception:  # nothing whole arrived
            return self._function()
        if not returned:
            raise value
        return cast(_R, value)

    def stop(self) -> None:
        """End the copy where it is, if it still runs; the call's result is dropped."""
        if self._pipe is not None:
            os.close(self._pipe)
            self._pipe = None
        if self._pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGKILL)
            self._reap()

    def _reap(self) -> None:
        if self._pid is not None:
            os.waitpid(self._pid, 0)
            self._pid = None


def aside(function: Callable[[], _R]) -> Aside[_R]:
    """Start ``function()`` in a copy of this process; its :meth:`~Aside.result` waits
    for it. Where this process may not make a copy (:func:`may_fork`), the call
    is made when its result is asked for.

    The copy sends back what the call returned, pickled, or the exception it
    raised (one that does not pickle arrives as a :class:`RuntimeError` naming
    it). *function* must not change anything this process relies on afterwards:
    what the copy changes stays in it. Call :meth:`~Aside.result` or
    :meth:`~Aside.stop` once, so that the copy is reaped.
    """
    return Aside(function)


def _call_and_send(function: Callable[[], _R], pipe: int) -> NoReturn:
    """In a copy: call *function*, write what it returned or raised to *pipe*, exit."""
    status = 1
    try:
        try:
            outcome: tuple[bool, object] = (True, function())
        except Exception as exc:
            outcome = (False, _picklable(exc))
        try:
            message = pickle.dumps(outcome, pickle.HIGHEST_PROTOCOL)
        except Exception as exc:
            error = RuntimeError(f"a result could not be sent back from a copy: {exc}")
            message = pickle.dumps((False, error), pickle.HIGHEST_PROTOCOL)
        with os.fdopen(pipe, "wb") as out:
            out.write(message)
        status = 0
    finally:
        _end_copy(status)


def _fork() -> int:
    """``os.fork()``, with this process's output flushed first: a copy starts with
    nothing buffered, so what it flushes when it ends is only what it printed."""
    _flush_output()
    return os.fork()


def _end_copy(status: int) -> NoReturn:
    """End a copy with *status*: what it printed is flushed, as a process that ends
    would, but nothing else of the process it copies is cleaned up (no exit handlers)."""
    _flush_output()
    os._exit(status)


def _flush_output() -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()


def _picklable(error: Exception) -> Exception:
    """*error*, or a :class:`RuntimeError` naming it if it would not arrive whole."""
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:
        return RuntimeError(f"{type(error).__name__}: {error}")
    return error
