"""Emails: HTML and text parts per locale, merge tags, compliance, manifest, .eml, errors."""

from __future__ import annotations

import email
import email.policy
import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import Result

from locgen.email_text import html_to_text
from sitekit import REPO, tree_digest

LOCALES = ["en-US", "en-GB", "de-DE", "sv-SE", "ja-JP", "zh-CN", "ar-SA", "pt-BR"]
EXAMPLE_EMAILS = ["password-reset", "renewal-reminder", "satisfaction-survey", "welcome"]
TRANSLATED = ["password-reset", "welcome"]


class _Links(HTMLParser):
    """Collects ``<a href>`` targets, ``<style>`` text and the ``dir`` of every element."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.styles: list[str] = []
        self.dirs: dict[str, set[str]] = {}
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.hrefs.append(str(values["href"]))
        if "dir" in values:
            self.dirs.setdefault(tag, set()).add(str(values["dir"]))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)


def parse(html: str) -> _Links:
    parser = _Links()
    parser.feed(html)
    return parser


def manifest(public: Path) -> dict[str, dict[str, object]]:
    """Manifest entries by ``name/locale``."""
    document = json.loads((public / "emails/manifest.json").read_text("utf-8"))
    return {f"{e['name']}/{e['locale']}": e for e in document["emails"]}


def without_media_rules(css: str) -> str:
    """*css* with every ``@media { … }`` block removed (nested braces included)."""
    out, depth, index = [], 0, 0
    while index < len(css):
        if depth == 0 and css.startswith("@media", index):
            depth, index = -1, css.index("{", index) + 1
            level = 1
            while level:
                level += {"{": 1, "}": -1}.get(css[index], 0)
                index += 1
            depth = 0
            continue
        out.append(css[index])
        index += 1
    return "".join(out)


def columns(line: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in line)


# -- the example site ------------------------------------------------------


@pytest.mark.parametrize("name", EXAMPLE_EMAILS)
@pytest.mark.parametrize("tag", LOCALES)
def test_every_example_email_has_html_and_text_that_agree(
    example_output: Path, name: str, tag: str
) -> None:
    folder = example_output / "emails" / tag.lower()
    html = (folder / f"{name}.html").read_text("utf-8")
    text = (folder / f"{name}.txt").read_text("utf-8")
    parsed = parse(html)
    assert parsed.hrefs
    for href in parsed.hrefs:
        assert href.removeprefix("mailto:") in text, f"{href} missing from the text part"
    # Everything but the media queries was inlined into style attributes.
    assert all(not without_media_rules(css).strip() for css in parsed.styles), parsed.styles
    assert 'style="' in html
    entry = manifest(example_output)[f"{name}/{tag}"]
    assert entry["preheader"] and str(entry["preheader"]) not in text  # hidden, not in the text
    assert entry["subject"] and f"<title>{entry['subject']}</title>" in html.replace("&amp;", "&")
    long_lines = [line for line in text.splitlines() if columns(line) > 78 and " " in line.strip()]
    assert long_lines == []
    assert text.endswith("\n") and "\n\n\n" not in text


def test_ar_sa_emails_are_right_to_left(example_output: Path) -> None:
    for path in (example_output / "emails/ar-sa").glob("*.html"):
        html = path.read_text("utf-8")
        assert re.search(r'<html lang="ar-SA" dir="rtl"', html), path.name
        dirs = parse(html).dirs
        assert dirs["td"] == {"rtl"}, path.name
        # An untranslated email keeps its text left-to-right inside the mirrored layout.
        fallback = manifest(example_output)[f"{path.stem}/ar-SA"]["content_locale"] != "ar-SA"
        assert dirs["div"] == ({"rtl", "ltr"} if fallback else {"rtl"}), path.name
        assert "text-align: right" in html  # the layout is mirrored, not only the text
    english = (example_output / "emails/en-us/welcome.html").read_text("utf-8")
    assert 'dir="ltr"' in english and "rtl" not in english


@pytest.mark.parametrize("name", TRANSLATED)
def test_subject_and_preheader_are_localized(example_output: Path, name: str) -> None:
    entries = manifest(example_output)
    english = entries[f"{name}/en-US"]
    scripts = {
        "ja-JP": r"[\u3040-\u30ff]",
        "zh-CN": r"[\u4e00-\u9fff]",
        "ar-SA": r"[\u0600-\u06ff]",
    }
    for tag in LOCALES[2:]:
        entry = entries[f"{name}/{tag}"]
        assert entry["content_locale"] == tag
        assert entry["subject"] != english["subject"], tag
        assert entry["preheader"] != english["preheader"], tag
        if tag in scripts:
            assert re.search(scripts[tag], str(entry["subject"])), tag
    assert entries[f"{name}/en-GB"]["content_locale"] == "en-GB"


def test_untranslated_emails_fall_back_through_the_readers_culture(example_output: Path) -> None:
    entry = manifest(example_output)["satisfaction-survey/ja-JP"]
    assert entry["content_locale"] == "en-US" and entry["culture"] == "japan"
    html = (example_output / "emails/ja-jp/satisfaction-survey.html").read_text("utf-8")
    assert "{{ last_name }}様" in html  # English text, Japanese address


@pytest.mark.parametrize(
    ("tag", "greeting"),
    [
        ("en-US", "Hi {{ first_name }},"),
        ("en-GB", "Dear {{ first_name }},"),
        ("de-DE", "Sehr geehrte/r {{ first_name }} {{ last_name }},"),
        ("ja-JP", "{{ last_name }}様"),
        ("zh-CN", "尊敬的{{ last_name }}{{ first_name }}："),
    ],
)
def test_greeting_follows_the_culture_with_merge_tag_names(
    example_output: Path, tag: str, greeting: str
) -> None:
    folder = example_output / "emails" / tag.lower()
    html = (folder / "welcome.html").read_text("utf-8")
    assert re.search(r'<p class="greeting"[^>]*>' + re.escape(greeting) + "</p>", html)
    assert (folder / "welcome.txt").read_text("utf-8").count(greeting) == 1


def test_japanese_email_opens_with_the_customary_line_and_closes_politely(
    example_output: Path,
) -> None:
    text = (example_output / "emails/ja-jp/welcome.txt").read_text("utf-8")
    lines = [line for line in text.splitlines() if line]
    assert lines[1:3] == ["{{ last_name }}様", "いつもお世話になっております。"]
    assert "今後ともよろしくお願いいたします。" in text


def test_compliance_footer_follows_region_and_category(example_output: Path) -> None:
    emails = example_output / "emails"
    marketing = (emails / "en-us/welcome.html").read_text("utf-8")
    assert "100 Market Street" in marketing
    assert 'href="https://acme.example/unsubscribe?id={{ subscriber_id }}"' in marketing
    transactional = (emails / "en-us/password-reset.html").read_text("utf-8")
    assert "unsubscribe" not in transactional.lower()
    assert "100 Market Street" not in transactional  # CAN-SPAM exempts transactional mail
    german = (emails / "de-de/password-reset.html").read_text("utf-8")
    assert "100 Market Street" in german  # German business-letter law: always
    assert "abmelden" not in german


def test_text_part_lays_out_tables_lists_and_links(example_output: Path) -> None:
    text = (example_output / "emails/en-us/renewal-reminder.txt").read_text("utf-8")
    assert re.search(r"^Plan +\{\{ plan \}\}$", text, re.MULTILINE)
    assert re.search(r"^Renewal date +\{\{ renewal_date \}\}$", text, re.MULTILINE)
    welcome = (example_output / "emails/en-us/welcome.txt").read_text("utf-8")
    assert re.search(r"^ 1\. ", welcome, re.MULTILINE)
    assert "pricing page (https://acme.example/en-us/product/pricing/)" in welcome.replace(
        "\n", " "
    )


def test_text_right_after_a_table_is_in_the_text_part_once() -> None:
    """A table is laid out on its own; the text that follows it keeps its place."""
    text = html_to_text(
        "<html><body><p>Your plan:</p>"
        "<table><tr><th>Plan</th><th>Price</th></tr><tr><td>Pro</td><td>9 EUR</td></tr></table>"
        "Thank you for staying with us.<p>The team</p></body></html>"
    )
    assert text == (
        "Your plan:\n\nPlan  Price\nPro   9 EUR\n\nThank you for staying with us.\n\nThe team\n"
    )


def test_manifest_lists_every_email_and_locale(example_output: Path) -> None:
    document = json.loads((example_output / "emails/manifest.json").read_text("utf-8"))
    assert document["version"] == 1 and document["merge_tags"] == "liquid"
    entries = manifest(example_output)
    assert set(entries) == {f"{n}/{t}" for n in EXAMPLE_EMAILS for t in LOCALES}
    entry = entries["password-reset/de-DE"]
    assert entry["category"] == "transactional"
    assert entry["merge_tags"]["reset_url"] == "{{ reset_url }}"
    assert "subscriber_id" not in entry["merge_tags"]  # no unsubscribe in transactional mail
    for path in entry["paths"].values():
        assert (example_output / path).is_file()
    assert str(entry["content_hash"]).startswith("sha256:")
    hashes = {e["content_hash"] for e in entries.values()}
    assert len(hashes) == len(entries)


def test_postmark_export_is_a_template_body(example_output: Path) -> None:
    entry = manifest(example_output)["welcome/de-DE"]
    paths = entry["paths"]
    assert isinstance(paths, dict)
    template = json.loads((example_output / paths["postmark"]).read_text("utf-8"))
    assert template["Alias"] == "welcome-de-de"
    assert template["Subject"] == entry["subject"]
    assert template["HtmlBody"] == (example_output / paths["html"]).read_text("utf-8")
    assert template["TextBody"] == (example_output / paths["text"]).read_text("utf-8")
    assert template["TemplateType"] == "Standard"


@pytest.mark.parametrize("name", EXAMPLE_EMAILS)
def test_eml_preview_is_multipart_alternative_in_utf8(example_output: Path, name: str) -> None:
    folder = example_output / "emails/ja-jp"
    message = email.message_from_bytes(
        (folder / f"{name}.eml").read_bytes(), policy=email.policy.default
    )
    assert message.get_content_type() == "multipart/alternative"
    plain, html = message.iter_parts()
    assert plain.get_content_type() == "text/plain" and plain.get_content_charset() == "utf-8"
    assert html.get_content_type() == "text/html" and html.get_content_charset() == "utf-8"
    # The message uses CRLF line ends, as RFC 5322 asks; the parts are the files.
    assert plain.get_content().replace("\r\n", "\n") == (folder / f"{name}.txt").read_text("utf-8")
    assert html.get_content().replace("\r\n", "\n") == (folder / f"{name}.html").read_text("utf-8")
    entry = manifest(example_output)[f"{name}/ja-JP"]
    assert message["Subject"] == entry["subject"]
    assert message["Content-Language"] == "ja-JP"
    if entry["category"] == "marketing":
        assert message["List-Unsubscribe"].startswith(
            "<https://acme.example/unsubscribe?id={{ subscriber_id }}>"
        )
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    else:
        assert message["List-Unsubscribe"] is None and message["List-Unsubscribe-Post"] is None


# -- caniemail: what the default email theme may use --------------------------

CANIEMAIL_EXCEPTIONS = {
    "@media": "responsive and dark-mode rules only; the 600px layout is fluid without them, "
    "and Outlook for Windows gets a fixed 600px table through MSO conditionals",
    "<style> element": "it holds only the @media rules; every other rule is inlined",
    "color-scheme meta tag": "colours are readable in light mode and in clients that invert them",
    "display:none": "the preheader is also 1px, zero max-height and coloured like the background",
    "max-height property": "the preheader is hidden in Outlook for Windows by mso-hide: all",
    "overflow": "the preheader is hidden in Outlook for Windows by mso-hide: all",
    "border-radius": "buttons have square corners in Outlook for Windows",
}
"""Features the theme uses that caniemail marks unsupported somewhere, with the fallback."""


def find_caniemail() -> Path | None:
    for candidate in (
        os.environ.get("LOCGEN_CANIEMAIL", ""),
        str(REPO / ".ci/node_modules/caniemail"),
    ):
        if candidate and (Path(candidate) / "dist/index.js").is_file():
            return Path(candidate)
    return None


@pytest.mark.slow
def test_email_theme_uses_only_features_gmail_outlook_and_apple_mail_support(
    example_output: Path,
) -> None:
    package, node = find_caniemail(), shutil.which("node")
    if package is None or node is None:
        if os.environ.get("CI"):
            pytest.fail("CI must provide node and the caniemail package (see .ci/run)")
        pytest.skip("needs node and caniemail (npm install caniemail; set LOCGEN_CANIEMAIL)")
    files = sorted(str(p) for p in (example_output / "emails").rglob("*.html"))
    result = subprocess.run(
        [node, str(REPO / "tests/caniemail_check.mjs"), str(package), *files],
        capture_output=True,
        text=True,
        check=True,
    )
    unsupported = json.loads(result.stdout)
    unexplained = sorted(set(unsupported) - set(CANIEMAIL_EXCEPTIONS))
    assert unexplained == [], {title: unsupported[title] for title in unexplained}
    # The exception list stays true: each one is still needed.
    assert sorted(set(CANIEMAIL_EXCEPTIONS) - set(unsupported)) == []


# -- merge-tag dialects --------------------------------------------------------

MERGE_EMAIL = """\
---
subject: "{{< merge first_name >}}, your {{< merge plan >}} plan"
preheader: "Plan {{< merge plan >}} & more"
category: marketing
---

Hello {{< merge first_name >}}, *welcome* & <b>"thanks"</b>.

[Confirm your address]({{< merge confirm_url >}}) or write to {{< merge email >}}.

{{< button "Confirm" url=merge(confirm_url) >}}
"""


def merge_site(site_factory: Callable[..., Path], dialect: str, fields: str) -> Path:
    return site_factory(
        {"content/emails/hello.en-US.md": MERGE_EMAIL},
        config=f"""\
[site]
title = "Merge"
base_url = "https://merge.example/"
default_locale = "en-US"
locales = ["en-US", "ja-JP"]

[email]
merge_tags = "{dialect}"
merge_fields = {fields}
unsubscribe_url = "https://merge.example/u?id={{subscriber}}"
""",
    )


@pytest.mark.parametrize(
    ("dialect", "fields", "tags"),
    [
        (
            "liquid",
            '["plan", "confirm_url", "subscriber"]',
            [
                "{{ first_name }}",
                "{{ plan }}",
                "{{ confirm_url }}",
                "{{ email }}",
                "{{ subscriber }}",
            ],
        ),
        (
            "handlebars",
            '["plan", "confirm_url", "subscriber"]',
            ["{{first_name}}", "{{plan}}", "{{confirm_url}}", "{{email}}", "{{subscriber}}"],
        ),
        (
            "mailchimp",
            '{ plan = "PLAN", confirm_url = "CONFIRMURL", subscriber = "SUBID" }',
            ["*|FNAME|*", "*|PLAN|*", "*|CONFIRMURL|*", "*|EMAIL|*", "*|SUBID|*"],
        ),
        (
            "jinja",
            '{ plan = "user.plan", confirm_url = "links.confirm", subscriber = "user.id" }',
            [
                "{{ first_name }}",
                "{{ user.plan }}",
                "{{ links.confirm }}",
                "{{ email }}",
                "{{ user.id }}",
            ],
        ),
    ],
)
def test_merge_tags_survive_inlining_escaping_and_text_conversion(
    site_factory: Callable[..., Path],
    run_cli: Callable[..., Result],
    dialect: str,
    fields: str,
    tags: list[str],
) -> None:
    first, plan, confirm, address, subscriber = tags
    family = first.replace("first_name", "last_name").replace("FNAME", "LNAME")
    site = merge_site(site_factory, dialect, fields)
    result = run_cli(site, "build")
    assert result.exit_code == 0, result.output
    folder = site / "public/emails/en-us"
    html = (folder / "hello.html").read_text("utf-8")
    text = (folder / "hello.txt").read_text("utf-8")
    assert f"<title>{first}, your {plan} plan</title>" in html
    assert f"Hello {first}, <em>welcome</em>" in html
    assert html.count(f'href="{confirm}"') == 2  # the Markdown link and the button
    assert f'href="https://merge.example/u?id={subscriber}"' in html
    assert f"Hi {first}," in html and f"Hi {first}," in text
    assert f'Hello {first}, welcome & "thanks".' in text
    assert f"Confirm your address ({confirm}) or write to {address}." in text
    assert f"Confirm ({confirm})" in text
    assert f"(https://merge.example/u?id={subscriber})" in text
    japanese = (site / "public/emails/ja-jp/hello.txt").read_text("utf-8")
    assert japanese.startswith(f"Merge (https://merge.example/ja-jp/)\n\n{family}様\n")
    entry = manifest(site / "public")["hello/en-US"]
    assert entry["subject"] == f"{first}, your {plan} plan"
    assert entry["preheader"] == f"Plan {plan} & more"
    assert set(entry["merge_tags"]) == {
        "confirm_url",
        "email",
        "first_name",
        "plan",
        "subscriber",
    }
    message = email.message_from_bytes(
        (folder / "hello.eml").read_bytes(), policy=email.policy.default
    )
    assert message["Subject"] == entry["subject"]
    assert message.get_body(("plain",)).get_content().replace("\r\n", "\n") == text


def test_merge_tags_are_never_broken_across_lines(
    site_factory: Callable[..., Path], run_cli: Callable[..., Result]
) -> None:
    words = " ".join(["word"] * 14)
    site = site_factory(
        {
            "content/emails/long.en-US.md": f"""\
                ---
                subject: Long
                category: transactional
                ---

                {words} {{{{< merge first_name >}}}} {words} {{{{< merge last_name >}}}} {words}
                """
        },
    )
    assert run_cli(site, "build").exit_code == 0
    text = (site / "public/emails/en-us/long.txt").read_text("utf-8")
    assert text.count("{{ first_name }}") == 2 and text.count("{{ last_name }}") == 1
    assert all(columns(line) <= 78 for line in text.splitlines())


# -- building only the emails ----------------------------------------------------

NOTE = "---\nsubject: {subject}\ncategory: transactional\n---\nText.\n"


def test_emails_only_replaces_the_emails_and_nothing_else(
    site_factory: Callable[..., Path], run_cli: Callable[..., Result]
) -> None:
    site = site_factory(
        {
            "content/index.en-US.md": "---\ntitle: Home\n---\nHome.\n",
            "content/emails/note.en-US.md": NOTE.format(subject="First"),
        }
    )
    assert run_cli(site, "build").exit_code == 0
    before = tree_digest(site / "public")
    (site / "content/emails/note.en-US.md").write_text(
        NOTE.format(subject="Second"), encoding="utf-8"
    )
    (site / "content/index.en-US.md").write_text("---\ntitle: Changed\n---\nNew.\n", "utf-8")
    result = run_cli(site, "build", "--emails-only")
    assert result.exit_code == 0, result.output
    assert "built 0 pages and 2 emails" in result.output
    after = tree_digest(site / "public")
    changed = sorted(path for path in after if after[path] != before.get(path))
    assert changed and all(path.startswith("emails/") for path in changed)
    assert "<title>Second</title>" in (site / "public/emails/en-us/note.html").read_text("utf-8")
    assert (site / "public/index.html").exists()


# -- bad input -------------------------------------------------------------------


def test_missing_subject_names_the_email_and_locale(
    site_factory: Callable[..., Path], run_cli: Callable[..., Result]
) -> None:
    site = site_factory(
        {
            "content/emails/welcome.en-US.md": NOTE.format(subject="Hi"),
            "content/emails/welcome.de-DE.md": "---\npreheader: Hallo\n---\nText.\n",
        }
    )
    result = run_cli(site, "build")
    assert result.exit_code == 1
    assert "welcome.de-DE.md:1" in result.output
    assert "email welcome has no subject for de-DE" in result.output
    assert "add subject:" in result.output and "Traceback" not in result.output


def test_unknown_merge_field_names_the_email_locale_and_fix(
    site_factory: Callable[..., Path], run_cli: Callable[..., Result]
) -> None:
    site = site_factory(
        {
            "content/emails/welcome.en-US.md": """\
                ---
                subject: Hi
                category: transactional
                ---

                Your plan: {{< merge plan >}}.
                """
        },
        config="""\
[site]
title = "T"
base_url = "https://t.example/"
default_locale = "en-US"
locales = ["en-US"]

[email]
merge_tags = "mailchimp"
""",
    )
    result = run_cli(site, "build")
    assert result.exit_code == 1
    assert "welcome.en-US.md:6" in result.output
    assert "unknown merge field 'plan' for the mailchimp dialect in emails/welcome" in (
        result.output
    )
    assert 'merge_fields = { plan = "PLAN" }' in result.output


def test_unknown_dialect_is_a_config_error(
    site_factory: Callable[..., Path], run_cli: Callable[..., Result]
) -> None:
    site = site_factory(
        config="""\
[site]
title = "T"
default_locale = "en-US"
locales = ["en-US"]

[email]
merge_tags = "smarty"
""",
    )
    result = run_cli(site, "build")
    assert result.exit_code == 1
    assert "locgen.toml:7" in result.output
    assert "unknown merge-tag dialect 'smarty'" in result.output
    assert "liquid, handlebars, mailchimp, jinja" in result.output


def test_marketing_mail_without_unsubscribe_link_is_refused_where_the_law_needs_one(
    site_factory: Callable[..., Path], run_cli: Callable[..., Result]
) -> None:
    files = {
        "content/emails/promo.en-US.md": "---\nsubject: Sale\ncategory: marketing\n---\nText.\n",
    }
    config = """\
[site]
title = "T"
base_url = "https://t.example/"
default_locale = "en-US"
locales = ["en-US", "{other}"]
"""
    site = site_factory(files, config=config.format(other="de-DE"))
    result = run_cli(site, "build")
    assert result.exit_code == 1
    assert "promo.en-US.md:3" in result.output
    assert "email promo is marketing mail, and en-US readers (us, CAN-SPAM (US))" in result.output
    assert "unsubscribe_url" in result.output
    # Where no regime asks for one (here: Saudi Arabia), marketing mail may go without.
    gulf = site_factory(
        {"content/emails/promo.ar-SA.md": files["content/emails/promo.en-US.md"]},
        config=config.replace('"en-US", "{other}"', '"ar-SA"').replace('"en-US"', '"ar-SA"'),
        name="gulf",
    )
    result = run_cli(gulf, "build")
    assert result.exit_code == 0, result.output
    assert "List-Unsubscribe" not in (gulf / "public/emails/ar-sa/promo.eml").read_text("utf-8")


def test_emails_need_an_absolute_base_url(
    site_factory: Callable[..., Path], run_cli: Callable[..., Result]
) -> None:
    site = site_factory(
        {"content/emails/note.en-US.md": "---\nsubject: Hi\ncategory: transactional\n---\nText.\n"},
        config="""\
[site]
title = "T"
base_url = "/docs/"
default_locale = "en-US"
locales = ["en-US"]
""",
    )
    result = run_cli(site, "build")
    assert result.exit_code == 1
    assert "locgen.toml:3" in result.output and "emails need an absolute base_url" in result.output


def test_a_failed_email_leaves_the_previous_output_untouched(
    site_factory: Callable[..., Path], run_cli: Callable[..., Result]
) -> None:
    site = site_factory(
        {"content/emails/note.en-US.md": "---\nsubject: Hi\ncategory: transactional\n---\nText.\n"}
    )
    assert run_cli(site, "build").exit_code == 0
    before = tree_digest(site / "public")
    (site / "content/emails/note.de-DE.md").write_text(
        "---\nsubject: Hallo\ncategory: werbung\n---\nText.\n", encoding="utf-8"
    )
    result = run_cli(site, "build")
    assert result.exit_code == 1
    assert (
        "note.de-DE.md:3" in result.output
        and "neither marketing nor transactional" in result.output
    )
    assert tree_digest(site / "public") == before


def test_merge_tags_in_a_web_page_are_an_error(
    site_factory: Callable[..., Path], run_cli: Callable[..., Result]
) -> None:
    site = site_factory(
        {"content/index.en-US.md": "---\ntitle: Home\n---\n\nHi {{< merge first_name >}}.\n"}
    )
    result = run_cli(site, "build")
    assert result.exit_code == 1
    assert "index.en-US.md:5" in result.output and "work in emails only" in result.output


@pytest.mark.parametrize(
    ("email_table", "line", "message"),
    [
        (
            'export = ["postmark"]\nmerge_tags = "mailchimp"',
            8,
            "postmark export cannot use mailchimp",
        ),
        ('unsubscribe_url = "https://t.example/u?id={member}"', 7, "unknown merge field 'member'"),
        ('export = ["mailjet"]', 7, "names an unknown format"),
        ('merge_fields = { plan = "plan name" }', 7, "'plan name' is not a liquid field name"),
        ('unsubscribe_url = "ftp://t.example/u"', 7, "is not an http(s) URL"),
    ],
)
def test_email_settings_are_checked(
    site_factory: Callable[..., Path],
    run_cli: Callable[..., Result],
    email_table: str,
    line: int,
    message: str,
) -> None:
    config = '[site]\ntitle = "T"\ndefault_locale = "en-US"\nlocales = ["en-US"]\n\n[email]\n'
    site = site_factory(config=config + email_table + "\n")
    result = run_cli(site, "build")
    assert result.exit_code == 1
    assert f"locgen.toml:{line}" in result.output and message in result.output


def test_site_relative_links_images_and_buttons_in_emails_are_absolute(
    site_factory: Callable[..., Path], run_cli: Callable[..., Result]
) -> None:
    site = site_factory(
        {
            "content/index.en-US.md": "---\ntitle: Home\n---\nHome.\n",
            "content/chart.png": b"\x89PNG\r\n\x1a\n",
            "content/emails/note.en-US.md": """\
                ---
                subject: Links
                category: transactional
                ---

                [Home](/index.md), [downloads](/downloads/) and ![the chart](/chart.png).

                {{< button "Pricing" url="/pricing/" >}}
                """,
        }
    )
    # The site has no /downloads/ or /pricing/ page: the link check reports both, per locale.
    broken = run_cli(site, "build")
    assert broken.exit_code == 1
    assert "note.en-US.md:6: link https://test.example/downloads/ leads to nothing" in broken.stderr
    assert "note.en-US.md:8: link https://test.example/pricing/ leads to nothing" in broken.stderr
    config = (site / "locgen.toml").read_text("utf-8")
    (site / "locgen.toml").write_text(config + '[checks.rules]\n"links" = "off"\n', "utf-8")
    assert run_cli(site, "build").exit_code == 0
    html = (site / "public/emails/en-us/note.html").read_text("utf-8")
    assert 'href="https://test.example/en-us/"' in html
    assert 'href="https://test.example/downloads/"' in html
    assert 'src="https://test.example/chart.png"' in html
    assert 'href="https://test.example/pricing/"' in html
    text = (site / "public/emails/en-us/note.txt").read_text("utf-8")
    assert (
        "Home (https://test.example/en-us/), downloads (https://test.example/downloads/) and the"
        " chart." in text.replace("\n", " ")
    )


def test_site_paths_in_emails_are_resolved_against_the_host_as_on_the_web(
    site_factory: Callable[..., Path], run_cli: Callable[..., Result]
) -> None:
    site = site_factory(
        {
            "content/emails/note.en-US.md": NOTE.format(subject="Paths")
            + '\n[downloads](/downloads/)\n\n{{< button "Pricing" url="/pricing/" >}}\n'
        },
        config='[site]\ntitle = "T"\nbase_url = "https://t.example/docs/"\n'
        'default_locale = "en-US"\nlocales = ["en-US"]\n',
    )
    assert run_cli(site, "build").exit_code == 0
    html = (site / "public/emails/en-us/note.html").read_text("utf-8")
    # A link and a button with the same kind of path end up alike.
    assert 'href="https://t.example/downloads/"' in html
    assert 'href="https://t.example/pricing/"' in html
    assert 'href="https://t.example/docs/en-us/"' in html  # the header's home link


def test_emails_only_cannot_be_limited_to_some_locales(
    site_factory: Callable[..., Path], run_cli: Callable[..., Result]
) -> None:
    result = run_cli(site_factory(), "build", "--emails-only", "--locale", "de-DE")
    assert result.exit_code == 2
    assert "cannot be combined with --locale" in result.output
