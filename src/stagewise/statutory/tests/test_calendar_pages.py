"""The school calendar administration pages: an authority's terms and closures by academic year,
added, changed and deleted one at a time or loaded from a file; only for system administrators,
with every problem shown in the GOV.UK error summary and nothing half-saved."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.fixtures import Settings

from stagewise.accounts.models import User
from stagewise.organisations.models import LocalAuthority
from stagewise.statutory.models import CalendarPeriodKind, SchoolCalendarPeriod

pytestmark = pytest.mark.django_db

NOT_ADMINISTRATORS = [
    "teacher",
    "support_lead",
    "head",
    "authority_officer",
    "psychologist",
    "agency_practitioner",
    "parent",
    "young_person",
    "analyst",
    "outsider_teacher",
]


@pytest.fixture(autouse=True)
def _staff_need_no_authenticator_app(settings: Settings) -> None:
    settings.STAFF_TWO_FACTOR_REQUIRED = False


@pytest.fixture
def cardiff(db: None) -> LocalAuthority:
    return LocalAuthority.objects.get(name="Cardiff")


@pytest.fixture
def autumn(cardiff: LocalAuthority) -> SchoolCalendarPeriod:
    return SchoolCalendarPeriod.objects.get(
        authority=cardiff, academic_year="2025-26", kind="term", first_day=date(2025, 9, 1)
    )


def every_page(cardiff: LocalAuthority, period: SchoolCalendarPeriod) -> list[str]:
    return [
        reverse("organisations:calendar_detail", args=[cardiff.pk]),
        reverse("organisations:calendar_period_create", args=[cardiff.pk]),
        reverse("organisations:calendar_period_update", args=[period.pk]),
        reverse("organisations:calendar_period_delete", args=[period.pk]),
        reverse("organisations:calendar_upload"),
    ]


def date_fields(name: str, value: date) -> dict[str, str]:
    return {
        f"{name}_0": str(value.day),
        f"{name}_1": str(value.month),
        f"{name}_2": str(value.year),
    }


def period_form(**values: object) -> dict[str, str]:
    data = {
        "kind": CalendarPeriodKind.TERM,
        "setting": "",
        "academic_year": "2026-27",
        "description": "Autumn term",
        **date_fields("first_day", date(2026, 9, 1)),
        **date_fields("last_day", date(2026, 12, 18)),
    }
    data.update({key: str(value) for key, value in values.items()})
    return data


@pytest.fixture
def admin_client(client: Client, administrator: User) -> Client:
    client.force_login(administrator)
    return client


def test_every_calendar_page_renders_for_the_system_administrator(
    admin_client: Client, cardiff: LocalAuthority, autumn: SchoolCalendarPeriod
) -> None:
    for url in every_page(cardiff, autumn):
        assert admin_client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", NOT_ADMINISTRATORS)
def test_everyone_else_is_refused_every_calendar_page_and_cannot_post(
    who: str,
    request: pytest.FixtureRequest,
    client: Client,
    cardiff: LocalAuthority,
    autumn: SchoolCalendarPeriod,
) -> None:
    client.force_login(request.getfixturevalue(who))
    for url in every_page(cardiff, autumn):
        assert client.get(url).status_code == 403, url
        assert client.post(url, period_form()).status_code == 403, url
    assert SchoolCalendarPeriod.objects.filter(pk=autumn.pk).exists()
    assert not SchoolCalendarPeriod.objects.filter(academic_year="2026-27").exists()


def test_someone_not_signed_in_is_sent_to_sign_in(
    client: Client, cardiff: LocalAuthority, autumn: SchoolCalendarPeriod
) -> None:
    for url in every_page(cardiff, autumn):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login")), url


def test_an_unknown_authority_or_period_is_not_found(admin_client: Client) -> None:
    for url in (
        reverse("organisations:calendar_detail", args=[999_999]),
        reverse("organisations:calendar_period_update", args=[999_999]),
        reverse("organisations:calendar_period_delete", args=[999_999]),
    ):
        assert admin_client.get(url).status_code == 404, url


def test_the_calendar_page_lists_terms_and_closures_by_academic_year(
    admin_client: Client, cardiff: LocalAuthority
) -> None:
    page = admin_client.get(reverse("organisations:calendar_detail", args=[cardiff.pk]))
    content = page.content.decode()
    assert "Academic year 2025/26" in content
    assert "Autumn half-term" in content and "1 September 2025" in content
    authority_page = admin_client.get(reverse("organisations:authority_detail", args=[cardiff.pk]))
    assert (
        reverse("organisations:calendar_detail", args=[cardiff.pk])
        in authority_page.content.decode()
    )


def test_the_calendar_page_takes_as_many_queries_for_a_year_more(
    admin_client: Client, cardiff: LocalAuthority
) -> None:
    url = reverse("organisations:calendar_detail", args=[cardiff.pk])
    with CaptureQueriesContext(connection) as before:
        admin_client.get(url)
    admin_client.post(
        reverse("organisations:calendar_period_create", args=[cardiff.pk]), period_form()
    )
    with CaptureQueriesContext(connection) as after:
        admin_client.get(url)
    assert len(after) == len(before)


def test_an_administrator_adds_a_term(admin_client: Client, cardiff: LocalAuthority) -> None:
    response = admin_client.post(
        reverse("organisations:calendar_period_create", args=[cardiff.pk]), period_form()
    )
    assert response.status_code == 302
    term = SchoolCalendarPeriod.objects.get(authority=cardiff, academic_year="2026-27")
    assert (term.first_day, term.last_day) == (date(2026, 9, 1), date(2026, 12, 18))


def test_a_term_that_overlaps_another_is_shown_in_the_error_summary_and_not_saved(
    admin_client: Client, cardiff: LocalAuthority
) -> None:
    response = admin_client.post(
        reverse("organisations:calendar_period_create", args=[cardiff.pk]),
        period_form(
            academic_year="2025-26",
            **date_fields("first_day", date(2025, 12, 1)),
            **date_fields("last_day", date(2026, 1, 9)),
        ),
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "govuk-error-summary" in content
    assert "overlaps the term" in content
    assert not SchoolCalendarPeriod.objects.filter(first_day=date(2025, 12, 1)).exists()


def test_a_missing_date_is_a_field_error(admin_client: Client, cardiff: LocalAuthority) -> None:
    data = period_form()
    del data["first_day_0"], data["first_day_1"], data["first_day_2"]
    response = admin_client.post(
        reverse("organisations:calendar_period_create", args=[cardiff.pk]), data
    )
    assert "Enter the first day." in response.content.decode()


def test_an_administrator_changes_and_deletes_a_closure(
    admin_client: Client, cardiff: LocalAuthority
) -> None:
    closure = SchoolCalendarPeriod.objects.get(authority=cardiff, description="Spring half-term")
    response = admin_client.post(
        reverse("organisations:calendar_period_update", args=[closure.pk]),
        period_form(
            kind=CalendarPeriodKind.CLOSURE,
            academic_year="2025-26",
            description="Spring half-term (longer)",
            **date_fields("first_day", date(2026, 2, 16)),
            **date_fields("last_day", date(2026, 2, 23)),
        ),
    )
    assert response.status_code == 302
    closure.refresh_from_db()
    assert closure.last_day == date(2026, 2, 23)
    response = admin_client.post(reverse("organisations:calendar_period_delete", args=[closure.pk]))
    assert response.status_code == 302
    assert not SchoolCalendarPeriod.objects.filter(pk=closure.pk).exists()


def test_deleting_a_term_with_closures_inside_is_refused_with_a_message(
    admin_client: Client, autumn: SchoolCalendarPeriod
) -> None:
    response = admin_client.post(reverse("organisations:calendar_period_delete", args=[autumn.pk]))
    assert response.status_code == 200
    assert "outside every term" in response.content.decode()
    assert SchoolCalendarPeriod.objects.filter(pk=autumn.pk).exists()


def upload(client: Client, text: str) -> object:
    return client.post(
        reverse("organisations:calendar_upload"),
        {"file": SimpleUploadedFile("calendar.csv", text.encode(), content_type="text/csv")},
    )


HEADER = "authority,setting,academic_year,kind,first_day,last_day,description\n"


def test_an_uploaded_file_with_problems_lists_them_by_line_and_saves_nothing(
    admin_client: Client,
) -> None:
    response = upload(
        admin_client,
        HEADER
        + "Cardiff,,2026-27,term,2026-09-01,2026-12-18,Autumn term\n"
        + "Cardiff,,2026-27,term,2026-09-xx,2026-12-18,Typo\n",
    )
    content = response.content.decode()  # type: ignore[attr-defined]
    assert "govuk-error-summary" in content
    assert "Line 3:" in content and "is not a date" in content
    assert 'href="#id_file"' in content
    assert not SchoolCalendarPeriod.objects.filter(academic_year="2026-27").exists()


def test_an_uploaded_file_is_loaded(admin_client: Client) -> None:
    response = upload(admin_client, HEADER + "Cardiff,,2026-27,term,2026-09-01,2026-12-18,Autumn\n")
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert SchoolCalendarPeriod.objects.filter(academic_year="2026-27").count() == 1


def test_a_file_that_is_not_text_is_refused(admin_client: Client) -> None:
    response = upload(admin_client, "")
    assert "govuk-error-summary" in response.content.decode()  # type: ignore[attr-defined]
    bad = admin_client.post(
        reverse("organisations:calendar_upload"),
        {"file": SimpleUploadedFile("calendar.csv", b"\xff\xfe\x00bad", content_type="text/csv")},
    )
    assert "UTF-8" in bad.content.decode()
