"""A learner's plan and its content: written sections, targets, provision and views."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from stagewise import plausible
from stagewise.learners.models import Learner
from stagewise.learners.models.record import written_for_setting_field
from stagewise.organisations.models import Agency, LocalAuthority
from stagewise.planning.models.types import PlanSection, PlanType
from stagewise.statutory.models import DepartureFromSuggestion


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FINALISED = "finalised", _("Finalised")
    ACTIVE = "active", _("Active")
    UNDER_REVIEW = "under_review", _("Under review")
    REVISION = "revision", _("Being revised")
    CLOSED = "closed", _("Closed")


# Content may change only while a version is being written; finalised versions are fixed.
EDITABLE_STATUSES = frozenset({PlanStatus.DRAFT, PlanStatus.REVISION})
OPEN_STATUSES = frozenset(set(PlanStatus) - {PlanStatus.CLOSED})


class Plan(DepartureFromSuggestion):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="plans")
    plan_type = models.ForeignKey(PlanType, on_delete=models.PROTECT, related_name="plans")
    # The authority responsible when the plan was opened: its local name and sign-off apply.
    # Indexed by plan_authority_due, which leads with it: with an index of its own as well, the
    # planner read all of a large authority's plans to find the few due for review.
    authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    version_number = models.PositiveIntegerField(_("version"), default=1)
    # Optimistic lock: every content write names the revision it was based on.
    edit_revision = models.PositiveIntegerField(default=0)
    starts_on = plausible.DateField(
        _("plan starts"), within=plausible.PLANNED, null=True, blank=True
    )
    next_review_on = plausible.DateField(
        _("next review"), within=plausible.PLANNED, null=True, blank=True
    )
    multi_agency = models.BooleanField(_("multi-agency plan"), default=False)
    lead_professional = plausible.CharField(
        _("lead professional"),
        max_length=300,
        blank=True,
        help_text=_("Name, role and organisation."),
    )
    # A few pages: what colleagues need to know, never printed.
    staff_notes = plausible.TextField(
        _("staff-only notes"),
        max_length=10_000,
        blank=True,
        help_text=_("Never shown to the family and never printed in the plan."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    # The school whose staff decided to open it (empty when an authority's or an agency's staff,
    # or Stagewise itself, did): the deciding school when the decision is moderated (ADR 0046).
    opened_for_setting = written_for_setting_field()
    created_at = models.DateTimeField(auto_now_add=True)
    support_in_place_on = plausible.DateField(
        _("support in place from"), within=plausible.PLANNED, null=True, blank=True
    )
    closed_on = plausible.DateField(_("closed on"), within=plausible.PLANNED, null=True, blank=True)
    # As long as a review's notes, which become the reason when a review closes the plan.
    closed_reason = plausible.TextField(_("reason for closing"), max_length=10_000, blank=True)
    # Decision support when a statutory plan was opened (ADR 0047): the plan type the statutory
    # test suggested ("none" when it suggested no statutory plan; blank when no test applies to
    # the type); whether opening it departs from that, and why, are DepartureFromSuggestion's.
    suggested_plan_type = models.CharField(
        _("suggested plan type"), max_length=60, blank=True, default="", db_default=""
    )
    # Every looked-after child in Scotland must be considered for a co-ordinated support plan
    # (ASL Act 2004 s6(1A)): set when the plan was opened for one.
    looked_after_when_opened = models.BooleanField(
        _("looked after when opened"), default=False, db_default=False
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        constraints = [
            # The rule "one open plan of each type per learner", kept by the database too.
            models.UniqueConstraint(
                fields=["learner", "plan_type"],
                condition=~models.Q(status="closed"),
                name="plan_one_open_per_type",
            )
        ]
        indexes = [
            models.Index(fields=["learner", "status"]),
            # An authority's work queue: its plans waiting for sign-off or falling due for review.
            models.Index(
                fields=["authority", "status", "next_review_on"], name="plan_authority_due"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_type} ({self.learner})"

    @property
    def display_type_name(self) -> str:
        """The authority's own name for the type when a selector has annotated it."""
        local = getattr(self, "local_name", "") or ""
        local_cy = getattr(self, "local_name_cy", "") or ""
        if local_cy and (get_language() or "").startswith("cy"):
            return str(local_cy)
        return str(local) or self.plan_type.display_name

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class PlanSectionText(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="section_texts")
    section = models.ForeignKey(PlanSection, on_delete=models.PROTECT, related_name="+")
    # A written section runs to a few pages (about 3,000 words); longer belongs in a report the
    # plan refers to. The limit also keeps a printed plan quick to make.
    text = plausible.TextField(_("text"), max_length=20_000, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "section"], name="plan_section_text_unique")
        ]

    def __str__(self) -> str:
        return f"{self.section} ({self.plan_id})"

    def field_label(self, name: str) -> str | None:
        """Messages name the section as the prescribed form does: "Section 3 (Profile...)"."""
        if name != "text":
            return None
        if self.section.number:
            return _("Section %(number)s (%(title)s)") % {
                "number": self.section.number,
                "title": self.section.display_title,
            }
        return self.section.display_title


class Target(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    # A target is a sentence or two a learner and their family can read; each part likewise.
    outcome = plausible.TextField(_("outcome"), max_length=2_000)
    measure = plausible.TextField(_("how progress will be measured"), max_length=2_000, blank=True)
    baseline = plausible.TextField(
        _("baseline: where the learner is now"), max_length=2_000, blank=True
    )
    success_criteria = plausible.TextField(_("success criteria"), max_length=2_000, blank=True)
    achieve_by = plausible.DateField(
        _("to be achieved by"), within=plausible.PLANNED, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")

    def __str__(self) -> str:
        return self.outcome


class SupportProvision(models.Model):
    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="provision")
    description = plausible.TextField(_("what the support is"), max_length=2_000)
    provider_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("member of staff"),
    )
    provider_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agency"),
    )
    # Kept so a printed plan still names the provider if their account is later removed.
    provider_label = plausible.CharField(_("provided by"), max_length=300)
    frequency = plausible.CharField(_("how often"), max_length=200)
    minutes_per_week = models.PositiveIntegerField(_("minutes a week"), null=True, blank=True)
    location = plausible.CharField(_("where"), max_length=200, blank=True)
    starts_on = plausible.DateField(_("from"), within=plausible.PLANNED)
    ends_on = plausible.DateField(_("to"), within=plausible.PLANNED, null=True, blank=True)
    delivered_in_welsh = models.BooleanField(_("delivered in Welsh"), null=True, blank=True)
    rationale = plausible.TextField(_("why this provision"), max_length=2_000, blank=True)

    class Meta:
        ordering = ["starts_on", "pk"]
        verbose_name = _("support provision")
        verbose_name_plural = _("support provision")

    def __str__(self) -> str:
        return self.description


class ViewKind(models.TextChoices):
    LEARNER = "learner", _("The child's or young person's views")
    PARENT = "parent", _("Parents' or carers' views")


class PlanView(models.Model):
    """Views in the speaker's own words, kept exactly as given."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="views")
    kind = models.CharField(_("whose views"), max_length=10, choices=ViewKind.choices)
    speaker = plausible.CharField(_("who gave these views"), max_length=200)
    # Own words are not summarised, so more room than other text: several pages.
    words = plausible.TextField(_("their views, in their own words"), max_length=10_000)
    gathered_on = plausible.DateField(_("date gathered"), within=plausible.HAPPENED)
    how_gathered = plausible.CharField(_("how the views were gathered"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["kind", "gathered_on", "pk"]
        verbose_name = _("views")
        verbose_name_plural = _("views")

    def __str__(self) -> str:
        return f"{self.speaker}: {self.get_kind_display()}"
