"""Writing notifications: creating them once per occasion, marking them read, and emailing each
person one digest of what is new."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stagewise.accounts.models import User
from stagewise.learners.access import notices_withheld_from_parents
from stagewise.notifications.models import Notification
from stagewise.notifications.selectors import notification_get

# A sweep writes and emails in batches of this many, so memory stays flat at national scale.
BATCH_SIZE = 1_000
# An email lists this many notices' subjects at most; the page has them all.
DIGEST_LINES = 20


@dataclass(frozen=True)
class Notice:
    """A notification not yet written: who it is for and the occasion that names it."""

    recipient_id: int
    dedupe_key: str
    kind: str
    subject: str
    body: str
    link_url: str = ""
    learner_id: int | None = None


def already_sent(dedupe_keys: Iterable[str]) -> set[str]:
    """Which of these occasions already have their notification."""
    keys = list(dedupe_keys)
    if not keys:
        return set()
    return set(
        Notification.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True)
    )


def notifications_create(*, notices: Iterable[Notice]) -> list[Notice]:
    """Writes the notices whose occasion has no notification yet, and returns those.
    Only Stagewise's own tasks call this: every notice is addressed by the code that made it."""
    wanted = {notice.dedupe_key: notice for notice in notices}
    if not wanted:
        return []
    existing = already_sent(wanted)
    new = [notice for key, notice in wanted.items() if key not in existing]
    rows = [
        Notification(
            recipient_id=notice.recipient_id,
            learner_id=notice.learner_id,
            kind=notice.kind,
            subject=notice.subject[:300],
            body=notice.body,
            link_url=notice.link_url,
            dedupe_key=notice.dedupe_key,
        )
        for notice in new
    ]
    # Another sweep running at the same moment may write the same occasion: the unique key
    # keeps one, and this one skips it rather than failing.
    Notification.objects.bulk_create(rows, batch_size=BATCH_SIZE, ignore_conflicts=True)
    return new


@transaction.atomic
def notification_mark_read(*, user: User, notification_id: int) -> Notification:
    notification = notification_get(user=user, notification_id=notification_id)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notifications_email_pending(*, site_url: str = "") -> int:
    """Emails each person one message listing their notifications not yet emailed, in their
    language, and marks them emailed. The email names no learner: it says what kind of notice
    is waiting and links to the notifications page, where the person signs in to read it."""
    sent = 0
    # About a part of a young person's record they now keep from this parent (ADR 0021).
    withheld = Notification.objects.filter(pk=OuterRef("pk")).filter(
        notices_withheld_from_parents()
    )
    pending = (
        Notification.objects.filter(emailed_at__isnull=True, recipient__is_active=True)
        .select_related("recipient")
        .order_by("recipient_id", "pk")
    )
    while True:
        batch = list(pending.annotate(withheld=Exists(withheld))[:BATCH_SIZE])
        if not batch:
            return sent
        by_recipient: dict[int, list[Notification]] = defaultdict(list)
        for notification in batch:
            # Marked emailed below with the rest, so a withheld notice is never sent later.
            if not notification.withheld:
                by_recipient[notification.recipient_id].append(notification)
        messages = [
            _digest(notifications[0].recipient, notifications, site_url)
            for notifications in by_recipient.values()
        ]
        # One connection for the batch (MAILERS["default"]: SMTP, or the console in a demo).
        mailers.default.send_messages(messages)
        Notification.objects.filter(pk__in=[n.pk for n in batch]).update(emailed_at=timezone.now())
        sent += len(messages)


def _digest(recipient: User, notifications: list[Notification], site_url: str) -> EmailMessage:
    from django.urls import reverse

    with translation.override(recipient.preferred_language):
        count = len(notifications)
        subject = ngettext(
            "Stagewise: %(count)s new notice", "Stagewise: %(count)s new notices", count
        ) % {"count": count}
        lines = [
            _("Hello %(name)s,") % {"name": recipient.get_short_name()},
            "",
            ngettext(
                "You have %(count)s new notice in Stagewise:",
                "You have %(count)s new notices in Stagewise:",
                count,
            )
            % {"count": count},
            "",
            *[f"- {notification.subject}" for notification in notifications[:DIGEST_LINES]],
            *(
                [
                    ngettext("- and %(count)s more", "- and %(count)s more", hidden)
                    % {"count": hidden}
                ]
                if (hidden := count - DIGEST_LINES) > 0
                else []
            ),
            "",
            _("Sign in to read them and see what to do: %(url)s")
            % {"url": f"{site_url}{reverse('notifications:list')}"},
            "",
            _(
                "This email names no learner, to keep their information safe: the details are "
                "in Stagewise."
            ),
        ]
    return EmailMessage(
        subject=subject,
        body="\n".join(lines),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
    )
