"""Turn the placed site into output files: pages, chooser, 404s, sitemap, static files.

Nothing is written here: rendering fills an :class:`OutputTree` in memory, and
only a complete tree is published.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import jinja2
from markupsafe import Markup

from locgen import deps
from locgen.checks import TEXT_FIELDS, Check, ReaderText
from locgen.culture_markup import MarkupError, adapt_params
from locgen.cultures import CultureProfile
from locgen.digests import digest_bytes
from locgen.errors import ContentError, LocgenError
from locgen.findings import Finding
from locgen.images import (
    ImageTags,
    ImageUse,
    chosen_image_problem,
    image_path,
    parse_tags,
    variant_candidates,
)
from locgen.locales import SiteLocale
from locgen.markup import MarkdownRenderer, RemovedAttribute, RemovedHtml
from locgen.pages import (
    HOME_KEY,
    Alternate,
    Page,
    SiteIndex,
    absolute_for_email,
    is_email_key,
    source_key,
)
from locgen.phrasebook import Phrasebook
from locgen.plugins import PluginHost
from locgen.shortcodes import PageDraft, RenderContext, ShortcodeRegistry
from locgen.sources import LOCGEN_FIELDS
from locgen.theme import Theme, missing_template_error, theme_string

STATIC_PREFIX = "static/"


@dataclass(frozen=True)
class SiteView:
    """What templates see as ``site``."""

    title: str
    """Site title in the page's locale."""
    description: str
    """Site description."""
    base_url: str
    """Absolute base URL."""
    params: Mapping[str, Any]
    """``[params]`` from ``locgen.toml``."""
    locales: tuple[SiteLocale, ...]
    """All locales, config order."""
    default_locale: SiteLocale
    """The default locale."""


@dataclass(frozen=True)
class LanguageLink:
    """One entry of the language switcher."""

    locale: SiteLocale
    """Locale the link leads to."""
    url: str
    """URL of the same page in that locale."""
    title: str
    """Page title in that locale."""
    is_current: bool
    """True for the page being rendered."""
    is_fallback: bool
    """True when that locale shows the page from another locale's text."""


@dataclass(frozen=True)
class MenuItem:
    """One entry of the top navigation."""

    title: str
    """Link text."""
    url: str
    """Link target."""
    is_active: bool
    """True when the current page is this entry or inside its section."""


@dataclass(frozen=True)
class PageView:
    """What templates see as ``page``: a placed page plus its rendered body."""

    kind: str
    """``home``, ``section``, ``page``, ``404`` or ``chooser``."""
    title: str
    """Title."""
    url: str
    """Site-relative URL."""
    permalink: str
    """Absolute URL."""
    canonical: str
    """URL for ``rel=canonical``."""
    robots: str
    """Content of ``<meta name="robots">``."""
    locale: SiteLocale
    """Reader's locale."""
    content_locale: SiteLocale
    """Locale the text is written in."""
    description: str = ""
    """Meta description from front matter (empty when the page has none)."""
    content: Markup = field(default_factory=Markup)
    """Body HTML."""
    toc: Markup = field(default_factory=Markup)
    """Table of contents HTML, or empty."""
    date: Any = None
    """Date from front matter, or ``None``."""
    params: Mapping[str, Any] = field(default_factory=dict)
    """Front matter."""
    tags: tuple[str, ...] = ()
    """Tags."""
    image: str | None = None
    """URL of the front-matter image, or ``None``."""
    alternates: tuple[Alternate, ...] = ()
    """hreflang alternates, ``x-default`` last."""
    children: tuple[Page, ...] = ()
    """Pages listed on a home or section page."""
    section: Page | None = None
    """Section landing this page belongs to."""
    entry: Page | None = None
    """The placed page this view shows; ``None`` for the 404 page and the root chooser."""

    @property
    def is_fallback(self) -> bool:
        """True when the text comes from another locale."""
        return self.content_locale.tag != self.locale.tag


@dataclass
class Recording:
    """What rendering one output read and noticed."""

    deps: set[str] = field(default_factory=set)
    """Dependency tokens (:mod:`locgen.deps`) of everything the output read."""
    findings: list[Finding] = field(default_factory=list)
    """Findings made while it rendered (phrasebook substitutions)."""
    image_uses: list[ImageUse] = field(default_factory=list)
    """Images it shows."""


class OutputTree:
    """Files of the built site, by path relative to the output folder."""

    def __init__(self) -> None:
        self._files: dict[str, bytes | Path] = {}
        self._origins: dict[str, str] = {}
        self._digests: dict[str, str] = {}

    def add(
        self,
        path: str,
        data: bytes | Path,
        origin: str,
        *,
        source: Path | None = None,
        digest: str | None = None,
    ) -> None:
        """Add a file (bytes, or a path to copy); two files at one path is an error.

        :param origin: what the file is, for the error message.
        :param source: the user's file it comes from, where the error points.
        :param digest: the digest of its contents, where known (:meth:`digest`).
        """
        if path in self._files:
            raise ContentError(
                f"two outputs would be written to {path}: {self._origins[path]} and {origin}",
                path=source,
                hint="rename or move one of them",
            )
        self._files[path] = data
        self._origins[path] = origin
        if digest is not None:
            self._digests[path] = digest

    def with_files(self, files: Iterable[tuple[str, bytes | Path, str | None]]) -> OutputTree:
        """A copy of this tree with the contents of files at paths it has replaced.

        :param files: ``(path, data, digest)`` of each replaced file.
        """
        tree = OutputTree()
        tree._files = dict(self._files)
        tree._origins = dict(self._origins)
        tree._digests = dict(self._digests)
        for path, data, digest in files:
            assert path in self._files, path
            tree._files[path] = data
            if digest is None:
                tree._digests.pop(path, None)
            else:
                tree._digests[path] = digest
        return tree

    def subtree(self, folder: str) -> OutputTree:
        """The files under *folder*, with paths relative to it."""
        prefix = folder.rstrip("/") + "/"
        tree = OutputTree()
        for path, data in self._files.items():
            if path.startswith(prefix):
                tree.add(
                    path[len(prefix) :], data, self._origins[path], digest=self._digests.get(path)
                )
        return tree

    def get(self, path: str) -> bytes | Path | None:
        """The file at *path* (bytes, or the path of a file to copy), or ``None``."""
        return self._files.get(path)

    def digest(self, path: str) -> str:
        """The digest of the contents of the file at *path* (read once for a file to copy)."""
        found = self._digests.get(path)
        if found is None:
            data = self._files[path]
            found = digest_bytes(data if isinstance(data, bytes) else data.read_bytes())
            self._digests[path] = found
        return found

    def origin(self, path: str) -> str:
        """What the file at *path* is (``content/product/pricing.de-DE.md``)."""
        return self._origins[path]

    def paths(self) -> frozenset[str]:
        """Every output path."""
        return frozenset(self._files)

    def items(self) -> list[tuple[str, bytes | Path]]:
        """Return ``(path, data)`` pairs sorted by path."""
        return sorted(self._files.items())

    def __contains__(self, path: object) -> bool:
        return path in self._files

    def __len__(self) -> int:
        return len(self._files)


class SiteRenderer:
    """Renders every output of one build, each locale through its own culture."""

    def __init__(
        self,
        index: SiteIndex,
        host: PluginHost,
        cultures: Mapping[str, CultureProfile],
        *,
        phrasebook: Phrasebook | None = None,
        image_tags: ImageTags | None = None,
        text_checks: Sequence[Check] = (),
        template_cache: Path | None = None,
    ) -> None:
        """:param template_cache: a folder that keeps compiled templates between builds."""
        self.index = index
        self.text_checks = tuple(check for check in text_checks if check.text is not None)
        """Checks run on the text of every page and email in every locale."""
        self.host = host
        self.cultures = cultures
        self.phrasebook = phrasebook
        self.image_tags = image_tags
        config = index.config
        self.shortcodes = ShortcodeRegistry(host, config)
        extensions = [
            extension
            for group in host.call("locgen_markdown_extensions", config=config)
            for extension in group
        ]
        self.markdown = MarkdownRenderer(extensions)
        self.theme = Theme(
            config,
            globals_for=self._template_globals,
            configure=self._configure_environment,
            attribute_error=lambda exc: host.plugin_error(exc, "a template filter or global", {}),
            loaded=lambda name: self.depend(deps.template(name)),
            bytecode_dir=template_cache,
        )
        self.static_files = self.theme.static_files()
        """The theme's static files, by path under ``static/``."""
        self._site_views: dict[str, SiteView] = {}
        self._assets = frozenset(index.assets)
        self._recording: Recording | None = None
        self.findings: list[Finding] = []
        """What rendering noticed: phrasebook substitutions."""
        self.image_uses: list[ImageUse] = []
        """Every image shown, per page and locale, for the imagery checks."""

    def use_index(self, index: SiteIndex, image_tags: ImageTags | None) -> None:
        """Render from now on from *index* (a changed site with the same config and theme)."""
        self.index = index
        self.image_tags = image_tags
        self._assets = frozenset(index.assets)

    # -- dependency recording ----------------------------------------------

    @contextmanager
    def recording(self) -> Iterator[Recording]:
        """Record what the outputs rendered inside the block read, show and notice.

        The findings and image uses made inside the block move from
        :attr:`findings` and :attr:`image_uses` into the recording.
        """
        record = Recording()
        findings_start, uses_start = len(self.findings), len(self.image_uses)
        outer, self._recording = self._recording, record
        try:
            yield record
        finally:
            self._recording = outer
            record.findings = self.findings[findings_start:]
            record.image_uses = self.image_uses[uses_start:]
            del self.findings[findings_start:], self.image_uses[uses_start:]

    def depend(self, token: str) -> None:
        """Note that the output being rendered read what *token* names."""
        if self._recording is not None:
            self._recording.deps.add(token)

    # -- template helpers -------------------------------------------------

    def render_context(self, locale: SiteLocale, page: Page | None = None) -> RenderContext:
        """The context shortcodes and culture markup get for *page* in *locale*."""
        translations = self.theme.translations(locale)
        return RenderContext(
            locale=locale,
            culture=self.cultures[locale.tag],
            config=self.index.config,
            host=self.host,
            gettext=translations.gettext,
            page=page,
            shortcodes=self.shortcodes,
            phrasebook=self.phrasebook,
            findings=self.findings,
            templates=lambda name, variables: self.theme.render(locale, name, variables),
        )

    def _configure_environment(self, env: jinja2.Environment, locale: SiteLocale) -> None:
        self.host.call(
            "locgen_jinja_environment", env=env, locale=locale, culture=self.cultures[locale.tag]
        )

    def _template_globals(self, locale: SiteLocale) -> dict[str, Callable[..., Any]]:
        def url_for(target: str) -> str:
            return self.url_for_source(target, locale)

        formality = self.cultures[locale.tag].formality
        translations = self.theme.translations(locale)

        @jinja2.pass_eval_context
        def formality_gettext(
            eval_ctx: jinja2.nodes.EvalContext, message: str, **variables: Any
        ) -> str:
            """``pgettext(<culture's formality>, message)``, falling back to the plain entry."""
            return theme_string(eval_ctx, translations.pgettext(formality, message), variables)

        shortcodes = self.shortcodes.template_globals(
            lambda template_context: self.render_context(
                locale, getattr(template_context.get("page"), "entry", None)
            )
        )

        quoted_paths: dict[str, str] = {}

        def static_url(path: str) -> str:
            self.depend(deps.STATIC)
            clean = path.lstrip("/")
            if clean not in self.static_files:
                raise ContentError(
                    f"static_url({path!r}): no such file in the theme's static/ folder",
                    hint="check the file name under the theme's static/ folder",
                )
            quoted = quoted_paths.get(clean)
            if quoted is None:
                quoted = quoted_paths[clean] = quote(clean)
            return self.index.base_path + STATIC_PREFIX + quoted

        def compliance_footer(category: str | None = None) -> list[str]:
            """The footer lines every plugin adds for this locale's compliance regime."""
            groups = self.host.call(
                "locgen_compliance_footer",
                locale=locale,
                culture=self.cultures[locale.tag],
                config=self.index.config,
                category=category,
            )
            return [line for group in groups for line in group]

        return {
            **shortcodes,
            "url_for": url_for,
            "static_url": static_url,
            "formality_gettext": formality_gettext,
            "compliance_footer": compliance_footer,
        }

    def template_variables(self, page: Page | None, locale: SiteLocale) -> dict[str, Any]:
        """Variables plugins add to a template's context; the first plugin called wins."""
        merged: dict[str, Any] = {}
        for _, variables in self.host.each(
            "locgen_template_variables", page=page, locale=locale, culture=self.cultures[locale.tag]
        ):
            for name, value in dict(variables).items():
                merged.setdefault(name, value)
        return merged

    def url_for_source(self, target: str, locale: SiteLocale) -> str:
        """URL in *locale* of the page whose source is *target* (``/product/pricing.md``)."""
        key = source_key(target)
        if key is not None:
            self.depend(deps.page(key))
        page = None if key is None else self.index.page(key, locale.tag)
        if page is None:
            raise ContentError(
                f"url_for({target!r}): no such page in {locale.tag}",
                hint="name the source file of an existing page, e.g. /product/pricing.md",
            )
        fragment = target.partition("#")[2]
        return page.url + (f"#{fragment}" if fragment else "")

    def _resolve_body_url(self, page: Page) -> Callable[[str, str], str | None]:
        source = page.source
        assert source is not None

        def resolve(value: str, tag: str) -> str | None:
            if tag == "a":
                try:
                    key = self.index.resolve_link(value, source)
                except ContentError as exc:
                    missing = source_key(value, source.section)
                    if missing is not None:
                        self.depend(deps.page(missing))  # render again when it appears
                    self._broken_link(page, exc.message, exc.line, exc.hint)
                    return None
                if key is None:
                    return (
                        absolute_for_email(value, self.index.origin)
                        if page.kind == "email"
                        else None
                    )
                self.depend(deps.page(key))
                target = self.index.page(key, page.locale.tag)
                if target is None:
                    self._broken_link(
                        page,
                        f"link to {value!r}: that page is not available in {page.locale.tag}",
                        source.body_line_of(value),
                        "translate the page, or add a fallback locale that has it",
                    )
                    return None
                fragment = value.partition("#")[2]
                return self.link_origin(page) + target.url + (f"#{fragment}" if fragment else "")
            return self.asset_url(value, page, source.body_line_of(value))

        return resolve

    def _report_removed(
        self, page: Page, removed: Sequence[RemovedAttribute | RemovedHtml]
    ) -> None:
        """Warn about each script URL, event handler or raw HTML ``unsafe_html = false``
        took out."""
        source = page.source
        assert source is not None
        for attribute in removed:
            if isinstance(attribute, RemovedHtml):
                needles: tuple[str, ...] = (attribute.first_line(),)
                suggestion = "write it in Markdown: raw HTML is not allowed in this text"
            else:
                # The value as written may spell the scheme with references (&#106;avascript:),
                # so what follows the scheme, then the attribute name, find the line instead.
                value = attribute.value or ""
                needles = (value, value.partition(":")[2], attribute.name)
                suggestion = (
                    "link to an https:// or site URL; scripts and event handlers "
                    "are not allowed in this text"
                )
            line = next(
                (found for n in needles if n and (found := source.body_line_of(n)) is not None),
                None,
            )
            self.findings.append(
                Finding(
                    rule="content.unsafe-html",
                    level="warning",
                    message=f"removed {attribute} from the {page.locale.tag} page "
                    f"({page.content_locale.tag} text has unsafe_html = false)",
                    path=source.path,
                    line=line,
                    locale=page.locale.tag,
                    suggestion=suggestion,
                )
            )

    def _broken_link(self, page: Page, message: str, line: int | None, hint: str | None) -> None:
        """Report a link to a source file that *page*'s locale does not have."""
        source = page.source
        assert source is not None
        self.findings.append(
            Finding(
                rule="links.internal",
                level="error",
                message=message,
                path=source.path,
                line=line,
                locale=page.locale.tag,
                suggestion=hint,
            )
        )

    def asset_url(
        self, value: str, page: Page, line: int | None, extra_tags: tuple[str, ...] = ()
    ) -> str | None:
        """Map an image reference in *page* to the URL of its variant for the page's locale.

        ``None`` leaves external URLs alone. Each image shown is recorded, with
        its tags, for the imagery checks.
        """
        parts = urlsplit(value)
        if parts.scheme or value.startswith("//") or not parts.path:
            return None
        source = page.source
        assert source is not None
        rel = image_path(parts.path, source.section, source.path, line)
        self.depend(deps.IMAGES)
        culture = self.cultures[page.locale.tag]
        resolved = self.host.select(
            "locgen_resolve_image",
            chosen_image_problem,
            path=rel,
            locale=page.locale,
            culture=culture,
            assets=self._assets,
            page=page,
        )
        if resolved is None or resolved not in self._assets:
            tried = ", ".join(
                f"content/{c}" for c in variant_candidates(rel, page.locale.tag, culture.id)
            )
            raise ContentError(
                f"image {value!r} not found (looked for {tried})",
                path=source.path,
                line=line,
                hint="put the file under content/ and refer to it by its path there",
            )
        tags = self.image_tags.tags(resolved) if self.image_tags is not None else ()
        self.image_uses.append(
            ImageUse(
                requested=rel,
                resolved=resolved,
                locale=page.locale.tag,
                page_path=source.path,
                line=line,
                tags=tuple(dict.fromkeys((*tags, *extra_tags))),
                page_tags=extra_tags,
            )
        )
        return self.link_origin(page) + self.index.base_path + quote(resolved)

    def link_origin(self, page: Page) -> str:
        """What goes before a site-relative URL in *page*: the origin in emails, else nothing.

        An email is read in a mail client, away from the site, so its links and
        images need absolute URLs.
        """
        return self.index.origin if page.kind == "email" else ""

    # -- pages -------------------------------------------------------------

    _groups: _GroupViews | None = None
    """Switcher entries and alternates by translation group, made as pages need them."""

    def site_view(self, locale: SiteLocale) -> SiteView:
        """The ``site`` object for templates in *locale* (made once per locale)."""
        view = self._site_views.get(locale.tag)
        if view is None:
            view = self._site_views[locale.tag] = self._make_site_view(locale)
        return view

    def _make_site_view(self, locale: SiteLocale) -> SiteView:
        config = self.index.config
        return SiteView(
            title=locale.title,
            description=config.description,
            base_url=config.base_url,
            params=config.params,
            locales=tuple(self.index.locales.values()),
            default_locale=self.index.locales[config.default_locale],
        )

    def page_view(self, page: Page) -> PageView:
        """Render the page's Markdown through its locale's culture and gather its template data."""
        content = toc = Markup("")
        params: Mapping[str, Any] = page.params
        image = None
        source = page.source
        self._depend_on_neighbours(page)
        if source is not None:
            self.depend(deps.source(page.key, source.locale))
            context = self.render_context(page.locale, page)
            if self.text_checks:
                context.reader_lines = []  # the culture-markup step fills it in
            hook_args = {"page": page, "locale": page.locale, "culture": context.culture}
            draft = PageDraft(text=source.body)
            self.host.call("locgen_page_markdown", draft=draft, **hook_args)
            raw_html = self.index.config.allows_raw_html(page.content_locale.tag)
            with self.host.blame("locgen_markdown_extensions", hook_args):
                rendered = self.markdown.render(
                    draft.text, self._resolve_body_url(page), context, raw_html=raw_html
                )
            self._report_removed(page, rendered.removed)
            draft.html = rendered.html
            self.host.call("locgen_page_html", draft=draft, **hook_args)
            content, toc = Markup(draft.html), Markup(rendered.toc)
            params = self._adapt_params(page, context)
            if self.text_checks:
                self._check_text(page, context, params, draft.html)
            if "image" in source.meta:
                tags = parse_tags(
                    source.meta.get("image_tags"), source.path, source.line_of("image_tags")
                )
                image = self.asset_url(
                    str(source.meta["image"]), page, source.line_of("image"), tags
                )
        return PageView(
            kind=page.kind,
            title=page.title,
            url=page.url,
            permalink=page.permalink,
            canonical=self.index.canonical(page),
            robots="noindex,follow" if page.is_fallback else "index,follow",
            locale=page.locale,
            content_locale=page.content_locale,
            description=page.description,
            content=content,
            toc=toc,
            date=page.date,
            params=params,
            tags=page.tags,
            image=image,
            alternates=self._group_views().alternates(page),
            children=tuple(self.index.children(page)),
            section=self.index.section_of(page),
            entry=page,
        )

    def _check_text(
        self, page: Page, context: RenderContext, params: Mapping[str, Any], html: str
    ) -> None:
        """Run the text checks on what *page*'s readers get."""
        source = page.source
        assert source is not None
        lines = [
            (source.line_of(key) or 1, value)
            for key in TEXT_FIELDS
            if isinstance(value := params.get(key), str)
        ]
        text = ReaderText(
            path=source.path,
            locale=page.locale.tag,
            language=page.content_locale.language,
            culture=context.culture,
            lines=(*lines, *(context.reader_lines or ())),
            kind=page.kind if page.kind == "email" else "page",
            fields=params,
            html=html,
        )
        for check in self.text_checks:
            assert check.text is not None
            with self.host.blame(f"check {check.id}", {"page": page, "locale": page.locale}):
                self.findings.extend(check.text(text))

    def _depend_on_neighbours(self, page: Page) -> None:
        """Record what a page's view shows of other pages: translations, section, listing."""
        self.depend(deps.page(page.key))  # the page in other locales: switcher, hreflang
        section = self.index.section_of(page)
        if section is not None:
            self.depend(deps.page(section.key))
        if page.kind in ("home", "section"):
            listed = "" if page.key == HOME_KEY else page.key[: -len("/index")]
            self.depend(deps.listing(listed, page.locale.tag))

    def _adapt_params(self, page: Page, context: RenderContext) -> dict[str, Any]:
        """Front matter with inline culture variants chosen and the phrasebook applied."""
        source = page.source
        assert source is not None
        adapted: dict[str, Any] = {}
        for key, value in page.params.items():
            if key in LOCGEN_FIELDS:  # data locgen reads, not text for readers
                adapted[key] = value
                continue
            try:
                adapted[key] = adapt_params(value, context, source.line_of(key))
            except MarkupError as exc:
                raise context.error(exc.message, exc.line, exc.hint) from None
        return adapted

    def language_links(self, page: Page) -> list[LanguageLink]:
        """Switcher entries: the page in every locale where it exists."""
        return self._group_views().language_links(page)

    def _group_views(self) -> _GroupViews:
        """What the pages of each translation group show alike, for the current index."""
        views = self._groups
        if views is None or views.index is not self.index:
            views = self._groups = _GroupViews(self.index)
        return views

    def menu(self, page: Page) -> list[MenuItem]:
        """Top navigation of the page's locale, with the active entry marked."""
        self.depend(deps.menu(page.locale.tag))
        items = []
        for entry in self.index.menu(page.locale.tag):
            entry_section = entry.key[: -len("index")] if entry.kind == "section" else None
            active = entry.key == page.key or (
                entry_section is not None and page.key.startswith(entry_section)
            )
            items.append(MenuItem(title=entry.title, url=entry.url, is_active=active))
        return items

    def render_page(self, page: Page) -> bytes:
        """Render one page to HTML bytes."""
        template = page.template
        if not self.theme.has_template(template):
            source = page.source
            raise missing_template_error(
                self.theme,
                template,
                source.path if source else None,
                source.line_of("template") if source else None,
            )
        try:
            view = self.page_view(page)
            html = self.theme.render(
                page.locale,
                template,
                {
                    **self.template_variables(page, page.locale),
                    "site": self.site_view(page.locale),
                    "locale": page.locale,
                    "page": view,
                    "translations": self.language_links(page),
                    "menu": self.menu(page),
                },
            )
        except LocgenError as exc:
            locate(exc, page)
            raise
        return html.encode("utf-8")

    def _theme_page_view(
        self,
        kind: str,
        locale: SiteLocale,
        url: str,
        robots: str,
        *,
        title: str = "",
        alternates: tuple[Alternate, ...] = (),
    ) -> PageView:
        """The ``page`` of an output made by the theme alone (404, root chooser)."""
        return PageView(
            kind=kind,
            title=title,
            url=url,
            permalink=self.index.origin + url,
            canonical=self.index.origin + url,
            robots=robots,
            locale=locale,
            content_locale=locale,
            description=self.index.config.description,
            alternates=alternates,
        )

    def render_not_found(self, locale: SiteLocale) -> bytes:
        """Render the 404 page of *locale*."""
        self.depend(deps.page(HOME_KEY))
        self.depend(deps.menu(locale.tag))
        home = self.index.page(HOME_KEY, locale.tag)
        view = self._theme_page_view("404", locale, f"{locale.home_url}404.html", "noindex,follow")
        links = [] if home is None else self.language_links(home)
        menu = [] if home is None else self.menu(home)
        html = self.theme.render(
            locale,
            "404",
            {
                **self.template_variables(None, locale),
                "site": self.site_view(locale),
                "locale": locale,
                "page": view,
                "translations": links,
                "menu": menu,
            },
        )
        return html.encode("utf-8")

    def render_chooser(self) -> bytes:
        """Render the root language chooser (the ``x-default`` of the home page)."""
        self.depend(deps.page(HOME_KEY))
        default = self.index.locales[self.index.config.default_locale]
        homes = [p for p in (self.index.page(HOME_KEY, tag) for tag in self.index.locales) if p]
        alternates = tuple(self.index.alternates(homes[0])) if homes else ()
        view = self._theme_page_view(
            "chooser",
            default,
            self.index.base_path,
            "index,follow",
            title=default.title,
            alternates=alternates,
        )
        html = self.theme.render(
            default,
            "chooser",
            {
                **self.template_variables(None, default),
                "site": self.site_view(default),
                "locale": default,
                "page": view,
                "choices": [
                    LanguageLink(p.locale, p.url, p.title, False, p.is_fallback) for p in homes
                ],
                "translations": [],
                "menu": [],
            },
        )
        return html.encode("utf-8")

    def render_sitemap(self) -> bytes:
        """Render ``sitemap.xml`` with ``xhtml:link`` alternates for every translated page."""
        self.depend(deps.INDEX)
        lines = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:xhtml="http://www.w3.org/1999/xhtml">',
        ]
        for key in self.index.groups:
            if is_email_key(key):
                continue
            translated = [
                p
                for p in (self.index.page(key, tag) for tag in self.index.locales)
                if p is not None and not p.is_fallback
            ]
            if not translated:
                continue
            # Every page of the group lists the same alternates: write them once.
            links = "".join(
                f'\n    <xhtml:link rel="alternate" hreflang="{escape(alt.hreflang)}" '
                f'href="{escape(alt.href)}"/>'
                for alt in self.index.alternates(translated[0])
            )
            locs = [p.permalink for p in translated]
            if key == HOME_KEY:
                locs.insert(0, self.index.origin + self.index.base_path)
            lines.extend(
                f"  <url>\n    <loc>{escape(loc, quote=False)}</loc>{links}\n  </url>"
                for loc in locs
            )
        lines.append("</urlset>")
        return ("\n".join(lines) + "\n").encode("utf-8")


class _GroupViews:
    """What every page of a translation group shows alike, made once per group.

    It reads one site index: the renderer starts a new one when it renders
    from another (a dev-server update), so no page shows an old translation.
    """

    def __init__(self, index: SiteIndex) -> None:
        self.index = index
        self._alternates: dict[str, tuple[Alternate, ...]] = {}
        self._links: dict[str, tuple[tuple[LanguageLink, LanguageLink], ...]] = {}

    def alternates(self, page: Page) -> tuple[Alternate, ...]:
        """hreflang alternates of *page*'s group, ``x-default`` last."""
        found = self._alternates.get(page.key)
        if found is None:
            found = self._alternates[page.key] = tuple(self.index.alternates(page))
        return found

    def language_links(self, page: Page) -> list[LanguageLink]:
        """Switcher entries of *page*: its group in every locale, *page*'s own current."""
        links = self._links.get(page.key)
        if links is None:
            links = self._links[page.key] = tuple(
                (
                    LanguageLink(other.locale, other.url, other.title, False, other.is_fallback),
                    LanguageLink(other.locale, other.url, other.title, True, other.is_fallback),
                )
                for other in self.index.translations(page)
            )
        tag = page.locale.tag
        return [current if link.locale.tag == tag else link for link, current in links]


def locate(exc: LocgenError, page: Page) -> None:
    """Give an error without a place the page's source file and locale."""
    if exc.path is None and page.source is not None:
        exc.path = page.source.path
    if exc.locale is None:
        exc.locale = page.locale.tag
