"""The pages for needs, stages, wellbeing, chronology and caseloads, as staff use them."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stagewise.learners.models import ChronologyEntry, Need, StageDecision, WellbeingIndicator
from stagewise.learners.wheel import wheel_segments
from stagewise.statutory.models import LocalStage, ReasonForSupport
from stagewise.testing.factories import add_need, add_wellbeing_assessment, enrolled_learner


def date_fields(name: str, day: date) -> dict[str, str]:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def test_a_teacher_records_a_need_and_sees_it_on_the_profile(signed_in, learner):
    client = signed_in("teacher")
    reason = ReasonForSupport.objects.get(nation__code="scotland", code="11")

    response = client.post(
        reverse("learners:need_add", args=[learner.public_id]),
        {
            "reason": reason.pk,
            "factor_groups": ["learning_environment"],
            "disability": "",
            "evidence": "Assessment",
            "notes": "",
            **date_fields("identified_on", date(2025, 9, 1)),
        },
    )

    assert response.status_code == 302
    profile = client.get(reverse("learners:profile", args=[learner.public_id])).content.decode()
    assert "Dyslexia" in profile and "Learning environment" in profile


def test_a_need_form_with_a_future_date_keeps_what_was_typed(signed_in, learner):
    reason = ReasonForSupport.objects.get(nation__code="scotland", code="11")

    response = signed_in("teacher").post(
        reverse("learners:need_add", args=[learner.public_id]),
        {
            "reason": reason.pk,
            "evidence": "Kept text",
            **date_fields("identified_on", date(2099, 1, 1)),
        },
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in content and "cannot be in the future" in content
    assert "Kept text" in content
    assert not Need.objects.exists()


def test_a_teacher_departing_from_the_suggested_stage_is_refused_until_they_give_a_reason(
    signed_in, learner
):
    client = signed_in("teacher")
    stage = LocalStage.objects.get(stage_model__key="glasgow", order=2)
    decision = {
        "stage": stage.pk,
        "rationale": "Needs a reading group.",
        **date_fields("decided_on", date(2025, 10, 1)),
        **date_fields("next_review_on", date(2026, 3, 1)),
    }
    url = reverse("learners:stage_decision_add", args=[learner.public_id])

    refused = client.post(url, decision)
    recorded = client.post(
        url,
        {
            **decision,
            "departure_reason": "Reading age two years behind.",
            "departure_kind": "evidence_outside",
        },
    )

    assert refused.status_code == 200
    assert "give the reason for departing from the suggestion" in refused.content.decode()
    assert "Choose the kind of reason for departing" in refused.content.decode()
    assert recorded.status_code == 302
    timeline = client.get(
        reverse("learners:stage_timeline", args=[learner.public_id])
    ).content.decode()
    assert "Stage 2" in timeline and "Targeted" in timeline and "Needs a reading group." in timeline
    assert "Departs from the suggested stage, Stage 1" in timeline
    assert "Reading age two years behind." in timeline


def test_the_stage_form_offers_only_the_authoritys_own_stages(signed_in, learner):
    content = (
        signed_in("teacher")
        .get(reverse("learners:stage_decision_add", args=[learner.public_id]))
        .content.decode()
    )

    assert "Stage 4 (Specialist)" in content
    assert "Pathway" not in content and "Enhanced" not in content


def test_a_stage_outside_the_model_is_rejected_by_the_form(signed_in, learner):
    fife_stage = LocalStage.objects.get(stage_model__key="fife", order=2)

    response = signed_in("teacher").post(
        reverse("learners:stage_decision_add", args=[learner.public_id]),
        {
            "stage": fife_stage.pk,
            "rationale": "x",
            **date_fields("decided_on", date(2025, 10, 1)),
            **date_fields("next_review_on", date(2026, 3, 1)),
        },
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not StageDecision.objects.exists()


def test_a_teacher_records_a_wellbeing_assessment_and_sees_the_wheel(signed_in, learner):
    add_wellbeing_assessment(learner, assessed_on=date(2025, 6, 1), level="some_concern")
    client = signed_in("teacher")
    levels = {f"{indicator.value}_level": "no_concern" for indicator in WellbeingIndicator}
    levels["safe_level"] = "strength"

    response = client.post(
        reverse("learners:wellbeing_add", args=[learner.public_id]),
        {
            **levels,
            "safe_note": "Feels safe at school",
            **date_fields("assessed_on", date(2025, 11, 1)),
        },
    )

    assert response.status_code == 302
    content = client.get(response.url).content.decode()
    assert "<svg" in content and 'role="img"' in content
    assert "Safe: Strength." in content  # the text alternative
    assert "Better" in content  # compared with June's assessment
    assert "Feels safe at school" in content


def test_a_teacher_adds_a_chronology_entry_and_sees_it_merged_with_decisions(signed_in, learner):
    add_need(learner)
    client = signed_in("teacher")

    response = client.post(
        reverse("learners:chronology_add", args=[learner.public_id]),
        {
            "entry_type": "health",
            "summary": "Hearing test",
            "source": "School nurse",
            **date_fields("occurred_on", date(2025, 11, 3)),
        },
    )

    assert response.status_code == 302
    content = client.get(reverse("learners:chronology", args=[learner.public_id])).content.decode()
    assert "Hearing test" in content
    assert "Need identified" in content


def test_restricted_entries_are_shown_only_to_leads_and_above(signed_in, learner, teacher):
    ChronologyEntry.objects.create(
        learner=learner,
        entry_type="social_work",
        occurred_on=date(2025, 10, 2),
        summary="Child protection case conference",
        source="Social work",
        restricted=True,
    )
    url = reverse("learners:chronology", args=[learner.public_id])

    assert "case conference" not in signed_in("teacher").get(url).content.decode()
    assert "case conference" in signed_in("support_lead").get(url).content.decode()


def test_a_teacher_cannot_record_a_restricted_entry(signed_in, learner):
    signed_in("teacher").post(
        reverse("learners:chronology_add", args=[learner.public_id]),
        {
            "entry_type": "family",
            "summary": "x",
            "source": "y",
            "restricted": "true",
            **date_fields("occurred_on", date(2025, 11, 3)),
        },
    )

    assert ChronologyEntry.objects.get().restricted is False


def test_the_chronology_filters_by_type_and_date(signed_in, learner):
    for day, kind in [(date(2025, 9, 1), "health"), (date(2025, 11, 1), "education")]:
        ChronologyEntry.objects.create(
            learner=learner, entry_type=kind, occurred_on=day, summary=f"{kind} event", source="s"
        )
    url = reverse("learners:chronology", args=[learner.public_id])
    client = signed_in("support_lead")

    by_kind = client.get(url, {"kind": "health"}).content.decode()
    by_date = client.get(url, {**date_fields("date_from", date(2025, 10, 1))}).content.decode()

    assert "health event" in by_kind and "education event" not in by_kind
    assert "education event" in by_date and "health event" not in by_date


def test_a_backwards_date_range_is_explained(signed_in, learner):
    response = signed_in("support_lead").get(
        reverse("learners:chronology", args=[learner.public_id]),
        {**date_fields("date_from", date(2025, 10, 1)), **date_fields("date_to", date(2025, 9, 1))},
    )

    assert "The end date must be" in response.content.decode()


def test_the_printable_chronology_is_a_plain_page(signed_in, learner):
    content = (
        signed_in("support_lead")
        .get(reverse("learners:chronology", args=[learner.public_id]), {"print": "1"})
        .content.decode()
    )

    assert "govuk-service-navigation" not in content
    assert learner.candidate_number in content


def test_families_see_needs_and_stage_but_not_the_chronology(signed_in, learner):
    add_need(learner)
    content = (
        signed_in("parent")
        .get(reverse("learners:profile", args=[learner.public_id]))
        .content.decode()
    )

    assert "Autistic spectrum disorder" in content
    assert "Chronology" not in content


def test_the_list_filters_by_national_stage_reason_and_review(signed_in, world, learner):
    staged = enrolled_learner(world.school, legal_last_name="Staged")
    StageDecision.objects.create(
        learner=staged,
        stage=LocalStage.objects.get(stage_model__key="glasgow", order=3),
        decided_on=date(2025, 1, 1),
        rationale="r",
        next_review_on=date(2025, 6, 1),
    )
    add_need(learner, code="11")
    client = signed_in("support_lead")
    reason = ReasonForSupport.objects.get(nation__code="scotland", code="11")

    specialist = client.get(reverse("learners:list"), {"national_stage": "specialist"})
    universal = client.get(reverse("learners:list"), {"national_stage": "universal"})
    dyslexia = client.get(reverse("learners:list"), {"reason": reason.pk})
    overdue = client.get(reverse("learners:list"), {"review": "overdue"})

    assert "Staged" in specialist.content.decode()
    assert "Campbell" not in specialist.content.decode()
    assert "Campbell" in universal.content.decode() and "Staged" not in universal.content.decode()
    assert "Campbell" in dyslexia.content.decode() and "Staged" not in dyslexia.content.decode()
    assert "Staged" in overdue.content.decode()


def test_the_caseload_summary_counts_by_stage_and_reason(signed_in, world, learner):
    staged = enrolled_learner(world.school)
    StageDecision.objects.create(
        learner=staged,
        stage=LocalStage.objects.get(stage_model__key="glasgow", order=2),
        decided_on=date(2025, 1, 1),
        rationale="r",
        next_review_on=date(2026, 6, 1),
    )
    add_need(learner, code="11")
    add_need(staged, code="11")

    summary = signed_in("support_lead").get(reverse("learners:summary")).context["summary"]

    assert summary.total == 2
    assert {(row.local_label, row.learners) for row in summary.by_stage} == {
        ("Stage 2", 1),
        ("No stage decision yet", 1),
    }
    assert [(row.code, row.learners) for row in summary.by_reason] == [("11", 2)]


CASELOAD_PAGES = ["learners:list", "learners:summary"]


def test_caseload_pages_issue_the_same_queries_for_10_and_500_learners(
    signed_in, world, teacher, settings
):
    settings.LEARNER_LIST_PAGE_SIZE = 600
    client = signed_in("support_lead")
    add_staged_learners(world, 10)
    client.get(reverse("learners:list"))  # fills the list filters' cache (test_list_filters.py)
    few = {}
    for url_name in CASELOAD_PAGES:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(url_name)).status_code == 200
        few[url_name] = len(queries)
    add_staged_learners(world, 490)

    many = {}
    for url_name in CASELOAD_PAGES:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(url_name)).status_code == 200
        many[url_name] = len(queries)

    assert many == few


def add_staged_learners(world, count: int) -> None:
    stage = LocalStage.objects.get(stage_model__key="glasgow", order=2)
    for index in range(count):
        learner = enrolled_learner(world.school)
        StageDecision.objects.create(
            learner=learner,
            stage=stage,
            decided_on=date(2025, 1, 1),
            rationale="r",
            next_review_on=date(2026, 1, 1),
        )
        add_need(learner, code=["11", "25", "26"][index % 3])


def test_the_wheel_has_eight_segments_going_round_from_the_top():
    ratings = [(i.value, str(i.label), "no_concern", "No concern") for i in WellbeingIndicator]

    segments = wheel_segments(ratings)

    assert len(segments) == 8
    assert segments[0].label == "Safe" and segments[0].label_y < 160  # first at the top
    assert segments[2].anchor == "start" and segments[6].anchor == "end"
    assert all(segment.path.endswith("Z") for segment in segments)


def test_the_error_summary_links_to_the_first_option_of_a_radio_question(signed_in, learner):
    response = signed_in("teacher").post(
        reverse("learners:stage_decision_add", args=[learner.public_id]), {"rationale": "x"}
    )

    content = response.content.decode()
    assert '<a href="#id_stage">' in content
    assert 'id="id_stage"' in content
