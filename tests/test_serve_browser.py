"""``locgen serve`` in a real browser: Debian's chromium driven by Playwright.

An open tab follows edits without a manual reload, shows a broken file as an
overlay naming its file and line, and recovers when the file is fixed. The
comparison view shows every example locale; its screenshot in the README is
made here, so it stays true.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from servekit import Served, serving
from sitekit import REPO, copy_example_site

pytestmark = pytest.mark.slow

playwright_api = pytest.importorskip("playwright.sync_api")

SCREENSHOT = REPO / "docs/images/serve-compare.png"
TIMEOUT_MS = 20_000
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium() -> str:
    found = shutil.which("chromium")
    if found is None:
        message = "Debian's chromium is not installed (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=_chromium(), headless=True, args=CHROMIUM_FLAGS
        )
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Served]:
    with serving(copy_example_site(tmp_path / "site")) as served:
        yield served


@pytest.fixture
def tab(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        yield page
    finally:
        context.close()


def _connected(tab: object) -> None:
    """Wait until the page's reload script has its event stream open."""
    tab.wait_for_function("() => window.locgenLive !== undefined")  # type: ignore[attr-defined]


def test_an_edit_shows_in_the_open_tab_without_a_manual_reload(live: Served, tab: object) -> None:
    tab.goto(f"{live.url}/de-de/produkt/preise/")  # type: ignore[attr-defined]
    _connected(tab)
    source = live.root / "content/product/pricing.de-DE.md"
    source.write_text(
        source.read_text(encoding="utf-8") + "\nGerade eben gespeichert.\n", encoding="utf-8"
    )
    tab.get_by_text("Gerade eben gespeichert.").wait_for()  # type: ignore[attr-defined]


def test_broken_front_matter_shows_an_overlay_until_it_is_fixed(live: Served, tab: object) -> None:
    tab.goto(f"{live.url}/ja-jp/product/pricing/")  # type: ignore[attr-defined]
    _connected(tab)
    source = live.root / "content/product/pricing.ja-JP.md"
    good = source.read_text(encoding="utf-8")
    lines = good.split("\n")
    assert lines[0] == "---"
    lines[1] = lines[1] + ' "unclosed'
    source.write_text("\n".join(lines), encoding="utf-8")

    overlay = tab.locator("#locgen-error [role=alert]")  # type: ignore[attr-defined]
    overlay.wait_for()
    text = overlay.inner_text()
    assert "Build failed" in text
    assert "content/product/pricing.ja-JP.md:2" in text
    assert "hint:" in text
    # The last good build is still on the page under the overlay.
    assert tab.locator("h1").count() >= 1  # type: ignore[attr-defined]

    source.write_text(good + "\n修正しました。\n", encoding="utf-8")
    tab.get_by_text("修正しました。").wait_for()  # type: ignore[attr-defined]
    assert tab.locator("#locgen-error").count() == 0  # type: ignore[attr-defined]


def test_the_comparison_view_shows_all_eight_locales_with_arabic_right_to_left(
    live: Served, tab: object
) -> None:
    tab.goto(f"{live.url}/_locgen/compare/?page=product/pricing")  # type: ignore[attr-defined]
    columns = tab.locator("section.column")  # type: ignore[attr-defined]
    assert columns.count() == 8
    state = live.server.build.state
    assert state is not None
    frames = {}
    for number in range(8):
        column = columns.nth(number)
        tag = column.get_attribute("data-locale")
        frame = column.locator("iframe").content_frame
        frame.locator("h1").first.wait_for()
        frames[tag] = frame
    assert sorted(frames) == sorted(state.locales)
    directions = {tag: frame.locator("html").get_attribute("dir") for tag, frame in frames.items()}
    assert directions.pop("ar-SA") == "rtl"
    assert set(directions.values()) == {"ltr"}
    assert frames["ar-SA"].locator("html").get_attribute("lang") == "ar-SA"
    assert columns.nth(list(state.locales).index("ar-SA")).get_attribute("dir") == "rtl"

    # Only the top page holds a connection to the server; it passes rebuilds on
    # to the frames, and the edited locale's frame reloads.
    tab.wait_for_function("() => window.locgenLive !== undefined")  # type: ignore[attr-defined]
    for frame in tab.frames[1:]:  # type: ignore[attr-defined]
        frame.wait_for_function("() => window.locgenLive !== undefined")
    assert live.server.listeners == 1
    source = live.root / "content/product/pricing.sv-SE.md"
    source.write_text(source.read_text(encoding="utf-8") + "\nNyss sparad.\n", encoding="utf-8")
    frames["sv-SE"].get_by_text("Nyss sparad.").wait_for()
    assert frames["de-DE"].get_by_text("Nyss sparad.").count() == 0


def test_the_readme_screenshot_of_the_comparison_view(browser: object, live: Served) -> None:
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport={"width": 1600, "height": 1000}, device_scale_factor=1
    )
    try:
        tab = context.new_page()
        tab.set_default_timeout(TIMEOUT_MS)
        shown = "en-US,de-DE,ja-JP,ar-SA"
        tab.goto(f"{live.url}/_locgen/compare/?page=product/pricing&locales={shown}")
        columns = tab.locator("section.column")
        assert [
            columns.nth(n).get_attribute("data-locale") for n in range(columns.count())
        ] == shown.split(",")
        for number in range(columns.count()):
            columns.nth(number).locator("iframe").content_frame.locator("h1").first.wait_for()
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(SCREENSHOT))
    finally:
        context.close()
    assert SCREENSHOT.stat().st_size > 20_000
