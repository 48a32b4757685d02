"""Scratch files and folders: where a build writes before it renames into place.

A scratch path is made beside its destination under a name that starts with
a known prefix, and the process that made it holds an advisory lock
(``flock``) on it for as long as it uses it. The kernel drops that lock when
the process ends, however it ends, so a later build tells the scratch paths
a killed build abandoned (unlocked) from those a concurrent build is still
writing (locked), and removes only the abandoned ones.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: no locks, every leftover is abandoned
    fcntl = None  # type: ignore[assignment]

WRITE_PREFIX = ".tmp-"
"""Prefix of the scratch file :func:`write_atomic` writes before renaming it into place."""


class Scratch:
    """A scratch file or folder, locked by this process until :meth:`release`."""

    def __init__(self, path: Path, handle: int) -> None:
        self.path = path
        """Where it is."""
        self.handle = handle
        """An open descriptor of it, holding the lock (for a file: open for writing)."""

    def release(self) -> None:
        """Drop the lock (once the path has been renamed or removed)."""
        if self.handle >= 0:
            os.close(self.handle)
            self.handle = -1


def scratch_folder(parent: Path, prefix: str) -> Scratch:
    """Make and lock a new, empty folder in *parent* whose name starts with *prefix*."""
    while True:
        path = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
        handle = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
        if _lock_new(handle):
            return Scratch(path, handle)
        os.close(handle)


def scratch_file(parent: Path, prefix: str) -> Scratch:
    """Make and lock a new, empty file in *parent* whose name starts with *prefix*."""
    while True:
        handle, name = tempfile.mkstemp(prefix=prefix, dir=parent)
        if _lock_new(handle):
            return Scratch(Path(name), handle)
        os.close(handle)


def _lock_new(handle: int) -> bool:
    """Lock a scratch path just made; False when another build's cleanup took it first.

    In the instant between making a path and locking it, a cleanup can find
    it unlocked and remove it; the caller then makes another.
    """
    if fcntl is None:
        return True
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return os.fstat(handle).st_nlink > 0


def hold(folder: Path) -> Scratch:
    """Lock the existing *folder* while it is renamed about, as far as the system allows.

    A cleanup then takes it for a path in use. Without locks, or when another
    process holds it already, the folder is returned unlocked.
    """
    handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    if fcntl is not None:
        with contextlib.suppress(OSError):
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return Scratch(folder, handle)


def write_atomic(
    path: Path,
    data: bytes,
    *,
    scratch_dir: Path | None = None,
    prefix: str = WRITE_PREFIX,
    mode: int | None = None,
) -> None:
    """Write *data* to *path* so that a reader sees the old file or the new one, never a part.

    The data goes to a locked scratch file, which is then renamed over *path*.
    A process killed half-way leaves only that scratch file, which
    :func:`remove_abandoned` removes.

    :param scratch_dir: where the scratch file goes (the same file system as
        *path*); by default *path*'s folder.
    :param mode: permissions of the new file; by default those of
        :func:`tempfile.mkstemp` (``0o600``).
    """
    folder = scratch_dir if scratch_dir is not None else path.parent
    folder.mkdir(parents=True, exist_ok=True)
    scratch = scratch_file(folder, prefix)
    try:
        with os.fdopen(scratch.handle, "wb", closefd=False) as out:
            out.write(data)
        if mode is not None:
            os.fchmod(scratch.handle, mode)
        os.replace(scratch.path, path)
    except BaseException:
        scratch.path.unlink(missing_ok=True)
        raise
    finally:
        scratch.release()


def abandoned(folder: Path, prefix: str) -> list[Scratch]:
    """The scratch paths in *folder* named with *prefix* that no running process holds.

    Each comes locked by this process, so that no other cleanup acts on it
    at the same time; the caller removes or restores it, then releases it.
    """
    try:
        entries = [entry for entry in os.scandir(folder) if entry.name.startswith(prefix)]
    except (FileNotFoundError, NotADirectoryError):
        return []
    found = []
    for entry in sorted(entries, key=lambda e: e.name):
        if entry.is_symlink():
            continue
        try:
            handle = os.open(entry.path, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError:  # gone meanwhile: its build finished with it
            continue
        if _lock_existing(handle, entry.path):
            found.append(Scratch(Path(entry.path), handle))
        else:
            os.close(handle)
    return found


def _lock_existing(handle: int, path: str) -> bool:
    """Lock an existing scratch path; False if its build still runs or it moved meanwhile."""
    if fcntl is not None:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
    try:
        # Its build may have renamed it into place and released it after it was opened.
        return os.stat(path, follow_symlinks=False).st_ino == os.fstat(handle).st_ino
    except OSError:
        return False


def remove_abandoned(folder: Path, prefix: str, *, recursive: bool = False) -> None:
    """Remove the abandoned scratch files and folders named with *prefix* in *folder*.

    :param recursive: look in every folder below *folder* too (a cache folder).
    """
    folders = [folder]
    if recursive:
        folders += [
            Path(top) / name
            for top, names, _ in os.walk(folder)
            for name in names
            if not name.startswith(prefix)
        ]
    for place in folders:
        for scratch in abandoned(place, prefix):
            try:
                remove(scratch.path)
            finally:
                scratch.release()


def remove(path: Path) -> None:
    """Remove a file or a folder tree; what is already gone is fine."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
