"""The example site's HTML passes the Nu HTML Checker (vnu) with zero errors."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from sitekit import REPO, web_pages

pytestmark = pytest.mark.slow


def find_vnu() -> Path | None:
    candidates = [
        os.environ.get("LOCGEN_VNU_JAR", ""),
        str(REPO / ".ci/node_modules/vnu-jar/build/dist/vnu.jar"),
    ]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def test_example_site_has_no_html_errors(example_output: Path) -> None:
    jar = find_vnu()
    java = shutil.which("java")
    if jar is None or java is None:
        if os.environ.get("CI"):
            pytest.fail("CI must provide java and vnu.jar (see .ci/run)")
        pytest.skip("needs java and vnu.jar (npm install vnu-jar; set LOCGEN_VNU_JAR)")
    # Web pages only: email HTML is written for mail clients (table attributes,
    # MSO markup) and is checked against their support data in test_emails.py.
    checked = web_pages(example_output)
    result = subprocess.run(
        [java, "-jar", str(jar), "--errors-only", "--format", "json", *map(str, checked)],
        capture_output=True,
        text=True,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    errors = [
        f"{m.get('url', '').split('/public/')[-1]}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") == "error"
    ]
    assert errors == []
    assert len(checked) > 70
