"""locgen: a static site generator for localized customer communications."""

__version__ = "0.1.0"
