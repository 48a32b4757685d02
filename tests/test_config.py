"""locgen.toml: valid configs load into typed settings, mistakes are located errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from locgen.config import load_config
from locgen.errors import ConfigError, UsageError


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "locgen.toml").write_text(text, encoding="utf-8")
    return tmp_path


GOOD = """\
[site]
title = "Acme"
base_url = "https://acme.example"
default_locale = "en-US"
locales = ["en-US", "en-GB", "de-DE", "zh-Hans-CN"]

[locales."en-GB"]
fallback = ["en-US"]
currency = "GBP"
timezone = "Europe/London"

[params]
company = "Acme Inc."
"""


def test_valid_config_is_typed_and_frozen(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GOOD))
    assert config.locales == ("en-US", "en-GB", "de-DE", "zh-Hans-CN")
    assert config.base_url == "https://acme.example/"
    assert config.theme == "default"
    assert config.output_dir == tmp_path / "public"
    assert config.settings("en-GB").fallback == ("en-US",)
    assert config.settings("de-DE").fallback is None
    assert config.params == {"company": "Acme Inc."}
    with pytest.raises(AttributeError):
        config.title = "Other"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        (
            GOOD.replace('title = "Acme"', 'title = "Acme"\ncolour = "red"'),
            "unknown key 'colour' in [site]",
            3,
        ),
        (GOOD + "\n[plugins]\nx = 1\n", "unknown table [plugins]", 15),
        (GOOD.replace('"de-DE",', '"xx-QQ",'), "unknown locale 'xx-QQ'", 5),
        (GOOD.replace('"de-DE",', '"de_DE",'), "'de_DE' is not a BCP 47 locale tag", 5),
        (
            GOOD.replace('default_locale = "en-US"', 'default_locale = "fr-FR"'),
            "default_locale 'fr-FR' is not in [site].locales",
            4,
        ),
        (GOOD.replace('currency = "GBP"', 'currency = "GBX"'), "unknown currency 'GBX'", 9),
        (
            GOOD.replace('fallback = ["en-US"]', 'fallback = ["fr-FR"]'),
            "fallback locale 'fr-FR' is not in [site].locales",
            8,
        ),
        (
            GOOD.replace('timezone = "Europe/London"', 'timezone = "Mars/Olympus"'),
            "unknown time zone 'Mars/Olympus'",
            10,
        ),
        (GOOD + '\n[locales."it-IT"]\ntitle = "x"\n', "names a locale that is not in", 15),
        (
            GOOD.replace('locales = ["en-US", "en-GB", "de-DE", "zh-Hans-CN"]', "locales = []"),
            "[site].locales must be a non-empty list",
            5,
        ),
        (GOOD.replace('title = "Acme"\n', ""), "[site].title is required", 1),
        (GOOD.replace("[site]", '[site]\ntheme = "fancy"'), "unknown theme 'fancy'", 2),
    ],
)
def test_config_mistakes_are_located(tmp_path: Path, text: str, message: str, line: int) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text))
    error = caught.value
    assert message in error.message
    assert error.path == tmp_path / "locgen.toml"
    assert error.line == line
    assert error.hint


def test_toml_syntax_error_names_the_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, GOOD.replace('title = "Acme"', 'title = "Acme')))
    assert caught.value.line == 2
    assert "invalid TOML" in caught.value.message


def test_missing_config_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as caught:
        load_config(tmp_path)
    assert "locgen init" in (caught.value.hint or "")


def test_site_theme_folder_is_found(tmp_path: Path) -> None:
    (tmp_path / "themes" / "fancy" / "templates").mkdir(parents=True)
    config = load_config(write(tmp_path, GOOD.replace("[site]", '[site]\ntheme = "fancy"')))
    assert config.theme_dir == tmp_path / "themes" / "fancy"
