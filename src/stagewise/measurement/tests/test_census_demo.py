"""The demo world's census returns pass their own checks: Riverside Primary's (Glasgow) pupil
census additional support needs items, and Ysgol Gymraeg Glan Taf's (Cardiff) PLASC items, each
made by the school's support-for-learning lead, and Glasgow City's by its officer."""

import pytest
from django.db import transaction
from django.utils import timezone

from stagewise.accounts.actors import actors_for
from stagewise.accounts.models import User
from stagewise.measurement.census import census_return_get, census_scope, default_census_day
from stagewise.synthetic.demo import DEMO_DOMAIN, build_demo_world

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_demo_world(seed=2026)
        transaction.set_rollback(True)


def census_return_of(account: str):
    actor = actors_for(User.objects.get(email=f"{account}@{DEMO_DOMAIN}"))[0]
    scope = census_scope(actor)
    return census_return_get(
        actor=actor, scope=scope, census_day=default_census_day(scope, timezone.localdate())
    )


@pytest.mark.parametrize("account", ["support-lead", "alnco", "authority-officer"])
def test_the_demo_schools_census_returns_pass_their_own_checks(world, account):
    census_return = census_return_of(account)

    assert [(p.learner_name, p.what) for p in census_return.problems] == []
    assert census_return.ready
    assert census_return.rows
