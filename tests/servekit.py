"""Helpers for dev-server tests: a served copy of a site, requests, waiting for rebuilds."""

from __future__ import annotations

import http.client
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from locgen.serve import DevServer, ServeOptions


@dataclass
class Served:
    """A running dev server and what it logged."""

    server: DevServer
    root: Path
    log: list[str] = field(default_factory=list)

    @property
    def port(self) -> int:
        return self.server.port

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def get(self, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
        """Send a raw request path (sent as is, not normalized) and return the answer."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.putrequest(method, path, skip_accept_encoding=True)
            connection.endheaders()
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def wait_for(self, condition: Callable[[], bool], timeout: float = 30.0) -> None:
        """Wait until *condition* holds; fail with the server's log if it never does."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            time.sleep(0.02)
        raise AssertionError("timed out; server log:\n" + "\n".join(self.log))

    def wait_for_build(self, after: int, timeout: float = 30.0) -> None:
        """Wait for a build newer than *after*, or a failed one."""
        self.wait_for(
            lambda: self.server.snapshot.number > after or self.server.snapshot.error is not None,
            timeout,
        )


@contextmanager
def serving(root: Path) -> Iterator[Served]:
    """Serve the site at *root* on a free loopback port for the duration of the block."""
    log: list[str] = []
    server = DevServer(ServeOptions(root=root, port=0), log=log.append)
    server.start()
    try:
        yield Served(server, root, log)
    finally:
        server.stop()
