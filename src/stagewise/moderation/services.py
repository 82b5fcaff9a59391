"""Every write of moderation (ADR 0046): drawing a sample, assigning moderators, reassigning a
case, a moderator's verdict, the deciding school's response, a moderation group. Each requires
its capability for the actor and the record, checks everything, writes in one transaction and
records the change in the audit."""

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stagewise.audit.models import AuditAction
from stagewise.audit.services import audit_record
from stagewise.learners.models import Learner
from stagewise.moderation import sampling
from stagewise.moderation.models import (
    MOST_REASON_CHARACTERS,
    DecisionKind,
    ModerationCase,
    ModerationGroup,
    ModerationSample,
    Verdict,
)
from stagewise.moderation.selectors import (
    authorities_of,
    current_schools_of,
    eligible_moderators,
    groups_of,
    is_moderator_of,
    officer_authority,
    population_rows,
    returned_to_school,
    samples_for_officer,
)
from stagewise.organisations.models import LocalAuthority, Membership
from stagewise.policy import Capability, CapabilityRequired, SystemProcess, require

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor


def _label(actor: "Actor") -> str:
    return actor.user.full_name


def _refuse_if_too_long(field: str, text: str, message: str) -> None:
    """A moderator's reason and a school's response share one limit (the model fields')."""
    if len(text) > MOST_REASON_CHARACTERS:
        raise ValidationError({field: message % {"most": MOST_REASON_CHARACTERS}})


@transaction.atomic
def sample_draw(
    *,
    actor: "Actor",
    decided_from: date,
    decided_to: date,
    size: int,
    group: ModerationGroup | None = None,
    seed: int | None = None,
    kind: str = DecisionKind.STAGE,
) -> ModerationSample:
    """Draw a sample of the decisions schools of the actor's authority (or of the group, which
    must include it) recorded in the period: stage decisions, stratified by school and stage, or
    plan decisions (a plan of a type opened), stratified by school and plan type."""
    require(actor, Capability.RUN_MODERATION)
    if kind not in DecisionKind.values:
        raise ValidationError({"kind": _("Choose stage decisions or plan decisions.")})
    authority = officer_authority(actor)
    if authority is None:
        raise CapabilityRequired(Capability.RUN_MODERATION)
    if group is not None and not groups_of(authority).filter(pk=group.pk).exists():
        raise ValidationError({"group": _("Choose a moderation group your authority belongs to.")})
    today = timezone.localdate()
    if decided_to < decided_from:
        raise ValidationError(
            {"decided_to": _("The end of the period must be the same as or after its start.")}
        )
    if decided_to > today:
        raise ValidationError({"decided_to": _("The end of the period cannot be in the future.")})
    if size < 1:
        raise ValidationError({"size": _("The sample size must be 1 or more.")})
    rows = population_rows(
        kind=kind,
        authority_ids=authorities_of(authority=authority, group=group),
        decided_from=decided_from,
        decided_to=decided_to,
    )
    period = {
        "from": date_format(decided_from, "j F Y"),
        "to": date_format(decided_to, "j F Y"),
    }
    plans = kind == DecisionKind.PLAN
    if not rows:
        raise ValidationError(
            {
                "decided_from": (
                    _(
                        "No plans were opened by schools between %(from)s and %(to)s."
                        " Choose another period."
                    )
                    if plans
                    else _(
                        "No stage decisions were recorded by schools between %(from)s and %(to)s."
                        " Choose another period."
                    )
                )
                % period
            }
        )
    if size > len(rows):
        raise ValidationError(
            {
                "size": (
                    ngettext(
                        "The sample cannot be larger than the %(count)s plan decision made by"
                        " schools between %(from)s and %(to)s. Enter %(count)s or fewer.",
                        "The sample cannot be larger than the %(count)s plan decisions made by"
                        " schools between %(from)s and %(to)s. Enter %(count)s or fewer.",
                        len(rows),
                    )
                    if plans
                    else ngettext(
                        "The sample cannot be larger than the %(count)s decision recorded by"
                        " schools between %(from)s and %(to)s. Enter %(count)s or fewer.",
                        "The sample cannot be larger than the %(count)s decisions recorded by"
                        " schools between %(from)s and %(to)s. Enter %(count)s or fewer.",
                        len(rows),
                    )
                )
                % {**period, "count": len(rows)}
            }
        )
    seed = sampling.new_seed() if seed is None else seed
    chosen, _strata = sampling.draw(
        ((row.pk, (row.setting_id, row.decided_id)) for row in rows), size, seed
    )
    sample = ModerationSample.objects.create(
        authority=authority,
        kind=kind,
        group=group,
        decided_from=decided_from,
        decided_to=decided_to,
        size=size,
        seed=seed,
        population_count=len(rows),
        drawn_by=actor.user,
        drawn_by_label=_label(actor),
    )
    by_pk = {row.pk: row for row in rows}
    ModerationCase.objects.bulk_create(
        ModerationCase(
            sample=sample,
            learner_id=by_pk[pk].learner_id,
            number=number,
            setting_id=by_pk[pk].setting_id,
            **(
                {"plan_id": pk, "plan_type_id": by_pk[pk].decided_id}
                if plans
                else {"decision_id": pk, "stage_id": by_pk[pk].decided_id}
            ),
        )
        for number, pk in enumerate(chosen, start=1)
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        object_type="moderation_sample",
        object_id=str(sample.public_id),
        purpose="run moderation: draw a sample",
        changes={
            "kind": [None, kind],
            "decided_from": [None, decided_from.isoformat()],
            "decided_to": [None, decided_to.isoformat()],
            "size": [None, size],
            "seed": [None, seed],
            "group": [None, group.name if group else None],
        },
    )
    return sample


def sample_redraw(sample: ModerationSample) -> list[int]:
    """The decisions the sample's seed chooses from its period's decisions as they stand now: the
    sample's own decisions while none has been added, changed or removed since it was drawn."""
    rows = population_rows(
        kind=sample.kind,
        authority_ids=authorities_of(authority=sample.authority, group=sample.group),
        decided_from=sample.decided_from,
        decided_to=sample.decided_to,
    )
    chosen, _strata = sampling.draw(
        ((row.pk, (row.setting_id, row.decided_id)) for row in rows), sample.size, sample.seed
    )
    return chosen


@dataclass(frozen=True)
class Assignment:
    assigned: int
    # Cases none of the chosen moderators may take (all of them at the deciding school).
    left_unassigned: list[int]


@transaction.atomic
def moderators_assign(
    *, actor: "Actor", sample: ModerationSample, moderators: list[Membership]
) -> Assignment:
    """Share the sample's unassigned cases among the chosen moderators in turn, each case to the
    next moderator who is not at the deciding school or at a school the learner attends now."""
    require(actor, Capability.RUN_MODERATION)
    if not samples_for_officer(actor).filter(pk=sample.pk).exists():
        raise CapabilityRequired(Capability.RUN_MODERATION)
    if not moderators:
        raise ValidationError({"moderators": _("Choose at least one moderator.")})
    authority_ids = authorities_of(authority=sample.authority, group=sample.group)
    eligible = set(eligible_moderators(authority_ids=authority_ids).values_list("pk", flat=True))
    if any(membership.pk not in eligible for membership in moderators):
        raise ValidationError(
            {"moderators": _("Choose moderators from the list of staff of the sample's schools.")}
        )
    cases = list(sample.cases.filter(moderator__isnull=True).order_by("number").select_for_update())
    if not cases:
        raise ValidationError({"moderators": _("Every case of this sample has a moderator.")})
    attending = current_schools_of([case.learner_id for case in cases])
    now = timezone.now()
    turn = 0
    left: list[int] = []
    assigned: list[ModerationCase] = []
    for case in cases:
        barred = {case.setting_id} | attending.get(case.learner_id, set())
        for step in range(len(moderators)):
            candidate = moderators[(turn + step) % len(moderators)]
            if candidate.setting_id not in barred:
                case.moderator = candidate
                case.assigned_at = now
                assigned.append(case)
                turn = (turn + step + 1) % len(moderators)
                break
        else:
            left.append(case.number)
    ModerationCase.objects.bulk_update(assigned, ["moderator", "assigned_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        object_type="moderation_sample",
        object_id=str(sample.public_id),
        purpose="run moderation: assign moderators",
        detail={
            "assigned": {str(case.number): case.moderator_id for case in assigned},
            "left_unassigned": left,
        },
    )
    return Assignment(assigned=len(assigned), left_unassigned=left)


@transaction.atomic
def case_reassign(*, actor: "Actor", case: ModerationCase, moderator: Membership) -> ModerationCase:
    """The officer who drew the sample gives a case nobody has reviewed yet to another moderator:
    one of the sample's eligible staff, never at the deciding school or a school the learner
    attends now."""
    require(actor, Capability.RUN_MODERATION)
    case = ModerationCase.objects.select_for_update().select_related("sample").get(pk=case.pk)
    if case.sample.drawn_by_id != actor.user.pk or not (
        samples_for_officer(actor).filter(pk=case.sample_id).exists()
    ):
        raise CapabilityRequired(Capability.RUN_MODERATION)
    if case.is_reviewed:
        raise ValidationError(
            _("The moderator has already recorded their view, so the case cannot be reassigned.")
        )
    sample = case.sample
    eligible = eligible_moderators(
        authority_ids=authorities_of(authority=sample.authority, group=sample.group)
    )
    if not eligible.filter(pk=moderator.pk).exists():
        raise ValidationError(
            {"moderator": _("Choose a moderator from the list of staff of the sample's schools.")}
        )
    if moderator.pk == case.moderator_id:
        raise ValidationError(
            {"moderator": _("The case is already assigned to them. Choose another moderator.")}
        )
    if moderator.setting_id == case.setting_id or moderator.setting_id in current_schools_of(
        [case.learner_id]
    ).get(case.learner_id, set()):
        raise ValidationError(
            {
                "moderator": _(
                    "They are at the school that made the decision or that the learner attends."
                    " Choose a moderator at another school."
                )
            }
        )
    before = case.moderator_id
    case.moderator = moderator
    case.assigned_at = timezone.now()
    case.save(update_fields=["moderator", "assigned_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        learner=Learner.objects.get(pk=case.learner_id),
        object_type="moderation_case",
        object_id=str(case.public_id),
        purpose="run moderation: reassign a case",
        changes={"moderator": [before, moderator.pk]},
        # Who moderates is not the learner's data: kept, as moderators_assign keeps it.
        detail={"moderator": [before, moderator.pk]},
    )
    return case


@transaction.atomic
def case_review(
    *, actor: "Actor", case: ModerationCase, verdict: str, reason: str
) -> ModerationCase:
    """The moderator's verdict on a case assigned to them; a disagreement needs its reason, and
    goes back to the deciding school's work queue."""
    require(actor, Capability.MODERATE_DECISIONS)
    case = ModerationCase.objects.select_for_update().get(pk=case.pk)
    if not is_moderator_of(actor, case):
        raise CapabilityRequired(Capability.MODERATE_DECISIONS)
    if case.is_reviewed:
        raise ValidationError(_("You have already recorded your view of this decision."))
    reason = reason.strip()
    if verdict not in Verdict.values:
        raise ValidationError({"verdict": _("Choose whether you agree with the decision.")})
    if verdict == Verdict.DISAGREE and not reason:
        raise ValidationError(
            {"reason": _("Enter why you disagree, so that the school can consider it.")}
        )
    _refuse_if_too_long("reason", reason, _("The reason must be %(most)s characters or fewer."))
    case.verdict = verdict
    case.reason = reason
    case.reviewed_at = timezone.now()
    case.save(update_fields=["verdict", "reason", "reviewed_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        learner=Learner.objects.get(pk=case.learner_id),
        object_type="moderation_case",
        object_id=str(case.public_id),
        purpose="moderate a decision",
        changes={"verdict": [None, verdict], "reason": [None, reason]},
    )
    return case


@transaction.atomic
def disagreement_consider(*, actor: "Actor", case: ModerationCase, response: str) -> ModerationCase:
    """The deciding school has considered a moderator's disagreement: its response is kept and
    the item leaves its work queue."""
    require(actor, Capability.CONSIDER_MODERATION)
    if not returned_to_school(actor).filter(pk=case.pk).exists():
        raise CapabilityRequired(Capability.CONSIDER_MODERATION)
    case = ModerationCase.objects.select_for_update().get(pk=case.pk)
    if case.considered_at is not None:
        raise ValidationError(_("This disagreement has already been marked as considered."))
    response = response.strip()
    if not response:
        raise ValidationError(
            {"response": _("Enter the school's response to the moderator's disagreement.")}
        )
    _refuse_if_too_long(
        "response", response, _("The response must be %(most)s characters or fewer.")
    )
    case.response = response
    case.considered_at = timezone.now()
    case.considered_by = actor.user
    case.considered_by_label = _label(actor)
    case.save(update_fields=["response", "considered_at", "considered_by", "considered_by_label"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        learner=Learner.objects.get(pk=case.learner_id),
        object_type="moderation_case",
        object_id=str(case.public_id),
        purpose="consider a moderator's disagreement",
        changes={"response": [None, response]},
    )
    return case


# The model's limit for a group's names.
GROUP_NAME_CHARACTERS = 200


def _group_checked(
    *, name: str, authorities: list[LocalAuthority], group: ModerationGroup | None = None
) -> str:
    """The group's name, once the rules hold: a name no other group has, and two or more
    authorities of one nation (their schools' staff moderate each other's decisions)."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Enter the group's name.")})
    if len(name) > GROUP_NAME_CHARACTERS:
        raise ValidationError(
            {
                "name": _("The name must be %(most)s characters or fewer.")
                % {"most": GROUP_NAME_CHARACTERS}
            }
        )
    others = ModerationGroup.objects.filter(name__iexact=name)
    if group is not None:
        others = others.exclude(pk=group.pk)
    if others.exists():
        raise ValidationError(
            {
                "name": _("Another moderation group is called %(name)s. Choose another name.")
                % {"name": name}
            }
        )
    if len(authorities) < 2:
        raise ValidationError(
            {"authorities": _("Choose two or more authorities: a group moderates across them.")}
        )
    if len({authority.nation_id for authority in authorities}) != 1:
        raise ValidationError(
            {
                "authorities": _(
                    "Choose authorities of one nation: Scotland's and Wales's decisions follow"
                    " different laws and stages."
                )
            }
        )
    return name


def _welsh_name_checked(name_cy: str) -> str:
    name_cy = name_cy.strip()
    if len(name_cy) > GROUP_NAME_CHARACTERS:
        raise ValidationError(
            {
                "name_cy": _("The Welsh name must be %(most)s characters or fewer.")
                % {"most": GROUP_NAME_CHARACTERS}
            }
        )
    return name_cy


def _authority_names(authorities: "list[LocalAuthority]") -> list[str]:
    return sorted(authority.name for authority in authorities)


@transaction.atomic
def moderation_group_create(
    *,
    actor: "Actor | SystemProcess",
    name: str,
    authorities: list[LocalAuthority],
    name_cy: str = "",
) -> ModerationGroup:
    """Record that authorities agreed to moderate together: an administrator on the moderation
    groups page, or Stagewise itself (the demo, an import)."""
    require(actor, Capability.ADMINISTER_ORGANISATIONS)
    name = _group_checked(name=name, authorities=authorities)
    name_cy = _welsh_name_checked(name_cy)
    group = ModerationGroup.objects.create(name=name, name_cy=name_cy)
    group.authorities.set(authorities)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        object_type="moderation_group",
        object_id=str(group.pk),
        purpose="configure moderation groups",
        changes={
            "name": [None, group.name],
            "name_cy": [None, group.name_cy],
            "authorities": [None, _authority_names(authorities)],
        },
    )
    return group


@transaction.atomic
def moderation_group_update(
    *,
    actor: "Actor | SystemProcess",
    group: ModerationGroup,
    name: str,
    authorities: list[LocalAuthority],
    name_cy: str = "",
) -> dict[str, list[object]]:
    """Change a group's names or authorities; returns the changes (none: nothing recorded). An
    authority that leaves keeps no way to the group's samples; the samples stay as drawn."""
    require(actor, Capability.ADMINISTER_ORGANISATIONS)
    group = ModerationGroup.objects.select_for_update().get(pk=group.pk)
    name = _group_checked(name=name, authorities=authorities, group=group)
    name_cy = _welsh_name_checked(name_cy)
    before_authorities = _authority_names(list(group.authorities.all()))
    after: dict[str, object] = {
        "name": name,
        "name_cy": name_cy,
        "authorities": _authority_names(authorities),
    }
    before: dict[str, object] = {
        "name": group.name,
        "name_cy": group.name_cy,
        "authorities": before_authorities,
    }
    changes: dict[str, list[object]] = {
        field: [before[field], value] for field, value in after.items() if before[field] != value
    }
    if not changes:
        return {}
    group.name = name
    group.name_cy = name_cy
    group.save(update_fields=["name", "name_cy"])
    group.authorities.set(authorities)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        object_type="moderation_group",
        object_id=str(group.pk),
        purpose="configure moderation groups",
        changes=changes,
    )
    return changes
