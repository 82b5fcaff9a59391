"""The national action plans as published (plans, themes, actions, their published progress
updates) and the tracking that follows publication (updates, status changes, evidence, linked
measures), each change kept with who made it and when (ADR 0039); and the local authorities' own
improvement actions, in the same shape, each linked to the national actions it serves (ADR 0043).

The published text is stored as published, in English: nothing here is translated or paraphrased.
"""

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stagewise import plausible
from stagewise.measurement.models import Measure
from stagewise.organisations.models import LocalAuthority, Nation, NationalBody

# An action's words can run to a long paragraph; its progress updates to several.
MOST_ACTION_CHARACTERS = 2_000
MOST_UPDATE_CHARACTERS = 6_000
MOST_REASON_CHARACTERS = 1_000


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    ONGOING = "ongoing", _("Ongoing")
    COMPLETE = "complete", _("Complete")
    SUPERSEDED = "superseded", _("Superseded")


# An action in one of these is no longer being delivered, so it cannot be overdue.
CLOSED_STATUSES = (ActionStatus.COMPLETE, ActionStatus.SUPERSEDED)


class BodiesNamedIn(models.TextChoices):
    """Where the responsible bodies come from: the action's own words, or (where the action
    names none) the bodies its published progress update reports doing the work."""

    ACTION = "action", _("Named in the action")
    PROGRESS_UPDATE = "progress_update", _("Named in the published progress update")
    NOWHERE = "", _("No body is named")


class ActionPlan(models.Model):
    nation = models.ForeignKey(Nation, on_delete=models.PROTECT, related_name="+")
    code = models.SlugField(_("code"), unique=True)
    title = plausible.CharField(_("title"), max_length=300)
    summary = plausible.TextField(_("summary"), max_length=2_000, blank=True)
    publisher = plausible.CharField(_("publisher"), max_length=200)
    source_url = models.URLField(_("source document"), max_length=400)
    # The publication as the document states it ("November 2022"), and a date for ordering and
    # for dating the published updates: the day where the source gives none is the first of the
    # month, and `publication_date_basis` says so.
    published_as = plausible.CharField(_("published"), max_length=60)
    published_on = plausible.DateField(_("published on"), within=plausible.HAPPENED)
    publication_date_basis = plausible.TextField(
        _("how the publication date is known"), max_length=600, blank=True
    )

    class Meta:
        ordering = ["published_on", "code"]
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")

    def __str__(self) -> str:
        return self.title


class Theme(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="themes")
    number = plausible.CharField(_("number"), max_length=10, blank=True)
    title = plausible.CharField(_("title"), max_length=200)
    introduction = plausible.TextField(_("introduction"), max_length=2_000, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "title"], name="theme_unique_title")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()


class ReviewRecommendation(models.Model):
    """A recommendation of the review of additional support for learning an action delivers."""

    nation = models.ForeignKey(Nation, on_delete=models.PROTECT, related_name="+")
    number = plausible.CharField(_("number"), max_length=10)
    title = plausible.CharField(_("title"), max_length=300)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["nation", "number"], name="review_recommendation_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class _TrackedAction(models.Model):
    """What a national and a local action share: a timeframe as written and the range it means
    (actionplans/timeframes.py), a status, and so whether it is overdue."""

    timeframe = plausible.CharField(_("timeframe"), max_length=60, blank=True)
    timeframe_starts_on = models.DateField(null=True, blank=True)
    timeframe_ends_on = models.DateField(null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ActionStatus.choices, blank=True)

    class Meta:
        abstract = True

    def is_overdue(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return (
            self.timeframe_ends_on is not None
            and self.timeframe_ends_on < today
            and self.status not in CLOSED_STATUSES
        )


class Action(_TrackedAction):
    plan = models.ForeignKey(ActionPlan, on_delete=models.PROTECT, related_name="actions")
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="actions")
    number = plausible.CharField(_("number"), max_length=20)
    text = plausible.TextField(_("action"), max_length=MOST_ACTION_CHARACTERS)
    recommendation = models.ForeignKey(
        ReviewRecommendation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
    )
    responsible_bodies = models.ManyToManyField(
        NationalBody, related_name="actions", blank=True, verbose_name=_("responsible bodies")
    )
    bodies_named_in = models.CharField(
        max_length=20, choices=BodiesNamedIn.choices, blank=True, default=BodiesNamedIn.NOWHERE
    )
    # The timeframe as published ("By end 2024", "Spring 2023"): empty, the plan gives none and
    # the action is never overdue. The status is empty where the published plan states none.
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="action_unique_number")
        ]

    def __str__(self) -> str:
        return self.number


class _Recorded(models.Model):
    """Who recorded a change, as they were when they did (a person's role and body may later
    change; the history says who acted then)."""

    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_by_label = models.CharField(max_length=300, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True


class _ProgressUpdateFields(_Recorded):
    written_on = plausible.DateField(_("date of the update"), within=plausible.HAPPENED)
    text = plausible.TextField(_("progress update"), max_length=MOST_UPDATE_CHARACTERS)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.action} {self.written_on}"  # type: ignore[attr-defined]


class ProgressUpdate(_ProgressUpdateFields):
    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="updates")
    # Set when the update is the one published in a plan: dated to that plan's publication.
    published_in = models.ForeignKey(
        ActionPlan, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-written_on", "-recorded_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "published_in"], name="one_published_update_per_plan"
            )
        ]


class _StatusChangeFields(_Recorded):
    changed_on = plausible.DateField(_("date of the change"), within=plausible.HAPPENED)
    from_status = models.CharField(max_length=20, choices=ActionStatus.choices, blank=True)
    to_status = models.CharField(_("new status"), max_length=20, choices=ActionStatus.choices)
    reason = plausible.TextField(_("reason"), max_length=MOST_REASON_CHARACTERS)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.action}: {self.from_status or '-'} to {self.to_status}"  # type: ignore[attr-defined]


class StatusChange(_StatusChangeFields):
    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="status_changes")

    class Meta:
        ordering = ["-changed_on", "-recorded_at", "-pk"]


def evidence_path(instance: "Evidence | LocalEvidence", filename: str) -> str:
    """A random name, never the uploader's, ending as its detected type does (as a request's
    attachments are stored: coordination/models.attachment_path)."""
    from stagewise.coordination.file_types import STORED_SUFFIX

    return f"action-plan-evidence/{uuid.uuid4().hex}{STORED_SUFFIX[instance.content_type]}"


class _EvidenceFields(_Recorded):
    """Evidence of progress on an action (a report, minutes, a published page): a web address,
    or a file of a type Stagewise accepts (checked by its content, as a request's attachments
    are), kept through Django's storage API."""

    title = plausible.CharField(_("title"), max_length=200)
    web_address = models.URLField(_("web address"), max_length=400, blank=True)
    file = models.FileField(upload_to=evidence_path, max_length=200, blank=True)
    original_name = models.CharField(_("file name"), max_length=150, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title


# Never both a web address and a file, never neither.
_WEB_ADDRESS_OR_FILE = (models.Q(web_address="") & ~models.Q(file="")) | (
    ~models.Q(web_address="") & models.Q(file="")
)


class Evidence(_EvidenceFields):
    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="evidence")

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=_WEB_ADDRESS_OR_FILE, name="evidence_web_address_or_file"
            )
        ]


class ActionMeasure(_Recorded):
    """A measure of the measurement framework linked to an action (LI 30): how its progress is
    to be measured."""

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="measure_links")
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["measure__position", "measure__code"]
        constraints = [
            models.UniqueConstraint(fields=["action", "measure"], name="action_measure_once")
        ]

    def __str__(self) -> str:
        return f"{self.action}: {self.measure_id}"


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class PublishedReportUnchangeable(Exception):
    """A published progress report is a public record: it is never changed or deleted."""


class ProgressReport(models.Model):
    """The 18-month progress report (LI 29) on a nation's action plans for a period: every
    action's status at the start and the end, the updates and status changes in between, the
    linked measures' national figures at both ends and what was overdue (ADR 0042).

    A draft is worked out afresh from the tracking whenever it is read; on publication everything
    it shows is frozen into `contents`, so a published report never changes, whatever is recorded
    later."""

    nation = models.ForeignKey(Nation, on_delete=models.PROTECT, related_name="+")
    # The plans of the nation published by the end of the period, when the report was made.
    plans = models.ManyToManyField(ActionPlan, related_name="progress_reports")
    title = plausible.CharField(_("title"), max_length=200)
    starts_on = plausible.DateField(_("start of the period"), within=plausible.HAPPENED)
    ends_on = plausible.DateField(_("end of the period"), within=plausible.HAPPENED)
    state = models.CharField(max_length=20, choices=ReportState.choices, default=ReportState.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    # Everything the published report shows, as it was when it was published (empty for drafts).
    contents = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-ends_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="progress_report_period_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(state="draft", published_at__isnull=True)
                | models.Q(state="published", published_at__isnull=False),
                name="progress_report_published_when_published",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: object, **kwargs: object) -> None:
        # Guarded here as well as in the services: nothing may change a published report.
        if getattr(self, "_published_when_read", False):
            raise PublishedReportUnchangeable("A published progress report cannot be changed.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]
        self._published_when_read = self.state == ReportState.PUBLISHED

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        if self.state == ReportState.PUBLISHED:
            raise PublishedReportUnchangeable("A published progress report cannot be deleted.")
        return super().delete(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def is_published(self) -> bool:
        return self.state == ReportState.PUBLISHED

    @classmethod
    def from_db(cls, *args: object, **kwargs: object) -> "ProgressReport":
        report = super().from_db(*args, **kwargs)  # type: ignore[arg-type]
        report._published_when_read = report.state == ReportState.PUBLISHED
        return report


# A local authority's own improvement actions (ADR 0043) ------------------------------------------


class LocalAction(_TrackedAction, _Recorded):
    """One of a local authority's own improvement actions, in the national actions' shape: its
    reference (the authority's own numbering), its words, the team responsible, a timeframe and
    a status, and the national actions it serves (one or more, of the authority's nation). Who
    added it is `recorded_by`; its updates, status changes and evidence are kept as a national
    action's are."""

    authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="local_actions"
    )
    reference = plausible.CharField(_("reference"), max_length=20)
    text = plausible.TextField(_("action"), max_length=MOST_ACTION_CHARACTERS)
    responsible_team = plausible.CharField(_("responsible team"), max_length=200)
    national_actions = models.ManyToManyField(
        Action, related_name="local_actions", verbose_name=_("national actions it serves")
    )

    class Meta:
        ordering = ["authority", "reference", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "reference"], name="local_action_unique_reference"
            )
        ]

    def __str__(self) -> str:
        return self.reference


class LocalProgressUpdate(_ProgressUpdateFields):
    action = models.ForeignKey(LocalAction, on_delete=models.PROTECT, related_name="updates")
    # A local update is never one published in a national plan.
    published_in = None

    class Meta:
        ordering = ["-written_on", "-recorded_at", "-pk"]


class LocalStatusChange(_StatusChangeFields):
    action = models.ForeignKey(LocalAction, on_delete=models.PROTECT, related_name="status_changes")

    class Meta:
        ordering = ["-changed_on", "-recorded_at", "-pk"]


class LocalEvidence(_EvidenceFields):
    action = models.ForeignKey(LocalAction, on_delete=models.PROTECT, related_name="evidence")

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=_WEB_ADDRESS_OR_FILE, name="local_evidence_web_address_or_file"
            )
        ]
