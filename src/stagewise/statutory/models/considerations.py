"""The education authority's consideration of a looked-after child for a co-ordinated support
plan (ASL Act 2004 s6(1A); ADR 0049). A legal act of its own: not a request to establish needs
(nobody asked) and not a plan (the conclusion may be that none is required). Each consideration
is a new row, so the history is kept; the latest is the one in force.

Beside each of the four conditions of s2, as judged by the authority, is what decision support
found on the record when the consideration was recorded (ADR 0047); a conclusion that differs
from what decision support indicates keeps its reason (DepartureFromSuggestion)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from stagewise import plausible
from stagewise.organisations.models import LocalAuthority
from stagewise.statutory.models.departures import DepartureFromSuggestion


class ConsiderationConclusion(models.TextChoices):
    REQUIRED = "required", _("A co-ordinated support plan is required")
    NOT_REQUIRED = "not_required", _("A co-ordinated support plan is not required")


# The four conditions of the ASL Act 2004 s2, in the order of the Act: (field, label).
CONDITIONS = (
    (
        "authority_responsible",
        _("An education authority is responsible for the learner's school education"),
    ),
    (
        "complex_or_multiple_factors",
        _("Needs arise from complex or multiple factors with a significant adverse effect"),
    ),
    ("lasting_more_than_a_year", _("Needs are likely to continue for more than a year")),
    (
        "significant_support_from_others",
        _("Needs require significant support from other functions or agencies"),
    ),
)


class CoordinatedSupportPlanConsideration(DepartureFromSuggestion):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # By name: the learner record reads this app's rules, so importing it here would be circular.
    learner = models.ForeignKey(
        "learners.Learner",
        on_delete=models.CASCADE,
        related_name="coordinated_support_plan_considerations",
    )
    # The education authority that considered: the learner's, at the time.
    authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="+", verbose_name=_("authority")
    )
    considered_on = plausible.DateField(_("date of the consideration"), within=plausible.HAPPENED)
    considered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    considered_by_label = models.CharField(_("considered by"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    # Each condition as the authority judged it (met or not).
    authority_responsible = models.BooleanField(_("condition 1 met"))
    complex_or_multiple_factors = models.BooleanField(_("condition 2 met"))
    lasting_more_than_a_year = models.BooleanField(_("condition 3 met"))
    significant_support_from_others = models.BooleanField(_("condition 4 met"))
    # Each condition as decision support found it on the record when this was recorded.
    authority_responsible_evidenced = models.BooleanField(
        _("condition 1 evidenced"), default=False, db_default=False
    )
    complex_or_multiple_factors_evidenced = models.BooleanField(
        _("condition 2 evidenced"), default=False, db_default=False
    )
    lasting_more_than_a_year_evidenced = models.BooleanField(
        _("condition 3 evidenced"), default=False, db_default=False
    )
    significant_support_from_others_evidenced = models.BooleanField(
        _("condition 4 evidenced"), default=False, db_default=False
    )
    conclusion = models.CharField(
        _("conclusion"), max_length=20, choices=ConsiderationConclusion.choices
    )
    # What decision support indicated: required only when all four conditions are evidenced.
    suggested_conclusion = models.CharField(
        _("conclusion decision support indicated"),
        max_length=20,
        choices=ConsiderationConclusion.choices,
    )
    reason = plausible.TextField(_("reason for the conclusion"), max_length=5_000)

    class Meta:
        ordering = ["-considered_on", "-pk"]
        verbose_name = _("co-ordinated support plan consideration")
        verbose_name_plural = _("co-ordinated support plan considerations")
        indexes = [models.Index(fields=["learner", "-considered_on", "-id"])]

    def __str__(self) -> str:
        return f"{self.learner_id} considered {self.considered_on}: {self.conclusion}"

    @property
    def required(self) -> bool:
        return self.conclusion == ConsiderationConclusion.REQUIRED

    def conditions(self) -> list[tuple[str, bool, bool]]:
        """(label, judged met, evidenced by decision support) for each condition, in order."""
        return [
            (str(label), getattr(self, name), getattr(self, f"{name}_evidenced"))
            for name, label in CONDITIONS
        ]
