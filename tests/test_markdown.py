"""Markdown rendering: the base extensions, Unicode anchors, links and images per locale."""

from __future__ import annotations

from locgen.build import BuildRequest, build_site
from locgen.markup import MarkdownRenderer
from sitekit import page


def test_base_extensions() -> None:
    renderer = MarkdownRenderer()
    rendered = renderer.render(
        "## Plans {: #plans .wide }\n\n"
        "| plan | price |\n|---|---|\n| Team | 16 |\n\n"
        "Secure[^1].\n\n[^1]: AES-256.\n\n"
        "```shell\nacme sync --status\n```\n"
    )
    html = rendered.html
    assert '<h2 class="wide" id="plans">Plans</h2>' in html
    assert "<table>" in html and "<td>Team</td>" in html
    assert 'class="footnote-ref"' in html and 'id="fn:1"' in html
    assert '<code class="language-shell">acme sync --status' in html
    assert 'href="#plans"' in rendered.toc


def test_toc_anchors_keep_unicode_letters() -> None:
    rendered = MarkdownRenderer().render("## 料金プラン\n\n## Größe & Preis\n\n## خطط الأسعار\n")
    assert 'id="料金プラン"' in rendered.html
    assert 'id="größe-preis"' in rendered.html
    assert 'id="خطط-الأسعار"' in rendered.html


def test_renderer_is_reset_between_pages() -> None:
    renderer = MarkdownRenderer()
    renderer.render("A[^1].\n\n[^1]: one\n\n## Intro\n")
    second = renderer.render("## Intro\n")
    assert 'id="intro"' in second.html  # not intro_1: ids start fresh
    assert "footnote" not in second.html


def test_source_links_and_images_become_locale_urls(site_factory) -> None:
    site = site_factory(
        {
            "content/index.en-US.md": page("Home"),
            "content/index.de-DE.md": page("Start"),
            "content/help/index.en-US.md": page("Help"),
            "content/help/index.de-DE.md": page("Hilfe", slug="hilfe"),
            "content/help/reset.en-US.md": page(
                "Reset",
                "See [setup](setup.md#before-you-start), [home](/index.md), "
                "[help](./index.md), [site](https://example.org/x.md) and [top](#top).\n\n"
                "![Hero](../images/hero.png)",
            ),
            "content/help/reset.de-DE.md": page(
                "Zurücksetzen",
                "Siehe [Einrichtung](setup.md).\n\n![Hero](/images/hero.png)",
                slug="zuruecksetzen",
            ),
            "content/help/setup.en-US.md": page("Setup"),
            "content/images/hero.png": b"\x89PNG\r\n",
        }
    )
    build_site(BuildRequest(root=site))
    en = (site / "public/en-us/help/reset/index.html").read_text(encoding="utf-8")
    assert 'href="/en-us/help/setup/#before-you-start"' in en
    assert 'href="/en-us/"' in en
    assert 'href="/en-us/help/"' in en
    assert 'href="https://example.org/x.md"' in en
    assert 'href="#top"' in en
    assert 'src="/images/hero.png"' in en
    de = (site / "public/de-de/hilfe/zuruecksetzen/index.html").read_text(encoding="utf-8")
    assert 'href="/de-de/hilfe/setup/"' in de  # the fallback-served page in German
    assert 'src="/images/hero.png"' in de
    assert (site / "public/images/hero.png").read_bytes() == b"\x89PNG\r\n"


def test_missing_image_is_an_error(site_factory, run_cli) -> None:
    site = site_factory({"content/index.en-US.md": page("Home", "![x](/images/nope.png)")})
    result = run_cli(site, "build")
    assert result.exit_code == 1
    assert "image '/images/nope.png' not found" in result.stderr
    assert "content/index.en-US.md" in result.stderr
