"""Notices to people who sign in: a statutory date drawing near or passed, a calendar needed to
set dates, a family's date that moved. Each is written once, in its recipient's language."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    REMINDER = "reminder", _("Statutory date coming up")
    OVERDUE = "overdue", _("Statutory date passed")
    CALENDAR_NEEDED = "calendar_needed", _("School calendar needed")
    DATE_CHANGED = "date_changed", _("Statutory date changed")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent to share withdrawn")
    RIGHTS_REQUEST_DECIDED = "rights_decided", _("Decision on a request")
    REVIEW_VIEWS_INVITED = "review_views", _("Views asked for before a review")
    LEARNER_MOVED = "learner_moved", _("Move to a new school")
    ROUTE_DEADLINE = "route_deadline", _("Time limit to take a disagreement further")
    PARENT_SHARING_RECORDED = "parent_sharing", _("What your parents can see")


# 1 for a notice not yet read, 0 once read: the first key of a person's list (unread first).
UNREAD = models.Case(
    models.When(read_at__isnull=True, then=models.Value(1)),
    default=models.Value(0),
    output_field=models.IntegerField(),
)


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    learner = models.ForeignKey(
        "learners.Learner",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NotificationKind.choices)
    subject = models.CharField(_("subject"), max_length=300)
    # What changed and what to do, in the recipient's language when it was written.
    body = models.TextField(_("message"))
    link_url = models.CharField(_("link"), max_length=500, blank=True)
    # Names the occasion for this recipient (the clock, its due date and lead time; the event;
    # the authority and year): the database refuses a second notice for the same occasion.
    dedupe_key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_recipient_read"),
            # A person's list, unread first and newest first, by cursor (notifications/selectors.py
            # NOTIFICATION_LIST_ORDER, the same expression).
            models.Index(
                models.F("recipient"),
                UNREAD.desc(),
                models.F("created_at").desc(),
                models.F("id").desc(),
                name="notification_list_order",
            ),
            models.Index(
                fields=["emailed_at"],
                name="notification_to_email",
                condition=models.Q(emailed_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def paragraphs(self) -> list[str]:
        return [part for part in self.body.split("\n\n") if part.strip()]

    @property
    def is_unread(self) -> bool:
        return self.read_at is None
