"""A signed-in page costs little more than an anonymous one: the session keeps the person's roles,
worked out again whenever they change (and on a new day), so no one acts in a role they no longer
hold. Issue 13, docs/adr/0037-roles-kept-in-the-session.md."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from stagewise.accounts.actors import KEPT_ROLES_SESSION_KEY
from stagewise.learners.models import LearnerCarer
from stagewise.organisations.models import Membership, Role
from stagewise.testing.factories import MembershipFactory

# Session and user (2), the page's authenticators (1), the header's unread count (1); a parent's
# count first reads the sharing decisions of their young people (1).
STAFF_SETTINGS_QUERIES = 4
PARENT_SETTINGS_QUERIES = 5


def _actor(client):
    return client.get(reverse("accounts:settings")).wsgi_request.actor


def test_an_anonymous_page_makes_no_query(client, db, django_assert_num_queries):
    client.get(reverse("account_login"))
    with django_assert_num_queries(0):
        assert client.get(reverse("account_login")).status_code == 200


@pytest.mark.parametrize(
    ("actor_name", "queries"),
    [("teacher", STAFF_SETTINGS_QUERIES), ("parent", PARENT_SETTINGS_QUERIES)],
)
def test_a_trivial_signed_in_page_makes_few_queries(
    signed_in, actor_name, queries, django_assert_num_queries
):
    client = signed_in(actor_name)
    client.get(reverse("accounts:settings"))
    with django_assert_num_queries(queries):
        assert client.get(reverse("accounts:settings")).status_code == 200


def test_the_roles_kept_in_the_session_are_the_ones_worked_out_afresh(signed_in, teacher):
    client = signed_in("teacher")
    client.get(reverse("accounts:settings"))
    actor = _actor(client)

    assert actor.role == Role.CLASS_TEACHER
    assert actor.membership == Membership.objects.get(user=teacher)
    assert actor.membership.setting.authority.nation.code == "scotland"
    assert "Riverside Primary School" in actor.label
    assert actor.organisation_label == "Riverside Primary School"


def test_a_membership_ended_today_stops_at_once(signed_in, teacher):
    client = signed_in("teacher")
    assert _actor(client).role == Role.CLASS_TEACHER

    membership = Membership.objects.get(user=teacher)
    membership.ended_on = timezone.localdate() - timedelta(days=1)
    membership.save()

    assert _actor(client) is None


def test_a_membership_that_ends_by_date_stops_on_the_next_day(signed_in, teacher):
    client = signed_in("teacher")
    assert _actor(client).role == Role.CLASS_TEACHER
    # Kept yesterday, when the membership was current; its last day was yesterday. No save of
    # the membership tells anyone: the new day does.
    session = client.session
    kept = session[KEPT_ROLES_SESSION_KEY]
    yesterday = timezone.localdate() - timedelta(days=1)
    kept["for"][2] = yesterday.isoformat()
    session[KEPT_ROLES_SESSION_KEY] = kept
    session.save()
    Membership.objects.filter(user=teacher).update(ended_on=yesterday)

    assert _actor(client) is None


def test_a_role_removed_is_gone_on_the_next_request(signed_in, teacher):
    client = signed_in("teacher")
    assert _actor(client) is not None

    Membership.objects.get(user=teacher).delete()

    assert _actor(client) is None


def test_portal_access_withdrawn_is_gone_on_the_next_request(signed_in, parent):
    client = signed_in("parent")
    assert _actor(client).role == Role.PARENT_CARER

    link = LearnerCarer.objects.get(carer__user=parent)
    link.portal_access = False
    link.save()

    assert _actor(client) is None


def test_a_young_persons_account_unlinked_is_gone(signed_in, young_person, learner):
    client = signed_in("young_person")
    assert _actor(client).role == Role.YOUNG_PERSON

    learner.young_person_account = None
    learner.save()

    assert _actor(client) is None


def test_switching_role_and_losing_the_chosen_one(signed_in, teacher, world, learner):
    from stagewise.testing.factories import link_carer

    link_carer(world.other_learner, user=teacher)
    client = signed_in("teacher")
    assert {actor.role for actor in client.get("/").wsgi_request.available_actors} == {
        Role.CLASS_TEACHER,
        Role.PARENT_CARER,
    }

    client.post(reverse("accounts:switch_role"), {"actor": Role.PARENT_CARER})
    assert _actor(client).role == Role.PARENT_CARER

    LearnerCarer.objects.filter(carer__user=teacher).get().delete()

    assert _actor(client).role == Role.CLASS_TEACHER


def test_a_new_membership_is_offered_at_once(signed_in, teacher, world):
    client = signed_in("teacher")
    assert len(client.get("/").wsgi_request.available_actors) == 1

    MembershipFactory.create(user=teacher, role=Role.HEAD_TEACHER, setting=world.other_school)

    assert len(client.get("/").wsgi_request.available_actors) == 2


def test_a_school_renamed_is_named_so_in_the_header(signed_in, world):
    client = signed_in("teacher")
    assert "Riverside" in _actor(client).label

    world.school.name = "Riverside Academy"
    world.school.save()

    assert "Riverside Academy" in _actor(client).label


def test_an_administrator_ending_a_membership_ends_the_role(signed_in, administrator, teacher):
    # The configuration admin site shows memberships read-only (ADR 0008): they change through
    # the administration pages' services, whose saves the signals see like any other.
    from stagewise.accounts.actors import actors_for
    from stagewise.organisations.services import membership_end

    client = signed_in("teacher")
    assert _actor(client) is not None

    membership_end(
        actor=actors_for(administrator)[0],
        membership=Membership.objects.get(user=teacher),
        ended_on=timezone.localdate() - timedelta(days=1),
    )

    assert _actor(client) is None


def test_a_staff_member_who_removes_their_authenticator_app_must_set_one_up(signed_in, teacher):
    from allauth.mfa.models import Authenticator

    client = signed_in("teacher")
    assert client.get("/").status_code == 200

    Authenticator.objects.filter(user=teacher).delete()

    response = client.get("/")
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")
