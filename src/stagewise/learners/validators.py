"""Formats of the national learner identifiers."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

SCOTTISH_CANDIDATE_NUMBER = re.compile(r"^\d{9}$")
# Wales uses the UPN: a check letter, then the authority, school, year and serial digits; the last
# character may be a letter for a temporary number.
UNIQUE_PUPIL_NUMBER = re.compile(r"^[A-Z]\d{11}[0-9A-Z]$")


def validate_candidate_number(value: str, nation_code: str) -> None:
    if nation_code == "scotland" and not SCOTTISH_CANDIDATE_NUMBER.match(value):
        raise ValidationError(
            _("Enter the Scottish Candidate Number as 9 digits, like 123456789."),
            code="invalid_scn",
        )
    if nation_code == "wales" and not UNIQUE_PUPIL_NUMBER.match(value):
        raise ValidationError(
            _(
                "Enter the Unique Pupil Number as a capital letter, 11 digits and a final digit "
                "or capital letter, like A123456789012."
            ),
            code="invalid_upn",
        )
