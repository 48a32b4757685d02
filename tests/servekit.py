"""Helpers for dev-server tests: a served copy of a site, requests, waiting for rebuilds."""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import locgen
from locgen.serve import DevServer, ServeOptions

SOURCE = Path(locgen.__file__).resolve().parent.parent
"""The folder the tested ``locgen`` package is imported from, for subprocesses."""

Answer = tuple[int, dict[str, str], bytes]
"""Status, headers and body of a response."""


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

    def get(self, path: str, method: str = "GET") -> Answer:
        """Send a raw request path (sent as is, not normalized) and return the answer."""
        return get(self.port, path, method)

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


def get(port: int, path: str, method: str = "GET", timeout: float = 10.0) -> Answer:
    """Send a request for a raw path to a server on loopback and read the whole answer."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.putrequest(method, path, skip_accept_encoding=True)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def raw_request(port: int, request: bytes, host: str = "127.0.0.1", timeout: float = 10.0) -> bytes:
    """Send *request* as is and read until the server closes the connection."""
    with socket.create_connection((host, port), timeout=timeout) as connection:
        connection.sendall(request)
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    return received


@dataclass
class ServerProcess:
    """A ``locgen serve`` running as its own process, and what it printed."""

    process: subprocess.Popen[str]
    port: int
    lines: list[str]

    @property
    def stderr(self) -> str:
        """Everything the server printed so far."""
        return "\n".join(self.lines)

    def get(self, path: str, method: str = "GET", timeout: float = 10.0) -> Answer:
        """Send a request for a raw path and read the whole answer."""
        return get(self.port, path, method, timeout)


def signal_state(pid: int) -> str:
    """How the process *pid* treats signals (blocked, ignored, caught), from ``/proc``."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    except OSError:
        return "signal state unknown"
    return " ".join(line for line in status.splitlines() if line.startswith(("Sig", "Shd")))


@contextmanager
def serving_process(root: Path, *options: str) -> Iterator[ServerProcess]:
    """Run ``locgen serve --port 0 OPTIONS`` in *root* until the block ends, then Ctrl-C it.

    The block starts once the server has printed its address; the server
    must stop cleanly (exit code 0) when the block ends.
    """
    env = {**os.environ, "PYTHONPATH": str(SOURCE)}
    process = subprocess.Popen(
        [sys.executable, "-m", "locgen", "serve", "--port", "0", *options],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stderr is not None
    lines: list[str] = []
    started = threading.Event()
    port: list[int] = []

    def read(stream: Iterator[str]) -> None:
        for line in stream:
            lines.append(line.rstrip("\n"))
            found = re.search(r"^serving http://\S+?:(\d+)/", line)
            if found and not port:
                port.append(int(found[1]))
                started.set()
        started.set()  # the server ended before serving

    reader = threading.Thread(target=read, args=(process.stderr,), daemon=True)
    reader.start()
    try:
        started.wait(timeout=120)
        assert port, "locgen serve did not start:\n" + "\n".join(lines)
        yield ServerProcess(process, port[0], lines)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            lines.append("no exit 30 s after Ctrl-C; " + signal_state(process.pid))
            process.kill()
            process.wait()
        reader.join(timeout=10)
    assert process.returncode == 0, "locgen serve did not stop cleanly:\n" + "\n".join(lines)
