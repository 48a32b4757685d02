"""Atomic publishing: build into a sibling folder, then swap it into place.

Readers of the output folder (a web server, an upload step) see either the
previous complete site or the new complete site, never a mixture. A build
that fails before the swap leaves the previous output untouched.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import tempfile
from pathlib import Path

from locgen.errors import ConfigError
from locgen.render import OutputTree

_NEW_MARK = ".locgen-new-"
_OLD_MARK = ".locgen-old-"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def publish(tree: OutputTree, output_dir: Path, *, site_root: Path, sources: list[Path]) -> None:
    """Write *tree* to a temporary sibling of *output_dir* and swap it into place.

    :param site_root: the site folder, which the output must not be or contain.
    :param sources: source folders the output must not be, contain or be inside of.
    """
    output_dir = output_dir.absolute()
    check_output_dir(output_dir, site_root, sources)
    parent = output_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(output_dir)
    staging = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}{_NEW_MARK}", dir=parent))
    try:
        _apply_umask(staging)
        _write_tree(tree, staging)
        _swap(staging, output_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


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
    mask = os.umask(0)
    os.umask(mask)
    folder.chmod(0o777 & ~mask)


def _write_tree(tree: OutputTree, root: Path) -> None:
    made: set[Path] = set()
    for rel, data in tree.items():
        target = root / rel
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        if isinstance(data, Path):
            shutil.copyfile(data, target)
        else:
            target.write_bytes(data)


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
