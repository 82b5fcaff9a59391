"""Every looked-after child must be considered by the education authority for a co-ordinated
support plan (ASL Act 2004 s6(1A); ADR 0049). The authority's officer records the consideration:
each of the four conditions of s2 judged met or not beside what decision support finds on the
record, the conclusion and its reason; a conclusion other than the one decision support indicates
needs a reason for departing from it. The history is kept and audited; the record shows the
latest; the officer's work queue lists the looked-after children not yet considered."""

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stagewise.accounts.work_queue import ItemKind, work_queue_get
from stagewise.audit.models import AuditEvent
from stagewise.conftest import World
from stagewise.learners.models import Learner
from stagewise.learners.services import learner_update
from stagewise.policy import SYSTEM
from stagewise.statutory.models import CoordinatedSupportPlanConsideration
from stagewise.statutory.services import ConditionsJudged, coordinated_support_plan_consider
from stagewise.testing.audit import learner_of
from stagewise.testing.factories import SettingFactory, authority, enrolled_learner
from stagewise.testing.plans import acting

TODAY = timezone.localdate()
# On the world's record decision support finds condition 1 (enrolled at an authority school)
# and not condition 2 (no complex or multiple factors recorded), so it indicates no plan.
NONE_REQUIRED = ConditionsJudged(True, False, False, False)
ALL_MET = ConditionsJudged(True, True, True, True)


@pytest.fixture
def looked_after(learner: Learner) -> Learner:
    Learner.objects.filter(pk=learner.pk).update(looked_after=True)
    learner.refresh_from_db()
    return learner


def _consider(
    officer: Any, learner: Learner, **changes: Any
) -> CoordinatedSupportPlanConsideration:
    arguments: dict[str, Any] = {
        "considered_on": TODAY - timedelta(days=3),
        "conditions": NONE_REQUIRED,
        "conclusion": "not_required",
        "reason": "The school's support meets her needs.",
    }
    return coordinated_support_plan_consider(
        actor=acting(officer), learner=learner, **(arguments | changes)
    )


def _form(**changes: str) -> dict[str, str]:
    day = TODAY - timedelta(days=2)
    return {
        "considered_on_0": str(day.day),
        "considered_on_1": str(day.month),
        "considered_on_2": str(day.year),
        "authority_responsible": "met",
        "complex_or_multiple_factors": "not_met",
        "lasting_more_than_a_year": "not_met",
        "significant_support_from_others": "not_met",
        "conclusion": "not_required",
        "reason": "Support from the school meets her needs.",
    } | changes


def test_the_officer_records_the_conditions_beside_what_decision_support_found(
    authority_officer, looked_after
):
    consideration = _consider(authority_officer, looked_after)

    assert [met for _label, met, _found in consideration.conditions()] == [
        True,
        False,
        False,
        False,
    ]
    assert consideration.authority_responsible_evidenced
    assert not consideration.complex_or_multiple_factors_evidenced
    assert consideration.suggested_conclusion == "not_required"
    assert not consideration.departs_from_suggestion
    assert consideration.authority.name == "Glasgow City"
    assert consideration.considered_by == authority_officer
    event = AuditEvent.objects.get(object_type="coordinated_support_plan_consideration")
    assert learner_of(event) == looked_after
    assert {"conclusion", "suggested_conclusion", "departs_from_suggestion"} <= set(
        event.changes or {}
    )


def test_a_conclusion_other_than_decision_supports_needs_a_reason_which_is_kept(
    authority_officer, looked_after
):
    with pytest.raises(ValidationError) as refused:
        _consider(authority_officer, looked_after, conditions=ALL_MET, conclusion="required")
    assert "give the reason for concluding otherwise" in str(refused.value.message_dict)
    assert "Choose the kind of reason for departing" in str(refused.value.message_dict)

    consideration = _consider(
        authority_officer,
        looked_after,
        conditions=ALL_MET,
        conclusion="required",
        departure_kind="evidence_outside",
        departure_reason="Social work's assessment, not yet on the record, shows all four.",
    )
    assert consideration.departs_from_suggestion
    assert consideration.departure_kind == "evidence_outside"
    assert consideration.suggested_conclusion == "not_required"
    assert consideration.departure_reason.startswith("Social work's")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"considered_on": TODAY + timedelta(days=1)}, "considered_on", "cannot be in the future"),
        ({"reason": "  "}, "reason", "Enter the reason for the conclusion."),
        ({"conclusion": "required"}, "conclusion", "when all four conditions are met"),
        ({"conditions": ALL_MET}, "conclusion", "when all four conditions are met"),
        ({"conclusion": "maybe"}, "conclusion", "Choose whether"),
    ],
)
def test_bad_input_is_refused_with_what_to_fix_and_nothing_saved(
    authority_officer, looked_after, changes, field, message
):
    with pytest.raises(ValidationError) as refused:
        _consider(authority_officer, looked_after, **changes)

    assert message in " ".join(refused.value.message_dict[field])
    assert not CoordinatedSupportPlanConsideration.objects.exists()


def test_a_learner_not_looked_after_or_in_wales_cannot_be_considered(
    authority_officer, learner, world: World
):
    with pytest.raises(ValidationError, match="not recorded as looked after"):
        _consider(authority_officer, learner)

    cardiff_school = SettingFactory.create(authority=authority("Cardiff"))
    welsh = enrolled_learner(cardiff_school, year_group="Y5", looked_after=True)
    with pytest.raises(ValidationError, match="Scottish law only"):
        coordinated_support_plan_consider(
            actor=SYSTEM,
            learner=welsh,
            considered_on=TODAY,
            conditions=NONE_REQUIRED,
            conclusion="not_required",
            reason="Not applicable.",
        )


def test_becoming_looked_after_is_dated_and_an_earlier_consideration_is_refused(
    authority_officer, learner
):
    learner_update(actor=acting(authority_officer), learner=learner, data={"looked_after": True})
    learner.refresh_from_db()
    assert learner.looked_after_since == TODAY

    with pytest.raises(ValidationError) as refused:
        _consider(authority_officer, learner, considered_on=TODAY - timedelta(days=1))
    assert "has been looked after since" in str(refused.value.message_dict["considered_on"])

    learner_update(actor=acting(authority_officer), learner=learner, data={"looked_after": False})
    learner.refresh_from_db()
    assert learner.looked_after_since is None


def test_the_form_shows_decision_support_beside_each_condition_and_saves_through_the_service(
    signed_in, looked_after
):
    client = signed_in("authority_officer")
    address = reverse("considerations:add", args=[looked_after.public_id])

    page = client.get(address).content.decode()
    assert page.count("Decision support") >= 4
    assert "Evidenced" in page and "Not evidenced" in page
    assert "Glasgow Speech and Language Therapy" in page

    refused = client.post(address, _form(reason="", conclusion="required"))
    assert refused.status_code == 200
    text = refused.content.decode()
    assert "There is a problem" in text and "Enter the reason for the conclusion." in text
    assert not CoordinatedSupportPlanConsideration.objects.exists()

    saved = client.post(address, _form())
    assert saved.status_code == 302
    assert CoordinatedSupportPlanConsideration.objects.get().conclusion == "not_required"


def test_the_history_is_kept_and_the_record_shows_the_latest(
    signed_in, authority_officer, looked_after
):
    _consider(authority_officer, looked_after, considered_on=TODAY - timedelta(days=300))
    _consider(
        authority_officer,
        looked_after,
        considered_on=TODAY - timedelta(days=1),
        reason="Reviewed after the new placement.",
    )
    client = signed_in("support_lead")

    history = client.get(reverse("considerations:list", args=[looked_after.public_id]))
    profile = client.get(reverse("learners:profile", args=[looked_after.public_id]))

    text = history.content.decode()
    assert text.count("Considered by") == 2
    assert text.index("Reviewed after the new placement.") < text.index("meets her needs.")
    assert "Record a consideration" not in text
    profile_text = profile.content.decode()
    assert "Consideration for a co-ordinated support plan" in profile_text
    assert (TODAY - timedelta(days=1)).strftime("%-d %B %Y") in profile_text
    assert "has not been considered" not in profile_text


def test_the_school_lead_reads_considerations_but_may_not_record_one(signed_in, looked_after):
    client = signed_in("support_lead")

    assert (
        client.get(reverse("considerations:add", args=[looked_after.public_id])).status_code == 403
    )
    assert (
        client.post(
            reverse("considerations:add", args=[looked_after.public_id]), _form()
        ).status_code
        == 403
    )


def test_a_learner_not_looked_after_is_told_so_on_the_form(signed_in, learner):
    page = signed_in("authority_officer").get(
        reverse("considerations:add", args=[learner.public_id])
    )

    assert "not recorded as looked after" in page.content.decode()
    assert 'name="conclusion"' not in page.content.decode()


def _consideration_items(officer: Any) -> list[Any]:
    queue = work_queue_get(actor=acting(officer))
    assert queue is not None
    return [
        item
        for group in queue.groups
        for item in group.items
        if item.kind == ItemKind.CONSIDERATION
    ]


def test_the_officers_queue_lists_looked_after_children_not_considered_since(
    authority_officer, other_authority_officer, looked_after, world: World
):
    assert [item.learner_id for item in _consideration_items(authority_officer)] == [
        looked_after.public_id
    ]
    assert _consideration_items(other_authority_officer) == []

    _consider(authority_officer, looked_after)
    assert _consideration_items(authority_officer) == []

    # Looked after again after the consideration: listed again.
    Learner.objects.filter(pk=looked_after.pk).update(looked_after_since=TODAY)
    items = _consideration_items(authority_officer)
    assert len(items) == 1 and "again" in items[0].action


def test_the_queue_reads_the_same_number_of_queries_however_many_are_waiting(
    authority_officer, world: World
):
    counts = []
    for added in (1, 5):
        for _number in range(added):
            enrolled_learner(world.school, looked_after=True)
        with CaptureQueriesContext(connection) as queries:
            items = _consideration_items(authority_officer)
        counts.append((len(items), len(queries)))

    assert [listed for listed, _queries in counts] == [1, 6]
    assert counts[0][1] == counts[1][1], counts
