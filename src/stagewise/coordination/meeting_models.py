"""Meetings around a learner: a child planning meeting, a team around the child, a joint support
team. Invitees from the school, the authority, the services working with the learner and the
family; the child's and the family's views gathered beforehand; minutes; agreed actions, each
with an owner and a due date, which appear in the owner's work queue.

A service sees a meeting only while it sees the learner (a consented request it has taken on,
ADR 0013) and only if one of its practitioners is invited (ADR 0014). Families see a meeting's
date, the invitations, their own views, and the minutes and actions once shared with them;
never the staff-only notes.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from stagewise import plausible
from stagewise.organisations.models import Agency


class MeetingKind(models.TextChoices):
    CHILD_PLANNING = "child_planning", _("Child planning meeting")
    TEAM_AROUND_THE_CHILD = "team_around_the_child", _("Team around the child")
    JOINT_SUPPORT_TEAM = "joint_support_team", _("Joint support team")


class Meeting(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    learner = models.ForeignKey(
        "learners.Learner", on_delete=models.CASCADE, related_name="meetings"
    )
    kind = models.CharField(_("kind of meeting"), max_length=30, choices=MeetingKind.choices)
    held_on = plausible.DateField(_("date of the meeting"), within=plausible.PLANNED)
    starts_at = models.TimeField(_("time"))
    place = plausible.CharField(
        _("where"), max_length=300, help_text=_("A room and building, or how to join online.")
    )
    online = models.BooleanField(_("held online"), default=False)
    purpose = plausible.TextField(_("purpose"), max_length=2_000)
    # The plan the meeting is about, if any (a review of the child's plan).
    plan = models.ForeignKey(
        "planning.Plan",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("plan"),
    )
    # Empty when Stagewise arranged it itself (the demo, an import).
    organised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organiser_label = models.CharField(max_length=300, blank=True)
    staff_notes = plausible.TextField(
        _("staff-only notes"),
        max_length=4_000,
        blank=True,
        help_text=_("Never shown to the family."),
    )
    minutes = plausible.TextField(_("minutes"), max_length=20_000, blank=True)
    minutes_agreed_at = models.DateTimeField(_("minutes agreed on"), null=True, blank=True)
    # The minutes and the agreed actions, shown to the family from then on.
    shared_with_family_at = models.DateTimeField(
        _("shared with the family on"), null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-starts_at", "-pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [models.Index(fields=["learner", "held_on"], name="meeting_learner_day")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.held_on}"

    @property
    def minutes_agreed(self) -> bool:
        return self.minutes_agreed_at is not None

    @property
    def shared_with_family(self) -> bool:
        return self.shared_with_family_at is not None


class InviteeKind(models.TextChoices):
    STAFF = "staff", _("School or authority staff")
    SERVICE = "service", _("Practitioner of a service")
    PARENT = "parent", _("Parent or carer")
    YOUNG_PERSON = "young_person", _("The child or young person")


STAFF_INVITEE_KINDS = (InviteeKind.STAFF, InviteeKind.SERVICE)
FAMILY_INVITEE_KINDS = (InviteeKind.PARENT, InviteeKind.YOUNG_PERSON)


class Attendance(models.TextChoices):
    INVITED = "invited", _("Invited")
    ATTENDED = "attended", _("Attended")
    APOLOGIES = "apologies", _("Sent apologies")


class MeetingInvitee(models.Model):
    """Someone invited: a member of staff or a service's practitioner (a user), a parent or carer
    (a carer, who may have no account) or the young person. Their name and organisation are
    kept as they were, so the record reads right after they move on."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitees")
    kind = models.CharField(_("who"), max_length=20, choices=InviteeKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    carer = models.ForeignKey(
        "learners.Carer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The practitioner's service: its manager sees the meeting too, while the service is involved.
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("name"), max_length=300)
    organisation_label = models.CharField(_("organisation"), max_length=300, blank=True)
    attendance = models.CharField(
        _("attendance"), max_length=20, choices=Attendance.choices, default=Attendance.INVITED
    )

    class Meta:
        ordering = ["kind", "name", "pk"]
        verbose_name = _("invitee")
        verbose_name_plural = _("invitees")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=models.Q(user__isnull=False),
                name="meeting_invitee_user_once",
            ),
            models.UniqueConstraint(
                fields=["meeting", "carer"],
                condition=models.Q(carer__isnull=False),
                name="meeting_invitee_carer_once",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_family(self) -> bool:
        return self.kind in FAMILY_INVITEE_KINDS


class ViewsOf(models.TextChoices):
    CHILD = "child", _("The child's or young person's views")
    FAMILY = "family", _("The family's views")


class MeetingViews(models.Model):
    """Views gathered before the meeting, in the person's own words: written by the parent or
    young person themselves, or by staff on their behalf (which the record says)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="views")
    whose = models.CharField(_("whose views"), max_length=10, choices=ViewsOf.choices)
    words = plausible.TextField(_("views"), max_length=4_000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_by_label = models.CharField(max_length=300, blank=True)
    # Written by staff for the child or family (told in person, on the telephone, in a drawing).
    on_their_behalf = models.BooleanField(default=False)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["whose", "recorded_at", "pk"]
        verbose_name = _("views before a meeting")
        verbose_name_plural = _("views before a meeting")

    def __str__(self) -> str:
        return self.get_whose_display()


class MeetingAction(models.Model):
    """Something the meeting agreed someone would do, by a date: in its owner's work queue
    until they mark it done."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    # The meeting's learner, kept here so the owner's work queue finds it in one query.
    learner = models.ForeignKey(
        "learners.Learner", on_delete=models.CASCADE, related_name="meeting_actions"
    )
    description = plausible.TextField(_("what is to be done"), max_length=1_000)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="meeting_actions",
        verbose_name=_("who will do it"),
    )
    owner_label = models.CharField(max_length=300)
    due_on = plausible.DateField(_("due by"), within=plausible.PLANNED)
    done_at = models.DateTimeField(_("done on"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("agreed action")
        verbose_name_plural = _("agreed actions")
        indexes = [models.Index(fields=["owner", "done_at"], name="meeting_action_owner_open")]

    def __str__(self) -> str:
        return self.description

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class MeetingEventKind(models.TextChoices):
    ARRANGED = "arranged", _("Arranged")
    INVITED = "invited", _("Invited")
    ATTENDANCE = "attendance", _("Attendance recorded")
    VIEWS = "views", _("Views recorded")
    MINUTES_WRITTEN = "minutes_written", _("Minutes written")
    MINUTES_AGREED = "minutes_agreed", _("Minutes agreed")
    MINUTES_AMENDED = "minutes_amended", _("Agreed minutes amended")
    SHARED = "shared", _("Minutes and actions shared with the family")
    ACTION_AGREED = "action_agreed", _("Action agreed")
    ACTION_DONE = "action_done", _("Action done")


class MeetingEvent(models.Model):
    """One step in a meeting's life. An amendment of agreed minutes keeps the words it replaced
    (`previous`), so agreed minutes are never silently rewritten."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=MeetingEventKind.choices)
    note = models.TextField(blank=True)
    previous = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=300, blank=True)
    happened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["happened_at", "pk"]
        verbose_name = _("meeting event")
        verbose_name_plural = _("meeting events")

    def __str__(self) -> str:
        return self.get_kind_display()
