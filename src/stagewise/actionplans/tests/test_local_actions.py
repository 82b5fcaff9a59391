"""Local action plans (ADR 0043): a local authority officer keeps their own authority's
improvement actions in the national actions' shape (a reference of their own, the action, the
team responsible, a timeframe, a status with reasons, dated updates, evidence), each linked to the
national actions it serves. Only the authority's own officers reach its local action pages; an
officer of another authority, and every other role, are told they do not exist (404). Each
national action's page, for policy officers and the public, shows the local work on it, grouped
by authority, with its status; the plans' list counts the authorities with local work on each
action.

The world (built once for this module): the published plans loaded; Glasgow's officer
(Alan Kerr) has added GC 1 (serving LI 21 and 6.1.5, Spring 2024, ongoing: overdue) and GC 2
(serving LI 21, by end 2099); Fife's officer has added F-1 (serving LI 21), marked it complete
with a reason and written an update; Cardiff's officer works in Wales, whose nation has no
national plan in Stagewise. One member of every other role.
"""

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stagewise.accounts.actors import actors_for
from stagewise.accounts.models import User
from stagewise.actionplans.models import (
    Action,
    LocalAction,
    LocalEvidence,
    LocalProgressUpdate,
    LocalStatusChange,
)
from stagewise.actionplans.services import (
    action_status_change,
    evidence_add,
    local_action_add,
    progress_update_add,
    published_plans_load,
)
from stagewise.audit.models import AuditEvent
from stagewise.conftest import staff_member
from stagewise.organisations.models import NationalBody, Role
from stagewise.policy import SYSTEM, CapabilityRequired
from stagewise.synthetic.demo_local_actions import add_demo_local_actions
from stagewise.testing.factories import (
    AgencyFactory,
    SettingFactory,
    authority,
)
from stagewise.testing.files import pdf_upload
from stagewise.testing.people import (
    NamedPeople,
    officers_of_three_authorities,
    people_of_every_other_role,
)
from stagewise.testing.worlds import built_once_per_module
from stagewise.testing.writes import tables_written

pytestmark = pytest.mark.django_db


def action(number: str) -> Action:
    return Action.objects.get(number=number)


def local(reference: str) -> LocalAction:
    return LocalAction.objects.get(reference=reference)


def _add(officer: User, reference: str, serves: list[str], **fields: Any) -> LocalAction:
    actor: Any = actors_for(officer)[0]
    return local_action_add(
        actor=actor,
        authority=actor.membership.authority,
        reference=reference,
        text=fields.pop("text", f"The authority's action {reference}."),
        responsible_team=fields.pop("responsible_team", "Inclusion Service"),
        timeframe=fields.pop("timeframe", ""),
        national_actions=[action(number) for number in serves],
        **fields,
    )


def _build() -> NamedPeople:
    published_plans_load(actor=SYSTEM)
    glasgow = authority("Glasgow City")
    school = SettingFactory.create(authority=glasgow, name="Riverside Primary School")
    agency = AgencyFactory.create(authority=glasgow, name="Glasgow Speech and Language Therapy")
    users = {
        **officers_of_three_authorities(),
        "policy_officer": staff_member(
            "sg@example.org",
            Role.POLICY_OFFICER,
            national_body=NationalBody.objects.get(code="scottish-government"),
        ),
        **people_of_every_other_role(school, agency),
    }
    _add(
        users["glasgow_officer"],
        "GC 1",
        ["LI 21", "6.1.5"],
        text="Promote independent mediation in every letter answering a family's request.",
        timeframe="Spring 2024",
        status="ongoing",
    )
    _add(users["glasgow_officer"], "GC 2", ["LI 21"], timeframe="By end 2099")
    fife_action = _add(users["fife_officer"], "F-1", ["LI 21"], status="ongoing")
    fife_actor = actors_for(users["fife_officer"])[0]
    action_status_change(
        actor=fife_actor, action=fife_action, status="complete", reason="Every school has trained."
    )
    progress_update_add(
        actor=fife_actor,
        action=fife_action,
        written_on=date(2025, 6, 2),
        text="Pastoral teams in all secondary schools trained.",
    )
    return NamedPeople(users=users)


@pytest.fixture(scope="module")
def built(django_db_setup: None, django_db_blocker: Any) -> Iterator[NamedPeople]:
    with built_once_per_module(_build, django_db_blocker) as world:
        yield world


EVERY_ACTOR = [
    "glasgow_officer",
    "fife_officer",
    "cardiff_officer",
    "policy_officer",
    "teacher",
    "support_lead",
    "head",
    "psychologist",
    "data_protection_officer",
    "agency_practitioner",
    "service_manager",
    "analyst",
    "administrator",
    "parent",
    "young_person",
]
AUTHORITY_OFFICERS = {"glasgow_officer", "fife_officer", "cardiff_officer"}
LOCAL_ACTION_PAGES = ("action", "progress_update", "status_change", "evidence")


def test_every_role_is_in_the_matrix(built):
    roles = {actor.role for name in EVERY_ACTOR for actor in actors_for(built.users[name])}

    assert roles == set(Role.values)


@pytest.mark.parametrize("name", EVERY_ACTOR)
def test_every_role_against_every_page_of_glasgows_local_action_plan(built, name):
    client = built.client(name)
    gc_1 = local("GC 1")
    evidence = evidence_add(
        actor=built.actor("glasgow_officer"),
        action=gc_1,
        title="Mediation leaflet",
        upload=pdf_upload("leaflet.pdf"),
    )
    own_plan = 200 if name in AUTHORITY_OFFICERS else 404
    glasgows = 200 if name == "glasgow_officer" else 404

    assert client.get(reverse("local_action_plans:index")).status_code == own_plan
    assert client.get(reverse("local_action_plans:add")).status_code == own_plan
    for page in LOCAL_ACTION_PAGES:
        url = reverse(f"local_action_plans:{page}", args=[gc_1.pk])
        assert client.get(url).status_code == glasgows, (name, page)
        if page != "action":
            assert client.post(url, {}).status_code == (200 if glasgows == 200 else 404)
    download = client.get(reverse("local_action_plans:evidence_file", args=[gc_1.pk, evidence.pk]))
    assert download.status_code == glasgows
    assert not LocalProgressUpdate.objects.filter(action=gc_1).exists()


def test_a_signed_out_visitor_is_sent_to_sign_in(built, client):
    response = client.get(reverse("local_action_plans:index"))

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_unknown_local_action_is_not_found(built):
    client = built.client("glasgow_officer")

    assert client.get(reverse("local_action_plans:action", args=[0])).status_code == 404
    assert client.get(reverse("public_action_plans:local_action", args=[0])).status_code == 404


# Adding a local action ---------------------------------------------------------------------------


def test_glasgows_officer_adds_an_action_serving_two_national_actions(built):
    client = built.client("glasgow_officer")

    response = client.post(
        reverse("local_action_plans:add"),
        {
            "reference": "GC 5",
            "text": "Publish a guide to the routes families can take when they disagree.",
            "responsible_team": "Additional Support for Learning Disputes Team",
            "timeframe": "March 2027",
            "status": "not_started",
            "national_actions": [action("LI 20").pk, action("6.1.5").pk],
        },
    )

    added = local("GC 5")
    assert response.status_code == 302
    assert response["Location"] == reverse("local_action_plans:action", args=[added.pk])
    assert added.authority.name == "Glasgow City"
    assert (added.timeframe_starts_on, added.timeframe_ends_on) == (
        date(2027, 3, 1),
        date(2027, 3, 31),
    )
    assert {a.number for a in added.national_actions.all()} == {"LI 20", "6.1.5"}
    assert added.recorded_by == built.users["glasgow_officer"]
    event = AuditEvent.objects.get(object_type="local_action", object_id=str(added.pk))
    assert (event.action, event.role) == ("create", Role.LOCAL_AUTHORITY_OFFICER)
    plan = client.get(reverse("local_action_plans:index")).content.decode()
    assert ">GC 5</a>" in plan and ">LI 20</a>" in plan


def test_an_empty_form_says_what_to_fix_and_saves_nothing(built):
    response = built.client("glasgow_officer").post(reverse("local_action_plans:add"), {})

    page = response.content.decode()
    for message in (
        "Enter the action&#x27;s reference.",
        "Enter the action.",
        "Enter the team responsible for the action.",
        "Choose at least one national action it serves.",
    ):
        assert message in page
    assert LocalAction.objects.count() == 3


def test_a_reference_the_authority_already_uses_is_refused_but_another_authority_may_use_it(
    built,
):
    response = built.client("glasgow_officer").post(
        reverse("local_action_plans:add"),
        {
            "reference": "gc 1",
            "text": "Again.",
            "responsible_team": "Inclusion Service",
            "status": "not_started",
            "national_actions": [action("LI 21").pk],
        },
    )

    assert "Your authority already has an action gc 1" in response.content.decode()
    assert _add(built.users["fife_officer"], "GC 1", ["LI 21"]).authority.name == "Fife"


def test_a_national_action_of_another_nation_or_none_at_all_is_refused(built):
    with pytest.raises(ValidationError, match="national actions of your nation"):
        _add(built.users["cardiff_officer"], "C1", ["LI 21"])
    with pytest.raises(ValidationError, match="at least one national action"):
        _add(built.users["glasgow_officer"], "GC 9", [])
    page = built.client("cardiff_officer").get(reverse("local_action_plans:index"))
    assert "There is no national action plan for your nation" in page.content.decode()


def test_by_end_of_a_year_already_over_is_a_range_already_past(built):
    added = _add(built.users["glasgow_officer"], "GC 8", ["LI 21"], timeframe="By end 2025")

    assert added.timeframe_starts_on == added.timeframe_ends_on == date(2025, 12, 31)
    assert added.is_overdue()


# Tracking a local action -------------------------------------------------------------------------


def test_glasgow_tracks_its_action_with_a_dated_update_a_status_with_a_reason_and_evidence(built):
    client = built.client("glasgow_officer")
    gc_1 = local("GC 1")
    day = timezone.localdate() - timedelta(days=2)

    client.post(
        reverse("local_action_plans:progress_update", args=[gc_1.pk]),
        {
            "written_on_0": day.day,
            "written_on_1": day.month,
            "written_on_2": day.year,
            "text": "Every letter now names the mediation service.",
        },
    )
    refused = client.post(
        reverse("local_action_plans:status_change", args=[gc_1.pk]),
        {"status": "complete", "reason": " "},
    )
    client.post(
        reverse("local_action_plans:status_change", args=[gc_1.pk]),
        {"status": "complete", "reason": "The letters were rewritten."},
    )
    client.post(
        reverse("local_action_plans:evidence", args=[gc_1.pk]),
        {"title": "The new letter", "web_address": "https://www.glasgow.gov.uk/letter"},
    )

    assert "Enter the reason for changing the status." in refused.content.decode()
    gc_1.refresh_from_db()
    assert gc_1.status == "complete" and not gc_1.is_overdue()
    assert LocalStatusChange.objects.get(action=gc_1).from_status == "ongoing"
    page = client.get(reverse("local_action_plans:action", args=[gc_1.pk])).content.decode()
    assert "Every letter now names the mediation service." in page
    assert "From Ongoing to Complete." in page and "The letters were rewritten." in page
    assert 'href="https://www.glasgow.gov.uk/letter"' in page
    assert "Alan Kerr, Local authority officer, Glasgow City" in page
    purposes = set(
        AuditEvent.objects.filter(object_type="local_action", object_id=str(gc_1.pk)).values_list(
            "purpose", flat=True
        )
    )
    assert purposes >= {
        "keep local action plan: progress update",
        "keep local action plan: status",
        "keep local action plan: evidence",
    }


def test_an_update_in_the_future_and_evidence_that_is_not_a_web_address_are_refused(built):
    client = built.client("glasgow_officer")
    gc_1 = local("GC 1")
    tomorrow = timezone.localdate() + timedelta(days=1)

    future = client.post(
        reverse("local_action_plans:progress_update", args=[gc_1.pk]),
        {
            "written_on_0": tomorrow.day,
            "written_on_1": tomorrow.month,
            "written_on_2": tomorrow.year,
            "text": "Next week's news.",
        },
    )
    address = client.post(
        reverse("local_action_plans:evidence", args=[gc_1.pk]),
        {"title": "A report", "web_address": "javascript:alert(1)"},
    )

    assert "Date of the update cannot be in the future." in future.content.decode()
    assert "Enter a web address that starts with https:// or http://" in address.content.decode()
    assert not LocalProgressUpdate.objects.filter(action=gc_1).exists()
    assert not LocalEvidence.objects.exists()


@pytest.mark.parametrize("name", ["fife_officer", "policy_officer", "psychologist"])
def test_no_one_but_glasgows_officers_writes_to_glasgows_plan_even_without_the_forms(built, name):
    actor = built.actor(name)
    gc_1 = local("GC 1")

    with tables_written() as written:
        for write in (
            lambda: progress_update_add(
                actor=actor, action=gc_1, written_on=date(2025, 1, 6), text="Progress."
            ),
            lambda: action_status_change(actor=actor, action=gc_1, status="complete", reason="x"),
            lambda: evidence_add(
                actor=actor, action=gc_1, title="A report", web_address="https://example.org/"
            ),
            lambda: local_action_add(
                actor=actor,
                authority=gc_1.authority,
                reference="X 1",
                text="Not ours.",
                responsible_team="Someone",
                timeframe="",
                national_actions=[action("LI 21")],
            ),
        ):
            with pytest.raises(CapabilityRequired):
                write()

    assert written == set()


# Overdue -----------------------------------------------------------------------------------------


def test_glasgows_overdue_action_waits_on_its_officers_home_and_not_on_fifes(built):
    glasgow_home = built.client("glasgow_officer").get(reverse("home")).content.decode()
    fife_home = built.client("fife_officer").get(reverse("home")).content.decode()

    assert "Overdue local actions" in glasgow_home and ">GC 1</a>" in glasgow_home
    assert ">GC 2</a>" not in glasgow_home  # by end 2099
    assert "Overdue local actions" not in fife_home and ">GC 1</a>" not in fife_home


# The national view -------------------------------------------------------------------------------


def test_the_national_action_page_shows_the_local_work_grouped_by_authority_with_status(built):
    li_21 = action("LI 21")

    staff = built.client("policy_officer").get(reverse("action_plans:action", args=[li_21.pk]))
    public = Client().get(reverse("public_action_plans:action", args=[li_21.pk]))

    for page in (staff.content.decode(), public.content.decode()):
        assert "2 local authorities have actions of their own serving this action." in page
        assert page.index("Fife") < page.index(">F-1</a>") < page.index("Glasgow City")
        assert page.index("Glasgow City") < page.index(">GC 1</a>") < page.index(">GC 2</a>")
        assert "Complete</strong>" in page and "Overdue</strong>" in page
        assert "Alan Kerr" not in page


def test_the_plans_list_counts_the_authorities_with_local_work_on_each_action(built):
    for url in (reverse("action_plans:index"), reverse("public_action_plans:index")):
        page = built.client("policy_officer").get(url).content.decode()
        li_21 = page[page.index(f'{action("LI 21").pk}/">LI 21</a>') :]
        li_21 = li_21[: li_21.index("</tr>")]
        six_one_five = page[page.index(f'{action("6.1.5").pk}/">6.1.5</a>') :]
        six_one_five = six_one_five[: six_one_five.index("</tr>")]

        assert "2 authorities" in li_21
        assert "1 authority" in six_one_five


def test_the_public_page_of_a_local_action_shows_its_status_changes_and_updates_not_who_or_evidence(
    built,
):
    gc_1 = local("GC 1")
    evidence_add(
        actor=built.actor("glasgow_officer"),
        action=gc_1,
        title="Internal minutes",
        web_address="https://example.org/minutes",
    )
    f_1 = local("F-1")

    glasgow = Client().get(reverse("public_action_plans:local_action", args=[gc_1.pk]))
    fife = Client().get(reverse("public_action_plans:local_action", args=[f_1.pk]))

    assert glasgow.status_code == 200
    assert "Internal minutes" not in glasgow.content.decode()
    page = fife.content.decode()
    assert "From Ongoing to Complete." in page and "Every school has trained." in page
    assert "Pastoral teams in all secondary schools trained." in page
    assert "Local authority officer" not in page


# Cost --------------------------------------------------------------------------------------------


def test_the_pages_cost_the_same_however_much_local_work_there_is(built):
    officer = built.client("policy_officer")
    glasgow = built.client("glasgow_officer")
    li_21 = action("LI 21")

    def queries(client: Client, url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    pages = [
        (officer, reverse("action_plans:index")),
        (officer, reverse("action_plans:action", args=[li_21.pk])),
        (Client(), reverse("public_action_plans:index")),
        (Client(), reverse("public_action_plans:action", args=[li_21.pk])),
        (glasgow, reverse("local_action_plans:index")),
        (glasgow, reverse("home")),
    ]
    before = [queries(client, url) for client, url in pages]
    for number in range(10, 16):
        added = _add(
            built.users["glasgow_officer"],
            f"GC {number}",
            ["LI 21", "LI 9", "6.1.1"],
            timeframe="Spring 2024",
        )
        progress_update_add(
            actor=built.actor("glasgow_officer"),
            action=added,
            written_on=date(2025, 1, 6),
            text="More.",
        )
        _add(built.users["fife_officer"], f"F-{number}", ["LI 21", "LI 1"])

    assert [queries(client, url) for client, url in pages] == before


# Welsh -------------------------------------------------------------------------------------------


def test_in_welsh_the_local_action_plan_pages_are_welsh(built):
    officer = built.users["glasgow_officer"]
    officer.preferred_language = "cy"
    officer.save(update_fields=["preferred_language"])
    client = built.client("glasgow_officer")

    index = client.get(reverse("local_action_plans:index")).content.decode()
    page = client.get(reverse("local_action_plans:action", args=[local("GC 1").pk]))

    assert "Cynllun gweithredu lleol" in index and "Ychwanegu cam gweithredu lleol" in index
    assert "Cam gweithredu lleol GC 1" in page.content.decode()


# The demo ----------------------------------------------------------------------------------------


def test_the_demo_adds_its_local_actions_once(built):
    first = add_demo_local_actions(today=timezone.localdate())
    second = add_demo_local_actions(today=timezone.localdate())

    assert (first, second) == (4, 0)
    assert (
        LocalAction.objects.filter(authority__name="Glasgow City", reference="GC 3.4")
        .get()
        .is_overdue()
    )
