"""Every page of a finalised plan opens for the teacher who wrote it, the Welsh PDF included."""

import pytest

from stagewise.testing.plans import acting, finalised_plan


@pytest.mark.django_db
def test_every_page_of_a_finalised_plan_opens_for_its_teacher(signed_in, teacher, learner):
    plan = finalised_plan(acting(teacher), learner, "individualised_educational_programme")
    client = signed_in("teacher")
    for url in [
        f"/learners/{learner.public_id}/plans/",
        f"/learners/{learner.public_id}/plans/new/",
        f"/learners/{learner.public_id}/plans/{plan.public_id}/",
        f"/learners/{learner.public_id}/plans/{plan.public_id}/print/",
        f"/learners/{learner.public_id}/plans/{plan.public_id}/versions/1/",
        f"/learners/{learner.public_id}/plans/{plan.public_id}/shared/",
        f"/learners/{learner.public_id}/plans/{plan.public_id}/review/",
        f"/learners/{learner.public_id}/plans/{plan.public_id}/pdf/?language=cy",
        f"/learners/{learner.public_id}/plans/progress/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
