"""locgen: a static site generator for localized customer communications.

Plugins mark their hook implementations with :data:`hookimpl`::

    from locgen import hookimpl

    @hookimpl
    def locgen_cultures():
        return [MY_PROFILE]
"""

from locgen.hookspecs import hookimpl

__version__ = "0.1.0"
__all__ = ["__version__", "hookimpl"]
