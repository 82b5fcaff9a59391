"""A family's plan page says when the version they see was shared with them, and that it is new
since the version they last responded to."""

import pytest
from django.urls import reverse
from django.utils import timezone

from stagewise.organisations.models import Role
from stagewise.planning.models import CommunicationFormat, RecipientKind, ResponseKind
from stagewise.planning.services import (
    plan_communication_record,
    plan_finalise,
    plan_response_record,
    plan_revise,
)
from stagewise.testing.plans import acting, finalised_plan

pytestmark = pytest.mark.django_db

NEW_VERSION = "A new version of this plan was shared with you on"
THIS_VERSION = "This version of the plan was shared with you on"


def share(teacher, plan, recipient_kind):
    plan_communication_record(
        actor=acting(teacher),
        plan=plan,
        recipient="The family",
        recipient_kind=recipient_kind,
        sent_on=timezone.localdate(),
        format=CommunicationFormat.FAMILY_PORTAL,
    )


def family_page(client, user, plan):
    client.force_login(user)
    page = client.get(reverse("planning:detail", args=[plan.learner.public_id, plan.public_id]))
    assert page.status_code == 200
    return page.content.decode()


@pytest.fixture
def plan(teacher, learner):
    return finalised_plan(acting(teacher), learner, "individualised_educational_programme")


def test_the_parent_is_told_when_the_version_was_shared_with_her(client, teacher, parent, plan):
    assert THIS_VERSION not in family_page(client, parent, plan)

    share(teacher, plan, RecipientKind.PARENT)

    page = family_page(client, parent, plan)
    assert THIS_VERSION in page
    assert NEW_VERSION not in page


def test_a_version_shared_with_the_young_person_is_not_said_to_be_shared_with_the_parent(
    client, teacher, parent, young_person, plan
):
    share(teacher, plan, RecipientKind.LEARNER)

    assert THIS_VERSION in family_page(client, young_person, plan)
    assert THIS_VERSION not in family_page(client, parent, plan)


def test_a_version_shared_after_the_parent_responded_is_called_new(client, teacher, parent, plan):
    share(teacher, plan, RecipientKind.PARENT)
    plan_response_record(
        actor=acting(parent, Role.PARENT_CARER), plan=plan, response=ResponseKind.AGREED
    )
    plan_revise(actor=acting(teacher), plan=plan)
    plan.refresh_from_db()
    plan_finalise(actor=acting(teacher), plan=plan, based_on_revision=plan.edit_revision)
    plan.refresh_from_db()

    # Finalised but not yet shared: the page says nothing about sharing.
    assert NEW_VERSION not in family_page(client, parent, plan)

    share(teacher, plan, RecipientKind.PARENT)

    page = family_page(client, parent, plan)
    assert NEW_VERSION in page
    assert "You last responded to version 1." in page
