"""One test per hook: a site plugin implements it and the built site shows the effect.

Every hook in ``locgen.hookspecs`` must have a ``test_hook_<name>`` here and a
documented contract; the last tests enforce both.
"""

from __future__ import annotations

import inspect
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from locgen import hookspecs
from sitekit import page

CONFIG = """\
[site]
title = "Hooks"
base_url = "https://hooks.example/"
default_locale = "en-US"
locales = ["en-US", "ja-JP", "de-DE"]
theme = "bare"
timezone = "America/New_York"

[params]
company = "Acme Cloud Inc."
address = "100 Market Street, San Francisco"
"""

# A theme layered over the default one whose home page shows what hooks change.
BARE_HOME = """\
<main>{{ page.content }}</main>
<p class="cta">{{ page.params.cta }}</p>
<p class="hero">{{ page.image }}</p>
<p class="flavour">{{ flavour | default("") }}</p>
<p class="filtered">{{ page.title | shout if "shout" in filters_available else "" }}</p>
<footer>{{ compliance_footer() | join(" | ") }}</footer>
"""

HOME = page(
    "Home",
    "::: tone direct\nBuy it now.\n:::\n\n::: tone indirect\nYou might like it.\n:::\n",
)

HookSite = Callable[..., Path]


@pytest.fixture
def hook_site(site_factory: Callable[..., Path]) -> HookSite:
    """A three-locale site with the bare theme and one site plugin."""

    def make(
        plugin: str, files: dict[str, str] | None = None, config: str = CONFIG, name: str = "site"
    ) -> Path:
        return site_factory(
            {
                "themes/bare/templates/home.html": BARE_HOME,
                "content/index.en-US.md": HOME,
                "plugins/under_test.py": "from locgen import hookimpl\n\n" + plugin,
                **(files or {}),
            },
            config=config,
            name=name,
        )

    return make


def build(run_cli: Callable[..., Result], site: Path, *args: str) -> Result:
    result = run_cli(site, "build", *args)
    assert result.exit_code == 0, result.output
    return result


def home(site: Path, locale: str) -> str:
    return (site / "public" / locale / "index.html").read_text(encoding="utf-8")


def test_hook_locgen_cultures(hook_site: HookSite, run_cli: Callable[..., Result]) -> None:
    site = hook_site(
        """
from locgen.cultures import AddressStyle, CultureProfile, ValueScores

STYLE = AddressStyle(
    pronoun="", greeting="Ahoy {given},", greeting_female="", greeting_male="",
    greeting_anonymous="Ahoy crew,", sign_off="Fair winds,",
)

@hookimpl
def locgen_cultures():
    return [CultureProfile(
        id="pirates", name="Pirates", regions=("de",), directness="indirect", context="low",
        formality="informal", name_order="given-family", formal=STYLE, informal=STYLE,
        values=ValueScores(pdi=10, idv=90, mas=50, uai=10, lto=10, ivr=99), angles=(),
        support_channels=("chat",), response_hours=1, compliance="generic",
        holiday_country="",
    )]
""",
        {"content/index.en-US.md": page("Home", "{{< greeting >}}\n\n{{< sign_off >}}")},
        config=CONFIG + '\n[locales."de-DE"]\nculture = "pirates"\n',
    )
    build(run_cli, site)
    german = home(site, "de-de")
    assert "Ahoy crew," in german and "Fair winds," in german
    assert "Ahoy crew," not in home(site, "en-us")


def test_hook_locgen_culture_for_locale(
    hook_site: HookSite, run_cli: Callable[..., Result]
) -> None:
    site = hook_site(
        """
@hookimpl
def locgen_culture_for_locale(locale, cultures):
    return "japan" if locale.tag == "de-DE" else None
"""
    )
    build(run_cli, site)
    # de-DE now reads as Japan does (indirect); en-US keeps the us culture (direct).
    assert "You might like it." in home(site, "de-de")
    assert "Buy it now." in home(site, "en-us")


def test_hook_locgen_prepare_culture(hook_site: HookSite, run_cli: Callable[..., Result]) -> None:
    plugin = """
@hookimpl
def locgen_prepare_culture(culture):
    if culture.id == "us":
        return {"directness": "indirect", "palette.accent": "#123456"}
"""
    site = hook_site(plugin)
    build(run_cli, site)
    assert "You might like it." in home(site, "en-us")

    # The site's [cultures.us] table beats the plugin, setting by setting.
    site2 = hook_site(
        plugin, config=CONFIG + '\n[cultures.us]\ndirectness = "direct"\n', name="site2"
    )
    build(run_cli, site2)
    assert "Buy it now." in home(site2, "en-us")
    report = json.loads(run_cli(site2, "cultures", "en-US", "--format", "json").output)
    settings = report["locales"][0]["settings"]
    assert settings["directness"]["source"] == "site"
    assert settings["palette"] == {
        "value": settings["palette"]["value"],
        "source": "plugin",
        "origin": "site:under_test",
    }
    assert settings["palette"]["value"]["accent"] == "#123456"


def test_hook_locgen_markdown_extensions(
    hook_site: HookSite, run_cli: Callable[..., Result]
) -> None:
    site = hook_site(
        """
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor


class Stamp(Treeprocessor):
    def run(self, root):
        for paragraph in root.iter("p"):
            paragraph.set("data-locale", self.md.locgen.locale.tag)


class StampExtension(Extension):
    def extendMarkdown(self, md):
        md.treeprocessors.register(Stamp(md), "stamp", 1)


@hookimpl
def locgen_markdown_extensions(config):
    return [StampExtension()]
"""
    )
    build(run_cli, site)
    assert '<p data-locale="ja-JP">' in home(site, "ja-jp")


def test_hook_locgen_shortcodes(hook_site: HookSite, run_cli: Callable[..., Result]) -> None:
    site = hook_site(
        """
@hookimpl
def locgen_shortcodes(config):
    def shout(context, text, times="1"):
        return (text.upper() + "! ") * int(times) + context.locale.tag

    return {"shout": shout}
""",
        {"content/index.en-US.md": page("Home", 'Say {{< shout "<hi>" times=2 >}} now.')},
    )
    build(run_cli, site)
    assert "Say &lt;HI&gt;! &lt;HI&gt;! de-DE now." in home(site, "de-de")


def test_hook_locgen_page_markdown(hook_site: HookSite, run_cli: Callable[..., Result]) -> None:
    site = hook_site(
        """
@hookimpl
def locgen_page_markdown(draft, locale, culture):
    draft.text += f"\\n\\nRead in {locale.tag} as {culture.id}."
"""
    )
    build(run_cli, site)
    assert "Read in ja-JP as japan." in home(site, "ja-jp")


def test_hook_locgen_page_html(hook_site: HookSite, run_cli: Callable[..., Result]) -> None:
    site = hook_site(
        """
@hookimpl
def locgen_page_html(draft, page):
    draft.html = f'<div class="wrapped" data-key="{page.key}">{draft.html}</div>'
"""
    )
    build(run_cli, site)
    assert '<div class="wrapped" data-key="index"><p>Buy it now.</p>' in home(site, "en-us")


def test_hook_locgen_resolve_image(hook_site: HookSite, run_cli: Callable[..., Result]) -> None:
    site = hook_site(
        """
@hookimpl
def locgen_resolve_image(path, locale, assets):
    if locale.tag == "de-DE" and "images/alt.svg" in assets:
        return "images/alt.svg"
""",
        {
            "content/index.en-US.md": page("Home", image="/images/hero.svg"),
            "content/images/hero.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
            "content/images/alt.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
        },
    )
    build(run_cli, site)
    assert '<p class="hero">/images/alt.svg</p>' in home(site, "de-de")
    assert '<p class="hero">/images/hero.svg</p>' in home(site, "en-us")


def test_hook_locgen_address_form(hook_site: HookSite, run_cli: Callable[..., Result]) -> None:
    site = hook_site(
        """
@hookimpl
def locgen_address_form(kind, person, culture):
    if kind == "greeting" and culture.id == "germany":
        return f"Moin {person.given}!"
""",
        {
            "content/index.en-US.md": page(
                "Home", '{{< greeting given="Jan" family="Meyer" >}}\n\n{{< sign_off >}}'
            )
        },
    )
    build(run_cli, site)
    german = home(site, "de-de")
    assert "Moin Jan!" in german
    assert "Mit freundlichen Grüßen" in german  # sign-off still from the default
    assert "Hi Jan," in home(site, "en-us")


def test_hook_locgen_compliance_footer(hook_site: HookSite, run_cli: Callable[..., Result]) -> None:
    site = hook_site(
        """
@hookimpl
def locgen_compliance_footer(culture):
    if culture.compliance == "gdpr":
        return ["Datenschutz: privacy@acme.example"]
"""
    )
    build(run_cli, site)
    assert (
        "<footer>Acme Cloud Inc. | 100 Market Street, San Francisco | "
        "Datenschutz: privacy@acme.example</footer>"
    ) in home(site, "de-de")
    assert "Datenschutz" not in home(site, "en-us")


def test_hook_locgen_jinja_environment(hook_site: HookSite, run_cli: Callable[..., Result]) -> None:
    site = hook_site(
        """
@hookimpl
def locgen_jinja_environment(env, locale):
    env.filters["shout"] = lambda text: f"{text.upper()} ({locale.tag})"
    env.globals["filters_available"] = ["shout"]
"""
    )
    build(run_cli, site)
    assert '<p class="filtered">HOME (ja-JP)</p>' in home(site, "ja-jp")


def test_hook_locgen_template_variables(
    hook_site: HookSite, run_cli: Callable[..., Result]
) -> None:
    site = hook_site(
        """
@hookimpl
def locgen_template_variables(page, culture):
    return {"flavour": f"{culture.name}/{page.key if page else '-'}"}
"""
    )
    build(run_cli, site)
    assert '<p class="flavour">Japan/index</p>' in home(site, "ja-jp")


def test_hook_locgen_checks(hook_site: HookSite, run_cli: Callable[..., Result]) -> None:
    site = hook_site(
        """
from locgen.checks import Check
from locgen.findings import Finding


def no_shouting(context):
    for tag in context.locales:
        for page in context.index.pages_in(tag):
            if page.title.isupper():
                yield Finding(rule="style.shouting", level="warning",
                              message="title is in capitals", locale=tag)


@hookimpl
def locgen_checks():
    return [Check("style", "titles are not in capitals", no_shouting)]
""",
        {"content/index.en-US.md": page("HOME")},
    )
    report = json.loads(build(run_cli, site, "--format", "json").output)
    shouting = [f for f in report["findings"] if f["rule"] == "style.shouting"]
    assert [f["locale"] for f in shouting] == ["en-US", "ja-JP", "de-DE"]
    strict = run_cli(site, "build", "--strict")
    assert strict.exit_code == 1


def test_what_a_check_keeps_in_the_store_it_finds_in_the_next_build(
    hook_site: HookSite, run_cli: Callable[..., Result]
) -> None:
    site = hook_site(
        """
from locgen.checks import Check
from locgen.findings import Finding


def count_builds(context):
    builds = context.store.get("builds", 0) + 1
    context.store["builds"] = builds
    yield Finding(rule="count.builds", level="warning", message=f"build number {builds}")


@hookimpl
def locgen_checks():
    return [Check("count", "counts the builds", count_builds)]
"""
    )
    for number in (1, 2, 3):
        report = json.loads(build(run_cli, site, "--format", "json").output)
        counted = [f["message"] for f in report["findings"] if f["rule"] == "count.builds"]
        assert counted == [f"build number {number}"]
    shutil.rmtree(site / ".locgen-cache")  # the store goes with the cache
    report = json.loads(build(run_cli, site, "--format", "json").output)
    assert [f["message"] for f in report["findings"] if f["rule"] == "count.builds"] == [
        "build number 1"
    ]


def test_text_checks_declare_their_rules_and_levels_apply(
    hook_site: HookSite, run_cli: Callable[..., Result]
) -> None:
    plugin = """
from locgen.checks import Check, Rule
from locgen.findings import Finding

SHOUTING = Rule("style.shouting", "warning", "a page title in capitals")


def no_shouting(text):
    if text.fields.get("title", "").isupper():
        yield Finding(rule=SHOUTING.id, level=SHOUTING.level, message="title is in capitals",
                      path=text.path, line=2, locale=text.locale)


@hookimpl
def locgen_checks():
    return [Check("style", "titles are not in capitals", text=no_shouting, rules=(SHOUTING,))]
"""
    site = hook_site(plugin, {"content/index.en-US.md": page("HOME")})
    report = json.loads(run_cli(site, "check", "--format", "json").output)
    shouting = [f for f in report["findings"] if f["rule"] == "style.shouting"]
    assert [(f["locale"], f["line"]) for f in shouting] == [
        ("de-DE", 2),
        ("en-US", 2),
        ("ja-JP", 2),
    ]
    assert "style.shouting" in [rule["id"] for rule in report["rules"]]
    # A warning-level rule does not run in the build; made an error, it stops it.
    assert run_cli(site, "build").exit_code == 0
    config = (site / "locgen.toml").read_text("utf-8")
    (site / "locgen.toml").write_text(config + '\n[checks.rules]\n"style" = "error"\n', "utf-8")
    failed = run_cli(site, "build")
    assert failed.exit_code == 1
    assert "index.en-US.md:2: title is in capitals (en-US) [style.shouting]" in failed.stderr


def test_hook_locgen_tone_rules(hook_site: HookSite, run_cli: Callable[..., Result]) -> None:
    plugin = """
from locgen.prose_rules import ToneRule


@hookimpl
def locgen_tone_rules():
    return [ToneRule("culture.tone.hype", "en", ("game changer",), cultures=("us",),
                     suggestion="say what it changes")]
"""
    site = hook_site(plugin, {"content/index.en-US.md": page("Home", "A real game changer.")})
    report = json.loads(run_cli(site, "check", "--format", "json").output)
    hype = [f for f in report["findings"] if f["rule"] == "culture.tone.hype"]
    # The rule names the us culture, which is direct: only en-US readers get it.
    assert [(f["locale"], f["line"], f["column"]) for f in hype] == [("en-US", 5, 8)]
    assert hype[0]["suggestion"] == "say what it changes"


def test_hook_locgen_build_started(hook_site: HookSite, run_cli: Callable[..., Result]) -> None:
    site = hook_site(
        """
@hookimpl
def locgen_build_started(config, locales):
    (config.root / "started.txt").write_text(",".join(locales))
"""
    )
    build(run_cli, site, "--locale", "de-DE", "--locale", "en-US")
    assert (site / "started.txt").read_text() == "en-US,de-DE"


def test_content_a_plugin_writes_when_the_build_starts_is_the_content_built(
    hook_site: HookSite, run_cli: Callable[..., Result]
) -> None:
    """Pages may be read while the build starts up; not those a plugin may change."""
    many = {
        f"content/page-{n:03}.en-US.md": f"---\ntitle: Page {n}\n---\n\nText {n}.\n"
        for n in range(300)
    }
    site = hook_site(
        """
@hookimpl
def locgen_build_started(config, locales):
    page = config.content_dir / "page-007.en-US.md"
    page.write_text(page.read_text().replace("Text 7.", "Written at the start."))
""",
        many,
    )
    build(run_cli, site, "--no-cache")
    built = (site / "public/en-us/page-007/index.html").read_text(encoding="utf-8")
    assert "Written at the start." in built and "Text 7." not in built


def test_hook_locgen_build_finished(hook_site: HookSite, run_cli: Callable[..., Result]) -> None:
    site = hook_site(
        """
@hookimpl
def locgen_build_finished(config, result):
    built = (config.root / "public" / "en-us" / "index.html").is_file()
    (config.root / "finished.txt").write_text(f"{result.pages} {built}")
"""
    )
    build(run_cli, site)
    assert (site / "finished.txt").read_text() == "3 True"


# -- the contract itself ------------------------------------------------------


def hook_specs() -> dict[str, Callable[..., object]]:
    return {
        name: function
        for name, function in vars(hookspecs).items()
        if name.startswith("locgen_") and callable(function)
    }


def test_every_hook_has_a_test() -> None:
    tests = {name for name in globals() if name.startswith("test_hook_")}
    missing = sorted(
        f"test_hook_{name}" for name in hook_specs() if f"test_hook_{name}" not in tests
    )
    assert not missing, f"hooks without a test: {missing}"
    stale = sorted(t for t in tests if t.removeprefix("test_hook_") not in hook_specs())
    assert not stale, f"tests for hooks that do not exist: {stale}"


@pytest.mark.parametrize("name", sorted(hook_specs()))
def test_every_hook_is_documented(name: str) -> None:
    function = hook_specs()[name]
    doc = inspect.getdoc(function) or ""
    summary = doc.split("\n", 1)[0]
    assert summary.endswith(")."), (
        f"{name}: summary must end with its calling style, e.g. (collect)."
    )
    style = re.search(r"\((collect|select|modify|notify)\)\.$", summary)
    assert style, f"{name}: calling style must be collect, select, modify or notify"
    assert re.search(r"^Runs ", doc, re.MULTILINE), f"{name}: say when it runs ('Runs …')"
    for parameter in inspect.signature(function).parameters:
        assert f":param {parameter}:" in doc, f"{name}: :param {parameter}: is missing"
    returns_nothing = inspect.signature(function).return_annotation in ("None", None)
    assert returns_nothing or ":returns:" in doc, f"{name}: :returns: is missing"
    if style.group(1) == "select":
        flat = " ".join(doc.split())
        assert "first non-``None`` result" in flat, f"{name}: say that it stops at the first result"


def test_hooks_reference_matches_hookspecs() -> None:
    """docs/hooks.md carries each hook's signature and summary as hookspecs.py states them."""
    text = (Path(__file__).resolve().parent.parent / "docs" / "hooks.md").read_text("utf-8")
    for name, function in hook_specs().items():
        parameters = ", ".join(inspect.signature(function).parameters)
        assert f"### `{name}({parameters})`" in text, f"docs/hooks.md lacks {name}({parameters})"
        summary = (inspect.getdoc(function) or "").split("\n", 1)[0]
        assert summary in text, f"docs/hooks.md lacks the summary of {name}"
