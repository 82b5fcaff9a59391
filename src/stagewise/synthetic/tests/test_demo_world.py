"""The demo world: the sign-ins the README lists, and the same world on every machine."""

import re
from pathlib import Path

import pytest

from stagewise.accounts.actors import actors_for
from stagewise.accounts.models import User
from stagewise.learners.access import visible_learners
from stagewise.learners.models import Learner, StageDecision
from stagewise.synthetic.demo import build_demo_world

README = Path(__file__).resolve().parents[4] / "README.md"

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_demo_world(seed=2026)


def test_every_sign_in_in_the_readme_exists_and_has_a_role(world):
    listed = set(re.findall(r"`([a-z-]+@demo\.stagewise\.test)`", README.read_text()))

    assert listed == {sign_in.email for sign_in in world.sign_ins}
    for email in listed:
        assert actors_for(User.objects.get(email=email)), email


def test_the_demo_has_about_two_hundred_learners_with_families(world):
    assert 180 <= Learner.objects.count() <= 220
    assert not Learner.objects.filter(carer_links__isnull=True).exists()


def test_each_staff_sign_in_sees_learners_and_the_analyst_and_administrator_see_none(world):
    counts = {
        sign_in.email.split("@")[0]: visible_learners(
            actors_for(User.objects.get(email=sign_in.email))[0]
        ).count()
        for sign_in in world.sign_ins
    }

    assert counts["analyst"] == 0 and counts["administrator"] == 0
    assert counts["parent"] == 2 and counts["young-person"] == 1
    for name in [
        "teacher",
        "support-lead",
        "head",
        "authority-officer",
        "psychologist",
        "speech-therapist",
        "alnco",
    ]:
        assert counts[name] > 0, name


def test_the_parents_child_has_a_stage_history_to_show(world):
    parent = User.objects.get(email="parent@demo.stagewise.test")
    child = visible_learners(actors_for(parent)[0]).order_by("pk").first()

    assert StageDecision.objects.filter(learner=child).count() >= 3


def test_a_second_build_into_a_database_with_learners_is_refused(world):
    with pytest.raises(RuntimeError, match="empty"):
        build_demo_world(seed=2026)
