"""No name, reference, plugin answer or locale code takes a build outside its folders.

Each test tries one route out of the site with a real build, next to a
secret file placed beside the site folder, and checks that the build stops
with one message naming the file at fault, that nothing outside the output
(and the build cache) was written, and that the secret is nowhere in the output.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from conftest import DEFAULT_CONFIG
from locgen.errors import ContentError
from locgen.publish import Staging
from sitekit import page

SECRET = "secret-b7c1e0d4-do-not-publish"

SITE = {
    "content/index.en-US.md": page("Home"),
    "content/index.de-DE.md": page("Start"),
    "content/images/hero.png": "not really a picture",
}

Build = Callable[..., Result]


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A secret file beside the site folder (``tmp_path/site``)."""
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    return secret


@pytest.fixture
def build(
    tmp_path: Path, outside: Path, run_cli: Callable[..., Result]
) -> Callable[[Path], Result]:
    """Build *site*, and check that the build stayed inside its folders."""

    def run(site: Path, *args: str) -> Result:
        before = _files_outside_output(tmp_path, site)
        result = run_cli(site, "build", *args)
        assert _files_outside_output(tmp_path, site) == before, "a file was written outside"
        for file in (site / "public").rglob("*"):
            if file.is_file():
                assert SECRET.encode() not in file.read_bytes(), f"secret leaked into {file}"
        return result

    return run


def _files_outside_output(top: Path, site: Path) -> dict[str, str]:
    """Every file under *top* but the site's output and cache, with a hash of its bytes."""
    kept = (site / "public", site / ".locgen-cache")
    return {
        path.relative_to(top).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(top.rglob("*"))
        if path.is_file() and not any(folder in path.parents for folder in kept)
    }


def _refused(result: Result, *parts: str) -> None:
    """The build stopped with exit 1 and one message holding every one of *parts*."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    for part in parts:
        assert part in result.stderr, result.stderr


# -- names and slugs ----------------------------------------------------------


def test_content_file_name_with_backslashes(site_factory, build) -> None:
    name = "content/docs/a\\..\\..\\..\\escape.en-US.md"
    site = site_factory({**SITE, name: page("Escape")})
    _refused(build(site), "content/docs/a\\..\\..\\..\\escape.en-US.md", "backslash", "rename")


def test_content_folder_name_with_backslashes(site_factory, build) -> None:
    name = "content/a\\..\\..\\escape/page.en-US.md"
    site = site_factory({**SITE, name: page("Escape")})
    _refused(build(site), "content/a\\..\\..\\escape", "backslash")


@pytest.mark.parametrize("slug", ["../../../escape", "..", "a/../../escape", "\\..\\escape"])
def test_slug_that_climbs_out(site_factory, build, slug: str) -> None:
    site = site_factory({**SITE, "content/docs/page.en-US.md": page("Page", slug=f"'{slug}'")})
    _refused(build(site), "content/docs/page.en-US.md:3", "slug", "single URL segment")


def test_front_matter_url_never_becomes_a_path(site_factory, build) -> None:
    """``url`` is not a locgen field: it is template data, and the page stays at its slug."""
    site = site_factory(
        {**SITE, "content/docs/page.en-US.md": page("Page", url="../../../escape/index.html")},
    )
    result = build(site)
    assert result.exit_code == 0, result.output
    assert (site / "public/en-us/docs/page/index.html").is_file()


# -- images -------------------------------------------------------------------


def test_markdown_image_that_climbs_out(site_factory, build, outside: Path) -> None:
    body = "Look:\n\n![Secret](../../../secret.txt)\n"
    site = site_factory({**SITE, "content/docs/page.en-US.md": page("Page", body)})
    _refused(
        build(site),
        "content/docs/page.en-US.md:7",
        "image '../../../secret.txt' is not a file under content/",
    )


def test_markdown_image_at_an_absolute_path_stays_in_content(site_factory, build) -> None:
    site = site_factory(
        {**SITE, "content/docs/page.en-US.md": page("Page", "![Secret](/../secret.txt)")},
    )
    _refused(build(site), "content/docs/page.en-US.md:5", "image '/../secret.txt'")


def test_front_matter_image_that_climbs_out(site_factory, build) -> None:
    site = site_factory(
        {**SITE, "content/docs/page.en-US.md": page("Page", image="../../secret.txt")},
    )
    _refused(build(site), "content/docs/page.en-US.md:3", "image '../../secret.txt'")


# -- plugins ------------------------------------------------------------------

PLUGIN = """\
from locgen import hookimpl

@hookimpl
def locgen_resolve_image(path):
    return {answer!r}
"""


@pytest.mark.parametrize("answer", ["../secret.txt", "/etc/passwd", "images/../../secret.txt"])
def test_plugin_choosing_an_image_outside_content(site_factory, build, answer: str) -> None:
    site = site_factory(
        {
            **SITE,
            "content/docs/page.en-US.md": page("Page", "![Hero](/images/hero.png)"),
            "plugins/images.py": PLUGIN.format(answer=answer),
        },
    )
    _refused(
        build(site),
        "plugins/images.py",
        f"plugin site:images answered locgen_resolve_image with {answer!r}",
        "content/docs/page.en-US.md",
    )


def test_plugin_choosing_an_image_inside_content_works(site_factory, build) -> None:
    site = site_factory(
        {
            **SITE,
            "content/images/hero.de-DE.png": "ein Bild",
            "content/docs/page.en-US.md": page("Page", "![Hero](/images/hero.png)"),
            "plugins/images.py": PLUGIN.format(answer="images/hero.de-DE.png"),
        },
    )
    result = build(site)
    assert result.exit_code == 0, result.output
    html = (site / "public/en-us/docs/page/index.html").read_text(encoding="utf-8")
    assert 'src="/images/hero.de-DE.png"' in html


# -- locale codes -------------------------------------------------------------


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (
            DEFAULT_CONFIG.replace('"de-DE"]', '"../../escape"]'),
            "'../../escape' is not a BCP 47 locale tag",
        ),
        (
            DEFAULT_CONFIG + '\n[locales."../../escape"]\ntitle = "x"\n',
            "names a locale that is not in [site].locales",
        ),
        (
            DEFAULT_CONFIG + '\n[locales."de-DE"]\nfallback = ["../../escape"]\n',
            "../../escape",
        ),
    ],
    ids=["site-locales", "locale-table", "fallback"],
)
def test_locale_code_that_is_a_path(site_factory, build, config: str, message: str) -> None:
    site = site_factory(SITE, config=config)
    _refused(build(site), "locgen.toml", message)


# -- symlinks -----------------------------------------------------------------


def test_symlinked_file_pointing_outside(site_factory, build, outside: Path) -> None:
    site = site_factory(SITE)
    (site / "content/docs").mkdir()
    (site / "content/docs/leak.txt").symlink_to(outside)
    _refused(
        build(site),
        "content/docs/leak.txt: symlink content/docs/leak.txt is not followed",
        "outside the site folder",
        "replace it with a copy",
    )


def test_symlinked_folder_pointing_outside(site_factory, build, outside: Path) -> None:
    site = site_factory(SITE)
    (outside.parent / "shared").mkdir()
    (outside.parent / "shared/notes.en-US.md").write_text(page("Notes", SECRET))
    (site / "content/shared").symlink_to(outside.parent / "shared")
    _refused(build(site), "content/shared: symlink content/shared is not followed")


def test_dangling_symlink(site_factory, build) -> None:
    site = site_factory(SITE)
    (site / "content/gone.png").symlink_to(site / "nowhere.png")
    _refused(build(site), "content/gone.png", "which does not exist")


def test_symlink_into_the_output_folder(site_factory, build) -> None:
    site = site_factory(SITE)
    assert build(site).exit_code == 0
    (site / "content/mirror").symlink_to(site / "public")
    _refused(build(site), "content/mirror", "which locgen rewrites")


def test_symlink_loop(site_factory, build) -> None:
    site = site_factory(SITE)
    (site / "content/docs").mkdir()
    (site / "content/docs/again").symlink_to(site / "content")
    _refused(build(site), "content/docs/again", "symlink loop")


def test_symlinks_inside_the_site_are_followed(site_factory, build) -> None:
    site = site_factory(
        {
            **SITE,
            "shared/pages/faq.en-US.md": page("FAQ", "Shared answers."),
            "shared/logo.png": "a logo",
        },
    )
    (site / "content/faq").symlink_to(site / "shared/pages")
    (site / "content/images/logo.png").symlink_to(site / "shared/logo.png")
    result = build(site)
    assert result.exit_code == 0, result.output
    assert "Shared answers." in (site / "public/en-us/faq/faq/index.html").read_text()
    assert (site / "public/images/logo.png").read_text() == "a logo"


# -- the last guard before writing ----------------------------------------------


@pytest.mark.parametrize("rel", ["../escape.html", "/tmp/escape.html", "a/../../escape.html"])
def test_output_paths_outside_the_output_folder_are_never_written(tmp_path: Path, rel: str) -> None:
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    staging = Staging(site / "public", site_root=site, sources=[site / "content"])
    try:
        with pytest.raises(ContentError, match="refusing to write"):
            staging.write(rel, b"escaped")
    finally:
        staging.abandon()
    assert [p for p in tmp_path.rglob("*escape*")] == []
