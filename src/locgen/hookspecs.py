"""The plugin contract: every hook locgen calls, when it runs and what it returns.

Hooks take keyword arguments; an implementation may accept any subset of
them. Each hook has one calling style:

- *collect*: every implementation's result is gathered, in the order pluggy
  calls them (``tryfirst`` implementations, then the latest registered first);
- *select*: the first non-``None`` result wins (``firstresult``);
- *modify*: implementations change the object they are given, in place;
- *notify*: the result is ignored.

Plugins register in a fixed order: locgen's built-in plugin, the bundled
cultures, ``locgen.plugins`` entry points by name, then the site's
``plugins/*.py`` by file name. For *select* hooks the last registered plugin is
asked first, so a site plugin overrides a bundled one, and locgen's own
defaults (``trylast``) answer only when nobody else does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    import jinja2
    from markdown.extensions import Extension

    from locgen.address import Person
    from locgen.checks import Check
    from locgen.config import SiteConfig
    from locgen.cultures import CultureProfile
    from locgen.locales import SiteLocale
    from locgen.pages import Page
    from locgen.prose_rules import ToneRule
    from locgen.report import BuildResult
    from locgen.shortcodes import PageDraft, Shortcode

PROJECT = "locgen"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)
"""Decorator that marks a plugin function as the implementation of a hook."""


@hookspec
def locgen_cultures() -> Iterable[CultureProfile]:
    """Register culture profiles (collect).

    Runs once per build, right after plugins load and before any locale is
    given a culture. Two plugins registering the same id is an error.

    :returns: the :class:`~locgen.cultures.CultureProfile` objects this plugin supplies.
    """


@hookspec(firstresult=True)
def locgen_culture_for_locale(
    locale: SiteLocale, cultures: Mapping[str, CultureProfile]
) -> str | None:
    """Choose the culture of a locale that ``[locales.X].culture`` does not name (select).

    Runs once per locale after cultures are registered. Stops at the first
    non-``None`` result. The built-in default matches each profile's
    ``regions``: language and territory (``de-CH``), then territory (``JP``),
    then language (``ja``); with no match the locale gets the ``neutral``
    profile and the build reports a warning.

    :param locale: the locale being set up.
    :param cultures: every registered profile, by id, in registration order.
    :returns: a culture id from *cultures*, or ``None`` to let the next plugin decide.
    """


@hookspec
def locgen_prepare_culture(culture: CultureProfile, config: SiteConfig) -> Mapping[str, Any] | None:
    """Change settings of a culture profile before it is used (collect).

    Runs once per culture in use, after locale selection. For each setting
    the first plugin called wins, so a site plugin beats a bundled one; the
    built-in implementation that applies the site's ``[cultures.<id>]`` table
    is ``tryfirst`` and beats them all. ``locgen cultures`` shows where each
    setting came from.

    :param culture: the profile as registered.
    :param config: the site configuration.
    :returns: dotted settings to change (``{"formality": "informal", "palette.accent": "#c00"}``),
        or ``None`` for no change.
    """


@hookspec
def locgen_markdown_extensions(config: SiteConfig) -> Iterable[Extension]:
    """Add Python-Markdown extensions to the page renderer (collect).

    Runs once per build when the renderer is created. While a page converts,
    an extension reads the page's :class:`~locgen.shortcodes.RenderContext`
    (locale, culture, page) from ``md.locgen``.

    :param config: the site configuration.
    :returns: ``markdown.extensions.Extension`` instances.
    """


@hookspec
def locgen_shortcodes(config: SiteConfig) -> Mapping[str, Shortcode]:
    """Register shortcodes usable in content (``{{< name arg key="v" >}}``) and templates (collect).

    Runs once per build. A shortcode is called as ``function(context, *args,
    **kwargs)`` with a :class:`~locgen.shortcodes.RenderContext`; it returns
    text (escaped on output) or ``markupsafe.Markup`` (inserted as HTML). A
    later plugin's shortcode replaces an earlier one of the same name.

    :param config: the site configuration.
    :returns: shortcode functions by name.
    """


@hookspec
def locgen_page_markdown(
    page: Page, draft: PageDraft, locale: SiteLocale, culture: CultureProfile
) -> None:
    """Change a page's Markdown before it is converted (modify).

    Runs for every page in every locale, before culture blocks, the
    phrasebook and shortcodes are applied. Change ``draft.text`` in place;
    keep its line count so error messages point at the right lines.

    :param page: the page being rendered.
    :param draft: holds the Markdown body in ``draft.text``.
    :param locale: the reader's locale.
    :param culture: the reader's culture profile.
    """


@hookspec
def locgen_page_html(
    page: Page, draft: PageDraft, locale: SiteLocale, culture: CultureProfile
) -> None:
    """Change a page's body HTML after Markdown conversion (modify).

    Runs for every page in every locale, before the page template renders.
    Change ``draft.html`` in place.

    :param page: the page being rendered.
    :param draft: holds the body HTML in ``draft.html``.
    :param locale: the reader's locale.
    :param culture: the reader's culture profile.
    """


@hookspec(firstresult=True)
def locgen_resolve_image(
    path: str, locale: SiteLocale, culture: CultureProfile, assets: frozenset[str], page: Page
) -> str | None:
    """Choose which image file a reference shows in a locale (select).

    Runs for every image a page uses (Markdown images and the front-matter
    ``image``), per locale. Stops at the first non-``None`` result. The
    built-in default picks the most specific file that exists:
    ``hero.ja-JP.jpg``, then ``hero.japan.jpg``, then ``hero.jpg``.

    :param path: the referenced file, relative to ``content/`` (``images/hero.jpg``).
    :param locale: the reader's locale.
    :param culture: the reader's culture profile.
    :param assets: every non-Markdown file under ``content/``, relative paths.
    :param page: the page showing the image.
    :returns: the path (relative to ``content/``) of the file to show, or ``None``.
        An answer that is not a plain relative path inside ``content/`` (``../x``,
        ``/etc/x``) stops the build with an error naming the plugin.
    """


@hookspec(firstresult=True)
def locgen_address_form(
    kind: str, person: Person, locale: SiteLocale, culture: CultureProfile, page: Page | None
) -> str | None:
    """Write a greeting or a sign-off for a reader (select).

    Runs when the ``greeting`` or ``sign_off`` shortcode is used, in content
    or templates. Stops at the first non-``None`` result. The built-in
    default fills the culture's patterns for its formality, choosing the
    pattern by what is known of the person (gender, name or nothing).

    :param kind: ``greeting`` or ``sign_off``.
    :param person: who is addressed (fields may hold merge tags); empty when unknown.
    :param locale: the reader's locale.
    :param culture: the reader's culture profile.
    :param page: the page being rendered, or ``None`` in a template made by the theme alone.
    :returns: the line of text, e.g. ``Sehr geehrte Frau Schmidt,``.
    """


@hookspec
def locgen_compliance_footer(
    locale: SiteLocale, culture: CultureProfile, config: SiteConfig, category: str | None
) -> Iterable[str]:
    """Add lines to the legal footer of the locale's pages and emails (collect).

    Runs when a template calls ``compliance_footer()`` (pages) or
    ``compliance_footer(email.category)`` (emails). The built-in
    implementation (``tryfirst``, so its lines come first) writes the sender
    identity every regime asks for and the culture's registration lines; for
    transactional mail it writes nothing unless the culture sets
    ``transactional_footer``.

    :param locale: the reader's locale.
    :param culture: the reader's culture profile.
    :param config: the site configuration (``[params]`` holds company and address).
    :param category: ``marketing`` or ``transactional`` in an email, ``None`` on a page.
    :returns: footer lines, in order.
    """


@hookspec
def locgen_jinja_environment(
    env: jinja2.Environment, locale: SiteLocale, culture: CultureProfile
) -> None:
    """Change a locale's Jinja2 environment: filters, tests, globals (modify).

    Runs once per locale, when its environment is first created.

    :param env: the locale's environment.
    :param locale: the locale it renders.
    :param culture: the locale's culture profile.
    """


@hookspec
def locgen_template_variables(
    page: Page | None, locale: SiteLocale, culture: CultureProfile
) -> Mapping[str, Any]:
    """Add variables to the context of a page template (collect).

    Runs for every rendered template (pages, 404 pages, the root chooser).
    Later plugins' values replace earlier ones of the same name. The built-in
    implementation adds ``culture`` and ``culture_css``.

    :param page: the page being rendered, or ``None`` for pages made by the theme alone.
    :param locale: the reader's locale.
    :param culture: the reader's culture profile.
    :returns: variable names and values.
    """


@hookspec
def locgen_checks() -> Iterable[Check]:
    """Register checks and the rule ids they report (collect).

    Runs once per build. A check's ``text`` function runs for every page and
    email in every locale, on the prose its readers get, while the page
    renders; its ``run`` function runs once after every page has rendered,
    on the whole site. Their findings go through the site's ``[checks]``
    settings and inline suppressions, then into ``locgen check`` and the
    build report. ``locgen build`` runs only the checks that can report an
    error; ``locgen check`` and ``locgen serve`` run them all.

    :returns: :class:`~locgen.checks.Check` objects; every rule id their
        findings use must be among their ``rules``.
    """


@hookspec
def locgen_tone_rules() -> Iterable[ToneRule]:
    """Contribute tone rules: phrases a culture's readers find blunt or pushy (collect).

    Runs once per build. Each :class:`~locgen.prose_rules.ToneRule` names a
    ``culture.tone.*`` rule id, the language of the text it applies to, its
    phrases, and the cultures it applies to (by default every culture whose
    directness is ``indirect``). The built-in implementation contributes
    locgen's default rules; a site adds its own under ``[[checks.tone]]``.

    :returns: :class:`~locgen.prose_rules.ToneRule` objects.
    """


@hookspec
def locgen_build_started(config: SiteConfig, locales: tuple[str, ...]) -> None:
    """Be told that a build starts (notify).

    Runs once per build, after plugins and cultures are ready and before any
    content is read: content files a plugin writes or changes here are the ones
    the build reads.

    :param config: the site configuration.
    :param locales: the locales being built.
    """


@hookspec
def locgen_build_finished(config: SiteConfig, result: BuildResult) -> None:
    """Be told that a build has been published (notify).

    Runs once per successful build, after the output folder has been replaced.

    :param config: the site configuration.
    :param result: what was built, with its findings.
    """
