"""Austria: claims the AT territory from the bundled germany culture."""

import dataclasses

from locgen import hookimpl
from locgen.builtin import NEUTRAL
from locgen.cultures import AddressStyle

FORMAL = AddressStyle(
    pronoun="Sie",
    greeting="Grüß Gott {given} {family},",
    greeting_female="Sehr geehrte Frau {title}{family},",
    greeting_male="Sehr geehrter Herr {title}{family},",
    greeting_anonymous="Grüß Gott,",
    sign_off="Mit freundlichen Grüßen aus Wien",
)

PROFILE = dataclasses.replace(
    NEUTRAL,
    id="austria",
    name="Austria",
    regions=("AT",),
    formal=FORMAL,
    informal=FORMAL,
    holiday_country="AT",
    compliance="gdpr",
)


@hookimpl
def locgen_cultures():
    """Register the Austria profile."""
    return [PROFILE]
