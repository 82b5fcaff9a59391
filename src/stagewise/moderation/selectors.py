"""Every read of moderation, cut to the actor (ADR 0046). Three people reach a case, each through
their own door, and anyone else is told it does not exist (404):

- the **officer** of an authority that drew the sample, or of any authority of its group;
- the **moderator** it is assigned to, in the membership it was assigned to (never a member of
  staff of the deciding school: the services refuse that assignment);
- the deciding school's **leaders**, once the moderator disagreed.

None of these doors opens the learner's record: a moderator reads the anonymised projection made
by moderation/evidence.py, and the school's leaders reach the learner only through
learners/access.py, as always."""

import uuid
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from stagewise.learners.models import Enrolment, StageDecision
from stagewise.moderation.models import (
    DecisionKind,
    ModerationCase,
    ModerationGroup,
    ModerationSample,
    Verdict,
)
from stagewise.organisations.models import LocalAuthority, Membership, Setting
from stagewise.planning.models import Plan, PlanType
from stagewise.policy import Capability, may, roles_with
from stagewise.statutory.models import LocalStage

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor


def officer_authority(actor: "Actor | None") -> LocalAuthority | None:
    """The authority whose moderation the actor runs, if they run any."""
    if actor is None or not may(actor, Capability.RUN_MODERATION) or actor.membership is None:
        return None
    return actor.membership.authority


def groups_of(authority: LocalAuthority) -> QuerySet[ModerationGroup]:
    return ModerationGroup.objects.filter(authorities=authority).order_by("name")


def authorities_of(*, authority: LocalAuthority, group: ModerationGroup | None) -> list[int]:
    """The authorities a sample spans: the group's, or the authority alone."""
    if group is None:
        return [authority.pk]
    return list(group.authorities.values_list("pk", flat=True))


def population(
    *, authority_ids: list[int], decided_from: date, decided_to: date
) -> QuerySet[StageDecision]:
    """The decisions a sample is drawn from: every stage decision recorded for a school of the
    authorities in the period. Decisions recorded for an authority or an agency (no school) are
    not moderated by schools' staff, so they are not drawn."""
    return StageDecision.objects.filter(
        decided_on__gte=decided_from,
        decided_on__lte=decided_to,
        decided_for_setting__authority_id__in=authority_ids,
    )


def plan_population(
    *, authority_ids: list[int], decided_from: date, decided_to: date
) -> QuerySet[Plan]:
    """The plan decisions a sample is drawn from: every plan of any type opened in the period by
    staff acting for a school of the authorities (the decision to open a plan of that type).
    Plans opened by an authority's or an agency's staff have no deciding school, so, like their
    stage decisions, they are not drawn."""
    return Plan.objects.filter(
        created_at__date__gte=decided_from,
        created_at__date__lte=decided_to,
        opened_for_setting__authority_id__in=authority_ids,
    )


@dataclass(frozen=True)
class Decided:
    """One decision of a sample's population: its id, its learner, and its stratum (the deciding
    school and the stage or plan type)."""

    pk: int
    learner_id: int
    setting_id: int
    decided_id: int


def population_rows(
    *, kind: str, authority_ids: list[int], decided_from: date, decided_to: date
) -> list[Decided]:
    """The population of a sample of this kind, in id order: one query."""
    period: dict[str, Any] = {
        "authority_ids": authority_ids,
        "decided_from": decided_from,
        "decided_to": decided_to,
    }
    rows: Any
    if kind == DecisionKind.PLAN:
        rows = plan_population(**period).values_list(
            "pk", "learner_id", "opened_for_setting_id", "plan_type_id"
        )
    else:
        rows = population(**period).values_list(
            "pk", "learner_id", "decided_for_setting_id", "stage_id"
        )
    return [Decided(*row) for row in rows.order_by("pk")]


def samples_for_officer(actor: "Actor | None") -> QuerySet[ModerationSample]:
    authority = officer_authority(actor)
    if authority is None:
        return ModerationSample.objects.none()
    return ModerationSample.objects.filter(
        Q(authority=authority) | Q(group__in=groups_of(authority))
    ).distinct()


def sample_list(actor: "Actor | None") -> list[ModerationSample]:
    """The officer's samples, newest first, each with its counts: one query."""
    return list(
        samples_for_officer(actor)
        .select_related("authority", "group")
        .annotate(
            cases_count=Count("cases"),
            reviewed_count=Count("cases", filter=~Q(cases__verdict="")),
            agreed_count=Count("cases", filter=Q(cases__verdict=Verdict.AGREE)),
        )
        .order_by("-drawn_at", "-pk")
    )


def sample_for_officer(actor: "Actor | None", sample_id: "uuid.UUID | str") -> ModerationSample:
    try:
        return (
            samples_for_officer(actor).select_related("authority", "group").get(public_id=sample_id)
        )
    except (ModerationSample.DoesNotExist, ValueError):
        raise Http404 from None


def sample_cases(sample: ModerationSample) -> list[ModerationCase]:
    """The sample's cases with their school, stage or plan type and moderator: one query."""
    return list(
        sample.cases.select_related(
            "setting", "stage", "plan_type", "moderator__user", "moderator__setting"
        ).order_by("number")
    )


def eligible_moderators(*, authority_ids: list[int]) -> QuerySet[Membership]:
    """Staff who may moderate: a current school membership in a role that moderates, at a school
    of the sample's authorities (whether a given case may go to them is the services' check)."""
    return (
        Membership.objects.current()
        .filter(
            role__in=roles_with(Capability.MODERATE_DECISIONS),
            setting__authority_id__in=authority_ids,
            # Not an inactive account: a closed one, or an integration's (ADR 0051).
            user__is_active=True,
        )
        .select_related("user", "setting")
        .order_by("setting__name", "user__full_name", "pk")
    )


def current_schools_of(decision_learner_ids: list[int], on: date | None = None) -> dict[int, set]:
    """Each learner's current schools: a moderator there knows the learner, so is not given the
    case."""
    schools: dict[int, set[int]] = {}
    for learner_id, setting_id in (
        Enrolment.objects.current(on or timezone.localdate())
        .filter(learner_id__in=decision_learner_ids)
        .values_list("learner_id", "setting_id")
    ):
        schools.setdefault(learner_id, set()).add(setting_id)
    return schools


# The moderator's door -----------------------------------------------------------------------


def cases_of_moderator(actor: "Actor | None") -> QuerySet[ModerationCase]:
    if actor is None or actor.membership is None or not may(actor, Capability.MODERATE_DECISIONS):
        return ModerationCase.objects.none()
    return ModerationCase.objects.filter(moderator_id=actor.membership.pk)


def moderator_case_list(actor: "Actor | None") -> list[ModerationCase]:
    """The cases assigned to the actor, those waiting first: one query, naming no learner."""
    return list(
        cases_of_moderator(actor)
        .select_related("stage", "plan_type", "sample__authority")
        .order_by("-assigned_at", "number")
    )


def case_for_moderator_or_officer(
    actor: "Actor | None", case_id: "uuid.UUID | str"
) -> ModerationCase:
    """A case for its moderator, or for an officer of its sample; 404 for anyone else."""
    cases = cases_of_moderator(actor) | ModerationCase.objects.filter(
        sample__in=samples_for_officer(actor)
    )
    try:
        return cases.select_related(
            "sample__authority",
            "setting",
            "stage",
            "plan_type",
            "moderator__user",
            "moderator__setting",
        ).get(public_id=case_id)
    except (ModerationCase.DoesNotExist, ValueError):
        raise Http404 from None


def is_moderator_of(actor: "Actor | None", case: ModerationCase) -> bool:
    return (
        actor is not None
        and actor.membership is not None
        and may(actor, Capability.MODERATE_DECISIONS)
        and case.moderator_id == actor.membership.pk
    )


# The deciding school's door -------------------------------------------------------------------


def returned_to_school(actor: "Actor | None") -> QuerySet[ModerationCase]:
    """The moderators' disagreements with the actor's school's decisions."""
    if (
        actor is None
        or actor.membership is None
        or actor.membership.setting_id is None
        or not may(actor, Capability.CONSIDER_MODERATION)
    ):
        return ModerationCase.objects.none()
    return ModerationCase.objects.filter(
        setting_id=actor.membership.setting_id, verdict=Verdict.DISAGREE
    )


def returned_case(actor: "Actor | None", case_id: "uuid.UUID | str") -> ModerationCase:
    try:
        return (
            returned_to_school(actor)
            .select_related(
                "sample__authority", "stage", "plan_type", "plan", "setting", "learner__audit_key"
            )
            .get(public_id=case_id)
        )
    except (ModerationCase.DoesNotExist, ValueError):
        raise Http404 from None


def returned_list(actor: "Actor | None") -> list[ModerationCase]:
    return list(
        returned_to_school(actor)
        .select_related("stage", "plan_type")
        .order_by("-reviewed_at", "pk")
    )


# Agreement ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgreementRow:
    label: str
    reviewed: int
    agreed: int

    @property
    def rate(self) -> int | None:
        """Agreement as a whole percentage, or None before any review."""
        return round(100 * self.agreed / self.reviewed) if self.reviewed else None

    @property
    def disagreed(self) -> int:
        return self.reviewed - self.agreed


def _overall(rows: list[AgreementRow]) -> AgreementRow:
    return AgreementRow("", sum(row.reviewed for row in rows), sum(row.agreed for row in rows))


@dataclass(frozen=True)
class Agreement:
    by_stage: list[AgreementRow]
    by_plan_type: list[AgreementRow]
    by_school: list[AgreementRow]
    overall: AgreementRow

    @property
    def stages_overall(self) -> AgreementRow:
        return _overall(self.by_stage)

    @property
    def plan_types_overall(self) -> AgreementRow:
        return _overall(self.by_plan_type)


def agreement(cases: QuerySet[ModerationCase]) -> Agreement:
    """Agreement rates among reviewed cases, by stage (stage decisions), by plan type (plan
    decisions) and by school: at most five queries, however many cases."""
    reviewed = cases.exclude(verdict="")
    counted = {"reviewed": Count("pk"), "agreed": Count("pk", filter=Q(verdict=Verdict.AGREE))}
    decided_rows: list[Any] = list(
        reviewed.values("stage_id", "plan_type_id").annotate(**counted).order_by()
    )
    school_rows: list[Any] = list(reviewed.values("setting_id").annotate(**counted).order_by())
    stage_rows = [row for row in decided_rows if row["stage_id"] is not None]
    plan_rows = [row for row in decided_rows if row["plan_type_id"] is not None]
    stages = (
        LocalStage.objects.in_bulk([row["stage_id"] for row in stage_rows]) if stage_rows else {}
    )
    plan_types = (
        PlanType.objects.in_bulk([row["plan_type_id"] for row in plan_rows]) if plan_rows else {}
    )
    schools = Setting.objects.in_bulk([row["setting_id"] for row in school_rows])
    by_stage = [
        AgreementRow(str(stages[row["stage_id"]]), row["reviewed"], row["agreed"])
        for row in sorted(
            stage_rows,
            key=lambda row: (stages[row["stage_id"]].stage_model_id, stages[row["stage_id"]].order),
        )
    ]
    by_plan_type = [
        AgreementRow(plan_types[row["plan_type_id"]].display_name, row["reviewed"], row["agreed"])
        for row in sorted(
            plan_rows,
            key=lambda row: (
                plan_types[row["plan_type_id"]].order,
                plan_types[row["plan_type_id"]].pk,
            ),
        )
    ]
    by_school = sorted(
        (
            AgreementRow(str(schools[row["setting_id"]]), row["reviewed"], row["agreed"])
            for row in school_rows
        ),
        key=lambda row: row.label,
    )
    return Agreement(
        by_stage=by_stage,
        by_plan_type=by_plan_type,
        by_school=by_school,
        overall=_overall(by_school),
    )


def authority_cases(actor: "Actor | None") -> QuerySet[ModerationCase]:
    """Every case of the officer's authority's schools, in any sample they may read."""
    authority = officer_authority(actor)
    if authority is None:
        return ModerationCase.objects.none()
    return ModerationCase.objects.filter(
        sample__in=samples_for_officer(actor), setting__authority=authority
    )
