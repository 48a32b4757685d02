"""Large and odd inputs: built within documented limits, or refused with a located message.

Memory is measured on a real ``locgen build`` subprocess (its peak resident set
size), so these tests assert a resource bound, not a timing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from locgen.sources import within_yaml_bounds
from locgen.textfiles import (
    MAX_MARKDOWN_NESTING,
    MAX_TEXT_FILE_BYTES,
    MAX_YAML_DEPTH,
    MAX_YAML_NODES,
)
from sitekit import page, tree_digest

REPO_SRC = Path(__file__).resolve().parent.parent / "src"
ONE_GIB_KIB = 1024 * 1024
"""ru_maxrss is in KiB on Linux."""

# Runs locgen in a child and prints the child's peak RSS, so that only that build is measured.
_MEASURE = """\
import resource, subprocess, sys
done = subprocess.run([sys.executable, "-m", "locgen", *sys.argv[1:]], capture_output=True)
sys.stdout.write(done.stdout.decode("utf-8", "replace"))
sys.stderr.write(done.stderr.decode("utf-8", "replace"))
print(f"peak-rss-kib={resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}")
sys.exit(done.returncode)
"""


def build_measured(site: Path, *args: str) -> tuple[int, str, str, int]:
    """Run ``locgen build`` in *site* in a subprocess: (exit code, stdout, stderr, peak RSS KiB)."""
    env = {**os.environ, "PYTHONPATH": str(REPO_SRC), "CI": "true"}
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, "build", *args],
        cwd=site,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    stdout, _, peak = done.stdout.rpartition("peak-rss-kib=")
    return done.returncode, stdout, done.stderr, int(peak)


def assert_one_located_error(stderr: str, where: str, message: str) -> None:
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr
    assert f"error: {where}: {message}" in stderr, stderr
    assert stderr.count("error:") == 1, stderr


# --- size -----------------------------------------------------------------------------------


def test_a_20_mb_markdown_file_is_refused_clearly_with_memory_bounded(site_factory) -> None:
    paragraph = "Lorem ipsum *dolor* sit amet, [consectetur](https://x.example/) elit.\n\n"
    body = paragraph * (20 * 1024 * 1024 // len(paragraph))
    site = site_factory({"content/index.en-US.md": page("Home", body)})

    code, _, stderr, peak = build_measured(site)

    assert code == 1
    assert_one_located_error(
        stderr,
        "content/index.en-US.md",
        f"file is too large (20.0 MiB; locgen reads text files of up to "
        f"{MAX_TEXT_FILE_BYTES // 1024 // 1024} MiB)",
    )
    assert "hint: split it into several files" in stderr
    assert peak < ONE_GIB_KIB
    assert not (site / "public").exists()


@pytest.mark.parametrize(
    "rel",
    ["locgen.toml", "locales/de_DE/LC_MESSAGES/messages.po", "phrasebook.yaml"],
)
def test_other_text_files_over_the_limit_are_refused(site_factory, run_cli, rel: str) -> None:
    site = site_factory({"content/index.en-US.md": page("Home")})
    path = site / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    original = path.read_bytes() if path.exists() else b""
    path.write_bytes(original + b"#" * (MAX_TEXT_FILE_BYTES + 1) + b"\n")

    result = run_cli(site, "build")

    assert result.exit_code == 1, result.output
    assert f"{rel}: file is too large" in result.stderr


@pytest.mark.slow
def test_100_000_tiny_files_in_many_folders_are_copied_with_memory_bounded(tmp_path) -> None:
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "locgen.toml").write_text(
        '[site]\ntitle = "T"\ndefault_locale = "en-US"\nlocales = ["en-US", "de-DE"]\n',
        encoding="utf-8",
    )
    (site / "content" / "index.en-US.md").write_text(page("Home"), encoding="utf-8")
    for folder in range(1_000):
        # Raw os calls: creating 100,000 files through pathlib doubles this test's time.
        base = os.path.join(site, "content", "files", f"d{folder:03d}")
        os.makedirs(base)
        for number in range(100):
            fd = os.open(os.path.join(base, f"f{number:02d}.txt"), os.O_WRONLY | os.O_CREAT)
            os.write(fd, f"{folder}-{number}\n".encode())
            os.close(fd)

    code, _, stderr, peak = build_measured(site, "-j", "1")

    assert code == 0, stderr
    copied = site / "public" / "files"
    assert sum(len(files) for _, _, files in os.walk(copied)) == 100_000
    assert (copied / "d999" / "f99.txt").read_text(encoding="utf-8") == "999-99\n"
    assert peak < ONE_GIB_KIB


# --- nesting -----------------------------------------------------------------------------------


LISTS_TOO_DEEP = f"lists or quotes are nested more than {MAX_MARKDOWN_NESTING} levels deep"
BRACKETS_TOO_DEEP = f"more than {MAX_MARKDOWN_NESTING} brackets [ are open at once"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        pytest.param("- " * 10_000 + "deep", LISTS_TOO_DEEP, id="bullets"),
        pytest.param("1. " * 10_000 + "deep", LISTS_TOO_DEEP, id="numbers"),
        pytest.param("> - " * 5_000 + "deep", LISTS_TOO_DEEP, id="quotes-and-bullets"),
        # Python-Markdown takes time growing with the square of the open brackets.
        pytest.param("[" * 10_000 + "x" + "]" * 10_000, BRACKETS_TOO_DEEP, id="brackets"),
        pytest.param("[" * 10_000, BRACKETS_TOO_DEEP, id="brackets-never-closed"),
    ],
)
def test_markdown_nested_10_000_levels_is_refused_with_the_line(
    site_factory, run_cli, line: str, message: str
) -> None:
    site = site_factory({"content/index.en-US.md": page("Home", "Intro.\n\n" + line)})

    result = run_cli(site, "build")

    assert result.exit_code == 1, result.output
    assert_one_located_error(result.stderr, "content/index.en-US.md:7", message)


def test_markdown_nested_too_deep_on_the_first_line_is_refused(site_factory, run_cli) -> None:
    deep = "---\ntitle: Home\n---\n" + "\t" * 101 + "- deep\n"  # the body's first line
    site = site_factory({"content/index.en-US.md": deep})

    result = run_cli(site, "build")

    assert result.exit_code == 1, result.output
    assert_one_located_error(result.stderr, "content/index.en-US.md:4", LISTS_TOO_DEEP)


def test_many_brackets_that_close_build(site_factory, run_cli) -> None:
    text = "[[tone direct: Buy | indirect: Explore]] [a] \\[ " * 2_000
    site = site_factory({"content/index.en-US.md": page("Home", text)})

    result = run_cli(site, "build")

    assert result.exit_code == 0, result.output


def test_lists_nested_to_the_limit_render(site_factory, run_cli) -> None:
    indented = "\n".join("    " * level + "- level" for level in range(MAX_MARKDOWN_NESTING // 2))
    site = site_factory(
        {
            "content/index.en-US.md": page(
                "Home", "- " * (MAX_MARKDOWN_NESTING - 1) + "deepest\n\n" + indented
            )
        }
    )

    result = run_cli(site, "build")

    assert result.exit_code == 0, result.output
    html = (site / "public" / "en-us" / "index.html").read_text(encoding="utf-8")
    assert html.count("<ul>") >= MAX_MARKDOWN_NESTING - 1
    assert "deepest" in html
    assert html.count("level") == MAX_MARKDOWN_NESTING // 2


def test_deep_indentation_inside_fenced_code_is_not_nesting(site_factory, run_cli) -> None:
    code = "```\n" + " " * 1_000 + "- not a list\n```"
    site = site_factory({"content/index.en-US.md": page("Home", code)})

    result = run_cli(site, "build")

    assert result.exit_code == 0, result.output


def test_front_matter_nested_10_000_levels_is_refused(site_factory, run_cli) -> None:
    # libyaml's composer recurses in C: this document used to crash the process.
    deep = "x: " + "[" * 10_000 + "]" * 10_000
    site = site_factory({"content/index.en-US.md": f"---\ntitle: Home\n{deep}\n---\nText\n"})

    result = run_cli(site, "build")

    assert result.exit_code == 1, result.output
    # locgen's own limit, or the one newer libyaml scanners apply while looking ahead
    # (then the message is libyaml's): either way one error at the line.
    ours = f"front matter is nested more than {MAX_YAML_DEPTH} levels deep"
    theirs = "invalid YAML in front matter: while increasing flow level, exceeded maximum"
    message = ours if ours in result.stderr else theirs
    assert_one_located_error(result.stderr, "content/index.en-US.md:3", message)


def test_config_nested_10_000_levels_is_refused(site_factory, run_cli) -> None:
    site = site_factory(
        {"content/index.en-US.md": page("Home")},
        config='[site]\ntitle = "T"\ndefault_locale = "en-US"\nlocales = ["en-US"]\n'
        "[params]\ndeep = " + "[" * 10_000 + "]" * 10_000 + "\n",
    )

    result = run_cli(site, "build")

    assert result.exit_code == 1, result.output
    assert_one_located_error(
        result.stderr,
        "locgen.toml:6",
        "invalid TOML: arrays or inline tables nested too deeply to read",
    )


# --- YAML alias bombs -----------------------------------------------------------------------------

BILLION_LAUGHS = "\n".join(
    [
        'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
        *(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)),
    ]
)
"""Ten lines that stand for 9**10 (3.5 billion) strings."""


def test_alias_bomb_in_front_matter_is_refused_with_memory_bounded(site_factory) -> None:
    site = site_factory(
        {"content/index.en-US.md": f"---\ntitle: Home\n{BILLION_LAUGHS}\n---\nText\n"}
    )

    code, _, stderr, peak = build_measured(site)

    assert code == 1
    assert_one_located_error(
        stderr,
        # a5 is where the count passes the limit: 9**6 values.
        "content/index.en-US.md:8",
        f"front matter holds more than {MAX_YAML_NODES:,} values "
        "(aliases counted each time they repeat a value)",
    )
    assert peak < ONE_GIB_KIB


def test_alias_bomb_in_the_phrasebook_is_refused_with_memory_bounded(site_factory) -> None:
    # The phrases of one language are the bomb: "en: *a9".
    bomb = "\n".join(f"    {line}" for line in BILLION_LAUGHS.replace("a0: ", "x: ").split("\n"))
    site = site_factory(
        {
            "content/index.en-US.md": page("Home"),
            "phrasebook.yaml": f"indirect:\n  de:\n{bomb}\n  en: *a9\n",
        }
    )

    code, _, stderr, peak = build_measured(site)

    assert code == 1
    assert "phrasebook.yaml:" in stderr
    assert f"holds more than {MAX_YAML_NODES:,} values" in stderr
    assert "Traceback" not in stderr
    assert peak < ONE_GIB_KIB


def test_alias_that_contains_itself_is_refused(site_factory, run_cli) -> None:
    site = site_factory({"content/index.en-US.md": "---\ntitle: Home\nx: &s\n  a: *s\n---\n"})

    result = run_cli(site, "build")

    assert result.exit_code == 1, result.output
    assert_one_located_error(
        result.stderr,
        "content/index.en-US.md:4",
        "front matter contains itself: *s is used inside &s",
    )


def test_aliases_within_the_limits_still_work(site_factory, run_cli) -> None:
    site = site_factory(
        {
            "content/index.en-US.md": "---\ntitle: &t Home\ndescription: *t\n"
            "base: &b {a: 1}\nmore:\n  <<: *b\n  c: 2\n---\nText\n"
        }
    )

    result = run_cli(site, "build")

    assert result.exit_code == 0, result.output
    html = (site / "public" / "en-us" / "index.html").read_text(encoding="utf-8")
    assert 'name="description" content="Home"' in html


@settings(max_examples=600)
@given(st.text(alphabet="-:?[]{},&! \n\t'\"#|>ab1", max_size=40))
def test_yaml_taken_as_within_the_limits_unparsed_is_within_them(text: str) -> None:
    # Short front matter skips the parse that checks the limits: that is only sound if
    # a text's marks bound its depth and its length bounds its values, whatever it says.
    assume(within_yaml_bounds(text))
    depth = deepest = values = 0
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                values += 1
                depth += 1
                deepest = max(deepest, depth)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            elif isinstance(event, yaml.ScalarEvent):
                values += 1
    except yaml.YAMLError:
        pass  # what was read before the error still counts

    assert deepest <= sum(text.count(mark) for mark in "-:?[{")
    assert values <= 2 * len(text) + 2


# --- file names and encodings ---------------------------------------------------------------------

NFC = "Über"
NFD = unicodedata.normalize("NFD", NFC)


@pytest.mark.parametrize("link_form", [NFD, NFC], ids=["link-nfd", "link-nfc"])
def test_decomposed_file_names_build_to_composed_paths(
    site_factory, run_cli, link_form: str
) -> None:
    assert NFD != NFC and len(NFD) == 5
    site = site_factory(
        {
            "content/index.en-US.md": page("Home", f"See [about](/{link_form}/{NFD}-uns.md)."),
            f"content/{NFD}/{NFD}-uns.en-US.md": page("Über uns"),
        }
    )

    first = run_cli(site, "build")
    digest = tree_digest(site / "public")
    second = run_cli(site, "build", "--no-cache")

    assert first.exit_code == 0, first.output
    assert second.exit_code == 0, second.output
    assert tree_digest(site / "public") == digest
    public = site / "public" / "en-us"
    names = {unicodedata.is_normalized("NFC", p.name) for p in public.rglob("*")}
    assert names == {True}
    assert (public / NFC / f"{NFC}-uns" / "index.html").is_file()
    home = (public / "index.html").read_text(encoding="utf-8")
    hrefs = [unquote(part.split('"', 1)[0]) for part in home.split('href="')[1:]]
    assert f"/en-us/{NFC}/{NFC}-uns/" in hrefs


def test_file_names_that_differ_only_in_normalization_are_one_page(site_factory, run_cli) -> None:
    site = site_factory(
        {
            "content/index.en-US.md": page("Home"),
            f"content/{NFC}.en-US.md": page("Composed"),
            f"content/{NFD}.en-US.md": page("Decomposed"),
        }
    )

    result = run_cli(site, "build")

    assert result.exit_code == 1, result.output
    assert f"two files translate '{NFC}' into en-US" in result.stderr


PO_BODY = """\
msgid ""
msgstr ""
"Language: de_DE\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Skip to content"
msgstr "Zum Inhalt springen (Test)"
"""

SITE_FILES = {
    "locgen.toml": (
        '[site]\ntitle = "Zeilen"\nbase_url = "https://lines.example/"\n'
        'default_locale = "en-US"\nlocales = ["en-US", "de-DE"]\n'
        '\n[locales."de-DE"]\ntimezone = "Europe/Berlin"\n'
    ),
    "content/index.en-US.md": (
        "---\ntitle: Home\ndescription: |\n  Two\n  lines\ntags: [a, b]\n---\n\n"
        "# Welcome\n\nBuy now.\n\n::: tone direct\nDirect.\n:::\n::: tone indirect\n"
        "Indirect.\n:::\n\n```\ncode\n  indented\n```\n\n- one\n- two\n"
    ),
    "content/index.de-DE.md": "---\ntitle: Startseite\n---\n\nHallo.\n",
    "content/images/hero.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>\n",
    "content/images/hero.svg.yaml": "tags: [colour:white]\n",
    "locales/de_DE/LC_MESSAGES/messages.po": PO_BODY,
    "phrasebook.yaml": 'indirect:\n  en:\n    "Buy now": "Explore the plans"\n',
}
TEXT_KINDS = (".md", ".toml", ".po", ".yaml")


def write_site(root: Path, *, line_end: str, bom: bool) -> Path:
    for rel, text in SITE_FILES.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if rel.endswith(TEXT_KINDS):
            data = ("\ufeff" if bom else "") + text.replace("\n", line_end)
        else:
            data = text
        path.write_bytes(data.encode("utf-8"))
    return root


@pytest.mark.parametrize(
    ("line_end", "bom"),
    [("\r\n", False), ("\n", True), ("\r\n", True)],
    ids=["crlf", "bom", "crlf-and-bom"],
)
def test_crlf_and_byte_order_marks_give_the_same_output_as_lf(
    tmp_path, run_cli, line_end: str, bom: bool
) -> None:
    plain = write_site(tmp_path / "plain", line_end="\n", bom=False)
    odd = write_site(tmp_path / "odd", line_end=line_end, bom=bom)
    assert (odd / "locgen.toml").read_bytes() != (plain / "locgen.toml").read_bytes()

    for site in (plain, odd):
        result = run_cli(site, "build")
        assert result.exit_code == 0, result.output

    assert tree_digest(odd / "public") == tree_digest(plain / "public")
    # Every file kind was read, not skipped: the phrasebook and the catalog show.
    german = (plain / "public" / "de-de" / "index.html").read_text(encoding="utf-8")
    assert "Zum Inhalt springen (Test)" in german
    manifest = json.dumps(tree_digest(plain / "public"))
    assert "images/hero.svg" in manifest


@pytest.mark.parametrize("charset", ["latin-1", "CHARSET", "utf-16", "nope"])
def test_catalogs_are_read_as_utf8_whatever_charset_the_header_names(
    site_factory, run_cli, charset: str
) -> None:
    catalog = PO_BODY.replace("charset=UTF-8", f"charset={charset}").replace(
        "Zum Inhalt springen (Test)", "Zum Inhalt springen (Übung)"
    )
    site = site_factory(
        {
            "content/index.en-US.md": page("Home"),
            "locales/de_DE/LC_MESSAGES/messages.po": catalog,
        }
    )

    result = run_cli(site, "build")

    assert result.exit_code == 0, result.output
    german = (site / "public" / "de-de" / "index.html").read_text(encoding="utf-8")
    assert "Zum Inhalt springen (Übung)" in german
