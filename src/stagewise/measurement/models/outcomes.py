"""Outcome records per learner: what the four principles of inclusion are measured from.

Present: attendance (sessions possible and attended, per term), exclusions, part-time timetables.
Participating: time in mainstream classes. Achieving: curriculum level judgements,
qualifications, leaver destinations. Each row belongs to the learner and to the setting that
recorded it (the school they were at), and to the school year it falls in (measurement/periods).

Each model checks what can be checked of one row in `clean()`; checks across rows (attendance
periods that overlap) live in `measurement/validation.py`, shared by the forms and the imports.
"""

import uuid
from datetime import MAXYEAR, MINYEAR
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from stagewise import plausible
from stagewise.learners.models import Learner
from stagewise.measurement.periods import school_year_bounds, school_year_label, school_year_of
from stagewise.organisations.models import Setting


class OutcomeRecord(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    setting = models.ForeignKey(Setting, on_delete=models.PROTECT, related_name="+")
    # The school year the record counts in (derived from its dates in clean()).
    school_year = models.PositiveSmallIntegerField(_("school year"), editable=False)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.school_year_label}"

    @property
    def school_year_label(self) -> str:
        return school_year_label(self.school_year)


def _same_school_year(starts_on: Any, ends_on: Any, errors: dict[str, Any]) -> int | None:
    """The school year of a period, which must end on or after its start and in the same year."""
    if not starts_on:
        return None
    year = school_year_of(starts_on)
    if not MINYEAR <= year < MAXYEAR:
        # A school year whose days a date cannot name: the start date's own plausibility check
        # (full_clean runs it before this) has already refused it with a message.
        return None
    if ends_on:
        if ends_on < starts_on:
            errors["ends_on"] = _("The end date must be the same as or after the start date.")
        elif ends_on > school_year_bounds(year)[1]:
            errors["ends_on"] = _(
                "The period must end in the school year it starts in (%(year)s, which ends on "
                "31 July)."
            ) % {"year": school_year_label(year)}
    return year


class AttendanceRecord(OutcomeRecord):
    """Sessions (half days) a learner could have attended in a period, usually a term, and how
    many they attended."""

    learner = models.ForeignKey(
        Learner, on_delete=models.CASCADE, related_name="attendance_records"
    )
    starts_on = plausible.DateField(_("period from"), within=plausible.HAPPENED)
    ends_on = plausible.DateField(_("period to"), within=plausible.HAPPENED)
    possible_sessions = models.PositiveIntegerField(
        _("possible sessions"), validators=[MaxValueValidator(500)]
    )
    attended_sessions = models.PositiveIntegerField(
        _("sessions attended"), validators=[MaxValueValidator(500)]
    )

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("attendance record")
        verbose_name_plural = _("attendance records")
        indexes = [
            models.Index(fields=["learner", "starts_on"]),
            models.Index(fields=["setting", "school_year"]),
        ]

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        year = _same_school_year(self.starts_on, self.ends_on, errors)
        if year is not None:
            self.school_year = year
        if self.possible_sessions == 0:
            # A period with no sessions has no attendance to count (and no percentage).
            errors["possible_sessions"] = _("Possible sessions must be at least 1.")
        elif (
            self.possible_sessions is not None
            and self.attended_sessions is not None
            and self.attended_sessions > self.possible_sessions
        ):
            errors["attended_sessions"] = _(
                "Sessions attended cannot be more than the possible sessions (%(possible)s)."
            ) % {"possible": self.possible_sessions}
        if errors:
            raise ValidationError(errors)


class Exclusion(OutcomeRecord):
    """A temporary exclusion (or a removal from the register) on a day, for a number of days."""

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="exclusions")
    excluded_on = plausible.DateField(_("date of exclusion"), within=plausible.HAPPENED)
    days = models.DecimalField(
        _("days excluded"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("200"))],
    )
    removed_from_register = models.BooleanField(_("removed from the register"), default=False)

    class Meta:
        ordering = ["-excluded_on", "-pk"]
        verbose_name = _("exclusion")
        verbose_name_plural = _("exclusions")
        indexes = [
            models.Index(fields=["learner", "excluded_on"]),
            models.Index(fields=["setting", "school_year"]),
        ]

    def clean(self) -> None:
        if self.excluded_on:
            self.school_year = school_year_of(self.excluded_on)
        # A value its field could not read (not a number) is reported by the field itself.
        if isinstance(self.days, Decimal) and (self.days * 2) != int(self.days * 2):
            raise ValidationError({"days": _("Enter days in whole or half days, like 1 or 2.5.")})


class PartTimeReason(models.TextChoices):
    HEALTH = "health", _("Physical or mental health")
    PHASED_RETURN = "phased_return", _("Phased return or transition")
    BEHAVIOUR = "behaviour", _("Distressed behaviour")
    AWAITING_PLACEMENT = "awaiting_placement", _("Awaiting a placement or support")
    LEARNER_OR_FAMILY_CHOICE = "choice", _("At the learner's or family's request")
    OTHER = "other", _("Another reason")


class PartTimeTimetable(OutcomeRecord):
    """A reduced timetable: from, to (open while it lasts), hours a week in school, why."""

    learner = models.ForeignKey(
        Learner, on_delete=models.CASCADE, related_name="part_time_timetables"
    )
    starts_on = plausible.DateField(_("from"), within=plausible.HAPPENED)
    ends_on = plausible.DateField(_("to"), within=plausible.PLANNED, null=True, blank=True)
    hours_a_week = models.DecimalField(
        _("hours a week in school"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("35"))],
    )
    reason = models.CharField(_("reason"), max_length=30, choices=PartTimeReason.choices)
    reason_detail = plausible.TextField(_("about the reason"), max_length=1_000, blank=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("part-time timetable")
        verbose_name_plural = _("part-time timetables")
        indexes = [
            models.Index(fields=["learner", "starts_on"]),
            models.Index(fields=["setting", "school_year"]),
        ]

    def clean(self) -> None:
        if self.starts_on:
            self.school_year = school_year_of(self.starts_on)
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError(
                {"ends_on": _("The end date must be the same as or after the start date.")}
            )


class MainstreamTime(OutcomeRecord):
    """How much of a learner's week in a school year is spent in mainstream classes."""

    learner = models.ForeignKey(
        Learner, on_delete=models.CASCADE, related_name="mainstream_time_records"
    )
    timetabled_hours_a_week = models.DecimalField(
        _("hours timetabled a week"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("35"))],
    )
    mainstream_hours_a_week = models.DecimalField(
        _("hours a week in mainstream classes"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("35"))],
    )

    class Meta:
        ordering = ["-school_year", "-pk"]
        verbose_name = _("time in mainstream classes")
        verbose_name_plural = _("time in mainstream classes")
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "school_year"], name="one_mainstream_time_a_year"
            )
        ]
        indexes = [models.Index(fields=["setting", "school_year"])]

    def clean(self) -> None:
        if (
            self.timetabled_hours_a_week is not None
            and self.mainstream_hours_a_week is not None
            and self.mainstream_hours_a_week > self.timetabled_hours_a_week
        ):
            raise ValidationError(
                {
                    "mainstream_hours_a_week": _(
                        "Hours in mainstream classes cannot be more than the hours timetabled "
                        "(%(hours)s)."
                    )
                    % {"hours": self.timetabled_hours_a_week}
                }
            )


class CurriculumJudgement(OutcomeRecord):
    """A teacher's judgement at the end of a school year: in Scotland, whether a pupil in P1, P4,
    P7 or S3 achieved the Curriculum for Excellence level expected in an organiser; in Wales,
    the progression step reached in an area of learning and experience and whether progress is
    as expected. The areas and levels are code lists per nation (measurement/codes.py)."""

    learner = models.ForeignKey(
        Learner, on_delete=models.CASCADE, related_name="curriculum_judgements"
    )
    year_group = models.CharField(_("year group"), max_length=5)
    area = models.CharField(_("curriculum area"), max_length=30)
    level = models.CharField(_("level reached"), max_length=20)
    expected_level_achieved = models.BooleanField(_("expected level or progress achieved"))

    class Meta:
        ordering = ["-school_year", "area", "pk"]
        verbose_name = _("curriculum judgement")
        verbose_name_plural = _("curriculum judgements")
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "school_year", "area"], name="one_judgement_per_area_a_year"
            )
        ]
        indexes = [models.Index(fields=["setting", "school_year"])]

    def clean(self) -> None:
        # Which areas, levels and year groups a nation uses is data (codes.py): checked there.
        from stagewise.measurement.codes import curriculum_errors, expected_level_achieved

        errors = curriculum_errors(self)
        if errors:
            raise ValidationError(errors)
        # In Scotland the expectation is a level by the end of the year group: derived, not typed.
        derived = expected_level_achieved(self)
        if derived is not None:
            self.expected_level_achieved = derived


class Qualification(OutcomeRecord):
    """A qualification awarded, at its level on the nation's credit and qualifications framework
    (SCQF in Scotland, 1 to 12; CQFW in Wales, entry level as 0, then 1 to 8)."""

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="qualifications")
    awarded_on = plausible.DateField(_("date awarded"), within=plausible.HAPPENED)
    title = plausible.CharField(_("qualification"), max_length=200)
    framework_level = models.PositiveSmallIntegerField(
        _("framework level"), validators=[MaxValueValidator(12)]
    )

    class Meta:
        ordering = ["-awarded_on", "-pk"]
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        indexes = [models.Index(fields=["setting", "school_year"])]

    def clean(self) -> None:
        from stagewise.measurement.codes import framework_level_errors

        if self.awarded_on:
            self.school_year = school_year_of(self.awarded_on)
        errors = framework_level_errors(self)
        if errors:
            raise ValidationError(errors)


class LeaverDestinationKind(models.TextChoices):
    HIGHER_EDUCATION = "higher_education", _("Higher education")
    FURTHER_EDUCATION = "further_education", _("Further education")
    TRAINING = "training", _("Training")
    EMPLOYMENT = "employment", _("Employment")
    VOLUNTARY_WORK = "voluntary_work", _("Voluntary work")
    PERSONAL_SKILLS = "personal_skills", _("Personal skills development")
    UNEMPLOYED_SEEKING = "unemployed_seeking", _("Unemployed and seeking work")
    UNEMPLOYED_NOT_SEEKING = "unemployed_not_seeking", _("Unemployed and not seeking work")
    UNKNOWN = "unknown", _("Not known")


# The destinations the national statistics count as positive (employment, training, education,
# voluntary work, personal skills development); the rest are not.
POSITIVE_DESTINATIONS = frozenset(
    {
        LeaverDestinationKind.HIGHER_EDUCATION,
        LeaverDestinationKind.FURTHER_EDUCATION,
        LeaverDestinationKind.TRAINING,
        LeaverDestinationKind.EMPLOYMENT,
        LeaverDestinationKind.VOLUNTARY_WORK,
        LeaverDestinationKind.PERSONAL_SKILLS,
    }
)


class LeaverDestination(OutcomeRecord):
    """Where a learner went on leaving school, as followed up after they left."""

    learner = models.OneToOneField(
        Learner, on_delete=models.CASCADE, related_name="leaver_destination"
    )
    left_on = plausible.DateField(_("date left school"), within=plausible.HAPPENED)
    destination = models.CharField(
        _("destination"), max_length=30, choices=LeaverDestinationKind.choices
    )

    class Meta:
        ordering = ["-left_on", "-pk"]
        verbose_name = _("leaver destination")
        verbose_name_plural = _("leaver destinations")
        indexes = [models.Index(fields=["setting", "school_year"])]

    @property
    def positive(self) -> bool:
        return self.destination in POSITIVE_DESTINATIONS

    def clean(self) -> None:
        if self.left_on:
            self.school_year = school_year_of(self.left_on)
