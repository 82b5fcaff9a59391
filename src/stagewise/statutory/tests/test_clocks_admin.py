"""Correcting a statutory timescale and editing a school calendar in the configuration admin."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from stagewise.accounts.models import User
from stagewise.audit.models import AuditAction, AuditEvent
from stagewise.organisations.models import Nation
from stagewise.statutory.models import SchoolCalendarPeriod, StatutoryTimescale
from stagewise.statutory.selectors import deadline_for
from stagewise.testing.factories import authority, with_authenticator_app

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator() -> Client:
    client = Client()
    client.force_login(
        with_authenticator_app(
            User.objects.create_superuser("rules@example.org", "a-long-passphrase-for-tests")
        )
    )
    return client


def test_a_correction_is_a_new_version_audited_and_used_only_by_later_clocks(
    administrator: Client,
) -> None:
    response = administrator.post(
        reverse("admin:statutory_statutorytimescale_add"),
        {
            "key": "scotland.agency_help",
            "nation": Nation.objects.get(code="scotland").pk,
            "label": "An appropriate agency answers the authority's request for help",
            "label_cy": "",
            "citation": "SSI 2005/264 as amended",
            "version": "2",
            "effective_from": "2026-04-01",
            "unit": "weeks",
            "amount": "12",
            "direction": "forward",
            "pause_or_extend": "",
            "ceiling_amount": "",
            "ceiling_unit": "",
            "responsible": "agency",
            "reminder_lead_days": "[14, 3]",
        },
    )

    assert response.status_code == 302
    added = StatutoryTimescale.objects.get(key="scotland.agency_help", version="2")
    event = AuditEvent.objects.get()
    assert (event.action, event.object_id) == (AuditAction.CREATE, str(added.pk))
    assert event.changes is not None
    assert event.changes["amount"] == [None, 12]
    assert deadline_for(rule_key="scotland.agency_help", start=date(2026, 3, 31)) == date(
        2026, 6, 9
    )
    assert deadline_for(rule_key="scotland.agency_help", start=date(2026, 4, 1)) == date(
        2026, 6, 24
    )


def test_a_stored_versions_timescale_cannot_be_changed_in_place(administrator: Client) -> None:
    rule = StatutoryTimescale.objects.get(key="scotland.agency_help")
    form = (
        administrator.get(reverse("admin:statutory_statutorytimescale_change", args=[rule.pk]))
        .context["adminform"]
        .form
    )
    assert {"amount", "unit", "effective_from", "direction"}.isdisjoint(form.fields)


def test_an_overlapping_term_added_in_the_admin_is_refused_and_not_saved(
    administrator: Client,
) -> None:
    before = SchoolCalendarPeriod.objects.count()
    response = administrator.post(
        reverse("admin:statutory_schoolcalendarperiod_add"),
        {
            "authority": authority("Cardiff").pk,
            "setting": "",
            "academic_year": "2025-26",
            "kind": "term",
            "first_day": "2025-12-01",
            "last_day": "2026-01-09",
            "description": "",
            "source": "",
        },
    )
    assert response.status_code == 200
    assert "overlaps the term 2025-09-01 to 2025-12-19" in response.content.decode()
    assert SchoolCalendarPeriod.objects.count() == before
