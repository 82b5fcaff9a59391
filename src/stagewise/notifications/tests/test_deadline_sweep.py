"""The daily deadline sweep, as specifications: who is told what, when, and never twice."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from stagewise.accounts.models import User
from stagewise.learners.models import Learner
from stagewise.notifications.deadlines import deadline_sweep_run
from stagewise.notifications.models import Notification, NotificationKind
from stagewise.notifications.tasks import deadline_sweep
from stagewise.organisations.models import Role, Setting
from stagewise.policy import SYSTEM
from stagewise.statutory.models import SchoolCalendarPeriod, StatutoryProcess
from stagewise.statutory.services import process_extend, process_pause, process_start
from stagewise.testing.factories import (
    MembershipFactory,
    SettingFactory,
    UserFactory,
    authority,
    enrolled_learner,
)
from stagewise.testing.plans import acting

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
# scotland.establish_needs_request: the authority answers within 8 weeks; reminders 14 and 3
# days before.
REQUEST_RULE = "scotland.establish_needs_request"


def sweep(today: date) -> None:
    deadline_sweep_run(actor=SYSTEM, today=today)


def told(user: User, kind: str | None = None) -> list[Notification]:
    notifications = Notification.objects.filter(recipient=user).order_by("pk")
    if kind is not None:
        notifications = notifications.filter(kind=kind)
    return list(notifications)


def request_clock(learner: Learner) -> StatutoryProcess:
    return process_start(
        actor=SYSTEM, learner=learner, rule_key=REQUEST_RULE, started_on=TODAY - timedelta(10)
    )


@pytest.fixture
def clock(learner: Learner) -> StatutoryProcess:
    return request_clock(learner)


def test_the_authority_is_reminded_at_each_lead_time_once_and_told_once_when_it_passes(
    clock: StatutoryProcess,
    authority_officer: User,
    other_authority_officer: User,
    support_lead: User,
    parent: User,
) -> None:
    due = clock.due_on
    assert due is not None

    sweep(due - timedelta(15))
    assert told(authority_officer) == []

    sweep(due - timedelta(14))
    sweep(due - timedelta(13))
    (fortnight,) = told(authority_officer)
    assert fortnight.kind == NotificationKind.REMINDER
    assert "in 14 days" in fortnight.subject

    sweep(due - timedelta(3))
    sweep(due - timedelta(3))
    assert [n.subject.split(":")[0] for n in told(authority_officer)] == [
        "Statutory date in 14 days",
        "Statutory date in 3 days",
    ]

    sweep(due + timedelta(1))
    sweep(due + timedelta(2))
    (overdue,) = told(authority_officer, NotificationKind.OVERDUE)
    assert "1 day ago" in overdue.body

    # Only the authority must act on this clock: nobody else hears of it.
    assert told(other_authority_officer) == told(support_lead) == told(parent) == []


def test_a_first_sweep_that_starts_late_sends_only_the_latest_reminder(
    clock: StatutoryProcess, authority_officer: User
) -> None:
    assert clock.due_on is not None
    sweep(clock.due_on - timedelta(2))
    (reminder,) = told(authority_officer)
    assert reminder.dedupe_key.startswith(f"reminder:{clock.pk}:{clock.due_on}:3:")


def test_a_notice_says_what_is_due_for_whom_and_what_to_do(
    clock: StatutoryProcess, learner: Learner, authority_officer: User
) -> None:
    assert clock.due_on is not None
    sweep(clock.due_on - timedelta(14))
    (notice,) = told(authority_officer)
    assert notice.learner == learner
    assert learner.display_name in notice.body
    assert "Respond to a request to establish" in notice.body
    assert "What to do:" in notice.body
    assert "close the clock" in notice.body
    assert notice.link_url == f"/learners/{learner.public_id}/timescales/{clock.public_id}/"
    # The subject goes into the email: it names the place and the rule, not the learner.
    assert learner.legal_last_name not in notice.subject
    assert "Glasgow City" in notice.subject


def test_a_new_date_after_an_extension_brings_its_own_reminders_and_the_family_is_told(
    clock: StatutoryProcess,
    learner: Learner,
    authority_officer: User,
    parent: User,
    young_person: User,
    other_parent: User,
) -> None:
    first_due = clock.due_on
    assert first_due is not None
    sweep(first_due - timedelta(3))
    assert len(told(authority_officer)) == 1

    new_due = first_due + timedelta(21)
    process_extend(
        actor=acting(authority_officer),
        process=clock,
        new_due_on=new_due,
        reason="The health board's report is late.",
    )
    sweep(first_due - timedelta(2))
    sweep(new_due - timedelta(3))

    reminders = told(authority_officer, NotificationKind.REMINDER)
    assert len(reminders) == 2
    assert f":{new_due}:3:" in reminders[1].dedupe_key

    for person in (parent, young_person):
        (changed,) = told(person)
        assert changed.kind == NotificationKind.DATE_CHANGED
        with translation.override("en"):
            assert new_due.strftime("%-d %B %Y") in changed.body
        assert "Reason: The health board's report is late." in changed.body
        assert "Glasgow City" in changed.body
        assert "You do not need to do anything" in changed.body
    assert told(other_parent) == []


def test_a_paused_clock_is_not_reminded_and_the_family_hears_it_was_paused(
    clock: StatutoryProcess, authority_officer: User, parent: User
) -> None:
    assert clock.due_on is not None
    process_pause(
        actor=acting(authority_officer),
        process=clock,
        paused_on=TODAY,
        reason="Waiting for the family to agree a meeting date.",
    )
    sweep(clock.due_on - timedelta(3))
    sweep(clock.due_on + timedelta(3))
    assert told(authority_officer) == []
    (paused,) = told(parent)
    assert "paused" in paused.subject
    assert "Reason: Waiting for the family" in paused.body


def test_a_school_run_clock_reminds_the_schools_leads_and_an_agencys_its_practitioners(
    world, learner: Learner, support_lead: User, head: User, teacher: User,
    agency_practitioner: User, other_agency: User, authority_officer: User,
) -> None:  # fmt: skip
    school_clock = request_clock(learner)
    StatutoryProcess.objects.filter(pk=school_clock.pk).update(responsible="setting")
    agency_clock = process_start(
        actor=SYSTEM,
        learner=learner,
        rule_key="scotland.agency_help",
        started_on=TODAY - timedelta(10),
        agency=world.agency,
    )
    assert school_clock.due_on is not None and agency_clock.due_on is not None
    sweep(school_clock.due_on - timedelta(3))
    sweep(agency_clock.due_on + timedelta(1))

    for lead in (support_lead, head):
        assert {n.dedupe_key.split(":")[1] for n in told(lead)} == {str(school_clock.pk)}
    assert [n.kind for n in told(agency_practitioner)] == [NotificationKind.OVERDUE]
    assert told(teacher) == told(other_agency) == told(authority_officer) == []


def test_with_nobody_in_post_at_the_school_the_authority_is_told(
    learner: Learner, authority_officer: User
) -> None:
    school_clock = request_clock(learner)
    StatutoryProcess.objects.filter(pk=school_clock.pk).update(responsible="setting")
    assert school_clock.due_on is not None
    sweep(school_clock.due_on - timedelta(3))
    assert len(told(authority_officer)) == 1


@pytest.fixture
def cardiff_school(db: None) -> Setting:
    return SettingFactory.create(authority=authority("Cardiff"), name="Ysgol Glan Taf")


def cardiff_staff(email: str, role: str, school: Setting, language: str = "en") -> User:
    user = UserFactory.create(email=email, preferred_language=language)
    if role == Role.LOCAL_AUTHORITY_OFFICER:
        MembershipFactory.create(user=user, role=role, authority=school.authority)
    else:
        MembershipFactory.create(user=user, role=role, setting=school)
    return user


def waiting_for_the_2026_27_calendar(school: Setting) -> StatutoryProcess:
    process = process_start(
        actor=SYSTEM,
        learner=enrolled_learner(school, year_group="Y4"),
        rule_key="wales.individual_development_plan_school_decision",
        started_on=date(2026, 6, 15),
    )
    assert process.due_on is None and process.calendar_year_needed == "2026-27"
    return process


def test_the_authority_is_told_once_per_academic_year_which_calendar_to_import(
    cardiff_school: Setting, administrator: User, authority_officer: User
) -> None:
    cardiff_officer = cardiff_staff(
        "cardiff-officer@example.org", Role.LOCAL_AUTHORITY_OFFICER, cardiff_school
    )
    waiting_for_the_2026_27_calendar(cardiff_school)
    waiting_for_the_2026_27_calendar(cardiff_school)

    sweep(TODAY)
    sweep(TODAY)

    for person in (cardiff_officer, administrator):
        (notice,) = told(person)
        assert notice.kind == NotificationKind.CALENDAR_NEEDED
        assert notice.body.startswith(
            "The 2026/27 calendar for Cardiff is needed to set 2 statutory dates"
        )
        assert "stagewise calendar import" in notice.body
    assert told(authority_officer) == []


def test_a_clock_waiting_for_a_calendar_gets_its_date_once_the_calendar_is_loaded(
    cardiff_school: Setting,
) -> None:
    process = waiting_for_the_2026_27_calendar(cardiff_school)
    SchoolCalendarPeriod.objects.create(
        authority=cardiff_school.authority,
        academic_year="2026-27",
        kind="term",
        first_day=date(2026, 9, 1),
        last_day=date(2027, 7, 20),
    )
    sweep(TODAY)
    process.refresh_from_db()
    assert process.due_on is not None
    assert not Notification.objects.filter(kind=NotificationKind.CALENDAR_NEEDED).exists()


def test_each_person_gets_one_email_in_their_language_naming_no_learner(
    cardiff_school: Setting,
) -> None:
    alnco = cardiff_staff("alnco@example.org", Role.SUPPORT_FOR_LEARNING_LEAD, cardiff_school, "cy")
    head = cardiff_staff("pennaeth@example.org", Role.HEAD_TEACHER, cardiff_school, "en")
    learners = [enrolled_learner(cardiff_school, year_group="Y4") for _ in range(2)]
    clocks = [
        process_start(
            actor=SYSTEM,
            learner=learner,
            rule_key="wales.individual_development_plan_review",
            started_on=TODAY - timedelta(30),
        )
        for learner in learners
    ]
    due = clocks[0].due_on
    assert due is not None
    mail.outbox.clear()

    sweep(due - timedelta(14))
    sweep(due - timedelta(14))

    by_address = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_address) == ["alnco@example.org", "pennaeth@example.org"]
    welsh = by_address["alnco@example.org"]
    with translation.override("cy"):
        assert welsh.subject == translation.ngettext(
            "Stagewise: %(count)s new notice", "Stagewise: %(count)s new notices", 2
        ) % {"count": 2}
        assert told(alnco)[0].subject in welsh.body
    assert welsh.subject != by_address["pennaeth@example.org"].subject
    assert "/notifications/" in welsh.body
    for learner in learners:
        assert learner.legal_last_name not in welsh.body
    assert all(n.emailed_at is not None for n in told(alnco) + told(head))


def test_the_sweeps_queries_do_not_grow_with_the_number_of_clocks(
    school: Setting, authority_officer: User, support_lead: User
) -> None:
    def clocks_due_in_three_days(count: int) -> date:
        for _ in range(count):
            due = request_clock(enrolled_learner(school)).due_on
        assert due is not None
        return due

    def queries_for_a_sweep(today: date) -> int:
        with CaptureQueriesContext(connection) as queries:
            sweep(today)
        return len(queries)

    few = queries_for_a_sweep(clocks_due_in_three_days(5) - timedelta(3))
    Notification.objects.all().delete()
    many = queries_for_a_sweep(clocks_due_in_three_days(50) - timedelta(3))

    assert Notification.objects.count() == 55
    assert many == few


@pytest.fixture
def school(world) -> Setting:
    return world.school


def test_only_stagewise_itself_runs_the_sweep(authority_officer: User) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        deadline_sweep_run(actor=acting(authority_officer))  # type: ignore[arg-type]


def test_the_command_and_the_task_run_one_sweep(
    clock: StatutoryProcess, authority_officer: User, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("deadline_sweep")
    assert "Reminders:" in capsys.readouterr().out
    result = deadline_sweep.enqueue()
    assert result.return_value is not None
    assert set(result.return_value) >= {"reminders", "overdue", "emails"}


def test_the_console_command_takes_the_sweep_with_a_hyphen(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sys

    from stagewise import cli

    monkeypatch.setattr(sys, "argv", ["stagewise", "deadline-sweep"])
    cli.main()
    assert "Reminders: 0." in capsys.readouterr().out


def test_a_long_digest_lists_twenty_subjects_and_says_how_many_more(
    authority_officer: User,
) -> None:
    from stagewise.notifications.services import notifications_email_pending

    for number in range(25):
        Notification.objects.create(
            recipient=authority_officer,
            kind=NotificationKind.REMINDER,
            subject=f"Notice {number}",
            body="What to do: read it.",
            dedupe_key=f"test:{number}",
        )
    mail.outbox.clear()
    assert notifications_email_pending() == 1
    (message,) = mail.outbox
    assert message.body.count("- Notice ") == 20
    assert "- and 5 more" in message.body
