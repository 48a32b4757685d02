"""Watch a site's sources and hand over changed paths in quiet-period batches.

Editors save in several steps (write a temporary file, rename it over the
old one, touch a backup), so events are collected until the folder has been
quiet for a moment and then handed over as one batch.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

QUIET_SECONDS = 0.03
"""How long the sources must be still before a batch is handed over."""

MAX_WAIT_SECONDS = 0.5
"""A batch is handed over after this long even if events keep coming."""

_EDITOR_LITTER = ("~", ".swp", ".swx", ".swo", ".tmp", ".part", ".crdownload")


def is_ignored(path: Path) -> bool:
    """True for files no build reads: hidden files, editor backups and probes."""
    name = path.name
    return (
        name.startswith((".", "#"))
        or name.endswith(_EDITOR_LITTER)
        or name == "4913"  # vim's probe for whether it may write the folder
    )


class Watcher(FileSystemEventHandler):
    """Collects changed paths under some folders, ignoring one (the output folder)."""

    def __init__(self, root: Path, folders: Iterable[Path], ignore: Iterable[Path]) -> None:
        """Watch *root* itself (its files) and each of *folders* with everything in it.

        :param ignore: folders whose events are dropped (the output folder).
        """
        self.root = root.absolute()
        self.folders = [folder.absolute() for folder in folders]
        self.ignore = [folder.absolute() for folder in ignore]
        self._observer = Observer()
        self._scheduled: set[Path] = set()
        self._lock = threading.Lock()
        self._changed: set[Path] = set()
        self._first = 0.0
        self._last = 0.0
        self._wake = threading.Event()

    def start(self) -> None:
        """Start watching."""
        self._observer.schedule(self, str(self.root), recursive=False)
        for folder in self.folders:
            self._schedule(folder)
        self._observer.start()

    def stop(self) -> None:
        """Stop watching and wake a waiting :meth:`next_batch`."""
        self._observer.stop()
        self._wake.set()
        self._observer.join(timeout=5)

    def next_batch(self, stopping: threading.Event) -> set[Path]:
        """Wait for changes and return them once the sources have been quiet; empty on stop."""
        while not stopping.is_set():
            self._wake.wait(timeout=0.5)
            if stopping.is_set():
                break
            with self._lock:
                if not self._changed:
                    self._wake.clear()
                    continue
                now = time.monotonic()
                quiet = now - self._last >= QUIET_SECONDS
                overdue = now - self._first >= MAX_WAIT_SECONDS
                if quiet or overdue:
                    batch, self._changed = self._changed, set()
                    self._wake.clear()
                    return batch
                # Until the sources will have been quiet long enough, unless they change again.
                quiet_in = QUIET_SECONDS - (now - self._last)
                wait = min(quiet_in, MAX_WAIT_SECONDS - (now - self._first))
            time.sleep(max(wait, 0.001))
        return set()

    def on_any_event(self, event: FileSystemEvent) -> None:
        """Note the paths an event touches (both ends of a move)."""
        if event.event_type in ("opened", "closed_no_write"):
            return
        if event.is_directory and event.event_type == "modified":
            return  # its files report their own changes
        paths = [event.src_path, getattr(event, "dest_path", "")]
        for raw in paths:
            if not raw:
                continue
            path = Path(raw if isinstance(raw, str) else raw.decode()).absolute()
            if self._ignored(path):
                continue
            if path.parent == self.root and path in self.folders and path.is_dir():
                self._schedule(path)  # a watched folder was created after the start
            with self._lock:
                if not self._changed:
                    self._first = time.monotonic()
                self._changed.add(path)
                self._last = time.monotonic()
            self._wake.set()

    def _ignored(self, path: Path) -> bool:
        if is_ignored(path):
            return True
        if any(path == folder or folder in path.parents for folder in self.ignore):
            return True
        if path.parent == self.root:
            return False
        return not any(path == folder or folder in path.parents for folder in self.folders)

    def _schedule(self, folder: Path) -> None:
        if folder in self._scheduled or not folder.is_dir():
            return
        try:
            self._observer.schedule(self, str(folder), recursive=True)
        except OSError:  # gone again already: its next creation schedules it
            return
        self._scheduled.add(folder)
