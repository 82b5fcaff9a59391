"""Tracking the national action plans: a policy officer (for the Scottish Government, who tracks
every action, or for a partner body, who tracks the actions naming their body) adds dated
progress updates, changes an action's status with a reason, links evidence (web addresses) and
measures of the framework; each action's page shows its history; an action past the end of its
timeframe and not complete is overdue and waits on the responsible body's officer's home page.
Every other role is told the pages do not exist (404). Bad input is refused with a message and
nothing is saved.

The world (built once for this module): the published plans loaded; `government_officer` works
for the Scottish Government, `board_officer` for the ASL Project Board (responsible for LI 9 and
LI 30, not LI 1), `ades_officer` for ADES (6.1.5, not LI 9); one member of every other role.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stagewise.accounts.actors import actors_for
from stagewise.accounts.models import User
from stagewise.actionplans.models import (
    Action,
    ActionMeasure,
    ActionStatus,
    Evidence,
    ProgressUpdate,
    StatusChange,
)
from stagewise.actionplans.services import (
    action_measure_link,
    action_status_change,
    evidence_add,
    progress_update_add,
    published_plans_load,
)
from stagewise.audit.models import AuditEvent
from stagewise.conftest import staff_member
from stagewise.measurement.models import Measure
from stagewise.organisations.models import NationalBody, Role, Setting
from stagewise.policy import SYSTEM, CapabilityRequired
from stagewise.testing.factories import (
    AgencyFactory,
    SettingFactory,
    authority,
)
from stagewise.testing.files import PNG_BYTES, pdf_upload, upload
from stagewise.testing.people import NamedPeople, people_of_every_other_role
from stagewise.testing.worlds import built_once_per_module
from stagewise.testing.writes import tables_written

pytestmark = pytest.mark.django_db

POLICY_OFFICERS = ("government_officer", "board_officer", "ades_officer")


@dataclass
class TrackingWorld(NamedPeople):
    school: Setting


def action(number: str) -> Action:
    return Action.objects.get(number=number)


def _officer(email: str, body: str) -> User:
    return staff_member(
        email, Role.POLICY_OFFICER, national_body=NationalBody.objects.get(code=body)
    )


def _build() -> TrackingWorld:
    published_plans_load(actor=SYSTEM)
    glasgow = authority("Glasgow City")
    school = SettingFactory.create(authority=glasgow, name="Riverside Primary School")
    agency = AgencyFactory.create(authority=glasgow, name="Glasgow Speech and Language Therapy")
    users = {
        "government_officer": _officer("sg@example.org", "scottish-government"),
        "board_officer": _officer("board@example.org", "asl-project-board"),
        "ades_officer": _officer("ades@example.org", "ades"),
        "authority_officer": staff_member(
            "officer@example.org", Role.LOCAL_AUTHORITY_OFFICER, authority=glasgow
        ),
        **people_of_every_other_role(school, agency),
    }
    return TrackingWorld(users=users, school=school)


@pytest.fixture(scope="module")
def built(django_db_setup: None, django_db_blocker: Any) -> Iterator[TrackingWorld]:
    with built_once_per_module(_build, django_db_blocker) as world:
        yield world


EVERY_ACTOR = [
    "government_officer",
    "board_officer",
    "ades_officer",
    "teacher",
    "support_lead",
    "head",
    "authority_officer",
    "psychologist",
    "data_protection_officer",
    "agency_practitioner",
    "service_manager",
    "analyst",
    "administrator",
    "parent",
    "young_person",
]
FORMS = ("progress_update", "status_change", "evidence", "measure_link")
# Who may use each action's forms: the government's officer every action, a partner body's
# officer the actions that name their body.
TRACKS = {
    "LI 1": {"government_officer"},
    "LI 9": {"government_officer", "board_officer"},
    "6.1.5": {"government_officer", "board_officer", "ades_officer"},
}


def test_every_role_is_in_the_matrix(built):
    roles = {actor.role for name in EVERY_ACTOR for actor in actors_for(built.users[name])}

    assert roles == set(Role.values)


@pytest.mark.parametrize("name", EVERY_ACTOR)
def test_every_role_against_every_staff_page_of_the_action_plans(built, name):
    client = built.client(name)
    officer = name in POLICY_OFFICERS
    assert client.get(reverse("action_plans:index")).status_code == (200 if officer else 404)
    for number, trackers in TRACKS.items():
        action_id = action(number).pk
        page = client.get(reverse("action_plans:action", args=[action_id]))
        assert page.status_code == (200 if officer else 404), (name, number)
        for form in FORMS:
            expected = 200 if name in trackers else 404
            url = reverse(f"action_plans:{form}", args=[action_id])
            assert client.get(url).status_code == expected, (name, number, form)
            assert client.post(url, {}).status_code in ({200} if name in trackers else {404}), (
                name,
                number,
                form,
            )
    assert not ProgressUpdate.objects.filter(recorded_by__isnull=False).exists()


def test_a_signed_out_visitor_is_sent_to_sign_in(built, client):
    response = client.get(reverse("action_plans:index"))

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_unknown_action_is_not_found(built):
    response = built.client("government_officer").get(reverse("action_plans:action", args=[0]))

    assert response.status_code == 404


# Progress updates --------------------------------------------------------------------------------


def test_the_board_officer_adds_a_dated_update_to_li_9_and_it_heads_the_history(built):
    client = built.client("board_officer")
    li_9 = action("LI 9")
    day = timezone.localdate() - timedelta(days=3)

    response = client.post(
        reverse("action_plans:progress_update", args=[li_9.pk]),
        {
            "written_on_0": day.day,
            "written_on_1": day.month,
            "written_on_2": day.year,
            "text": "The framework is being tested in three authorities.",
        },
    )

    assert response.status_code == 302
    update = li_9.updates.get(published_in__isnull=True)
    assert (update.written_on, update.recorded_by) == (day, built.users["board_officer"])
    page = client.get(reverse("action_plans:action", args=[li_9.pk])).content.decode()
    assert page.index("three authorities") < page.index("Since November 2021")
    assert "Board, Policy officer, ASL Project Board" in page
    event = AuditEvent.objects.get(object_type="action_plan_action", object_id=str(li_9.pk))
    assert (event.action, event.role) == ("create", Role.POLICY_OFFICER)


def test_an_update_dated_in_the_future_is_refused_and_nothing_is_saved(built):
    li_9 = action("LI 9")
    tomorrow = timezone.localdate() + timedelta(days=1)

    response = built.client("board_officer").post(
        reverse("action_plans:progress_update", args=[li_9.pk]),
        {
            "written_on_0": tomorrow.day,
            "written_on_1": tomorrow.month,
            "written_on_2": tomorrow.year,
            "text": "Next week's news.",
        },
    )

    assert response.status_code == 200
    assert "Date of the update cannot be in the future." in response.content.decode()
    assert not li_9.updates.filter(published_in__isnull=True).exists()


def test_an_empty_update_is_refused_with_what_to_fix(built):
    response = built.client("board_officer").post(
        reverse("action_plans:progress_update", args=[action("LI 9").pk]), {}
    )

    page = response.content.decode()
    assert "Enter the date of the update." in page and "Enter the progress update." in page


# Status changes ----------------------------------------------------------------------------------


def test_marking_6_1_5_complete_needs_a_reason_and_is_kept_in_the_history(built):
    client = built.client("ades_officer")
    item = action("6.1.5")
    url = reverse("action_plans:status_change", args=[item.pk])

    refused = client.post(url, {"status": "complete", "reason": "  "})
    accepted = client.post(
        url, {"status": "complete", "reason": "Mediation information is on every council site."}
    )

    assert "Enter the reason for changing the status." in refused.content.decode()
    assert accepted.status_code == 302
    item.refresh_from_db()
    assert item.status == ActionStatus.COMPLETE
    change = StatusChange.objects.get(action=item)
    assert (change.from_status, change.to_status, change.changed_on) == (
        "ongoing",
        "complete",
        timezone.localdate(),
    )
    page = client.get(reverse("action_plans:action", args=[item.pk])).content.decode()
    assert "From Ongoing to Complete." in page
    assert "Mediation information is on every council site." in page


def test_a_status_change_to_the_same_status_or_an_unknown_one_is_refused(built):
    actor = built.actor("government_officer")
    item = action("6.1.1")  # ongoing, as published

    with pytest.raises(Exception, match="already has that status"):
        action_status_change(actor=actor, action=item, status="ongoing", reason="Still going.")
    response = built.client("government_officer").post(
        reverse("action_plans:status_change", args=[item.pk]),
        {"status": "finished", "reason": "Done."},
    )

    assert "Choose the action&#x27;s new status." in response.content.decode()
    assert not StatusChange.objects.exists()


# Evidence and measures ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    ["ftp://example.org/report.pdf", "javascript:alert(1)", "www.gov.scot/report", "file:///etc"],
)
def test_evidence_that_is_not_a_web_address_is_refused(built, address):
    response = built.client("board_officer").post(
        reverse("action_plans:evidence", args=[action("LI 9").pk]),
        {"title": "A report", "web_address": address},
    )

    assert response.status_code == 200
    assert "Enter a web address that starts with https:// or http://" in response.content.decode()
    assert not Evidence.objects.exists()


def test_evidence_at_a_web_address_is_linked_and_shown(built):
    client = built.client("board_officer")
    li_9 = action("LI 9")

    client.post(
        reverse("action_plans:evidence", args=[li_9.pk]),
        {"title": "Project Board minutes", "web_address": "https://www.gov.scot/minutes"},
    )

    page = client.get(reverse("action_plans:action", args=[li_9.pk])).content.decode()
    assert 'href="https://www.gov.scot/minutes"' in page and "Project Board minutes" in page


def test_a_pdf_is_linked_as_evidence_and_downloaded_by_policy_officers_alone(built):
    li_9 = action("LI 9")
    built.client("board_officer").post(
        reverse("action_plans:evidence", args=[li_9.pk]),
        {"title": "Framework draft", "upload": pdf_upload("framework draft.pdf")},
    )
    evidence = Evidence.objects.get(action=li_9)
    url = reverse("action_plans:evidence_file", args=[li_9.pk, evidence.pk])

    for name in EVERY_ACTOR:
        response = built.client(name).get(url)
        if name in POLICY_OFFICERS:
            assert response.status_code == 200, name
            assert response["Content-Type"] == "application/pdf"
            assert response["X-Content-Type-Options"] == "nosniff"
            assert 'attachment; filename="framework draft.pdf"' in response["Content-Disposition"]
        else:
            assert response.status_code == 404, name
    page = built.client("ades_officer").get(reverse("action_plans:action", args=[li_9.pk]))
    assert f'href="{url}"' in page.content.decode()
    assert (
        AuditEvent.objects.filter(object_type="action_plan_evidence", action="export").count() == 3
    )


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: upload("notes.txt", b"plain words", "text/plain"), "is not a type of file"),
        (lambda: upload("report.pdf", PNG_BYTES, "application/pdf"), "does not match its name"),
    ],
)
def test_a_file_of_a_type_stagewise_does_not_accept_is_refused(built, upload, message):
    response = built.client("board_officer").post(
        reverse("action_plans:evidence", args=[action("LI 9").pk]),
        {"title": "A file", "upload": upload()},
    )

    assert message in response.content.decode()
    assert not Evidence.objects.exists()


def test_evidence_is_a_web_address_or_a_file_not_both_nor_neither(built):
    url = reverse("action_plans:evidence", args=[action("LI 9").pk])
    client = built.client("board_officer")

    neither = client.post(url, {"title": "Nothing"})
    both = client.post(
        url, {"title": "Both", "web_address": "https://example.org/", "upload": pdf_upload()}
    )

    assert "Enter the web address of the evidence, or attach a file." in neither.content.decode()
    assert "not both and not neither" in both.content.decode()
    assert not Evidence.objects.exists()


def test_a_measure_of_the_framework_is_linked_to_li_30_once(built):
    client = built.client("board_officer")
    li_30 = action("LI 30")
    attendance = Measure.objects.get(code="attendance_rate")
    url = reverse("action_plans:measure_link", args=[li_30.pk])

    client.post(url, {"measure": attendance.pk})
    again = client.post(url, {"measure": attendance.pk})

    assert ActionMeasure.objects.filter(action=li_30, measure=attendance).count() == 1
    assert "Choose a measure from the list." in again.content.decode()
    page = client.get(reverse("action_plans:action", args=[li_30.pk])).content.decode()
    assert attendance.name in page


def test_a_welsh_measure_is_not_linked_to_a_scottish_action(built):
    welsh = Measure.objects.filter(nation__code="wales").first()
    if welsh is None:
        pytest.skip("the framework has no Wales-only measure")

    with pytest.raises(Exception, match="this plan's nation"):
        action_measure_link(
            actor=built.actor("board_officer"), action=action("LI 30"), measure=welsh
        )


# Who may track what, called directly -------------------------------------------------------------


@pytest.mark.parametrize(("name", "number"), [("board_officer", "LI 1"), ("ades_officer", "LI 9")])
def test_a_partner_bodys_officer_cannot_track_another_bodys_action_even_without_the_forms(
    built, name, number
):
    actor = built.actor(name)
    item = action(number)

    with tables_written() as written:
        for write in (
            lambda: progress_update_add(
                actor=actor, action=item, written_on=date(2025, 1, 6), text="Progress."
            ),
            lambda: action_status_change(actor=actor, action=item, status="complete", reason="x"),
            lambda: evidence_add(
                actor=actor, action=item, title="A report", web_address="https://example.org/"
            ),
        ):
            with pytest.raises(CapabilityRequired):
                write()

    assert written == set()


# Overdue -----------------------------------------------------------------------------------------


def test_an_action_past_its_timeframe_and_not_complete_is_overdue(built):
    today = date(2026, 12, 1)

    assert action("LI 9").is_overdue(today)  # Spring 2023, no status stated
    assert not action("LI 9").is_overdue(date(2023, 5, 31))  # the last day of spring
    assert not action("6.1.1").is_overdue(today)  # no timeframe published
    li_1 = action("LI 1")
    li_1.status = ActionStatus.COMPLETE
    assert not li_1.is_overdue(today)
    li_1.status = ActionStatus.SUPERSEDED
    assert not li_1.is_overdue(today)


def test_the_boards_overdue_actions_wait_on_its_officers_home_until_marked_complete(built):
    client = built.client("board_officer")
    home = client.get(reverse("home")).content.decode()
    board_overdue = {"LI 8", "LI 9", "LI 11", "LI 30"}  # Autumn 2024, Spring 2023, March 2024

    for number in board_overdue:
        assert f">{number}</a>" in home
    assert ">LI 1</a>" not in home  # the government's
    action_status_change(
        actor=built.actor("board_officer"),
        action=action("LI 9"),
        status="complete",
        reason="The framework was published.",
    )
    assert ">LI 9</a>" not in client.get(reverse("home")).content.decode()


def test_the_government_officers_home_lists_the_governments_overdue_actions(built):
    home = built.client("government_officer").get(reverse("home")).content.decode()

    for number in ("LI 1", "LI 14", "LI 23"):  # By end 2024, June 2023, By end 2024
        assert f">{number}</a>" in home
    assert ">LI 9</a>" not in home  # the Project Board's


def test_the_plans_page_marks_overdue_actions(built):
    page = built.client("ades_officer").get(reverse("action_plans:index")).content.decode()

    assert (
        page.count(">Overdue</strong>")
        == Action.objects.filter(timeframe_ends_on__lt=timezone.localdate())
        .exclude(status__in=["complete", "superseded"])
        .count()
    )


# Cost --------------------------------------------------------------------------------------------


def test_the_plans_page_and_an_actions_page_cost_the_same_however_much_is_recorded(built):
    client = built.client("government_officer")
    li_9 = action("LI 9")

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    index = reverse("action_plans:index")
    detail = reverse("action_plans:action", args=[li_9.pk])
    before = (queries(index), queries(detail))
    actor = built.actor("government_officer")
    for item in Action.objects.all()[:10]:
        progress_update_add(actor=actor, action=item, written_on=date(2025, 1, 6), text="More.")
    for code in ("attendance_rate", "exclusions_per_thousand"):
        action_measure_link(actor=actor, action=li_9, measure=Measure.objects.get(code=code))
    evidence_add(actor=actor, action=li_9, title="Minutes", web_address="https://example.org/")
    action_status_change(actor=actor, action=li_9, status="ongoing", reason="Testing begun.")

    assert (queries(index), queries(detail)) == before


# Welsh -------------------------------------------------------------------------------------------


def test_in_welsh_the_pages_are_welsh_and_the_published_words_stay_english_and_say_so(built):
    officer = built.users["board_officer"]
    officer.preferred_language = "cy"
    officer.save(update_fields=["preferred_language"])
    client = built.client("board_officer")
    li_9 = action("LI 9")

    page = client.get(reverse("action_plans:action", args=[li_9.pk])).content.decode()
    home = client.get(reverse("home")).content.decode()

    assert "Cam gweithredu LI 9" in page and "Cyhoeddwyd yn Saesneg." in page
    assert '<p class="govuk-body" lang="en">The ASL Project Board will develop' in page
    assert "Ychwanegu diweddariad cynnydd" in page and "Yn hwyr" in page
    assert "Camau gweithredu hwyr" in home
