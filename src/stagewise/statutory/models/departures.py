"""The departure record every decision with decision support keeps (ADR 0047): whether the decision
departs from the suggestion shown, and why. Plain fields, so that the consistency report counts
departures and reads their reasons without recomputing anything; database defaults, so that rows
written in bulk (the synthetic population) read as decided without decision support.

Why is kept twice: a kind from a short national code list (DepartureKind), which can be counted
and can leave an authority as a number, and the professional's own words, which stay inside it
(ADR 0047, amended for issue 16 item 4)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from stagewise import plausible

# The code list's version, named on the report: changing a kind changes what the counts mean.
DEPARTURE_KINDS_VERSION = "2026-12-02"


class DepartureKind(models.TextChoices):
    """The kinds of reason for departing from the suggestion: the same for every authority, so
    that the consistency report can count them nationally. The last is for anything else; its
    share says whether the list needs another kind."""

    EVIDENCE_OUTSIDE = "evidence_outside", _("Evidence held outside Stagewise")
    VIEWS = "views", _("The child's or family's views")
    CHANGE_IN_CIRCUMSTANCES = "change_in_circumstances", _("A recent change in circumstances")
    PROFESSIONAL_JUDGEMENT = (
        "professional_judgement",
        _("Professional judgement of how needs affect learning"),
    )
    SUPPORT_ELSEWHERE = "support_elsewhere", _("Support already in place elsewhere")
    OTHER = "other", _("Another reason")


class DepartureFromSuggestion(models.Model):
    departs_from_suggestion = models.BooleanField(
        _("departs from the suggestion"), default=False, db_default=False
    )
    # Set exactly when the decision departs; blank otherwise.
    departure_kind = models.CharField(
        _("kind of reason for departing"),
        max_length=30,
        choices=DepartureKind.choices,
        blank=True,
        default="",
        db_default="",
    )
    departure_reason = plausible.TextField(
        _("reason for departing from the suggestion"),
        max_length=5_000,
        blank=True,
        default="",
        db_default="",
    )

    class Meta:
        abstract = True


def departure_refusals(
    *, departs: bool, kind: str, reason: str, reason_missing: str
) -> dict[str, str]:
    """What a departing decision still needs, by field: the kind from the list (so it can be
    counted) and the reason in the professional's words (`reason_missing` says which suggestion
    it departs from). Nothing when the decision does not depart."""
    if not departs:
        return {}
    refusals = {}
    if kind not in DepartureKind.values:
        refusals["departure_kind"] = str(
            _(
                "Choose the kind of reason for departing from the suggestion, as well as giving"
                " the reason in your own words."
            )
        )
    if not reason:
        refusals["departure_reason"] = reason_missing
    return refusals
