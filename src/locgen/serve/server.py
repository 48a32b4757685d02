"""The dev server: one build kept up to date, served from memory over HTTP.

A builder thread waits for batches of changed paths from the watcher and
brings the build up to date. Each successful update becomes a new
:class:`Snapshot` that requests read as a whole, so a request never sees a
mixture of two builds. A failed update keeps the last good snapshot and
records the error, which the reload script shows over the page.
"""

from __future__ import annotations

import dataclasses
import errno
import ipaddress
import json
import mimetypes
import secrets
import socket
import sys
import threading
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from locgen.build import BuildRequest, BuildState, SiteBuild, Update, source_folders
from locgen.errors import LocgenError, UsageError
from locgen.pages import base_path_of
from locgen.plugins import PLUGINS_FOLDER
from locgen.report import count_text
from locgen.serve import devpages
from locgen.serve.paths import inside, not_found_page, resolve
from locgen.serve.watch import Watcher

DEV_PREFIX = "/_locgen/"
"""Where the dev server's own pages live; never part of a site."""
EVENTS_PATH = DEV_PREFIX + "events"
SCRIPT_PATH = DEV_PREFIX + "livereload.js"
HISTORY = 200
"""How many builds back a tab can catch up on exactly; older tabs reload."""
PING_SECONDS = 15.0
"""How often an idle event stream gets a comment line, so a dead tab is noticed."""
IDLE_SECONDS = 10.0
"""How long a connection may stay silent (no request, or a request sent halfway, or
an answer not read) before the server closes it."""
BACKLOG = 1024
"""Connections the system may hold for the server before it accepts them."""
BUILD_HEADER = "X-Locgen-Build"
"""The response header naming the build (its snapshot number) an answer comes from."""
TEXT = "text/plain; charset=utf-8"
REFUSED = (
    "403 Forbidden: this request was addressed to {host}, but locgen serve answers only\n"
    "requests addressed to localhost, 127.0.0.1 or [::1] (protection against DNS\n"
    "rebinding: another web site must not read your preview through your browser).\n"
    "Open http://localhost:{port}/ instead, or start the server with --host 0.0.0.0\n"
    "to let other machines and names in.\n"
)
_SCRIPT = (Path(__file__).parent / "livereload.js").read_bytes()


@dataclass(frozen=True)
class ServeOptions:
    """What ``locgen serve`` was asked to do."""

    root: Path
    """Site folder."""
    host: str = "127.0.0.1"
    """Interface to listen on."""
    port: int = 8000
    """Port to listen on (0 picks a free one)."""
    open_browser: bool = False
    """Open the site in the browser once it is served."""
    include_drafts: bool = False
    """Serve pages marked ``draft: true``."""


@dataclass(frozen=True)
class Snapshot:
    """What the server shows: the last good build and the latest error."""

    number: int
    """Increases with every successful build; 0 before the first."""
    state: BuildState | None
    """The last good build, or ``None`` if no build has succeeded yet."""
    error: LocgenError | None = None
    """Why the latest build failed, or ``None`` if it succeeded."""
    update: Update | None = None
    """What the latest successful build did."""
    roots: tuple[Path, ...] = ()
    """The folders (symbolic links resolved) that files copied from disk may come from:
    ``content/`` and each theme layer's ``static/``."""

    def failed(self, error: LocgenError) -> Snapshot:
        """The same build, with *error* as the latest attempt's outcome."""
        return dataclasses.replace(self, error=error)


@dataclass
class _History:
    """Which output paths each build changed, for tabs catching up."""

    entries: list[tuple[int, tuple[str, ...], bool]] = field(default_factory=list)

    def add(self, number: int, changed: tuple[str, ...], everything: bool) -> None:
        """Record build *number*: the paths it changed, or that it changed everything."""
        self.entries.append((number, changed, everything))
        del self.entries[:-HISTORY]

    def after(self, number: int) -> tuple[list[tuple[int, tuple[str, ...], bool]], bool]:
        """The builds after *number*, and whether the history reaches back that far."""
        complete = not self.entries or self.entries[0][0] <= number + 1
        return [entry for entry in self.entries if entry[0] > number], complete


class DevServer:
    """Builds the site, serves it from memory, and rebuilds on change until stopped."""

    def __init__(self, options: ServeOptions, log: Callable[[str], None] | None = None) -> None:
        self.options = options
        self.log = log or (lambda message: print(message, file=sys.stderr, flush=True))
        self.session = secrets.token_hex(4)
        self.snapshot = Snapshot(0, None)
        self.history = _History()
        self.changed = threading.Condition()
        self.listeners = 0
        """Open event streams (one per top-level tab; frames listen through their page)."""
        self.stopping = threading.Event()
        self.open_to_all = not is_loopback(options.host)
        """Listening beyond loopback: requests addressed to any name are answered."""
        self.httpd = self._bind()
        self.port = self.httpd.server_address[1]
        display = "localhost" if options.host in ("0.0.0.0", "::") else options.host
        if ":" in display:
            display = f"[{display}]"
        self.origin = f"http://{display}:{self.port}"
        self.build = SiteBuild(
            BuildRequest(
                root=options.root,
                include_drafts=options.include_drafts,
                origin=self.origin,
                all_checks=True,
            )
        )
        self.watcher: Watcher | None = None
        self._builder: threading.Thread | None = None
        self._http: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------

    def start(self) -> None:
        """Build once, start watching and rebuilding, and start answering requests."""
        self._rebuild(None)
        root = self.options.root.absolute()
        config = self.snapshot.state.config if self.snapshot.state is not None else None
        folders = (
            source_folders(config)
            if config is not None
            else [root / name for name in ("content", "locales", "themes", PLUGINS_FOLDER)]
        )
        output = [config.output_dir] if config is not None else [root / "public"]
        self.watcher = Watcher(root, folders, ignore=output)
        self.watcher.start()
        self._builder = threading.Thread(
            target=self._watch_loop, name="locgen-builder", daemon=True
        )
        self._builder.start()
        self._http = threading.Thread(
            target=self.httpd.serve_forever, name="locgen-http", daemon=True
        )
        self._http.start()

    def stop(self) -> None:
        """Stop watching, building and serving; open event streams end."""
        self.stopping.set()
        with self.changed:
            self.changed.notify_all()
        if self.watcher is not None:
            self.watcher.stop()
        if self._builder is not None:
            self._builder.join(timeout=10)
        if self._http is not None:  # shutdown() waits for serve_forever() to return
            self.httpd.shutdown()
        self.httpd.server_close()

    @property
    def url(self) -> str:
        """Address of the site's home (its base path) on this server."""
        state = self.snapshot.state
        base = base_path_of(state.config) if state is not None else "/"
        return self.origin + base

    def _bind(self) -> ThreadingHTTPServer:
        handler = type("Handler", (_Handler,), {"dev": self})
        try:
            server = _HTTPServer((self.options.host, self.options.port), handler, self.log)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise UsageError(
                    f"port {self.options.port} on {self.options.host} is already in use",
                    hint=f"stop the other server, or choose another port: "
                    f"locgen serve --port {self.options.port + 1}",
                ) from None
            raise UsageError(
                f"cannot listen on {self.options.host}:{self.options.port}: {exc.strerror}",
                hint="check --host and --port",
            ) from None
        return server

    # -- building ----------------------------------------------------------

    def _watch_loop(self) -> None:
        assert self.watcher is not None
        while not self.stopping.is_set():
            batch = self.watcher.next_batch(self.stopping)
            if batch and not self.stopping.is_set():
                self._rebuild(batch)

    def _rebuild(self, paths: set[Path] | None) -> None:
        """Build (``paths`` is ``None``) or update, and publish the outcome as a snapshot."""
        try:
            update = self.build.update(paths or ())
        except LocgenError as exc:
            self._publish(self.snapshot.failed(exc))
            self.log(f"error: {exc.format(self.options.root)}")
            shown = "the last good build" if self.snapshot.state is not None else "this error"
            self.log(f"  still serving {shown}; save the fix to rebuild")
            return
        except Exception as exc:  # a bug must not take the preview down with it
            error = LocgenError(
                f"internal error: {type(exc).__name__}: {exc}",
                hint="this is a bug in locgen or a plugin; run locgen build --debug for details",
            )
            self._publish(self.snapshot.failed(error))
            self.log(f"error: {error.format(self.options.root)}")
            return
        number = self.snapshot.number + 1
        state = self.build.state
        assert state is not None
        roots = [
            state.config.content_dir,
            *(layer / "static" for layer in state.renderer.theme.layers),
        ]
        resolved = tuple(root.resolve() for root in roots)
        self._publish(Snapshot(number, state, None, update, resolved), update)
        self.log(self._summary(update, paths))

    def _publish(self, snapshot: Snapshot, update: Update | None = None) -> None:
        with self.changed:
            if update is not None:
                self.history.add(snapshot.number, update.changed, update.restarted)
            self.snapshot = snapshot
            self.changed.notify_all()

    def _summary(self, update: Update, paths: set[Path] | None) -> str:
        state = self.build.state
        assert state is not None
        if paths is None:
            pages = sum(len(state.index.pages_in(tag)) for tag in state.locales)
            return f"built {count_text(pages, 'page')} in {update.seconds * 1000:.0f} ms"
        root = self.options.root.absolute()
        names = sorted(
            str(p.relative_to(root)) if p.is_relative_to(root) else str(p) for p in paths
        )
        shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        rebuilt = count_text(update.pages, "page")
        what = "rebuilt everything" if update.restarted else f"rebuilt {rebuilt}"
        return f"{what} in {update.seconds * 1000:.0f} ms ({shown})"

    # -- what requests read --------------------------------------------------

    def event(self, since: int) -> dict[str, Any]:
        """What a tab that loaded build *since* needs to hear: each build after it, the error.

        A tab reloads when a build after its own changed its page or any file
        that is not a page, or when the server is not the one it came from.
        """
        with self.changed:
            snapshot = self.snapshot
            changes, complete = self.history.after(since)
        error = snapshot.error
        return {
            "session": self.session,
            "build": snapshot.number,
            "complete": complete,
            "changes": [[number, list(paths), everything] for number, paths, everything in changes],
            "error": None if error is None else devpages.error_json(error, self.options.root),
        }

    def reload_tag(self, snapshot: Snapshot, page_path: str) -> bytes:
        """The ``<script>`` that keeps a page of *snapshot* live."""
        return (
            f'<script src="{SCRIPT_PATH}" data-events="{EVENTS_PATH}" '
            f'data-build="{snapshot.number}" data-session="{self.session}" '
            f'data-path="{devpages.attribute(page_path)}"></script>'
        ).encode()


class _HTTPServer(ThreadingHTTPServer):
    """One thread per connection; a connection error ends that connection only."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = BACKLOG

    def __init__(
        self, address: tuple[str, int], handler: type[_Handler], log: Callable[[str], None]
    ) -> None:
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.log = log
        super().__init__(address, handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went away or stayed silent is not news; anything else is one line."""
        error = sys.exc_info()[1]
        if error is None or isinstance(error, OSError):
            return
        self.log(f"error: internal error in a connection: {type(error).__name__}: {error}")


class _Handler(BaseHTTPRequestHandler):
    """Answers one request from the current snapshot."""

    dev: DevServer
    server_version = "locgen"
    protocol_version = "HTTP/1.1"
    # Malformed and HTTP/0.9 requests get a status line and headers too (no browser
    # speaks HTTP/0.9; answering it without headers would drop nosniff).
    default_request_version = "HTTP/1.0"
    timeout = IDLE_SECONDS  # set on the socket: a silent client is disconnected
    _responded = False

    def do_GET(self) -> None:
        """Serve a page, a file, an event stream or a dev page."""
        self._guarded(with_body=True)

    def do_HEAD(self) -> None:
        """Like GET, without the body."""
        self._guarded(with_body=False)

    def log_message(self, format: str, *args: Any) -> None:
        """Requests are not logged; rebuilds and errors are."""

    def send_response(self, code: int, message: str | None = None) -> None:
        """Start a response (and note that one was started)."""
        self._responded = True
        super().send_response(code, message)

    def end_headers(self) -> None:
        """End the headers, adding those every response carries.

        Every answer passes here, the standard library's own error answers
        (a malformed request, an unsupported method) included.
        """
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def _guarded(self, *, with_body: bool) -> None:
        """Answer the request if it is addressed to this server; a failure ends it cleanly."""
        self._responded = False
        foreign = self._foreign_name()
        if foreign is not None:
            body = REFUSED.format(host=foreign[:200], port=self.dev.port).encode()
            self._send(HTTPStatus.FORBIDDEN, body, TEXT, with_body)
            return
        try:
            self._answer(with_body=with_body)
        except OSError:  # the client went away, or stopped reading
            self.close_connection = True
        except Exception as exc:  # a bug answers 500 and leaves the server running
            self.close_connection = True
            self.dev.log(
                f"error: internal error answering {self.path[:200]}: {type(exc).__name__}: {exc}"
            )
            if not self._responded:
                body = b"500 internal error in locgen serve; the terminal shows what failed\n"
                self._send(HTTPStatus.INTERNAL_SERVER_ERROR, body, TEXT, with_body)

    def _foreign_name(self) -> str | None:
        """The name the request is addressed to, if the server must not answer it.

        Listening on loopback, the server answers only requests addressed to
        loopback names: a web page whose own name resolves to 127.0.0.1
        (DNS rebinding) still sends its own name, and is refused.
        """
        if self.dev.open_to_all:
            return None
        names = self.headers.get_all("Host") or []
        target = urlsplit(self.path)
        if target.scheme:  # an absolute URL in the request line names the host too
            names.append(target.netloc)
        return next((name for name in names if not is_local_name(name)), None)

    def _answer(self, *, with_body: bool) -> None:
        parts = urlsplit(self.path)
        path = parts.path
        if path == EVENTS_PATH:
            self._events(parse_qs(parts.query))
            return
        if path == SCRIPT_PATH:
            self._send(HTTPStatus.OK, _SCRIPT, "text/javascript; charset=utf-8", with_body)
            return
        # One snapshot answers the whole request, whatever the builder publishes meanwhile.
        snapshot = self.dev.snapshot
        if path.startswith(DEV_PREFIX) or path + "/" == DEV_PREFIX:
            page = devpages.render(self.dev, snapshot, path, parse_qs(parts.query))
            if page is None:
                body = devpages.not_found(path)
                self._send_html(HTTPStatus.NOT_FOUND, body, "", snapshot, with_body)
            else:
                self._send_html(HTTPStatus.OK, page.body, page.live, snapshot, with_body)
            return
        state = snapshot.state
        if state is None:
            body = devpages.no_build(snapshot.error, self.dev.options.root)
            self._send_html(HTTPStatus.SERVICE_UNAVAILABLE, body, "*", snapshot, with_body)
            return
        base_path = base_path_of(state.config)
        if path == "/" and base_path != "/":
            self._redirect(base_path, snapshot)
            return
        found = resolve(path, base_path, state.output)
        if found.redirect is not None:
            self._redirect(found.redirect, snapshot)
            return
        if found.path is not None and self._send_file(snapshot, found.path, with_body):
            return
        segments = [locale.url_segment for locale in state.index.locales.values()]
        page_path = not_found_page(path, base_path, segments)
        data = state.output.get(page_path)
        body = data if isinstance(data, bytes) else b"<!doctype html><title>404</title>Not found"
        self._send_html(HTTPStatus.NOT_FOUND, body, page_path, snapshot, with_body)

    def _send_file(self, snapshot: Snapshot, rel: str, with_body: bool) -> bool:
        assert snapshot.state is not None
        data = snapshot.state.output.get(rel)
        if isinstance(data, Path):
            if not inside(data, snapshot.roots):
                return False
            try:
                data = data.read_bytes()
            except OSError:  # gone since the build, or a folder now
                return False
        if data is None:
            return False
        kind = mimetypes.guess_type(rel)[0] or "application/octet-stream"
        if kind == "text/html":
            self._send_html(HTTPStatus.OK, data, rel, snapshot, with_body)
            return True
        if kind.startswith("text/") or kind in ("application/json", "application/xml"):
            kind += "; charset=utf-8"
        self._send(HTTPStatus.OK, data, kind, with_body, snapshot=snapshot)
        return True

    def _send_html(
        self, status: HTTPStatus, body: bytes, page_path: str, snapshot: Snapshot, with_body: bool
    ) -> None:
        tag = self.dev.reload_tag(snapshot, page_path)
        end = body.lower().rfind(b"</body>")
        body = body[:end] + tag + body[end:] if end >= 0 else body + tag
        self._send(status, body, "text/html; charset=utf-8", with_body, snapshot=snapshot)

    def _redirect(self, location: str, snapshot: Snapshot) -> None:
        self._send(
            HTTPStatus.MOVED_PERMANENTLY, b"", TEXT, False, snapshot=snapshot, location=location
        )

    def _send(
        self,
        status: HTTPStatus,
        body: bytes,
        kind: str,
        with_body: bool,
        *,
        snapshot: Snapshot | None = None,
        location: str | None = None,
    ) -> None:
        """Send a complete response; *snapshot* names the build it comes from."""
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        if snapshot is not None:
            self.send_header(BUILD_HEADER, str(snapshot.number))
        if location is not None:
            self.send_header("Location", location)
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def _events(self, query: dict[str, list[str]]) -> None:
        """A server-sent event stream: the state now, then after every build."""
        try:
            since = int(query.get("since", ["0"])[0])
        except ValueError:
            since = 0
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.end_headers()
        self.close_connection = True
        dev = self.dev
        shown: Snapshot | None = None
        with dev.changed:
            dev.listeners += 1
        try:
            while not dev.stopping.is_set():
                with dev.changed:
                    if dev.snapshot is shown:
                        dev.changed.wait(timeout=PING_SECONDS)
                    snapshot = dev.snapshot
                if dev.stopping.is_set():
                    break
                if snapshot is shown:
                    self.wfile.write(b": ping\n\n")
                else:
                    message = json.dumps(dev.event(since))
                    self.wfile.write(f"data: {message}\n\n".encode())
                    shown = snapshot
                self.wfile.flush()
        finally:
            with dev.changed:
                dev.listeners -= 1


def is_loopback(host: str) -> bool:
    """True when listening on *host* only lets this machine in."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_local_name(authority: str) -> bool:
    """True when a ``Host`` header (``name[:port]``) names this machine by a name that
    no outside DNS can point elsewhere: ``localhost`` or a loopback address."""
    try:
        name = urlsplit("//" + authority.strip()).hostname
    except ValueError:
        return False
    if not name:
        return False
    if name == "localhost" or name.endswith(".localhost"):
        return True
    return is_loopback(name)


def serve(options: ServeOptions, log: Callable[[str], None] | None = None) -> None:
    """Run the dev server until Ctrl-C."""
    out = log or (lambda message: print(message, file=sys.stderr, flush=True))
    server = DevServer(options, out)
    if server.open_to_all:
        out(
            f"warning: listening on {options.host}: anyone who can reach this machine "
            "can read the site, drafts included"
        )
    try:
        server.start()
        out(f"serving {server.url} (dev pages: {server.origin}{DEV_PREFIX}); press Ctrl-C to stop")
        if options.open_browser:
            webbrowser.open(server.url)
        while not server.stopping.wait(timeout=1):
            pass
    except KeyboardInterrupt:
        out("stopping")
    finally:
        server.stop()
