"""The notifications page: a person sees their own notices, unread first, and marks them read;
anyone else's notice is not found."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from stagewise.accounts.models import User
from stagewise.learners.models import Learner
from stagewise.notifications.models import Notification, NotificationKind
from stagewise.testing.keyset_pages import walk_pages

pytestmark = pytest.mark.django_db


def notice(user: User, subject: str, **fields: object) -> Notification:
    return Notification.objects.create(
        recipient=user,
        kind=NotificationKind.REMINDER,
        subject=subject,
        body=f"{subject}. What to do: close the clock.",
        dedupe_key=f"test:{user.pk}:{subject}",
        **fields,
    )


def test_the_page_lists_only_your_own_notices_unread_first(
    signed_in, authority_officer: User, support_lead: User
) -> None:
    read = notice(authority_officer, "Already read")
    read.read_at = read.created_at
    read.save()
    notice(authority_officer, "Still to read")
    notice(support_lead, "Someone else's notice")

    page = signed_in("authority_officer").get(reverse("notifications:list")).content.decode()

    assert page.index("Still to read") < page.index("Already read")
    assert "Someone else" not in page
    assert "What to do: close the clock." in page


def test_the_header_shows_how_many_are_unread(signed_in, authority_officer: User) -> None:
    notice(authority_officer, "One")
    notice(authority_officer, "Two")
    page = signed_in("authority_officer").get(reverse("home")).content.decode()
    assert 'stagewise-count-tag">2<span class="govuk-visually-hidden"> unread' in page


def test_marking_a_notice_read_and_opening_what_it_is_about(
    signed_in, authority_officer: User, learner: Learner
) -> None:
    profile = reverse("learners:profile", args=[learner.public_id])
    mine = notice(authority_officer, "Open me", learner=learner, link_url=profile)
    client = signed_in("authority_officer")

    response = client.post(reverse("notifications:read", args=[mine.pk]), {"open": "1"})

    assert response.status_code == 302 and response["Location"] == profile
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_mark_all_read(signed_in, authority_officer: User) -> None:
    notice(authority_officer, "One")
    notice(authority_officer, "Two")
    signed_in("authority_officer").post(reverse("notifications:read_all"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_another_persons_notice_is_not_found_and_stays_unread(
    signed_in, authority_officer: User, parent: User
) -> None:
    theirs = notice(parent, "Not yours")
    response = signed_in("authority_officer").post(reverse("notifications:read", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_a_link_elsewhere_is_never_followed(signed_in, authority_officer: User) -> None:
    odd = notice(authority_officer, "Odd", link_url="https://elsewhere.example/")
    response = signed_in("authority_officer").post(
        reverse("notifications:read", args=[odd.pk]), {"open": "1"}
    )
    assert response["Location"] == reverse("notifications:list")


def test_signed_out_people_are_sent_to_sign_in(client: Client) -> None:
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_list_pages_by_cursor_unread_first_at_the_cost_of_its_first_page(
    signed_in, authority_officer: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("stagewise.notifications.views.PAGE_SIZE", 2)
    made = [notice(authority_officer, f"Notice {number}") for number in range(7)]
    read = made[1::2]
    Notification.objects.filter(pk__in=[one.pk for one in read]).update(read_at=timezone.now())
    client = signed_in("authority_officer")
    client.get(reverse("notifications:list"))  # warm caches (sessions)

    pages = walk_pages(client, reverse("notifications:list"))

    shown = [one.pk for page in pages for one in page.response.context["notifications"]]
    unread = [one.pk for one in made if one not in read]
    assert shown == [*reversed(unread), *reversed([one.pk for one in read])]
    assert len(pages) == 4
    assert {page.queries for page in pages} == {pages[0].queries}
