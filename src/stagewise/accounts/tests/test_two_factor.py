"""Staff must use an authenticator app; parents and young people may; demo mode says when not."""

import pytest
from django.urls import reverse

from stagewise.organisations.models import Role
from stagewise.testing.factories import MembershipFactory, UserFactory


@pytest.fixture
def new_teacher(world):
    user = UserFactory.create(email="new-teacher@example.org")
    MembershipFactory.create(user=user, role=Role.CLASS_TEACHER, setting=world.school)
    return user


def test_staff_without_an_authenticator_are_sent_to_set_one_up(client, new_teacher):
    client.force_login(new_teacher)

    for path in ["/", reverse("learners:list"), reverse("accounts:settings")]:
        response = client.get(path)
        assert response.status_code == 302
        assert response.url == reverse("mfa_activate_totp")


def test_the_set_up_page_itself_is_reachable_straight_after_signing_in(client, new_teacher):
    from stagewise.testing.factories import TEST_PASSWORD

    client.post(reverse("account_login"), {"login": new_teacher.email, "password": TEST_PASSWORD})

    response = client.get(reverse("mfa_activate_totp"))

    assert response.status_code == 200
    assert "Set up an authenticator app" in response.content.decode()


def test_staff_with_an_authenticator_work_normally(signed_in):
    assert signed_in("teacher").get("/").status_code == 200


def test_parents_are_not_made_to_use_two_factor(signed_in):
    assert signed_in("parent").get("/").status_code == 200


def test_demo_mode_lifts_the_requirement_and_says_so_on_every_page(client, new_teacher, settings):
    settings.STAFF_TWO_FACTOR_REQUIRED = False
    settings.DEMO_MODE = True
    client.force_login(new_teacher)

    for path in ["/", reverse("learners:list"), reverse("accounts:settings")]:
        response = client.get(path)
        assert response.status_code == 200
        assert "Two-factor authentication is not required" in response.content.decode()


def test_outside_demo_mode_no_page_claims_to_be_a_demo(signed_in):
    assert "Demo" not in signed_in("teacher").get("/").content.decode()


def test_signing_in_with_a_password_alone_asks_for_the_authenticator_code(client, teacher):
    from stagewise.testing.factories import TEST_PASSWORD

    response = client.post(
        reverse("account_login"), {"login": teacher.email, "password": TEST_PASSWORD}
    )

    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    assert "Enter your authenticator code" in client.get(response.url).content.decode()
    assert client.get("/").status_code == 302  # not signed in until the code is given


def test_repeated_wrong_passwords_are_rate_limited(client, teacher):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": teacher.email, "password": "wrong"})

    response = client.post(reverse("account_login"), {"login": teacher.email, "password": "wrong"})

    assert "Too many failed login attempts" in response.content.decode()
