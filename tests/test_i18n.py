"""Theme strings: catalogs compiled in memory, site catalogs over bundled ones, pybabel layout."""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po

from sitekit import page

THEME = {
    "themes/mine/templates/home.html": '<p>{{ _("Welcome") }}|{{ pgettext("nav", "Home") }}'
    '|{{ pgettext("verb", "Home") }}|{{ _("Hello %(name)s", name="<Anna>") }}'
    '|{{ _("Draft") }}</p>\n',
}
CONFIG = """\
[site]
title = "T"
default_locale = "en-US"
locales = ["en-US", "de-DE"]
theme = "mine"
"""
DE_PO = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Welcome"
msgstr "Willkommen"

msgctxt "nav"
msgid "Home"
msgstr "Startseite"

msgid "Hello %(name)s"
msgstr "Hallo %(name)s"

#, fuzzy
msgid "Draft"
msgstr "Entwurf?"
"""


def test_catalog_is_compiled_in_memory_with_contexts(site_factory, run_cli) -> None:
    site = site_factory(
        {
            **THEME,
            "content/index.en-US.md": page("Home"),
            "content/index.de-DE.md": page("Start"),
            "locales/de_DE/LC_MESSAGES/messages.po": DE_PO,
        },
        config=CONFIG,
    )
    assert run_cli(site, "build").exit_code == 0
    german = (site / "public/de-de/index.html").read_text(encoding="utf-8")
    # pgettext picks by context; fuzzy entries are not used; values are escaped.
    assert german == "<p>Willkommen|Startseite|Home|Hallo &lt;Anna&gt;|Draft</p>\n"
    english = (site / "public/en-us/index.html").read_text(encoding="utf-8")
    assert english.startswith("<p>Welcome|Home|Home|")
    assert not list(site.rglob("*.mo")), "builds never write .mo files"


def test_hyphenated_catalog_folder_is_accepted(site_factory, run_cli) -> None:
    site = site_factory(
        {
            **THEME,
            "content/index.en-US.md": page("Home"),
            "locales/de-DE/LC_MESSAGES/messages.po": DE_PO,
        },
        config=CONFIG,
    )
    assert run_cli(site, "build").exit_code == 0
    assert "Willkommen" in (site / "public/de-de/index.html").read_text(encoding="utf-8")


def test_broken_catalog_is_a_located_error(site_factory, run_cli) -> None:
    site = site_factory(
        {
            **THEME,
            "content/index.en-US.md": page("Home"),
            "locales/de_DE/LC_MESSAGES/messages.po": DE_PO.replace(
                'msgstr "Willkommen"', "msgstr Willkommen"
            ),
        },
        config=CONFIG,
    )
    result = run_cli(site, "build")
    assert result.exit_code == 1
    assert "locales/de_DE/LC_MESSAGES/messages.po:6: invalid PO file" in result.stderr


def test_bundled_theme_is_translated_for_a_new_site(site_factory, run_cli) -> None:
    site = site_factory({"content/index.en-US.md": page("Home")})
    assert run_cli(site, "build").exit_code == 0
    not_found = (site / "public/de-de/404.html").read_text(encoding="utf-8")
    assert "Seite nicht gefunden" in not_found


def test_extract_init_update_compile_use_the_pybabel_layout(site_factory, run_cli) -> None:
    site = site_factory({**THEME, "content/index.en-US.md": page("Home")}, config=CONFIG)
    assert run_cli(site, "i18n", "extract").exit_code == 0
    pot = (site / "locales/messages.pot").read_text(encoding="utf-8")
    assert "#: themes/mine/templates/home.html:1" in pot  # relative, the same on any machine
    with (site / "locales/messages.pot").open("rb") as handle:
        template = read_po(handle)
    assert {(m.context, m.id) for m in template if m.id} == {
        (None, "Welcome"),
        ("nav", "Home"),
        ("verb", "Home"),
        (None, "Hello %(name)s"),
        (None, "Draft"),
    }

    result = run_cli(site, "i18n", "init", "--locale", "de-DE")
    assert result.exit_code == 0, result.output
    catalog = site / "locales/de_DE/LC_MESSAGES/messages.po"
    assert catalog.is_file()

    text = catalog.read_text(encoding="utf-8").replace(
        'msgid "Welcome"\nmsgstr ""', 'msgid "Welcome"\nmsgstr "Willkommen"'
    )
    catalog.write_text(text, encoding="utf-8")
    (site / "themes/mine/templates/home.html").write_text(
        THEME["themes/mine/templates/home.html"] + '{{ _("New string") }}\n', encoding="utf-8"
    )
    assert run_cli(site, "i18n", "extract").exit_code == 0
    assert run_cli(site, "i18n", "update").exit_code == 0
    with catalog.open("rb") as handle:
        updated = read_po(handle)
    assert updated.get("Welcome").string == "Willkommen"
    assert updated.get("New string") is not None

    assert run_cli(site, "i18n", "compile").exit_code == 0
    assert (site / "locales/de_DE/LC_MESSAGES/messages.mo").is_file()


def test_i18n_update_without_template_is_a_usage_error(site_factory, run_cli) -> None:
    site = site_factory({"content/index.en-US.md": page("Home")})
    result = run_cli(site, "i18n", "update")
    assert result.exit_code == 2
    assert "locgen i18n extract" in result.stderr


def test_repository_catalogs_cover_every_theme_string() -> None:
    from babel.messages.pofile import read_po as read

    root = Path(__file__).resolve().parent.parent / "locales"
    with (root / "messages.pot").open("rb") as handle:
        wanted = {(m.context, m.id) for m in read(handle) if m.id}
    for tag in ["en_GB", "de_DE", "sv_SE", "ja_JP", "zh_CN", "ar_SA", "pt_BR"]:
        with (root / tag / "LC_MESSAGES/messages.po").open("rb") as handle:
            catalog = read(handle)
        translated = {(m.context, m.id) for m in catalog if m.id and m.string and not m.fuzzy}
        assert wanted <= translated, f"{tag}: {wanted - translated}"


FORMALITY_THEME = {
    "themes/mine/templates/home.html": (
        '<p>{{ formality_gettext("Contact us") }}|{{ formality_gettext("Thanks") }}'
        '|{{ formality_gettext("Hi %(name)s", name="<Anna>") }}</p>\n'
    ),
}
FORMALITY_PO = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

msgctxt "formal"
msgid "Contact us"
msgstr "Kontaktieren Sie uns"

msgctxt "informal"
msgid "Contact us"
msgstr "Schreib uns"

msgid "Thanks"
msgstr "Danke"

msgctxt "formal"
msgid "Hi %(name)s"
msgstr "Guten Tag %(name)s"
"""


def test_formality_gettext_picks_the_cultures_register(site_factory, run_cli) -> None:
    config = CONFIG + '\n[cultures.germany]\nformality = "informal"\n'
    files = {
        **FORMALITY_THEME,
        "content/index.en-US.md": page("Home"),
        "locales/de_DE/LC_MESSAGES/messages.po": FORMALITY_PO,
    }
    formal = site_factory(files, config=CONFIG, name="formal")
    informal = site_factory(files, config=config, name="informal")
    for site in (formal, informal):
        assert run_cli(site, "build").exit_code == 0
    # germany is formal by default; a missing context entry falls back to the plain one.
    assert (formal / "public/de-de/index.html").read_text("utf-8") == (
        "<p>Kontaktieren Sie uns|Danke|Guten Tag &lt;Anna&gt;</p>\n"
    )
    assert (informal / "public/de-de/index.html").read_text("utf-8") == (
        "<p>Schreib uns|Danke|Hi &lt;Anna&gt;</p>\n"
    )


def test_extract_writes_formal_and_informal_entries(site_factory, run_cli) -> None:
    site = site_factory({**FORMALITY_THEME, "content/index.en-US.md": page("Home")}, config=CONFIG)
    assert run_cli(site, "i18n", "extract").exit_code == 0
    with (site / "locales/messages.pot").open("rb") as handle:
        template = read_po(handle)
    assert {(m.context, m.id) for m in template if m.id} == {
        ("formal", "Contact us"),
        ("informal", "Contact us"),
        ("formal", "Thanks"),
        ("informal", "Thanks"),
        ("formal", "Hi %(name)s"),
        ("informal", "Hi %(name)s"),
    }
