"""Plausible values: every piece of written text has a limit, every date a range, and a value
outside them is refused with a message that names the field and says what to fix."""

from datetime import date, timedelta

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from stagewise import plausible
from stagewise.fields import DateInputWidget, LimitedCharField
from stagewise.statutory.calendar import add_months

TODAY = date(2026, 11, 30)

# Text and dates the people using Stagewise never type: copies, labels and names set by the
# services, and rule tables that come from the statutory data.
NOT_TYPED = {
    "learners.Need.identified_by_label",
    "learners.StageDecision.decided_by_label",
    "learners.WellbeingAssessment.assessed_by_label",
    "learners.ChronologyEntry.recorded_by_label",
    "learners.Learner.candidate_number",
    "learners.Enrolment.year_group",
    # An enrolment's copies of its learner's names, kept by database triggers (ADR 0050).
    "learners.Enrolment.learner_sort_last_name",
    "learners.Enrolment.learner_sort_first_name",
    "learners.Enrolment.learner_search_name",
    "planning.TargetReview.target_outcome",
    "planning.PlanVersion.finalised_by_label",
    # The key of the plan type decision support suggested, set by plan_create (ADR 0047).
    "planning.Plan.suggested_plan_type",
    # Written by the code that stores a printed plan, never typed.
    "planning.PrintedPlan.rendering",
    "planning.PrintedPlan.checksum",
    "planning.PlanVersion.finalised_role",
    "planning.PlanResponse.responder_label",
    "planning.PlanResponse.responder_role",
    "planning.PlanType.name",
    "planning.PlanType.name_cy",
    "planning.PlanType.short_name",
    "planning.PlanType.source",
    "planning.PlanType.version",
    "planning.PlanSection.number",
    "planning.PlanSection.title",
    "planning.PlanSection.title_cy",
    "planning.LocalPlanTypeName.name",
    "planning.LocalPlanTypeName.name_cy",
    "organisations.Nation.jurisdiction",
    "organisations.Nation.jurisdiction_cy",
}


def typed_fields(kind: type[models.Field]) -> list[models.Field]:
    """Every field of this kind a person fills in, in the apps holding learner and organisation
    records: not codes, choices, email or web addresses (their validators bound them) or
    timestamps, nor the NOT_TYPED fields."""
    fields = []
    for app in ("learners", "planning", "organisations"):
        for model in apps.get_app_config(app).get_models():
            if model.__name__.startswith("Historical"):
                continue  # django-simple-history's copies of rule tables: nobody types there
            for field in model._meta.concrete_fields:
                if (
                    isinstance(field, kind)
                    and not isinstance(field, models.SlugField | models.EmailField)
                    and not isinstance(field, models.URLField | models.DateTimeField)
                    and not field.choices
                    and f"{app}.{model.__name__}.{field.name}" not in NOT_TYPED
                ):
                    fields.append(field)
    return fields


def test_every_text_field_a_person_writes_has_a_limit_checked_by_full_clean():
    text_fields = typed_fields(models.TextField) + typed_fields(models.CharField)
    unchecked = [
        str(field)
        for field in text_fields
        if not isinstance(field, plausible.TextField | plausible.CharField)
    ]

    assert len(text_fields) > 40
    assert unchecked == []


def test_every_date_a_person_enters_has_a_plausible_range():
    date_fields = typed_fields(models.DateField)
    unchecked = [str(field) for field in date_fields if not isinstance(field, plausible.DateField)]

    assert len(date_fields) > 20
    assert unchecked == []


def test_too_long_text_names_the_field_and_both_lengths():
    error = plausible.too_long("section 3", 20_000, 1_000_000)

    assert error.messages == ["Section 3 must be 20,000 characters or fewer; it has 1,000,000."]


def test_the_message_is_in_welsh_for_a_welsh_reader():
    with translation.override("cy"):
        message = plausible.too_long("Crynodeb", 5_000, 5_001).messages[0]

    assert message == ("Crynodeb: ysgrifennwch 5,000 nod neu lai; mae 5,001 nod yma ar hyn o bryd.")


@pytest.mark.parametrize(
    ("within", "value", "message"),
    [
        (plausible.BIRTH, date(1, 1, 1), "Date of birth must be on or after 30 November 1996"),
        (plausible.BIRTH, TODAY + timedelta(days=1), "Date of birth cannot be in the future."),
        (plausible.HAPPENED, TODAY + timedelta(days=1), "Date of birth cannot be in the future."),
        (plausible.PLANNED, date(9999, 12, 31), "on or before 30 November 2036"),
        (plausible.PLANNED, date(1995, 1, 1), "no more than 30 years ago"),
        (plausible.STAFF_ROLE, date(1975, 1, 1), "on or after 30 November 1976"),
    ],
)
def test_an_implausible_date_is_refused_saying_what_range_fits(within, value, message):
    with pytest.raises(ValidationError) as refused:
        plausible.check_date(value, within=within, label="date of birth", today=TODAY)

    assert message in refused.value.messages[0]


@given(
    within=st.sampled_from(list(plausible.RANGES)),
    day=st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
)
def test_a_date_is_accepted_exactly_when_it_falls_within_its_kinds_range(within, day):
    plausible_range = plausible.RANGES[within]
    earliest = add_months(TODAY, -12 * plausible_range.years_back)
    latest = add_months(TODAY, 12 * plausible_range.years_ahead)
    try:
        plausible.check_date(day, within=within, label="date", today=TODAY)
    except ValidationError:
        accepted = False
    else:
        accepted = True

    assert accepted == (earliest <= day <= latest)


@given(text=st.text(alphabet=st.sampled_from("ab \r\n"), max_size=60))
def test_a_line_break_from_the_browser_counts_as_one_character(text):
    field = LimitedCharField(label="Summary", max_length=30, strip=False, required=False)
    kept = text.replace("\r\n", "\n")
    try:
        cleaned = field.clean(text)
    except ValidationError as refused:
        assert len(kept) > 30
        assert refused.messages == [f"Summary must be 30 characters or fewer; it has {len(kept)}."]
    else:
        assert cleaned == kept
        assert len(kept) <= 30


def test_a_stored_date_with_a_year_before_1000_shows_all_four_digits_so_it_can_be_corrected():
    assert DateInputWidget().decompress(date(1, 1, 1)) == [1, 1, "0001"]
