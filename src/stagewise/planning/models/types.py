"""Plan types as data: what each type of plan contains and who may sign it off."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from stagewise.organisations.models import LocalAuthority, Nation


def _welsh_active() -> bool:
    return (get_language() or "").startswith("cy")


class SectionKind(models.TextChoices):
    """How a section's content is held; planning/documents.py interprets each kind."""

    TEXT = "text", _("Written text")
    LEARNER_DETAILS = "learner_details", _("Learner's details, from the record")
    CARER_DETAILS = "carer_details", _("Parents' and carers' details, from the record")
    SETTING = "setting", _("School, from the record")
    TARGETS = "targets", _("Targets or outcomes")
    PROVISION = "provision", _("Support provision for each target")
    PROVIDERS = "providers", _("Who provides the support")
    LEARNER_VIEWS = "learner_views", _("Child's or young person's views")
    PARENT_VIEWS = "parent_views", _("Parents' or carers' views")
    LEAD_PROFESSIONAL = "lead_professional", _("Lead professional")
    REVIEW_TIMETABLE = "review_timetable", _("Review timetable")
    SIGN_OFF = "sign_off", _("Sign-off")


class PlanType(models.Model):
    key = models.SlugField(_("key"), unique=True)
    nation = models.ForeignKey(Nation, on_delete=models.PROTECT, related_name="plan_types")
    name = models.CharField(_("name"), max_length=200)
    name_cy = models.CharField(_("name in Welsh"), max_length=200, blank=True)
    short_name = models.CharField(_("abbreviation"), max_length=20, blank=True)
    statutory = models.BooleanField(_("statutory"), default=False)
    # Role values (organisations.Role) allowed to finalise a plan of this type.
    sign_off_roles = models.JSONField(_("roles that may sign off"), default=list)
    review_interval_months = models.PositiveSmallIntegerField(
        _("months between reviews"), default=12
    )
    has_lead_professional = models.BooleanField(_("may have a lead professional"), default=False)
    source = models.CharField(_("source"), max_length=400)
    version = models.CharField(_("version"), max_length=40)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    # Each rule table keeps every version of each row (who, when, what it said): see ADR 0008.
    history = HistoricalRecords()

    class Meta:
        ordering = ["nation__name", "order"]
        verbose_name = _("plan type")
        verbose_name_plural = _("plan types")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.name_cy and _welsh_active():
            return self.name_cy
        return self.name


class PlanSection(models.Model):
    plan_type = models.ForeignKey(PlanType, on_delete=models.CASCADE, related_name="sections")
    key = models.SlugField(_("key"))
    number = models.CharField(_("number on the prescribed form"), max_length=10, blank=True)
    title = models.CharField(_("title"), max_length=300)
    title_cy = models.CharField(_("title in Welsh"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=SectionKind.choices)
    required = models.BooleanField(_("required before finalising"), default=True)
    order = models.PositiveSmallIntegerField(_("order"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan_type", "order"]
        verbose_name = _("plan section")
        verbose_name_plural = _("plan sections")
        constraints = [
            models.UniqueConstraint(fields=["plan_type", "key"], name="plan_section_unique_key")
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        if self.title_cy and _welsh_active():
            return self.title_cy
        return self.title


class LocalPlanTypeName(models.Model):
    """An authority's own name for a plan type; the type's sections and rules are unchanged."""

    authority = models.ForeignKey(
        LocalAuthority, on_delete=models.CASCADE, related_name="plan_type_names"
    )
    plan_type = models.ForeignKey(PlanType, on_delete=models.CASCADE, related_name="local_names")
    name = models.CharField(_("local name"), max_length=200)
    name_cy = models.CharField(_("local name in Welsh"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("local name for a plan type")
        verbose_name_plural = _("local names for plan types")
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "plan_type"], name="local_plan_type_name_unique"
            )
        ]

    def __str__(self) -> str:
        if self.name_cy and _welsh_active():
            return self.name_cy
        return self.name
