"""Themes: Jinja2 environments per locale, with gettext, formatting filters and URL helpers."""

from __future__ import annotations

import marshal
import os
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from pathlib import Path
from types import CodeType
from typing import Any

import jinja2
from jinja2.ext import Extension
from jinja2.nodes import EvalContext
from jinja2.runtime import Context
from markupsafe import escape

from locgen.catalogs import FormalityTranslations, load_translations
from locgen.config import SiteConfig
from locgen.errors import ContentError, LocgenError, ThemeError
from locgen.forking import BegunMap, begin_map
from locgen.formatting import locale_filters
from locgen.locales import SiteLocale
from locgen.markup import is_script_url
from locgen.resources import bundled_locales_dir, bundled_theme
from locgen.scratch import write_atomic

TEMPLATE_SUFFIX = ".html"
EMAIL_FOLDER = "email"
"""Folder of a theme holding the email templates, next to ``templates/``."""
PARALLEL_COMPILE_MIN_TEMPLATES = 8
"""Fewer templates than this compile in one process: a copy of the process to share
them with would cost more than it saves."""


class Theme:
    """A theme: its templates, static files and catalogs, and per-locale environments.

    A site's own theme is layered over the bundled default theme, so it needs
    only the templates, static files and strings it changes.
    """

    def __init__(
        self,
        config: SiteConfig,
        *,
        globals_for: Callable[[SiteLocale], Mapping[str, Any]] | None = None,
        extensions: list[type[Extension] | str] | None = None,
        configure: Callable[[jinja2.Environment, SiteLocale], None] | None = None,
        attribute_error: Callable[[Exception], LocgenError | None] | None = None,
        loaded: Callable[[str], None] | None = None,
        bytecode_dir: Path | None = None,
    ) -> None:
        """Layer the site's theme over the default one.

        :param globals_for: template globals of a locale (URL helpers, shortcodes).
        :param extensions: extra Jinja2 extensions.
        :param configure: called with each new environment (the ``locgen_jinja_environment``
            hook).
        :param attribute_error: names the plugin behind an exception raised while rendering,
            or returns ``None``.
        :param loaded: called with the name of every template a render loads (extends and
            includes too), so the dev server knows which outputs a template change affects.
        :param bytecode_dir: a folder that keeps compiled templates from one build to the
            next (in the build cache); each is checked against its template's source.
        """
        self.config = config
        self.path = config.theme_dir
        self.layers = [self.path]
        default = bundled_theme("default")
        if default is not None and default.resolve() != self.path.resolve():
            self.layers.append(default)
        self.templates_dirs = [layer / "templates" for layer in self.layers]
        self.email_dirs = [layer / EMAIL_FOLDER for layer in self.layers]
        self._loader = jinja2.ChoiceLoader(
            [
                jinja2.FileSystemLoader([str(folder) for folder in self.templates_dirs]),
                # Email templates live beside templates/, named "email/<file>".
                jinja2.PrefixLoader(
                    {EMAIL_FOLDER: jinja2.FileSystemLoader([str(f) for f in self.email_dirs])}
                ),
            ]
        )
        self.template_names = frozenset(self._loader.list_templates())
        """Every template the layers hold, by the name renders load it by."""
        self._cache = _SharedBytecodeCache(bytecode_dir)
        self._globals_for = globals_for
        self._configure = configure
        self._attribute_error = attribute_error
        self._loaded = loaded
        self._translations: dict[str, FormalityTranslations] = {}
        self._extensions: list[type[Extension] | str] = ["jinja2.ext.i18n", *(extensions or [])]
        self._environments: dict[str, jinja2.Environment] = {}

    def environment(self, locale: SiteLocale) -> jinja2.Environment:
        """Return the Jinja2 environment of *locale* (theme strings, filters, globals)."""
        env = self._environments.get(locale.tag)
        if env is not None:
            return env
        env = _Environment(
            loader=self._loader,
            autoescape=True,
            extensions=self._extensions,
            bytecode_cache=self._cache,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            # A build reads each template once; a dev-server rebuild makes a new Theme.
            auto_reload=False,
            # Keep every template loaded (a plain dict, no LRU bookkeeping per include).
            cache_size=-1,
        )
        env.loaded = self._loaded
        _install_gettext(env, self.translations(locale))
        filters = locale_filters(locale.babel, currency=locale.currency, timezone=locale.timezone)
        env.filters.update({name: _per_render(f) for name, f in filters.items()})
        env.filters["safe_url"] = self._safe_url
        if self._globals_for is not None:
            env.globals.update(self._globals_for(locale))
        self._environments[locale.tag] = env
        if self._configure is not None:
            self._configure(env, locale)
        return env

    @jinja2.pass_context
    def _safe_url(self, context: Context, url: Any) -> Any:
        """The ``safe_url`` filter: *url*, or ``#`` for a script URL in untrusted text.

        A link target from front matter (``cta_link``) is text of the page's
        locale like its body: where that locale has ``unsafe_html = false``, a
        ``javascript:``, ``vbscript:`` or ``data:`` URL is replaced, as in the
        body (:func:`locgen.markup.is_script_url`).
        """
        page = context.get("page")
        text_locale = getattr(page, "content_locale", None) or context.get("locale")
        tag = getattr(text_locale, "tag", self.config.default_locale)
        if self.config.allows_raw_html(tag) or not is_script_url(str(url)):
            return url
        return "#"

    def translations(self, locale: SiteLocale) -> FormalityTranslations:
        """Theme-string translations of *locale* (site, theme, then bundled catalogs)."""
        found = self._translations.get(locale.tag)
        if found is None:
            inner = load_translations(locale, self.catalog_dirs())
            found = self._translations[locale.tag] = FormalityTranslations(inner)
        return found

    def catalog_dirs(self) -> list[Path]:
        """Catalog folders, most important first: the site's, then the theme's, then bundled."""
        folders = [
            self.config.locales_dir,
            *(layer / "locales" for layer in self.layers),
            bundled_locales_dir(),
        ]
        return [folder for folder in folders if folder.is_dir()]

    @property
    def template_roots(self) -> list[Path]:
        """Every folder templates are loaded from (pages, then emails)."""
        return [*self.templates_dirs, *self.email_dirs]

    def template_name(self, name: str) -> str:
        """Map a page kind or front-matter ``template`` value to a template file name."""
        return name if name.endswith(TEMPLATE_SUFFIX) else name + TEMPLATE_SUFFIX

    def has_template(self, name: str) -> bool:
        """True when the theme has template *name* (kind or file name)."""
        return self.template_name(name) in self.template_names

    def compile_all(self, locale: SiteLocale) -> None:
        """Compile every template once, so a syntax error stops the build before any output.

        The templates are shared out with a copy of this process (:meth:`begin_compile`).
        """
        self.begin_compile(locale).finish()

    def begin_compile(self, locale: SiteLocale) -> Compiling:
        """Start compiling every template in a copy of this process, which goes on
        while this one does other work; :meth:`Compiling.finish` ends it.

        *locale*'s environment is made here, so that the plugins configure it in
        this process. Then the copy and this process, once it finishes, take the
        next template neither has taken (:func:`~locgen.forking.begin_map`).
        """
        env = self.environment(locale)

        def compile_one(name: str) -> tuple[str, str, bytes] | None:
            with self.errors():
                return self._cache.exported(env.get_template(name))

        names = sorted(name for name in self.template_names if name.endswith(TEMPLATE_SUFFIX))
        begun = begin_map(compile_one, names, min_items=PARALLEL_COMPILE_MIN_TEMPLATES)
        return Compiling(self._cache, begun)

    def render(self, locale: SiteLocale, name: str, context: Mapping[str, Any]) -> str:
        """Render template *name* for *locale* with *context*."""
        env = self.environment(locale)
        with self.errors():
            template = env.get_template(self.template_name(name))
            return template.render(context)

    def static_files(self) -> dict[str, Path]:
        """Map the theme's static files (paths relative to ``static/``) to their files.

        A file in the site's theme hides the bundled file at the same path.
        """
        found: dict[str, Path] = {}
        for layer in reversed(self.layers):
            static = layer / "static"
            for folder, dirs, files in os.walk(static):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for file_name in files:
                    if not file_name.startswith("."):
                        path = Path(folder) / file_name
                        found[path.relative_to(static).as_posix()] = path
        return dict(sorted(found.items()))

    @contextmanager
    def errors(self) -> Iterator[None]:
        """Turn Jinja2 exceptions into :class:`ThemeError` with template file and line."""
        try:
            yield
        except LocgenError:
            raise
        except jinja2.TemplateSyntaxError as exc:
            syntax_path = Path(exc.filename) if exc.filename else Path(exc.name or "?")
            raise ThemeError(
                f"template syntax error: {exc.message}",
                path=syntax_path,
                line=exc.lineno,
                hint="fix the Jinja2 syntax on that line",
            ) from exc
        except jinja2.TemplateNotFound as exc:
            path, line = _template_frame(exc, self.template_roots)
            raise ThemeError(
                f"template {exc.name!r} not found in {self.templates_dirs[0]}",
                path=path,
                line=line,
                hint="create it, or correct the name in the extends/include",
            ) from exc
        except Exception as exc:
            blamed = self._attribute_error(exc) if self._attribute_error is not None else None
            if blamed is not None:
                raise blamed from exc
            path, line = _template_frame(exc, self.template_roots)
            if path is None:
                raise
            raise ThemeError(
                f"template error: {type(exc).__name__}: {exc}",
                path=path,
                line=line,
                hint="check the variables and filters used on that line",
            ) from exc


class _Environment(jinja2.Environment):
    """A Jinja2 environment that reports each template it hands out to a render."""

    loaded: Callable[[str], None] | None = None

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        """The globals of a template being loaded: the environment's, with *d* over them.

        Jinja2 chains the two (a ``ChainMap``), which every render, include and
        import walks again to make its context; a flat copy holds the same
        names. A theme's environment is complete before it loads a template,
        and Jinja2 has globals fixed from then on.
        """
        return {**self.globals, **(d or {})}

    def get_template(
        self,
        name: str | jinja2.Template,
        parent: str | None = None,
        globals: MutableMapping[str, Any] | None = None,
    ) -> jinja2.Template:
        """Load *name* (also called for every ``extends``, ``include`` and ``import``)."""
        return self._report(super().get_template(name, parent, globals))

    def select_template(
        self,
        names: Iterable[str | jinja2.Template],
        parent: str | None = None,
        globals: MutableMapping[str, Any] | None = None,
    ) -> jinja2.Template:
        """Load the first of *names* that exists (an ``include`` of a list)."""
        return self._report(super().select_template(names, parent, globals))

    def _report(self, template: jinja2.Template) -> jinja2.Template:
        if self.loaded is not None and template.name is not None:
            self.loaded(template.name)
        return template


def _install_gettext(env: jinja2.Environment, translations: FormalityTranslations) -> None:
    """Give *env* the i18n extension's newstyle gettext functions for *translations*.

    They return what ``install_gettext_translations(translations, newstyle=True)``
    makes them return (the translation formatted with the keyword arguments),
    except that the translation is escaped (:func:`theme_string`), at less
    cost per call: they take only the
    evaluation context; ``_`` calls ``gettext`` directly unless a template or
    plugin has put another ``gettext`` in its place; and a ``gettext`` or
    ``pgettext`` call without keyword arguments, whose result never varies, is
    worked out once (a theme's catalogs do not change while it lives: the dev
    server makes a new theme when they do).
    """
    env.newstyle_gettext = True  # type: ignore[attr-defined]
    plain: dict[tuple[bool, str | None, str], str] = {}
    finish = theme_string

    def plain_text(eval_ctx: EvalContext, context: str | None, message: str) -> str:
        key = (eval_ctx.autoescape, context, message)
        found = plain.get(key)
        if found is None:
            if context is None:
                found = finish(eval_ctx, translations.gettext(message), {})
            else:
                text = translations.pgettext(context, message)
                found = finish(eval_ctx, text, {"context": context})
            plain[key] = found
        return found

    @jinja2.pass_eval_context
    def gettext(eval_ctx: EvalContext, message: str, /, **variables: Any) -> str:
        if not variables:
            return plain_text(eval_ctx, None, message)
        return finish(eval_ctx, translations.gettext(message), variables)

    @jinja2.pass_eval_context
    def ngettext(
        eval_ctx: EvalContext, singular: str, plural: str, num: int, /, **variables: Any
    ) -> str:
        variables.setdefault("num", num)
        return finish(eval_ctx, translations.ngettext(singular, plural, num), variables)

    @jinja2.pass_eval_context
    def pgettext(eval_ctx: EvalContext, context: str, message: str, /, **variables: Any) -> str:
        if not variables:
            return plain_text(eval_ctx, context, message)
        variables.setdefault("context", context)
        return finish(eval_ctx, translations.pgettext(context, message), variables)

    @jinja2.pass_eval_context
    def npgettext(
        eval_ctx: EvalContext,
        context: str,
        singular: str,
        plural: str,
        num: int,
        /,
        **variables: Any,
    ) -> str:
        variables.setdefault("context", context)
        variables.setdefault("num", num)
        text = translations.npgettext(context, singular, plural, num)
        return finish(eval_ctx, text, variables)

    @jinja2.pass_context
    def gettext_alias(template_context: Context, /, *args: Any, **kwargs: Any) -> Any:
        if template_context.resolve_or_missing("gettext") is gettext:
            return gettext(template_context.eval_ctx, *args, **kwargs)
        return template_context.call(template_context.resolve("gettext"), *args, **kwargs)

    env.globals.update(
        _=gettext_alias, gettext=gettext, ngettext=ngettext, pgettext=pgettext, npgettext=npgettext
    )


def theme_string(eval_ctx: EvalContext, text: str, variables: Mapping[str, Any]) -> str:
    """A translated theme string as a template shows it, formatted with *variables*.

    Under autoescape the translation is text, escaped like any other value,
    since catalogs may come from outside translators; Jinja2's own i18n
    functions would trust it as markup. Markup reaches the page only through
    variables that are :class:`~markupsafe.Markup` already (the default theme
    passes a link as ``%(email)s``); other variables are escaped too.
    """
    if eval_ctx.autoescape:
        return escape(text) % variables
    return text % variables


def _per_render(function: Callable[..., str]) -> Callable[..., str]:
    """Keep Jinja2 from evaluating a locale-bound filter at compile time.

    Compiled templates are shared by every locale's environment, and Jinja2
    folds a filter with constant arguments (``{{ 1234.5|format_currency }}``)
    into the compiled code, which would give every locale the first locale's
    result. A filter that takes the render context is never folded.
    """

    @jinja2.pass_context
    def filter_at_render(_context: Any, *args: Any, **kwargs: Any) -> str:
        return function(*args, **kwargs)

    return filter_at_render


def _template_frame(
    exc: BaseException, templates_dirs: list[Path]
) -> tuple[Path | None, int | None]:
    """Find the innermost traceback frame that is inside a template file."""
    roots = tuple(str(folder.resolve()) + os.sep for folder in templates_dirs)
    path: Path | None = None
    line: int | None = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename and os.path.abspath(frame.filename).startswith(roots):
            path, line = Path(frame.filename), frame.lineno
    return path, line


def missing_template_error(
    theme: Theme, name: str, source_path: Path | None, line: int | None
) -> ContentError:
    """The error for a page that asks for a template the theme does not have."""
    available = sorted(
        {p.stem for folder in theme.templates_dirs for p in folder.glob("*" + TEMPLATE_SUFFIX)}
    )
    return ContentError(
        f"template {theme.template_name(name)!r} not found in {theme.templates_dirs[0]}",
        path=source_path,
        line=line,
        hint=f"use one of: {', '.join(available)}",
    )


class Compiling:
    """A theme's templates being compiled (:meth:`Theme.begin_compile`)."""

    def __init__(
        self,
        cache: _SharedBytecodeCache,
        begun: BegunMap[str, tuple[str, str, bytes] | None],
    ) -> None:
        self._cache = cache
        self._begun = begun

    def finish(self) -> None:
        """Compile the templates the copy has not taken, and keep the code it sends.

        The first template, by name, that does not compile raises its
        :class:`~locgen.errors.ThemeError` here, as in one process.
        """
        self._cache.adopt(entry for entry in self._begun.results() if entry is not None)

    def stop(self) -> None:
        """End the copy where it is (the build stopped before it needed the templates)."""
        self._begun.stop()


class _SharedBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates shared by the per-locale environments of one build, and kept
    in *folder* for the next build when there is one.

    Jinja2 checks each compiled template against a checksum of its source and
    compiles it again when they differ; unreadable data is compiled again too.
    """

    def __init__(self, folder: Path | None = None) -> None:
        self._store: dict[str, tuple[str, CodeType]] = {}
        """By bucket key: the source checksum and the code compiled from it. Code
        objects are immutable, so each locale's environment can run the same one."""
        self._folder = folder

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        kept = self._store.get(bucket.key)
        if kept is not None and kept[0] == bucket.checksum:
            bucket.code = kept[1]
            return
        if self._folder is None:
            return
        try:
            data = (self._folder / bucket.key).read_bytes()
        except OSError:
            return
        try:
            bucket.bytecode_from_string(data)
        except Exception:  # damaged: compile the template again
            bucket.reset()
        if bucket.code is not None:
            self._store[bucket.key] = (bucket.checksum, bucket.code)

    def exported(self, template: jinja2.Template) -> tuple[str, str, bytes] | None:
        """The compiled code of *template* as :meth:`adopt` takes it in another process:
        its key, its source checksum and the code marshalled; ``None`` if not kept here."""
        key = self.get_cache_key(template.name or "", template.filename)
        kept = self._store.get(key)
        return None if kept is None else (key, kept[0], marshal.dumps(kept[1]))

    def adopt(self, entries: Iterable[tuple[str, str, bytes]]) -> None:
        """Keep compiled code :meth:`exported` by another process (a copy of this one)."""
        for key, checksum, data in entries:
            if key not in self._store:
                self._store[key] = (checksum, marshal.loads(data))

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        assert bucket.code is not None, "Jinja2 dumps compiled templates only"
        self._store[bucket.key] = (bucket.checksum, bucket.code)
        if self._folder is not None:
            write_atomic(self._folder / bucket.key, bucket.bytecode_to_string())
