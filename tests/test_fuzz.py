"""Whatever a user writes, ``locgen build`` either builds or names the file at fault.

Each test writes a small site with one file drawn by hypothesis — front matter,
Markdown with culture blocks and shortcodes, ``locgen.toml``, a PO catalog or
the phrasebook — runs ``locgen build`` through the CLI and requires exit 0, or
exit 1 with one message that names a file of the site (and the line, for a file
that does not parse). An internal error (exit 3) or a traceback fails the test.

The inputs are both near-valid (real files, mutated: wrong types, broken
indentation, tabs, unclosed blocks, bad headers) and raw random text or bytes.
``pytest --hypothesis-profile=campaign tests/test_fuzz.py`` runs a long
campaign (see ``tests/conftest.py``).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import chdir, contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import event, example, given
from hypothesis import strategies as st

from locgen.cli import cli
from locgen.config import TABLE_KEYS as KNOWN_KEYS
from sitekit import page

LOCALES = ("en-US", "de-DE", "ja-JP")

BASE_CONFIG = """\
[site]
title = "Fuzz"
base_url = "https://fuzz.example/"
default_locale = "en-US"
locales = ["en-US", "de-DE", "ja-JP"]

[support]
timezone = "Europe/Berlin"
days = "mon-fri"
hours = "09:00-17:00"
channels = { email = "mailto:help@fuzz.example" }

[email]
merge_tags = "liquid"
merge_fields = ["plan", "subscriber_id"]
unsubscribe_url = "https://fuzz.example/unsubscribe?id={subscriber_id}"

[build]
cache_dir = "{cache}"
"""

BASE_FILES: dict[str, str] = {
    "content/index.en-US.md": page("Home", "Welcome. [Pricing](/product/pricing.md)"),
    "content/index.de-DE.md": page("Startseite"),
    "content/product/pricing.en-US.md": page("Pricing", "Plans."),
    "content/emails/welcome.en-US.md": (
        "---\ntitle: Welcome\nsubject: Welcome aboard\npreheader: Hello\n---\n\n"
        '{{< greeting given="Anna" >}}\n\nThanks.\n'
    ),
}

PO_HEADER = """\
msgid ""
msgstr ""
"Project-Id-Version: fuzz 1.0\\n"
"Language: de_DE\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=utf-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"""

FUZZ_CATALOG = "locales/de_DE/LC_MESSAGES/messages.po"


# --- running a build and judging what the user sees ---------------------------------


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One build cache for every example: compiled templates are reused, pages are not."""
    return tmp_path_factory.mktemp("fuzz-cache")


@contextmanager
def site_with(cache: Path, files: dict[str, str | bytes]) -> Iterator[Path]:
    """A throw-away site: the base files, with *files* (``None`` text deletes) over them."""
    folder = Path(tempfile.mkdtemp(prefix="locgen-fuzz-"))
    try:
        written: dict[str, str | bytes] = {
            "locgen.toml": BASE_CONFIG.replace("{cache}", cache.as_posix()),
            **BASE_FILES,
            **files,
        }
        for rel, text in written.items():
            path = folder / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(text, encoding="utf-8", newline="")
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def build(site: Path) -> Result:
    """``locgen build -j 1`` in *site*, as a user runs it."""
    with chdir(site):
        return CliRunner().invoke(cli, ["build", "-j", "1"], catch_exceptions=False)


ERROR_LINE = re.compile(r"^error: ", re.MULTILINE)
FAILED_LINE = re.compile(r"^build failed: ", re.MULTILINE)
LOCATED = re.compile(r"^(?:error: |warning: |)(?P<path>[^\s:][^:\n]*?)(?::(?P<line>\d+))?: ", re.M)
SYNTAX_ERRORS = ("invalid YAML", "invalid TOML", "invalid PO file", "is not valid UTF-8")


def assert_builds_or_names_the_file(result: Result, site: Path, fuzzed: str) -> None:
    """Exit 0, or exit 1 with one error naming a file of *site*; never exit 3 or a traceback.

    When the error is a syntax error in the *fuzzed* file, it must give the line.
    """
    output = result.output
    assert "Traceback" not in output, output
    assert "internal error" not in output, output
    assert result.exit_code in (0, 1), f"exit {result.exit_code}\n{output}"
    if result.exit_code == 0:
        assert (site / "public" / "index.html").is_file()
        return
    stderr = result.stderr
    # One error, or the findings that failed the build and one line saying so.
    if not FAILED_LINE.search(stderr):
        assert len(ERROR_LINE.findall(stderr)) == 1, stderr
    blamed = {
        match.group("path"): match.group("line")
        for match in LOCATED.finditer(stderr)
        if (site / match.group("path")).exists()
    }
    assert blamed, f"the error names no file of the site:\n{stderr}"
    if any(kind in stderr for kind in SYNTAX_ERRORS) and fuzzed in blamed:
        assert blamed[fuzzed] is not None, f"a syntax error without a line:\n{stderr}"


def check(cache: Path, files: dict[str, str | bytes], fuzzed: str) -> None:
    """Build the base site with *files* over it and judge the outcome."""
    with site_with(cache, files) as site:
        result = build(site)
        # Shown by --hypothesis-show-statistics: how often each outcome was reached.
        event(f"exit {result.exit_code}: {outcome(result.stderr)}")
        assert_builds_or_names_the_file(result, site, fuzzed)


def outcome(stderr: str) -> str:
    """The kind of error in *stderr*, without the parts that vary (paths, values, lines)."""
    match = re.search(r"^(?:error|build failed): (?:[^\s:]+(?::\d+)?: )?(.*)$", stderr, re.M)
    if match is None:
        return "built"
    return re.sub(r"'[^']*'|\d+", "_", match.group(1))[:60]


# --- generic text mutations -----------------------------------------------------------

ODD_TEXT = st.sampled_from(
    [
        "\t",
        "  ",
        ":",
        ": ",
        "- ",
        "---",
        "...",
        "'",
        '"',
        "[",
        "]",
        "{",
        "}",
        "&a ",
        "*a",
        "!!python/object:os.system ",
        "!!binary ",
        "\x00",
        "\x1b",
        "\u2028",
        "\ufeff",
        "\r",
        "\r\n",
        "#",
        "%",
        "|",
        ">",
        "?",
        "@",
        "`",
        "\\",
        "Ü",
        "日本",
        "\U0001f600",
        "\ud7ff",
        ":::",
        "[[",
        "]]",
        "{{<",
        ">}}",
        "{{",
        "}}",
        "{%",
        "%}",
        "<div>",
        "</div>",
        "<!--",
        "-->",
        "```",
        "~~~",
        "    ",
        "\n",
        "\n\n",
    ]
)


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    """*text* with a few lines dropped, repeated, re-indented or spliced with odd text."""
    lines = text.split("\n")
    for _ in range(draw(st.integers(0, 4))):
        if not lines:
            break
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["drop", "repeat", "indent", "tab", "splice", "swap"]))
        if action == "drop":
            del lines[index]
        elif action == "repeat":
            lines.insert(index, lines[index])
        elif action == "indent":
            lines[index] = " " * draw(st.integers(1, 5)) + lines[index]
        elif action == "tab":
            lines[index] = "\t" + lines[index]
        elif action == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
        else:
            line = lines[index]
            at = draw(st.integers(0, len(line)))
            odd = draw(st.one_of(ODD_TEXT, st.text(max_size=8)))
            lines[index] = line[:at] + odd + line[at:]
    return "\n".join(lines)


def line_ends(text: str, style: str) -> str:
    return text.replace("\n", style)


# --- front matter ----------------------------------------------------------------------

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.dates(),
    st.sampled_from(["2026-13-45", "2026-02-30", "soon", "[[tone direct: a | indirect: b]]"]),
    st.sampled_from(["/product/pricing.md", "../x.md", "/images/none.png", "preise", "a/b"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
FRONT_MATTER_KEYS = st.one_of(
    st.sampled_from(
        [
            "title",
            "description",
            "slug",
            "date",
            "send_date",
            "draft",
            "template",
            "weight",
            "menu",
            "image",
            "image_tags",
            "tags",
            "toc",
            "max_angles",
            "source_hash",
            "category",
            "greeting",
            "hero",
            "features",
            "plans",
            "cta_link",
            "cta_label",
            "subject",
            "preheader",
        ]
    ),
    st.text(min_size=1, max_size=10),
)


def yaml_text(meta: dict[str, object]) -> str:
    """Front matter as a user might write it: one ``key: value`` line each (JSON is YAML)."""
    return "\n".join(
        f"{json.dumps(key, ensure_ascii=False)}: {yaml_value(value)}" for key, value in meta.items()
    )


def yaml_value(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value != value:
        return ".nan"
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return ".inf" if value > 0 else "-.inf"
    # Not ASCII-escaped: YAML refuses JSON's escaped surrogate pairs ("\\ud83d\\ude00").
    return json.dumps(value, default=str, ensure_ascii=False)


@st.composite
def front_matter_pages(draw: st.DrawFn) -> str:
    meta = draw(st.dictionaries(FRONT_MATTER_KEYS, VALUES, max_size=6))
    if draw(st.booleans()):
        meta.setdefault("title", "Home")
    body = draw(st.sampled_from(["Text.", "", "---", "# Heading\n\nText.", "- a\n- b"]))
    text = f"---\n{yaml_text(meta)}\n---\n\n{body}\n"
    if draw(st.booleans()):
        text = draw(mutated(text))
    return text


@st.composite
def yaml_structures(draw: st.DrawFn) -> str:
    """Front matter with YAML's own machinery: anchors, aliases, tags, merge keys, blocks."""
    parts = draw(
        st.lists(
            st.sampled_from(
                [
                    "title: Home",
                    "base: &b {title: X, slug: y}",
                    "<<: *b",
                    "<<: [*b, *b]",
                    "list: &l [1, 2, *l]",
                    "self: &s\n  a: *s",
                    "tags: !!set {a, b}",
                    "tags: !!omap [a: 1]",
                    "date: !!timestamp 2026-01-01",
                    "weight: !!int 0x1F",
                    "weight: !!float 1e400",
                    "title: !!binary aGVsbG8=",
                    "title: !custom x",
                    "title: |\n  multi\n  line",
                    "title: >-\n  folded\n\ttext",
                    "? complex\n: key",
                    "? [a, b]\n: v",
                    "title: 'unterminated",
                    'title: "esc \\x"',
                    "title: *undefined",
                    "%YAML 1.1",
                    "--- !!map",
                    "[unclosed",
                    "{a: 1",
                    "- item",
                    "  indented: x",
                    "\tTab: x",
                    "title: x\x00",
                    "title: \x85",
                ]
            ),
            min_size=1,
            max_size=6,
        )
    )
    return "---\n" + "\n".join(parts) + "\n---\n\nText.\n"


@given(
    text=st.one_of(front_matter_pages(), yaml_structures()),
    ends=st.sampled_from(["\n", "\r\n"]),
    bom=st.booleans(),
)
@example(text="---\ntitle: Home\n", ends="\n", bom=False)
@example(text="---\n: x\n---\n", ends="\n", bom=False)
@example(text="---\ntitle: Home\n---\n", ends="\r\n", bom=True)
def test_front_matter(cache_dir: Path, text: str, ends: str, bom: bool) -> None:
    rel = "content/index.en-US.md"
    data = ("\ufeff" if bom else "") + line_ends(text, ends)
    check(cache_dir, {rel: data}, rel)


# --- Markdown with culture blocks and shortcodes ------------------------------------------

KINDS = st.sampled_from(["tone", "formality", "angle", "Tone", "colour", ""])
KIND_VALUES = st.sampled_from(
    [
        "direct",
        "indirect",
        "formal",
        "informal",
        "innovation",
        "stability",
        "price",
        "service",
        "individual",
        "collective",
        "",
        "direct extra",
        "日本",
    ]
)


@st.composite
def culture_markers(draw: st.DrawFn) -> str:
    indent = " " * draw(st.integers(0, 5))
    colons = draw(st.sampled_from([":::", "::::", "::", ":::"]))
    if draw(st.integers(0, 3)) == 0:
        return indent + colons + draw(st.sampled_from(["", " ", "\t"]))
    tail = draw(st.sampled_from(["", " ", " {#x}"]))
    return f"{indent}{colons} {draw(KINDS)} {draw(KIND_VALUES)}{tail}"


@st.composite
def inline_forms(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["tone", "formality", "angle", "x"]))
    choices = draw(
        st.lists(
            st.tuples(
                KIND_VALUES, st.text(alphabet=st.characters(exclude_characters="[]|"), max_size=8)
            ),
            max_size=3,
        )
    )
    seps = draw(st.sampled_from([":", "", "::"]))
    body = " | ".join(f"{value}{seps} {text}" for value, text in choices)
    return f"[[{kind} {body}]]"


SHORTCODE_NAMES = st.sampled_from(
    [
        "greeting",
        "sign_off",
        "support_hours",
        "response_time",
        "support_channels",
        "merge",
        "button",
        "nope",
        "1bad",
        "",
    ]
)
SHORTCODE_ARGS = st.one_of(
    st.sampled_from(
        [
            'given="Anna"',
            'family="Schmidt"',
            'gender="female"',
            'gender="x"',
            'title="Dr."',
            'url="https://x.example/"',
            'url=""',
            "url=merge(plan)",
            "url=merge(nope)",
            "first_name",
            "plan",
            '"Get started"',
            '"unterminated',
            "'single'",
            "a=b=c",
            "=",
            "\\",
            "person=x",
        ]
    ),
    st.text(max_size=10),
)


@st.composite
def shortcodes(draw: st.DrawFn) -> str:
    name = draw(SHORTCODE_NAMES)
    args = " ".join(draw(st.lists(SHORTCODE_ARGS, max_size=4)))
    if draw(st.integers(0, 5)) == 0:
        return f"{{{{</* {name} {args} */>}}}}"
    close = draw(st.sampled_from([">}}", ">}}", "}}", ""]))
    return f"{{{{< {name} {args} {close}"


MARKDOWN_LINES = st.one_of(
    culture_markers(),
    culture_markers(),
    inline_forms(),
    shortcodes(),
    st.sampled_from(
        [
            "",
            "",
            "Plain text.",
            "# Heading",
            "## Heading {: #id }",
            "- item",
            "    - nested",
            "1. one",
            "> quote",
            "```",
            "~~~",
            "```python",
            "    code",
            "| a | b |",
            "|---|---|",
            "[link](/product/pricing.md)",
            "[gone](/nope.md)",
            "[rel](../x.md#frag)",
            "![img](/images/none.png)",
            "text[^1]",
            "[^1]: note",
            "<div markdown=1>",
            "</div>",
            "<!-- locgen-disable culture.tone -->",
            "<!-- locgen-",
            "`code {{< greeting >}}`",
            "*emph **strong***",
            "{: .note }",
            "[TOC]",
            "\\",
            "---",
        ]
    ),
    st.text(max_size=30),
)


@st.composite
def markdown_pages(draw: st.DrawFn) -> str:
    lines = draw(st.lists(MARKDOWN_LINES, max_size=25))
    text = "---\ntitle: Home\n---\n\n" + "\n".join(lines) + "\n"
    if draw(st.booleans()):
        text = draw(mutated(text))
    return text


VALID_BLOCKS = """\
---
title: Home
max_angles: 2
---

::: tone direct
Upgrade today. {{< support_hours >}}
:::

::: tone indirect
When it suits you. [[formality formal: Contact us | informal: Ping us]]
:::

::: angle price
Cheap.
:::
::: angle service
Helpful. {{< response_time >}}
:::

::: formality formal
{{< greeting given="Anna" family="Schmidt" gender="female" >}}
::: tone direct
Nested.
:::
:::
"""


@given(
    text=st.one_of(markdown_pages(), mutated(VALID_BLOCKS)),
    rel=st.sampled_from(["content/index.en-US.md", "content/emails/welcome.en-US.md"]),
)
@example(
    text="---\ntitle: Home\n---\n\n::: tone direct\nNever closed.\n", rel="content/index.en-US.md"
)
@example(text=VALID_BLOCKS, rel="content/index.en-US.md")
def test_markdown_with_culture_blocks_and_shortcodes(cache_dir: Path, text: str, rel: str) -> None:
    if rel.startswith("content/emails/"):
        text = text.replace("title: Home", "title: Welcome\nsubject: Hi {{< merge plan >}}", 1)
    check(cache_dir, {rel: text}, rel)


# --- locgen.toml -------------------------------------------------------------------------

TOML_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)
"""Text TOML can hold (no lone surrogates, which no escape can write)."""
TOML_SCALARS = st.one_of(
    st.booleans(),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=True),
    TOML_TEXT,
    st.dates(),
    st.datetimes(),
    st.times(),
    st.sampled_from(
        [
            "en-US",
            "de-DE",
            "ja-JP",
            "fr-FR",
            "qq-ZZ",
            "en_US",
            "EN-us",
            "x",
            "Europe/Berlin",
            "Mars/Olympus",
            "../../etc",
            "/",
            "default",
            "nope",
            "mon-fri",
            "09:00-17:00",
            "25:00-26:00",
            "liquid",
            "handlebars",
            "mailchimp",
            "jinja",
            "postmark",
            "off",
            "error",
        ]
    ),
)
TOML_VALUES = st.recursive(
    TOML_SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.text(st.characters(exclude_categories=["Cs"]), max_size=6), inner, max_size=3
        ),
    ),
    max_leaves=8,
)
TABLE_KEYS = {
    # Every key the config accepts, so a new setting is fuzzed as soon as it exists.
    **{name: sorted(keys) for name, keys in KNOWN_KEYS.items() if name != "locales.<tag>"},
    'locales."de-DE"': sorted(KNOWN_KEYS["locales.<tag>"]),
    'locales."fr-FR"': ["fallback"],
    "checks": ["rules", "override", "tone"],
    "params": ["anything"],
    "cultures.japan": ["formality", "response_hours", "tone"],
    "cultures.nowhere": ["tone"],
    "unknown": ["x"],
}


def toml_value(value: object) -> str:
    """*value* as TOML (inline tables and arrays; strings JSON-escaped, which TOML reads)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value != value:
            return "nan"
        if value in (float("inf"), float("-inf")):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        items = ", ".join(f"{json.dumps(k)} = {toml_value(v)}" for k, v in value.items())
        return "{" + items + "}"
    return json.dumps(value)


@st.composite
def configs(draw: st.DrawFn) -> str:
    """The base config with some keys set to random values, some tables added."""
    lines = BASE_CONFIG.split("\n")
    tables = draw(st.lists(st.sampled_from(sorted(TABLE_KEYS)), max_size=3, unique=True))
    for table in tables:
        keys = draw(
            st.lists(st.sampled_from(TABLE_KEYS[table]), min_size=1, max_size=3, unique=True)
        )
        body = [f"{key} = {toml_value(draw(TOML_VALUES))}" for key in keys]
        header = f"[{table}]"
        if header in lines:
            # Replace keys in an existing table by putting them first under its header.
            at = lines.index(header) + 1
            taken = {line.split("=")[0].strip() for line in body}
            lines = [line for line in lines if line.split("=")[0].strip() not in taken]
            at = lines.index(header) + 1
            lines[at:at] = body
        else:
            lines += ["", header, *body]
    text = "\n".join(lines)
    if draw(st.booleans()):
        text = draw(mutated(text))
    return text


@given(text=configs(), ends=st.sampled_from(["\n", "\r\n"]), bom=st.booleans())
@example(text="[site]\ntitle = 'x'\n[site]\n", ends="\n", bom=False)
@example(text='[site]\nlocales = "en-US"\n', ends="\n", bom=False)
def test_config(cache_dir: Path, text: str, ends: str, bom: bool) -> None:
    # Keep the shared cache whatever the config says, unless the mutation broke that line.
    data = ("\ufeff" if bom else "") + line_ends(
        text.replace("{cache}", cache_dir.as_posix()), ends
    )
    check(cache_dir, {"locgen.toml": data}, "locgen.toml")


# --- PO catalogs -----------------------------------------------------------------------------

PO_STRINGS = st.one_of(
    st.sampled_from(
        [
            "Read more",
            "Home",
            "Menu",
            "%(site)s",
            "%(sitee)s",
            "%(site)d",
            "%s",
            "%",
            "100%",
            "{site}",
            "%(count)s item",
            "\\n",
            "\\",
            '\\"',
            "Ü",
        ]
    ),
    st.text(alphabet=st.characters(exclude_characters='"\\\n\r'), max_size=12),
)
PLURAL_FORMS = st.one_of(
    st.sampled_from(
        [
            "nplurals=2; plural=(n != 1);",
            "nplurals=1; plural=0;",
            "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 ? 1 : 2);",
            "nplurals=2; plural=(n != 1",
            "nplurals=x; plural=n;",
            "nplurals=2; plural=import os;",
            "nplurals=2;",
            "plural=n;",
            "nplurals=0; plural=0;",
            "nplurals=2; plural=n/0;",
            "nplurals=2; plural=((((((((((((((((((((n))))))))))))))))))));",
            "",
        ]
    ),
    st.text(max_size=20).map(lambda s: s.replace('"', "").replace("\\", "")),
)
CHARSETS = st.sampled_from(
    ["utf-8", "UTF-8", "latin-1", "iso-8859-1", "CHARSET", "nope", "utf-16", ""]
)


@st.composite
def po_entries(draw: st.DrawFn) -> str:
    lines: list[str] = []
    if draw(st.booleans()):
        lines.append(
            draw(st.sampled_from(["#, fuzzy", "#, python-format", "#: x.html:1", "#~ old"]))
        )
    if draw(st.booleans()):
        lines.append(f'msgctxt "{draw(st.sampled_from(["formal", "informal", "x", ""]))}"')
    lines.append(f'msgid "{draw(PO_STRINGS)}"')
    if draw(st.booleans()):
        lines.append(f'msgid_plural "{draw(PO_STRINGS)}"')
        for number in range(draw(st.integers(0, 4))):
            lines.append(f'msgstr[{number}] "{draw(PO_STRINGS)}"')
    else:
        lines.append(f'msgstr "{draw(PO_STRINGS)}"')
    return "\n".join(lines)


@st.composite
def catalogs(draw: st.DrawFn) -> str:
    header = PO_HEADER.replace("nplurals=2; plural=(n != 1);", draw(PLURAL_FORMS)).replace(
        "charset=utf-8", "charset=" + draw(CHARSETS)
    )
    entries = draw(st.lists(po_entries(), max_size=6))
    text = header + "\n" + "\n\n".join(entries) + "\n"
    if draw(st.booleans()):
        text = draw(mutated(text))
    return text


@given(
    text=catalogs(),
    ends=st.sampled_from(["\n", "\r\n"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "latin-1"]),
)
@example(text=PO_HEADER + '\nmsgid "Read more"\nmsgstr "Mehr %(x)s"\n', ends="\n", encoding="utf-8")
def test_po_catalog(cache_dir: Path, text: str, ends: str, encoding: str) -> None:
    data = line_ends(text, ends).encode(encoding, errors="replace")
    check(cache_dir, {FUZZ_CATALOG: data}, FUZZ_CATALOG)


# --- the phrasebook ----------------------------------------------------------------------------

PHRASEBOOK = """\
indirect:
  en:
    "Buy now": "Explore the plans"
    "Upgrade": "Consider upgrading"
  de-DE:
    "Jetzt kaufen": "Tarife ansehen"
direct:
  en:
    "Perhaps consider": "Try"
"""


@given(text=st.one_of(mutated(PHRASEBOOK), yaml_structures().map(lambda t: t.strip("-\n"))))
@example(text="indirect:\n  en:\n    'x': [1]\n")
def test_phrasebook(cache_dir: Path, text: str) -> None:
    check(
        cache_dir,
        {"phrasebook.yaml": text, "content/index.en-US.md": page("Home", "Buy now. Upgrade.")},
        "phrasebook.yaml",
    )


# --- raw bytes and text in every kind of file ----------------------------------------------------

FILE_KINDS = [
    "content/index.en-US.md",
    "content/emails/welcome.en-US.md",
    "locgen.toml",
    FUZZ_CATALOG,
    "phrasebook.yaml",
    "content/images/hero.svg.yaml",
]


@given(
    rel=st.sampled_from(FILE_KINDS),
    data=st.one_of(
        st.binary(max_size=200),
        st.text(max_size=200).map(str.encode),
        st.text(max_size=200).map(lambda t: ("---\n" + t).encode()),
    ),
)
def test_raw_bytes(cache_dir: Path, rel: str, data: bytes) -> None:
    files: dict[str, str | bytes] = {rel: data}
    if rel == "content/images/hero.svg.yaml":
        files["content/images/hero.svg"] = "<svg xmlns='http://www.w3.org/2000/svg'/>"
    check(cache_dir, files, rel)
