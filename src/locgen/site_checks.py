"""locgen's own checks: links, images, theme strings, email rules and send dates.

They are registered through the ``locgen_checks`` hook like any plugin's
(:mod:`locgen.builtin`), and each declares the rule ids it reports.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import posixpath
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urljoin, urlsplit

from locgen.calendar_check import CALENDAR_RULE, holiday_country_problem, holiday_findings
from locgen.catalogs import find_catalog, read_catalog
from locgen.checks import Check, CheckContext, HtmlOutline, ReaderText, Rule
from locgen.findings import LEVELS, Finding
from locgen.images import variant_candidates
from locgen.merge_tags import ANY_TAG
from locgen.pages import Page
from locgen.phrasebook import Phrasebook
from locgen.prose_rules import PROSE_RULES, ToneRule, prose_findings

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog

    from locgen.sources import SourceFile

LINK_RULES = (
    Rule("links.internal", "error", "a link to a page or file of the site that is not built"),
    Rule("links.anchor", "warning", "a link to a #fragment that the target page does not have"),
)
IMAGE_RULES = (
    Rule("image.alt", "warning", "an image without alt text"),
    Rule("culture.imagery", "warning", "an image tagged with something the culture cautions"),
)
I18N_RULES = (
    Rule("i18n.untranslated", "warning", "a theme string a locale's catalog does not translate"),
    Rule("i18n.fuzzy", "warning", "a theme string whose translation is marked fuzzy"),
)
EMAIL_RULES = (
    Rule("email.unsubscribe", "error", "marketing mail without the unsubscribe link a law asks"),
    Rule("email.subject-length", "warning", "a subject longer than the locale's inbox shows"),
    Rule("email.preheader", "warning", "an email without a preheader"),
    CALENDAR_RULE,
)


def builtin_checks() -> list[Check]:
    """locgen's own site checks (the prose check needs the site: :func:`prose_check`)."""
    return [
        Check(
            "links",
            "internal links and #anchors in every locale",
            run=links_check,
            rules=LINK_RULES,
            reads_html=True,
        ),
        Check(
            "images",
            "alt text, and image tags against the culture's cautions",
            run=imagery_check,
            text=alt_check,
            rules=IMAGE_RULES,
        ),
        Check(
            "i18n",
            "theme strings that every locale's catalogs translate",
            run=i18n_check,
            rules=I18N_RULES,
        ),
        Check(
            "email",
            "unsubscribe links, subjects, preheaders and send dates",
            run=calendar_check,
            rules=EMAIL_RULES,
        ),
    ]


def prose_check(tone_rules: Sequence[ToneRule], phrasebook: Phrasebook | None) -> Check:
    """The check of register, honorifics and tone, with every tone rule the site has."""
    rules = tuple(tone_rules)
    severity = {level: rank for rank, level in enumerate(reversed(LEVELS))}
    levels: dict[str, str] = {rule.id: rule.level for rule in PROSE_RULES}
    for tone in rules:
        # A tone rule may report at a higher level than its id's default.
        if severity[tone.level] > severity[levels.get(tone.rule, "info")]:
            levels[tone.rule] = tone.level
    declared = tuple(
        Rule(rule.id, levels[rule.id], rule.description) for rule in PROSE_RULES
    ) + tuple(
        Rule(rid, levels[rid], "a tone rule of a plugin or the site")
        for rid in sorted(set(levels) - {rule.id for rule in PROSE_RULES})
    )

    return Check(
        "prose",
        "register, honorifics and tone of the text each culture reads",
        text=lambda text: prose_findings(text, rules, phrasebook),
        rules=declared,
    )


# -- images --------------------------------------------------------------------


def alt_check(text: ReaderText) -> Iterator[Finding]:
    """Report every ``<img>`` of the body without alt text."""
    if "<img" not in text.html:
        return
    from selectolax.lexbor import LexborHTMLParser  # only pages with images need parsing

    for element in LexborHTMLParser(text.html).css("img"):
        attributes = element.attributes
        if (attributes.get("alt") or "").strip():
            continue
        src = attributes.get("src") or ""
        name = posixpath.basename(urlsplit(src).path)
        yield Finding(
            rule="image.alt",
            level="warning",
            message=f"image {name or src} has no alt text for {text.locale} readers",
            path=text.path,
            line=_line_with(text, name),
            locale=text.locale,
            suggestion="describe the image between the brackets: ![what it shows](" + name + ")",
        )


def imagery_check(context: CheckContext) -> Iterator[Finding]:
    """Report each image whose tags the reader's culture cautions against."""
    by_locale = {
        tag: {caution.lower(): reason for caution, reason in culture.imagery_cautions.items()}
        for tag, culture in context.cultures.items()
    }
    for use in context.image_uses:
        culture = context.cultures[use.locale]
        cautions = by_locale[use.locale]
        if not cautions:
            continue
        for tag in use.tags:
            reason = cautions.get(tag)
            if reason is None:
                continue
            if tag in use.page_tags:
                suggestion = f"the page's image_tags say {tag}: show another image in this locale"
            else:
                variants = variant_candidates(use.requested, use.locale, culture.id)
                suggestion = f"add content/{variants[1]} (or content/{variants[0]}) without it"
            yield Finding(
                rule="culture.imagery",
                level="warning",
                message=f"image {use.resolved} is tagged {tag}: {reason}",
                path=use.page_path,
                line=use.line,
                locale=use.locale,
                suggestion=suggestion,
            )


# -- links ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Target:
    """Where a link leads: the built file it names, or the candidates that were missing."""

    found: str | None
    """Output path of the built file, or ``None``."""
    candidates: tuple[str, ...]
    """Output paths tried."""
    fragment: str
    """The ``#fragment``, unquoted."""


def links_check(context: CheckContext) -> Iterator[Finding]:
    """Report links between built files that lead nowhere, in every checked locale.

    What following one page's links found is kept (in :attr:`CheckContext.store`)
    while the page, its source file and the files links can lead to are
    unchanged, so a build or a dev-server update follows again only the links
    of the pages that changed, or all of them when a page came or went or a
    page's ids changed. Between dev-server updates (:attr:`CheckContext.cache`)
    each locale's pages are kept too, and only those whose outline or source is
    a new object are looked at again.
    """
    index = context.index
    universe = _link_universe(context)
    known_results: dict[tuple[str, str], tuple[str, _PageLinks]] = context.store.get("links", {})
    results = context.store["links"] = {}
    resolved: dict[tuple[str, str], _Target | None] = {}
    targets: dict[str, _Target | None] = {}
    from_theme: dict[tuple[str, str, str], list[Page]] = {}
    before: dict[str, _LocaleLinks] = context.cache.get("link_locales", {})
    now: dict[str, _LocaleLinks] = {}
    for tag in context.locales:
        pages = []
        outlines = []
        for page in (*index.pages_in(tag), *index.emails_in(tag)):
            outline = context.outline(page.output_path)
            if outline is not None:
                pages.append(page)
                outlines.append(outline)
        sources = [page.source for page in pages]
        paths = [page.output_path for page in pages]
        kept = before.get(tag)
        if kept is not None and kept.universe == universe and kept.paths == paths:
            # The same pages at the same places: only new outlines or sources are looked at.
            links = list(kept.links)
            changed = [
                number
                for number, (outline, old, source, old_source) in enumerate(
                    zip(outlines, kept.outlines, sources, kept.sources, strict=True)
                )
                if outline is not old or source is not old_source
            ]
        else:
            links = [("", _NO_LINKS)] * len(pages)
            changed = list(range(len(pages)))
        for number in changed:
            page, outline = pages[number], outlines[number]
            stamp = _stamp(universe, outline, page)
            known = known_results.get((page.output_path, tag))
            if known is None or known[0] != stamp:
                known = (stamp, _page_links(context, page, outline, resolved, targets))
            links[number] = known
        now[tag] = _LocaleLinks(universe, paths, outlines, sources, links)
        for page, known in zip(pages, links, strict=True):
            results[page.output_path, tag] = known
            found = known[1]
            if found.findings:
                yield from found.findings
            for url, missing in found.theme:
                from_theme.setdefault((tag, url, missing), []).append(page)
    context.cache["link_locales"] = now
    # A link the theme makes is on many pages: one warning per link and locale.
    for (tag, url, missing), linking in from_theme.items():
        shown = linking[0].url + (f" and {len(linking) - 1} more pages" if len(linking) > 1 else "")
        yield Finding(
            rule="links.internal",
            level="warning",
            message=f"the theme links {shown} to {url}, and no {missing} is built for {tag}",
            locale=tag,
            suggestion="add the page the theme links to (for a locale's home page: "
            "content/index.<locale>.md), or change the template",
        )


@dataclass
class _LocaleLinks:
    """One locale's link results as a dev-server update left them."""

    universe: str
    paths: list[str]
    """The output path of each page, in order."""
    outlines: list[HtmlOutline]
    sources: list[SourceFile | None]
    links: list[tuple[str, _PageLinks]]
    """``(stamp, results)`` of each page."""


@dataclass
class _LinkFiles:
    """What links can lead to, as the last dev-server update saw it."""

    paths: frozenset[str]
    placed: frozenset[str]
    html: list[str]
    """The HTML files among :attr:`paths`, sorted."""
    head: bytes
    """Digest of the paths and the placed pages."""
    outlines: list[HtmlOutline | None]
    ids: list[bytes]
    """Each HTML file's ids as text, in the order of :attr:`html`."""
    universe: str = ""


def _link_universe(context: CheckContext) -> str:
    """A digest of what links can lead to: output paths, placed pages and every file's ids.

    Between dev-server updates (:attr:`CheckContext.cache`) only the ids of the
    files whose outline is a new object are read again.
    """
    paths = context.output_paths
    placed = _placed_pages(context)
    kept: _LinkFiles | None = context.cache.get("link_files")
    if kept is None or kept.paths != paths or kept.placed != placed:
        ordered = sorted(paths)
        head = hashlib.blake2b(digest_size=16)
        head.update("\n".join(ordered).encode())
        head.update(b"\0" + "\n".join(sorted(placed)).encode())
        html = [path for path in ordered if path.endswith(".html")]
        unread: list[HtmlOutline | None] = [None] * len(html)
        kept = _LinkFiles(frozenset(paths), placed, html, head.digest(), unread, [b""] * len(html))
    outlines = [context.outline(path) for path in kept.html]
    changed = [
        number
        for number, (outline, old) in enumerate(zip(outlines, kept.outlines, strict=True))
        if outline is not old
    ]
    if changed or not kept.universe:
        for number in changed:
            outline = outlines[number]
            if outline is not None:
                ids = outline.ids_text(chr(1))
                kept.ids[number] = f"\0{kept.html[number]}\0{ids}".encode()
            else:
                kept.ids[number] = b""
        kept.outlines = outlines
        digest = hashlib.blake2b(kept.head, digest_size=16)
        digest.update(b"".join(kept.ids))
        kept.universe = digest.hexdigest()
    context.cache["link_files"] = kept
    return kept.universe


def _stamp(universe: str, outline: HtmlOutline, page: Page) -> str:
    """What a page's link results depend on: the universe, its links and its source text."""
    source = page.source
    if source is None:
        text = ""
    elif source.content_hash:  # the file's bytes, and so its body and its line numbers
        text = f"{source.rel_path}\0{source.content_hash}"
    else:
        text = f"{source.rel_path}\0{source.body_line}\0{source.body}"
    text = f"{universe}\0{outline.links_text(chr(1))}\0{text}"
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


@dataclass(frozen=True)
class _PageLinks:
    """What following one page's links found."""

    findings: tuple[Finding, ...]
    """Broken links and anchors written in the page's text."""
    theme: tuple[tuple[str, str], ...]
    """Broken links the theme made: ``(URL, output path not built)``."""


_NO_LINKS = _PageLinks((), ())


def _page_links(
    context: CheckContext,
    page: Page,
    outline: HtmlOutline,
    resolved: dict[tuple[str, str], _Target | None],
    targets: dict[str, _Target | None],
) -> _PageLinks:
    """Follow every link of *page*.

    *resolved* memoizes what each link leads to (by its URL, and by the page's
    folder for a relative one) and *targets* by the site path it comes to, for
    every page of the build.
    """
    findings: list[Finding] = []
    theme: dict[str, str] = {}
    folder = page.url.rpartition("/")[0]
    lines: dict[str, int | None] = {}  # a theme link is often on a page more than once
    for url in outline.links:
        # Absolute links resolve the same from every page: resolve each once.
        key = (url if url.startswith(("/", "http:", "https:")) else folder, url)
        if key not in resolved:
            local = _local_url(context, page, url)
            if local is not None and local not in targets:
                targets[local] = _resolve(context, local)  # relative links often meet
            resolved[key] = targets[local] if local is not None else None
        target = resolved[key]
        if target is None or (target.found is not None and not target.fragment):
            continue  # nothing to check, or a built file without a #fragment
        if target.found is not None:
            finding = _anchor_finding(context, page, url, target.found, target.fragment)
            if finding is not None:
                findings.append(finding)
            continue
        if url not in lines:
            lines[url] = _source_line(page, url, target.fragment)
        line = lines[url]
        if line is None:  # not in the page's text: the theme made it
            theme.setdefault(url, target.candidates[0])
            continue
        source = page.source
        findings.append(
            Finding(
                rule="links.internal",
                level="error",
                message=f"link {url} leads to nothing: no {target.candidates[0]} is built "
                f"for {page.locale.tag}",
                path=source.path if source is not None else None,
                line=line,
                locale=page.locale.tag,
                suggestion="link to the page's source file (/section/page.md), which locgen "
                "turns into each locale's URL",
            )
        )
    return _PageLinks(tuple(findings), tuple(theme.items()))


def _local_url(context: CheckContext, page: Page, url: str) -> str | None:
    """*url* on *page* as a path on this site with its ``#fragment``; ``None`` for links
    the check leaves alone (other sites, mail, merge tags)."""
    index = context.index
    if ANY_TAG.search(url) or url.startswith(("mailto:", "tel:", "data:", "javascript:")):
        return None
    if url.startswith(index.origin + "/"):
        return url[len(index.origin) :]  # the site's own absolute URL: no joining needed
    if url.startswith("/") and not url.startswith("//"):
        return url
    if (joined := join_relative(page.url, url)) is not None:
        return joined
    target = urlsplit(urljoin(index.origin + page.url, url))
    if target.scheme not in ("http", "https") or target.netloc != _netloc(context):
        return None
    return target.path + (f"#{target.fragment}" if target.fragment else "")


def _resolve(context: CheckContext, local: str) -> _Target | None:
    """What the path *local* (from :func:`_local_url`) leads to; ``None`` for links the
    check leaves alone."""
    index = context.index
    path, _, fragment = local.partition("#")
    path = path.partition("?")[0]
    if not path.startswith(index.base_path) or path.endswith(".md"):
        return None  # another site on the host, or a source file (reported while rendering)
    rel = unquote(path[len(index.base_path) :])
    if rel.endswith("/") or not rel:
        candidates: tuple[str, ...] = (rel + "index.html",)
    else:
        candidates = (rel, rel + "/index.html")
    found = next((c for c in candidates if c in context.output_paths), None)
    if found is None and any(c in _placed_pages(context) for c in candidates):
        return None  # a page this run does not render (--locale, --emails-only)
    return _Target(found, candidates, unquote(fragment))


_PLAIN_RELATIVE = re.compile(r"[A-Za-z0-9._~!$&'()*+,=@%-][A-Za-z0-9._~!$&'()*+,=@%/-]*(#.*)?")
"""A relative URL of path characters only (no scheme, query, parameters or spaces)."""


def join_relative(base: str, url: str) -> str | None:
    """*url* resolved against the path *base*, as ``urljoin`` resolves it, with its
    ``#fragment``; ``None`` when *url* is not a plain relative path (then use ``urljoin``).

    The link check resolves every relative link of every page; this is the part
    of ``urljoin`` those links need, without parsing two URLs for each. A link to
    a ``#fragment`` only keeps *base* as it is (page URLs have no query).
    """
    if url.startswith("#"):
        return base + url if len(url) > 1 else base
    if _PLAIN_RELATIVE.fullmatch(url) is None:
        return None
    path, _, fragment = url.partition("#")
    if not path:
        return None
    base_parts = base.split("/")
    if base_parts[-1] != "":
        del base_parts[-1]
    segments = base_parts + path.split("/")
    segments[1:-1] = filter(None, segments[1:-1])
    resolved: list[str] = []
    for segment in segments:
        if segment == "..":
            if resolved:
                resolved.pop()
        elif segment != ".":
            resolved.append(segment)
    if segments[-1] in (".", ".."):
        resolved.append("")
    joined = "/".join(resolved)
    if not joined.startswith("/"):
        joined = "/" + joined  # as urlunsplit does for a URL with a host
    return joined + (f"#{fragment}" if fragment else "")


def _netloc(context: CheckContext) -> str:
    return urlsplit(context.index.origin).netloc


def _anchor_finding(
    context: CheckContext, page: Page, url: str, found: str, fragment: str
) -> Finding | None:
    """A ``links.anchor`` finding when built file *found* has no id *fragment*."""
    built = context.outline(found) if found.endswith(".html") else None
    if built is None or fragment in built.ids or fragment == "top":
        return None
    source = page.source
    return Finding(
        rule="links.anchor",
        level="warning",
        message=f"link {url}: {found} has no #{fragment} for {page.locale.tag} readers",
        path=source.path if source is not None else None,
        line=_source_line(page, url, fragment),
        locale=page.locale.tag,
        suggestion=_anchor_hint(built.ids, fragment),
    )


def _placed_pages(context: CheckContext) -> frozenset[str]:
    """Output paths of every page and email the site index places, in every locale."""
    cached = context.cache.get("placed")
    if cached is None or cached[0] is not context.index:
        placed = frozenset(
            page.output_path
            for tag in context.index.locales
            for page in [*context.index.pages_in(tag), *context.index.emails_in(tag)]
        )
        cached = context.cache["placed"] = (context.index, placed)
    return frozenset(cached[1])


def _anchor_hint(ids: Iterable[str], fragment: str) -> str:
    close = difflib.get_close_matches(fragment, list(ids), n=1)
    if close:
        return f"did you mean #{close[0]}? Heading anchors follow the heading text in each locale"
    return "link to a heading that exists in this locale's text, or add {#id} to the heading"


def _source_line(page: Page, url: str, fragment: str) -> int | None:
    """The body line of *page*'s source that the link comes from, if it is written there.

    A link is written either as the URL itself or as a link to a source file
    (``/product/pricing.md#plans``), which becomes the page's URL.
    """
    source = page.source
    if source is None:
        return None
    path = urlsplit(url).path
    name = posixpath.basename(path.rstrip("/"))
    needles = [
        url,
        f"({path}" if path else "",  # [text](/path/)
        f'"{path}' if path else "",  # {{< button "…" url="/path/" >}}
        f"{name}.md" if name else "",  # [text](/section/name.md)
        f"(#{fragment})" if fragment else "",
    ]
    body = source.body
    for needle in needles:
        if needle and needle in body:
            return source.body_line_of(needle)
    return None


def _line_with(text: ReaderText, needle: str) -> int | None:
    if not needle:
        return None
    for number, line in text.lines:
        if needle in line:
            return number
    return text.lines[0][0] if text.lines else None


# -- theme strings -------------------------------------------------------------


@dataclass(frozen=True)
class _Message:
    context: str | None
    msgid: str
    path: Path
    line: int


def _theme_messages(context: CheckContext) -> list[_Message]:
    """The translatable strings of the theme's templates, where each first appears.

    Read again only when a template file changed (its size or modification time).
    """
    theme = context.theme
    if theme is None:
        return []
    stamp = tuple(
        (path, path.stat().st_mtime_ns, path.stat().st_size)
        for folder in theme.template_roots
        if folder.is_dir()
        for path in sorted(folder.rglob("*.html"))
    )
    cached = context.cache.get("theme_messages")
    if cached is not None and cached[0] == stamp:
        return list(cached[1])
    messages = _extract_messages(theme.template_roots)
    context.cache["theme_messages"] = (stamp, messages)
    return list(messages)


def _extract_messages(roots: Iterable[Path]) -> list[_Message]:
    from babel.messages.extract import extract_from_dir

    found: dict[tuple[str | None, str], _Message] = {}
    for folder in roots:
        if not folder.is_dir():
            continue
        extracted = extract_from_dir(
            str(folder),
            method_map=[("**.html", "locgen.i18n:extract_templates")],
            options_map={"**.html": {"extensions": "jinja2.ext.i18n"}},
        )
        for filename, lineno, message, _comments, msgctxt in extracted:
            msgid = message[0] if isinstance(message, tuple) else message
            key = (msgctxt, msgid)
            if key not in found:
                found[key] = _Message(msgctxt, msgid, folder / filename, lineno)
    return sorted(found.values(), key=lambda m: (str(m.path), m.line, m.msgid))


def i18n_check(context: CheckContext) -> Iterator[Finding]:
    """Report theme strings a locale's catalogs leave untranslated or mark fuzzy."""
    theme = context.theme
    if theme is None:
        return
    messages = _theme_messages(context)
    folders = theme.catalog_dirs()
    for tag in context.locales:
        if tag == context.config.default_locale:
            continue  # the templates are written in it
        locale = context.index.locales[tag]
        catalogs: list[tuple[Path, Catalog]] = []
        for folder in folders:
            path = find_catalog(folder, locale)
            if path is not None and all(path.resolve() != p.resolve() for p, _ in catalogs):
                catalogs.append((path, _catalog(context, path)))
        if not catalogs:
            yield Finding(
                rule="i18n.untranslated",
                level="warning",
                message=f"no catalog translates the theme for {tag}: its "
                f"{len(messages)} theme strings show in {context.config.default_locale}",
                path=context.config.config_path,
                line=context.config.line_of("site", "locales"),
                locale=tag,
                suggestion=f"run `locgen i18n init -l {tag}` and translate "
                f"locales/{locale.catalog_name}/LC_MESSAGES/messages.po",
            )
            continue
        for message in messages:
            yield from _message_findings(message, catalogs, tag)


def _catalog(context: CheckContext, path: Path) -> Catalog:
    """The catalog at *path*, read again only when the file changed."""
    info = path.stat()
    stamp = (info.st_mtime_ns, info.st_size)
    catalogs: dict[Path, tuple[tuple[int, int], Catalog]] = context.cache.setdefault("catalogs", {})
    known = catalogs.get(path)
    if known is None or known[0] != stamp:
        known = catalogs[path] = (stamp, read_catalog(path))
    return known[1]


def _message_findings(
    message: _Message, catalogs: list[tuple[Path, Catalog]], tag: str
) -> Iterator[Finding]:
    first_entry: tuple[Path, int | None, bool] | None = None
    for path, catalog in catalogs:
        entry = catalog.get(message.msgid, context=message.context)
        if entry is None:
            continue
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        translated = all(strings)
        if translated and not entry.fuzzy:
            return
        if first_entry is None:
            first_entry = (path, entry.lineno, translated and entry.fuzzy)
    shown = message.msgid if len(message.msgid) <= 50 else message.msgid[:47] + "…"
    context_note = f" (context {message.context})" if message.context else ""
    if first_entry is not None and first_entry[2]:
        yield Finding(
            rule="i18n.fuzzy",
            level="warning",
            message=f"theme string {shown!r}{context_note} is marked fuzzy for {tag}, "
            "so readers get it untranslated",
            path=first_entry[0],
            line=first_entry[1],
            locale=tag,
            suggestion="check the translation and remove the `#, fuzzy` line above it",
        )
    elif first_entry is not None:
        yield Finding(
            rule="i18n.untranslated",
            level="warning",
            message=f"theme string {shown!r}{context_note} has no translation for {tag}",
            path=first_entry[0],
            line=first_entry[1],
            locale=tag,
            suggestion="fill in its msgstr",
        )
    else:
        yield Finding(
            rule="i18n.untranslated",
            level="warning",
            message=f"theme string {shown!r}{context_note} is in no {tag} catalog",
            path=message.path,
            line=message.line,
            locale=tag,
            suggestion=f"run `locgen i18n extract` and `locgen i18n update`, then translate "
            f"it in {catalogs[0][0].name} for {tag}",
        )


# -- send dates ----------------------------------------------------------------


def calendar_check(context: CheckContext) -> Iterator[Finding]:
    """Report emails whose ``send_date`` is a day off in the reader's country."""
    for tag in context.locales:
        culture = context.cultures[tag]
        problem: str | None = None
        checked = False
        for page in context.index.emails_in(tag):
            source = page.source
            if source is None:
                continue
            send_date = source.meta.get("send_date")
            if not isinstance(send_date, dt.date):
                continue
            if not checked:
                problem, checked = holiday_country_problem(culture), True
            if problem is not None:
                yield Finding(
                    rule="calendar.holiday",
                    level="warning",
                    message=f"the send_date cannot be checked for {tag} readers: {problem}",
                    path=source.path,
                    line=source.line_of("send_date"),
                    locale=tag,
                    suggestion=f"set holiday_country under [cultures.{culture.id}] in "
                    "locgen.toml to a country code such as DE or DE-BY",
                )
                continue
            yield from holiday_findings(
                send_date,
                culture,
                path=source.path,
                line=source.line_of("send_date"),
                locale=tag,
                email_name=page.key.rpartition("/")[2],
            )
