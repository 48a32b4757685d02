"""Content discovery: translation groups, front matter, slugs, drafts, sections."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

from locgen.config import load_config
from locgen.pages import build_index
from locgen.sources import read_content
from sitekit import page


def index_of(site, drafts=False):
    config = load_config(site)
    return build_index(config, read_content(config), include_drafts=drafts)


def test_files_sharing_a_name_are_one_translation_group(site_factory) -> None:
    site = site_factory(
        {
            "content/index.en-US.md": page("Home"),
            "content/index.de-DE.md": page("Startseite"),
            "content/product/pricing.en-US.md": page("Pricing", date="2026-11-01"),
            "content/product/pricing.de-DE.md": page("Preise", slug="preise"),
            "content/product/index.de-DE.md": page("Produkt", slug="produkt"),
            "content/product/index.en-US.md": page("Product"),
            "content/images/hero.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
        }
    )
    index = index_of(site)
    assert set(index.groups) == {"index", "product/index", "product/pricing"}
    assert set(index.groups["product/pricing"]) == {"en-US", "de-DE"}
    assert index.assets == ("images/hero.svg",)
    en = index.page("product/pricing", "en-US")
    de = index.page("product/pricing", "de-DE")
    assert en.url == "/en-us/product/pricing/"
    # The German page uses its own slug and its section's German slug.
    assert de.url == "/de-de/produkt/preise/"
    assert de.output_path == "de-de/produkt/preise/index.html"
    assert en.date == dt.date(2026, 11, 1)
    assert index.page("index", "de-DE").kind == "home"
    assert index.page("product/index", "de-DE").kind == "section"


def test_front_matter_is_optional_and_extra_keys_reach_templates(site_factory) -> None:
    site = site_factory(
        {
            "content/index.en-US.md": "# Just Markdown\n",
            "content/faq.en-US.md": page("FAQ", audience="admins"),
        }
    )
    index = index_of(site)
    assert index.page("index", "en-US").title == "Test Site"
    assert index.page("faq", "en-US").params["audience"] == "admins"


def test_drafts_are_skipped_unless_asked_for(site_factory) -> None:
    site = site_factory(
        {
            "content/index.en-US.md": page("Home"),
            "content/news.en-US.md": page("Launch", draft="true"),
        }
    )
    assert index_of(site).page("news", "en-US") is None
    assert index_of(site, drafts=True).page("news", "en-US") is not None


def test_folder_without_landing_gets_a_generated_section(site_factory) -> None:
    site = site_factory(
        {
            "content/index.en-US.md": page("Home"),
            "content/guides/setup.en-US.md": page("Setup"),
        }
    )
    index = index_of(site)
    section = index.page("guides/index", "en-US")
    assert section is not None and section.source is None
    assert section.title == "Guides"
    assert [p.key for p in index.children(section)] == ["guides/setup"]


def test_bom_and_windows_line_ends_are_accepted(site_factory) -> None:
    site = site_factory(
        {
            "content/index.en-US.md": "\ufeff---\r\ntitle: Home\r\n---\r\n\r\nHello\r\n".encode(),
        }
    )
    home = index_of(site).page("index", "en-US")
    assert home.title == "Home"
    assert home.source.body == "\nHello\n"


def test_children_are_ordered_by_weight_then_newest(site_factory) -> None:
    site = site_factory(
        {
            "content/index.en-US.md": page("Home"),
            "content/blog/index.en-US.md": page("Blog"),
            "content/blog/a.en-US.md": page("A", date="2026-01-01"),
            "content/blog/b.en-US.md": page("B", date="2026-03-01"),
            "content/blog/c.en-US.md": page("C", weight=1),
        }
    )
    index = index_of(site)
    blog = index.page("blog/index", "en-US")
    assert [p.title for p in index.children(blog)] == ["C", "B", "A"]


def test_yaml_anchors_and_merge_keys_work(site_factory) -> None:
    site = site_factory(
        {
            "content/index.en-US.md": "---\ntitle: Home\nbase: &b {color: teal}\n"
            "theme_opts:\n  <<: *b\n  size: 2\n---\n",
        }
    )
    home = index_of(site).page("index", "en-US")
    assert home.params["theme_opts"] == {"color": "teal", "size": 2}


def test_a_folder_removed_while_the_content_is_listed_is_left_out(
    site_factory, monkeypatch
) -> None:
    # An editor or a `git checkout` can remove a folder between the moment its
    # parent is listed and the moment it is read (the dev server reads while
    # files change). The folder really goes away at that moment here.
    site = site_factory(
        {
            "content/index.en-US.md": page("Home"),
            "content/gone/index.en-US.md": page("Gone"),
            "content/gone/child.en-US.md": page("Child"),
        }
    )
    gone = site / "content" / "gone"
    real_scandir = os.scandir

    def scandir_after_removal(path):
        if isinstance(path, Path) and path == gone:
            shutil.rmtree(gone)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir_after_removal)
    tree = read_content(load_config(site))
    assert [source.rel_path for source in tree.sources] == ["index.en-US.md"]
