"""Atomic publishing: build into a sibling folder, then swap it into place.

Readers of the output folder (a web server, an upload step) see either the
previous complete site or the new complete site, never a mixture. A build
that fails before the swap leaves the previous output untouched.

Files that did not change are hard-linked from the previous output into the
new folder rather than written again; when a build changes exactly one file,
renaming it into place is the one atomic step instead (:func:`replace_file`).
"""

from __future__ import annotations

import ctypes
import errno
import os
import posixpath
import shutil
import tempfile
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from locgen.errors import ConfigError
from locgen.render import OutputTree

_NEW_MARK = ".locgen-new-"
_WRITERS = 4
"""Threads that write a new output folder."""
_OLD_MARK = ".locgen-old-"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def publish(
    tree: OutputTree,
    output_dir: Path,
    *,
    site_root: Path,
    sources: list[Path],
    unchanged: Callable[[str, str], Path | None] | None = None,
) -> None:
    """Write *tree* to a temporary sibling of *output_dir* and swap it into place.

    :param site_root: the site folder, which the output must not be or contain.
    :param sources: source folders the output must not be, contain or be inside of.
    :param unchanged: given an output path and the digest of its new contents, the
        file in *output_dir* that already holds them, or ``None``. Such files are
        hard-linked into the new tree instead of written again.
    """
    Staging(output_dir, site_root=site_root, sources=sources).complete(tree, unchanged)


class Staging:
    """The next output folder, written beside the current one and swapped into place.

    Files can be written while the build still renders (:meth:`write`), so
    that writing overlaps rendering; nothing the output folder's readers see
    changes until :meth:`complete`, and :meth:`abandon` removes every trace.
    """

    def __init__(self, output_dir: Path, *, site_root: Path, sources: list[Path]) -> None:
        self.output_dir = output_dir.absolute()
        check_output_dir(self.output_dir, site_root, sources)
        parent = self.output_dir.parent
        parent.mkdir(parents=True, exist_ok=True)
        remove_leftovers(self.output_dir)
        prefix = f".{self.output_dir.name}{_NEW_MARK}"
        self.folder = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
        self._written: set[str] = set()
        self._made: set[str] = set()
        self._writers: ThreadPoolExecutor | None = None
        self._pending: list[Future[None]] = []
        try:
            _apply_umask(self.folder)
        except BaseException:
            self.abandon()
            raise

    def write(self, rel: str, data: bytes | Path) -> None:
        """Write the file *rel* of the new output (bytes, or a file to copy) in the background.

        A few threads write, so that the time the file system takes to create
        files and folders overlaps the rendering and each other.
        """
        if self._writers is None:
            self._writers = ThreadPoolExecutor(_WRITERS, thread_name_prefix="locgen-write")
        self._written.add(rel)
        self._pending.append(self._writers.submit(self._write, rel, data))

    def _write(self, rel: str, data: bytes | Path) -> None:
        folder = posixpath.dirname(rel)
        if folder not in self._made:
            os.makedirs(os.path.join(self.folder, folder), exist_ok=True)
            self._made.add(folder)
        target = os.path.join(self.folder, rel)
        if isinstance(data, Path):
            if self.output_dir in data.parents:
                _link(data, target)  # a cached output that the previous publish wrote
            else:
                shutil.copyfile(data, target)
        else:
            with open(target, "wb") as out:
                out.write(data)

    def complete(
        self, tree: OutputTree, unchanged: Callable[[str, str], Path | None] | None = None
    ) -> None:
        """Write what is still missing of *tree* and swap the new folder into place.

        :param unchanged: as for :func:`publish`.
        """
        try:
            for rel, data in tree.items():
                if rel in self._written:
                    continue
                current = unchanged(rel, tree.digest(rel)) if unchanged is not None else None
                self.write(rel, current if current is not None else data)
            self._wait()
            _swap(self.folder, self.output_dir)
        except BaseException:
            self.abandon()
            raise

    def abandon(self) -> None:
        """Remove the new folder; the output folder stays as it was."""
        if self._writers is not None:
            self._writers.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(self.folder, ignore_errors=True)

    def _wait(self) -> None:
        """Wait for every write; the first that failed raises here."""
        pending, self._pending = self._pending, []
        for future in pending:
            future.result()
        if self._writers is not None:
            self._writers.shutdown()
            self._writers = None


def check_output_dir(output_dir: Path, site_root: Path, sources: list[Path]) -> None:
    """Refuse an output folder whose replacement would destroy sources."""
    target = output_dir.resolve()
    root = site_root.resolve()
    overlapping = [root] if target == root or target in root.parents else []
    for folder in (f.resolve() for f in sources):
        if target == folder or target in folder.parents or folder in target.parents:
            overlapping.append(folder)
    for folder in overlapping:
        raise ConfigError(
            f"output folder {output_dir} overlaps {folder}",
            hint="set [site].output (or --output) to a folder of its own, such as public",
        )
    if output_dir.exists() and not output_dir.is_dir():
        raise ConfigError(
            f"output path {output_dir} exists and is not a folder",
            hint="remove it or choose another --output",
        )


def remove_leftovers(output_dir: Path) -> None:
    """Delete staging and old folders that an interrupted build left beside *output_dir*."""
    parent = output_dir.parent
    if not parent.is_dir():
        return
    prefixes = (f".{output_dir.name}{_NEW_MARK}", f".{output_dir.name}{_OLD_MARK}")
    for entry in parent.iterdir():
        if entry.name.startswith(prefixes) and entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)


def _apply_umask(folder: Path) -> None:
    # mkdtemp creates 0700; the published folder should have normal permissions.
    folder.chmod(0o777 & ~_umask())


def _link(existing: Path, target: str) -> None:
    """Hard-link *existing* (a file of the previous output) at *target*; copy if links fail."""
    try:
        os.link(existing, target)
    except OSError:
        shutil.copyfile(existing, target)


def changed_files(
    output_dir: Path, tree: OutputTree, unchanged: Callable[[str, str], Path | None]
) -> list[str] | None:
    """The paths of *tree* whose files in *output_dir* differ from it.

    ``None`` when the folder does not hold the same set of files (one came or
    went), so that only a whole new tree can bring it up to date.
    """
    if not output_dir.is_dir():
        return None
    changed = [rel for rel, _ in tree.items() if unchanged(rel, tree.digest(rel)) is None]
    count = sum(len(files) for _, _, files in os.walk(output_dir))
    return changed if count == len(tree) else None


def replace_file(tree: OutputTree, output_dir: Path, rel: str) -> None:
    """Replace the one file of *output_dir* that differs from *tree* in one atomic step.

    When a build changes a single file, renaming the new file over the old one
    takes the folder from the previous complete site to the new one at once,
    as swapping in a whole new tree would, without copying the rest.
    """
    target = output_dir / rel
    data = tree.get(rel)
    assert data is not None, rel
    handle, temporary = tempfile.mkstemp(prefix=_NEW_MARK, dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data if isinstance(data, bytes) else data.read_bytes())
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _swap(staging: Path, output_dir: Path) -> None:
    if not output_dir.exists():
        os.rename(staging, output_dir)
        return
    if _exchange(staging, output_dir):
        shutil.rmtree(staging, ignore_errors=True)
        return
    # No atomic exchange on this system: two renames, the old tree kept aside
    # until the new one is in place, so no file is ever lost.
    old = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}{_OLD_MARK}", dir=output_dir.parent))
    old.rmdir()
    os.rename(output_dir, old)
    try:
        os.rename(staging, output_dir)
    except BaseException:
        os.rename(old, output_dir)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _exchange(first: Path, second: Path) -> bool:
    """Atomically exchange two folders with Linux ``renameat2``; False if unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(second))
