"""Plugins: load them into a fresh pluggy manager in a fixed order, and call their hooks.

Order (and so the output) never depends on the file system or on import
order: locgen's built-in plugin, the bundled cultures (``plugins/*.py`` by
file name), ``locgen.plugins`` entry points by name, then the site's
``plugins/*.py`` by file name. A site file with the name of a bundled one
replaces it.

A plugin that raises is reported as one :class:`~locgen.errors.PluginError`
naming the plugin, the hook, the locale and the page, with the plugin's file
and line taken from the traceback; ``--debug`` shows the original traceback.
"""

from __future__ import annotations

import difflib
import importlib.metadata
import importlib.util
import inspect
import os
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pluggy

from locgen import hookspecs
from locgen.errors import LocgenError, PluginError
from locgen.resources import bundled_dir

ENTRY_POINT_GROUP = "locgen.plugins"
PLUGINS_FOLDER = "plugins"
HOOK_PREFIX = "locgen_"
PLUGIN_KINDS = ("builtin", "bundled", "installed", "site")


@dataclass(frozen=True)
class PluginInfo:
    """One registered plugin."""

    name: str
    """Unique name: ``builtin``, ``bundled:japan``, ``installed:<entry point>``, ``site:brand``."""
    kind: str
    """``builtin``, ``bundled``, ``installed`` or ``site``."""
    origin: str
    """Where it comes from: a file path, or ``distribution version`` for installed plugins."""
    plugin: object
    """The registered module or object."""
    files: tuple[Path, ...]
    """Source files (or package folders) whose traceback frames belong to this plugin."""


class PluginHost:
    """The plugin manager of one build, with error reporting that names the plugin."""

    def __init__(self, manager: pluggy.PluginManager, plugins: list[PluginInfo]) -> None:
        self.manager = manager
        self.plugins = tuple(plugins)
        self._by_name = {info.name: info for info in plugins}

    def call(self, hook: str, **kwargs: Any) -> Any:
        """Call *hook* with keyword arguments; a plugin's exception becomes a PluginError."""
        caller = getattr(self.manager.hook, hook)
        with self.blame(hook, kwargs):
            return caller(**kwargs)

    def select(self, hook: str, check: Callable[[Any], str | None], **kwargs: Any) -> Any:
        """Call the *select* hook *hook* and check its answer before locgen uses it.

        :param check: given the answer, why it cannot be used, or ``None`` when it can.
        :raises PluginError: naming the plugin that gave an answer *check* refuses.
        """
        answer = self.call(hook, **kwargs)
        problem = check(answer)
        if problem is None:
            return answer
        # Rare: ask the implementations again, in pluggy's order, which one answered.
        answered = next((info for info, result in self.each(hook, **kwargs)), None)
        name = answered.name if answered is not None else "unknown"
        page = getattr(kwargs.get("page"), "source", None)
        locale = kwargs.get("locale")
        raise PluginError(
            f"plugin {name} answered {hook} with {answer!r}: {problem}"
            + (f" (while rendering content/{page.rel_path})" if page is not None else ""),
            plugin=name,
            hook=hook,
            path=answered.files[0] if answered is not None and answered.files else None,
            locale=getattr(locale, "tag", None),
            hint="fix the plugin's answer (docs/hooks.md says what the hook must return), "
            "or remove the plugin",
        )

    def each(self, hook: str, **kwargs: Any) -> list[tuple[PluginInfo, Any]]:
        """Call *hook* plugin by plugin, returning ``(plugin, result)`` for non-``None`` results.

        Implementations run in the order pluggy calls them (``tryfirst``, then
        the latest registered first). Used where a result's origin matters:
        duplicate culture ids, setting provenance, which plugin a shortcode
        comes from.
        """
        caller = getattr(self.manager.hook, hook)
        results: list[tuple[PluginInfo, Any]] = []
        for impl in reversed(caller.get_hookimpls()):
            if impl.hookwrapper or impl.wrapper:
                continue
            arguments = {name: kwargs[name] for name in impl.argnames}
            with self.blame(hook, kwargs):
                result = impl.function(**arguments)
            if result is not None:
                results.append((self._by_name[impl.plugin_name], result))
        return results

    @contextmanager
    def blame(self, hook: str, context: dict[str, Any]) -> Iterator[None]:
        """Turn an exception a plugin raises inside the block into a :class:`PluginError`.

        Errors locgen itself reports (:class:`LocgenError`) pass through, and so
        does an exception no plugin's code raised (a bug in locgen, exit 3).
        """
        try:
            yield
        except LocgenError:
            raise
        except Exception as exc:
            error = self.plugin_error(exc, hook, context)
            if error is None:
                raise
            raise error from exc

    def implemented(self, hook: str) -> bool:
        """True when a plugin implements *hook*."""
        return bool(getattr(self.manager.hook, hook).get_hookimpls())

    def hooks_of(self, info: PluginInfo) -> list[str]:
        """Names of the hooks *info* implements, sorted."""
        callers = self.manager.get_hookcallers(info.plugin) or []
        return sorted(caller.name for caller in callers)

    def plugin_of_traceback(self, exc: BaseException) -> tuple[PluginInfo, Path, int] | None:
        """The plugin (not built-in) whose code raised *exc*: innermost frame in its files."""
        found: tuple[PluginInfo, Path, int] | None = None
        for frame in traceback.extract_tb(exc.__traceback__):
            path = Path(os.path.abspath(frame.filename))
            for info in self.plugins:
                if info.kind != "builtin" and any(_within(path, f) for f in info.files):
                    found = (info, path, frame.lineno or 0)
        return found

    def plugin_error(
        self, exc: Exception, hook: str, context: dict[str, Any]
    ) -> PluginError | None:
        """Describe *exc* raised inside a plugin during *hook*; ``None`` if no plugin raised it."""
        located = self.plugin_of_traceback(exc)
        if located is None:
            return None
        info, path, line = located
        locale = context.get("locale")
        page = context.get("page")
        where = ""
        source = getattr(page, "source", None)
        if source is not None:
            where = f" while rendering content/{source.rel_path}"
        return PluginError(
            f"plugin {info.name} failed in {hook}{where}: {type(exc).__name__}: {exc}",
            plugin=info.name,
            hook=hook,
            path=path,
            line=line or None,
            locale=getattr(locale, "tag", None) if locale is not None else None,
            hint=f"fix the plugin ({info.origin}) or remove it; --debug shows the traceback",
        )


def _within(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def load_plugins(site_root: Path | None) -> PluginHost:
    """Create a plugin manager and register every plugin, in the documented order."""
    from locgen import builtin

    manager = pluggy.PluginManager(hookspecs.PROJECT)
    manager.add_hookspecs(hookspecs)
    registered: list[PluginInfo] = []

    def register(info: PluginInfo) -> None:
        _check_hook_names(info)
        try:
            manager.register(info.plugin, name=info.name)
        except pluggy.PluginValidationError as exc:
            raise PluginError(
                f"plugin {info.name} does not fit the hook contract: {exc}",
                plugin=info.name,
                path=info.files[0] if info.files else None,
                hint="compare the function's arguments with docs/hooks.md",
            ) from None
        except ValueError as exc:
            raise PluginError(
                f"plugin {info.name} cannot be registered: {exc}",
                plugin=info.name,
                hint="give each plugin a unique name",
            ) from None
        registered.append(info)

    bundled_folder = bundled_dir() / PLUGINS_FOLDER
    site_files: list[Path] = []
    if site_root is not None and not _same_folder(site_root / PLUGINS_FOLDER, bundled_folder):
        site_files = _plugin_files(site_root / PLUGINS_FOLDER)
    # A site file named like a bundled one replaces it, as a site's theme files
    # replace the default theme's: copy plugins/japan.py into a site to change it.
    replaced = {path.name for path in site_files}

    register(_module_info("builtin", "builtin", builtin))
    for path in _plugin_files(bundled_folder):
        if path.name not in replaced:
            register(_load_file(path, "bundled"))
    for info in _entry_point_plugins():
        register(info)
    for path in site_files:
        register(_load_file(path, "site"))
    return PluginHost(manager, registered)


def _same_folder(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _plugin_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(
        (p for p in folder.glob("*.py") if not p.name.startswith(("_", "."))),
        key=lambda p: p.name,
    )


def _load_file(path: Path, kind: str) -> PluginInfo:
    """Execute a plugin file as a fresh module (never cached, so rebuilds see edits)."""
    name = f"{kind}:{path.stem}"
    module_name = f"locgen_{kind}_plugins.{path.stem}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # Present while the module runs, so dataclasses and typing can find it.
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except LocgenError:
        raise
    except SyntaxError as exc:
        raise PluginError(
            f"plugin {name} has a syntax error: {exc.msg}",
            plugin=name,
            path=path,
            line=exc.lineno,
            hint="fix the Python syntax on that line",
        ) from exc
    except Exception as exc:
        line = _innermost_line(exc, path)
        raise PluginError(
            f"plugin {name} failed to load: {type(exc).__name__}: {exc}",
            plugin=name,
            path=path,
            line=line,
            hint="fix the plugin or remove it; --debug shows the traceback",
        ) from exc
    finally:
        sys.modules.pop(module_name, None)
    return PluginInfo(name=name, kind=kind, origin=str(path), plugin=module, files=(path,))


def _innermost_line(exc: BaseException, path: Path) -> int | None:
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if Path(os.path.abspath(frame.filename)) == Path(os.path.abspath(path)):
            line = frame.lineno
    return line


def _module_info(name: str, kind: str, module: ModuleType) -> PluginInfo:
    file = Path(module.__file__ or "")
    return PluginInfo(name=name, kind=kind, origin=str(file), plugin=module, files=(file,))


def _entry_point_plugins() -> Iterator[PluginInfo]:
    points = importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)
    for point in sorted(points, key=lambda ep: ep.name):
        name = f"installed:{point.name}"
        distribution = point.dist
        origin = (
            f"{distribution.name} {distribution.version}"
            if distribution is not None
            else point.value
        )
        try:
            plugin = point.load()
        except Exception as exc:
            raise PluginError(
                f"plugin {name} ({point.value}) failed to load: {type(exc).__name__}: {exc}",
                plugin=name,
                hint=f"reinstall or uninstall {origin}; --debug shows the traceback",
            ) from exc
        yield PluginInfo(
            name=name, kind="installed", origin=origin, plugin=plugin, files=_source_files(plugin)
        )


def _source_files(plugin: object) -> tuple[Path, ...]:
    """Files of an installed plugin: its module file, or its package folder."""
    module = plugin if isinstance(plugin, ModuleType) else inspect.getmodule(plugin)
    file = getattr(module, "__file__", None)
    if not file:
        return ()
    path = Path(os.path.abspath(file))
    return (path.parent,) if path.name == "__init__.py" else (path,)


def _check_hook_names(info: PluginInfo) -> None:
    """A ``locgen_*`` function must be a marked implementation of a known hook."""
    known = {name for name in dir(hookspecs) if name.startswith(HOOK_PREFIX)}
    for attribute in sorted(dir(info.plugin)):
        if not attribute.startswith(HOOK_PREFIX):
            continue
        function = getattr(info.plugin, attribute)
        if not callable(function):
            continue
        path, line = _definition(function, info)
        if attribute not in known:
            close = difflib.get_close_matches(attribute, sorted(known), n=1)
            raise PluginError(
                f"plugin {info.name} implements {attribute}, which is not a locgen hook",
                plugin=info.name,
                hook=attribute,
                path=path,
                line=line,
                hint=(f"did you mean {close[0]}? " if close else "")
                + "docs/hooks.md lists every hook",
            )
        if not hasattr(function, hookspecs.PROJECT + "_impl"):
            raise PluginError(
                f"plugin {info.name} defines {attribute} without @hookimpl, so it would never run",
                plugin=info.name,
                hook=attribute,
                path=path,
                line=line,
                hint="decorate it with @hookimpl (from locgen import hookimpl)",
            )


def _definition(function: Any, info: PluginInfo) -> tuple[Path | None, int | None]:
    """File and line of the ``def`` of *function* (past its decorators)."""
    code = getattr(function, "__code__", None)
    if code is None:
        return (info.files[0] if info.files else None), None
    path, line = Path(code.co_filename), code.co_firstlineno
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return path, line
    for number in range(line, min(line + 20, len(lines)) + 1):
        if lines[number - 1].lstrip().startswith(("def ", "async def ")):
            return path, number
    return path, line
