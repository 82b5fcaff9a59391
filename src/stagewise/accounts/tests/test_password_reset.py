"""Password reset: a link by email that works once, and a request that never says whether an
account exists."""

import re
import smtplib

import pytest
from django.core import mail
from django.test import Client

from stagewise.testing.factories import UserFactory

NEW_PASSWORD = "a-new-long-passphrase-2026"
RESET_PAGE = "/accounts/password/reset/"


def request_reset(client: Client, email: str):
    return client.post(RESET_PAGE, {"email": email}, follow=True)


def without_csrf_tokens(html: str) -> str:
    """Each page carries a freshly masked CSRF token and new submission keys; everything else
    must be the same."""
    return re.sub(r'name="(csrfmiddlewaretoken|submission_key)" value="[^"]+"', "", html)


def reset_link(message: mail.EmailMessage) -> str:
    match = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", str(message.body))
    assert match, message.body
    return match.group(1)


@pytest.mark.django_db
def test_a_known_and_an_unknown_address_get_the_same_answer():
    UserFactory.create(email="known@example.org")

    known = request_reset(Client(), "known@example.org")
    unknown = request_reset(Client(), "nobody-here@example.org")

    assert known.redirect_chain == unknown.redirect_chain
    assert known.status_code == unknown.status_code == 200
    assert without_csrf_tokens(known.content.decode()) == without_csrf_tokens(
        unknown.content.decode()
    )
    assert "Check your email" in known.content.decode()
    # Only the account holder is written to; nobody is told an address has no account.
    assert [message.to for message in mail.outbox] == [["known@example.org"]]


@pytest.mark.django_db
def test_the_emailed_link_lets_the_person_choose_a_new_password_once():
    UserFactory.create(email="known@example.org")
    client = Client()
    request_reset(client, "known@example.org")
    (message,) = mail.outbox
    assert message.subject == "Reset your Stagewise password"
    link = reset_link(message)

    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        follow=True,
    )

    assert "Your password has been changed" in done.content.decode()
    signed_in = Client().post(
        "/accounts/login/", {"login": "known@example.org", "password": NEW_PASSWORD}
    )
    assert signed_in.status_code == 302 and signed_in["Location"] == "/"
    used_again = Client().get(link, follow=True)
    assert "This link has expired or has been used" in used_again.content.decode()


@pytest.mark.django_db
def test_the_new_password_must_follow_the_password_rules():
    UserFactory.create(email="known@example.org")
    client = Client()
    request_reset(client, "known@example.org")
    form = client.get(reset_link(mail.outbox[0]), follow=True)

    refused = client.post(form.redirect_chain[-1][0], {"password1": "short", "password2": "short"})

    assert refused.status_code == 200
    assert "There is a problem" in refused.content.decode()


@pytest.mark.django_db
def test_the_email_is_in_the_account_holders_language():
    UserFactory.create(email="cymraeg@example.org", preferred_language="cy")

    request_reset(Client(), "cymraeg@example.org")

    (message,) = mail.outbox
    assert message.subject == "Ailosod eich cyfrinair Stagewise"
    assert "Mae'n gweithio unwaith, am awr" in message.body


@pytest.mark.django_db
def test_the_sign_in_page_links_to_password_reset():
    page = Client().get("/accounts/login/").content.decode()

    assert f'href="{RESET_PAGE}"' in page
    assert "Forgotten your password?" in page


class UnreachableMailServer:
    """A mail backend whose server never answers."""

    def __init__(self, **options: object) -> None:
        pass

    def send_messages(self, messages: list[mail.EmailMessage]) -> int:
        raise smtplib.SMTPConnectError(421, "no server")


@pytest.mark.django_db
def test_a_mail_server_that_cannot_be_reached_does_not_reveal_the_account(settings, caplog):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.UnreachableMailServer"}}
    UserFactory.create(email="known@example.org")

    known = request_reset(Client(), "known@example.org")
    unknown = request_reset(Client(), "nobody-here@example.org")

    assert known.status_code == unknown.status_code == 200
    assert known.redirect_chain == unknown.redirect_chain
    assert "Could not send the account/email/password_reset_key email" in caplog.text
    assert "known@example.org" not in caplog.text


@pytest.mark.django_db
def test_under_demo_settings_the_reset_goes_to_the_console_and_the_page_is_no_error(
    settings, capsys
):
    settings.DEBUG = False
    settings.DEMO_MODE = True
    settings.MAILERS = {"default": {"BACKEND": "stagewise.accounts.mail.ReadableConsoleBackend"}}
    UserFactory.create(email="known@example.org")
    client = Client(raise_request_exception=False)

    response = request_reset(client, "known@example.org")

    assert response.status_code == 200
    assert "Check your email" in response.content.decode()
    assert "/accounts/password/reset/key/" not in response.content.decode()
    # The link on the console is whole (not cut by the email's line encoding) and works.
    printed = re.search(
        r"http://testserver(/accounts/password/reset/key/\S+/)\n", capsys.readouterr().out
    )
    assert printed
    assert "Choose a new password" in client.get(printed.group(1), follow=True).content.decode()
