"""Shared fixtures: tiny sites written from dicts, the built example site, the CLI."""

from __future__ import annotations

import os
import signal
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, settings

from locgen.cli import cli
from sitekit import copy_example_site

DEFAULT_CONFIG = """\
[site]
title = "Test Site"
base_url = "https://test.example/"
default_locale = "en-US"
locales = ["en-US", "de-DE"]
"""

SiteFactory = Callable[..., Path]

# Hypothesis profiles. "default" keeps the suite fast and deterministic: a modest
# number of examples, derived from each test's name rather than a random seed, and
# no example database, so CI runs the same inputs every time. "campaign"
# (`pytest --hypothesis-profile=campaign tests/test_fuzz.py`) searches long and at
# random; LOCGEN_CAMPAIGN_EXAMPLES sets how many examples each test gets.
settings.register_profile(
    "default",
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "campaign",
    max_examples=int(os.environ.get("LOCGEN_CAMPAIGN_EXAMPLES", "20000")),
    deadline=None,
    derandomize=False,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile("default")


def pytest_configure(config: pytest.Config) -> None:
    """Give the run the usual Ctrl-C.

    A shell without job control starts a background command (`.ci/run &`) with
    Ctrl-C ignored, and the servers the tests start and stop with Ctrl-C would
    inherit that; a signal handler, unlike an ignored signal, is not inherited.
    """
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite tests/golden/ from the current output",
    )


@pytest.fixture
def site_factory(tmp_path: Path) -> SiteFactory:
    """Write a site from ``{relative path: text}`` and return its folder.

    ``config`` replaces the default two-locale ``locgen.toml``; text is dedented.
    """

    def make(
        files: dict[str, str | bytes] | None = None,
        config: str = DEFAULT_CONFIG,
        name: str = "site",
    ) -> Path:
        root = tmp_path / name
        root.mkdir()
        (root / "locgen.toml").write_text(textwrap.dedent(config), encoding="utf-8")
        for rel, text in (files or {}).items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return root

    return make


@pytest.fixture
def run_cli(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Run ``locgen ARGS`` in folder *cwd* through click's CliRunner."""

    def invoke(cwd: Path, *args: str) -> Result:
        monkeypatch.chdir(cwd)
        return CliRunner().invoke(cli, list(args), catch_exceptions=False)

    return invoke


@pytest.fixture(scope="session")
def example_output(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The example site built once for the session; returns its output folder."""
    from locgen.build import BuildRequest, build_site

    site = copy_example_site(tmp_path_factory.mktemp("example") / "site")
    build_site(BuildRequest(root=site))
    yield site / "public"
