"""Rules as data: code lists and staged-intervention models, each with its source and version."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from stagewise import plausible
from stagewise.organisations.models import LocalAuthority, Nation, Setting


class Localised(models.Model):
    label = models.CharField(_("label"), max_length=200)
    label_cy = models.CharField(_("label in Welsh"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.display_label

    @property
    def display_label(self) -> str:
        if self.label_cy and (get_language() or "").startswith("cy"):
            return self.label_cy
        return self.label


class ReasonForSupport(Localised):
    """A census reason for support (Scotland) or need type (Wales)."""

    nation = models.ForeignKey(Nation, on_delete=models.PROTECT, related_name="reasons")
    code = models.CharField(_("code"), max_length=10)
    source = models.CharField(_("source"), max_length=400)
    version = models.CharField(_("version"), max_length=40)
    active = models.BooleanField(_("in use"), default=True)

    # Each rule table keeps every version of each row (who, when, what it said): see ADR 0008.
    history = HistoricalRecords()

    class Meta:
        ordering = ["nation__name", "code"]
        verbose_name = _("reason for support")
        verbose_name_plural = _("reasons for support")
        constraints = [
            models.UniqueConstraint(fields=["nation", "code"], name="reason_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.display_label}"


class NationalStage(models.TextChoices):
    """The shared national frame every local stage maps onto (2025 review, requirement 1)."""

    UNIVERSAL = "universal", _("Universal")
    TARGETED = "targeted", _("Targeted")
    SPECIALIST = "specialist", _("Specialist")


NATIONAL_STAGE_ORDER = {
    NationalStage.UNIVERSAL: 1,
    NationalStage.TARGETED: 2,
    NationalStage.SPECIALIST: 3,
}


class StageModel(models.Model):
    key = models.SlugField(_("key"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_cy = models.CharField(_("name in Welsh"), max_length=200, blank=True)
    nation = models.ForeignKey(Nation, on_delete=models.PROTECT, related_name="stage_models")
    source = models.CharField(_("source"), max_length=400)
    version = models.CharField(_("version"), max_length=40)
    # The model used by every authority of its nation that has not mapped its own.
    is_default = models.BooleanField(_("default for the nation"), default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["nation__name", "name"]
        verbose_name = _("staged intervention model")
        verbose_name_plural = _("staged intervention models")

    def __str__(self) -> str:
        if self.name_cy and (get_language() or "").startswith("cy"):
            return self.name_cy
        return self.name


class LocalStage(Localised):
    stage_model = models.ForeignKey(StageModel, on_delete=models.CASCADE, related_name="stages")
    order = models.PositiveSmallIntegerField(_("order"))
    national_stage = models.CharField(
        _("national stage"), max_length=20, choices=NationalStage.choices
    )
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["stage_model", "order"]
        verbose_name = _("local stage")
        verbose_name_plural = _("local stages")
        constraints = [
            models.UniqueConstraint(fields=["stage_model", "order"], name="stage_unique_order")
        ]

    @property
    def national_label(self) -> str:
        return str(NationalStage(self.national_stage).label)

    def clean(self) -> None:
        # Its threshold descriptors map onto national descriptors of its national stage (ADR 0045).
        if self.pk is None:
            return
        stored = type(self)._base_manager.filter(pk=self.pk).first()
        if (
            stored is not None
            and stored.national_stage != self.national_stage
            and stored.threshold_descriptors.exists()
        ):
            raise ValidationError(
                {
                    "national_stage": _(
                        "Threshold descriptors describe %(stage)s, so the national stage it maps "
                        "onto cannot change: remove its descriptors first."
                    )
                    % {"stage": stored.label}
                },
                code="stage_described",
            )


class AuthorityStageModel(models.Model):
    """Which staged intervention model an authority uses."""

    authority = models.OneToOneField(
        LocalAuthority, on_delete=models.CASCADE, related_name="stage_model_choice"
    )
    stage_model = models.ForeignKey(StageModel, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("authority's staged intervention model")
        verbose_name_plural = _("authorities' staged intervention models")

    def __str__(self) -> str:
        return f"{self.authority}: {self.stage_model}"


class TimescaleUnit(models.TextChoices):
    CALENDAR_DAYS = "calendar_days", _("calendar days")
    WEEKS = "weeks", _("weeks")
    MONTHS = "months", _("months")
    SCHOOL_DAYS = "school_days", _("school days")
    WORKING_DAYS = "working_days", _("working days")


class TimescaleDirection(models.TextChoices):
    FORWARD = "forward", _("after the event")
    BACK = "back", _("before the event")


class Responsible(models.TextChoices):
    """Who must act before a clock runs out, and so whose work queue it appears in."""

    SETTING = "setting", _("the school")
    AUTHORITY = "authority", _("the local authority")
    AGENCY = "agency", _("the agency asked for help")


def validate_lead_days(value: object) -> None:
    if not isinstance(value, list) or not all(
        isinstance(days, int) and 0 <= days <= 366 for days in value
    ):
        raise ValidationError(
            _("Write the reminder lead times as a list of days before the due date, like [28, 7]."),
            code="lead_days",
        )


RULE_KEY = re.compile(r"^[a-z]+(\.[a-z0-9_]+)+$")


def validate_rule_key(value: str) -> None:
    if not RULE_KEY.match(value):
        raise ValidationError(
            _("Write the key in lower case with dots, like scotland.agency_help."),
            code="rule_key",
        )


class StatutoryTimescale(Localised):
    """One version of a statutory timescale. A correction is a new version with the day it takes
    effect: a clock uses the latest version in force on the day it started, so a correction never
    moves the dates of clocks already running (statutory/selectors.timescale_in_force)."""

    key = models.CharField(_("key"), max_length=100, validators=[validate_rule_key])
    nation = models.ForeignKey(Nation, on_delete=models.PROTECT, related_name="timescales")
    citation = plausible.CharField(_("citation"), max_length=400)
    version = plausible.CharField(_("version"), max_length=40)
    effective_from = models.DateField(
        _("in force for clocks started on or after"),
        null=True,
        blank=True,
        help_text=_("Leave blank for the first version of a rule."),
    )
    unit = models.CharField(_("unit"), max_length=20, choices=TimescaleUnit.choices)
    amount = models.PositiveSmallIntegerField(_("amount"))
    direction = models.CharField(
        _("counts"),
        max_length=10,
        choices=TimescaleDirection.choices,
        default=TimescaleDirection.FORWARD,
    )
    pause_or_extend = plausible.TextField(
        _("what may pause or extend it"), max_length=2000, blank=True
    )
    ceiling_amount = models.PositiveSmallIntegerField(_("ceiling"), null=True, blank=True)
    ceiling_unit = models.CharField(
        _("ceiling unit"), max_length=20, choices=TimescaleUnit.choices, blank=True
    )
    responsible = models.CharField(
        _("who must act"),
        max_length=20,
        choices=Responsible.choices,
        default=Responsible.AUTHORITY,
    )
    reminder_lead_days = models.JSONField(
        _("reminders, in days before the due date"),
        default=list,
        blank=True,
        validators=[validate_lead_days],
        help_text=_("For example [28, 7]: reminders four weeks and one week before."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["key", "effective_from"]
        verbose_name = _("statutory timescale")
        verbose_name_plural = _("statutory timescales")
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="timescale_unique_version"),
            models.UniqueConstraint(
                fields=["key", "effective_from"], name="timescale_unique_effective_from"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.version})"

    def clean(self) -> None:
        if (self.ceiling_amount is None) != (not self.ceiling_unit):
            raise ValidationError(
                _("Give both the ceiling and its unit, or neither."), code="ceiling"
            )
        if self.amount == 0:
            raise ValidationError({"amount": _("A timescale is at least 1.")}, code="amount")


class CalendarPeriodKind(models.TextChoices):
    TERM = "term", _("term")
    CLOSURE = "closure", _("closure")


ACADEMIC_YEAR = re.compile(r"^(\d{4})-(\d{2})$")


def validate_academic_year(value: str) -> None:
    match = ACADEMIC_YEAR.match(value)
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise ValidationError(_("Write the academic year like 2025-26."), code="academic_year")


class SchoolCalendarPeriod(models.Model):
    """A term or a closure of an authority's calendar, or a closure of one school (in Wales each
    school sets its own INSET days). School days are weekdays inside a term and no closure."""

    authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="calendar_periods"
    )
    setting = models.ForeignKey(
        Setting,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="calendar_periods",
        help_text=_("Leave blank for the whole authority. A school sets closures only."),
    )
    academic_year = models.CharField(
        _("academic year"), max_length=7, validators=[validate_academic_year]
    )
    kind = models.CharField(_("kind"), max_length=10, choices=CalendarPeriodKind.choices)
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    description = plausible.CharField(_("description"), max_length=200, blank=True)
    source = plausible.CharField(_("source"), max_length=400, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["authority__name", "academic_year", "first_day", "kind"]
        verbose_name = _("school calendar period")
        verbose_name_plural = _("school calendar periods")

    def __str__(self) -> str:
        return (
            f"{self.academic_year} {self.get_kind_display()} {self.first_day}\u2013{self.last_day}"
        )

    def clean(self) -> None:
        """The checks a calendar import makes, for a period edited on its own."""
        from stagewise.statutory.calendar_import import period_problems

        if not (self.first_day and self.last_day and self.academic_year and self.authority_id):
            return
        siblings = SchoolCalendarPeriod.objects.filter(
            authority_id=self.authority_id, academic_year=self.academic_year
        ).exclude(pk=self.pk)
        problems = period_problems(self, list(siblings))
        if self.setting is not None and self.setting.authority_id != self.authority_id:
            problems.append(
                _("%(setting)s is not in %(authority)s.")
                % {"setting": self.setting.name, "authority": self.authority.name}
            )
        if problems:
            raise ValidationError(problems)


class BankHoliday(models.Model):
    """A bank holiday of a nation (Wales takes England and Wales's list), loaded from GOV.UK's
    published list with its source. Working days are weekdays that are not one of these."""

    nation = models.ForeignKey(Nation, on_delete=models.PROTECT, related_name="bank_holidays")
    day = models.DateField(_("day"))
    title = models.CharField(_("name"), max_length=100)
    source = models.CharField(_("source"), max_length=400)

    class Meta:
        ordering = ["nation__name", "day"]
        verbose_name = _("bank holiday")
        verbose_name_plural = _("bank holidays")
        constraints = [
            models.UniqueConstraint(fields=["nation", "day"], name="bank_holiday_unique_day")
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.day}"
