"""Address forms: greetings and sign-offs with the culture's honorifics and name order."""

from __future__ import annotations

import string
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from locgen.cultures import AddressStyle, CultureProfile
from locgen.merge_tags import ANY_TAG

GENDERS = ("female", "male")
"""Genders a greeting can use; anything unknown is left empty."""
ADDRESS_KINDS = ("greeting", "sign_off")
"""What ``locgen_address_form`` writes."""


@dataclass(frozen=True)
class Person:
    """Who a greeting addresses. Any field may be empty, or hold an email merge tag."""

    given: str = ""
    """Given name (first name in Western order), e.g. ``Anna``."""
    family: str = ""
    """Family name, e.g. ``Schmidt`` or ``山田``."""
    gender: str = ""
    """``female``, ``male`` or empty when unknown."""
    title: str = ""
    """Academic title kept in address, e.g. ``Dr.``."""

    @classmethod
    def from_fields(cls, person: Mapping[str, Any] | Person | None = None, **fields: Any) -> Person:
        """Build a person from a mapping and/or keyword fields; :class:`ValueError` if invalid."""
        values: dict[str, str] = {}
        if isinstance(person, Person):
            values = {f: getattr(person, f) for f in ("given", "family", "gender", "title")}
        elif isinstance(person, Mapping):
            values = {str(k): v for k, v in person.items()}
        elif person is not None:
            raise ValueError(
                f"{person!r} is not a person; name the fields: "
                'given="Anna" family="Schmidt" gender="female"'
            )
        values.update({k: v for k, v in fields.items() if v is not None})
        unknown = sorted(set(values) - {"given", "family", "gender", "title"})
        if unknown:
            raise ValueError(
                f"unknown person field {unknown[0]!r}; use given, family, gender, title"
            )
        text = {key: "" if value is None else str(value).strip() for key, value in values.items()}
        gender = text.get("gender", "").lower()
        if gender and gender not in GENDERS:
            raise ValueError(f"gender {gender!r} must be female or male, or be left out")
        return cls(
            given=text.get("given", ""),
            family=text.get("family", ""),
            gender=gender,
            title=text.get("title", ""),
        )

    @property
    def is_known(self) -> bool:
        """True when a name is known."""
        return bool(self.given or self.family)


def full_name(person: Person, culture: CultureProfile) -> str:
    """The person's full name in the culture's order (``山田太郎``, ``Anna Schmidt``).

    Chinese, Japanese and Korean names are written without a space; so is a
    name made of merge tags in a culture that puts the family name first.
    """
    parts = (
        [person.family, person.given]
        if culture.name_order == "family-given"
        else [person.given, person.family]
    )
    parts = [p for p in parts if p]
    names = [p for p in parts if not ANY_TAG.fullmatch(p)]
    if names:
        spaced = not all(_is_cjk(name) for name in names)
    else:  # only merge tags: write the name as the culture's own names are written
        spaced = culture.name_order != "family-given"
    return (" " if spaced else "").join(parts)


def _is_cjk(text: str) -> bool:
    return all(unicodedata.name(c, "").startswith(("CJK", "HANGUL")) for c in text)


def greeting(person: Person, culture: CultureProfile) -> str:
    """The culture's greeting for *person* at its formality.

    The most specific pattern whose names are known is used: the gendered
    pattern, then the named one, then the one for an unknown reader.
    """
    style = culture.address
    fields = {
        "given": person.given,
        "family": person.family,
        "full": full_name(person, culture),
        "title": f"{person.title} " if person.title else "",
    }
    for pattern in _candidates(style, person):
        needed = [f for _, f, _, _ in string.Formatter().parse(pattern) if f]
        if all(fields[name] for name in needed if name != "title"):
            return pattern.format(**fields)
    return style.greeting_anonymous


def _candidates(style: AddressStyle, person: Person) -> list[str]:
    patterns = []
    if person.gender == "female" and style.greeting_female:
        patterns.append(style.greeting_female)
    if person.gender == "male" and style.greeting_male:
        patterns.append(style.greeting_male)
    if person.is_known:
        patterns.append(style.greeting)
    patterns.append(style.greeting_anonymous)
    return patterns


def sign_off(culture: CultureProfile) -> str:
    """The culture's closing line at its formality, e.g. ``Mit freundlichen Grüßen``."""
    return culture.address.sign_off
