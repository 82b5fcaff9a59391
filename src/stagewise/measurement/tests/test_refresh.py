"""The summary refresh, as specifications: a small world built by hand, each expected figure
worked out by hand in the test.

The world, in school year 2025/26 as at 1 June 2026 (the refresh's `today`):
- Glasgow City: Alder Primary (ann, ben) and Birch Primary (cal, and eve, who moved from Alder
  to Birch in January and so counts at Birch all year). Fife: Cedar High (dee).
- Attendance: ann 90/100, ben 80/100, cal 45/50, eve 30/40 at Alder and 20/40 at Birch,
  dee 60/100.
- ann has a need (reason 11, dyslexia) and a plan agreed in September, reviewed twice (once on
  time, once late; three targets: achieved, not achieved, no longer relevant); cal has two needs
  (10 and 11) and a targeted stage decision, no plan. ben, dee and eve have no needs.
- dee: two exclusions, two statutory processes closed (one on time, one late). eve: a request for
  assistance answered on time, and a wait of 30 days ended in October.
"""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from stagewise.coordination.models import RequestEvent, RequestEventKind, RequestForAssistance
from stagewise.families.feedback_models import ReviewFeedback
from stagewise.learners.models import Enrolment, Need, StageDecision
from stagewise.measurement.models import (
    AttendanceRecord,
    Breakdown,
    Exclusion,
    LearnerYear,
    Measure,
    MeasureRefresh,
    SummaryFigure,
)
from stagewise.measurement.refresh import measures_refresh
from stagewise.measurement.refresh_roll import roll_insert
from stagewise.organisations.models import LanguageMedium, Nation
from stagewise.planning.models import Plan, PlanReview, PlanType, PlanVersion, TargetReview
from stagewise.policy import SYSTEM
from stagewise.statutory.models import (
    LocalStage,
    ReasonForSupport,
    StatutoryProcess,
    StatutoryTimescale,
)
from stagewise.testing.factories import (
    AgencyFactory,
    LearnerFactory,
    SettingFactory,
    UserFactory,
    add_wellbeing_assessment,
    authority,
)
from stagewise.testing.worlds import built_once_per_module

TODAY = date(2026, 6, 1)
YEAR = 2025


def _learner(setting, year_group="P7", started_on=date(2025, 8, 18), **fields):
    learner = LearnerFactory.create(**fields)
    Enrolment.objects.create(
        learner=learner, setting=setting, year_group=year_group, started_on=started_on
    )
    return learner


def _attendance(
    learner, setting, attended, possible, starts_on=date(2025, 8, 18), school_year=YEAR
):
    AttendanceRecord.objects.create(
        learner=learner,
        setting=setting,
        school_year=school_year,
        starts_on=starts_on,
        ends_on=starts_on,
        attended_sessions=attended,
        possible_sessions=possible,
    )


def _need(learner, code):
    reason = ReasonForSupport.objects.get(nation__code=Nation.SCOTLAND, code=code)
    Need.objects.create(learner=learner, reason=reason, identified_on=date(2025, 9, 1))


def _plan_with_reviews(learner):
    glasgow = authority("Glasgow City")
    plan = Plan.objects.create(
        learner=learner,
        plan_type=PlanType.objects.get(key="individualised_educational_programme"),
        authority=glasgow,
        status="active",
        next_review_on=date(2026, 6, 30),
    )
    PlanVersion.objects.create(
        plan=plan,
        number=1,
        document={"next_review_on": "2025-11-01"},
        finalised_by_label="Head",
        finalised_role="head",
        finalised_at=timezone.make_aware(datetime(2025, 9, 15, 12)),
    )
    on_time = PlanReview.objects.create(
        plan=plan,
        version_number=1,
        held_on=date(2025, 10, 20),  # due 1 November (the agreed version)
        attendees="All",
        decision="continue",
        next_review_on=date(2026, 2, 1),
    )
    for progress in ("achieved", "not_achieved", "no_longer_relevant"):
        TargetReview.objects.create(
            review=on_time, target_outcome="A target", progress=progress, evidence="Seen"
        )
    PlanReview.objects.create(
        plan=plan,
        version_number=1,
        held_on=date(2026, 2, 10),  # due 1 February (the previous review): late
        attendees="All",
        decision="continue",
        next_review_on=date(2026, 6, 30),
    )


def _process(learner, fife, due_on, closed_on):
    StatutoryProcess.objects.create(
        learner=learner,
        timescale=StatutoryTimescale.objects.filter(nation__code=Nation.SCOTLAND)[0],
        rule_key="scotland.establish_needs_request",
        authority=fife,
        responsible="authority",
        started_on=date(2025, 9, 1),
        due_on=due_on,
        status="closed",
        outcome="done",
        closed_on=closed_on,
    )


def _request(learner, setting, **fields):
    return RequestForAssistance.objects.create(
        learner=learner,
        service=AgencyFactory.create(),
        authority=setting.authority,
        setting=setting,
        reason="Help",
        tried="Things",
        tried_for="A term",
        learner_views="Yes",
        family_views="Yes",
        **fields,
    )


def build():
    glasgow, fife = authority("Glasgow City"), authority("Fife")
    alder = SettingFactory.create(name="Alder Primary", authority=glasgow)
    birch = SettingFactory.create(name="Birch Primary", authority=glasgow)
    cedar = SettingFactory.create(
        name="Cedar High", authority=fife, language_medium=LanguageMedium.GAELIC
    )
    ann = _learner(alder, sex="female", deprivation_decile=1, looked_after=True)
    ben = _learner(alder, sex="male", deprivation_decile=2, home_language="Polish")
    cal = _learner(birch, year_group="P6", sex="female", home_language="")
    dee = _learner(cedar, year_group="S1", sex="male", home_language="Welsh")
    eve = _learner(alder, sex="female")
    eve.enrolments.update(ended_on=date(2025, 12, 20))
    Enrolment.objects.create(
        learner=eve, setting=birch, year_group="P7", started_on=date(2026, 1, 5)
    )
    _attendance(ann, alder, 90, 100)
    _attendance(ben, alder, 80, 100)
    _attendance(cal, birch, 45, 50)
    _attendance(eve, alder, 30, 40)
    _attendance(eve, birch, 20, 40, starts_on=date(2026, 1, 5))
    _attendance(dee, cedar, 60, 100)
    _need(ann, "11")
    _need(cal, "10")
    _need(cal, "11")
    StageDecision.objects.create(
        learner=cal,
        stage=LocalStage.objects.filter(national_stage="targeted", stage_model__key="glasgow")[0],
        decided_on=date(2025, 9, 2),
        rationale="Needs more",
        next_review_on=date(2026, 9, 2),
    )
    _plan_with_reviews(ann)
    for day in (date(2025, 10, 1), date(2026, 3, 1)):
        Exclusion.objects.create(
            learner=dee, setting=cedar, school_year=YEAR, excluded_on=day, days=Decimal(1)
        )
    _process(dee, fife, due_on=date(2025, 10, 10), closed_on=date(2025, 10, 8))
    _process(dee, fife, due_on=date(2025, 10, 20), closed_on=date(2025, 11, 1))
    _request(
        eve, alder, status="completed", due_on=date(2025, 9, 30), answered_on=date(2025, 9, 10)
    )
    waited = _request(eve, alder, status="accepted", waiting_since=date(2025, 9, 10))
    event = RequestEvent.objects.create(request=waited, kind=RequestEventKind.ACCEPTED)
    RequestEvent.objects.filter(pk=event.pk).update(
        happened_at=timezone.make_aware(datetime(2025, 10, 10, 9))
    )
    return {
        "alder": alder,
        "birch": birch,
        "cedar": cedar,
        "glasgow": glasgow,
        "fife": fife,
        "ann": ann,
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with built_once_per_module(build, django_db_blocker) as built:
        yield built


def refresh(full=True):
    return measures_refresh(actor=SYSTEM, full=full, today=TODAY)


def figures(scope, code, breakdown=Breakdown.ALL, value="", needs=None):
    """(learners, numerator, denominator) of a cell, both groups added unless `needs` says."""
    rows = SummaryFigure.objects.filter(
        scope=scope,
        measure__code=code,
        school_year=YEAR,
        breakdown=breakdown,
        breakdown_value=value,
    )
    if needs is not None:
        rows = rows.filter(additional_support_needs=needs)
    found = list(rows.values_list("learners", "numerator", "denominator"))
    if not found:
        return None
    return (
        sum(row[0] for row in found),
        sum(row[1] for row in found),
        sum(row[2] for row in found),
    )


def school(world, name):
    return f"school:{world[name].pk}"


def test_attendance_is_sessions_attended_over_sessions_possible_at_each_school(world, db):
    refresh()
    # Alder: ann 90/100 and ben 80/100, so 170/200 = 85.0%.
    assert figures(school(world, "alder"), "attendance_rate") == (2, 170, 200)
    # Birch: cal 45/50 and eve 30/40 + 20/40 (she counts at Birch, where she ended the year).
    assert figures(school(world, "birch"), "attendance_rate") == (2, 95, 130)
    assert figures(school(world, "cedar"), "attendance_rate") == (1, 60, 100)


def test_authority_and_nation_figures_are_the_sums_of_their_schools(world, db):
    refresh()
    glasgow = f"authority:{world['glasgow'].pk}"
    assert figures(glasgow, "attendance_rate") == (4, 265, 330)
    assert figures(f"authority:{world['fife'].pk}", "attendance_rate") == (1, 60, 100)
    assert figures("nation:scotland", "attendance_rate") == (5, 325, 430)
    # And so for every cell: each authority row is the sum of its school rows.
    for row in SummaryFigure.objects.filter(level="authority", authority=world["glasgow"]):
        schools = SummaryFigure.objects.filter(
            level="school",
            authority=world["glasgow"],
            measure=row.measure,
            school_year=row.school_year,
            breakdown=row.breakdown,
            breakdown_value=row.breakdown_value,
            additional_support_needs=row.additional_support_needs,
        )
        assert row.numerator == sum(s.numerator for s in schools)
        assert row.learners == sum(s.learners for s in schools)


def test_learners_with_and_without_additional_support_needs_are_apart(world, db):
    refresh()
    alder = school(world, "alder")
    assert figures(alder, "attendance_rate", needs=True) == (1, 90, 100)  # ann
    assert figures(alder, "attendance_rate", needs=False) == (1, 80, 100)  # ben


def test_each_breakdown_groups_learners_by_their_value(world, db):
    refresh()
    alder, birch, cedar = (school(world, name) for name in ("alder", "birch", "cedar"))
    assert figures(alder, "attendance_rate", Breakdown.SEX, "female") == (1, 90, 100)
    assert figures(alder, "attendance_rate", Breakdown.SEX, "male") == (1, 80, 100)
    assert figures(birch, "attendance_rate", Breakdown.YEAR_GROUP, "P6") == (1, 45, 50)
    assert figures(birch, "attendance_rate", Breakdown.YEAR_GROUP, "P7") == (1, 50, 80)
    assert figures(alder, "attendance_rate", Breakdown.DEPRIVATION_DECILE, "1") == (1, 90, 100)
    assert figures(birch, "attendance_rate", Breakdown.DEPRIVATION_DECILE, "unknown") == (
        2,
        95,
        130,
    )
    assert figures(alder, "attendance_rate", Breakdown.LOOKED_AFTER, "yes") == (1, 90, 100)
    assert figures(alder, "attendance_rate", Breakdown.HOME_LANGUAGE, "english") == (1, 90, 100)
    assert figures(alder, "attendance_rate", Breakdown.HOME_LANGUAGE, "other") == (1, 80, 100)
    assert figures(birch, "attendance_rate", Breakdown.HOME_LANGUAGE, "unknown") == (1, 45, 50)
    assert figures(cedar, "attendance_rate", Breakdown.HOME_LANGUAGE, "welsh") == (1, 60, 100)
    assert figures(cedar, "attendance_rate", Breakdown.WELSH_MEDIUM, "gaelic") == (1, 60, 100)
    assert figures(birch, "attendance_rate", Breakdown.NATIONAL_STAGE, "targeted") == (1, 45, 50)
    assert figures(birch, "attendance_rate", Breakdown.NATIONAL_STAGE, "none") == (1, 50, 80)


def test_a_learner_counts_under_each_of_their_reasons_so_reasons_do_not_add_up(world, db):
    refresh()
    glasgow = f"authority:{world['glasgow'].pk}"
    # ann (11) and cal (10 and 11): cal is under both reasons.
    assert figures(glasgow, "attendance_rate", Breakdown.REASON_FOR_SUPPORT, "11") == (
        2,
        135,
        150,
    )
    assert figures(glasgow, "attendance_rate", Breakdown.REASON_FOR_SUPPORT, "10") == (1, 45, 50)
    # Learners without needs are under no reason.
    assert not SummaryFigure.objects.filter(
        breakdown=Breakdown.REASON_FOR_SUPPORT, additional_support_needs=False
    ).exists()


def test_measures_over_the_roll_count_every_learner_on_it(world, db):
    refresh()
    # Exclusions: dee's two over Cedar's one learner; none over Alder's two.
    assert figures(school(world, "cedar"), "exclusions_per_thousand") == (1, 2, 1)
    assert figures(school(world, "alder"), "exclusions_per_thousand") == (2, 0, 2)
    # No part-time timetable recorded anywhere that year: not measured, rather than 0%.
    assert not SummaryFigure.objects.filter(measure__code="part_time_timetables").exists()


def test_learners_with_a_plan_is_of_learners_with_needs_only(world, db):
    refresh()
    assert figures(school(world, "alder"), "learners_with_a_plan") == (1, 1, 1)  # ann
    assert figures(school(world, "birch"), "learners_with_a_plan") == (1, 0, 1)  # cal
    assert figures(school(world, "alder"), "learners_with_a_plan", needs=False) is None


def test_process_measures(world, db):
    refresh()
    alder, birch, cedar = (school(world, name) for name in ("alder", "birch", "cedar"))
    # ann's reviews: one held before it was due, one after.
    assert figures(alder, "reviews_on_time") == (1, 1, 2)
    # Three targets at the first review; "no longer relevant" was not assessed: 1 of 2.
    assert figures(alder, "targets_achieved") == (1, 1, 2)
    assert figures(cedar, "statutory_timescales_met") == (1, 1, 2)
    # eve's request (made by Alder) counts at Birch, where she counts this year.
    assert figures(birch, "requests_answered_in_time") == (1, 1, 1)
    assert figures(birch, "waiting_list_days") == (1, 30, 1)
    assert figures(alder, "requests_answered_in_time") is None


def cells():
    return sorted(
        SummaryFigure.objects.values_list(
            "scope",
            "measure__code",
            "school_year",
            "breakdown",
            "breakdown_value",
            "additional_support_needs",
            "learners",
            "numerator",
            "denominator",
        )
    )


def test_running_twice_gives_the_same_figures(world, db):
    refresh()
    first = cells()
    refresh()
    assert cells() == first
    assert first
    # No per-learner working row outlives the refresh.
    assert not LearnerYear.objects.exists()


def test_the_incremental_refresh_of_every_year_gives_the_full_refreshs_figures(world, db):
    # On PostgreSQL the full refresh builds a new table and swaps it in; the incremental one
    # replaces each year's rows in place.
    first = refresh()
    full = cells()
    MeasureRefresh.objects.all().delete()  # every year looks changed
    again = refresh(full=False)
    assert again.refreshed == first.refreshed
    assert cells() == full
    assert full


def test_a_full_refresh_leaves_the_figures_table_with_its_keys(world, db):
    def keys():
        with connection.cursor() as cursor:
            found = connection.introspection.get_constraints(cursor, SummaryFigure._meta.db_table)
        return {
            name: (found[name]["columns"], found[name]["unique"], found[name]["primary_key"])
            for name in found
            if found[name]["index"] or found[name]["unique"]
        }

    before = keys()
    refresh()
    assert keys() == before
    assert [
        "scope",
        "measure_id",
        "school_year",
        "breakdown",
        "breakdown_value",
        "additional_support_needs",
    ] in [columns for columns, unique, _pk in before.values() if unique]
    row = SummaryFigure.objects.order_by("pk")[0]
    row.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()
    # A new figure still gets a new id (the table's identity came with it).
    row.breakdown_value = "not a value"
    row.save()
    assert row.pk


def test_incremental_refresh_picks_up_a_changed_year_and_skips_the_rest(world, db):
    ann_learner = AttendanceRecord.objects.filter(attended_sessions=90).get().learner
    alder = world["alder"]
    _attendance(ann_learner, alder, 70, 100, starts_on=date(2024, 9, 1), school_year=2024)
    Enrolment.objects.create(
        learner=ann_learner, setting=alder, year_group="P6", started_on=date(2024, 8, 19)
    )
    Enrolment.objects.filter(learner=ann_learner, year_group="P6").update(ended_on=date(2025, 7, 1))
    first = refresh(full=False)
    assert first.refreshed == [2024, 2025]
    assert SummaryFigure.objects.filter(school_year=2024, measure__code="attendance_rate").exists()

    second = refresh(full=False)
    assert second.unchanged == [2024]
    assert second.refreshed == [2025]  # the current year, always

    _attendance(ann_learner, alder, 30, 100, starts_on=date(2025, 1, 6), school_year=2024)
    third = refresh(full=False)
    assert third.refreshed == [2024, 2025]
    rows = SummaryFigure.objects.filter(
        scope=f"school:{alder.pk}",
        school_year=2024,
        measure__code="attendance_rate",
        breakdown=Breakdown.ALL,
    )
    assert sum(row.numerator for row in rows) == 100
    assert sum(row.denominator for row in rows) == 200


def test_the_refresh_makes_as_many_queries_whatever_the_number_of_learners(world, db):
    refresh()  # the first refresh also creates the years' refresh markers
    with CaptureQueriesContext(connection) as before:
        refresh()
    alder = world["alder"]
    for sessions in (70, 75, 95):
        learner = _learner(alder, sex="male")
        _attendance(learner, alder, sessions, 100)
        _need(learner, "12")
    with CaptureQueriesContext(connection) as after:
        refresh()
    assert len(after) == len(before)
    assert figures(school(world, "alder"), "attendance_rate") == (5, 410, 500)


def test_only_stagewise_itself_refreshes(world, db):
    from stagewise.accounts.actors import Actor  # noqa: F401  (a person is never SYSTEM)

    with pytest.raises(PermissionDenied):
        measures_refresh(actor=None, today=TODAY)  # type: ignore[arg-type]


def test_every_measure_of_the_framework_is_computed(world, db):
    from stagewise.measurement.refresh_sources import SOURCES

    assert set(Measure.objects.values_list("code", flat=True)) == set(SOURCES)


def test_the_command_refreshes_now_or_queues_the_task(world, db):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("refresh_measures", "--full", stdout=out)
    assert "Refreshed school years" in out.getvalue()
    assert SummaryFigure.objects.exists()
    SummaryFigure.objects.all().delete()
    out = StringIO()
    call_command("refresh_measures", "--enqueue", "--full", stdout=out)  # immediate in tests
    assert "queued as task" in out.getvalue()
    assert SummaryFigure.objects.exists()


def test_the_familys_own_say_after_a_review_is_yes_over_answers_given(world, db):
    """ann's first review: her mother says yes and no, her father partly and rather not say,
    and ann herself declined to answer. feel_supported: 1 yes of 2 answers; listened_to: 0 of 1
    (rather not say is not an answer, a decline is nothing)."""
    review = PlanReview.objects.filter(plan__learner=world["ann"]).order_by("held_on")[0]
    for respondent, supported, listened, declined in (
        ("parent", "yes", "no", False),
        ("parent", "partly", "rather_not_say", False),
        ("learner", "", "", True),
    ):
        ReviewFeedback.objects.create(
            review=review,
            learner=world["ann"],
            setting=world["alder"],
            user=UserFactory.create(),
            respondent=respondent,
            name="Someone",
            declined=declined,
            feel_supported=supported,
            listened_to=listened,
        )
    refresh()
    assert figures(school(world, "alder"), "feel_supported") == (1, 1, 2)
    assert figures(school(world, "alder"), "listened_to") == (1, 0, 1)


def test_the_impact_of_support_is_the_change_in_attendance_since_the_first_plan(world, db):
    """ann had an earlier plan, first agreed in September 2024, and she attended 70 of 100
    sessions in 2023/24, the school year before it; this year 90 of 100: 20 points up. cal has
    needs but no plan, so does not count."""
    earlier = Plan.objects.create(
        learner=world["ann"],
        plan_type=PlanType.objects.get(key="individualised_educational_programme"),
        authority=world["glasgow"],
        status="closed",
        closed_on=date(2025, 6, 30),
    )
    PlanVersion.objects.create(
        plan=earlier,
        number=1,
        document={"next_review_on": "2025-03-01"},
        finalised_by_label="Head",
        finalised_role="head",
        finalised_at=timezone.make_aware(datetime(2024, 9, 15, 12)),
    )
    AttendanceRecord.objects.create(
        learner=world["ann"],
        setting=world["alder"],
        school_year=2023,
        starts_on=date(2023, 8, 21),
        ends_on=date(2024, 6, 28),
        possible_sessions=100,
        attended_sessions=70,
    )
    refresh()
    assert figures(school(world, "alder"), "attendance_change_since_plan") == (1, 20, 1)


def test_a_plan_agreed_this_year_has_no_impact_to_show_yet(world, db):
    refresh()
    assert figures(school(world, "alder"), "attendance_change_since_plan") is None


def _wellbeing(learner, assessed_on, levels):
    """An assessment rating the eight indicators, in the wheel's order, at `levels`."""
    assessment = add_wellbeing_assessment(learner, assessed_on)
    for rating, level in zip(assessment.ratings.order_by("pk"), levels, strict=True):
        rating.level = level
        rating.save()
    return assessment


SOME, NONE, STRONG, SIGNIFICANT = "some_concern", "no_concern", "strength", "significant_concern"


def test_the_change_in_wellbeing_since_the_plan_is_latest_score_less_the_one_before_it(world, db):
    """ann's plan was agreed on 15 September 2025. Before it, on 1 September: safe a
    significant concern (0), the other seven some concern (1): 7/8 = 0.875. Since, on 10
    January all no concern (2.0), then on 1 March (the latest by 1 June) no concern but
    included a strength: 17/8 = 2.125. An assessment on 15 June is after the refresh's day.
    Change: 2.125 - 0.875 = 1.25 points. cal has needs and assessments but no plan: not
    counted; ben has an assessment but no needs."""
    ann = world["ann"]
    _wellbeing(ann, date(2025, 9, 1), [SIGNIFICANT] + [SOME] * 7)
    _wellbeing(ann, date(2026, 1, 10), [NONE] * 8)
    _wellbeing(ann, date(2026, 3, 1), [NONE] * 7 + [STRONG])
    _wellbeing(ann, date(2026, 6, 15), [SIGNIFICANT] * 8)
    cal = Enrolment.objects.get(setting=world["birch"], year_group="P6").learner
    ben = Enrolment.objects.get(setting=world["alder"], learner__home_language="Polish").learner
    for learner in (cal, ben):
        _wellbeing(learner, date(2025, 9, 1), [SOME] * 8)
        _wellbeing(learner, date(2026, 3, 1), [STRONG] * 8)
    refresh()
    assert figures(school(world, "alder"), "wellbeing_change_since_plan") == (
        1,
        Decimal("1.25"),
        1,
    )
    assert figures(school(world, "birch"), "wellbeing_change_since_plan") is None
    assert figures(f"authority:{world['glasgow'].pk}", "wellbeing_change_since_plan") == (
        1,
        Decimal("1.25"),
        1,
    )


def test_no_wellbeing_change_without_an_assessment_before_the_plan(world, db):
    """Assessments only after ann's plan was agreed: nothing to compare them with."""
    _wellbeing(world["ann"], date(2025, 10, 1), [SOME] * 8)
    _wellbeing(world["ann"], date(2026, 3, 1), [STRONG] * 8)
    refresh()
    assert figures(school(world, "alder"), "wellbeing_change_since_plan") is None


def test_figures_by_the_type_of_the_learners_plan(world, db):
    """ann's IEP is agreed: her targets (1 achieved of 2 assessed) and attendance count under
    it; ben has no plan. Every learner counts under one plan type, so the values add up."""
    refresh()
    alder = school(world, "alder")
    iep = "individualised_educational_programme"
    assert figures(alder, "targets_achieved", Breakdown.PLAN_TYPE, iep) == (1, 1, 2)
    assert figures(alder, "attendance_rate", Breakdown.PLAN_TYPE, iep) == (1, 90, 100)
    assert figures(alder, "attendance_rate", Breakdown.PLAN_TYPE, "no_plan") == (1, 80, 100)
    glasgow = f"authority:{world['glasgow'].pk}"
    assert figures(glasgow, "targets_achieved", Breakdown.PLAN_TYPE, iep) == (1, 1, 2)


def test_a_statutory_plan_comes_first_when_a_learner_has_two_types(world, db):
    """ann also has a co-ordinated support plan, agreed in October: she and her targets count
    under it, not under her IEP. A plan still in draft (no version agreed) counts for nothing."""
    coordinated = Plan.objects.create(
        learner=world["ann"],
        plan_type=PlanType.objects.get(key="coordinated_support_plan"),
        authority=world["glasgow"],
        status="active",
    )
    PlanVersion.objects.create(
        plan=coordinated,
        number=1,
        document={},
        finalised_by_label="Officer",
        finalised_role="authority_officer",
        finalised_at=timezone.make_aware(datetime(2025, 10, 1, 12)),
    )
    Plan.objects.create(
        learner=world["ann"],
        plan_type=PlanType.objects.get(key="childs_plan"),
        authority=world["glasgow"],
        status="draft",
    )
    refresh()
    alder = school(world, "alder")
    csp, iep = "coordinated_support_plan", "individualised_educational_programme"
    assert figures(alder, "targets_achieved", Breakdown.PLAN_TYPE, csp) == (1, 1, 2)
    assert figures(alder, "targets_achieved", Breakdown.PLAN_TYPE, iep) is None


def test_the_roll_takes_each_learners_latest_stage_plan_reasons_and_wellbeing(world, db):
    """Found for every learner at once (refresh_roll.py): cal's latest stage decision by 1 June
    is the later of two made on 1 February (specialist), not one made after 1 June; her reasons
    are "10 11"; her latest wellbeing assessment in the year (all strengths, 3.0) counts, not an
    earlier one. ann counts under her agreed IEP; ben has no stage, plan, reason or assessment."""
    learner = Enrolment.objects.get(setting=world["birch"], year_group="P6").learner
    stages = LocalStage.objects.filter(stage_model__key="glasgow")
    for national_stage, decided_on in [
        ("universal", date(2026, 2, 1)),
        ("specialist", date(2026, 2, 1)),
        ("universal", date(2026, 6, 20)),
    ]:
        StageDecision.objects.create(
            learner=learner,
            stage=stages.filter(national_stage=national_stage)[0],
            decided_on=decided_on,
            rationale="Reviewed",
            next_review_on=date(2026, 9, 2),
        )
    _wellbeing(learner, date(2025, 11, 1), [SOME] * 8)
    _wellbeing(learner, date(2026, 3, 1), [STRONG] * 8)
    with transaction.atomic():
        roll_insert(YEAR, TODAY)
        rows = {
            row.learner_id: row
            for row in LearnerYear.objects.filter(school_year=YEAR).order_by("pk")
        }
        transaction.set_rollback(True)
    cal = rows[learner.pk]
    assert (cal.national_stage, cal.plan_type, cal.reasons_key, cal.wellbeing_score) == (
        "specialist",
        "no_plan",
        "10 11",
        3.0,
    )
    ann = rows[world["ann"].pk]
    assert (ann.plan_type, ann.reasons_key) == ("individualised_educational_programme", "11")
    ben = next(row for row in rows.values() if row.learner.home_language == "Polish")
    assert (ben.national_stage, ben.plan_type, ben.reasons_key, ben.wellbeing_score) == (
        "none",
        "no_plan",
        "",
        None,
    )
