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
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from urllib.parse import urlsplit

from locgen.config import SiteConfig
from locgen.emails import RenderedEmail, email_view_params
from locgen.render import OutputTree

MANIFEST_PATH = "emails/manifest.json"
MANIFEST_VERSION = 1
PREVIEW_RECIPIENT = "reader@example.com"
"""``To`` of the ``.eml`` previews: a reserved example address, never a real reader."""


def add_email_files(tree: OutputTree, emails: list[RenderedEmail], config: SiteConfig) -> None:
    """Add every email's parts, preview and exports, and the manifest, to *tree*."""
    for email in emails:
        origin = f"email {email.name} ({email.page.locale.tag})"
        source = email.page.source.path if email.page.source else None
        tree.add(email.page.output_path, email.html.encode("utf-8"), origin, source=source)
        tree.add(email.text_path, email.text.encode("utf-8"), origin, source=source)
        tree.add(eml_path(email), eml_bytes(email, config), origin, source=source)
        if "postmark" in config.email.export:
            tree.add(postmark_path(email), postmark_json(email), origin, source=source)
    if emails:
        tree.add(MANIFEST_PATH, manifest_json(emails, config), "email manifest")


def eml_path(email: RenderedEmail) -> str:
    """Output path of the ``.eml`` preview."""
    return email.page.output_path[: -len(".html")] + ".eml"


def postmark_path(email: RenderedEmail) -> str:
    """Output path of the Postmark template JSON."""
    return email.page.output_path[: -len(".html")] + ".postmark.json"


def manifest_json(emails: list[RenderedEmail], config: SiteConfig) -> bytes:
    """``emails/manifest.json``: every email in every locale, for an upload step."""
    entries = []
    for email in sorted(emails, key=lambda e: (e.name, config.locales.index(e.page.locale.tag))):
        paths = {"html": email.page.output_path, "text": email.text_path, "eml": eml_path(email)}
        if "postmark" in config.email.export:
            paths["postmark"] = postmark_path(email)
        entries.append(
            {
                "name": email.name,
                "locale": email.page.locale.tag,
                "content_locale": email.page.content_locale.tag,
                "culture": email.culture,
                **email_view_params(email.view),
                "paths": paths,
                "merge_tags": {
                    name: config.email.merge_tags.tag(name) for name in email.merge_fields
                },
                "headers": dict(email.headers),
                "content_hash": "sha256:" + email.content_hash,
            }
        )
    document = {
        "version": MANIFEST_VERSION,
        "merge_tags": config.email.merge_tags.dialect.name,
        "emails": entries,
    }
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def eml_bytes(email: RenderedEmail, config: SiteConfig) -> bytes:
    """The email as an RFC 5322 message with a text and an HTML part, for a mail client."""
    message = EmailMessage(policy=SMTP)
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
