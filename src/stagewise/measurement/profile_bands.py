"""The bands that make learners' needs profiles comparable in the consistency report (ADR 0048):
data, read by the refresh (which puts each learner in a band) and by the report (which names the
bands and explains them on the page). Changing a band changes the figures at the next refresh.

A needs profile is: the same reasons for support (the whole set), the same wellbeing band and the
same attendance band, in the school year.

- Attendance: sessions attended of sessions possible over the year's attendance records (as the
  attendance measure counts them). 90% is the line below which Scotland and Wales both speak of
  persistent absence; under 80% is a day a week or more missed.
- Wellbeing: the learner's latest GIRFEC wellbeing assessment in the year, scored as the measures
  score it (significant concern 0, some concern 1, no concern 2, strength 3; ADR 0036), the mean
  of its ratings.
A learner with no attendance record, or no assessment, in the year is in a band of its own.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Case, CharField, Value, When
from django.db.models.lookups import GreaterThanOrEqual, IsNull
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

PROFILE_BANDS_VERSION = "2026-12-02"


@dataclass(frozen=True)
class Band:
    code: str
    label: str | Promise
    # The band holds values from `lowest` (inclusive) up to the next band's; None: not recorded.
    lowest: Decimal | None


ATTENDANCE_BANDS = (
    Band("90_or_more", _("90 per cent or more of sessions"), Decimal(90)),
    Band("80_to_90", _("80% to under 90% (persistent absence)"), Decimal(80)),
    Band("under_80", _("Under 80% (a day a week or more missed)"), Decimal(0)),
)
ATTENDANCE_NOT_RECORDED = Band("not_recorded", _("No attendance recorded this year"), None)

WELLBEING_BANDS = (
    Band("no_concern", _("Strengths or no concern, on average"), Decimal(2)),
    Band("some_concern", _("Some concern, on average"), Decimal(1)),
    Band("significant_concern", _("Significant concern, on average"), Decimal(0)),
)
WELLBEING_NOT_ASSESSED = Band("not_assessed", _("No wellbeing assessment this year"), None)

ALL_ATTENDANCE_BANDS = (*ATTENDANCE_BANDS, ATTENDANCE_NOT_RECORDED)
ALL_WELLBEING_BANDS = (*WELLBEING_BANDS, WELLBEING_NOT_ASSESSED)


def band_of(value: Any, bands: tuple[Band, ...], missing: Band) -> Case:
    """The code of the band a value (a SQL expression) falls in; `missing` where it is NULL."""
    return Case(
        When(IsNull(value, True), then=Value(missing.code)),
        *[
            When(GreaterThanOrEqual(value, Value(float(band.lowest))), then=Value(band.code))
            for band in bands
            if band.lowest is not None
        ],
        default=Value(bands[-1].code),
        output_field=CharField(),
    )


def band_label(code: str, bands: tuple[Band, ...]) -> str:
    return next((str(band.label) for band in bands if band.code == code), code)
