"""``locgen serve``: serving from memory, never outside the output, rebuilding on change."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from locgen.incremental import PAGE, Job
from locgen.serve import DevServer, ServeOptions
from locgen.serve.paths import output_path, resolve
from servekit import SOURCE, Served, serving
from sitekit import copy_example_site, web_pages


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The example site served once for the read-only tests of this module."""
    root = copy_example_site(tmp_path_factory.mktemp("serve") / "site")
    (root.parent / "secret.txt").write_text("not for visitors\n", encoding="utf-8")
    with serving(root) as served:
        yield served


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Served]:
    """The example site served for one test that edits it."""
    root = copy_example_site(tmp_path / "site")
    with serving(root) as served:
        yield served


# -- serving -------------------------------------------------------------------


def test_pages_are_served_with_the_reload_script(example: Served) -> None:
    status, headers, body = example.get("/de-de/")
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["X-Content-Type-Options"] == "nosniff"
    text = body.decode("utf-8")
    assert '<html lang="de-DE"' in text
    assert re.search(
        r'<script src="/_locgen/livereload.js"[^>]* data-path="de-de/index.html">', text
    )
    assert text.index("/_locgen/livereload.js") < text.rindex("</body>")


def test_the_reload_script_is_absent_from_build_output(example_output: Path) -> None:
    files = [
        *web_pages(example_output),
        *example_output.rglob("*.txt"),
        *example_output.rglob("*.eml"),
    ]
    assert files
    for path in files:
        data = path.read_bytes()
        assert b"livereload" not in data, path
        assert b"/_locgen/" not in data, path


def test_static_files_and_images_are_served_with_their_types(example: Served) -> None:
    status, headers, body = example.get("/static/css/site.css")
    assert status == 200
    assert headers["Content-Type"] == "text/css; charset=utf-8"
    assert b"_locgen" not in body
    status, headers, _ = example.get("/sitemap.xml")
    assert status == 200


def test_a_folder_without_its_slash_redirects(example: Served) -> None:
    status, headers, _ = example.get("/de-de/produkt")
    assert (status, headers["Location"]) == (301, "/de-de/produkt/")


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2e%2e/etc/passwd",
        "/de-de/%2e%2e/%2e%2e/secret.txt",
        "/static/..%2f..%2fsecret.txt",
        "/static/%2e%2e%5c%2e%2e%5csecret.txt",
        "//etc/passwd",
        "/etc/passwd",
        "/%252e%252e/secret.txt",
        "/en-us/%00index.html",
        "/%c0%ae%c0%ae/secret.txt",
    ],
)
def test_path_traversal_gets_the_404_page_and_never_a_file_outside(
    example: Served, path: str
) -> None:
    status, _, body = example.get(path)
    assert status == 404
    assert b"not for visitors" not in body
    assert b"root:" not in body


def test_an_absolute_url_in_the_request_line_names_no_file(example: Served) -> None:
    status, _, body = example.get("http://127.0.0.1/../secret.txt")
    assert status == 404
    assert b"not for visitors" not in body


def test_an_unknown_path_gets_its_locales_404_page(example: Served) -> None:
    status, _, body = example.get("/ja-jp/nothing-here/")
    assert status == 404
    assert b'<html lang="ja-JP"' in body
    status, _, body = example.get("/nothing-here/")
    assert status == 404
    assert b'<html lang="en-US"' in body


def test_a_symlinked_image_pointing_outside_is_not_served(tmp_path: Path) -> None:
    root = copy_example_site(tmp_path / "site")
    secret = tmp_path / "secret.svg"
    secret.write_text("<svg>not for visitors</svg>\n", encoding="utf-8")
    (root / "content/images/leak.svg").symlink_to(secret)
    with serving(root) as served:
        status, _, body = served.get("/images/leak.svg")
    # The build refuses the link, and the server shows that error instead of the file.
    assert status == 503
    assert b"symlink content/images/leak.svg is not followed" in body
    assert b"not for visitors" not in body


def test_output_path_rejects_every_dot_segment() -> None:
    assert output_path("/a/b/", "/") == "a/b/"
    assert output_path("/docs/a/", "/docs/") == "a/"
    assert output_path("/a/b/", "/docs/") is None
    for bad in ("/a/../b", "/a/%2e%2e/b", "/a/%2E/b", "/./a", "//a", "/a%5cb", "/a%00"):
        assert output_path(bad, "/") is None, bad
    assert resolve("/a", "/", {"a/index.html"}).redirect == "/a/"
    assert resolve("/", "/", {"index.html"}).path == "index.html"


def test_head_requests_have_no_body(example: Served) -> None:
    status, headers, body = example.get("/de-de/", method="HEAD")
    assert status == 200
    assert int(headers["Content-Length"]) > 0
    assert body == b""


# -- dev pages -----------------------------------------------------------------


def test_the_dev_pages_answer(example: Served) -> None:
    for path in (
        "/_locgen/",
        "/_locgen/compare/",
        "/_locgen/compare/?page=product/pricing",
        "/_locgen/emails/",
        "/_locgen/emails/?email=welcome&locale=ja-JP",
        "/_locgen/translations/",
        "/_locgen/checks/",
    ):
        status, headers, _ = example.get(path)
        assert status == 200, path
        assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert example.get("/_locgen/nothing/")[0] == 404
    assert example.get("/_locgen/compare/?page=no/such/page")[0] == 404


def test_the_compare_view_frames_the_page_in_every_locale(example: Served) -> None:
    body = example.get("/_locgen/compare/?page=product/pricing")[2].decode("utf-8")
    locales = re.findall(r'<section class="column" data-locale="([^"]+)"[^>]* dir="(\w+)"', body)
    state = example.server.build.state
    assert state is not None
    assert [tag for tag, _ in locales] == state.locales
    assert len(locales) == 8
    assert {tag: direction for tag, direction in locales if direction == "rtl"} == {"ar-SA": "rtl"}
    assert '<iframe src="/de-de/produkt/preise/"' in body
    assert "indirect" in body and "formal" in body


def test_the_email_preview_shows_subject_preheader_and_text(example: Served) -> None:
    body = example.get("/_locgen/emails/?email=welcome&locale=de-DE")[2].decode("utf-8")
    manifest = json.loads(example.get("/emails/manifest.json")[2])
    entry = next(e for e in manifest["emails"] if e["name"] == "welcome" and e["locale"] == "de-DE")
    assert entry["subject"] in body
    assert entry["preheader"] in body
    assert '<iframe src="/emails/de-de/welcome.html"' in body
    assert '<pre class="text"' in body


def test_the_translation_matrix_marks_fallbacks(example: Served) -> None:
    body = example.get("/_locgen/translations/")[2].decode("utf-8")
    assert "emails/renewal-reminder" in body
    assert re.search(r'<td class="fallback"[^>]*>\s*<a href="[^"]+">fallback</a>', body)
    assert re.search(r'<td class="translated"', body)


def test_the_event_stream_sends_the_current_state(example: Served) -> None:
    with socket.create_connection(("127.0.0.1", example.port), timeout=10) as connection:
        connection.sendall(b"GET /_locgen/events?since=0 HTTP/1.1\r\nHost: localhost\r\n\r\n")
        received = b""
        while b"\n\ndata: " not in received and b"\r\n\r\ndata: " not in received:
            received += connection.recv(4096)
        while not received.endswith(b"\n\n"):
            received += connection.recv(4096)
    message = json.loads(received.split(b"data: ", 1)[1].split(b"\n\n", 1)[0])
    assert message["build"] == example.server.snapshot.number
    assert message["error"] is None
    assert message["session"] == example.server.session
    assert message["complete"] is True
    assert message["changes"][0][0] == 1  # the first build changed everything
    assert message["changes"][0][2] is True


# -- rebuilding ------------------------------------------------------------------


def test_an_edit_is_served_after_the_rebuild(live: Served) -> None:
    source = live.root / "content/product/pricing.de-DE.md"
    number = live.server.snapshot.number
    source.write_text(source.read_text(encoding="utf-8") + "\nFrisch gespeichert.\n", "utf-8")
    live.wait_for_build(number)
    assert b"Frisch gespeichert." in live.get("/de-de/produkt/preise/")[2]
    update = live.server.snapshot.update
    assert update is not None and not update.restarted
    # Only the German page shows the German file: the other locales have their own.
    assert update.rendered == (Job(PAGE, "de-DE", "product/pricing"),)
    assert any(line.startswith("rebuilt 1 page in ") for line in live.log)


def test_a_deleted_page_disappears_and_a_link_to_it_is_reported(live: Served) -> None:
    root = live.root
    extra = root / "content/support/extra.en-US.md"
    extra.write_text("---\ntitle: Extra\n---\n\nMore.\n", encoding="utf-8")
    number = live.server.snapshot.number
    live.wait_for_build(number)
    assert live.get("/en-us/support/extra/")[0] == 200

    number = live.server.snapshot.number
    extra.unlink()
    live.wait_for_build(number)
    assert live.get("/en-us/support/extra/")[0] == 404

    linking = root / "content/support/linking.en-US.md"
    linking.write_text("---\ntitle: Linking\n---\n\nSee [pricing](/product/pricing.md).\n", "utf-8")
    number = live.server.snapshot.number
    live.wait_for_build(number)
    pricing = sorted((root / "content/product").glob("pricing.*.md"))
    kept = {path: path.read_bytes() for path in pricing}
    number = live.server.snapshot.number
    for path in pricing:
        path.unlink()
    live.wait_for(lambda: live.server.snapshot.error is not None)
    error = live.server.snapshot.error
    assert error is not None
    assert error.path is not None and error.path.name.startswith(("linking", "index", "pricing"))
    assert "pricing.md" in error.message
    # The last good build is still served.
    assert live.get("/en-us/product/pricing/")[0] == 200
    for path, data in kept.items():
        path.write_bytes(data)
    live.wait_for(lambda: live.server.snapshot.error is None)
    assert live.server.snapshot.number > number


def test_a_renamed_page_moves(live: Served) -> None:
    support = live.root / "content/support"
    page = support / "opening-hours.en-US.md"
    page.write_text("---\ntitle: Opening hours\n---\n\nWe are open.\n", encoding="utf-8")
    number = live.server.snapshot.number
    live.wait_for_build(number)
    assert live.get("/en-us/support/opening-hours/")[0] == 200

    number = live.server.snapshot.number
    page.rename(support / "hours.en-US.md")
    live.wait_for_build(number)
    assert live.server.snapshot.error is None
    assert live.get("/en-us/support/hours/")[0] == 200
    assert live.get("/en-us/support/opening-hours/")[0] == 404


def test_a_port_in_use_is_a_clear_error(example: Served, tmp_path: Path) -> None:
    process = subprocess.run(
        [sys.executable, "-m", "locgen", "serve", "--port", str(example.port)],
        cwd=example.root,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(SOURCE)},
    )
    assert process.returncode == 2
    assert f"port {example.port} on 127.0.0.1 is already in use" in process.stderr
    assert "--port" in process.stderr
    assert "Traceback" not in process.stderr


def test_ctrl_c_stops_cleanly_and_all_interfaces_warn(tmp_path: Path) -> None:
    root = copy_example_site(tmp_path / "site")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser.sh"
    browser.write_text(f'#!/bin/sh\necho "$1" > {opened}\n', encoding="utf-8")
    browser.chmod(0o755)
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "locgen", "serve", "--open"),
            *("--host", "0.0.0.0", "--port", str(port)),
        ],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "BROWSER": str(browser), "PYTHONPATH": str(SOURCE)},
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/en-us/", timeout=2).close()
                break
            except OSError:
                time.sleep(0.1)
        while time.monotonic() < deadline and not opened.exists():
            time.sleep(0.05)  # --open runs just after serving starts: let it finish first
        # An open event stream must not keep the server alive.
        stream = socket.create_connection(("127.0.0.1", port), timeout=10)
        stream.sendall(b"GET /_locgen/events HTTP/1.1\r\nHost: localhost\r\n\r\n")
        stream.recv(100)
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=20)
        stream.close()
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, stderr
    assert "warning: listening on 0.0.0.0: anyone who can reach this machine" in stderr
    assert "Traceback" not in stderr
    assert "stopping" in stderr
    assert opened.read_text(encoding="utf-8").strip() == f"http://localhost:{port}/"  # --open
    with socket.socket() as again:  # the port is free again
        again.bind(("127.0.0.1", port))


def test_the_server_binds_loopback_by_default_and_stops_before_it_started(
    tmp_path: Path,
) -> None:
    root = copy_example_site(tmp_path / "site")
    server = DevServer(ServeOptions(root=root, port=0), log=lambda _: None)
    assert server.httpd.server_address[0] == "127.0.0.1"
    server.stop()  # Ctrl-C during the first build: nothing started yet, nothing hangs
    with socket.socket() as again:
        again.bind(("127.0.0.1", server.port))


def test_a_first_build_that_fails_shows_the_error_until_it_is_fixed(tmp_path: Path) -> None:
    root = copy_example_site(tmp_path / "site")
    home = root / "content/index.en-US.md"
    good = home.read_text(encoding="utf-8")
    home.write_text("---\ntitle: [broken\n---\n\nText.\n", encoding="utf-8")
    with serving(root) as served:
        assert served.server.snapshot.state is None
        status, _, body = served.get("/en-us/")
        assert status == 503
        assert b"content/index.en-US.md:2" in body
        assert b"livereload.js" in body  # the tab reloads once the build succeeds
        assert any("still serving this error" in line for line in served.log)
        home.write_text(good, encoding="utf-8")
        served.wait_for(lambda: served.server.snapshot.state is not None)
        assert served.get("/en-us/")[0] == 200
