"""Moderation of stage and plan decisions (ADR 0046): an authority, or a group of authorities that
agreed to moderate together, draws a random sample of its schools' recent decisions, stratified by
school and stage (or plan type); staff of other schools review each decision's anonymised
evidence and agree or disagree; a disagreement goes back to the deciding school, which considers
it and responds."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from stagewise import plausible
from stagewise.organisations.models import LocalAuthority, Membership, Setting
from stagewise.planning.models import PlanType
from stagewise.statutory.models import LocalStage

MOST_REASON_CHARACTERS = 2_000


class ModerationGroup(models.Model):
    """Authorities that agreed to moderate together (for example a regional improvement
    collaborative): an officer of any of them may draw a sample across all their schools, and
    their schools' staff may moderate each other's decisions. Kept by administrators."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    name_cy = models.CharField(_("name in Welsh"), max_length=200, blank=True)
    authorities = models.ManyToManyField(
        LocalAuthority, related_name="moderation_groups", verbose_name=_("authorities")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("moderation group")
        verbose_name_plural = _("moderation groups")

    def __str__(self) -> str:
        return self.name


class DecisionKind(models.TextChoices):
    """What a sample is drawn from: decisions placing a learner at a stage, or decisions to open a
    plan of a type (ADR 0046, amended)."""

    STAGE = "stage", _("Stage decisions")
    PLAN = "plan", _("Plan decisions")


class ModerationSample(models.Model):
    """A random sample of the stage decisions, or of the plan decisions, schools recorded in a
    period. The seed is kept, so that the same decisions drawn again with it give the same sample
    (moderation/sampling.py)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The authority of the officer who drew it; with a group, the sample spans its authorities.
    authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="moderation_samples"
    )
    group = models.ForeignKey(
        ModerationGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="samples",
        verbose_name=_("moderation group"),
    )
    kind = models.CharField(
        _("decisions sampled"),
        max_length=10,
        choices=DecisionKind.choices,
        default=DecisionKind.STAGE,
        db_default=DecisionKind.STAGE,
    )
    decided_from = models.DateField(_("decisions from"))
    decided_to = models.DateField(_("decisions to"))
    size = models.PositiveIntegerField(_("sample size"))
    seed = models.BigIntegerField(_("random seed"))
    population_count = models.PositiveIntegerField(_("decisions in the period"))
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    drawn_by_label = models.CharField(_("drawn by"), max_length=200, blank=True)
    drawn_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-drawn_at", "-pk"]
        verbose_name = _("moderation sample")
        verbose_name_plural = _("moderation samples")

    def __str__(self) -> str:
        return f"{self.authority} {self.decided_from} to {self.decided_to}"


class Verdict(models.TextChoices):
    AGREE = "agree", _("Agree with the decision")
    DISAGREE = "disagree", _("Disagree with the decision")


class ModerationCase(models.Model):
    """One sampled decision, a stage decision or a plan decision (exactly one of the two, which the
    database checks): who moderates it, their verdict and reason, and, for a disagreement, the
    deciding school's response. The school and the stage or plan type are copied when it is drawn:
    the sample's strata must not move if the decision's record is later corrected."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sample = models.ForeignKey(ModerationSample, on_delete=models.CASCADE, related_name="cases")
    # The learner the decision is about, copied when drawn: the one way from a case to its learner
    # (audit, work queue, subject access, erasure), whichever kind of decision it is.
    learner = models.ForeignKey("learners.Learner", on_delete=models.CASCADE, related_name="+")
    # Erasing a learner erases their decisions and plans, and with them the cases drawn from them.
    decision = models.ForeignKey(
        "learners.StageDecision", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    plan = models.ForeignKey(
        "planning.Plan", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # The case's number within its sample (1, 2, ...), which is how everyone refers to it.
    number = models.PositiveIntegerField(_("case"))
    setting = models.ForeignKey(Setting, on_delete=models.PROTECT, related_name="+")
    stage = models.ForeignKey(
        LocalStage, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    plan_type = models.ForeignKey(
        PlanType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The moderator acts in one role at one school: the case is theirs in that role only.
    moderator = models.ForeignKey(
        Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices, blank=True)
    reason = plausible.TextField(_("reason"), max_length=MOST_REASON_CHARACTERS, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # The deciding school's answer to a disagreement.
    considered_at = models.DateTimeField(null=True, blank=True)
    considered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    considered_by_label = models.CharField(_("considered by"), max_length=200, blank=True)
    response = plausible.TextField(_("response"), max_length=MOST_REASON_CHARACTERS, blank=True)

    class Meta:
        ordering = ["sample", "number"]
        verbose_name = _("moderation case")
        verbose_name_plural = _("moderation cases")
        constraints = [
            models.UniqueConstraint(fields=["sample", "number"], name="moderation_case_number"),
            models.UniqueConstraint(
                fields=["sample", "decision"], name="moderation_case_decision_once"
            ),
            models.UniqueConstraint(fields=["sample", "plan"], name="moderation_case_plan_once"),
            # Exactly one decision: a stage decision with its stage, or a plan with its type.
            models.CheckConstraint(
                condition=(
                    models.Q(
                        decision__isnull=False,
                        stage__isnull=False,
                        plan__isnull=True,
                        plan_type__isnull=True,
                    )
                    | models.Q(
                        decision__isnull=True,
                        stage__isnull=True,
                        plan__isnull=False,
                        plan_type__isnull=False,
                    )
                ),
                name="moderation_case_one_decision",
            ),
        ]
        indexes = [
            models.Index(fields=["moderator", "reviewed_at"], name="moderation_case_moderator"),
            models.Index(
                fields=["setting", "verdict", "considered_at"], name="moderation_returned"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sample_id} #{self.number}"

    @property
    def is_plan_decision(self) -> bool:
        return self.plan_id is not None

    @property
    def decided_pk(self) -> int:
        """The id of the decision: the stage decision's or the plan's."""
        return self.plan_id if self.plan_id is not None else self.decision_id  # type: ignore[return-value]

    @property
    def decided_id(self) -> int:
        """The stratum's second part: the stage's or the plan type's id."""
        return self.plan_type_id if self.plan_type_id is not None else self.stage_id  # type: ignore[return-value]

    @property
    def decided(self) -> str:
        """What was decided, as a stratum reads: the stage, or the plan type opened."""
        if self.plan_type_id is not None:
            assert self.plan_type is not None
            return self.plan_type.display_name
        return str(self.stage)

    @property
    def is_reviewed(self) -> bool:
        return bool(self.verdict)

    @property
    def is_disagreement(self) -> bool:
        return self.verdict == Verdict.DISAGREE
