"""Sessions expire after inactivity; each person's language follows them."""

from django.conf import settings
from django.urls import reverse


def test_sessions_expire_after_a_period_of_inactivity():
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_MINUTES * 60


def test_choosing_welsh_is_remembered_on_the_account(signed_in, teacher):
    client = signed_in("teacher")

    response = client.post(reverse("accounts:language"), {"language": "cy", "next": "/"})

    assert response.status_code == 302
    teacher.refresh_from_db()
    assert teacher.preferred_language == "cy"
    assert '<html lang="cy"' in client.get("/").content.decode()


def test_a_stored_preference_applies_on_a_new_device(client, teacher):
    teacher.preferred_language = "cy"
    teacher.save()
    client.force_login(teacher)

    assert '<html lang="cy"' in client.get("/").content.decode()


def test_an_unknown_language_falls_back_to_english(signed_in, teacher):
    signed_in("teacher").post(reverse("accounts:language"), {"language": "xx"})

    teacher.refresh_from_db()
    assert teacher.preferred_language == "en"


def test_the_language_switch_never_redirects_off_site(signed_in):
    response = signed_in("teacher").post(
        reverse("accounts:language"), {"language": "en", "next": "https://evil.example/"}
    )

    assert response.url == "/"


def test_a_person_with_two_roles_can_switch_between_them(signed_in, teacher, world, learner):
    from stagewise.organisations.models import Role
    from stagewise.testing.factories import MembershipFactory

    MembershipFactory.create(user=teacher, role=Role.CLASS_TEACHER, setting=world.other_school)
    client = signed_in("teacher")
    other_key = next(
        f"membership:{m.pk}" for m in teacher.memberships.filter(setting=world.other_school)
    )

    client.post(reverse("accounts:switch_role"), {"actor": other_key})

    # Acting for the other school, the teacher's Riverside learner is out of reach.
    assert client.get(reverse("learners:profile", args=[learner.public_id])).status_code == 404


def test_switching_to_a_role_someone_does_not_hold_is_ignored(signed_in, learner):
    client = signed_in("teacher")

    client.post(reverse("accounts:switch_role"), {"actor": "membership:999999"})

    assert client.get(reverse("learners:profile", args=[learner.public_id])).status_code == 200
