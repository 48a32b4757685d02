"""Plugin loading: fixed order, site plugins, and clear errors for every plugin mistake."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from locgen.plugins import load_plugins
from sitekit import page, tree_digest

CONFIG = """\
[site]
title = "Plugins"
base_url = "https://plugins.example/"
default_locale = "en-US"
locales = ["en-US", "de-DE"]
"""

BUNDLED = [
    "brazil",
    "china",
    "france",
    "germany",
    "gulf",
    "india",
    "japan",
    "korea",
    "mexico",
    "netherlands",
    "sweden",
    "uk",
    "us",
]


def site_with(
    site_factory: Callable[..., Path], plugins: dict[str, str], body: str = "Text."
) -> Path:
    files: dict[str, str] = {"content/index.en-US.md": page("Home", body)}
    files.update(
        {
            f"plugins/{name}": "from locgen import hookimpl\n" + text
            for name, text in plugins.items()
        }
    )
    return site_factory(files, config=CONFIG)


def test_plugins_register_in_a_fixed_order(site_factory: Callable[..., Path]) -> None:
    site = site_with(
        site_factory,
        {
            "b_second.py": "@hookimpl\ndef locgen_build_started():\n    pass\n",
            "a_first.py": "@hookimpl\ndef locgen_build_started():\n    pass\n",
            "_private.py": "raise RuntimeError('never loaded')\n",
        },
    )
    names = [info.name for info in load_plugins(site).plugins]
    assert names == [
        "builtin",
        *(f"bundled:{name}" for name in BUNDLED),
        "site:a_first",
        "site:b_second",
    ]


def test_plugins_command_lists_plugins_and_hooks(
    site_factory: Callable[..., Path], run_cli: Callable[..., Result]
) -> None:
    site = site_with(
        site_factory, {"brand.py": "@hookimpl\ndef locgen_page_html(draft):\n    pass\n"}
    )
    result = run_cli(site, "plugins", "--format", "json")
    assert result.exit_code == 0, result.output
    plugins = json.loads(result.output)["plugins"]
    assert plugins[-1] == {
        "name": "site:brand",
        "kind": "site",
        "origin": "plugins/brand.py",
        "hooks": ["locgen_page_html"],
    }
    assert plugins[1]["name"] == "bundled:brazil"
    assert plugins[1]["hooks"] == ["locgen_cultures", "locgen_tone_rules"]
    text = run_cli(site, "plugins").output
    assert "site:brand  (site, plugins/brand.py)\n  locgen_page_html\n" in text


def test_builds_with_plugins_are_byte_identical(
    site_factory: Callable[..., Path], run_cli: Callable[..., Result]
) -> None:
    site = site_with(
        site_factory,
        {
            "stamp.py": (
                "@hookimpl\ndef locgen_page_html(draft, culture):\n"
                "    draft.html += f'<p>{culture.id}</p>'\n"
            ),
        },
    )
    assert run_cli(site, "build").exit_code == 0
    first = tree_digest(site / "public")
    assert run_cli(site, "build").exit_code == 0
    assert tree_digest(site / "public") == first
    assert "<p>germany</p>" in (site / "public/de-de/index.html").read_text("utf-8")


@pytest.mark.parametrize(
    ("plugin", "expected", "line"),
    [
        (
            "@hookimpl\ndef locgen_page_htlm(draft):\n    pass\n",
            "plugin site:broken implements locgen_page_htlm, which is not a locgen hook",
            3,
        ),
        (
            "def locgen_page_html(draft):\n    pass\n",
            "defines locgen_page_html without @hookimpl, so it would never run",
            2,
        ),
        (
            "@hookimpl\ndef locgen_page_html(draft, colour):\n    pass\n",
            "plugin site:broken does not fit the hook contract",
            None,
        ),
        ("x = (\n", "plugin site:broken has a syntax error", 2),
        ("import not_a_module_anywhere\n", "plugin site:broken failed to load: ModuleNotFound", 2),
    ],
    ids=["misspelled-hook", "unmarked", "unknown-argument", "syntax", "import"],
)
def test_plugin_mistakes_are_one_clear_error(
    site_factory: Callable[..., Path],
    run_cli: Callable[..., Result],
    plugin: str,
    expected: str,
    line: int | None,
) -> None:
    site = site_with(site_factory, {"broken.py": plugin})
    result = run_cli(site, "build")
    assert result.exit_code == 1
    assert expected in result.output
    where = "plugins/broken.py" + (f":{line}" if line else "")
    assert f"error: {where}" in result.output
    assert "Traceback" not in result.output
    assert not (site / "public").exists()


def test_misspelled_hook_suggests_the_real_name(
    site_factory: Callable[..., Path], run_cli: Callable[..., Result]
) -> None:
    site = site_with(site_factory, {"typo.py": "@hookimpl\ndef locgen_culture():\n    return []\n"})
    assert "did you mean locgen_cultures?" in run_cli(site, "build").output


def test_a_plugin_that_raises_names_plugin_hook_locale_and_page(
    site_factory: Callable[..., Path], run_cli: Callable[..., Result]
) -> None:
    site = site_with(
        site_factory,
        {
            "fragile.py": (
                "@hookimpl\n"
                "def locgen_page_html(draft, locale):\n"
                "    if locale.tag == 'de-DE':\n"
                "        raise ValueError('no German today')\n"
            )
        },
    )
    run_cli(site, "build")
    before = tree_digest(site / "public") if (site / "public").exists() else {}
    result = run_cli(site, "build")
    assert result.exit_code == 1
    first_line = result.output.splitlines()[0]
    assert first_line == (
        "error: plugins/fragile.py:5: plugin site:fragile failed in locgen_page_html while "
        "rendering content/index.en-US.md: ValueError: no German today (locale de-DE)"
    )
    assert "Traceback" not in result.output
    assert (tree_digest(site / "public") if (site / "public").exists() else {}) == before


def test_debug_shows_the_plugins_traceback(
    site_factory: Callable[..., Path], run_cli: Callable[..., Result]
) -> None:
    site = site_with(
        site_factory,
        {"fragile.py": "@hookimpl\ndef locgen_build_started():\n    raise KeyError('boom')\n"},
    )
    result = run_cli(site, "build", "--debug")
    assert result.exit_code == 1
    assert "Traceback" in result.output and "raise KeyError('boom')" in result.output


def test_a_shortcode_that_raises_names_its_plugin(
    site_factory: Callable[..., Path], run_cli: Callable[..., Result]
) -> None:
    site = site_with(
        site_factory,
        {
            "codes.py": (
                "@hookimpl\ndef locgen_shortcodes():\n    return {'price': lambda context: 1 / 0}\n"
            )
        },
        body="Only {{< price >}} today.",
    )
    result = run_cli(site, "build")
    assert result.exit_code == 1
    assert (
        "plugin site:codes failed in shortcode price while rendering content/index.en-US.md: "
        "ZeroDivisionError" in result.output
    )


def test_two_plugins_registering_one_culture_id_is_an_error(
    site_factory: Callable[..., Path], run_cli: Callable[..., Result]
) -> None:
    site = site_with(
        site_factory,
        {
            "japan_again.py": (
                "import dataclasses\n"
                "from locgen.builtin import NEUTRAL\n"
                "@hookimpl\n"
                "def locgen_cultures():\n"
                "    return [dataclasses.replace(NEUTRAL, id='japan')]\n"
            )
        },
    )
    result = run_cli(site, "build")
    assert result.exit_code == 1
    assert (
        "two plugins register the culture 'japan': bundled:japan and site:japan_again"
        in result.output
    )
    assert "plugins/japan_again.py" in result.output


def test_an_invalid_profile_names_the_setting(
    site_factory: Callable[..., Path], run_cli: Callable[..., Result]
) -> None:
    site = site_with(
        site_factory,
        {
            "odd.py": (
                "import dataclasses\n"
                "from locgen.builtin import NEUTRAL\n"
                "@hookimpl\n"
                "def locgen_cultures():\n"
                "    return [dataclasses.replace(NEUTRAL, id='odd', directness='blunt')]\n"
            )
        },
    )
    result = run_cli(site, "build")
    assert result.exit_code == 1
    assert "culture 'odd' has an invalid setting directness: 'blunt' is not one of" in result.output


def test_a_site_plugin_named_like_a_bundled_one_replaces_it(
    site_factory: Callable[..., Path], run_cli: Callable[..., Result]
) -> None:
    from sitekit import REPO

    japan = (REPO / "plugins" / "japan.py").read_text(encoding="utf-8")
    site = site_factory(
        {
            "content/index.en-US.md": page("Home", "{{< greeting >}}"),
            "plugins/japan.py": japan.replace(
                'greeting_anonymous="お客様"', 'greeting_anonymous="皆様"'
            ),
        },
        config=CONFIG.replace('"de-DE"]', '"de-DE", "ja-JP"]'),
    )
    names = [info.name for info in load_plugins(site).plugins]
    assert "bundled:japan" not in names and names[-1] == "site:japan"
    assert run_cli(site, "build").exit_code == 0
    assert "<p>皆様</p>" in (site / "public/ja-jp/index.html").read_text("utf-8")
