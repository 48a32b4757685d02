"""Errors that describe a user's mistake, each with the place it was made.

The CLI turns a :class:`LocgenError` into one message and an exit code; any
other exception is an internal error (exit 3) and shows a traceback only with
``--debug``. One error is no mistake of the user's but is told the same way,
as one message with a hint: :class:`WorkerStopped`, a worker process stopped
from outside (exit 3).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from locgen.findings import Finding

EXIT_OK = 0
EXIT_CONTENT = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3


class LocgenError(Exception):
    """A mistake in the user's site, config or command line.

    :param message: what is wrong, in one sentence.
    :param path: the file it is in, when there is one.
    :param line: the 1-based line in that file, when known.
    :param hint: how to fix it.
    :param locale: the locale being built when it happened, when relevant.
    """

    exit_code = EXIT_CONTENT

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        hint: str | None = None,
        locale: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        self.hint = hint
        self.locale = locale

    def location(self, root: Path | None = None) -> str:
        """Return ``path:line`` (relative to *root* when inside it), or ``""``."""
        if self.path is None:
            return ""
        shown = self.path
        if root is not None:
            try:
                # The folder resolved, not the file: a symlink is named as itself.
                shown = (self.path.parent.resolve() / self.path.name).relative_to(root.resolve())
            except ValueError:
                shown = self.path
        where = shown.as_posix()
        return f"{where}:{self.line}" if self.line else where

    def format(self, root: Path | None = None) -> str:
        """Render the error as the single message the CLI prints."""
        where = self.location(root)
        text = f"{where}: {self.message}" if where else self.message
        if self.locale:
            text += f" (locale {self.locale})"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text

    def __str__(self) -> str:
        return self.format()

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled whole (a worker process sends its error to the build), without calling
        # __init__ again: a subclass may require arguments that ``args`` does not hold.
        return (_unpickle_error, (type(self), self.args, self.__dict__))


def _unpickle_error(
    cls: type[LocgenError], args: tuple[Any, ...], state: dict[str, Any]
) -> LocgenError:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class ConfigError(LocgenError):
    """``locgen.toml`` is malformed or inconsistent."""


class ContentError(LocgenError):
    """A content file cannot be read, parsed or placed."""


class ThemeError(LocgenError):
    """A theme is missing, or one of its templates fails to compile or render."""


class CatalogError(LocgenError):
    """A gettext catalog cannot be read or compiled."""


class UsageError(LocgenError):
    """The command line asks for something that cannot be done (exit 2)."""

    exit_code = EXIT_USAGE


class BuildFailed(LocgenError):
    """The build succeeded but ``--strict`` turned its warnings into a failure.

    :param findings: the warnings that failed it, printed before the error.
    """

    def __init__(self, message: str, *, findings: Sequence[Finding], hint: str | None = None):
        super().__init__(message, hint=hint)
        self.findings = tuple(findings)


class WorkerStopped(LocgenError):
    """A worker process ended before it sent back the pages it was rendering.

    Something outside the build stopped it (the out-of-memory killer, a signal),
    so this is no mistake in the site; it exits as an internal error does (3),
    with what happened and what to do instead of a request for a bug report.
    """

    exit_code = EXIT_INTERNAL


class PluginError(LocgenError):
    """A plugin cannot be loaded, breaks the hook contract, or raised while running.

    :param plugin: the plugin's name as ``locgen plugins`` lists it.
    :param hook: the hook (or shortcode) that was running, when known.
    """

    def __init__(
        self,
        message: str,
        *,
        plugin: str,
        hook: str | None = None,
        path: Path | str | None = None,
        line: int | None = None,
        hint: str | None = None,
        locale: str | None = None,
    ) -> None:
        super().__init__(message, path=path, line=line, hint=hint, locale=locale)
        self.plugin = plugin
        self.hook = hook
