"""Pages about one learner issue the same number of queries however much is recorded about them."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stagewise.learners.models import ChronologyEntry, StageDecision
from stagewise.statutory.models import LocalStage
from stagewise.testing.factories import (
    CarerFactory,
    add_need,
    add_wellbeing_assessment,
    involve_agency,
    link_staff,
    with_authenticator_app,
)


def record_history(world, learner, count: int) -> None:
    """`count` of each kind of record the learner's pages list."""
    from stagewise.learners.models import LearnerCarer
    from stagewise.testing.factories import UserFactory

    stage = LocalStage.objects.get(stage_model__key="glasgow", order=2)
    codes = ["11", "13", "24", "25", "26", "41", "44", "48"]
    start = date(2024, 1, 1)
    for index in range(count):
        day = start + timedelta(days=index)
        add_need(learner, code=codes[index % len(codes)], identified_on=day)
        StageDecision.objects.create(
            learner=learner,
            stage=stage,
            decided_on=day,
            rationale="r",
            next_review_on=day + timedelta(days=90),
        )
        ChronologyEntry.objects.create(
            learner=learner, entry_type="education", occurred_on=day, summary="s", source="x"
        )
        add_wellbeing_assessment(learner, assessed_on=day)
        LearnerCarer.objects.create(
            learner=learner, carer=CarerFactory.create(), relationship="other"
        )
        link_staff(learner, with_authenticator_app(UserFactory.create()))
        involve_agency(learner, world.agency)


@pytest.mark.parametrize(
    "url_name",
    ["learners:profile", "learners:stage_timeline", "learners:chronology", "learners:wellbeing"],
)
def test_learner_pages_issue_the_same_queries_for_2_and_for_30_records(
    signed_in, world, learner, url_name
):
    client = signed_in("support_lead")
    record_history(world, learner, 2)

    def visit() -> int:
        latest = learner.wellbeing_assessments.order_by("-assessed_on", "-pk").first()
        args = (
            [learner.public_id, latest.pk]
            if url_name == "learners:wellbeing"
            else [learner.public_id]
        )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(url_name, args=args))
        assert response.status_code == 200
        return len(queries)

    few = visit()
    record_history(world, learner, 28)

    assert visit() == few
