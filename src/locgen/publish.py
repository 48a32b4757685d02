"""Atomic publishing: build into a sibling folder, then swap it into place.

Readers of the output folder (a web server, an upload step) see either the
previous complete site or the new complete site, never a mixture, and the
folder is a real folder at every instant: on Linux the swap is one
``renameat2(RENAME_EXCHANGE)`` call. A build that fails, or is killed, before
the swap leaves the previous output untouched; what a killed build left
beside it is cleaned up by the next build (:func:`remove_leftovers`).

Files that did not change are hard-linked from the previous output into the
new folder rather than written again; when a build changes exactly one file,
renaming it into place is the one atomic step instead (:func:`replace_file`).

Every scratch file and folder lives beside the output folder, never inside
it, under names starting ``.<output>.locgen-`` (:mod:`locgen.scratch`).
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
from urllib.parse import quote, unquote

from locgen.containment import PathEscape, contained
from locgen.errors import ConfigError, ContentError
from locgen.render import OutputTree
from locgen.scratch import (
    abandoned,
    hold,
    remove,
    remove_abandoned,
    scratch_folder,
    write_atomic,
)

_WRITERS = 4
"""Threads that write a new output folder."""
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def publish(
    tree: OutputTree,
    output_dir: Path,
    *,
    site_root: Path,
    sources: list[Path],
    unchanged: Callable[[str, str], Path | None] | None = None,
    top: Path | None = None,
) -> None:
    """Write *tree* to a scratch folder beside the output and swap it into place.

    :param site_root: the site folder, which the output must not be or contain.
    :param sources: source folders the output must not be, contain or be inside of.
    :param unchanged: given an output path and the digest of its new contents, the
        file in *output_dir* that already holds them, or ``None``. Such files are
        hard-linked into the new tree instead of written again.
    :param top: the output folder *output_dir* is part of (``public`` for
        ``public/emails``); the scratch folder goes beside it. By default *output_dir*.
    """
    staging = Staging(output_dir, site_root=site_root, sources=sources, top=top)
    staging.complete(tree, unchanged)


class Staging:
    """The next output folder, written beside the current one and swapped into place.

    Files can be written while the build still renders (:meth:`write`), so
    that writing overlaps rendering; nothing the output folder's readers see
    changes until :meth:`complete`, and :meth:`abandon` removes every trace.
    """

    def __init__(
        self, output_dir: Path, *, site_root: Path, sources: list[Path], top: Path | None = None
    ) -> None:
        """:param top: as for :func:`publish`."""
        self.output_dir = output_dir.absolute()
        self.top = top.absolute() if top is not None else self.output_dir
        check_output_dir(self.top, site_root, sources)
        self.top.parent.mkdir(parents=True, exist_ok=True)
        self._scratch = scratch_folder(self.top.parent, scratch_prefix(self.top, "new"))
        self.folder = self._scratch.path
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
        output_path(rel)
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
            self.settle()
            _swap(self.folder, self.output_dir, self.top)
        except BaseException:
            self.abandon()
            raise
        # After the exchange the scratch name holds the previous output: it goes.
        shutil.rmtree(self.folder, ignore_errors=True)
        self._scratch.release()

    def abandon(self) -> None:
        """Remove the new folder; the output folder stays as it was."""
        if self._writers is not None:
            self._writers.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(self.folder, ignore_errors=True)
        self._scratch.release()

    def settle(self) -> None:
        """Wait for every write so far; the first that failed raises here. The writer
        threads end, so that this process may be copied (:func:`~locgen.forking.may_fork`);
        a later :meth:`write` starts them again."""
        pending, self._pending = self._pending, []
        for future in pending:
            future.result()
        if self._writers is not None:
            self._writers.shutdown()
            self._writers = None


def output_path(rel: str) -> str:
    """Check that the output path *rel* stays inside the output folder; return it.

    Pages, emails and assets are placed by paths that :mod:`locgen.pages`
    and :mod:`locgen.sources` have checked already; this is the last guard
    before a file is written.
    """
    try:
        if contained(rel) == rel:
            return rel
        raise PathEscape("it is not in normal form")
    except PathEscape as exc:
        raise ContentError(
            f"refusing to write {rel!r} into the output folder: {exc}",
            hint="report this: a page, asset or plugin produced an output path outside it",
        ) from None


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


def scratch_prefix(output_dir: Path, kind: str) -> str:
    """Name prefix of the scratch paths beside *output_dir*: ``.public.locgen-new-``.

    *kind* is ``new`` (a new output being written, a single new file) or
    ``old`` (the previous output set aside by a swap without atomic exchange).
    """
    return f".{output_dir.name}.locgen-{kind}-"


def remove_leftovers(output_dir: Path) -> None:
    """Clean up beside *output_dir* after builds that were killed while publishing.

    Scratch folders and files of new outputs go. A previous output that a
    swap without atomic exchange had set aside, in the instant between its
    two renames, goes back in place if its folder is missing, else it goes
    too. Scratch paths of builds still running are left alone.
    """
    parent = output_dir.absolute().parent
    for scratch in abandoned(parent, scratch_prefix(output_dir, "old")):
        try:
            target = _aside_target(scratch.path, output_dir)
            if target is not None and not target.exists():
                os.rename(scratch.path, target)
            else:
                remove(scratch.path)
        finally:
            scratch.release()
    remove_abandoned(parent, scratch_prefix(output_dir, "new"))


def aside_prefix(output_dir: Path, top: Path) -> str:
    """Prefix of the name under which a swap without atomic exchange sets *output_dir*
    (*top* or a folder in it) aside: the name says where it goes back."""
    rel = output_dir.relative_to(top.parent).as_posix()
    return scratch_prefix(top, "old") + quote(rel, safe="") + "-"


def _aside_target(aside: Path, top: Path) -> Path | None:
    """The folder that *aside* was set aside from, or ``None`` if its name does not say."""
    named = aside.name[len(scratch_prefix(top, "old")) :].rpartition("-")[0]
    try:
        rel = contained(unquote(named))
    except PathEscape:
        return None
    if rel.split("/")[0] != top.name:
        return None
    return top.absolute().parent / rel


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
    as swapping in a whole new tree would, without copying the rest. The new
    file is written beside the output folder, not in it, so that a build
    killed before the rename leaves nothing in the output.
    """
    output_dir = output_dir.absolute()
    target = output_dir / output_path(rel)
    data = tree.get(rel)
    assert data is not None, rel
    write_atomic(
        target,
        data if isinstance(data, bytes) else data.read_bytes(),
        scratch_dir=output_dir.parent,
        prefix=scratch_prefix(output_dir, "new"),
        mode=0o666 & ~_umask(),
    )


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _swap(staging: Path, output_dir: Path, top: Path) -> None:
    """Put the folder *staging* in the place of *output_dir*; *staging* then holds the old one.

    With ``renameat2(RENAME_EXCHANGE)`` the output folder is never missing. Without it
    (not Linux, or a file system that lacks it) the old folder is renamed aside and the
    new one into place: for the instant between the two renames the folder is missing,
    and if the build is killed in that instant the next build puts the old one back.
    """
    if not output_dir.exists():
        output_dir.parent.mkdir(parents=True, exist_ok=True)  # public/ for public/emails
        os.rename(staging, output_dir)
        return
    if _exchange(staging, output_dir):
        return
    aside = Path(tempfile.mkdtemp(prefix=aside_prefix(output_dir, top), dir=top.parent))
    held = hold(output_dir)  # no other build's cleanup may restore it while it is aside
    try:
        aside.rmdir()
        os.rename(output_dir, aside)
        try:
            os.rename(staging, output_dir)
        except BaseException:
            os.rename(aside, output_dir)
            raise
        # As after an exchange, the staging name now holds the old output.
        os.rename(aside, staging)
    finally:
        held.release()


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
