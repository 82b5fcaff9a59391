"""Disagreements and their routes: a family (or staff on its behalf) records a disagreement; it
moves along its nation's routes, in order, each with the time limits of the statutory rules;
the family always sees the next route open to them, the date to ask by and who can help; the
authority's officer sees the open ones by route and age and records the outcome.

The world (built once for this module; each test's changes are rolled back): Ailsa Campbell
attends Riverside Primary in Glasgow, where `teacher` teaches her and `support_lead` leads
support; her parent Claire (`parent`) has an account, and a second carer's telephone number is
on her record. Glasgow has an officer (`authority_officer`) and a mediation provider, Clyde
Family Mediation; Fife has an officer (`other_authority_officer`) and Finlay Reid, with a
disagreement of his own. `psychologist` works for Glasgow but has no part in disagreements.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from stagewise.accounts.models import User
from stagewise.conftest import staff_member
from stagewise.disagreements.models import Disagreement, DisagreementStep, RaisedFor
from stagewise.disagreements.routes import routes_for, rule_keys
from stagewise.disagreements.selectors import (
    OPEN_LIST_ORDER,
    DisagreementView,
    NextRoute,
    learner_disagreement_list,
    open_disagreement_list,
)
from stagewise.disagreements.services import (
    disagreement_close,
    disagreement_move,
    disagreement_record,
)
from stagewise.learners.models import Learner, StaffRelationshipKind
from stagewise.notifications.deadlines import deadline_sweep_run
from stagewise.notifications.models import Notification, NotificationKind
from stagewise.organisations.models import Nation, Role
from stagewise.organisations.public_information_models import AdviceService, ServiceHelp
from stagewise.policy import SYSTEM
from stagewise.statutory.calendar import add_months
from stagewise.statutory.selectors import timescale_in_force
from stagewise.testing.factories import (
    SettingFactory,
    UserFactory,
    authority,
    enrolled_learner,
    link_carer,
    link_staff,
)
from stagewise.testing.keyset_pages import page_plan, sorts, walk_pages
from stagewise.testing.plans import acting
from stagewise.testing.worlds import built_once_per_module

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@dataclass
class DisagreementWorld:
    users: dict[str, User]
    learner: Learner
    fife_learner: Learner

    def client(self, actor: str) -> Client:
        client = Client()
        client.force_login(self.users[actor])
        return client


def _build() -> DisagreementWorld:
    glasgow = authority("Glasgow City")
    fife = authority("Fife")
    school = SettingFactory.create(authority=glasgow, name="Riverside Primary School")
    fife_school = SettingFactory.create(authority=fife, name="Harbourside Primary School")
    learner = enrolled_learner(
        school, year_group="P6", legal_first_name="Ailsa", legal_last_name="Campbell"
    )
    fife_learner = enrolled_learner(fife_school, legal_first_name="Finlay", legal_last_name="Reid")
    users = {
        "teacher": staff_member("teacher@example.org", Role.CLASS_TEACHER, setting=school),
        "support_lead": staff_member(
            "support-lead@example.org", Role.SUPPORT_FOR_LEARNING_LEAD, setting=school
        ),
        "authority_officer": staff_member(
            "officer@example.org", Role.LOCAL_AUTHORITY_OFFICER, authority=glasgow
        ),
        "other_authority_officer": staff_member(
            "fife-officer@example.org", Role.LOCAL_AUTHORITY_OFFICER, authority=fife
        ),
        "psychologist": staff_member(
            "psychologist@example.org", Role.EDUCATIONAL_PSYCHOLOGIST, authority=glasgow
        ),
        "parent": UserFactory.create(email="parent@example.org", full_name="Claire Campbell"),
    }
    link_staff(learner, users["teacher"], kind=StaffRelationshipKind.CLASS_TEACHER)
    link_carer(learner, user=users["parent"], portal_access=True)
    other_carer = link_carer(learner).carer
    other_carer.telephone = "07700 955555"
    other_carer.save()
    AdviceService.objects.create(
        key="clyde-family-mediation-test",
        nation=Nation.objects.get(code=Nation.SCOTLAND),
        authority=glasgow,
        name="Clyde Family Mediation",
        description="Independent mediation for families and the authority.",
        helps_with=[ServiceHelp.MEDIATION],
        telephone="0141 496 0000",
        details_confirmed=True,
    )
    disagreement_record(
        actor=SYSTEM,
        learner=fife_learner,
        subject="placing_request",
        about="The placing request was refused.",
        family_wants="A place at Harbourside.",
        opened_on=TODAY - timedelta(days=3),
        raised_for=RaisedFor.PARENT,
    )
    return DisagreementWorld(users=users, learner=learner, fife_learner=fife_learner)


@pytest.fixture(scope="module")
def module_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[DisagreementWorld]:
    with built_once_per_module(_build, django_db_blocker) as built:
        yield built


@pytest.fixture
def w(module_world: DisagreementWorld, db: None) -> DisagreementWorld:
    return module_world


def _list_url(learner: Learner) -> str:
    return reverse("disagreements:list", args=[learner.public_id])


def _text(response: Any) -> str:
    return response.content.decode()


def _record(w: DisagreementWorld, **fields: Any) -> Disagreement:
    defaults: dict[str, Any] = {
        "subject": "coordinated_support_plan",
        "about": "The authority decided Ailsa does not need a co-ordinated support plan.",
        "family_wants": "A co-ordinated support plan.",
        "opened_on": date(2026, 3, 2),
        "raised_for": RaisedFor.PARENT,
    }
    return disagreement_record(actor=SYSTEM, learner=w.learner, **(defaults | fields))


def _next(view: DisagreementView) -> NextRoute:
    assert view.next_route is not None
    return view.next_route


def _dates(name: str, day: date) -> dict[str, object]:
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


# The routes, as data -----------------------------------------------------------------------------


def test_the_routes_run_in_order_of_escalation_in_each_nation():
    assert [route.key for route in routes_for(Nation.SCOTLAND)] == [
        "scotland.school",
        "scotland.authority_complaint",
        "scotland.mediation",
        "scotland.independent_adjudication",
        "scotland.tribunal",
    ]
    assert [route.key for route in routes_for(Nation.WALES)] == [
        "wales.school",
        "wales.disagreement_resolution",
        "wales.tribunal",
    ]
    tribunal = routes_for(Nation.SCOTLAND)[-1]
    assert tribunal.hears("placing_request") and not tribunal.hears("support")
    assert (
        tribunal.apply_rule_for("disability_discrimination") == "scotland.tribunal_disability_claim"
    )


def test_every_time_limit_a_route_names_is_a_statutory_rule_with_a_citation(w):
    for key in rule_keys():
        assert timescale_in_force(key, TODAY).citation


# The next route and its deadline -----------------------------------------------------------------


def test_the_next_route_and_the_deadlines_are_worked_out_from_the_rules(w):
    """By hand: a complaint made on Monday 23 March 2026 is answered within 20 working days on
    Scotland's bank holidays (Good Friday, 3 April, is not one): Tuesday 21 April. Mediation has
    no time limit to ask, but the tribunal's 2 months run from the same day: 23 May 2026. A
    support disagreement goes to independent adjudication, never the tribunal."""
    disagreement = _record(w)
    disagreement_move(
        actor=SYSTEM,
        disagreement=disagreement,
        route_key="scotland.authority_complaint",
        moved_on=date(2026, 3, 23),
        step_outcome="The school kept its view.",
    )
    [view] = learner_disagreement_list(actor=acting(w.users["parent"]), learner=w.learner)

    assert view.route is not None and view.route.key == "scotland.authority_complaint"
    assert view.steps[-1].deadline == date(2026, 4, 21)
    next_route = _next(view)
    assert next_route.route.key == "scotland.mediation"
    assert next_route.deadline is None
    assert next_route.counted_from == date(2026, 3, 23)
    assert next_route.later_route is not None and next_route.later_route.key == "scotland.tribunal"
    assert next_route.later_deadline == date(2026, 5, 23)
    assert [service.name for service in next_route.services] == ["Clyde Family Mediation"]

    support = _record(w, subject="support")
    disagreement_move(
        actor=SYSTEM,
        disagreement=support,
        route_key="scotland.mediation",
        moved_on=date(2026, 3, 23),
        step_outcome="No agreement at the school.",
    )
    [view] = [
        found
        for found in learner_disagreement_list(actor=SYSTEM, learner=w.learner)  # type: ignore[arg-type]
        if found.public_id == support.public_id
    ]
    assert _next(view).route.key == "scotland.independent_adjudication"
    assert _next(view).later_route is None


def test_a_disability_claim_has_six_months_to_reach_the_tribunal(w):
    disagreement = _record(w, subject="disability_discrimination")
    disagreement_move(
        actor=SYSTEM,
        disagreement=disagreement,
        route_key="scotland.mediation",
        moved_on=date(2026, 3, 23),
        step_outcome="No agreement.",
    )
    [view] = learner_disagreement_list(actor=acting(w.users["parent"]), learner=w.learner)

    assert _next(view).route.key == "scotland.tribunal"
    assert _next(view).deadline == date(2026, 9, 23)


# The journey -------------------------------------------------------------------------------------


def test_a_parent_records_a_disagreement_sees_mediation_and_the_officer_records_the_outcome(w):
    parent = w.client("parent")
    response = parent.post(
        reverse("disagreements:new", args=[w.learner.public_id]),
        {
            "subject": "coordinated_support_plan",
            "about": "The authority says Ailsa does not need a co-ordinated support plan.",
            "family_wants": "A co-ordinated support plan, with speech and language therapy.",
            **_dates("opened_on", TODAY - timedelta(days=20)),
        },
    )
    assert response.status_code == 302
    disagreement = Disagreement.objects.get(learner=w.learner)
    assert disagreement.raised_for == RaisedFor.PARENT
    assert disagreement.raised_by == w.users["parent"]

    officer = w.client("authority_officer")
    response = officer.post(
        reverse("disagreements:move", args=[w.learner.public_id, disagreement.public_id]),
        {
            "route": "scotland.authority_complaint",
            **_dates("moved_on", TODAY - timedelta(days=10)),
            "step_outcome": "The school could not agree a plan.",
            "staff_note": "",
        },
    )
    assert response.status_code == 302

    page = _text(parent.get(_list_url(w.learner)))
    assert "Next route open to you: Mediation" in page
    assert "Clyde Family Mediation" in page
    assert "0141 496 0000" in page
    tribunal_by = add_months(TODAY - timedelta(days=10), 2)
    assert f"keeps running meanwhile: ask by {date_format(tribunal_by, 'j F Y')}" in page

    response = officer.post(
        reverse("disagreements:close", args=[w.learner.public_id, disagreement.public_id]),
        {
            **_dates("closed_on", TODAY),
            "outcome": "The authority agreed to prepare a co-ordinated support plan.",
            "staff_note": "",
        },
    )
    assert response.status_code == 302
    disagreement.refresh_from_db()
    assert disagreement.closed_on == TODAY
    assert list(disagreement.steps.values_list("route", flat=True)) == [
        "scotland.school",
        "scotland.authority_complaint",
    ]
    page = _text(parent.get(_list_url(w.learner)))
    assert "The authority agreed to prepare a co-ordinated support plan." in page
    assert "Next route open to you" not in page


# What a family sees ------------------------------------------------------------------------------


def test_staff_notes_never_reach_the_family_page(w):
    disagreement = _record(w, staff_notes="Staff only: the head thinks the parent is right.")
    disagreement_move(
        actor=SYSTEM,
        disagreement=disagreement,
        route_key="scotland.authority_complaint",
        moved_on=date(2026, 3, 23),
        step_outcome="Referred to the authority.",
        staff_note="Staff only: legal services consulted.",
    )

    family = _text(w.client("parent").get(_list_url(w.learner)))
    staff = _text(w.client("support_lead").get(_list_url(w.learner)))

    for note in ("the head thinks the parent is right", "legal services consulted"):
        assert note not in family
        assert note in staff
    assert "Referred to the authority." in family
    assert "07700 955555" not in family  # another carer's contact details


def test_a_family_cannot_write_staff_notes_even_through_the_service(w):
    with pytest.raises(ValidationError):
        disagreement_record(
            actor=acting(w.users["parent"]),
            learner=w.learner,
            subject="support",
            about="About",
            family_wants="Wants",
            opened_on=TODAY,
            staff_notes="A note",
        )
    assert not Disagreement.objects.filter(learner=w.learner).exists()


def test_free_text_is_kept_as_typed_and_escaped_where_shown(w):
    typed = '<script>alert("x")</script> & Ailsa\'s "plan"'
    disagreement = _record(w, about=typed)

    page = _text(w.client("parent").get(_list_url(w.learner)))

    assert Disagreement.objects.get(pk=disagreement.pk).about == typed
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Ailsa&#x27;s" in page


# Who may do what ---------------------------------------------------------------------------------


def test_who_may_record_and_who_may_move_a_disagreement(w):
    disagreement = _record(w)
    move = reverse("disagreements:move", args=[w.learner.public_id, disagreement.public_id])

    assert w.client("psychologist").get(_list_url(w.learner)).status_code == 403
    assert w.client("teacher").get(_list_url(w.learner)).status_code == 200
    assert w.client("teacher").get(move).status_code == 403
    assert w.client("parent").get(move).status_code == 403
    assert w.client("other_authority_officer").get(_list_url(w.learner)).status_code == 404
    # The family moves it with their own page (below); a class teacher not at all.
    with pytest.raises(PermissionDenied):
        disagreement_move(
            actor=acting(w.users["teacher"]),
            disagreement=disagreement,
            route_key="scotland.mediation",
            moved_on=TODAY,
            step_outcome="Moved by the teacher",
        )
    assert DisagreementStep.objects.filter(disagreement=disagreement).count() == 1


# Bad input ---------------------------------------------------------------------------------------


def test_bad_input_is_shown_in_an_error_summary_and_nothing_is_saved(w):
    disagreement = _record(w, subject="support")
    parent = w.client("parent")
    officer = w.client("authority_officer")

    empty = parent.post(reverse("disagreements:new", args=[w.learner.public_id]), {})
    too_long = parent.post(
        reverse("disagreements:new", args=[w.learner.public_id]),
        {
            "subject": "support",
            "about": "x" * 3_001,
            "family_wants": "   ",
            **_dates("opened_on", TODAY + timedelta(days=1)),
        },
    )
    not_open = officer.post(
        reverse("disagreements:move", args=[w.learner.public_id, disagreement.public_id]),
        {
            "route": "scotland.tribunal",
            **_dates("moved_on", TODAY),
            "step_outcome": "Went to the tribunal.",
        },
    )
    before_it_began = officer.post(
        reverse("disagreements:close", args=[w.learner.public_id, disagreement.public_id]),
        {**_dates("closed_on", date(2026, 1, 5)), "outcome": "Agreed."},
    )

    assert "Choose what the disagreement is about." in _text(empty)
    assert "Say what the disagreement is about." in _text(empty)
    assert "Enter the date the disagreement was first raised." in _text(empty)
    assert "3,000" in _text(too_long)
    assert "govuk-error-summary" in _text(too_long)
    assert "Choose one of the routes still open." in _text(not_open)
    assert "The date cannot be before the step began, on 2 March 2026." in _text(before_it_began)
    for response in (empty, too_long, not_open, before_it_began):
        assert response.status_code == 200
    assert Disagreement.objects.filter(learner=w.learner).count() == 1
    disagreement.refresh_from_db()
    assert disagreement.is_open and disagreement.current_route == "scotland.school"


# The authority's open disagreements --------------------------------------------------------------


def test_the_officer_sees_their_authoritys_open_disagreements_by_route_and_age(w):
    at_school = _record(w, opened_on=TODAY - timedelta(days=40))
    at_mediation = _record(w, opened_on=TODAY - timedelta(days=90))
    disagreement_move(
        actor=SYSTEM,
        disagreement=at_mediation,
        route_key="scotland.mediation",
        moved_on=TODAY - timedelta(days=30),
        step_outcome="Not settled.",
    )
    closed = _record(w, opened_on=TODAY - timedelta(days=10))
    disagreement_close(actor=SYSTEM, disagreement=closed, closed_on=TODAY, outcome="Settled.")

    response = w.client("authority_officer").get(reverse("open_disagreements"))
    listing = response.context["open"]

    assert listing.total == 2
    assert [(row.route.key, row.count) for row in listing.counts] == [
        ("scotland.school", 1),
        ("scotland.mediation", 1),
    ]
    assert [(row.pk, row.days_open) for row in listing.page.object_list] == [
        (at_mediation.pk, 90),
        (at_school.pk, 40),
    ]
    assert "Finlay" not in _text(response)
    assert w.client("support_lead").get(reverse("open_disagreements")).status_code == 403
    assert w.client("parent").get(reverse("open_disagreements")).status_code == 403


def test_the_officers_list_pages_oldest_first_by_cursor_at_the_cost_of_its_first_page(
    w, monkeypatch
):
    monkeypatch.setattr("stagewise.disagreements.selectors.OPEN_LIST_PAGE_SIZE", 2)
    # Two raised on each day, so that pages end inside a day.
    for days_ago in (5, 5, 9, 9, 2, 2, 30):
        _record(w, opened_on=TODAY - timedelta(days=days_ago))
    officer = w.client("authority_officer")
    officer.get(reverse("open_disagreements"))  # warm caches (sessions, rules)

    pages = walk_pages(officer, reverse("open_disagreements"))

    shown = [row.pk for page in pages for row in page.response.context["open"].page.object_list]
    open_ones = Disagreement.objects.filter(closed_on__isnull=True, learner=w.learner)
    assert shown == list(open_ones.order_by("opened_on", "pk").values_list("pk", flat=True))
    assert len(pages) == 4
    assert {page.queries for page in pages} == {pages[0].queries}
    assert 'rel="prev"' in pages[-1].text and 'rel="prev"' not in pages[0].text


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL query plan")
def test_a_page_of_open_disagreements_reads_the_open_ones_index_in_order(w):
    first = open_disagreement_list(actor=acting(w.users["authority_officer"])).page
    for _ in range(3):
        _record(w)
    open_ones = Disagreement.objects.filter(closed_on__isnull=True)

    for cursor in (None, first.next_cursor):
        plan = page_plan(open_ones, order=OPEN_LIST_ORDER, cursor=cursor, salt="disagreements:open")
        assert "disagreement_open_oldest" in plan, plan
        assert not sorts(plan), plan


def test_the_officers_list_takes_as_many_queries_for_many_rows_as_for_one(w):
    officer = w.client("authority_officer")
    _record(w)
    officer.get(reverse("open_disagreements"))  # warm caches (sessions, rules)
    with CaptureQueriesContext(connection) as one:
        officer.get(reverse("open_disagreements"))
    for _ in range(12):
        _record(w)
    with CaptureQueriesContext(connection) as many:
        response = officer.get(reverse("open_disagreements"))

    assert response.context["open"].total == 13
    assert len(many.captured_queries) == len(one.captured_queries)


# Wales, in Welsh ---------------------------------------------------------------------------------


def _welsh_family() -> tuple[Learner, User]:
    """Cerys Jones at Ysgol Glan Taf in Cardiff, whose mother Rhian reads Stagewise in Welsh:
    a disagreement about her individual development plan, reconsidered by the authority from
    Monday 2 March 2026."""
    cardiff_school = SettingFactory.create(authority=authority("Cardiff"), name="Ysgol Glan Taf")
    learner = enrolled_learner(cardiff_school, legal_first_name="Cerys", legal_last_name="Jones")
    parent = UserFactory.create(email="rhiant@example.org", full_name="Rhian Jones")
    parent.preferred_language = "cy"
    parent.save()
    link_carer(learner, user=parent, portal_access=True)
    disagreement = disagreement_record(
        actor=SYSTEM,
        learner=learner,
        subject="individual_development_plan",
        about="Nid yw'r CDU yn sôn am therapi iaith.",
        family_wants="Therapi iaith yn y CDU.",
        opened_on=date(2026, 2, 2),
        raised_for=RaisedFor.PARENT,
    )
    disagreement_move(
        actor=SYSTEM,
        disagreement=disagreement,
        route_key="wales.disagreement_resolution",
        moved_on=date(2026, 3, 2),
        step_outcome="Ni chytunodd yr ysgol.",
    )
    return learner, parent


def test_a_welsh_family_reads_their_routes_in_welsh_with_the_tribunals_eight_weeks(w):
    """By hand: a decision about an individual development plan, reconsidered by the authority
    from Monday 2 March 2026, may go to the Education Tribunal for Wales within 8 weeks:
    27 April 2026 (dyddiad yn Gymraeg: 27 Ebrill 2026)."""
    learner, parent = _welsh_family()
    client = Client()
    client.force_login(parent)

    page = _text(client.get(_list_url(learner)))

    assert "Y llwybr nesaf sydd ar agor i chi: Tribiwnlys Addysg Cymru" in page
    assert "Gofynnwch erbyn 27 Ebrill 2026." in page
    assert "Nawr: Yr awdurdod lleol, a datrys anghytundeb" in page
    assert "SNAP Cymru" in page


# A family moves their disagreement on themselves -------------------------------------------------


def _route_taken_url(w: DisagreementWorld, disagreement: Disagreement) -> str:
    return reverse("disagreements:route_taken", args=[w.learner.public_id, disagreement.public_id])


def test_a_parent_records_that_they_applied_to_the_tribunal_and_the_disagreement_moves_there(w):
    """Mediation and the authority's complaints procedure are never compulsory: a family may go
    to any later route that hears their disagreement, the next one first in the list."""
    disagreement = _record(w)
    parent = w.client("parent")
    assert "Tell us you have taken the next route" in _text(parent.get(_list_url(w.learner)))
    form = _text(parent.get(_route_taken_url(w, disagreement)))
    assert "Which route have you taken?" in form
    assert "Staff note" not in form

    response = parent.post(
        _route_taken_url(w, disagreement),
        {
            "route": "scotland.tribunal",
            **_dates("moved_on", date(2026, 4, 1)),
            "step_outcome": "The school would not ask the authority for a plan.",
        },
    )

    assert response.status_code == 302
    disagreement.refresh_from_db()
    assert disagreement.current_route == "scotland.tribunal"
    [first, taken] = disagreement.steps.order_by("entered_on")
    assert (first.ended_on, first.outcome) == (
        date(2026, 4, 1),
        "The school would not ask the authority for a plan.",
    )
    assert (taken.route, taken.entered_on, taken.recorded_by) == (
        "scotland.tribunal",
        date(2026, 4, 1),
        w.users["parent"],
    )
    page = _text(parent.get(_list_url(w.learner)))
    assert "Now: The tribunal" in page
    assert "Next route open to you" not in page
    assert "Tell us you have taken the next route" not in page
    # Staff read the family's step as they read their own.
    assert "The school would not ask the authority" in _text(
        w.client("support_lead").get(_list_url(w.learner))
    )


def test_a_family_is_told_what_to_fix_for_a_route_not_open_a_future_date_or_an_early_one(w):
    disagreement = _record(w, subject="support")
    parent = w.client("parent")

    def post(route: str, day: date) -> str:
        return _text(
            parent.post(
                _route_taken_url(w, disagreement),
                {"route": route, **_dates("moved_on", day), "step_outcome": "Not settled."},
            )
        )

    # A support disagreement never reaches the tribunal; the school is behind it already.
    assert "Choose one of the routes still open." in post("scotland.tribunal", TODAY)
    assert "Choose one of the routes still open." in post("scotland.school", TODAY)
    assert "The date cannot be in the future." in post(
        "scotland.mediation", TODAY + timedelta(days=1)
    )
    assert "The date cannot be before the step began, on 2 March 2026." in post(
        "scotland.mediation", date(2026, 3, 1)
    )
    with pytest.raises(ValidationError):
        disagreement_move(
            actor=acting(w.users["parent"]),
            disagreement=disagreement,
            route_key="scotland.mediation",
            moved_on=TODAY,
            step_outcome="Asked for mediation.",
            staff_note="A note only staff should write.",
        )
    disagreement.refresh_from_db()
    assert disagreement.current_route == "scotland.school"
    assert disagreement.steps.count() == 1
    # Staff move it with their own page; the family's is not theirs.
    assert w.client("support_lead").get(_route_taken_url(w, disagreement)).status_code == 403


def test_once_closed_or_at_its_last_route_the_family_cannot_move_it(w):
    disagreement = _record(w)
    disagreement_move(
        actor=SYSTEM,
        disagreement=disagreement,
        route_key="scotland.tribunal",
        moved_on=date(2026, 4, 1),
        step_outcome="Applied.",
    )
    parent = w.client("parent")

    response = parent.get(_route_taken_url(w, disagreement), follow=True)
    assert "No later route is open for this disagreement." in _text(response)

    disagreement_close(actor=SYSTEM, disagreement=disagreement, closed_on=TODAY, outcome="Heard.")
    response = parent.get(_route_taken_url(w, disagreement), follow=True)
    assert "This disagreement is closed: it cannot change." in _text(response)


# Reminders before a time limit closes ------------------------------------------------------------


def _sweep(day: date) -> None:
    deadline_sweep_run(actor=SYSTEM, today=day)


def _reminders(user: User) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, kind=NotificationKind.ROUTE_DEADLINE))


def _at_the_authority(w: DisagreementWorld) -> Disagreement:
    """A co-ordinated support plan disagreement the authority took up on Monday 23 March 2026:
    mediation has no time limit, and the tribunal's two months end on 23 May 2026."""
    disagreement = _record(w)
    disagreement_move(
        actor=SYSTEM,
        disagreement=disagreement,
        route_key="scotland.authority_complaint",
        moved_on=date(2026, 3, 23),
        step_outcome="The school kept its view.",
    )
    return disagreement


def test_the_family_is_reminded_once_fourteen_days_before_the_tribunals_time_limit(w):
    _at_the_authority(w)
    young_person = UserFactory.create(email="ailsa@example.org", full_name="Ailsa Campbell")
    w.learner.young_person_account = young_person
    w.learner.save(update_fields=["young_person_account"])
    mail.outbox.clear()

    _sweep(date(2026, 5, 8))
    assert _reminders(w.users["parent"]) == []

    _sweep(date(2026, 5, 9))
    _sweep(date(2026, 5, 9))
    _sweep(date(2026, 5, 20))

    for person in (w.users["parent"], young_person):
        [reminder] = _reminders(person)
        assert reminder.subject == (
            "A disagreement: 14 days left to ask for The tribunal (First-tier Tribunal for "
            "Scotland, Health and Education Chamber)"
        )
        assert "Campbell" not in reminder.subject and "Ailsa" not in reminder.subject
        assert reminder.body.startswith("Ailsa Campbell: the disagreement about")
        assert "ask by 23 May 2026, in 14 days" in reminder.body
        assert reminder.link_url == _list_url(w.learner)
    # Each person gets one email, naming no learner.
    emailed = [m for m in mail.outbox if w.users["parent"].email in m.to]
    assert len(emailed) == 1
    assert "Ailsa" not in f"{emailed[0].subject} {emailed[0].body}"
    # Only those with portal access and an account: the second carer has neither.
    assert Notification.objects.filter(kind=NotificationKind.ROUTE_DEADLINE).count() == 2


def test_no_reminder_once_the_disagreement_has_moved_on_or_closed(w):
    moved = _at_the_authority(w)
    # The family asked for the tribunal on 1 May: no later route, nothing to remind of.
    disagreement_move(
        actor=acting(w.users["parent"]),
        disagreement=moved,
        route_key="scotland.tribunal",
        moved_on=date(2026, 5, 1),
        step_outcome="The authority upheld its decision.",
    )
    closed = _at_the_authority(w)
    disagreement_close(
        actor=SYSTEM, disagreement=closed, closed_on=date(2026, 5, 1), outcome="Agreed a plan."
    )

    _sweep(date(2026, 5, 9))

    assert _reminders(w.users["parent"]) == []


def test_the_lead_time_is_a_setting(w, settings):
    settings.DISAGREEMENT_ROUTE_LEAD_DAYS = 30
    _at_the_authority(w)

    _sweep(date(2026, 4, 22))
    assert _reminders(w.users["parent"]) == []
    _sweep(date(2026, 4, 23))
    assert len(_reminders(w.users["parent"])) == 1


def test_a_welsh_family_is_reminded_in_welsh_of_the_education_tribunal_for_wales(w):
    _learner, parent = _welsh_family()

    _sweep(date(2026, 4, 20))

    [reminder] = _reminders(parent)
    assert reminder.subject == ("Anghytundeb: 7 diwrnod ar ôl i ofyn am Tribiwnlys Addysg Cymru")
    assert "erbyn 27 Ebrill 2026" in reminder.body
    assert "Cerys Jones" in reminder.body
