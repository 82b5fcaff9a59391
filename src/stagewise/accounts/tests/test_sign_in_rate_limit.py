"""Sign-in attempts are limited per account, never per address: a school signs in through one
address, and other people's mistakes there must not lock anyone out."""

import pytest
from django.test import Client

from stagewise.testing.factories import TEST_PASSWORD, UserFactory

SCHOOL_ADDRESS = "203.0.113.7"


def sign_in(email: str, password: str):
    return Client(REMOTE_ADDR=SCHOOL_ADDRESS).post(
        "/accounts/login/", {"login": email, "password": password}
    )


def signed_in_successfully(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/"


@pytest.mark.django_db
def test_a_correct_password_works_after_many_colleagues_at_the_same_address_mistyped():
    colleagues = UserFactory.create_batch(40)
    me = UserFactory.create(email="me@example.org")

    for colleague in colleagues:
        failed = sign_in(colleague.email, "not-my-password")
        assert failed.status_code == 200  # the form again, with the error

    assert signed_in_successfully(sign_in(me.email, TEST_PASSWORD))


@pytest.mark.django_db
def test_five_wrong_passwords_for_one_account_still_hold_that_account_back():
    me = UserFactory.create(email="me@example.org")
    for _attempt in range(5):
        sign_in(me.email, "a-guess-at-it")

    refused = sign_in(me.email, TEST_PASSWORD)

    assert not signed_in_successfully(refused)
    assert "Too many failed login attempts" in refused.content.decode()
    # Someone else at the same address is not affected.
    other = UserFactory.create(email="other@example.org")
    assert signed_in_successfully(sign_in(other.email, TEST_PASSWORD))
