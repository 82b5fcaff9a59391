"""Statutory processes as tracked cases: a clock per process, started by an event, due on a date
computed from the rule version in force that day on the learner's school calendar, paused or
extended only with a reason, closed with an outcome, every step kept in its history."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from stagewise import plausible
from stagewise.organisations.models import Agency, LocalAuthority, Setting
from stagewise.statutory.models.rules import Responsible, StatutoryTimescale


class ProcessStatus(models.TextChoices):
    RUNNING = "running", _("running")
    PAUSED = "paused", _("paused")
    CLOSED = "closed", _("closed")


OPEN_PROCESS_STATUSES = (ProcessStatus.RUNNING, ProcessStatus.PAUSED)


class ProcessOutcome(models.TextChoices):
    DONE = "done", _("done")
    WITHDRAWN = "withdrawn", _("withdrawn or no longer needed")


class StatutoryProcess(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # By name: the learner record reads this app's rules, so importing it here would be circular.
    learner = models.ForeignKey(
        "learners.Learner", on_delete=models.CASCADE, related_name="statutory_processes"
    )
    # The version of the rule in force on the day the clock started: a later correction to the
    # rule never moves this clock (ADR 0010).
    timescale = models.ForeignKey(
        StatutoryTimescale, on_delete=models.PROTECT, related_name="processes"
    )
    rule_key = models.CharField(_("rule"), max_length=100, db_index=True)
    authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="statutory_processes"
    )
    # The school whose calendar counts school days and whose queue shows school-run clocks.
    setting = models.ForeignKey(
        Setting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statutory_processes",
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responsible = models.CharField(_("who must act"), max_length=20, choices=Responsible.choices)
    plan = models.ForeignKey(
        "planning.Plan",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="statutory_processes",
    )
    # The event the clock counts from; for a rule that counts back (leaving school), the event it
    # counts back from.
    started_on = plausible.DateField(_("started on"), within=plausible.PLANNED)
    first_due_on = models.DateField(_("first due on"), null=True, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True, db_index=True)
    ceiling_on = models.DateField(_("may not be later than"), null=True, blank=True)
    # Why there is no due date yet ("the 2026/27 calendar for Cardiff is needed to set this date").
    due_problem = models.CharField(_("why there is no date yet"), max_length=300, blank=True)
    calendar_year_needed = models.CharField(max_length=7, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ProcessStatus.choices,
        default=ProcessStatus.RUNNING,
        db_index=True,
    )
    paused_on = models.DateField(_("paused since"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=ProcessOutcome.choices, blank=True
    )
    outcome_note = plausible.TextField(_("what was decided"), max_length=2_000, blank=True)
    # Empty when Stagewise started the clock itself.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("statutory process")
        verbose_name_plural = _("statutory processes")
        indexes = [
            models.Index(fields=["authority", "status", "due_on"], name="process_authority_due"),
            models.Index(fields=["setting", "status", "due_on"], name="process_setting_due"),
        ]

    def __str__(self) -> str:
        return f"{self.rule_key} ({self.started_on})"

    @property
    def responsible_organisation(self) -> LocalAuthority | Setting | Agency | None:
        """The school, authority or agency that must act (None if it is not recorded)."""
        # Only the one that must act is read, so a list needs only that relation joined.
        match self.responsible:
            case Responsible.SETTING:
                return self.setting
            case Responsible.AGENCY:
                return self.agency
            case _:
                return self.authority

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_PROCESS_STATUSES

    @property
    def closed_late(self) -> bool:
        return (
            self.status == ProcessStatus.CLOSED
            and self.outcome == ProcessOutcome.DONE
            and self.due_on is not None
            and self.closed_on is not None
            and self.closed_on > self.due_on
        )


class ProcessEventKind(models.TextChoices):
    STARTED = "started", _("Started")
    PAUSED = "paused", _("Paused")
    RESUMED = "resumed", _("Resumed")
    EXTENDED = "extended", _("New date set")
    DATE_SET = "date_set", _("Due date set once the calendar was loaded")
    CLOSED = "closed", _("Closed")


class ProcessEvent(models.Model):
    """One step in a process's history: never changed or deleted."""

    process = models.ForeignKey(StatutoryProcess, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("what happened"), max_length=20, choices=ProcessEventKind.choices)
    happened_on = models.DateField(_("on"))
    reason = plausible.TextField(_("reason"), max_length=2_000, blank=True)
    due_before = models.DateField(_("due date before"), null=True, blank=True)
    due_after = models.DateField(_("due date after"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The name as it was, or "Stagewise" for the system's own steps.
    recorded_by_label = models.CharField(_("recorded by"), max_length=200)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "pk"]
        verbose_name = _("statutory process step")
        verbose_name_plural = _("statutory process steps")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.happened_on}"
