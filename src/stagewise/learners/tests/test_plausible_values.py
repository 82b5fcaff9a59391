"""Implausible values in the learner record are refused by the services, whoever calls them, with
a message naming the field; nothing is saved; and the pages show the message, never a 500."""

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from stagewise.accounts.actors import Actor, actors_for
from stagewise.coordination.models import RequestForAssistance
from stagewise.coordination.services import request_draft
from stagewise.learners.models import (
    Carer,
    ChronologyEntry,
    Learner,
    Need,
    StaffRelationship,
    StageDecision,
    WellbeingAssessment,
    WellbeingIndicator,
    WellbeingRating,
)
from stagewise.learners.services import (
    carer_link,
    chronology_record,
    learner_create,
    learner_update,
    need_record,
    need_resolve,
    staff_relationship_start,
    stage_decide,
    wellbeing_assess,
)
from stagewise.statutory.models import LocalStage, ReasonForSupport
from stagewise.testing.factories import (
    JUDGED_BEYOND_THE_RECORD,
    JUDGED_BEYOND_THE_RECORD_KIND,
    UserFactory,
)

pytestmark = pytest.mark.django_db

YEAR_ONE = date(1, 1, 1)
YEAR_9999 = date(9999, 12, 31)


def text(length: int) -> str:
    return "a" * length


def date_fields(name: str, day: date) -> dict[str, str]:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": f"{day.year:04d}"}


@pytest.fixture
def actor(support_lead) -> Actor:
    return actors_for(support_lead)[0]


def glasgow_stage() -> LocalStage:
    return LocalStage.objects.get(stage_model__key="glasgow", order=2)


def dyslexia() -> ReasonForSupport:
    return ReasonForSupport.objects.get(nation__code="scotland", code="11")


def every_indicator(**overrides: tuple[str, str]) -> dict[str, tuple[str, str]]:
    return {indicator.value: ("no_concern", "") for indicator in WellbeingIndicator} | overrides


def new_learner(world: Any, actor: Actor, **identity: Any) -> Learner:
    return learner_create(
        actor=actor,
        setting=world.school,
        year_group="P5",
        enrolled_on=date(2025, 8, 18),
        **{
            "legal_first_name": "Cerys",
            "legal_last_name": "Evans",
            "date_of_birth": date(2015, 2, 3),
            "sex": "female",
            "candidate_number": "123456789",
        }
        | identity,
    )


Write = Callable[[Any, Actor, Learner], object]

CASES: list[tuple[str, Write, type, str, str]] = [
    (
        "staff notes of 10,001 characters",
        lambda world, actor, learner: new_learner(world, actor, staff_notes=text(10_001)),
        Learner,
        "staff_notes",
        "Staff notes must be 10,000 characters or fewer; it has 10,001.",
    ),
    (
        "a birth date in year 0001",
        lambda world, actor, learner: new_learner(world, actor, date_of_birth=YEAR_ONE),
        Learner,
        "date_of_birth",
        "Date of birth must be on or after",
    ),
    (
        "a legal name of 101 characters",
        lambda world, actor, learner: new_learner(world, actor, legal_last_name=text(101)),
        Learner,
        "legal_last_name",
        "Legal last name must be 100 characters or fewer; it has 101.",
    ),
    (
        "a carer's address of 501 characters",
        lambda world, actor, learner: carer_link(
            actor=actor,
            learner=learner,
            carer=Carer(full_name="Morag Campbell", address=text(501)),
            relationship="mother",
        ),
        Carer,
        "address",
        "Address must be 500 characters or fewer; it has 501.",
    ),
    (
        "a member of staff linked from year 0001",
        lambda world, actor, learner: staff_relationship_start(
            actor=actor,
            learner=learner,
            staff=UserFactory.create(),
            kind="named_person",
            started_on=YEAR_ONE,
        ),
        StaffRelationship,
        "started_on",
        "From must be on or after",
    ),
    (
        "a request for assistance's reason of 4,001 characters",
        lambda world, actor, learner: request_draft(
            actor=actor,
            learner=learner,
            service=world.other_agency,
            reason=text(4_001),
            tried="Small-group work",
            tried_for="A term",
            learner_views="Wants help",
            family_views="Agree",
        ),
        RequestForAssistance,
        "reason",
        "Why you are asking for help must be 4,000 characters or fewer; it has 4,001.",
    ),
    (
        "a need's evidence of 10,001 characters",
        lambda world, actor, learner: need_record(
            actor=actor,
            learner=learner,
            reason=dyslexia(),
            identified_on=date(2025, 9, 1),
            evidence=text(10_001),
        ),
        Need,
        "evidence",
        "Evidence must be 10,000 characters or fewer; it has 10,001.",
    ),
    (
        "a need identified in year 0001",
        lambda world, actor, learner: need_record(
            actor=actor, learner=learner, reason=dyslexia(), identified_on=YEAR_ONE
        ),
        Need,
        "identified_on",
        "Date identified must be on or after",
    ),
    (
        "a stage rationale of 5,001 characters",
        lambda world, actor, learner: stage_decide(
            actor=actor,
            learner=learner,
            stage=glasgow_stage(),
            decided_on=date(2025, 10, 1),
            rationale=text(5_001),
            next_review_on=date(2026, 4, 1),
            departure_reason=JUDGED_BEYOND_THE_RECORD,
            departure_kind=JUDGED_BEYOND_THE_RECORD_KIND,
        ),
        StageDecision,
        "rationale",
        "Rationale must be 5,000 characters or fewer; it has 5,001.",
    ),
    (
        "a stage review in 9999",
        lambda world, actor, learner: stage_decide(
            actor=actor,
            learner=learner,
            stage=glasgow_stage(),
            decided_on=date(2025, 10, 1),
            rationale="Needs a reading group.",
            next_review_on=YEAR_9999,
            departure_reason=JUDGED_BEYOND_THE_RECORD,
            departure_kind=JUDGED_BEYOND_THE_RECORD_KIND,
        ),
        StageDecision,
        "next_review_on",
        "Next review must be on or before",
    ),
    (
        "a wellbeing summary of 5,001 characters",
        lambda world, actor, learner: wellbeing_assess(
            actor=actor,
            learner=learner,
            assessed_on=date(2025, 10, 1),
            ratings=every_indicator(),
            summary=text(5_001),
        ),
        WellbeingAssessment,
        "summary",
        "Summary must be 5,000 characters or fewer; it has 5,001.",
    ),
    (
        "a chronology entry of 3,001 characters",
        lambda world, actor, learner: chronology_record(
            actor=actor,
            learner=learner,
            entry_type="education",
            occurred_on=date(2025, 10, 1),
            summary=text(3_001),
            source="Class teacher",
        ),
        ChronologyEntry,
        "summary",
        "What happened must be 3,000 characters or fewer; it has 3,001.",
    ),
    (
        "a chronology entry in year 0001",
        lambda world, actor, learner: chronology_record(
            actor=actor,
            learner=learner,
            entry_type="education",
            occurred_on=YEAR_ONE,
            summary="Moved school.",
            source="Class teacher",
        ),
        ChronologyEntry,
        "occurred_on",
        "Date must be on or after",
    ),
]


@pytest.mark.parametrize(
    ("write", "model", "field", "message"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_an_implausible_value_is_refused_naming_the_field_and_nothing_is_saved(
    world, actor, learner, write, model, field, message
):
    before = model.objects.count()

    with pytest.raises(ValidationError) as refused:
        write(world, actor, learner)

    assert message in " ".join(refused.value.message_dict[field])
    assert model.objects.count() == before


def test_a_long_note_on_one_wellbeing_indicator_is_refused_naming_the_indicator(actor, learner):
    with pytest.raises(ValidationError) as refused:
        wellbeing_assess(
            actor=actor,
            learner=learner,
            assessed_on=date(2025, 10, 1),
            ratings=every_indicator(safe=("some_concern", text(2_001))),
        )

    assert refused.value.messages == [
        "Note on Safe must be 2,000 characters or fewer; it has 2,001."
    ]
    assert not WellbeingAssessment.objects.exists()
    assert not WellbeingRating.objects.exists()


def test_text_exactly_at_the_limit_is_accepted(actor, learner):
    entry = chronology_record(
        actor=actor,
        learner=learner,
        entry_type="education",
        occurred_on=date(2025, 10, 1),
        summary=text(3_000),
        source=text(200),
    )

    assert len(entry.summary) == 3_000


def test_changing_a_birth_date_to_year_0001_is_refused_and_the_record_is_unchanged(actor, learner):
    with pytest.raises(ValidationError) as refused:
        learner_update(actor=actor, learner=learner, data={"date_of_birth": YEAR_ONE})

    assert "no more than 30 years ago" in " ".join(refused.value.message_dict["date_of_birth"])
    learner.refresh_from_db()
    assert learner.date_of_birth == date(2012, 5, 17)


# Pages -----------------------------------------------------------------------------------------


def edit_form(learner: Learner, **overrides: str) -> dict[str, str]:
    return {
        "legal_first_name": learner.legal_first_name,
        "legal_last_name": learner.legal_last_name,
        "preferred_name": "",
        **date_fields("date_of_birth", learner.date_of_birth),
        "sex": learner.sex,
        "candidate_number": learner.candidate_number,
        "home_language": learner.home_language,
        "preferred_language": learner.preferred_language,
        "staff_notes": learner.staff_notes,
    } | overrides


def test_a_stored_birth_date_in_year_0001_is_shown_and_must_be_corrected_before_saving(
    signed_in, learner
):
    Learner.objects.filter(pk=learner.pk).update(date_of_birth=YEAR_ONE)
    learner.refresh_from_db()
    client = signed_in("support_lead")
    url = reverse("learners:edit", args=[learner.public_id])

    shown = client.get(url)
    refused = client.post(url, edit_form(learner, preferred_name="Ally"))

    assert shown.status_code == 200
    assert 'name="date_of_birth_2" type="text" inputmode="numeric" value="0001"' in (
        shown.content.decode()
    )
    assert refused.status_code == 200
    assert "govuk-error-summary" in refused.content.decode()
    assert "Date of birth must be on or after" in refused.content.decode()
    learner.refresh_from_db()
    assert learner.preferred_name == ""


def test_the_edit_form_refuses_over_long_staff_notes_and_keeps_what_was_typed(signed_in, learner):
    response = signed_in("support_lead").post(
        reverse("learners:edit", args=[learner.public_id]),
        edit_form(learner, staff_notes=text(10_001)),
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "Staff notes must be 10,000 characters or fewer; it has 10,001." in content
    learner.refresh_from_db()
    assert learner.staff_notes == "Staff only: settles best with a visual timetable."


def test_the_chronology_form_counts_characters_and_refuses_too_many(signed_in, learner):
    client = signed_in("teacher")
    url = reverse("learners:chronology_add", args=[learner.public_id])

    shown = client.get(url).content.decode()
    response = client.post(
        url,
        {
            "entry_type": "education",
            **date_fields("occurred_on", date(2025, 10, 1)),
            # The browser sends each line break as two characters; each counts as one.
            "summary": "a\r\n" * 1_500 + "b",
            "source": "Class teacher",
        },
    )

    assert 'data-module="govuk-character-count" data-maxlength="3000"' in shown
    assert "You can enter up to 3,000 characters" in shown
    assert 'data-i18n.characters-over-limit.other="You have %{count} characters too many"' in shown
    assert response.status_code == 200
    assert "What happened must be 3,000 characters or fewer; it has 3,001." in (
        response.content.decode()
    )
    assert not ChronologyEntry.objects.exists()


def test_the_character_count_speaks_welsh_to_a_welsh_reader(signed_in, teacher, learner):
    teacher.preferred_language = "cy"
    teacher.save(update_fields=["preferred_language"])

    shown = signed_in("teacher").get(reverse("learners:chronology_add", args=[learner.public_id]))

    content = shown.content.decode()
    assert "Gallwch ysgrifennu hyd at 3,000 nod" in content
    assert 'data-i18n.characters-under-limit.other="Mae gennych %{count} nod ar ôl"' in content


def test_a_need_identified_in_year_0001_is_explained_on_the_form(signed_in, learner):
    response = signed_in("teacher").post(
        reverse("learners:need_add", args=[learner.public_id]),
        {"reason": dyslexia().pk, "evidence": "Kept", **date_fields("identified_on", YEAR_ONE)},
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "Date identified must be on or after" in content
    assert "Kept" in content
    assert not Need.objects.exists()


def test_a_long_wellbeing_note_is_explained_next_to_its_indicator(signed_in, learner):
    data = {"assessed_on_0": "1", "assessed_on_1": "10", "assessed_on_2": "2025"}
    for indicator in WellbeingIndicator:
        data[f"{indicator.value}_level"] = "no_concern"
    data["healthy_note"] = text(2_001)

    response = signed_in("teacher").post(
        reverse("learners:wellbeing_add", args=[learner.public_id]), data
    )

    assert response.status_code == 200
    assert "Note on Healthy must be 2,000 characters or fewer; it has 2,001." in (
        response.content.decode()
    )
    assert not WellbeingAssessment.objects.exists()


def test_evidence_stored_before_the_limits_never_blocks_resolving_the_need(actor, learner):
    need = need_record(
        actor=actor, learner=learner, reason=dyslexia(), identified_on=date(2025, 9, 1)
    )
    Need.objects.filter(pk=need.pk).update(evidence=text(20_000))

    resolved = need_resolve(actor=actor, need=need, resolved_on=date(2025, 12, 1))

    assert resolved.resolved_on == date(2025, 12, 1)
