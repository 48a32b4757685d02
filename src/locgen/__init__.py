"""locgen: a static site generator for localized customer communications.

Plugins mark their hook implementations with :data:`hookimpl`::

    from locgen import hookimpl

    @hookimpl
    def locgen_cultures():
        return [MY_PROFILE]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from locgen.hookspecs import hookimpl

__version__ = "0.1.0"
__all__ = ["__version__", "hookimpl"]


def __getattr__(name: str) -> Any:
    """Load :data:`hookimpl`, and pluggy with it, when first asked for: a build starts
    reading pages before it loads the plugins, and ``locgen --version`` never does."""
    if name == "hookimpl":
        from locgen.hookspecs import hookimpl

        return hookimpl
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
