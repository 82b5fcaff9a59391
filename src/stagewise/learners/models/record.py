"""The learner record: identity, enrolment history, family, and the staff and agencies around
them."""

import uuid
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import F
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from stagewise import plausible
from stagewise.learners.name_folding import folded_search_name
from stagewise.organisations.models import LocalAuthority, Nation, Setting


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")


# Year groups as each nation names them; an enrolment's year group must belong to its nation.
YEAR_GROUPS: dict[str, list[tuple[str, Any]]] = {
    Nation.SCOTLAND: [
        ("ELC", _("Early learning and childcare")),
        *[(f"P{n}", format_lazy(_("Primary {}"), n)) for n in range(1, 8)],
        *[(f"S{n}", format_lazy(_("Secondary {}"), n)) for n in range(1, 7)],
        ("FE", _("Further education")),
    ],
    Nation.WALES: [
        ("N", _("Nursery")),
        ("R", _("Reception")),
        *[(f"Y{n}", format_lazy(_("Year {}"), n)) for n in range(1, 14)],
        ("FE", _("Further education")),
    ],
}
ALL_YEAR_GROUPS = sorted({code for groups in YEAR_GROUPS.values() for code, _label in groups})


class Learner(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    legal_first_name = plausible.CharField(_("legal first name"), max_length=100)
    legal_last_name = plausible.CharField(_("legal last name"), max_length=100)
    preferred_name = plausible.CharField(
        _("preferred name"),
        max_length=100,
        blank=True,
        help_text=_("The name the learner likes to be called, if different."),
    )
    date_of_birth = plausible.DateField(_("date of birth"), within=plausible.BIRTH)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices)
    candidate_number = models.CharField(
        _("candidate number"),
        max_length=13,
        unique=True,
        help_text=_("Scottish Candidate Number or Welsh Unique Pupil Number."),
    )
    home_language = plausible.CharField(_("home language"), max_length=60, default="English")
    preferred_language = plausible.CharField(
        _("preferred language"),
        max_length=60,
        default="English",
        help_text=_("The language the learner prefers to learn and be spoken to in."),
    )
    looked_after = models.BooleanField(_("looked after"), default=False)
    # The day Stagewise recorded that the learner became looked after (learner_update), so that
    # a consideration for a co-ordinated support plan made before it no longer counts (ASL Act
    # s6(1A), ADR 0049). Empty while not looked after, and for a learner recorded as looked
    # after from the start: since before Stagewise knew them.
    looked_after_since = plausible.DateField(
        _("looked after since"), within=plausible.HAPPENED, null=True, blank=True
    )
    # Scottish or Welsh Index of Multiple Deprivation decile of the home postcode (1 = most).
    deprivation_decile = models.PositiveSmallIntegerField(
        _("deprivation decile"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    young_carer = models.BooleanField(_("young carer"), default=False)
    # A few pages: what colleagues need to know, not a case file.
    staff_notes = plausible.TextField(
        _("staff notes"),
        max_length=10_000,
        blank=True,
        help_text=_("Seen by staff only, never in the family view."),
    )
    young_person_account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="own_learner_record",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The names a search matches, accents folded and lower-cased, kept by the database itself
    # (learners/name_folding.py), so that one trigram index (PostgreSQL, migration 0009) serves
    # searches on any part of a name, and every way of writing a learner keeps it right.
    search_name = models.GeneratedField(
        expression=folded_search_name("legal_first_name", "preferred_name", "legal_last_name"),
        output_field=models.TextField(),
        db_persist=True,
    )

    class Meta:
        ordering = ["legal_last_name", "legal_first_name", "pk"]
        verbose_name = _("learner")
        verbose_name_plural = _("learners")
        # Lists are in this order (learners/selectors); the index serves large lists in order.
        indexes = [
            models.Index(
                Lower("legal_last_name"),
                Lower("legal_first_name"),
                F("id"),
                name="learner_name_order_idx",
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        """A new learner is given their audit key in the same transaction (ADR 0033); bulk
        writers (the synthetic population) write the keys themselves."""
        from stagewise.audit.models import LearnerAuditKey

        if not self._state.adding:
            super().save(*args, **kwargs)
            return
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)
            self.audit_key = LearnerAuditKey.objects.create(learner=self)

    @property
    def display_name(self) -> str:
        return self.name_for_display(
            self.preferred_name, self.legal_first_name, self.legal_last_name
        )

    @staticmethod
    def name_for_display(preferred_name: str, legal_first_name: str, legal_last_name: str) -> str:
        """The name shown for a learner, from its parts: for lists read as plain values."""
        return f"{preferred_name or legal_first_name} {legal_last_name}"

    @property
    def legal_name(self) -> str:
        return f"{self.legal_first_name} {self.legal_last_name}"

    def age_on(self, day: date | None = None) -> int:
        day = day or timezone.localdate()
        before_birthday = (day.month, day.day) < (self.date_of_birth.month, self.date_of_birth.day)
        return day.year - self.date_of_birth.year - int(before_birthday)


class CurrentQuerySet(models.QuerySet):
    """Rows in force today: started, and not ended before today."""

    def current(self, on: date | None = None) -> "CurrentQuerySet":
        today = on or timezone.localdate()
        return self.filter(
            models.Q(started_on__lte=today),
            models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=today),
        )


class DatedRelationship(models.Model):
    started_on = plausible.DateField(
        _("from"), within=plausible.PLANNED, default=timezone.localdate
    )
    ended_on = plausible.DateField(_("to"), within=plausible.PLANNED, null=True, blank=True)

    objects = CurrentQuerySet.as_manager()

    class Meta:
        abstract = True

    def clean(self) -> None:
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            raise ValidationError(
                {"ended_on": _("The end date must be the same as or after the start date.")}
            )

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return self.started_on <= today and (self.ended_on is None or self.ended_on >= today)


class Enrolment(DatedRelationship):
    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="enrolments")
    setting = models.ForeignKey(Setting, on_delete=models.PROTECT, related_name="enrolments")
    year_group = models.CharField(_("year group"), max_length=5)
    attendance_percentage = models.DecimalField(
        _("attendance this year (%)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    # Copies that let a school's or an authority's learner list and name search start from its
    # enrolments and read them in name order from one index (ADR 0050): the setting's authority,
    # and the learner's sort keys and search name. Kept by database triggers (migration 0012)
    # on every write to an enrolment, a learner's names or a setting's authority, whoever
    # writes it (services, imports, the synthetic population's COPY, `.update()`): whatever
    # Python sends for them is replaced. Never written or read as a learner's own data.
    authority = models.ForeignKey(
        LocalAuthority,
        on_delete=models.PROTECT,
        null=True,
        editable=False,
        db_index=False,
        related_name="+",
        verbose_name=_("authority"),
    )
    learner_sort_last_name = models.CharField(max_length=100, editable=False, db_default="")
    learner_sort_first_name = models.CharField(max_length=100, editable=False, db_default="")
    learner_search_name = models.TextField(editable=False, db_default="")

    class Meta:
        ordering = ["-started_on", "-pk"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        indexes = [
            models.Index(fields=["setting", "ended_on"]),
            models.Index(fields=["learner", "ended_on"]),
            # A school's and an authority's learner lists, a page at a time in name order
            # (learners/selectors/record.py). On PostgreSQL the dates, the id and (for a
            # school's search) the search name ride in the index, so that an index-only scan
            # passes over ended enrolments without reading the table.
            models.Index(
                fields=["setting", "learner_sort_last_name", "learner_sort_first_name", "learner"],
                include=["started_on", "ended_on", "id", "learner_search_name"],
                name="enrolment_setting_roster",
            ),
            models.Index(
                fields=[
                    "authority",
                    "learner_sort_last_name",
                    "learner_sort_first_name",
                    "learner",
                ],
                include=["started_on", "ended_on", "id"],
                name="enrolment_authority_roster",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.setting.name}, {self.year_group}"

    def clean(self) -> None:
        super().clean()
        nation_code = self.setting.authority.nation.code
        allowed = {code for code, _label in YEAR_GROUPS.get(nation_code, [])}
        if self.year_group not in allowed:
            raise ValidationError(
                {
                    "year_group": _("Choose a year group used in %(nation)s.")
                    % {"nation": self.setting.authority.nation}
                }
            )


class Carer(models.Model):
    """A parent or carer: a person in the learner's family, who may have a portal account."""

    full_name = plausible.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("email address"), blank=True)
    telephone = plausible.CharField(_("telephone"), max_length=40, blank=True)
    # A postal address is a few short lines.
    address = plausible.TextField(_("address"), max_length=500, blank=True)
    preferred_language = plausible.CharField(
        _("preferred language"), max_length=60, default="English"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carer",
    )

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("parent or carer")
        verbose_name_plural = _("parents and carers")

    def __str__(self) -> str:
        return self.full_name


class CarerRelationship(models.TextChoices):
    MOTHER = "mother", _("Mother")
    FATHER = "father", _("Father")
    PARENT = "parent", _("Parent")
    STEP_PARENT = "step_parent", _("Step-parent")
    GRANDPARENT = "grandparent", _("Grandparent")
    FOSTER_CARER = "foster_carer", _("Foster carer")
    KINSHIP_CARER = "kinship_carer", _("Kinship carer")
    OTHER = "other", _("Other")


class LearnerCarer(models.Model):
    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="carer_links")
    carer = models.ForeignKey(Carer, on_delete=models.CASCADE, related_name="learner_links")
    relationship = models.CharField(
        _("relationship"), max_length=20, choices=CarerRelationship.choices
    )
    parental_responsibility = models.BooleanField(_("has parental responsibility"), default=True)
    lives_with_learner = models.BooleanField(_("lives with the learner"), default=True)
    # Whether this carer may see the family view of the record through the portal.
    portal_access = models.BooleanField(_("may use the family portal"), default=True)

    class Meta:
        ordering = ["carer__full_name"]
        verbose_name = _("learner's parent or carer")
        verbose_name_plural = _("learner's parents and carers")
        constraints = [
            models.UniqueConstraint(fields=["learner", "carer"], name="learner_carer_unique")
        ]

    def __str__(self) -> str:
        return f"{self.carer.full_name} ({self.get_relationship_display()})"


class StaffRelationshipKind(models.TextChoices):
    CLASS_TEACHER = "class_teacher", _("Class teacher")
    NAMED_PERSON = "named_person", _("Named person")
    LEAD_PROFESSIONAL = "lead_professional", _("Lead professional")
    PLAN_COORDINATOR = "plan_coordinator", _("Plan co-ordinator")


class StaffRelationship(DatedRelationship):
    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="staff_links")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="learner_links"
    )
    kind = models.CharField(_("relationship"), max_length=30, choices=StaffRelationshipKind.choices)

    class Meta:
        ordering = ["kind", "staff__full_name"]
        verbose_name = _("staff relationship")
        verbose_name_plural = _("staff relationships")
        indexes = [models.Index(fields=["staff", "ended_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.staff}"


def written_for_setting_field() -> "models.ForeignKey[Setting | None, Setting | None]":
    """The school (nursery, college) a record's author acted for when they wrote it; empty for
    an author acting for an authority or an agency, and for Stagewise itself. What lets the
    school a learner has left read, for a while, only what it wrote (learners/access.py,
    ADR 0020)."""
    return models.ForeignKey(
        Setting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded for"),
    )
