"""Emails: ``content/emails/<name>.<locale>.md`` rendered into ready-to-send templates.

Each email is rendered per locale through the reader's culture like a page
(tone, formality, angles, phrasebook, shortcodes), then placed in the theme's
``email/email.html`` layout with the culture's greeting, sign-off and
compliance footer. Its CSS is inlined with css-inline (``@media`` rules stay
in a ``<style>`` block), and the plain-text part is converted from the
finished HTML.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import css_inline
from markupsafe import Markup

from locgen.address import Person
from locgen.email_text import html_to_text
from locgen.errors import ConfigError, ContentError, LocgenError, ThemeError
from locgen.findings import Finding
from locgen.merge_tags import ANY_TAG
from locgen.pages import Page, email_name
from locgen.render import SiteRenderer, locate
from locgen.shortcodes import RenderContext, expand_text

CATEGORIES = ("marketing", "transactional")
"""What an email's ``category`` can be; marketing mail carries the unsubscribe link."""
DEFAULT_CATEGORY = "marketing"
"""Category of an email that names none: the one with more obligations."""
TEMPLATE = "email/email"
"""The theme's email layout."""
TEXT_FIELDS = ("subject", "preheader", "from_name")
"""Front-matter text of an email; culture markup and shortcodes work in each."""
SUBJECT_LIMITS = {"ja": 30, "zh": 30, "ko": 30, "": 60}
"""Subject characters inboxes show, by language (``""``: every other language).

Chinese, Japanese and Korean characters are twice as wide, so half as many fit.
A site changes them under ``[email] subject_limits`` (by language or locale tag).
"""
MERGE_TAG_WIDTH = 10
"""Characters a merge tag in a subject counts for: about the length of a first name."""


@dataclass(frozen=True)
class EmailView:
    """What the email template sees as ``email``."""

    name: str
    """Name of the email (``welcome``, ``onboarding/day-2``)."""
    subject: str
    """Subject line, localized and adapted to the reader's culture."""
    preheader: str
    """Preview text shown after the subject in the inbox (may be empty)."""
    category: str
    """``marketing`` or ``transactional``."""
    from_name: str
    """Sender name."""
    content: Markup
    """Body HTML."""
    recipient: Person
    """The reader, with merge tags for names: pass it to ``greeting()``."""
    show_greeting: bool
    """False when the front matter says ``greeting: false``."""
    unsubscribe_url: str | None
    """Unsubscribe link (marketing mail only), merge tags filled in."""
    send_date: dt.date | dt.datetime | None
    """Planned send date from front matter."""
    home_url: str
    """Absolute URL of the site's home page in the reader's locale."""


@dataclass(frozen=True)
class RenderedEmail:
    """One email in one locale, ready to send."""

    page: Page
    """The placed email (name, locales, source file, output path)."""
    view: EmailView
    """What the template saw."""
    html: str
    """Finished HTML, CSS inlined."""
    text: str
    """Plain-text alternative."""
    merge_fields: tuple[str, ...]
    """Merge fields the email uses, by name."""
    culture: str
    """Id of the culture the email was adapted to."""
    headers: Mapping[str, str] = field(default_factory=dict)
    """Headers the email needs when sent (``List-Unsubscribe``)."""

    @property
    def name(self) -> str:
        """Name of the email, without the ``emails/`` folder."""
        return self.view.name

    @cached_property
    def content_hash(self) -> str:
        """SHA-256 of the subject, preheader, HTML and text: changes when any of them does."""
        digest = hashlib.sha256()
        for part in (self.view.subject, self.view.preheader, self.html, self.text):
            digest.update(part.encode("utf-8") + b"\0")
        return digest.hexdigest()


class EmailRenderer:
    """Renders the emails of one build with the site renderer's plugins, theme and cultures."""

    def __init__(self, site: SiteRenderer) -> None:
        self.site = site
        self.config = site.index.config
        self.tags = self.config.email.merge_tags
        self._inliner = css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False)
        self._recipient = Person(
            given=self.tags.tag("first_name"), family=self.tags.tag("last_name")
        )
        self._all_tags = tuple(self.tags.tags().values())
        if not site.index.origin:
            raise ConfigError(
                f"emails need an absolute base_url; [site].base_url is {self.config.base_url!r}",
                path=self.config.config_path,
                line=self.config.line_of("site", "base_url"),
                hint='write base_url = "https://example.com/": links in an email leave the site',
            )

    def render(self, page: Page) -> RenderedEmail:
        """Render *page* (an email) into its HTML and text parts."""
        try:
            return self._render(page)
        except LocgenError as exc:
            locate(exc, page)
            raise

    def _render(self, page: Page) -> RenderedEmail:
        source = page.source
        assert source is not None
        name = email_name(page.key)
        context = self.site.render_context(page.locale, page)
        page_view = self.site.page_view(page)
        text = {key: self._text_field(page, page_view.params, context, key) for key in TEXT_FIELDS}
        if not text["subject"]:
            raise ContentError(
                f"email {name} has no subject for {page.locale.tag}",
                path=source.path,
                line=source.line_of("subject") or 1,
                locale=page.locale.tag,
                hint='add subject: "…" to its front matter',
            )
        category = str(source.meta.get("category", DEFAULT_CATEGORY))
        if category not in CATEGORIES:
            raise source.error(
                f"email {name}: category {category!r} is neither marketing nor transactional",
                key="category",
                hint="write category: marketing or category: transactional",
            )
        unsubscribe = self._unsubscribe_url(page, name, category, context)
        self._check_subject_and_preheader(page, text["subject"], text["preheader"])
        view = EmailView(
            name=name,
            subject=text["subject"],
            preheader=text["preheader"],
            category=category,
            from_name=text["from_name"] or self.config.email.from_name or page.locale.title,
            content=page_view.content,
            recipient=self._recipient,
            show_greeting=bool(source.meta.get("greeting", True)),
            unsubscribe_url=unsubscribe,
            send_date=source.meta.get("send_date"),
            home_url=self.site.index.origin + page.locale.home_url,
        )
        html = self.site.theme.render(
            page.locale,
            TEMPLATE,
            {
                **self.site.template_variables(page, page.locale),
                "site": self.site.site_view(page.locale),
                "locale": page.locale,
                "page": page_view,
                "email": view,
            },
        )
        try:
            inlined = self._inliner.inline(html).rstrip("\n") + "\n"
        except css_inline.InlineError as exc:
            raise ThemeError(
                f"the email CSS cannot be inlined: {exc}",
                path=self.site.theme.path / "email",
                hint="check the CSS in the theme's email/ templates",
            ) from exc
        plain = html_to_text(inlined, self._all_tags)
        fields = self.tags.used_in((view.subject, view.preheader, inlined, plain))
        return RenderedEmail(
            page=page,
            view=view,
            html=inlined,
            text=plain,
            merge_fields=tuple(fields),
            culture=context.culture.id,
            headers=self._list_headers(unsubscribe),
        )

    def _text_field(
        self, page: Page, params: Mapping[str, Any], context: RenderContext, key: str
    ) -> str:
        """A front-matter text (culture markup already applied) with its shortcodes run."""
        source = page.source
        assert source is not None
        value = params.get(key)
        if value is None:
            return ""
        if not isinstance(value, str):
            raise source.error(f"front matter {key!r} must be text", key=key, hint="quote it")
        return " ".join(expand_text(value, context, source.line_of(key)).split())

    def _unsubscribe_url(
        self, page: Page, name: str, category: str, context: RenderContext
    ) -> str | None:
        """The unsubscribe link of marketing mail; an error where the reader's law needs one."""
        if category != "marketing":
            return None
        url = self.config.email.unsubscribe_url
        regime = context.culture.regime
        if url is None and regime.unsubscribe:
            source = page.source
            assert source is not None
            self._report(
                page,
                "email.unsubscribe",
                "error",
                f"email {name} is marketing mail, and {page.locale.tag} readers "
                f"({context.culture.id}, {regime.name}) must be able to unsubscribe, "
                "but no unsubscribe link is configured",
                line=source.line_of("category") or 1,
                suggestion='set unsubscribe_url = "https://…/unsubscribe?id={subscriber_id}" '
                "under [email] in locgen.toml (or write category: transactional if it is)",
            )
        return url

    def _report(
        self, page: Page, rule: str, level: str, message: str, *, line: int, suggestion: str
    ) -> None:
        source = page.source
        assert source is not None
        self.site.findings.append(
            Finding(
                rule=rule,
                level=level,
                message=message,
                path=source.path,
                line=line,
                locale=page.locale.tag,
                suggestion=suggestion,
            )
        )

    def _check_subject_and_preheader(self, page: Page, subject: str, preheader: str) -> None:
        """Report a subject longer than the locale's inboxes show, and a missing preheader."""
        source = page.source
        assert source is not None
        name = email_name(page.key)
        limit = subject_limit(self.config.email.subject_limits, page)
        length = visible_length(subject)
        if length > limit:
            self._report(
                page,
                "email.subject-length",
                "warning",
                f"the {page.locale.tag} subject of email {name} is {length} characters long; "
                f"inboxes show about {limit}",
                line=source.line_of("subject") or 1,
                suggestion=f"shorten it to {limit} characters or fewer, the important words "
                "first (or set [email] subject_limits in locgen.toml)",
            )
        if not preheader:
            self._report(
                page,
                "email.preheader",
                "warning",
                f"email {name} has no preheader for {page.locale.tag}: inboxes show the "
                "first words of the body next to the subject instead",
                line=1,
                suggestion='add preheader: "…" (the line inboxes show after the subject)',
            )

    def _list_headers(self, unsubscribe: str | None) -> dict[str, str]:
        """``List-Unsubscribe`` (RFC 2369) and one-click ``List-Unsubscribe-Post`` (RFC 8058)."""
        if unsubscribe is None:
            return {}
        targets = [f"<{unsubscribe}>"]
        mailto = self.config.email.unsubscribe_mailto
        if mailto:
            targets.append(f"<mailto:{mailto}?subject=unsubscribe>")
        headers = {"List-Unsubscribe": ", ".join(targets)}
        if unsubscribe.lower().startswith("https://"):
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        return headers


def subject_limit(site_limits: Mapping[str, int], page: Page) -> int:
    """The subject length inboxes show for *page*: the site's setting, else the default.

    *site_limits* is ``[email] subject_limits``, its keys lowercased.

    The site may set it for the reader's locale or for the language of the text;
    the default follows the language of the text (an English subject shown to
    ja-JP readers is as long as in English).
    """
    language = page.content_locale.language
    for key in (page.locale.tag.lower(), language.lower()):
        if key in site_limits:
            return site_limits[key]
    return SUBJECT_LIMITS.get(language, SUBJECT_LIMITS[""])


def visible_length(subject: str) -> int:
    """Length of *subject* as an inbox shows it, each merge tag counted as a name."""
    tags = ANY_TAG.findall(subject)
    return len(ANY_TAG.sub("", subject)) + MERGE_TAG_WIDTH * len(tags)
