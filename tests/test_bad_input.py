"""Every user mistake ends in one located message, exit 1 or 2, and an untouched output."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitekit import page, tree_digest

GOOD = {
    "content/index.en-US.md": page("Home", "Welcome. [Pricing](/product/pricing.md)"),
    "content/index.de-DE.md": page("Startseite"),
    "content/product/pricing.en-US.md": page("Pricing"),
    "content/product/pricing.de-DE.md": page("Preise", slug="preise"),
}


def break_site(site: Path, rel: str, text: str | bytes) -> None:
    path = site / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")


CASES = [
    pytest.param(
        "content/product/pricing.de-DE.md",
        "---\ntitle: Preise\nslug: [preise\n---\nText\n",
        "invalid YAML in front matter",
        "content/product/pricing.de-DE.md:3",
        1,
        id="malformed-yaml",
    ),
    pytest.param(
        "content/product/pricing.de-DE.md",
        "---\n- a\n- b\n---\nText\n",
        "front matter is not a mapping",
        "content/product/pricing.de-DE.md:2",
        1,
        id="front-matter-not-a-mapping",
    ),
    pytest.param(
        "content/product/pricing.de-DE.md",
        "---\ntitle: Preise\nText\n",
        "front matter is not closed",
        "content/product/pricing.de-DE.md:1",
        1,
        id="front-matter-not-closed",
    ),
    pytest.param(
        "content/product/pricing.fr-FR.md",
        page("Tarifs"),
        "locale 'fr-FR' is not one of the site's locales",
        "content/product/pricing.fr-FR.md",
        1,
        id="locale-suffix-not-in-config",
    ),
    pytest.param(
        "content/product/features.md",
        page("Features"),
        "file name has no locale suffix",
        "content/product/features.md",
        1,
        id="no-locale-suffix",
    ),
    pytest.param(
        "content/product/plans.de-DE.md",
        page("Pläne", slug="preise"),
        "two pages have the same URL /de-de/product/preise/: "
        "product/plans.de-DE.md and product/pricing.de-DE.md",
        "content/product/pricing.de-DE.md:3",
        1,
        id="two-pages-one-url",
    ),
    pytest.param(
        "content/product/pricing.de-DE.md",
        page("Preise", slug="../../etc"),
        "slug '../../etc' is not a single URL segment",
        "content/product/pricing.de-DE.md:3",
        1,
        id="slug-escapes-with-dots",
    ),
    pytest.param(
        "content/product/pricing.de-DE.md",
        page("Preise", slug="a/b"),
        "slug 'a/b' is not a single URL segment",
        "content/product/pricing.de-DE.md:3",
        1,
        id="slug-with-slash",
    ),
    pytest.param(
        "content/product/pricing.de-DE.md",
        page("Preise", template="landing"),
        "template 'landing.html' not found",
        "content/product/pricing.de-DE.md:3",
        1,
        id="missing-template",
    ),
    pytest.param(
        "content/product/pricing.de-DE.md",
        b"---\ntitle: Preise\n---\n\nZeile zwei\n" + b"caf\xe9\n",
        "file is not valid UTF-8",
        "content/product/pricing.de-DE.md:6",
        1,
        id="non-utf8",
    ),
    pytest.param(
        "content/index.en-US.md",
        page("Home", "See [gone](/product/gone.md)."),
        "link to '/product/gone.md': no page content/product/gone.<locale>.md",
        "content/index.en-US.md:5",
        1,
        id="link-to-missing-page",
    ),
    pytest.param(
        "content/product/pricing.de-DE.md",
        page("Preise", date="soon"),
        "front matter 'date' 'soon' is not a date",
        "content/product/pricing.de-DE.md:3",
        1,
        id="bad-date",
    ),
    pytest.param(
        "content/product/pricing.de-DE.md",
        "---\ntitle: Preise\ndate: 2026-13-45\n---\nText\n",
        "invalid value in front matter: month must be in 1..12",
        "content/product/pricing.de-DE.md:3",
        1,
        id="impossible-date",
    ),
    pytest.param(
        "content/product/pricing.de-DE.md",
        "---\ntitle: Preise\nslug: preise\ntitle: Tarife\n---\nText\n",
        "front matter key 'title' is given twice (first on line 2)",
        "content/product/pricing.de-DE.md:4",
        1,
        id="duplicate-key",
    ),
    pytest.param(
        "locgen.toml",
        "[site]\ntitle = 'x'\ndefault_locale = 'en-US'\nlocales = ['en-US', 'qq-ZZ']\n",
        "unknown locale 'qq-ZZ'",
        "locgen.toml:4",
        1,
        id="unknown-locale-tag",
    ),
]


@pytest.mark.parametrize(("rel", "text", "message", "where", "code"), CASES)
def test_mistake_is_one_located_message_and_output_survives(
    site_factory, run_cli, rel: str, text: str | bytes, message: str, where: str, code: int
) -> None:
    site = site_factory(GOOD)
    assert run_cli(site, "build").exit_code == 0
    before = tree_digest(site / "public")

    break_site(site, rel, text)
    result = run_cli(site, "build")

    assert result.exit_code == code, result.output
    assert message in result.stderr
    assert f"{where}:" in result.stderr or f"{where} " in result.stderr
    assert "Traceback" not in result.output
    assert result.stderr.count("error:") == 1
    assert tree_digest(site / "public") == before


def site_with_page_template(site_factory, template: str) -> Path:
    """The GOOD site with a theme of its own whose page.html is *template*."""
    return site_with_templates(site_factory, {"page.html": template})


def site_with_templates(site_factory, templates: dict[str, str]) -> Path:
    """The GOOD site with a theme of its own that holds *templates*, by name."""
    return site_factory(
        {**GOOD, **{f"themes/mine/templates/{name}": text for name, text in templates.items()}},
        config="""\
        [site]
        title = "T"
        default_locale = "en-US"
        locales = ["en-US", "de-DE"]
        theme = "mine"
        """,
    )


def test_jinja_syntax_error_names_template_and_line(site_factory, run_cli) -> None:
    site = site_with_page_template(site_factory, "<p>\n{{ page.title }\n</p>\n")
    result = run_cli(site, "build")
    assert result.exit_code == 1
    assert "themes/mine/templates/page.html:2: template syntax error" in result.stderr


@pytest.mark.parametrize(
    "broken",
    [
        ["home.html"],
        ["partials/language-switcher.html"],
        ["partials/language-switcher.html", "partials/footer.html"],  # footer comes first
    ],
)
def test_the_first_template_that_does_not_compile_is_named(
    site_factory, run_cli, broken: list[str]
) -> None:
    """Templates compile in two processes (a copy begins, the build process joins in
    later, each taking the next one); the error is the one a single process meets."""
    site = site_with_templates(site_factory, dict.fromkeys(broken, "<p>\n{{ page.title }\n</p>\n"))
    result = run_cli(site, "build")
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    where = f"themes/mine/templates/{broken[-1]}:2"
    assert errors == [f"error: {where}: template syntax error: unexpected '}}'"]


def test_a_page_that_does_not_read_is_named_before_a_template_that_does_not_compile(
    site_factory, run_cli
) -> None:
    """The templates compile in a copy while the content is read; the error is still
    the one a single process meets first: the page's."""
    site = site_with_templates(site_factory, {"home.html": "<p>\n{{ page.title }\n</p>\n"})
    break_site(site, "content/product/pricing.de-DE.md", "---\ntitle: Preise\nslug: [x\n---\n")
    result = run_cli(site, "build")
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.stderr
    assert errors[0].startswith("error: content/product/pricing.de-DE.md:3: invalid YAML")


def test_template_runtime_error_names_template_and_line(site_factory, run_cli) -> None:
    site = site_with_page_template(site_factory, "<p>\n{{ page.title.no_such_method() }}\n</p>\n")
    result = run_cli(site, "build")
    assert result.exit_code == 1
    assert "themes/mine/templates/page.html:2" in result.stderr
    assert "no_such_method" in result.stderr


def test_empty_content_folder(site_factory, run_cli) -> None:
    site = site_factory({"content/.keep": ""})
    result = run_cli(site, "build")
    assert result.exit_code == 1
    assert "content: the content folder has no Markdown pages" in result.stderr
    assert "content/index.en-US.md" in result.stderr


def test_unknown_locale_option_is_a_usage_error(site_factory, run_cli) -> None:
    site = site_factory(GOOD)
    result = run_cli(site, "build", "--locale", "fr-FR")
    assert result.exit_code == 2
    assert "--locale 'fr-FR' is not one of the site's locales" in result.stderr


def test_output_that_would_replace_sources_is_refused(site_factory, run_cli) -> None:
    site = site_factory(GOOD)
    for output in (".", "content", ".."):
        result = run_cli(site, "build", "--output", output)
        assert result.exit_code == 1, output
        assert "overlaps" in result.stderr
    assert (site / "content" / "index.en-US.md").is_file()


def test_file_in_content_that_collides_with_generated_output(site_factory, run_cli) -> None:
    site = site_factory({**GOOD, "content/sitemap.xml": "<urlset/>"})
    result = run_cli(site, "build")
    assert result.exit_code == 1
    assert "content/sitemap.xml: two outputs would be written to sitemap.xml" in result.stderr
