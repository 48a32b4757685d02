"""Shortcodes: small functions that content and templates call for culture-aware text.

In Markdown a shortcode is written ``{{< name arg key="value" >}}`` (as in
Hugo); ``{{</* name */>}}`` prints the tag itself. In templates the same
function is a global: ``{{ greeting(given="Anna") }}``. Shortcodes come from
plugins through the ``locgen_shortcodes`` hook.
"""

from __future__ import annotations

import inspect
import re
import shlex
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

import markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markupsafe import Markup, escape

from locgen.errors import ContentError, LocgenError
from locgen.fences import prose_lines
from locgen.merge_tags import MergeFieldError

if TYPE_CHECKING:
    from locgen.config import SiteConfig
    from locgen.cultures import CultureProfile
    from locgen.findings import Finding
    from locgen.locales import SiteLocale
    from locgen.pages import Page
    from locgen.phrasebook import Phrasebook
    from locgen.plugins import PluginHost
    from locgen.sources import SourceFile

Shortcode = Callable[..., "str | Markup"]
"""``function(context: RenderContext, *args, **kwargs) -> str | Markup``."""

TAG = re.compile(r"\{\{<(/\*)?\s*(?P<body>.*?)\s*(\*/)?>\}\}")
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
CODE_SPAN = re.compile(r"(`+)(?:.+?)\1")
MERGE_ARGUMENT = re.compile(r"merge\(\s*[\"']?([A-Za-z0-9_]+)[\"']?\s*\)")
"""A shortcode argument naming a merge field: ``url=merge(reset_url)``."""


@dataclass
class PageDraft:
    """A page body passing through the ``locgen_page_markdown`` and ``locgen_page_html`` hooks."""

    text: str
    """Markdown, before conversion."""
    html: str = ""
    """Body HTML, after conversion."""


@dataclass
class RenderContext:
    """What a shortcode, a culture-markup step or a Markdown extension knows about its page."""

    locale: SiteLocale
    """The reader's locale."""
    culture: CultureProfile
    """The reader's culture profile, site overrides applied."""
    config: SiteConfig
    """The site configuration."""
    host: PluginHost
    """The build's plugins, for calling hooks."""
    gettext: Callable[[str], str]
    """Theme-string translation in the reader's locale."""
    page: Page | None = None
    """The page being rendered; ``None`` in templates made by the theme alone."""
    shortcodes: ShortcodeRegistry | None = None
    """The build's shortcodes."""
    phrasebook: Phrasebook | None = None
    """The site's phrasebook."""
    findings: list[Finding] = field(default_factory=list)
    """Where adaptations and checks report what they did."""
    line_map: list[int] | None = None
    """Source line of each Markdown line, set by the culture-markup step."""
    reader_lines: list[tuple[int, str]] | None = None
    """The body's prose as the reader gets it, with source lines; set for text checks."""
    templates: Callable[[str, Mapping[str, Any]], str] | None = None
    """Renders a theme template in the reader's locale (see :meth:`render_template`)."""

    def render_template(self, name: str, variables: Mapping[str, Any]) -> Markup:
        """Render theme template *name* (e.g. ``shortcodes/support_hours``) with *variables*."""
        if self.templates is None:
            raise LocgenError(f"template {name!r} cannot be rendered here")
        return Markup(self.templates(name, variables))

    @property
    def source(self) -> SourceFile | None:
        """The page's source file, when it has one."""
        return self.page.source if self.page is not None else None

    def source_line(self, index: int) -> int | None:
        """The line in the source file of Markdown line *index* (0-based)."""
        if self.line_map is not None and index < len(self.line_map):
            return self.line_map[index]
        source = self.source
        return source.body_line + index if source is not None else None

    def error(self, message: str, line: int | None, hint: str | None = None) -> ContentError:
        """A content error at *line* of the page's source file."""
        source = self.source
        return ContentError(
            message,
            path=source.path if source is not None else None,
            line=line,
            hint=hint,
            locale=self.locale.tag,
        )


def replace_outside_code(line: str, replace: Callable[[str], str]) -> str:
    """Apply *replace* to the parts of *line* that are not inline code spans."""
    parts: list[str] = []
    last = 0
    for match in CODE_SPAN.finditer(line):
        parts.append(replace(line[last : match.start()]))
        parts.append(match.group(0))
        last = match.end()
    parts.append(replace(line[last:]))
    return "".join(parts)


class ShortcodeRegistry:
    """The shortcodes of one build, by name, with the plugin each came from."""

    def __init__(self, host: PluginHost, config: SiteConfig) -> None:
        self.functions: dict[str, Shortcode] = {}
        self.origins: dict[str, str] = {}
        # The first plugin pluggy calls wins: site plugins before bundled before built-in.
        for info, mapping in host.each("locgen_shortcodes", config=config):
            for name, function in mapping.items():
                if not NAME.fullmatch(name):
                    raise LocgenError(
                        f"plugin {info.name} registers a shortcode named {name!r}",
                        hint="shortcode names are letters, digits and underscores",
                    )
                if name not in self.functions:
                    self.functions[name] = function
                    self.origins[name] = info.name
        self.host = host

    def call(
        self,
        name: str,
        context: RenderContext,
        args: list[Any],
        kwargs: dict[str, Any],
        line: int | None = None,
    ) -> Markup:
        """Run shortcode *name* and return its HTML (text results are escaped)."""
        function = self.functions.get(name)
        if function is None:
            known = ", ".join(sorted(self.functions))
            raise context.error(
                f"unknown shortcode {name!r}", line, hint=f"known shortcodes: {known}"
            )
        try:
            inspect.signature(function).bind(context, *args, **kwargs)
        except TypeError as exc:
            raise context.error(
                f"shortcode {name}: {exc}",
                line,
                hint=f"arguments: {_parameters(function)}",
            ) from None
        try:
            with self.host.blame(
                f"shortcode {name}", {"locale": context.locale, "page": context.page}
            ):
                result = function(context, *args, **kwargs)
        except LocgenError as exc:
            source = context.source
            if source is not None and (exc.path is None or exc.path == source.path):
                exc.path, exc.line = source.path, exc.line or line
            if exc.locale is None:
                exc.locale = context.locale.tag
            raise
        return result if isinstance(result, Markup) else escape(result)

    def template_globals(self, make_context: Callable[[Any], RenderContext]) -> dict[str, Any]:
        """Every shortcode as a Jinja2 global; *make_context* maps the template context."""
        import jinja2

        def bind(name: str) -> Callable[..., Markup]:
            @jinja2.pass_context
            def shortcode(template_context: Any, *args: Any, **kwargs: Any) -> Markup:
                return self.call(name, make_context(template_context), list(args), kwargs)

            return shortcode

        return {name: bind(name) for name in self.functions}


def _parameters(function: Shortcode) -> str:
    parameters = list(inspect.signature(function).parameters.values())[1:]
    return ", ".join(str(p) for p in parameters) or "none"


def parse_tag(body: str) -> tuple[str, list[str], dict[str, str]]:
    """Split the inside of ``{{< … >}}`` into name, positional and keyword arguments."""
    tokens = shlex.split(body, posix=True)
    if not tokens or not NAME.fullmatch(tokens[0]):
        raise ValueError("a shortcode starts with its name, e.g. {{< support_hours >}}")
    args: list[str] = []
    kwargs: dict[str, str] = {}
    for token in tokens[1:]:
        key, sep, value = token.partition("=")
        if sep and NAME.fullmatch(key):
            kwargs[key] = value
        else:
            args.append(token)
    return tokens[0], args, kwargs


class _ShortcodePreprocessor(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        context: RenderContext | None = getattr(self.md, "locgen", None)
        if context is None or context.shortcodes is None:
            return lines
        result = list(lines)
        for index, is_prose in prose_lines(lines):
            if is_prose and "{{<" in lines[index]:
                line = context.source_line(index)
                result[index] = replace_outside_code(
                    lines[index], partial(self._expand, context=context, line=line)
                )
        return result

    def _expand(self, text: str, context: RenderContext, line: int | None) -> str:
        return expand(text, context, line, lambda html: self.md.htmlStash.store(str(html)))


def expand(
    text: str, context: RenderContext, line: int | None, place: Callable[[Markup], str]
) -> str:
    """Run every ``{{< … >}}`` in *text*; *place* turns each result's HTML into text."""

    def one(match: re.Match[str]) -> str:
        body = match.group("body")
        if match.group(1):  # {{</* … */>}} prints the tag itself
            return place(escape("{{< " + body + " >}}"))
        try:
            name, args, kwargs = parse_tag(body)
        except ValueError as exc:
            raise context.error(f"bad shortcode {match.group(0)!r}: {exc}", line) from None
        assert context.shortcodes is not None
        args = [merge_argument(value, context, line) for value in args]
        kwargs = {key: merge_argument(value, context, line) for key, value in kwargs.items()}
        return place(context.shortcodes.call(name, context, args, kwargs, line))

    return TAG.sub(one, text)


def expand_text(text: str, context: RenderContext, line: int | None) -> str:
    """Run the shortcodes in a line of plain text (an email subject): results as text."""
    if "{{<" not in text or context.shortcodes is None:
        return text
    return expand(text, context, line, lambda html: html.striptags())


def merge_argument(value: str, context: RenderContext, line: int | None) -> str:
    """A shortcode argument written ``merge(first_name)`` becomes the field's merge tag."""
    match = MERGE_ARGUMENT.fullmatch(value)
    if match is None:
        return value
    return merge_tag(match.group(1), context, line)


def merge_tag(field: str, context: RenderContext, line: int | None) -> str:
    """The merge tag of *field* in the site's dialect; an unknown field is an error.

    Merge tags are filled in by the email service for each recipient, so a web
    page that uses one is an error too.
    """
    if context.page is not None and context.page.kind != "email":
        raise context.error(
            f"merge {field}: merge tags are filled in per recipient by the email service, "
            "so they work in emails only",
            line,
            "move the text into an email under content/emails/, or write the value itself",
        )
    try:
        return context.config.email.merge_tags.tag(field)
    except MergeFieldError as exc:
        where = f" in {context.page.key}" if context.page is not None else ""
        raise context.error(f"{exc.message}{where}", line, exc.hint) from None


class ShortcodeExtension(Extension):
    """Expands ``{{< name … >}}`` in page Markdown (outside code)."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # After culture blocks (28) and before fenced code (25) stashes code blocks.
        md.preprocessors.register(_ShortcodePreprocessor(md), "locgen_shortcodes", 27)
