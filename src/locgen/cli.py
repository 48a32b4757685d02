"""The ``locgen`` command line: each command parses options and calls one function."""

from __future__ import annotations

import contextlib
import gc
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from locgen import __version__
from locgen.errors import EXIT_CONTENT, EXIT_INTERNAL, EXIT_OK, BuildFailed, LocgenError

F = TypeVar("F", bound=Callable[..., Any])

debug_option = click.option(
    "--debug", is_flag=True, default=False, help="Show tracebacks for errors."
)


def locales_option(verb: str) -> Callable[[F], F]:
    """``--locale L`` (repeatable): *verb* only these locales."""
    return click.option(
        "--locale",
        "locales",
        multiple=True,
        metavar="LOCALE",
        help=f"{verb} only this locale (repeatable).",
    )


def format_option(what: str) -> Callable[[F], F]:
    """``--format text|json|github`` for the report of a command."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["text", "json", "github"]),
        default="text",
        show_default=True,
        help=f"{what} format.",
    )


def speed_options(func: F) -> F:
    """``-j N``, ``--shard I/N`` and ``--no-cache``: how a build or check renders."""
    func = click.option(
        "--no-cache",
        is_flag=True,
        default=False,
        help="Render everything; neither read nor write the build cache.",
    )(func)
    func = click.option(
        "--shard",
        metavar="I/N",
        callback=_parse_shard,
        help="Build only the I-th of N disjoint parts of the pages (for CI matrices).",
    )(func)
    return click.option(
        "-j",
        "--jobs",
        "workers",
        type=click.IntRange(min=1),
        help="Worker processes that render pages [default: [build].jobs, else one per CPU].",
    )(func)


def speed_settings(
    workers: int | None, shard: tuple[int, int] | None, no_cache: bool
) -> dict[str, Any]:
    """The :class:`~locgen.build.BuildRequest` fields that :func:`speed_options` set."""
    return {"workers": workers, "shard": shard, "use_cache": not no_cache}


def _parse_shard(
    context: click.Context, parameter: click.Parameter, value: str | None
) -> tuple[int, int] | None:
    if value is None:
        return None
    index, slash, total = value.partition("/")
    if slash and index.isdigit() and total.isdigit() and 1 <= int(index) <= int(total):
        return int(index), int(total)
    raise click.BadParameter(f"{value!r} is not I/N with 1 <= I <= N, such as 2/4")


def print_notice(message: str) -> None:
    """Print a problem that did not stop the command."""
    click.echo(f"warning: {message}", err=True)


GC_THRESHOLD = 100_000
"""New objects between two runs of Python's cycle collector (its default is 700). A
build keeps hundreds of thousands of objects alive to its end (parsed pages, cached
results); at the default, the collector walks them again and again, which measured
as a fifth of the CPU time of a build that renders nothing."""


def run(action: Callable[[], int | None], *, debug: bool, fmt: str = "text") -> None:
    """Run *action*, mapping errors to one message and the documented exit code."""
    gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])
    try:
        code = action() or 0
    except LocgenError as exc:
        if debug:
            traceback.print_exc()
        _print_error(exc, fmt)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        # The reader of our output went away (`locgen cultures | head`): the work
        # is done, so stop quietly instead of failing while flushing.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
    except Exception as exc:
        if debug:
            traceback.print_exc()
        click.echo(
            f"internal error: {type(exc).__name__}: {exc}\n"
            "  hint: this is a bug in locgen or a plugin; rerun with --debug for the traceback",
            err=True,
        )
        sys.exit(EXIT_INTERNAL)
    sys.exit(code)


def _print_error(exc: LocgenError, fmt: str) -> None:
    from locgen.findings import Finding
    from locgen.report import format_finding, github_annotation

    root = Path.cwd()
    for finding in getattr(exc, "findings", ()):
        if fmt == "github":
            click.echo(github_annotation(finding, root))
        else:
            click.echo(format_finding(finding, root), err=True)
    if fmt == "github":
        finding = Finding(
            rule="build.error",
            level="error",
            message=exc.message,
            path=exc.path,
            line=exc.line,
            locale=exc.locale,
            suggestion=exc.hint,
        )
        click.echo(github_annotation(finding, root))
    if isinstance(exc, BuildFailed):
        # The findings above are the errors; this line says what became of the build.
        click.echo(f"build failed: {exc.format(root)}", err=True)
    else:
        click.echo(f"error: {exc.format(root)}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="locgen")
def cli() -> None:
    """locgen builds localized sites and customer communications from Markdown."""


@cli.command("build")
@locales_option("Build")
@click.option(
    "--output",
    type=click.Path(path_type=Path, file_okay=False),
    help="Output folder (default: [site].output).",
)
@click.option("--base-url", help="Base URL the site is published at.")
@click.option("--drafts", is_flag=True, default=False, help="Include pages marked draft.")
@click.option(
    "--strict",
    is_flag=True,
    default=False,
    help="Fail, and leave the output untouched, when there are warnings.",
)
@click.option(
    "--emails-only",
    is_flag=True,
    default=False,
    help="Build only the emails; replace only the output's emails/ folder.",
)
@speed_options
@format_option("Build report")
@debug_option
def build_command(
    locales: tuple[str, ...],
    output: Path | None,
    base_url: str | None,
    drafts: bool,
    strict: bool,
    emails_only: bool,
    workers: int | None,
    shard: tuple[int, int] | None,
    no_cache: bool,
    fmt: str,
    debug: bool,
) -> None:
    """Build every locale's site and emails into the output folder."""

    def action() -> int:
        from locgen.config import find_site_root
        from locgen.sources import read_ahead

        root = find_site_root(Path.cwd())
        # A copy of this process starts reading the pages while this one loads the rest.
        ahead = read_ahead(root, cache=not no_cache)

        from locgen.build import BuildRequest, build_site
        from locgen.report import Progress, write_report

        request = BuildRequest(
            root=root,
            locales=locales,
            output=output,
            base_url=base_url,
            include_drafts=drafts,
            strict=strict,
            emails_only=emails_only,
            **speed_settings(workers, shard, no_cache),
        )
        progress = Progress()
        try:
            result = build_site(request, progress, print_notice, ahead)
        finally:
            progress.close()
            if ahead is not None:
                ahead.stop()  # the build failed before it took the pages
        write_report(result, fmt, sys.stdout)
        return 0

    run(action, debug=debug, fmt=fmt)


@cli.command("check")
@locales_option("Check")
@click.option("--drafts", is_flag=True, default=False, help="Include pages marked draft.")
@click.option("--strict", is_flag=True, default=False, help="Exit 1 on warnings too.")
@format_option("Report")
@click.option(
    "-v", "--verbose", is_flag=True, default=False, help="Show info findings in the text report."
)
@click.option("--rules", "list_rules", is_flag=True, default=False, help="List every rule id.")
@speed_options
@debug_option
def check_command(
    locales: tuple[str, ...],
    drafts: bool,
    strict: bool,
    fmt: str,
    verbose: bool,
    list_rules: bool,
    workers: int | None,
    shard: tuple[int, int] | None,
    no_cache: bool,
    debug: bool,
) -> None:
    """Check translations, culture rules, links, images, theme strings and send dates."""

    def action() -> int:
        from locgen.config import find_site_root
        from locgen.sources import read_ahead

        root = find_site_root(Path.cwd())
        # A copy of this process starts reading the pages while this one loads the rest.
        ahead = None if list_rules else read_ahead(root, cache=not no_cache)

        from locgen.build import BuildRequest
        from locgen.check import run_check, site_rules, write_check_report
        from locgen.report import Progress

        if list_rules:
            for rule in site_rules(root):
                setting = f" (site: {rule['setting']})" if rule["setting"] else ""
                click.echo(f"{rule['id']:<34} {rule['level']:<8}{setting} {rule['description']}")
            return 0
        request = BuildRequest(
            root=root,
            locales=locales,
            include_drafts=drafts,
            **speed_settings(workers, shard, no_cache),
        )
        progress = Progress()
        try:
            report = run_check(request, progress, print_notice, ahead)
        finally:
            progress.close()
            if ahead is not None:
                ahead.stop()  # the check failed before it took the pages
        colour = fmt == "text" and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        write_check_report(report, fmt, sys.stdout, colour=colour, verbose=verbose)
        return 1 if report.failed(strict) else 0

    run(action, debug=debug, fmt=fmt)


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port to listen on (0 picks a free one).",
)
@click.option("--open", "open_browser", is_flag=True, default=False, help="Open the browser.")
@click.option("--drafts", is_flag=True, default=False, help="Include pages marked draft.")
@debug_option
def serve_command(host: str, port: int, open_browser: bool, drafts: bool, debug: bool) -> None:
    """Build, serve on 127.0.0.1:8000, watch the sources and reload the browser on change."""

    def action() -> int:
        from locgen.config import find_site_root
        from locgen.serve import ServeOptions, serve

        options = ServeOptions(
            root=find_site_root(Path.cwd()),
            host=host,
            port=port,
            open_browser=open_browser,
            include_drafts=drafts,
        )
        serve(options)
        return 0

    run(action, debug=debug)


@cli.command("init")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False), default=".")
@debug_option
def init_command(directory: Path, debug: bool) -> None:
    """Create a new site in DIRECTORY that builds at once."""

    def action() -> int:
        from locgen.scaffold import init_site

        created = init_site(directory)
        click.echo(f"created a site with {len(created)} files in {directory}")
        click.echo(f"next: cd {directory} && locgen build")
        return 0

    run(action, debug=debug)


_report_format = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)


@cli.command("cultures")
@click.argument("locale", required=False)
@_report_format
@debug_option
def cultures_command(locale: str | None, fmt: str, debug: bool) -> None:
    """Show the culture each locale gets, what it changes, and where each setting comes from."""

    def action() -> int:
        from locgen.inventory import cultures_report, write_cultures
        from locgen.plugins import load_plugins

        config = _site_config()
        report = cultures_report(config, load_plugins(config.root), locale)
        write_cultures(report, fmt, sys.stdout)
        return 0

    run(action, debug=debug)


@cli.command("plugins")
@_report_format
@debug_option
def plugins_command(fmt: str, debug: bool) -> None:
    """List the loaded plugins, in registration order, and the hooks they implement."""

    def action() -> int:
        from locgen.inventory import plugins_report, write_plugins
        from locgen.plugins import load_plugins

        config = _site_config()
        write_plugins(plugins_report(load_plugins(config.root), config.root), fmt, sys.stdout)
        return 0

    run(action, debug=debug)


@cli.group("i18n")
def i18n_group() -> None:
    """Theme-string catalogs (pybabel-compatible): extract, init, update, compile."""


_PASSTHROUGH = {"ignore_unknown_options": True}
_extra_args = click.argument("extra", nargs=-1, type=click.UNPROCESSED)


def _site_config() -> Any:
    from locgen.config import find_site_root, load_config

    return load_config(find_site_root(Path.cwd()))


@i18n_group.command("extract", context_settings=_PASSTHROUGH)
@_extra_args
@debug_option
def i18n_extract(extra: tuple[str, ...], debug: bool) -> None:
    """Collect theme strings into locales/messages.pot (extra args go to pybabel)."""

    def action() -> int:
        from locgen import i18n

        path = i18n.extract(_site_config(), extra)
        click.echo(f"wrote {path}")
        return 0

    run(action, debug=debug)


def _catalog_locales(help_text: str) -> Callable[[F], F]:
    return click.option(
        "--locale", "-l", "locales", multiple=True, metavar="LOCALE", help=help_text
    )


@i18n_group.command("init", context_settings=_PASSTHROUGH)
@_catalog_locales("Locale to start a catalog for (default: every locale without one).")
@_extra_args
@debug_option
def i18n_init(locales: tuple[str, ...], extra: tuple[str, ...], debug: bool) -> None:
    """Start catalogs from locales/messages.pot."""

    def action() -> int:
        from locgen import i18n

        for path in i18n.init(_site_config(), locales, extra):
            click.echo(f"created {path}")
        return 0

    run(action, debug=debug)


@i18n_group.command("update", context_settings=_PASSTHROUGH)
@_catalog_locales("Locale to update (default: all).")
@_extra_args
@debug_option
def i18n_update(locales: tuple[str, ...], extra: tuple[str, ...], debug: bool) -> None:
    """Merge new strings from locales/messages.pot into the catalogs."""

    def action() -> int:
        from locgen import i18n

        i18n.update(_site_config(), locales, extra)
        return 0

    run(action, debug=debug)


@i18n_group.command("compile", context_settings=_PASSTHROUGH)
@_extra_args
@debug_option
def i18n_compile(extra: tuple[str, ...], debug: bool) -> None:
    """Write .mo files as pybabel does (builds compile catalogs in memory themselves)."""

    def action() -> int:
        from locgen import i18n

        i18n.compile_catalogs(_site_config(), extra)
        return 0

    run(action, debug=debug)


def main() -> None:
    """Entry point of the ``locgen`` console script.

    A finished command ends the process at once instead of handing back its
    objects one by one: a build keeps hundreds of thousands of them to its end,
    and tearing them down took a quarter of a second after a 10,000-page build.
    Nothing is left to do by then (the output is published, workers and writer
    threads have ended) but flushing the output streams.
    """
    try:
        cli.main(prog_name="locgen", auto_envvar_prefix="LOCGEN")
        code = EXIT_OK
    except SystemExit as exc:
        if isinstance(exc.code, str):
            print(exc.code, file=sys.stderr)
            code = EXIT_CONTENT
        else:
            code = exc.code or EXIT_OK
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError):  # the reader went away (`locgen cultures | head`)
            stream.flush()
    os._exit(code)
