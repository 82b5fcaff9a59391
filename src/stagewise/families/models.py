"""A family's statutory rights, used as requests (ADR 0016): what was asked, by whom and in what
capacity, how it reached the authority or school, the statutory clock it started, and what was
decided. And the capacity and wellbeing assessment that lets a child aged 12 to 15 in Scotland
use the rights themself."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from stagewise import plausible


class RequesterCapacity(models.TextChoices):
    PARENT_CARER = "parent_carer", _("Parent or carer")
    YOUNG_PERSON = "young_person", _("Young person")
    CHILD = "child", _("Child")


class RequestChannel(models.TextChoices):
    """How the request reached the authority or school. Only the portal is the family's own
    hand; the others are recorded by staff on the family's behalf."""

    PORTAL = "portal", _("Through Stagewise")
    LETTER = "letter", _("By letter")
    TELEPHONE = "telephone", _("By telephone")
    EMAIL = "email", _("By email")
    IN_PERSON = "in_person", _("In person")


class RightsRequestOutcome(models.TextChoices):
    AGREED = "agreed", _("Agreed")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn by the family")


class RightsRequest(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    learner = models.ForeignKey(
        "learners.Learner", on_delete=models.CASCADE, related_name="rights_requests"
    )
    # A RightsRequestKind code from the learner's nation's policy (policy.NATIONS).
    kind = models.CharField(_("what was asked for"), max_length=60)
    capacity = models.CharField(_("asked as"), max_length=20, choices=RequesterCapacity.choices)
    # The parent or carer who asked (empty when the learner asked themself).
    carer = models.ForeignKey(
        "learners.Carer", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The name as it was when the request was made.
    requester_name = plausible.CharField(_("asked by"), max_length=200)
    channel = models.CharField(_("how it was made"), max_length=20, choices=RequestChannel.choices)
    # The statutory clock starts on the day the request was received.
    received_on = plausible.DateField(_("received on"), within=plausible.HAPPENED)
    what = plausible.TextField(_("what is asked"), max_length=4_000)
    why = plausible.TextField(_("why"), max_length=4_000)
    process = models.ForeignKey(
        "statutory.StatutoryProcess",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rights_requests",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_by_label = models.CharField(_("recorded by"), max_length=300)
    recorded_at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=RightsRequestOutcome.choices, blank=True
    )
    outcome_note = plausible.TextField(_("what was decided and why"), max_length=4_000, blank=True)
    decided_on = plausible.DateField(
        _("decided on"), within=plausible.HAPPENED, null=True, blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_by_label = models.CharField(_("decided by"), max_length=300, blank=True)

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("rights request")
        verbose_name_plural = _("rights requests")
        constraints = [
            # One open request of each kind per learner: a second is refused, pointing to the first.
            models.UniqueConstraint(
                fields=["learner", "kind"],
                condition=Q(decided_on__isnull=True),
                name="one_open_rights_request_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} ({self.received_on})"

    @property
    def is_open(self) -> bool:
        return self.decided_on is None


class CapacityAssessment(models.Model):
    """Whether a child aged 12 to 15 has the capacity to use their rights themself and doing so
    would not harm their wellbeing (the Education (Additional Support for Learning) (Scotland)
    Act 2004 as amended by the Education (Scotland) Act 2016). Recorded by staff; the latest one
    on or before the day a request is made stands."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    learner = models.ForeignKey(
        "learners.Learner", on_delete=models.CASCADE, related_name="capacity_assessments"
    )
    assessed_on = plausible.DateField(_("assessed on"), within=plausible.HAPPENED)
    capable = models.BooleanField(_("able to use the rights themself"))
    assessed_by_name = plausible.CharField(_("assessed by"), max_length=200)
    notes = plausible.TextField(_("notes"), max_length=2_000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-assessed_on", "-pk"]
        verbose_name = _("capacity and wellbeing assessment")
        verbose_name_plural = _("capacity and wellbeing assessments")

    def __str__(self) -> str:
        return f"{self.assessed_on}: {'capable' if self.capable else 'not capable'}"


# Views before a review (ADR 0018), in a module of their own.
# The family's own say on a plan review once recorded (ADR 0026).
from stagewise.families.feedback_models import (  # noqa: E402
    FeedbackAnswer,
    FeedbackQuestion,
    FeedbackRespondent,
    ReviewFeedback,
)
from stagewise.families.review_views_models import (  # noqa: E402
    ReviewViewsAnswer,
    ReviewViewsInvitation,
    ReviewViewsInvitee,
    ViewsChannel,
    ViewsFormVersion,
    ViewsQuestion,
)

# The family's own part in a planned transition (ADR 0020).
from stagewise.families.transition_part_models import (  # noqa: E402
    TransitionFamilyPart,
    TransitionPartAuthor,
)

__all__ = [
    "CapacityAssessment",
    "FeedbackAnswer",
    "FeedbackQuestion",
    "FeedbackRespondent",
    "RequestChannel",
    "RequesterCapacity",
    "ReviewFeedback",
    "ReviewViewsAnswer",
    "ReviewViewsInvitation",
    "ReviewViewsInvitee",
    "RightsRequest",
    "RightsRequestOutcome",
    "TransitionFamilyPart",
    "TransitionPartAuthor",
    "ViewsChannel",
    "ViewsFormVersion",
    "ViewsQuestion",
]
