"""Sessions expire after inactivity; each person's language follows them."""

import time
from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stagewise.accounts.middleware import SESSION_REFRESH_SECONDS, SESSION_REFRESHED_KEY


def test_sessions_expire_after_a_period_of_inactivity():
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_MINUTES * 60


def _session_writes(client, path="/"):
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return [q["sql"] for q in queries if "django_session" in q["sql"] and "SELECT" not in q["sql"]]


def test_a_request_a_minute_after_the_last_pushes_the_expiry_on(signed_in):
    client = signed_in("teacher")
    session = client.session
    session[SESSION_REFRESHED_KEY] = int(time.time()) - SESSION_REFRESH_SECONDS
    session.save()
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() + timedelta(minutes=1)
    )

    assert _session_writes(client)

    expires = Session.objects.get(session_key=session.session_key).expire_date
    idle = timedelta(minutes=settings.SESSION_IDLE_MINUTES)
    assert expires > timezone.now() + idle - timedelta(seconds=5)


def test_requests_within_the_minute_of_signing_in_do_not_write_the_session(signed_in):
    client = signed_in("teacher")

    assert _session_writes(client) == []
    assert _session_writes(client, reverse("learners:list")) == []


def test_a_visitor_or_someone_signed_out_gets_no_session_written(db, client, signed_in):
    assert _session_writes(client, reverse("account_login")) == []

    signed_out = signed_in("teacher")
    signed_out.post(reverse("account_logout"))

    assert _session_writes(signed_out, reverse("account_login")) == []
    assert "sessionid" not in signed_out.cookies or not signed_out.cookies["sessionid"].value


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
