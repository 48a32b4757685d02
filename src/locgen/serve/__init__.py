"""``locgen serve``: build, serve from memory, watch, rebuild what changed, reload the tab.

:mod:`locgen.serve.server` runs the HTTP server and the rebuilds,
:mod:`locgen.serve.watch` turns file-system events into batches of changed
paths, :mod:`locgen.serve.paths` maps request paths to output files, and
:mod:`locgen.serve.devpages` renders the pages under ``/_locgen/``.
"""

from locgen.serve.server import DevServer, ServeOptions, serve

__all__ = ["DevServer", "ServeOptions", "serve"]
