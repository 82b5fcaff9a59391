"""Formats of the national learner identifiers."""

import re

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from stagewise.organisations.models import Nation

SCOTTISH_CANDIDATE_NUMBER = re.compile(r"^\d{9}$")
# Wales uses the UPN: a check letter, then the authority, school, year and serial digits; the last
# character may be a letter for a temporary number.
UNIQUE_PUPIL_NUMBER = re.compile(r"^[A-Z]\d{11}[0-9A-Z]$")


# Each nation's identifier: its format, what to tell someone who mistyped it, and an error code.
IDENTIFIER_FORMATS: dict[str, tuple[re.Pattern[str], Promise, str]] = {
    Nation.SCOTLAND: (
        SCOTTISH_CANDIDATE_NUMBER,
        gettext_lazy("Enter the Scottish Candidate Number as 9 digits, like 123456789."),
        "invalid_scn",
    ),
    Nation.WALES: (
        UNIQUE_PUPIL_NUMBER,
        gettext_lazy(
            "Enter the Unique Pupil Number as a capital letter, 11 digits and a final digit "
            "or capital letter, like A123456789012."
        ),
        "invalid_upn",
    ),
}


def validate_candidate_number(value: str, nation_code: str) -> None:
    rule = IDENTIFIER_FORMATS.get(nation_code)
    if rule is not None and not rule[0].match(value):
        raise ValidationError(str(rule[1]), code=rule[2])
