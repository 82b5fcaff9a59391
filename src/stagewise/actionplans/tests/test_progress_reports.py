"""The 18-month progress report (LI 29): the Scottish Government's policy officer makes a draft
for a period that has ended; it shows every action's status at the start and the end (from the
status changes), the updates and changes dated in between, the linked measures' national figures
at both ends (withheld where disclosure control requires) and what was overdue at the end, as a
page, a tagged PDF and a CSV, marked as a draft in all three. Once published it is public and
frozen: later tracking changes nothing in it, and nothing changes or deletes it. Drafts are never
public; staff pages are for policy officers alone.

The world (built once for this module): the published plans loaded; `government_officer` works for
the Scottish Government, `board_officer` for the ASL Project Board; a teacher, an analyst and a
parent stand for everyone else. In the period (1 December 2024 to 31 May 2026): LI 9 has an update
dated 2 June 2025 and the attendance measure linked; 6.1.5 went from ongoing to complete on
3 March 2025; LI 1 went to ongoing on 1 July 2026, after the period. Scotland's attendance for
learners with additional support needs: 2024/25 about 60 learners (shown), 2025/26 about 3
(withheld).
"""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
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
    ProgressReport,
    PublishedReportUnchangeable,
    StatusChange,
)
from stagewise.actionplans.progress_reports import NOT_YET_PUBLISHED, status_on
from stagewise.actionplans.services import (
    action_measure_link,
    action_status_change,
    progress_report_contents,
    progress_report_create,
    progress_report_delete,
    progress_report_publish,
    progress_update_add,
    published_plans_load,
)
from stagewise.audit.models import AuditEvent
from stagewise.conftest import staff_member
from stagewise.measurement.models import Measure
from stagewise.organisations.models import NationalBody, Role
from stagewise.policy import SYSTEM, CapabilityRequired
from stagewise.printing import missing_pdf_library
from stagewise.testing.factories import SettingFactory, UserFactory, authority, scotland
from stagewise.testing.measures import summary
from stagewise.testing.pdf import pdf_metadata, pdf_text
from stagewise.testing.worlds import built_once_per_module

pytestmark = pytest.mark.django_db

STARTS, ENDS = date(2024, 12, 1), date(2026, 5, 31)
LI_9_UPDATE = "The framework is being tested in three authorities."


@dataclass
class ReportWorld:
    users: dict[str, User]

    def client(self, name: str) -> Client:
        client = Client()
        client.force_login(self.users[name])
        return client

    def actor(self, name: str) -> Any:
        return actors_for(self.users[name])[0]


def action(number: str) -> Action:
    return Action.objects.get(number=number)


def _officer(email: str, body: str) -> User:
    return staff_member(
        email, Role.POLICY_OFFICER, national_body=NationalBody.objects.get(code=body)
    )


def _build() -> ReportWorld:
    published_plans_load(actor=SYSTEM)
    school = SettingFactory.create(authority=authority("Glasgow City"))
    users = {
        "government_officer": _officer("sg@example.org", "scottish-government"),
        "board_officer": _officer("board@example.org", "asl-project-board"),
        "teacher": staff_member("teacher@example.org", Role.CLASS_TEACHER, setting=school),
        "analyst": staff_member("analyst@example.org", Role.NATIONAL_ANALYST, nation=scotland()),
        "parent": UserFactory.create(email="parent@example.org"),
    }
    officer = actors_for(users["government_officer"])[0]
    progress_update_add(
        actor=officer, action=action("LI 9"), written_on=date(2025, 6, 2), text=LI_9_UPDATE
    )
    action_measure_link(
        actor=officer, action=action("LI 9"), measure=Measure.objects.get(code="attendance_rate")
    )
    action_status_change(
        actor=officer,
        action=action("6.1.5"),
        status="complete",
        reason="Mediation information is on every council's website.",
        changed_on=date(2025, 3, 3),
    )
    action_status_change(
        actor=officer,
        action=action("LI 1"),
        status="ongoing",
        reason="Work began.",
        changed_on=date(2026, 7, 1),
    )
    nation = scotland()
    summary(
        nation, "attendance_rate", 2024, needs=True, learners=60, numerator=870, denominator=1000
    )
    summary(nation, "attendance_rate", 2025, needs=True, learners=3, numerator=170, denominator=200)
    return ReportWorld(users=users)


@pytest.fixture(scope="module")
def built(django_db_setup: None, django_db_blocker: Any) -> Iterator[ReportWorld]:
    with built_once_per_module(_build, django_db_blocker) as world:
        yield world


def draft(built: ReportWorld, **period: date) -> ProgressReport:
    return progress_report_create(
        actor=built.actor("government_officer"),
        title="Progress report, June 2026",
        starts_on=period.get("starts_on", STARTS),
        ends_on=period.get("ends_on", ENDS),
    )


def line(contents: dict[str, Any], number: str) -> dict[str, Any]:
    return next(
        action
        for plan in contents["plans"]
        for action in plan["actions"]
        if action["number"] == number
    )


def csv_rows(response: Any) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


# What the report shows ----------------------------------------------------------------------------


def test_an_actions_status_on_a_day_comes_from_its_status_changes(built):
    changes = list(StatusChange.objects.filter(action=action("6.1.5")).order_by("changed_on"))
    published = date(2024, 11, 1)

    assert status_on(date(2025, 3, 2), changes, "complete", published) == "ongoing"
    assert status_on(date(2025, 3, 3), changes, "complete", published) == "complete"
    assert status_on(date(2024, 10, 31), changes, "complete", published) == NOT_YET_PUBLISHED
    assert status_on(date(2025, 1, 1), [], "", published) == ""  # as published: not stated


def test_a_draft_shows_each_actions_status_at_both_ends_and_what_happened_between(built):
    contents = progress_report_contents(draft(built))

    li_9, item, li_1 = line(contents, "LI 9"), line(contents, "6.1.5"), line(contents, "LI 1")
    assert [u["text"] for u in li_9["updates"]] == [LI_9_UPDATE]
    assert (item["status_at_start"], item["status_at_end"]) == ("ongoing", "complete")
    assert [(c["from_status"], c["to_status"]) for c in item["status_changes"]] == [
        ("ongoing", "complete")
    ]
    # LI 1's change came after the period: at both ends it was as published (not stated).
    assert (li_1["status_at_start"], li_1["status_at_end"], li_1["status_changes"]) == ("", "", [])
    assert li_9["overdue_at_end"] and not item["overdue_at_end"]
    assert contents["actions"] == 36
    assert {plan["code"] for plan in contents["plans"]} == set(
        ProgressReport.objects.get().plans.values_list("code", flat=True)
    )


def test_linked_measures_show_national_figures_at_both_ends_and_a_small_group_is_withheld(built):
    (measure,) = line(progress_report_contents(draft(built)), "LI 9")["measures"]

    assert measure["code"] == "attendance_rate"
    assert measure["at_start"]["with_needs"] == {"state": "shown", "value": "87.0"}
    assert measure["at_end"]["with_needs"] == {"state": "withheld", "value": ""}


def test_the_summary_counts_actions_by_status_at_both_ends(built):
    contents = progress_report_contents(draft(built))
    summary_lines = {line["status"]: line for line in contents["summary"]}

    assert summary_lines["complete"]["at_end"] == summary_lines["complete"]["at_start"] + 1
    assert sum(line["at_end"] for line in contents["summary"]) == 36
    assert contents["overdue_at_end"] == sum(
        action["overdue_at_end"] for plan in contents["plans"] for action in plan["actions"]
    )


def test_a_period_before_a_plan_was_published_shows_its_actions_not_yet_published(built):
    contents = progress_report_contents(
        draft(built, starts_on=date(2024, 6, 1), ends_on=date(2025, 11, 30))
    )

    assert line(contents, "6.1.1")["status_at_start"] == NOT_YET_PUBLISHED
    assert line(contents, "6.1.1")["status_at_end"] == "ongoing"


# Bad input --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "message"),
    [
        (date(2025, 6, 1), date(2025, 5, 31), "must be the same as or after its start"),
        (date(2025, 6, 1), timezone.localdate() + timedelta(days=1), "today or in the past"),
        (date(2019, 1, 1), date(2020, 6, 30), "No action plan had been published"),
    ],
)
def test_a_period_that_cannot_be_reported_on_is_refused_and_nothing_is_saved(
    built, starts_on, ends_on, message
):
    response = built.client("government_officer").post(
        reverse("action_plans:report_new"),
        {
            "title": "A report",
            "starts_on_0": starts_on.day,
            "starts_on_1": starts_on.month,
            "starts_on_2": starts_on.year,
            "ends_on_0": ends_on.day,
            "ends_on_1": ends_on.month,
            "ends_on_2": ends_on.year,
        },
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_an_empty_form_says_what_to_enter(built):
    response = built.client("government_officer").post(reverse("action_plans:report_new"), {})

    page = response.content.decode()
    assert "Enter the title of the report." in page
    assert "Enter the start of the period." in page and "Enter the end of the period." in page


def test_only_the_national_officer_makes_and_publishes_reports(built):
    report = draft(built)

    with pytest.raises(CapabilityRequired):
        progress_report_create(
            actor=built.actor("board_officer"), title="x", starts_on=STARTS, ends_on=ENDS
        )
    with pytest.raises(CapabilityRequired):
        progress_report_publish(actor=built.actor("board_officer"), report=report)
    board = built.client("board_officer")
    assert board.get(reverse("action_plans:report", args=[report.pk])).status_code == 200
    assert board.get(reverse("action_plans:report_new")).status_code == 404
    for name in ("report_publish", "report_delete"):
        assert board.post(reverse(f"action_plans:{name}", args=[report.pk])).status_code == 404
    assert ProgressReport.objects.get().state == "draft"


# Publication ------------------------------------------------------------------------------------


def test_the_officer_publishes_a_draft_after_confirming_and_it_is_audited(built):
    client = built.client("government_officer")
    made = client.post(
        reverse("action_plans:report_new"),
        {
            "title": "Progress report, June 2026",
            "starts_on_0": 1,
            "starts_on_1": 12,
            "starts_on_2": 2024,
            "ends_on_0": 31,
            "ends_on_1": 5,
            "ends_on_2": 2026,
        },
    )
    report = ProgressReport.objects.get()
    publish = reverse("action_plans:report_publish", args=[report.pk])

    confirmation = client.get(publish)
    published = client.post(publish)

    assert made.status_code == 302
    assert "can never be changed or deleted" in confirmation.content.decode()
    assert published.status_code == 302
    report.refresh_from_db()
    assert report.is_published and report.published_by == built.users["government_officer"]
    assert {
        e.action for e in AuditEvent.objects.filter(object_type="action_plan_progress_report")
    } == {"create", "update"}
    # Published: no second publication, no deletion, through the pages or the services.
    assert client.get(publish).status_code == 404
    assert client.post(reverse("action_plans:report_delete", args=[report.pk])).status_code == 404


def test_a_published_report_never_changes_whatever_is_recorded_later(built):
    officer = built.actor("government_officer")
    report = progress_report_publish(actor=officer, report=draft(built))
    frozen = report.contents

    progress_update_add(
        actor=officer, action=action("6.1.1"), written_on=date(2025, 9, 1), text="Late news."
    )
    action_status_change(
        actor=officer,
        action=action("LI 9"),
        status="complete",
        reason="Done.",
        changed_on=date(2025, 1, 6),
    )
    again = ProgressReport.objects.get(pk=report.pk)

    assert progress_report_contents(again) == frozen
    assert line(frozen, "LI 9")["status_at_end"] == ""
    assert line(frozen, "6.1.1")["updates"] == []
    assert line(progress_report_contents(draft(built)), "LI 9")["status_at_end"] == "complete"


def test_nothing_changes_or_deletes_a_published_report(built):
    officer = built.actor("government_officer")
    report = progress_report_publish(actor=officer, report=draft(built))
    read = ProgressReport.objects.get(pk=report.pk)

    with pytest.raises(ValidationError, match="already been published"):
        progress_report_publish(actor=officer, report=read)
    with pytest.raises(ValidationError, match="cannot be deleted"):
        progress_report_delete(actor=officer, report=read)
    read.title = "Changed"
    with pytest.raises(PublishedReportUnchangeable):
        read.save()
    with pytest.raises(PublishedReportUnchangeable):
        read.delete()
    assert ProgressReport.objects.get(pk=report.pk).title == "Progress report, June 2026"


def test_a_draft_may_be_deleted(built):
    report = draft(built)

    response = built.client("government_officer").post(
        reverse("action_plans:report_delete", args=[report.pk])
    )

    assert response.status_code == 302
    assert not ProgressReport.objects.exists()


# Who reads what ---------------------------------------------------------------------------------

STAFF_PAGES = ("report", "report_pdf", "report_csv")


@pytest.mark.parametrize("name", ["teacher", "analyst", "parent"])
def test_anyone_but_a_policy_officer_is_told_the_staff_pages_do_not_exist(built, name):
    report = draft(built)
    client = built.client(name)

    assert client.get(reverse("action_plans:reports")).status_code == 404
    assert client.get(reverse("action_plans:report_new")).status_code == 404
    for page in (*STAFF_PAGES, "report_publish", "report_delete"):
        assert client.get(reverse(f"action_plans:{page}", args=[report.pk])).status_code == 404


def test_a_draft_is_never_public(built, client):
    report = draft(built)

    listing = client.get(reverse("public_action_plans:reports"))

    assert report.title not in listing.content.decode()
    for page in STAFF_PAGES:
        assert (
            client.get(reverse(f"public_action_plans:{page}", args=[report.pk])).status_code == 404
        )
    assert client.get(reverse("public_action_plans:report", args=[0])).status_code == 404


def test_a_signed_out_visitor_reads_a_published_report_and_downloads_its_csv(built, client):
    report = progress_report_publish(actor=built.actor("government_officer"), report=draft(built))

    listing = client.get(reverse("public_action_plans:reports")).content.decode()
    page = client.get(reverse("public_action_plans:report", args=[report.pk])).content.decode()
    rows = csv_rows(client.get(reverse("public_action_plans:report_csv", args=[report.pk])))

    assert report.title in listing
    assert LI_9_UPDATE in page and "Mediation information" in page
    assert "Draft" not in page
    assert len(rows) == 36 and {row["State"] for row in rows} == {"Published"}
    item = next(row for row in rows if row["Action"] == "6.1.5")
    assert (item["Status at the start"], item["Status at the end"]) == ("Ongoing", "Complete")
    li_9 = next(row for row in rows if row["Action"] == "LI 9")
    assert li_9["Overdue at the end"] == "Yes"
    assert (
        "Attendance" in li_9["Measures for learners with additional support needs (start; end)"]
        and "87.0%; withheld"
        in li_9["Measures for learners with additional support needs (start; end)"]
    )


# The CSV and the PDF ----------------------------------------------------------------------------


def test_the_draft_csv_says_draft_on_every_line_and_a_formula_is_written_as_text(built):
    officer = built.actor("government_officer")
    progress_update_add(
        actor=officer,
        action=action("LI 2"),
        written_on=date(2025, 2, 3),
        text='=HYPERLINK("https://example.org","see")',
    )
    report = draft(built)

    response = built.client("government_officer").get(
        reverse("action_plans:report_csv", args=[report.pk])
    )
    rows = csv_rows(response)

    assert "draft" in response["Content-Disposition"]
    assert {row["State"] for row in rows} == {"Draft"}
    li_2 = next(row for row in rows if row["Action"] == "LI 2")
    assert li_2["Progress updates in the period"].startswith("2025-02-03: =HYPERLINK")
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row.values())
    assert AuditEvent.objects.filter(
        object_type="action_plan_progress_report", action="export"
    ).exists()


@pytest.mark.skipif(missing_pdf_library() is not None, reason="WeasyPrint cannot run here")
def test_the_pdf_is_tagged_pdf_ua_and_a_draft_says_it_is_one(built, client):
    report = draft(built)
    staff = built.client("government_officer")

    draft_pdf = staff.get(reverse("action_plans:report_pdf", args=[report.pk])).content
    progress_report_publish(actor=built.actor("government_officer"), report=report)
    public_pdf = client.get(reverse("public_action_plans:report_pdf", args=[report.pk])).content

    metadata = pdf_metadata(public_pdf)
    assert metadata["pdfua_part"] == 1 and metadata["tagged"] and metadata["has_structure_tree"]
    assert metadata["language"] == "en" and metadata["title"] == report.title
    assert "Table" in metadata["structure_types"]
    assert "Draft: not published" in pdf_text(draft_pdf)
    assert pdf_metadata(draft_pdf)["title"].startswith("Draft:")
    assert "Draft" not in pdf_text(public_pdf)
    assert LI_9_UPDATE in pdf_text(public_pdf)


# Cost and Welsh ---------------------------------------------------------------------------------


def test_a_reports_page_costs_the_same_however_much_is_recorded(built):
    report = draft(built)
    client = built.client("government_officer")
    url = reverse("action_plans:report", args=[report.pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    before = queries()
    officer = built.actor("government_officer")
    for item in Action.objects.all()[:8]:
        progress_update_add(actor=officer, action=item, written_on=date(2025, 4, 7), text="More.")
        action_status_change(
            actor=officer,
            action=item,
            status="superseded",
            reason="Replaced.",
            changed_on=date(2025, 4, 8),
        )
    action_measure_link(
        actor=officer,
        action=action("LI 30"),
        measure=Measure.objects.get(code="exclusions_per_thousand"),
    )

    assert queries() == before


def test_in_welsh_the_report_is_welsh_and_the_plans_words_stay_english(built, client):
    report = progress_report_publish(actor=built.actor("government_officer"), report=draft(built))
    client.post(reverse("accounts:language"), {"language": "cy"})

    page = client.get(reverse("public_action_plans:report", args=[report.pk])).content.decode()

    assert 'lang="cy"' in page
    assert "Statws ar y diwedd" in page
    assert f'<p class="govuk-body" lang="en">{action("LI 9").text}' in page
