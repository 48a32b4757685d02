"""Bringing a build up to date after a change renders only what the change affects,
and the result is exactly what a build from scratch makes."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from conftest import SiteFactory
from locgen.build import BuildRequest, SiteBuild, Update
from locgen.errors import LocgenError
from sitekit import copy_example_site

SECTION_TEMPLATE = """\
{% extends "base.html" %}
{% block content %}
<h1>{{ page.title }}</h1>
<p class="marker">section v1</p>
<ul>{% for child in page.children %}
<li><a href="{{ child.url }}">{{ child.title }}</a></li>
{% endfor %}</ul>
{% endblock %}
"""

CATALOG = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: de_DE\\n"

msgctxt "nav"
msgid "Home"
msgstr "Start v1"
"""

CONFIG = """\
[site]
title = "Test Site"
base_url = "https://test.example/"
default_locale = "en-US"
locales = ["en-US", "de-DE"]
theme = "custom"
"""


@pytest.fixture
def site(site_factory: SiteFactory) -> Path:
    """A two-locale site with a section, a menu, links, an image and its own theme."""
    return site_factory(
        {
            "content/index.en-US.md": "---\ntitle: Home\n---\n\nWelcome.\n",
            "content/index.de-DE.md": "---\ntitle: Start\n---\n\nWillkommen.\n",
            "content/guide/index.en-US.md": "---\ntitle: Guide\nmenu: main\n---\n\nAll guides.\n",
            "content/guide/setup.en-US.md": (
                "---\ntitle: Setup\n---\n\n"
                "First [install](install.md).\n\n![Logo](/images/logo.svg)\n"
            ),
            "content/guide/setup.de-DE.md": (
                "---\ntitle: Einrichtung\n---\n\nErst [installieren](install.md).\n"
            ),
            "content/guide/install.en-US.md": "---\ntitle: Install\n---\n\nRun it.\n",
            "content/guide/faq.en-US.md": "---\ntitle: FAQ\n---\n\nQuestions.\n",
            "content/images/logo.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>\n',
            "themes/custom/templates/section.html": SECTION_TEMPLATE,
            "themes/custom/static/site.css": "body { color: black; }\n",
            "locales/de_DE/LC_MESSAGES/messages.po": CATALOG,
        },
        config=CONFIG,
    )


def started(root: Path) -> SiteBuild:
    build = SiteBuild(BuildRequest(root=root))
    build.run()
    return build


def assert_same_as_fresh(build: SiteBuild) -> None:
    """The updated build equals a build from scratch: file for file, finding for finding."""
    assert build.state is not None
    fresh = SiteBuild(BuildRequest(root=build.request.root)).run()
    updated = dict(build.state.output.items())
    made = dict(fresh.output.items())
    assert sorted(updated) == sorted(made)
    differing = [path for path in made if updated[path] != made[path]]
    assert differing == []
    assert build.state.findings == fresh.findings


def edit(path: Path, old: str, new: str) -> Path:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def pages(update: Update) -> set[tuple[str, str, str]]:
    return {(job.kind, job.locale, job.key) for job in update.rendered}


def html(build: SiteBuild, path: str) -> str:
    assert build.state is not None
    data = build.state.output.get(path)
    assert isinstance(data, bytes), path
    return data.decode("utf-8")


def test_a_body_edit_renders_only_the_pages_that_show_that_file(site: Path) -> None:
    build = started(site)
    update = build.update([edit(site / "content/guide/setup.en-US.md", "First", "Before all")])
    # The German page has its own translation: it shows none of the English text.
    assert pages(update) == {("page", "en-US", "guide/setup")}
    assert update.changed == ("en-us/guide/setup/index.html",)
    assert "Before all" in html(build, "en-us/guide/setup/index.html")
    assert_same_as_fresh(build)

    # The German page of an untranslated one shows the English text by fallback.
    update = build.update([edit(site / "content/guide/install.en-US.md", "Run it", "Start it")])
    assert pages(update) == {("page", "en-US", "guide/install"), ("page", "de-DE", "guide/install")}
    assert "Start it" in html(build, "de-de/guide/install/index.html")
    assert_same_as_fresh(build)


def test_a_source_edit_makes_its_translations_outdated(site: Path) -> None:
    build = started(site)
    source = site / "content/guide/setup.en-US.md"
    (site / "content/guide/setup.de-DE.md").write_text(
        "---\ntitle: Einrichtung\nsource_hash: deadbeef\n---\n\nErst.\n", encoding="utf-8"
    )
    build.update([site / "content/guide/setup.de-DE.md"])
    assert build.state is not None
    before = [f for f in build.state.findings if f.rule == "translation.outdated"]
    build.update([edit(source, "First", "Before all")])
    after = [f for f in build.state.findings if f.rule == "translation.outdated"]
    assert len(before) == len(after) == 1
    digest = build.state.index.groups["guide/setup"]["en-US"].digest
    assert digest in after[0].message  # names the source's new hash
    assert digest not in before[0].message
    assert_same_as_fresh(build)


def test_a_title_edit_renders_the_group_its_listing_and_the_pages_linking_to_it(
    site: Path,
) -> None:
    build = started(site)
    update = build.update([edit(site / "content/guide/install.en-US.md", "Install", "Installing")])
    rendered = pages(update)
    # Its own pages (en-US and the de-DE fallback), the section listing it,
    # the pages linking to it, and the sitemap.
    assert ("page", "en-US", "guide/install") in rendered
    assert ("page", "de-DE", "guide/install") in rendered
    assert ("page", "en-US", "guide/index") in rendered
    assert ("page", "de-DE", "guide/setup") in rendered
    assert ("sitemap", "", "") in rendered
    # Not the pages that show nothing of it.
    assert ("page", "en-US", "guide/faq") not in rendered
    assert ("page", "en-US", "index") not in rendered
    assert "Installing" in html(build, "en-us/guide/index.html")
    assert_same_as_fresh(build)


def test_a_menu_entry_renamed_renders_its_locales_pages(site: Path) -> None:
    build = started(site)
    update = build.update(
        [edit(site / "content/guide/index.en-US.md", "title: Guide", "title: Docs")]
    )
    rendered = pages(update)
    assert ("page", "en-US", "guide/faq") in rendered  # its menu shows the new title
    assert_same_as_fresh(build)


def test_a_new_translation_replaces_the_fallback(site: Path) -> None:
    build = started(site)
    added = site / "content/guide/install.de-DE.md"
    added.write_text("---\ntitle: Installieren\n---\n\nAusführen.\n", encoding="utf-8")
    update = build.update([added])
    assert ("page", "de-DE", "guide/install") in pages(update)
    assert "Ausführen" in html(build, "de-de/guide/install/index.html")
    assert "de-de/guide/install/index.html" in update.changed
    assert "Installieren" in html(build, "de-de/guide/index.html")  # the listing shows it
    assert_same_as_fresh(build)


def test_a_deleted_page_disappears_and_links_to_it_are_reported(site: Path) -> None:
    build = started(site)
    faq = site / "content/guide/faq.en-US.md"
    faq.unlink()
    update = build.update([faq])
    assert "en-us/guide/faq/index.html" in update.changed
    assert build.state is not None
    assert build.state.output.get("en-us/guide/faq/index.html") is None
    assert_same_as_fresh(build)

    install = site / "content/guide/install.en-US.md"
    install.unlink()
    build.update([install])
    # The page that links to it is rendered again, and the broken link is an error finding.
    broken = [f for f in build.state.findings if f.rule == "links.internal"]
    assert {(f.path.name, f.level) for f in broken} == {
        ("setup.en-US.md", "error"),
        ("setup.de-DE.md", "error"),
    }
    assert all("install.md" in f.message for f in broken)
    assert_same_as_fresh(build)
    install.write_text("---\ntitle: Install\n---\n\nRun it.\n", encoding="utf-8")
    build.update([install])
    assert not [f for f in build.state.findings if f.rule == "links.internal"]
    assert_same_as_fresh(build)


def test_a_renamed_page_moves(site: Path) -> None:
    build = started(site)
    old = site / "content/guide/faq.en-US.md"
    new = site / "content/guide/questions.en-US.md"
    old.rename(new)
    update = build.update([old, new])
    assert "en-us/guide/faq/index.html" in update.changed
    assert "en-us/guide/questions/index.html" in update.changed
    assert_same_as_fresh(build)


def test_a_template_edit_renders_only_the_pages_using_it(site: Path) -> None:
    build = started(site)
    template = site / "themes/custom/templates/section.html"
    update = build.update([edit(template, "section v1", "section v2")])
    assert pages(update) == {("page", "en-US", "guide/index"), ("page", "de-DE", "guide/index")}
    assert "section v2" in html(build, "de-de/guide/index.html")
    assert_same_as_fresh(build)


def test_a_new_template_that_hides_a_bundled_one_renders_the_pages_using_it(site: Path) -> None:
    build = started(site)
    page_template = site / "themes/custom/templates/page.html"
    page_template.write_text(
        '{% extends "base.html" %}{% block content %}<p>own page template</p>{% endblock %}\n',
        encoding="utf-8",
    )
    update = build.update([page_template])
    rendered = pages(update)
    assert ("page", "en-US", "guide/faq") in rendered
    assert ("page", "de-DE", "guide/setup") in rendered
    assert ("page", "en-US", "guide/index") not in rendered  # a section: section.html
    assert "own page template" in html(build, "en-us/guide/faq/index.html")
    assert_same_as_fresh(build)

    page_template.unlink()  # the bundled page.html shows again
    update = build.update([page_template])
    assert ("page", "en-US", "guide/faq") in pages(update)
    assert "own page template" not in html(build, "en-us/guide/faq/index.html")
    assert_same_as_fresh(build)


def test_a_moved_template_folder_renders_the_pages_using_its_templates(site: Path) -> None:
    partials = site / "themes/custom/templates/partials"
    partials.mkdir()
    (partials / "footer.html").write_text("<footer>own footer</footer>\n", encoding="utf-8")
    build = started(site)
    assert "own footer" in html(build, "en-us/guide/faq/index.html")
    partials.rename(site / "themes/custom/templates/unused")
    update = build.update([partials, site / "themes/custom/templates/unused"])
    assert ("page", "en-US", "guide/faq") in pages(update)
    assert "own footer" not in html(build, "en-us/guide/faq/index.html")
    assert_same_as_fresh(build)


def test_a_catalog_edit_renders_only_its_locale(site: Path) -> None:
    build = started(site)
    catalog = site / "locales/de_DE/LC_MESSAGES/messages.po"
    update = build.update([edit(catalog, "Start v1", "Start v2")])
    assert {job.locale for job in update.rendered} <= {"de-DE"}
    assert ("page", "de-DE", "guide/faq") in pages(update)
    assert "Start v2" in html(build, "de-de/guide/faq/index.html")
    assert_same_as_fresh(build)


def test_a_static_file_edit_renders_nothing_and_reports_the_file(site: Path) -> None:
    build = started(site)
    assert build.state is not None
    renderer = build.state.renderer
    update = build.update([edit(site / "themes/custom/static/site.css", "black", "navy")])
    assert update.rendered == ()
    assert update.changed == ("static/site.css",)
    assert build.state.renderer is renderer  # nothing to compile again


def test_a_static_file_that_hides_a_bundled_one_is_served_instead(site: Path) -> None:
    build = started(site)
    own = site / "themes/custom/static/css/site.css"
    own.parent.mkdir()
    own.write_text("body { color: red; }\n", encoding="utf-8")
    update = build.update([own])
    assert "static/css/site.css" in update.changed
    assert build.state is not None
    assert build.state.output.get("static/css/site.css") == own
    assert_same_as_fresh(build)


def test_an_image_edited_in_place_renders_nothing(site: Path) -> None:
    build = started(site)
    assert build.state is not None
    index = build.state.index
    update = build.update([edit(site / "content/images/logo.svg", "<svg", "<svg id='x'")])
    assert update.rendered == ()
    assert update.changed == ("images/logo.svg",)
    assert build.state.index is index  # nothing placed again


def test_an_image_variant_added_renders_the_pages_showing_the_image(site: Path) -> None:
    build = started(site)
    variant = site / "content/images/logo.de-DE.svg"
    variant.write_text('<svg xmlns="http://www.w3.org/2000/svg"><g/></svg>\n', encoding="utf-8")
    update = build.update([variant])
    assert ("page", "en-US", "guide/setup") in pages(update)
    assert ("page", "en-US", "guide/faq") not in pages(update)
    assert "images/logo.de-DE.svg" in update.changed
    assert_same_as_fresh(build)


def test_a_config_change_builds_from_scratch(site: Path) -> None:
    build = started(site)
    update = build.update([edit(site / "locgen.toml", 'title = "Test Site"', 'title = "Renamed"')])
    assert update.restarted
    assert "Renamed" in html(build, "en-us/guide/faq/index.html")
    assert_same_as_fresh(build)


def test_broken_front_matter_keeps_the_last_build_until_it_is_fixed(site: Path) -> None:
    build = started(site)
    before = build.state
    faq = site / "content/guide/faq.en-US.md"
    faq.write_text("---\ntitle: [FAQ\n---\n\nQuestions.\n", encoding="utf-8")
    with pytest.raises(LocgenError) as caught:
        build.update([faq])
    assert caught.value.path == faq
    assert caught.value.line == 2
    assert build.state is before
    # Another file changes meanwhile (the build still fails); the fix then brings both in.
    setup = edit(site / "content/guide/setup.en-US.md", "First", "To begin")
    with pytest.raises(LocgenError):
        build.update([setup])
    assert build.state is before
    faq.write_text("---\ntitle: Questions\n---\n\nAnswers.\n", encoding="utf-8")
    build.update([faq])
    assert "To begin" in html(build, "en-us/guide/setup/index.html")
    assert_same_as_fresh(build)


def test_a_moved_folder_is_read_again(site: Path) -> None:
    build = started(site)
    shutil.move(site / "content/guide", site / "content/manual")
    build.update([site / "content/guide", site / "content/manual"])
    assert_same_as_fresh(build)


def test_an_email_edit_renders_that_email_and_the_manifest(tmp_path: Path) -> None:
    root = copy_example_site(tmp_path / "site")
    build = started(root)
    source = root / "content/emails/welcome.de-DE.md"
    source.write_text(source.read_text(encoding="utf-8") + "\nEin neuer Absatz.\n", "utf-8")
    update = build.update([source])
    assert {(job.kind, job.key) for job in update.rendered} == {("email", "emails/welcome")}
    assert "emails/manifest.json" in update.changed
    assert "emails/de-de/welcome.html" in update.changed
    assert_same_as_fresh(build)


def test_a_culture_block_edit_in_the_example_site_matches_a_fresh_build(tmp_path: Path) -> None:
    root = copy_example_site(tmp_path / "site")
    build = started(root)
    pricing = next((root / "content").rglob("pricing.ja-JP.md"))
    text = pricing.read_text(encoding="utf-8")
    pricing.write_text(
        text
        + "\n"
        + textwrap.dedent("""\
        ::: tone direct
        直接のテキスト。
        :::
        ::: tone indirect
        間接のテキスト。
        :::
        """),
        encoding="utf-8",
    )
    update = build.update([pricing])
    assert all(job.key.endswith("pricing") for job in update.rendered if job.kind == "page")
    assert build.state is not None
    page = build.state.index.page("product/pricing", "ja-JP")
    assert page is not None
    assert "間接のテキスト" in html(build, page.output_path)
    assert "直接のテキスト" not in html(build, page.output_path)
    assert_same_as_fresh(build)


def test_every_check_stays_right_across_updates(site: Path) -> None:
    """With every check on (as in serve), findings after each edit equal a fresh check's."""
    request = BuildRequest(root=site, all_checks=True)
    build = SiteBuild(request)
    build.run()

    def same_findings() -> list[str]:
        assert build.state is not None
        fresh = SiteBuild(request).run()
        assert build.state.findings == fresh.findings
        return [f.rule for f in build.state.findings]

    faq = site / "content/guide/faq.en-US.md"
    faq.write_text("---\ntitle: FAQ\n---\n\n## Billing\n\nQuestions.\n", encoding="utf-8")
    build.update([faq])
    install = edit(
        site / "content/guide/install.en-US.md", "Run it.", "See [billing](faq.md#billing)."
    )
    build.update([install])
    assert "links.anchor" not in same_findings()
    # The heading the link points at is renamed: the unchanged page's link breaks.
    build.update([edit(faq, "## Billing", "## Invoices")])
    assert "links.anchor" in same_findings()
    build.update([edit(faq, "## Invoices", "## Billing")])
    assert "links.anchor" not in same_findings()
    # A tone slip appears in a page and goes again.
    build.update([edit(faq, "Questions.", "Buy now!!")])
    assert "culture.tone.exclamation" not in same_findings()  # no indirect culture here
    # A comment switching a rule off comes, is broken, and goes again.
    build.update([edit(faq, "## Billing", "## Invoices")])
    assert "links.anchor" in same_findings()
    comment = "<!-- locgen-disable-next-line links.anchor -->\n"
    build.update([edit(install, "See [billing]", comment + "See [billing]")])
    assert "links.anchor" not in same_findings()
    build.update([edit(install, "next-line links.anchor", "next-line links.nothing")])
    assert "links.anchor" in same_findings()
    build.update([edit(install, "next-line links.nothing", "next-line links.anchor")])
    assert "links.anchor" not in same_findings()
    build.update([edit(install, comment, "")])
    assert "links.anchor" in same_findings()
