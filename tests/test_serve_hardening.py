"""``locgen serve`` under load, during a storm of edits, and against requests it must refuse.

These tests run the real server: in its own process where load or a crash
matters, in this process where a quick look at the answers is enough.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import SiteFactory
from locgen.serve import DevServer, ServeOptions
from locgen.serve.server import BUILD_HEADER, IDLE_SECONDS
from servekit import SOURCE, Answer, Served, raw_request, serving, serving_process
from sitekit import copy_example_site, page, web_pages

RELOAD_TAG = re.compile(rb'<script src="/_locgen/livereload\.js"[^>]*></script>')


def without_reload_tag(body: bytes) -> bytes:
    """A served page as ``locgen build`` writes it: without the reload script."""
    return RELOAD_TAG.sub(b"", body, count=1)


def parse(response: bytes) -> Answer:
    """Status, headers and body of a raw HTTP response."""
    head, _, body = response.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in header_lines)
    return int(status_line.split()[1]), headers, body


def first_event(port: int, query: str = "since=0") -> dict[str, object]:
    """The first message of the server's event stream."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(
            f"GET /_locgen/events?{query} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode()
        )
        received = b""
        while not re.search(rb"\ndata: [^\n]*\n\n", received):
            chunk = connection.recv(65536)
            if not chunk:
                raise AssertionError(f"the event stream ended early: {received!r}")
            received += chunk
    return dict(json.loads(received.split(b"\ndata: ", 1)[1].split(b"\n", 1)[0]))


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The example site served once for the read-only tests of this module, with a
    secret beside it and traps for path traversal inside it."""
    folder = tmp_path_factory.mktemp("hardening")
    root = copy_example_site(folder / "site")
    secret = folder / "secret"
    secret.mkdir()
    (secret / "secret.txt").write_text("not for visitors\n", encoding="utf-8")
    (secret / "secret.svg").write_text("<svg>not for visitors</svg>\n", encoding="utf-8")
    (root / "secret.txt").write_text("not for visitors\n", encoding="utf-8")
    (root / "themes/default/static/leak.txt").symlink_to(secret / "secret.txt")
    public = root / "public"  # left over from an earlier build; the server never reads it
    public.mkdir()
    (public / "stale.txt").write_text("not for visitors\n", encoding="utf-8")
    (public / "leak.txt").symlink_to(secret / "secret.txt")
    with serving(root) as served:
        yield served


# -- many clients at once ------------------------------------------------------

LOAD_SECONDS = 60.0
CLIENTS = 200
STREAMS = 20
"""Of the clients, how many hold an event stream open for the whole minute."""
REUSING = 90
"""Of the others, how many send their requests over one kept-alive connection;
the rest open a new connection for each."""
LOAD_REQUESTS = [
    ("GET", "/en-us/"),
    ("GET", "/de-de/produkt/preise/"),
    ("GET", "/ja-jp/"),
    ("GET", "/ar-sa/"),
    ("HEAD", "/en-gb/"),
    ("GET", "/static/css/site.css"),
    ("GET", "/images/hero.svg"),
    ("GET", "/sitemap.xml"),
    ("GET", "/emails/manifest.json"),
    ("GET", "/nothing-here/"),
    ("GET", "/ja-jp/nothing-here/"),
    ("GET", "/%2e%2e/secret.txt"),
    ("GET", "/de-de/produkt"),
    ("GET", "/_locgen/livereload.js"),
    ("GET", "/_locgen/"),
    ("GET", "/_locgen/compare/?page=product/pricing"),
    ("GET", "/_locgen/events"),
]


@dataclass
class LoadTally:
    """What the clients of the load test saw."""

    done: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    """Complete, correct answers per client."""
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def ok(self, client: int) -> None:
        with self.lock:
            self.done[client] += 1

    def fail(self, client: int, what: str) -> None:
        with self.lock:
            self.failures.append(f"client {client}: {what}")


def _load_client(
    port: int, client: int, expected: dict[tuple[str, str], Answer], until: float, tally: LoadTally
) -> None:
    """Send requests until *until*, each checked against the answer it got when idle."""
    reuse = client < STREAMS + REUSING
    connection: http.client.HTTPConnection | None = None
    turn = client
    while time.monotonic() < until:
        method, path = LOAD_REQUESTS[turn % len(LOAD_REQUESTS)]
        turn += 1
        try:
            if path == "/_locgen/events":
                event = first_event(port, "since=1")
                if event["error"] is not None or event["build"] != 1:
                    tally.fail(client, f"event stream said {event}")
                else:
                    tally.ok(client)
                continue
            if connection is None:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.putrequest(method, path, skip_accept_encoding=True)
            connection.endheaders()
            response = connection.getresponse()
            answer = response.status, dict(response.getheaders()), response.read()
            if response.will_close or not reuse:
                connection.close()
                connection = None
        except Exception as exc:
            tally.fail(client, f"{method} {path}: {type(exc).__name__}: {exc}")
            if connection is not None:
                connection.close()
                connection = None
            continue
        status, headers, body = expected[method, path]
        if (answer[0], answer[2]) != (status, body):
            tally.fail(client, f"{method} {path}: {answer[0]} with {len(answer[2])} bytes")
        elif answer[1]["Content-Type"] != headers["Content-Type"]:
            tally.fail(client, f"{method} {path}: {answer[1]['Content-Type']}")
        else:
            tally.ok(client)
    if connection is not None:
        connection.close()


def _stream_holder(port: int, client: int, until: float, tally: LoadTally) -> None:
    """Hold an event stream open until *until*; it must send the state and stay open."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
            connection.sendall(b"GET /_locgen/events?since=1 HTTP/1.1\r\nHost: localhost\r\n\r\n")
            received = b""
            while b"\ndata: " not in received or not received.endswith(b"\n\n"):
                chunk = connection.recv(65536)
                if not chunk:
                    raise ConnectionError("the stream ended before its first message")
                received += chunk
            tally.ok(client)
            connection.settimeout(1.0)
            while time.monotonic() < until:
                try:
                    if not connection.recv(65536):
                        raise ConnectionError("the server closed the stream")
                except TimeoutError:
                    continue
    except Exception as exc:
        tally.fail(client, f"event stream: {type(exc).__name__}: {exc}")


@pytest.mark.slow
def test_two_hundred_clients_for_a_minute_all_get_complete_answers(tmp_path: Path) -> None:
    root = copy_example_site(tmp_path / "site")
    with serving_process(root) as server:
        expected = {
            (method, path): server.get(path, method)
            for method, path in LOAD_REQUESTS
            if path != "/_locgen/events"  # a stream: its clients check its first message
        }
        for (method, path), (status, headers, body) in expected.items():
            again = server.get(path, method)  # the answers the clients compare with are stable
            assert (again[0], again[1]["Content-Type"], again[2]) == (
                status,
                headers["Content-Type"],
                body,
            ), path
        assert {answer[0] for answer in expected.values()} == {200, 301, 404}

        tally = LoadTally()
        until = time.monotonic() + LOAD_SECONDS
        clients = [
            threading.Thread(
                target=_stream_holder if client < STREAMS else _load_client,
                args=(server.port, client, until, tally)
                if client < STREAMS
                else (server.port, client, expected, until, tally),
            )
            for client in range(CLIENTS)
        ]
        for thread in clients:
            thread.start()
        for thread in clients:
            thread.join(timeout=LOAD_SECONDS + 120)
        assert not any(thread.is_alive() for thread in clients)

        assert tally.failures == [], f"{len(tally.failures)} failures: {tally.failures[:20]}"
        assert sorted(tally.done) == list(range(CLIENTS))  # no client went unanswered
        # Afterwards a normal request is still answered promptly.
        status, _, body = server.get("/en-us/", timeout=10)
        assert status == 200
        assert body == expected["GET", "/en-us/"][2]
    assert "Traceback" not in server.stderr
    assert "error:" not in server.stderr


@pytest.mark.slow
def test_silent_slow_and_vanishing_clients_disturb_no_one(tmp_path: Path) -> None:
    root = copy_example_site(tmp_path / "site")
    with serving_process(root) as server:
        stalled = []
        for number in range(150):
            connection = socket.create_connection(("127.0.0.1", server.port), timeout=60)
            if number % 3 == 1:
                connection.sendall(b"GET /en-us/ HTTP/1.1\r\nHost: localhost\r\n")  # no end
            elif number % 3 == 2:
                connection.sendall(b"GE")
            stalled.append(connection)
        opened = time.monotonic()
        # Clients that ask for a lot and hang up without reading it.
        pipelined = b"GET /_locgen/translations/ HTTP/1.1\r\nHost: localhost\r\n\r\n" * 50
        for _ in range(20):
            with socket.create_connection(("127.0.0.1", server.port), timeout=10) as connection:
                connection.sendall(pipelined)
                connection.recv(1)
                connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\1\0\0\0\0\0\0\0")
        # Meanwhile everyone else is answered.
        for path in ("/en-us/", "/static/css/site.css", "/nothing/", "/_locgen/"):
            assert server.get(path, timeout=10)[0] in (200, 404), path
        assert first_event(server.port)["error"] is None
        # The stalled connections are closed once they have been silent too long.
        for connection in stalled:
            with connection:
                assert connection.recv(100) == b""
        assert time.monotonic() - opened < IDLE_SECONDS + 30
        assert server.get("/en-us/", timeout=10)[0] == 200
    assert "Traceback" not in server.stderr
    assert "error:" not in server.stderr


# -- a storm of edits ----------------------------------------------------------

STORM_CONFIG = """\
[site]
title = "Storm"
base_url = "https://storm.example/"
default_locale = "en-US"
locales = ["en-US"]
"""
STORM_READERS = 6
STORM_PAGES = ["/en-us/", "/en-us/a/", "/en-us/b/", "/en-us/rev/", "/en-us/nothing/"]
MAIN_MENU = re.compile(rb'<nav class="site-nav"[^>]*>(.*?)</nav>', re.DOTALL)
MENU_ENTRY = re.compile(rb'<a href="/en-us/rev/"[^>]*>([^<]*)</a>')


def menu_entries(body: bytes) -> frozenset[bytes]:
    """What a page's main menu says the revision page is called (nothing if it is absent)."""
    menu = MAIN_MENU.search(body)
    return frozenset(MENU_ENTRY.findall(menu[1])) if menu else frozenset()


@dataclass
class StormTally:
    """What the readers saw while the storm raged: (build, path, status, menu entries)."""

    seen: list[tuple[int, str, int, frozenset[bytes]]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def _storm_reader(port: int, paths: list[str], stop: threading.Event, tally: StormTally) -> None:
    """Read pages until *stop*, noting which build each came from and what its menu says."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    turn = 0
    while not stop.is_set():
        path = paths[turn % len(paths)]
        turn += 1
        try:
            connection.putrequest("GET", path)
            connection.endheaders()
            response = connection.getresponse()
            body = response.read()
            build = int(response.headers[BUILD_HEADER])
        except Exception as exc:
            tally.failures.append(f"{path}: {type(exc).__name__}: {exc}")
            connection.close()
            continue
        if response.status not in (200, 404) or not body.rstrip().endswith(b"</html>"):
            tally.failures.append(f"{path}: {response.status}, {body[-100:]!r}")
        tally.seen.append((build, path, response.status, menu_entries(body)))
    connection.close()


def _storm(content: Path) -> list[str]:
    """Hundreds of saves, deletes and renames of files and folders in about a second;
    returns the names of the pages (under ``/en-us/``) that existed at some point."""
    rev = content / "rev.en-US.md"
    touched = []
    for step in range(400):
        group = step // 8
        name = f"extra{group}"
        match step % 8:
            case 0 | 3 | 6:  # saved in place, as most editors do
                rev.write_text(page(f"Rev {step}", "Revision.", menu="main"), encoding="utf-8")
            case 1 | 5:  # saved to a temporary file, then renamed over the old one
                temporary = content / ".rev.en-US.md.tmp"
                temporary.write_text(page(f"Rev {step}", "Revision.", menu="main"), "utf-8")
                os.replace(temporary, rev)
            case 2:
                (content / f"{name}.en-US.md").write_text(page(name.title()), encoding="utf-8")
                touched.append(name)
            case 4:
                (content / f"{name}.en-US.md").rename(content / f"{name}-moved.en-US.md")
                touched.append(f"{name}-moved")
            case 7:
                if group % 2:
                    (content / f"{name}-moved.en-US.md").unlink()
                (content / "b.en-US.md").write_text(page("B", f"Saved {step}."), "utf-8")
                section = f"section{group - group % 4}"
                match group % 4:
                    case 0:  # a folder with pages appears, is renamed, goes away
                        (content / section).mkdir()
                        (content / section / "index.en-US.md").write_text(page(section), "utf-8")
                        (content / section / "child.en-US.md").write_text(page("Child"), "utf-8")
                        touched += [section, f"{section}/child"]
                    case 1:
                        (content / section).rename(content / f"{section}-moved")
                        touched += [f"{section}-moved", f"{section}-moved/child"]
                    case 2:
                        shutil.rmtree(content / f"{section}-moved")
        time.sleep(0.002)
    rev.write_text(page("Rev final", "Revision.", menu="main"), encoding="utf-8")
    return touched


@pytest.mark.slow
def test_a_storm_of_saves_deletes_and_renames_never_serves_a_mixed_build(
    site_factory: SiteFactory, tmp_path: Path
) -> None:
    root = site_factory(
        {
            "content/index.en-US.md": page("Home", "Welcome."),
            "content/rev.en-US.md": page("Rev start", "Revision.", menu="main"),
            "content/a.en-US.md": page("A"),
            "content/b.en-US.md": page("B"),
        },
        config=STORM_CONFIG,
    )
    content = root / "content"
    with serving_process(root) as server:
        tally = StormTally()
        stop = threading.Event()
        readers = [
            threading.Thread(
                target=_storm_reader,
                args=(server.port, STORM_PAGES[n:] + STORM_PAGES[:n], stop, tally),
            )
            for n in range(STORM_READERS)
        ]
        for reader in readers:
            reader.start()
        touched = _storm(content)
        # Read on while the server catches up with the end of the storm: it has settled
        # when the last save is served, without an error, and no build follows.
        final = b"Rev final"
        last_build, calm = None, False
        deadline = time.monotonic() + 60
        while not calm and time.monotonic() < deadline:
            time.sleep(1.0)
            state = first_event(server.port)
            body = server.get("/en-us/a/")[2]
            calm = state["error"] is None and final in body and last_build == state["build"]
            last_build = state["build"]
        stop.set()
        for reader in readers:
            reader.join(timeout=60)

        assert tally.failures == []
        # Every build shows one menu on all its pages: no answer mixes two builds.
        menus: dict[int, set[frozenset[bytes]]] = defaultdict(set)
        for build, _, _, entries in tally.seen:
            menus[build].add(entries)
        mixed = {build: entries for build, entries in menus.items() if len(entries) > 1}
        assert mixed == {}, sorted({(b, p, s, e) for b, p, s, e in tally.seen if b in mixed})
        assert len(menus) >= 2, "the readers should have seen several builds"
        # Builds only move forward: a later build never shows an older revision.
        revisions = []
        for build in sorted(menus):
            (entries,) = menus[build]
            titles = {entry.decode() for entry in entries}
            revisions += [int(title[4:]) for title in titles if re.fullmatch(r"Rev \d+", title)]
        assert revisions == sorted(revisions)

        # Once the storm has settled, the server serves what a fresh build makes.
        assert calm, "the server did not settle after the storm:\n" + server.stderr
        fresh = tmp_path / "fresh"
        subprocess.run(
            [
                *(sys.executable, "-m", "locgen", "build", "--no-cache"),
                *("--base-url", f"http://127.0.0.1:{server.port}/", "--output", str(fresh)),
            ],
            cwd=root,
            check=True,
            capture_output=True,
            env={**os.environ, "PYTHONPATH": str(SOURCE)},
        )
        pages = web_pages(fresh)
        assert len(pages) >= 5
        for file in pages:
            rel = file.relative_to(fresh).as_posix()
            url = "/" + rel.removesuffix("index.html")
            status, _, served = server.get(url)
            assert status == 200, url
            assert without_reload_tag(served) == file.read_bytes(), url
        served_pages = {f"/en-us/{name}/" for name in touched}
        built = {"/" + p.relative_to(fresh).as_posix().removesuffix("index.html") for p in pages}
        for url in sorted(served_pages):
            assert server.get(url)[0] == (200 if url in built else 404), url
        assert server.get("/sitemap.xml")[2] == (fresh / "sitemap.xml").read_bytes()
    assert "Traceback" not in server.stderr
    assert "internal error" not in server.stderr


# -- requests from elsewhere -----------------------------------------------------


@pytest.mark.parametrize(
    "request_head",
    [
        "GET /en-us/ HTTP/1.1\r\nHost: evil.example",
        "GET /en-us/ HTTP/1.1\r\nHost: evil.example:{port}",
        "GET /en-us/ HTTP/1.1\r\nHost: localhost.evil.example:{port}",
        "GET /en-us/ HTTP/1.1\r\nHost: 127.0.0.1.nip.io:{port}",
        "GET /en-us/ HTTP/1.1\r\nHost: 192.168.1.20:{port}",
        "GET /en-us/ HTTP/1.1\r\nHost: localhost:{port}\r\nHost: evil.example",
        "GET http://evil.example/en-us/ HTTP/1.1\r\nHost: localhost:{port}",
        "GET /_locgen/events HTTP/1.1\r\nHost: evil.example",
        "GET /_locgen/livereload.js HTTP/1.1\r\nHost: evil.example",
        "GET /_locgen/checks/ HTTP/1.1\r\nHost: evil.example",
        "HEAD /en-us/ HTTP/1.1\r\nHost: evil.example",
    ],
)
def test_requests_addressed_to_another_name_are_refused(example: Served, request_head: str) -> None:
    request = request_head.format(port=example.port) + "\r\nConnection: close\r\n\r\n"
    status, headers, body = parse(raw_request(example.port, request.encode()))
    assert status == 403
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Type"] == "text/plain; charset=utf-8"
    if request.startswith("HEAD"):
        assert body == b""
        return
    text = body.decode("utf-8")
    assert "answers only" in text and "DNS" in text
    assert "--host 0.0.0.0" in text
    assert "<html" not in text and "Welcome" not in text


@pytest.mark.parametrize(
    "host_line",
    [
        "Host: localhost",
        "Host: localhost:{port}",
        "Host: LOCALHOST:{port}",
        "Host: preview.localhost:{port}",
        "Host: 127.0.0.1:{port}",
        "Host: [::1]:{port}",
        "",  # HTTP/1.0 tools send no Host; no browser does, so no rebinding either
    ],
)
def test_requests_addressed_to_loopback_are_answered(example: Served, host_line: str) -> None:
    version = "HTTP/1.1" if host_line else "HTTP/1.0"
    headers = f"{host_line.format(port=example.port)}\r\n" if host_line else ""
    request = f"GET /en-us/ {version}\r\n{headers}Connection: close\r\n\r\n"
    status, _, body = parse(raw_request(example.port, request.encode()))
    assert status == 200
    assert b'<html lang="en-US"' in body


def test_listening_on_every_interface_answers_any_name(tmp_path: Path) -> None:
    root = copy_example_site(tmp_path / "site")
    server = DevServer(ServeOptions(root=root, host="0.0.0.0", port=0), log=lambda _: None)
    server.start()
    try:
        request = b"GET /en-us/ HTTP/1.1\r\nHost: laptop.lan:8000\r\nConnection: close\r\n\r\n"
        status, _, body = parse(raw_request(server.port, request))
    finally:
        server.stop()
    assert status == 200
    assert b'<html lang="en-US"' in body


def _ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _ipv6_loopback(), reason="no IPv6 loopback here")
def test_ipv6_loopback_refuses_other_names_too(tmp_path: Path) -> None:
    root = copy_example_site(tmp_path / "site")
    server = DevServer(ServeOptions(root=root, host="::1", port=0), log=lambda _: None)
    server.start()
    try:
        assert server.url == f"http://[::1]:{server.port}/"
        asked = {}
        for host in ("evil.example", f"[::1]:{server.port}", f"localhost:{server.port}"):
            request = f"GET /en-us/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
            asked[host] = parse(raw_request(server.port, request.encode(), host="::1"))[0]
    finally:
        server.stop()
    assert asked == {
        "evil.example": 403,
        f"[::1]:{server.port}": 200,
        f"localhost:{server.port}": 200,
    }


# -- every answer --------------------------------------------------------------

EVERY_KIND = [
    ("GET /en-us/", 200, "text/html; charset=utf-8"),
    ("HEAD /de-de/", 200, "text/html; charset=utf-8"),
    ("GET /static/css/site.css", 200, "text/css; charset=utf-8"),
    ("GET /images/hero.svg", 200, "image/svg+xml"),
    ("GET /sitemap.xml", 200, "application/xml; charset=utf-8"),
    ("GET /emails/manifest.json", 200, "application/json; charset=utf-8"),
    ("GET /ja-jp/nothing-here/", 404, "text/html; charset=utf-8"),
    ("GET /%2e%2e/secret.txt", 404, "text/html; charset=utf-8"),
    ("GET /de-de/produkt", 301, "text/plain; charset=utf-8"),
    ("GET /_locgen/", 200, "text/html; charset=utf-8"),
    ("GET /_locgen/compare/", 200, "text/html; charset=utf-8"),
    ("GET /_locgen/compare/?page=product/pricing", 200, "text/html; charset=utf-8"),
    ("GET /_locgen/compare/?page=no/such/page", 404, "text/html; charset=utf-8"),
    ("GET /_locgen/emails/", 200, "text/html; charset=utf-8"),
    ("GET /_locgen/emails/?email=welcome&locale=ja-JP", 200, "text/html; charset=utf-8"),
    ("GET /_locgen/translations/", 200, "text/html; charset=utf-8"),
    ("GET /_locgen/checks/", 200, "text/html; charset=utf-8"),
    ("GET /_locgen/nothing/", 404, "text/html; charset=utf-8"),
    ("GET /_locgen/livereload.js", 200, "text/javascript; charset=utf-8"),
    ("POST /en-us/", 501, "text/html;charset=utf-8"),
    ("DELETE /en-us/", 501, "text/html;charset=utf-8"),
    ("GET /en-us/ HTTP/2.0", 505, "text/html;charset=utf-8"),
    ("GET", 400, "text/html;charset=utf-8"),
    ("GET /" + "a" * 70000, 414, "text/html;charset=utf-8"),
]


@pytest.mark.parametrize(("line", "status", "kind"), EVERY_KIND)
def test_every_kind_of_answer_says_nosniff(
    example: Served, line: str, status: int, kind: str
) -> None:
    request_line = line if line.count(" ") >= 2 or line == "GET" else line + " HTTP/1.1"
    request = f"{request_line}\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode()
    got, headers, body = parse(raw_request(example.port, request))
    assert (got, headers.get("Content-Type")) == (status, kind)
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Cache-Control"] == "no-store"
    if kind.startswith("text/html; charset=utf-8"):
        # An answer from the build names the build, and its reload script agrees.
        build = headers[BUILD_HEADER]
        assert build == str(example.server.snapshot.number)
        if not line.startswith("HEAD"):
            assert f'data-build="{build}"'.encode() in body


def test_the_event_stream_says_nosniff(example: Served) -> None:
    with socket.create_connection(("127.0.0.1", example.port), timeout=10) as connection:
        connection.sendall(b"GET /_locgen/events HTTP/1.1\r\nHost: localhost\r\n\r\n")
        received = b""
        while b"\r\n\r\n" not in received:
            received += connection.recv(4096)
    status, headers, _ = parse(received)
    assert status == 200
    assert headers["Content-Type"] == "text/event-stream; charset=utf-8"
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_the_no_build_page_and_the_base_path_redirect_say_nosniff(
    site_factory: SiteFactory,
) -> None:
    root = site_factory(
        {"content/index.en-US.md": "---\ntitle: [broken\n---\n\nText.\n"},
        config=STORM_CONFIG.replace("https://storm.example/", "https://storm.example/docs/"),
    )
    with serving(root) as served:
        status, headers, body = served.get("/docs/en-us/")
        assert status == 503
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert b"content/index.en-US.md:2" in body
        (root / "content/index.en-US.md").write_text(page("Home"), encoding="utf-8")
        served.wait_for(lambda: served.server.snapshot.state is not None)
        status, headers, _ = served.get("/")
        assert (status, headers["Location"]) == (301, "/docs/")
        assert headers["X-Content-Type-Options"] == "nosniff"


# -- never a file from outside -------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/static\\..\\..\\secret.txt",
        "/%2E%2e/secret.txt",
        "/en-us/%2e%2E/%2e%2e/secret.txt",
        "/%2fetc/passwd",
        "http://localhost/%2e%2e/secret.txt",
        "/static/leak.txt",
        "/leak.txt",
        "/stale.txt",
        "/public/stale.txt",
    ],
)
def test_nothing_outside_the_build_is_served(example: Served, path: str) -> None:
    status, headers, body = example.get(path)
    assert status == 404
    assert b"not for visitors" not in body
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_a_link_out_of_content_made_while_serving_is_not_followed(tmp_path: Path) -> None:
    # A build refuses such a link (tests/test_containment.py); one made after the
    # last good build must not be served from it either.
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "secret.txt").write_text("not for visitors\n", encoding="utf-8")
    root = copy_example_site(tmp_path / "site")
    with serving(root) as served:
        (root / "content/images/outside").symlink_to(secret, target_is_directory=True)
        before = served.get("/images/outside/secret.txt")
        served.wait_for(lambda: any("outside" in line for line in served.log))
        after = served.get("/images/outside/secret.txt")
    for status, headers, body in (before, after):
        assert status == 404
        assert b"not for visitors" not in body
        assert headers["X-Content-Type-Options"] == "nosniff"
