"""The notifications page, with notices read and unread, passes axe in English and Welsh."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from stagewise.accounts.models import User
from stagewise.learners.models import Learner
from stagewise.notifications.deadlines import deadline_sweep_run
from stagewise.notifications.models import Notification
from stagewise.policy import SYSTEM
from stagewise.statutory.services import process_extend, process_start
from stagewise.testing.plans import acting

from .support import LANGUAGES, check_page, sign_in_as, t


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_notifications_page_is_accessible(
    page: Page, live_server, learner: Learner, authority_officer: User, parent: User, language: str
) -> None:
    for person in (authority_officer, parent):
        person.preferred_language = language
        person.save(update_fields=["preferred_language"])
    clock = process_start(
        actor=SYSTEM,
        learner=learner,
        rule_key="scotland.establish_needs_request",
        started_on=timezone.localdate() - timedelta(10),
    )
    assert clock.due_on is not None
    deadline_sweep_run(actor=SYSTEM, today=clock.due_on - timedelta(14))
    process_extend(
        actor=acting(authority_officer),
        process=clock,
        new_due_on=clock.due_on + timedelta(7),
        reason="The family asked for the meeting to move.",
    )
    deadline_sweep_run(actor=SYSTEM, today=clock.due_on + timedelta(1))
    first = Notification.objects.filter(recipient=authority_officer).earliest("pk")
    first.read_at = timezone.now()
    first.save(update_fields=["read_at"])

    for person, who in ((authority_officer, "staff"), (parent, "family")):
        sign_in_as(page, live_server.url, person, language)
        page.goto("/notifications/")
        expect(page.get_by_role("heading", level=1)).to_have_text(t("Notifications", language))
        check_page(page, f"{who} notifications", language)
