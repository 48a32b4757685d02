"""The files written for each rendered email: parts, ``.eml`` preview, manifest, exports.

``emails/<locale>/<name>.html`` and ``.txt`` are the two parts; ``.eml`` is
the same message as a mail client opens it (multipart/alternative, UTF-8,
unsubscribe headers); ``emails/manifest.json`` lists every email for an
upload step; ``[email].export`` adds one upload file per email and locale in
an email service's format.
"""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from email.headerregistry import Address, BaseHeader, HeaderRegistry
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from locgen.config import SiteConfig

if TYPE_CHECKING:
    # Only named here: a build that takes its emails from the cache writes their
    # manifest without loading CSS inlining and HTML to text.
    from locgen.emails import RenderedEmail

MANIFEST_PATH = "emails/manifest.json"
MANIFEST_VERSION = 1
PREVIEW_RECIPIENT = "reader@example.com"
"""``To`` of the ``.eml`` previews: a reserved example address, never a real reader."""


SUFFIXES = {"html": ".html", "text": ".txt", "eml": ".eml", "postmark": ".postmark.json"}
"""The files of one email, by kind, and the ending each replaces ``.html`` with."""


class _HeaderClasses(HeaderRegistry):
    """The standard header classes, each made once.

    :class:`~email.headerregistry.HeaderRegistry` makes a new class for every
    header it parses, about a quarter of the time an ``.eml`` file takes to write.
    """

    def __init__(self) -> None:
        super().__init__()
        self._made: dict[str, type[BaseHeader]] = {}

    def __getitem__(self, name: str) -> type[BaseHeader]:
        key = name.lower()
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = super().__getitem__(name)
        return made


_POLICY = SMTP.clone(header_factory=_HeaderClasses())


def email_files(
    email: RenderedEmail, config: SiteConfig
) -> tuple[dict[str, bytes], dict[str, object]]:
    """The files of one email by output path, and its manifest entry."""
    files = {
        "html": email.html.encode("utf-8"),
        "text": email.text.encode("utf-8"),
        "eml": eml_bytes(email, config),
    }
    if "postmark" in config.email.export:
        files["postmark"] = postmark_json(email)
    stem = email.page.output_path[: -len(SUFFIXES["html"])]
    paths = {kind: stem + SUFFIXES[kind] for kind in files}
    return (
        {paths[kind]: data for kind, data in files.items()},
        manifest_entry(email, paths, config),
    )


def manifest_entry(
    email: RenderedEmail, paths: dict[str, str], config: SiteConfig
) -> dict[str, object]:
    """What an upload step needs to know of one email in one locale."""
    view = email.view
    return {
        "name": email.name,
        "locale": email.page.locale.tag,
        "content_locale": email.page.content_locale.tag,
        "culture": email.culture,
        "subject": view.subject,
        "preheader": view.preheader,
        "category": view.category,
        "from_name": view.from_name,
        "send_date": view.send_date.isoformat() if view.send_date is not None else None,
        "paths": paths,
        "merge_tags": {name: config.email.merge_tags.tag(name) for name in email.merge_fields},
        "headers": dict(email.headers),
        "content_hash": "sha256:" + email.content_hash,
    }


def manifest_json(entries: list[dict[str, object]], config: SiteConfig) -> bytes:
    """``emails/manifest.json``: every email in every locale, by name, then locale order."""
    order = {tag: number for number, tag in enumerate(config.locales)}
    entries = sorted(entries, key=lambda e: (str(e["name"]), order[str(e["locale"])]))
    document = {
        "version": MANIFEST_VERSION,
        "merge_tags": config.email.merge_tags.dialect.name,
        "emails": entries,
    }
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def eml_bytes(email: RenderedEmail, config: SiteConfig) -> bytes:
    """The email as an RFC 5322 message with a text and an HTML part, for a mail client."""
    message = EmailMessage(policy=_POLICY)
    message["From"] = Address(email.view.from_name, addr_spec=sender_address(config))
    message["To"] = PREVIEW_RECIPIENT
    message["Subject"] = email.view.subject
    sent = _send_time(email, config)
    if sent is not None:
        message["Date"] = format_datetime(sent)
    digest = email.content_hash
    message["Message-ID"] = f"<{digest[:32]}@{_host(config)}>"
    for name, value in email.headers.items():
        message[name] = value
    message.set_content(email.text, subtype="plain", charset="utf-8", cte="quoted-printable")
    message.add_alternative(email.html, subtype="html", charset="utf-8", cte="quoted-printable")
    # After the parts: setting content clears every Content-* header.
    message["Content-Language"] = email.page.locale.tag
    # Fixed boundaries keep the file byte-identical from build to build.
    message.set_boundary(f"=_locgen_{digest[:24]}")
    return message.as_bytes()


def sender_address(config: SiteConfig) -> str:
    """``[email].from_address``, or ``hello@`` the site's host."""
    return config.email.from_address or f"hello@{_host(config)}"


def _host(config: SiteConfig) -> str:
    return urlsplit(config.base_url).hostname or "localhost"


def _send_time(email: RenderedEmail, config: SiteConfig) -> dt.datetime | None:
    """``send_date`` as an aware time in the sender's zone (09:00 for a plain date)."""
    when = email.view.send_date
    if when is None:
        return None
    zone = zoneinfo.ZoneInfo(config.email.sender_timezone or config.timezone)
    if not isinstance(when, dt.datetime):
        when = dt.datetime.combine(when, dt.time(9, 0))
    return when if when.tzinfo is not None else when.replace(tzinfo=zone)


def postmark_json(email: RenderedEmail) -> bytes:
    """A Postmark template (``POST /templates`` body) for this email and locale."""
    alias = f"{email.name.replace('/', '-')}-{email.page.locale.tag.lower()}"
    if not alias[0].isalpha():  # Postmark aliases start with a letter
        alias = "email-" + alias
    document = {
        "Name": f"{email.name} ({email.page.locale.tag})",
        "Alias": alias,
        "Subject": email.view.subject,
        "HtmlBody": email.html,
        "TextBody": email.text,
        "TemplateType": "Standard",
        "LayoutTemplate": None,
    }
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
