"""Email merge tags: per-recipient fields written in the syntax of the site's email service.

An email template names a field (``first_name``); the email service (ESP)
replaces the tag with the recipient's value when it sends. Each service has
its own syntax, chosen with ``[email].merge_tags``:

========== ==================== =======================================
dialect    ``first_name`` as    used by
========== ==================== =======================================
liquid     ``{{ first_name }}`` Braze, Customer.io, Iterable, Shopify
handlebars ``{{first_name}}``   SendGrid dynamic templates, Postmark
mailchimp  ``*|FNAME|*``        Mailchimp, Mandrill
jinja      ``{{ first_name }}`` Python mailers and Jinja-based services
========== ==================== =======================================
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

DEFAULT_DIALECT = "liquid"

STANDARD_FIELDS = ("first_name", "last_name", "email")
"""Fields every dialect knows without configuration."""

MAILCHIMP_NAMES = {
    "first_name": "FNAME",
    "last_name": "LNAME",
    "email": "EMAIL",
    "phone": "PHONE",
    "address": "ADDRESS",
    "birthday": "BIRTHDAY",
    "unsubscribe_url": "UNSUB",
    "update_profile_url": "UPDATE_PROFILE",
    "archive_url": "ARCHIVE",
}
"""Mailchimp's default audience fields and its built-in link tags."""

FIELD_NAME = re.compile(r"[a-z][a-z0-9_]*")
"""How a field is named in content: ``merge first_name``."""

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
"""A ``{field}`` placeholder in a configured URL such as ``unsubscribe_url``."""


@dataclass(frozen=True)
class Dialect:
    """How one family of email services writes a merge tag."""

    name: str
    """Dialect name as written in ``[email].merge_tags``."""
    template: str
    """The tag with ``%s`` standing for the service's name of the field."""
    service_name: re.Pattern[str]
    """What a field name may look like in this dialect."""
    defaults: Mapping[str, str]
    """Service names of the fields the dialect knows without configuration."""
    example: str
    """A valid service name, for error messages."""

    def tag(self, service_name: str) -> str:
        """The merge tag for the service's field name, e.g. ``*|FNAME|*``."""
        return self.template % service_name


DIALECTS: dict[str, Dialect] = {
    "liquid": Dialect(
        name="liquid",
        template="{{ %s }}",
        service_name=re.compile(r"[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*"),
        defaults={field: field for field in STANDARD_FIELDS},
        example="customer.first_name",
    ),
    "handlebars": Dialect(
        name="handlebars",
        template="{{%s}}",
        service_name=re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*"),
        defaults={field: field for field in STANDARD_FIELDS},
        example="user.first_name",
    ),
    "mailchimp": Dialect(
        name="mailchimp",
        template="*|%s|*",
        service_name=re.compile(r"[A-Z][A-Z0-9_]*(:[A-Z0-9_]+)?"),
        defaults=MAILCHIMP_NAMES,
        example="PLAN",
    ),
    "jinja": Dialect(
        name="jinja",
        template="{{ %s }}",
        service_name=re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*"),
        defaults={field: field for field in STANDARD_FIELDS},
        example="user.first_name",
    ),
}
"""The dialects ``[email].merge_tags`` can name."""

ANY_TAG = re.compile(
    "|".join(re.escape(d.template).replace(re.escape("%s"), ".+?") for d in DIALECTS.values())
)
"""Matches a merge tag of any dialect (``{{ first_name }}``, ``*|FNAME|*``)."""


class MergeFieldError(ValueError):
    """A field the configured dialect does not know, or a badly named one."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass(frozen=True)
class MergeTags:
    """The merge fields of one site: which fields exist and how each is written."""

    dialect: Dialect
    """The syntax the site's email service reads."""
    names: Mapping[str, str]
    """Service name of every known field, by field name."""

    @classmethod
    def create(cls, dialect: str, declared: Mapping[str, str]) -> MergeTags:
        """The fields of *dialect* plus the site's *declared* ones (field → service name).

        :raises MergeFieldError: for an unknown dialect or a badly named field.
        """
        found = DIALECTS.get(dialect)
        if found is None:
            raise MergeFieldError(
                f"unknown merge-tag dialect {dialect!r}",
                f"use one of: {', '.join(DIALECTS)}",
            )
        names = dict(found.defaults)
        for field, service_name in declared.items():
            if not FIELD_NAME.fullmatch(field):
                raise MergeFieldError(
                    f"merge field {field!r} is not a valid field name",
                    "use lowercase letters, digits and underscores, e.g. plan_name",
                )
            if not found.service_name.fullmatch(service_name):
                raise MergeFieldError(
                    f"{service_name!r} is not a {dialect} field name (for {field!r})",
                    f"write it as the service does, e.g. {found.example}",
                )
            names[field] = service_name
        return cls(found, dict(sorted(names.items())))

    def tag(self, field: str) -> str:
        """The merge tag for *field*, e.g. ``{{ first_name }}``.

        :raises MergeFieldError: when the dialect does not know *field*.
        """
        service_name = self.names.get(field)
        if service_name is None:
            known = ", ".join(self.names)
            raise MergeFieldError(
                f"unknown merge field {field!r} for the {self.dialect.name} dialect",
                f"known fields: {known}; declare others under [email] merge_fields "
                f'in locgen.toml, e.g. merge_fields = {{ {field} = "{self._example(field)}" }}',
            )
        return self.dialect.tag(service_name)

    def fill(self, template: str) -> str:
        """Replace each ``{field}`` in *template* (a configured URL) by its merge tag."""
        return PLACEHOLDER.sub(lambda match: self.tag(match.group(1).strip()), template)

    def used_in(self, texts: Iterable[str]) -> list[str]:
        """The fields whose tags occur in any of *texts*, sorted by name."""
        joined = "\n".join(texts)
        return [field for field in self.names if self.tag(field) in joined]

    def tags(self) -> dict[str, str]:
        """Every known field's merge tag, by field name."""
        return {field: self.tag(field) for field in self.names}

    def _example(self, field: str) -> str:
        return field.upper()[:10] if self.dialect.name == "mailchimp" else field
