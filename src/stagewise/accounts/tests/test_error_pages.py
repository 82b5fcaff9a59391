"""Error pages are GOV.UK pages in the person's language that say what to do next."""

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import path
from django.utils import translation
from django.views.defaults import server_error

import stagewise.urls


def failing_view(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("something broke")


# Used by the 500 test through pytest.mark.urls: the real addresses plus one that fails.
urlpatterns = [path("fails/", failing_view), *stagewise.urls.urlpatterns]
handler400 = stagewise.urls.handler400


def client_in(language: str, **options) -> Client:
    client = Client(**options)
    client.cookies.load({"stagewise_language": language})
    return client


def is_a_govuk_page(html: str) -> bool:
    return 'class="govuk-template"' in html and "govuk-frontend.min.css" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading"), [("en", "Page not found"), ("cy", "Heb ddod o hyd i'r dudalen")]
)
def test_a_missing_page_is_a_govuk_page_in_the_persons_language(language, heading):
    response = client_in(language).get("/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert is_a_govuk_page(html) and heading in html and f'lang="{language}"' in html


def test_a_refusal_is_in_the_language_of_a_welsh_speaking_account(signed_in, parent):
    parent.preferred_language = "cy"
    parent.save()

    response = signed_in("parent").get("/learners/")

    assert response.status_code == 403
    assert "Nid oes gennych ganiatâd" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading"),
    [("en", "Your form could not be sent"), ("cy", "Nid oedd modd anfon eich ffurflen")],
)
def test_a_form_without_a_valid_security_token_gets_a_page_saying_what_to_do(language, heading):
    client = client_in(language, enforce_csrf_checks=True)

    response = client.post("/me/language/", {"language": "en"})

    assert response.status_code == 403
    html = response.content.decode()
    assert is_a_govuk_page(html) and heading in html
    assert "CSRF" not in html


@pytest.mark.parametrize(
    ("language", "heading"),
    [("en", "What you sent is too large"), ("cy", "Mae'r hyn a anfonoch yn rhy fawr")],
)
def test_a_form_too_large_to_accept_gets_a_page_saying_what_to_do(
    signed_in, teacher, learner, settings, language, heading
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    teacher.preferred_language = language
    teacher.save()
    client = signed_in("teacher")

    response = client.post(
        f"/learners/{learner.public_id}/chronology/add/",
        {"entry_type": "health", "summary": "x" * 20_000, "source": "School nurse"},
    )

    assert response.status_code == 413
    html = response.content.decode()
    assert is_a_govuk_page(html) and heading in html
    assert not learner.chronology.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("en", "Sorry, your request could not be understood"),
        ("cy", "Mae'n ddrwg gennym, nid oedd modd deall eich cais"),
    ],
)
def test_a_malformed_request_gets_the_400_page(language, heading):
    response = client_in(language).get("/", headers={"host": "not-our-site.example"})

    assert response.status_code == 400
    html = response.content.decode()
    assert is_a_govuk_page(html) and heading in html


@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("en", "Sorry, there is a problem with the service"),
        ("cy", "Mae'n ddrwg gennym, mae problem gyda'r gwasanaeth"),
    ],
)
def test_the_500_page_renders_without_a_database_or_a_request_context(language, heading):
    # No `db` fixture: any database query here fails the test.
    with translation.override(language):
        response = server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    html = response.content.decode()
    assert is_a_govuk_page(html) and heading in html and f'lang="{language}"' in html


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_an_unexpected_error_shows_the_500_page_in_the_persons_language():
    response = client_in("cy", raise_request_exception=False).get("/fails/")

    assert response.status_code == 500
    html = response.content.decode()
    assert "Mae'n ddrwg gennym, mae problem gyda'r gwasanaeth" in html
    assert "something broke" not in html


@pytest.mark.django_db
def test_too_many_attempts_get_a_page_in_the_persons_language(settings):
    settings.ACCOUNT_RATE_LIMITS = {"login": "1/m/ip"}
    client = client_in("cy")
    client.post("/accounts/login/", {"login": "someone@example.org", "password": "wrong"})

    response = client.post("/accounts/login/", {"login": "someone@example.org", "password": "x"})

    assert response.status_code == 429
    html = response.content.decode()
    assert is_a_govuk_page(html) and "Mae'n ddrwg gennym, bu gormod o ymdrechion" in html
