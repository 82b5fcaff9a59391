"""Forms for the outcome records staff enter. They parse what was typed and offer the choices of
the learner's nation (measurement/codes.py); every rule about a record is the services' (through
measurement/validation.outcome_check), so an import and a form are held to the same checks."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from stagewise.fields import DateInputField, LimitedCharField
from stagewise.learners.models import YEAR_GROUPS
from stagewise.measurement.codes import CURRICULUM, FRAMEWORK_LEVELS, CurriculumCodes
from stagewise.measurement.models import (
    LeaverDestinationKind,
    PartTimeReason,
    PartTimeTimetable,
    Qualification,
)
from stagewise.measurement.periods import school_year_label, school_year_of
from stagewise.plausible import limit_of

DATE_HINT = _("For example, 27 3 2026")
# A learner enrolled nowhere has no nation, so no code lists to choose from.
NO_CURRICULUM = CurriculumCodes(source="", areas=(), levels=(), judged_year_groups={})
# How many school years back the forms offer, this one first.
SCHOOL_YEARS_OFFERED = 10


def _date(label: Any, required_message: Any, *, required: bool = True, help_text: Any = DATE_HINT):
    return DateInputField(
        label=label,
        help_text=help_text,
        required=required,
        error_messages={"required": required_message},
    )


def _number(
    label: Any,
    what: Any,
    *,
    minimum: Decimal | int,
    maximum: Decimal | int,
    example: str,
    whole: bool = True,
    help_text: Any = "",
) -> forms.Field:
    """A number typed in a text box, each message naming the field and what to type."""
    errors = {
        "required": format_lazy(_("Enter {what}."), what=what),
        "invalid": format_lazy(
            _("Enter {what} as a whole number, like {example}.")
            if whole
            else _("Enter {what} as a number, like {example}."),
            what=what,
            example=example,
        ),
        "min_value": format_lazy(
            _("{label} must be from {minimum} to {maximum}."),
            label=label,
            minimum=minimum,
            maximum=maximum,
        ),
    }
    errors["max_value"] = errors["min_value"]
    if whole:
        return forms.IntegerField(
            label=label,
            min_value=int(minimum),
            max_value=int(maximum),
            help_text=help_text,
            error_messages=errors,
            widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        )
    errors["max_decimal_places"] = format_lazy(
        _("Enter {what} to one decimal place at most, like {example}."), what=what, example=example
    )
    errors["max_digits"] = errors["min_value"]
    errors["max_whole_digits"] = errors["min_value"]
    return forms.DecimalField(
        label=label,
        min_value=Decimal(minimum),
        max_value=Decimal(maximum),
        max_digits=4,
        decimal_places=1,
        help_text=help_text,
        error_messages=errors,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )


def school_year_choices(including: int | None = None) -> list[tuple[int, str]]:
    current = school_year_of(timezone.localdate())
    years = set(range(current - SCHOOL_YEARS_OFFERED + 1, current + 1))
    if including is not None:
        years.add(including)
    return [(year, school_year_label(year)) for year in sorted(years, reverse=True)]


def _school_year() -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=_("School year"),
        coerce=int,
        error_messages={
            "required": _("Choose the school year."),
            "invalid_choice": _("Choose one of the school years listed."),
        },
    )


def _choice(label: Any, required_message: Any, *, radios: bool = False) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        widget=forms.RadioSelect if radios else forms.Select,
        error_messages={
            "required": required_message,
            "invalid_choice": _("Choose one of the options listed."),
        },
    )


class OutcomeForm(forms.Form):
    """Every outcome form is made for a learner's nation (which its choices come from) and, when
    it changes a record, that record's school year (offered even if it is long past)."""

    def __init__(self, *args: Any, nation: str, school_year: int | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if "school_year" in self.fields:
            self.fields["school_year"].choices = school_year_choices(school_year)  # type: ignore[attr-defined]


class AttendanceForm(OutcomeForm):
    starts_on = _date(_("Period from"), _("Enter the date the period starts."))
    ends_on = _date(_("Period to"), _("Enter the date the period ends."))
    possible_sessions = _number(
        _("Possible sessions"),
        _("the possible sessions"),
        minimum=1,
        maximum=500,
        example="190",
        help_text=_("Half days the learner could have attended, for example 190 in a term."),
    )
    attended_sessions = _number(
        _("Sessions attended"), _("the sessions attended"), minimum=0, maximum=500, example="172"
    )


class ExclusionForm(OutcomeForm):
    excluded_on = _date(_("Date of exclusion"), _("Enter the date of the exclusion."))
    days = _number(
        _("Days excluded"),
        _("the days excluded"),
        minimum=Decimal("0.5"),
        maximum=200,
        example="2.5",
        whole=False,
        help_text=_("In whole or half days, like 1 or 2.5."),
    )
    removed_from_register = forms.BooleanField(
        label=_("The learner was removed from the register"), required=False
    )


class PartTimeTimetableForm(OutcomeForm):
    starts_on = _date(_("From"), _("Enter the date the part-time timetable started."))
    ends_on = _date(
        _("To (optional)"),
        "",
        required=False,
        help_text=_("Leave empty while it lasts. For example, 27 3 2026"),
    )
    hours_a_week = _number(
        _("Hours a week in school"),
        _("the hours a week in school"),
        minimum=0,
        maximum=35,
        example="12.5",
        whole=False,
    )
    reason = _choice(_("Reason"), _("Choose the reason."), radios=True)
    reason_detail = LimitedCharField(
        label=_("About the reason (optional)"),
        max_length=limit_of(PartTimeTimetable, "reason_detail"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = PartTimeReason.choices  # type: ignore[attr-defined]


class MainstreamTimeForm(OutcomeForm):
    school_year = _school_year()
    timetabled_hours_a_week = _number(
        _("Hours timetabled a week"),
        _("the hours timetabled a week"),
        minimum=Decimal("0.5"),
        maximum=35,
        example="27.5",
        whole=False,
    )
    mainstream_hours_a_week = _number(
        _("Hours a week in mainstream classes"),
        _("the hours a week in mainstream classes"),
        minimum=0,
        maximum=35,
        example="20",
        whole=False,
    )


class CurriculumJudgementForm(OutcomeForm):
    school_year = _school_year()
    year_group = _choice(_("Year group"), _("Choose the year group."))
    area = _choice(_("Curriculum area"), _("Choose the curriculum area."))
    level = _choice(_("Level reached"), _("Choose the level reached."))
    expected_level_achieved = forms.TypedChoiceField(
        label=_("Is the learner's progress as expected?"),
        choices=[("True", _("Yes")), ("False", _("No"))],
        coerce=lambda value: value == "True",
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether the learner's progress is as expected.")},
    )

    def __init__(self, *args: Any, nation: str, **kwargs: Any):
        super().__init__(*args, nation=nation, **kwargs)
        codes = CURRICULUM.get(nation, NO_CURRICULUM)
        year_groups = YEAR_GROUPS.get(nation, [])
        if codes.judged_year_groups:
            # Judged in some year groups only; whether the level is the one expected by the end
            # of each is worked out, not asked.
            year_groups = [
                (code, label) for code, label in year_groups if code in codes.judged_year_groups
            ]
            del self.fields["expected_level_achieved"]
        self.fields["year_group"].choices = [("", _("Choose")), *year_groups]  # type: ignore[attr-defined]
        self.fields["area"].choices = [("", _("Choose")), *codes.areas]  # type: ignore[attr-defined]
        self.fields["level"].choices = [("", _("Choose")), *codes.levels]  # type: ignore[attr-defined]


class QualificationForm(OutcomeForm):
    awarded_on = _date(_("Date awarded"), _("Enter the date the qualification was awarded."))
    title = LimitedCharField(
        label=_("Qualification"),
        max_length=limit_of(Qualification, "title"),
        help_text=_("For example, National 4 English"),
        error_messages={"required": _("Enter the qualification.")},
    )
    framework_level = forms.TypedChoiceField(
        label=_("Framework level"),
        coerce=int,
        error_messages={
            "required": _("Choose the framework level."),
            "invalid_choice": _("Choose one of the framework levels listed."),
        },
    )

    def __init__(self, *args: Any, nation: str, **kwargs: Any):
        super().__init__(*args, nation=nation, **kwargs)
        self.fields["framework_level"].choices = [  # type: ignore[attr-defined]
            ("", _("Choose")),
            *FRAMEWORK_LEVELS.get(nation, ()),
        ]


class LeaverDestinationForm(OutcomeForm):
    left_on = _date(_("Date left school"), _("Enter the date the learner left school."))
    destination = _choice(_("Destination"), _("Choose the destination."), radios=True)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["destination"].choices = LeaverDestinationKind.choices  # type: ignore[attr-defined]


@dataclass(frozen=True)
class KindPages:
    """What the pages of one kind of record say, and the form they use."""

    form: type[OutcomeForm]
    heading: Promise
    add_title: Promise
    change_title: Promise
    remove_title: Promise


KIND_PAGES = {
    "attendance": KindPages(
        AttendanceForm,
        _("Attendance"),
        _("Record attendance"),
        _("Change attendance"),
        _("Remove this attendance record?"),
    ),
    "exclusion": KindPages(
        ExclusionForm,
        _("Exclusions"),
        _("Record an exclusion"),
        _("Change an exclusion"),
        _("Remove this exclusion?"),
    ),
    "part-time-timetable": KindPages(
        PartTimeTimetableForm,
        _("Part-time timetables"),
        _("Record a part-time timetable"),
        _("Change a part-time timetable"),
        _("Remove this part-time timetable?"),
    ),
    "mainstream-time": KindPages(
        MainstreamTimeForm,
        _("Time in mainstream classes"),
        _("Record time in mainstream classes"),
        _("Change time in mainstream classes"),
        _("Remove this record of time in mainstream classes?"),
    ),
    "curriculum-judgement": KindPages(
        CurriculumJudgementForm,
        _("Curriculum judgements"),
        _("Record a curriculum judgement"),
        _("Change a curriculum judgement"),
        _("Remove this curriculum judgement?"),
    ),
    "qualification": KindPages(
        QualificationForm,
        _("Qualifications"),
        _("Record a qualification"),
        _("Change a qualification"),
        _("Remove this qualification?"),
    ),
    "leaver-destination": KindPages(
        LeaverDestinationForm,
        _("Leaver destination"),
        _("Record a leaver destination"),
        _("Change the leaver destination"),
        _("Remove the leaver destination?"),
    ),
}
