"""The fast Markdown processors (locgen.fast_markdown) give exactly the stock pipeline's HTML.

Every comparison renders one text with two renderers built from the same
extensions, one with ``fast=False`` (stock Python-Markdown processors only),
and requires equal HTML and table of contents.
"""

from __future__ import annotations

import random
import xml.etree.ElementTree as etree
from functools import partial
from pathlib import Path
from typing import Any

import markdown
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.inlinepatterns import SimpleTagInlineProcessor
from markdown.postprocessors import Postprocessor
from markdown.util import Registry

from locgen import fast_markdown
from locgen.build import BuildRequest, build_site
from locgen.culture_markup import CultureMarkupExtension
from locgen.markup import MarkdownRenderer, create_markdown
from locgen.shortcodes import ShortcodeExtension
from sitekit import REPO, copy_example_site, tree_digest


def renderer(*, fast: bool) -> MarkdownRenderer:
    """A renderer with the extensions a build adds (culture markup, shortcodes)."""
    return MarkdownRenderer([CultureMarkupExtension(), ShortcodeExtension()], fast=fast)


# One pair for the whole module, reset between texts as in a build: state that
# leaks from one page to the next would show up too.
FAST = renderer(fast=True)
STOCK = renderer(fast=False)


def assert_same(text: str) -> None:
    """Both renderers give *text* the same HTML and table of contents."""
    assert FAST.render(text) == STOCK.render(text), repr(text)


def body(text: str) -> str:
    """*text* without its ``---`` front matter."""
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return text
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return "\n".join(lines[index + 1 :])
    return text


MARKDOWN_FILES = sorted(
    path.relative_to(REPO).as_posix()
    for folder in ("content", "tests/data")
    for path in (REPO / folder).rglob("*.md")
)

TRICKY = [
    # Emphasis of every kind, nested, unbalanced, intraword.
    "*em* **strong** ***both*** _em_ __strong__ ___both___",
    "**bold *nested em* bold** and *em **nested strong** em* and _a __b__ c_",
    "*unclosed **strong and _mixed* endings_ ***a** b* **a *b***",
    "***strong em*** then **strong*** and *em*** and ***x* y**",
    "snake_case_word, __init__, intra*word*em, a_b_c, 2*3*4, a * b * c, * * *, _ _",
    "*a*b*c* **a**b**c** ***a***b***c*** _a_b_c_ __a__b__c__",
    "**unterminated strong\n\n*unterminated em",
    # Code spans and escapes.
    "`code` ``code with ` tick`` ```triple``` `unclosed and ``` `` ` mismatched",
    "\\`not code\\` \\*not em\\* \\\\`code after an escaped backslash`",
    "\\\\\\`odd` \\\\\\\\`even` and `` \\` `` and `a\\`b`",
    "\\[ \\] \\( \\) \\# \\+ \\- \\. \\! \\{ \\} \\> \\< \\| \\& \\q \\_ \\* \\`",
    "trailing backslash\\\nnext line and \\",
    # Autolinks, raw HTML, entities.
    "<https://example.com/a?q=1&r=2> <mailto:me@example.com> <me@example.com> <not a link>",
    '<span class="x">*html*</span> <br/> <!-- c *x* --> <?pi ?> <![CDATA[x]]> </em>',
    "a < b > c, a <b, 3 < 4 & 5 > 2, <<double>>",
    "&amp; &copy; &#169; &#xA9; & AT&T &notanentity; &; &#; &#x;",
    # Line breaks.
    "one  \ntwo with two trailing spaces  \nthree   \n",
    "*em  \nacross* and `code  \nspan`",
    # Footnotes.
    "note[^1] and another[^n].\n\n[^1]: First.\n[^n]: Second with *em* and `code`.",
    "missing[^none] and [^ space] and [^] and [^1][^1]\n\n[^1]: One.",
    "## Heading with note[^1]\n\n[^1]: In a heading.",
    # Images, links, references.
    '![alt *x*](/img.png "Title") ![ref][logo] ![logo] ![](empty)\n\n[logo]: /logo.png "Logo"',
    "[a](http://x.org) [t](http://x.org 'T') [ref][r] [r] [R][] [n [b]](u) [x] [a](b\n\n"
    "[r]: http://r.org\n[x]: <http://x.org> (Paren title)",
    '[sp](<a b> "t") [unclosed](x and [also [broken](y) [e]() [q](u "unterminated)',
    "[**strong link**](u) **[link in strong](u)** [`code`](u) [a](u)*em*",
    "![img [nested]](i.png) [![img in link](i.png)](u) [link](u) text ![",
    # attr_list.
    "## Heading {: #custom .cls }\n\nPara {: .para }\n\n*em*{: .x } [a](b){: target=_blank }",
    "{: .only }\n\nbraces { here } {{ jinja }} {not: attr} {: .x}} {:}",
    "- item {: .li }\n- other\n\n| a {: .th } | b |\n|---|---|\n| c {: .td } | d |",
    "# Title ## {: #t }\n\nSetext {: .s }\n======",
    # locgen shortcodes and culture inline forms (raw here: no page context).
    '{{< support_hours >}} {{< button "Get started" url="https://acme.example/" >}}',
    "{{</* support_hours */>}} and {{< merge email >}} in `{{< code >}}`",
    "[[tone direct: Buy now | indirect: Explore the plans]] and [[formality formal: Sie | "
    "informal: du]]",
    "# [[tone direct: Start your free trial | indirect: Try Starter free]]\n\n[x](y.md)",
    # Block structure.
    "[TOC]\n\n## One\n\n### Two *em*\n\n#### Four\n\n## One",
    # Headings and the table of contents: ids, duplicates, levels, what a name is made of.
    "## Plans\n\n## Plans\n\n### Plans\n\n## Plans_1\n\n## Plans {: #plans_2 }\n\n## plans",
    "##   Runs   of\twhite   space  \n\n## !!!\n\n## ???\n\n##\n\n# Top\n\n###### Six",
    "## Fish &amp; chips\n\n## AT&T\n\n## a < b > c\n\n## &copy; 2026",
    "## `code` heading\n\n## *em* heading\n\n## [link](u) heading\n\n## <b>raw</b>",
    "## Short {: data-toc-label='Label' }\n\n## Custom {: #my-id }\n\n## Custom",
    "### Three first\n\n## Two\n\n#### Four\n\n### Three\n\n# One\n\n## Two",
    "## 料金プラン\n\n## الأسعار\n\n## Ünïcödé Überschrift\n\n## 料金プラン",
    "## Id with a placeholder {: #a\x0242\x03b }\n\n## Plain",
    "Setext one\n==========\n\nSetext two\n----------\n\n## Setext two",
    "# H #\n\nSetext\n======\n\nSub\n---\n\n***\n\n- - -\n\n___\n\n* * *\n\n--",
    "> quote *em*\n> `code`\n\n>> nested\n\nlazy\n> continuation",
    "1. one\n2. two *em*\n\n    indented para\n\n- a\n- b\n    - nested `c`\n\n3) no",
    "| a | b |\n|---|:-:|\n| `x|y` | *em* |\n| \\| | [l](u) |\n\nsingle | pipe\nnot a table",
    "```python\ncode *not em* <b>\n```\n\n~~~\ntilde & <\n~~~\n\n    indented *code*\n\nafter",
    '<div markdown="1">\n*block html*\n</div>\n\n<p>raw *p*</p>\n\nafter',
    "[id]: http://only.definition\n\ntext [id] and [ID]",
    "[tight]:http://no.space\n[t2]:<http://angle> 'title'\n\n[tight] [t2] [^f]\n\n[^f]:tight",
    # Other scripts and whitespace.
    "Ünïcödé *ẽm* _下划线_ **日本語** `コード` العربية «*x*» — “_y_”",
    "",
    "   ",
    "\n\n\n",
    "\t*tab*\t_x_\t",
    # Line ends, tabs, lines of spaces and the characters Python-Markdown keeps for itself.
    "a\r\nb\rc\r\n\r\n- d\r- e",
    "para\n   \n  \nnext\n\t\n    code\tafter a tab\n \n",
    "\x02stray\x03 and \x0242\x03 and `\x0242\x03` and [\x02](u)",
    "plain words only, nothing special at all",
    "email@example.com http://bare.url www.example.com 50% #hash @at ~tilde",
]


@pytest.mark.parametrize("rel", MARKDOWN_FILES)
def test_repository_markdown(rel: str) -> None:
    assert_same(body((REPO / rel).read_text(encoding="utf-8")))


def test_repository_has_markdown() -> None:
    assert len(MARKDOWN_FILES) > 50


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_inline_and_block_input(text: str) -> None:
    assert_same(text)


WORDS = [
    "customer", "loyalty", "culture", "trust", "service", "support", "product", "brand",
    "value", "team", "partner", "quality", "reliable", "innovation", "global", "market",
    "language", "region", "respect", "feedback", "community", "reward", "experience",
]  # fmt: skip


def corpus_page(seed: int, pages: int = 300) -> str:
    """A page like the benchmark corpus's: prose, headings, lists, links, a table."""
    rng = random.Random(seed)

    def para(n: int = 60) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."

    out = [para(), ""]
    for section in range(4):
        out += [f"## Section {section}", "", para(), "", "- " + para(8), "- " + para(8)]
        out += [f"- [related](../page-{rng.randrange(pages)}/)", "", para(40), ""]
    out += ["| plan | price |", "|---|---|", "| basic | 10 |", "| pro | 20 |", ""]
    return "\n".join(out)


def test_corpus_like_pages() -> None:
    for seed in range(60):
        assert_same(corpus_page(seed))


FRAGMENTS = [
    "*", "**", "***", "_", "__", "`", "``", "\\", "[", "]", "(", ")", "![", "[^1]", "[^x]",
    "<", ">", "</b>", "<b>", "<http://a.b/c>", "<me@x.org>", "&", "&amp;", "&#35;", ";",
    "{", "}", "{: .c }", "{#id}", "|", "#", "## ", "> ", "- ", "1. ", "    ", "  \n", "\n",
    "\n\n", "---", "===", "```", "~~~", ":", "]:", "[ref]", "[ref]: /u", "[^1]: n", "[TOC]",
    "{{< support_hours >}}", "[[tone direct: A | indirect: B]]", "word", " ", "é", "日本",
    "\r\n", "\r", " \n", "\t", "\x02", "\x03", "\x0242\x03",
]  # fmt: skip
"""Markdown syntax pieces the generated texts are made of (with free text between them)."""

markdown_text = st.lists(
    st.one_of(
        st.sampled_from(FRAGMENTS),
        st.text(alphabet="*_`\\[]()!<>&#{}:^|-=+. \n\tab1é", max_size=6),
    ),
    max_size=40,
).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(markdown_text)
def test_generated_markdown(text: str) -> None:
    assert_same(text)


def entries(registry: Registry[Any]) -> list[tuple[str, float]]:
    """Names and priorities of *registry*, in the order its items run."""
    list(registry)  # sorts it
    return [(entry.name, entry.priority) for entry in registry._priority]


def test_processors_keep_their_names_priorities_and_order() -> None:
    fast = create_markdown([CultureMarkupExtension(), ShortcodeExtension()], fast=True)
    stock = create_markdown([CultureMarkupExtension(), ShortcodeExtension()], fast=False)
    for registry in (
        lambda md: md.preprocessors,
        lambda md: md.parser.blockprocessors,
        lambda md: md.inlinePatterns,
        lambda md: md.treeprocessors,
        lambda md: md.postprocessors,
    ):
        assert entries(registry(fast)) == entries(registry(stock))
    replaced = ("hashheader", "setextheader", "hr", "quote", "reference", "table", "footnote")
    for name in replaced:
        assert type(fast.parser.blockprocessors[name]) is not type(
            stock.parser.blockprocessors[name]
        ), name
    for name in ("normalize_whitespace", "html_block", "fenced_code_block"):
        assert type(fast.preprocessors[name]) is not type(stock.preprocessors[name]), name
    assert isinstance(fast.treeprocessors["inline"], fast_markdown.SkippingInlineProcessor)
    assert isinstance(fast.treeprocessors["toc"], fast_markdown.QuickTocTreeprocessor)
    assert isinstance(fast.parser.blockprocessors, fast_markdown.ListedRegistry)


class Shout(BlockProcessor):
    """A block starting ``!!`` becomes a ``<strong>``."""

    def test(self, parent: etree.Element, block: str) -> bool:
        return block.startswith("!!")

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        etree.SubElement(parent, "strong").text = blocks.pop(0)[2:].strip()


def test_block_processors_registered_or_removed_between_pages_take_effect() -> None:
    """The block parser's listed registry lists its processors again after a change."""
    md = create_markdown(fast=True)
    assert md.convert("!! shout") == "<p>!! shout</p>"
    md.parser.blockprocessors.register(Shout(md.parser), "shout", 200)
    assert md.reset().convert("!! shout") == "<strong>shout</strong>"
    md.parser.blockprocessors.deregister("shout")
    assert md.reset().convert("!! shout") == "<p>!! shout</p>"


def test_unknown_inline_pattern_is_always_tried() -> None:
    """A plugin's pattern is not skipped, whatever its text looks like."""

    class Marks(Extension):
        def extendMarkdown(self, md: markdown.Markdown) -> None:
            md.inlinePatterns.register(SimpleTagInlineProcessor(r"(==)(.+?)==", "mark"), "mark", 65)

    fast = MarkdownRenderer([Marks()], fast=True)
    stock = MarkdownRenderer([Marks()], fast=False)
    for text in ("a ==marked== b", "==*x*== `c` ==", "plain"):
        assert fast.render(text) == stock.render(text)
    assert "<mark>marked</mark>" in fast.render("a ==marked== b").html


def test_a_plugin_postprocessor_reaches_heading_names_and_ids() -> None:
    """A plugin's postprocessor changes headings' names in the table of contents, and
    with them their ids, as it does with the stock processors."""

    class Shout(Postprocessor):
        def run(self, text: str) -> str:
            return text.replace("Plans", "PLANS")

    class Shouting(Extension):
        def extendMarkdown(self, md: markdown.Markdown) -> None:
            md.postprocessors.register(Shout(md), "shout", 5)

    fast = MarkdownRenderer([Shouting()], fast=True)
    stock = MarkdownRenderer([Shouting()], fast=False)
    text = "## Plans\n\n## Plans\n\n## Prices"
    assert fast.render(text) == stock.render(text)
    assert 'href="#plans_1">PLANS</a>' in fast.render(text).toc


def test_example_site_builds_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With page context (shortcodes, culture blocks, links), every output file is equal."""
    fast_site = copy_example_site(tmp_path / "fast")
    build_site(BuildRequest(root=fast_site))
    stock_site = copy_example_site(tmp_path / "stock")
    monkeypatch.setattr("locgen.render.MarkdownRenderer", partial(MarkdownRenderer, fast=False))
    build_site(BuildRequest(root=stock_site))
    assert tree_digest(fast_site / "public") == tree_digest(stock_site / "public")
