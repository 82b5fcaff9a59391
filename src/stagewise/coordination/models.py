"""Multi-agency coordination: each service's published pathway, requests for assistance from a
school or authority to a service about a learner, the consent (or lawful basis) that lets the
request and the record travel, and each request's history.

A service (an `organisations.Agency`) sees a learner only through a request to it that it has
taken on (accepted, on its waiting list or in progress) and that a current consent or a recorded
lawful basis covers (learners/access.py reads `SHARING_STATUSES` and `sharing_requests`).
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, F, Q
from django.db.models.functions import Coalesce
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from stagewise import plausible
from stagewise.organisations.models import Agency, LocalAuthority, Setting
from stagewise.statutory.models import NationalStage


def _in_reader_language(english: str, welsh: str) -> str:
    if welsh and (get_language() or "").startswith("cy"):
        return welsh
    return english


class ServicePathway(models.Model):
    """How a school reaches a service in its authority: published for families and staff alike
    (the authority's pathways page needs no sign-in), so nothing here is about a learner."""

    service = models.OneToOneField(Agency, on_delete=models.CASCADE, related_name="pathway")
    summary = models.TextField(_("what the service does"), max_length=1_000)
    summary_cy = models.TextField(
        _("what the service does, in Welsh"), max_length=1_000, blank=True
    )
    access_criteria = models.TextField(_("who the service is for"), max_length=2_000)
    access_criteria_cy = models.TextField(
        _("who the service is for, in Welsh"), max_length=2_000, blank=True
    )
    request_must_include = models.TextField(_("what a request must include"), max_length=2_000)
    request_must_include_cy = models.TextField(
        _("what a request must include, in Welsh"), max_length=2_000, blank=True
    )
    # The stages of the national frame at which the service is usually involved.
    usual_stages = models.JSONField(_("usually involved at"), default=list)
    response_weeks = models.PositiveSmallIntegerField(
        _("expected response time in weeks"),
        validators=[MinValueValidator(1), MaxValueValidator(52)],
        help_text=_("How long the service takes to answer a request: accept, decline or list."),
    )
    telephone = plausible.CharField(_("telephone"), max_length=40, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    website = models.URLField(_("website"), blank=True)
    address = plausible.TextField(_("address"), max_length=500, blank=True)
    accepts_requests = models.BooleanField(
        _("takes requests through Stagewise"),
        default=True,
        help_text=_("Untick for a service families contact directly."),
    )

    class Meta:
        ordering = ["service__agency_type", "service__name"]
        verbose_name = _("service pathway")
        verbose_name_plural = _("service pathways")

    def __str__(self) -> str:
        return str(self.service)

    def clean(self) -> None:
        stages = {value for value, _label in NationalStage.choices}
        if not isinstance(self.usual_stages, list) or not set(self.usual_stages) <= stages:
            raise ValidationError({"usual_stages": _("Choose universal, targeted or specialist.")})
        if not (self.telephone or self.email or self.website or self.address):
            raise ValidationError(
                _(
                    "Give at least one way to contact the service: a telephone number, an email "
                    "address, a website or an address."
                )
            )

    @property
    def display_summary(self) -> str:
        return _in_reader_language(self.summary, self.summary_cy)

    @property
    def display_access_criteria(self) -> str:
        return _in_reader_language(self.access_criteria, self.access_criteria_cy)

    @property
    def display_request_must_include(self) -> str:
        return _in_reader_language(self.request_must_include, self.request_must_include_cy)

    @property
    def usual_stage_labels(self) -> list[str]:
        labels = dict(NationalStage.choices)
        return [str(labels[stage]) for stage in NationalStage.values if stage in self.usual_stages]


class RequestStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WAITING_LIST = "waiting_list", _("On the waiting list")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn by the requester")


# The statuses in which the service is involved and, with a sharing basis, sees the learner.
SHARING_STATUSES = (RequestStatus.ACCEPTED, RequestStatus.WAITING_LIST, RequestStatus.IN_PROGRESS)
# Waiting for the service's first answer (its response clock runs).
AWAITING_ANSWER_STATUSES = (RequestStatus.SENT,)
OPEN_REQUEST_STATUSES = (RequestStatus.SENT, *SHARING_STATUSES)


class Urgency(models.TextChoices):
    ROUTINE = "routine", _("Routine")
    SOON = "soon", _("Soon: within the response time at the latest")
    URGENT = "urgent", _("Urgent: risk of harm or of losing a placement")


# The most pressing first when two requests joined the waiting list on the same day: a key of the
# waiting list's order (coordination/queue_selectors.py) and of the index that serves it.
URGENCY_RANK = models.Case(
    models.When(urgency=Urgency.URGENT, then=models.Value(0)),
    models.When(urgency=Urgency.SOON, then=models.Value(1)),
    default=models.Value(2),
    output_field=models.IntegerField(),
)


class RecordPart(models.TextChoices):
    """The parts of a learner's record a consent may let a service see, beyond the request
    itself and the learner's name, date of birth and school, which every consent covers."""

    NEEDS = "needs", _("Needs and stage of support")
    PLANS = "plans", _("Plans, their targets and support")
    WELLBEING = "wellbeing", _("Wellbeing assessments")
    CHRONOLOGY = "chronology", _("Chronology of significant events")


class RequestForAssistanceQuerySet(models.QuerySet["RequestForAssistance"]):
    def sharing(self) -> "RequestForAssistanceQuerySet":
        """Requests through which the service now sees the learner: taken on, and covered by a
        consent not withdrawn or by a recorded lawful basis."""
        current_consent = SharingConsent.objects.filter(
            request=models.OuterRef("pk"), withdrawn_at__isnull=True
        )
        return self.filter(status__in=SHARING_STATUSES).filter(
            Q(Exists(current_consent)) | ~Q(lawful_basis="")
        )


class RequestForAssistance(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    learner = models.ForeignKey(
        "learners.Learner", on_delete=models.CASCADE, related_name="requests_for_assistance"
    )
    service = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="requests_for_assistance"
    )
    # Who asks: a school, or the authority itself (then `setting` is empty).
    authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="+")
    setting = models.ForeignKey(
        Setting, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Empty when Stagewise recorded the request itself (the demo, an import).
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A request made for a co-ordinated support plan runs the statutory 10-week clock.
    plan = models.ForeignKey(
        "planning.Plan",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="requests_for_assistance",
    )
    reason = plausible.TextField(_("why you are asking for help"), max_length=4_000)
    tried = plausible.TextField(_("what has been tried"), max_length=4_000)
    tried_for = plausible.CharField(_("for how long"), max_length=200)
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.ROUTINE
    )
    learner_views = plausible.TextField(_("the learner's views"), max_length=4_000)
    family_views = plausible.TextField(_("the family's views"), max_length=4_000)

    # Sharing without consent: the lawful basis the requester recorded, shown to the authority.
    lawful_basis = plausible.TextField(
        _("lawful basis for sharing without consent"), max_length=2_000, blank=True
    )
    lawful_basis_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lawful_basis_recorded_at = models.DateTimeField(null=True, blank=True)

    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RequestStatus.choices,
        default=RequestStatus.DRAFT,
        db_index=True,
    )
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    # When the service must answer by: the statutory clock's date for a co-ordinated support
    # plan, otherwise the service's published response time from the day it was sent.
    due_on = models.DateField(_("answer due by"), null=True, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    waiting_since = models.DateField(_("on the waiting list since"), null=True, blank=True)
    allocated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests_allocated",
        verbose_name=_("allocated to"),
    )
    decline_reason = plausible.TextField(_("why it was declined"), max_length=2_000, blank=True)
    # Where to go instead: another service, or words for somewhere Stagewise does not hold.
    suggested_service = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("service suggested instead"),
    )
    suggestion = plausible.TextField(_("where to go instead"), max_length=1_000, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    clock = models.OneToOneField(
        "statutory.StatutoryProcess",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="request_for_assistance",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RequestForAssistanceQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("request for assistance")
        verbose_name_plural = _("requests for assistance")
        indexes = [
            models.Index(fields=["service", "status"], name="request_service_status"),
            models.Index(fields=["learner", "status"], name="request_learner_status"),
            # The authority's list of requests shared without consent, newest first, by cursor
            # (coordination/selectors.py SHARED_WITHOUT_CONSENT_ORDER, the same expression).
            models.Index(
                F("authority"),
                Coalesce("lawful_basis_recorded_at", "created_at").desc(),
                F("id").desc(),
                condition=~Q(lawful_basis=""),
                name="request_shared_no_consent",
            ),
            # The service's queue, each long section in its order by cursor
            # (coordination/queue_selectors.py NEW_REQUESTS_ORDER and WAITING_LIST_ORDER).
            models.Index(
                fields=["service", "sent_on", "id"],
                condition=Q(status=RequestStatus.SENT),
                name="request_queue_new",
            ),
            models.Index(
                F("service"),
                F("waiting_since"),
                URGENCY_RANK,
                F("sent_on"),
                F("id"),
                condition=Q(status=RequestStatus.WAITING_LIST),
                name="request_queue_waiting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REQUEST_STATUSES

    @property
    def requester_organisation(self) -> Setting | LocalAuthority:
        return self.setting or self.authority


class ConsentGivenBy(models.TextChoices):
    PARENT = "parent", _("A parent or carer")
    YOUNG_PERSON = "young_person", _("The young person")
    CHILD = "child", _("The child (aged 12 to 15, with capacity)")


class ConsentMethod(models.TextChoices):
    IN_WRITING = "in_writing", _("In writing")
    IN_PERSON = "in_person", _("In person")
    BY_TELEPHONE = "by_telephone", _("By telephone")
    AT_MEETING = "at_meeting", _("At a meeting")


class SharingConsent(models.Model):
    """Consent to share a request, and the parts of the record it names, with the service asked.
    Withdrawn consent is kept (who withdrew it, when) and takes effect at once."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.ForeignKey(
        RequestForAssistance, on_delete=models.CASCADE, related_name="consents"
    )
    given_by = models.CharField(
        _("who gave consent"), max_length=20, choices=ConsentGivenBy.choices
    )
    given_by_name = plausible.CharField(_("their name"), max_length=200)
    carer = models.ForeignKey(
        "learners.Carer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    parts = models.JSONField(_("what may be shared"), default=list, blank=True)
    given_on = plausible.DateField(_("consent given on"), within=plausible.HAPPENED)
    method = models.CharField(_("how it was given"), max_length=20, choices=ConsentMethod.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawal_note = plausible.TextField(_("why"), max_length=2_000, blank=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name = _("consent to share")
        verbose_name_plural = _("consents to share")
        constraints = [
            # One current consent per request: recording again means withdrawing first.
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_current_consent_per_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.given_by_name}, {self.given_on}"

    def clean(self) -> None:
        if not isinstance(self.parts, list) or not set(self.parts) <= set(RecordPart.values):
            raise ValidationError(
                {"parts": _("Choose the parts of the record that may be shared.")}
            )

    @property
    def is_current(self) -> bool:
        return self.withdrawn_at is None

    @property
    def part_labels(self) -> list[str]:
        labels = dict(RecordPart.choices)
        return [str(labels[part]) for part in RecordPart.values if part in self.parts]


class RequestEventKind(models.TextChoices):
    DRAFTED = "drafted", _("Drafted")
    CONSENT_RECORDED = "consent_recorded", _("Consent recorded")
    LAWFUL_BASIS_RECORDED = "lawful_basis_recorded", _("Shared without consent, on a lawful basis")
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WAITING_LIST = "waiting_list", _("Put on the waiting list")
    ALLOCATED = "allocated", _("Allocated to a practitioner")
    IN_PROGRESS = "in_progress", _("Work started")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn by the requester")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")
    CONTRIBUTION_ADDED = "contribution_added", _("Advice or an assessment added")
    CONTRIBUTION_ACCEPTED = "contribution_accepted", _("Advice added to a plan as support")


class RequestEvent(models.Model):
    """One step in a request's life, with the reason given: what the requester reads to see
    where the request is and why."""

    request = models.ForeignKey(
        RequestForAssistance, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(max_length=30, choices=RequestEventKind.choices)
    note = plausible.TextField(_("note"), max_length=2_000, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The actor's role and organisation as they were, so the history reads right after they move.
    actor_label = models.CharField(max_length=300, blank=True)
    happened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["happened_at", "pk"]
        verbose_name = _("request event")
        verbose_name_plural = _("request events")

    def __str__(self) -> str:
        return self.get_kind_display()


class AttachmentType(models.TextChoices):
    """The kinds of file a request may carry, each by the media type it is served as. Which kind
    a file is comes from its content (coordination/file_types.py), never from its name."""

    PDF = "application/pdf", _("a PDF document")
    DOCX = (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _("a Word document"),
    )
    DOC = "application/msword", _("a Word 97-2003 document")
    PNG = "image/png", _("a PNG image")
    JPEG = "image/jpeg", _("a JPEG image")


def attachment_path(instance: "RequestAttachment", filename: str) -> str:
    """A random name, never the uploader's (which may say who the learner is, or try to climb out
    of the folder), ending as its detected type does."""
    from stagewise.coordination.file_types import STORED_SUFFIX

    return f"request-attachments/{uuid.uuid4().hex}{STORED_SUFFIX[instance.content_type]}"


class RequestAttachment(models.Model):
    """A file sent with a request for assistance: a report, a letter, a photograph of work. Kept
    through Django's storage API (local disk or object storage), never in the database, and
    served only through the access-checked views of coordination/file_views.py."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.ForeignKey(
        RequestForAssistance, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path, max_length=200)
    # The uploader's name for it, cleaned of paths and control characters: shown and used as
    # the name of the download, never as a storage path.
    original_name = models.CharField(_("file name"), max_length=150)
    content_type = models.CharField(
        _("type"), max_length=100, choices=AttachmentType.choices, editable=False
    )
    size = models.PositiveBigIntegerField(_("size in bytes"), editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class ContributionKind(models.TextChoices):
    ASSESSMENT = "assessment", _("Assessment")
    ADVICE = "advice", _("Advice")
    REPORT = "report", _("Report")


class Contribution(models.Model):
    """A service's assessment, advice or report about the learner, written by the practitioner
    doing the work. It may suggest support, which the plan's author may adopt into a plan: the
    support is then provided by the practitioner, for their service.

    The practitioner keeps their own writing when the involvement closes (the request completed,
    the consent withdrawn): it is theirs to read, though the learner's record no longer is."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.ForeignKey(
        RequestForAssistance, on_delete=models.CASCADE, related_name="contributions"
    )
    learner = models.ForeignKey(
        "learners.Learner", on_delete=models.CASCADE, related_name="contributions"
    )
    # Empty when Stagewise recorded it itself (the demo, an import).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contributions",
    )
    # The author's name and service as they were when they wrote it.
    author_label = models.CharField(max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=ContributionKind.choices)
    title = plausible.CharField(_("title"), max_length=200)
    # A report runs to a few pages; the full document, if longer, is kept by the service.
    body = plausible.TextField(_("assessment or advice"), max_length=10_000)
    # The support the practitioner suggests, in the words a plan would use.
    suggested_description = plausible.TextField(
        _("suggested support"), max_length=2_000, blank=True
    )
    suggested_frequency = plausible.CharField(_("how often"), max_length=200, blank=True)
    suggested_minutes_per_week = models.PositiveIntegerField(
        _("minutes a week"), null=True, blank=True, validators=[MaxValueValidator(3000)]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Adopted into a plan as support. The provision may later be removed from the plan (a new
    # version); the contribution stays accepted, when and by whom recorded.
    accepted_into = models.ForeignKey(
        "planning.SupportProvision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributions",
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(_("added to a plan on"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")

    def __str__(self) -> str:
        return self.title

    @property
    def is_accepted(self) -> bool:
        return self.accepted_at is not None

    @property
    def suggests_support(self) -> bool:
        return bool(self.suggested_description)


# Meetings around a learner live in their own module, registered with this app from here.
from stagewise.coordination.meeting_models import (  # noqa: E402, F401
    FAMILY_INVITEE_KINDS,
    STAFF_INVITEE_KINDS,
    Attendance,
    InviteeKind,
    Meeting,
    MeetingAction,
    MeetingEvent,
    MeetingEventKind,
    MeetingInvitee,
    MeetingKind,
    MeetingViews,
    ViewsOf,
)
