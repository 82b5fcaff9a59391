"""Recording the education authority's consideration of a looked-after child for a co-ordinated
support plan (ASL Act 2004 s6(1A), ADR 0049). One service, whatever the door (page, demo, tests):
it requires the capability for the learner, checks the learner is looked after and in a nation
whose law has the plan, works out what decision support indicates from the record now, and keeps
the consideration with it, refusing a conclusion that departs from it without a reason."""

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from stagewise.audit.models import AuditAction
from stagewise.audit.services import audit_record, audit_value
from stagewise.learners.access import require_for_learner
from stagewise.learners.models import Learner
from stagewise.learners.services import learner_current_enrolment
from stagewise.policy import Capability, SystemProcess, nation_policy
from stagewise.statutory.models import (
    CONDITIONS,
    ConsiderationConclusion,
    CoordinatedSupportPlanConsideration,
)
from stagewise.statutory.models.departures import departure_refusals

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor

PURPOSE = "consider for a co-ordinated support plan"


@dataclass(frozen=True)
class ConditionsJudged:
    """The four conditions of s2 as the authority judged them: met (True) or not (False)."""

    authority_responsible: bool
    complex_or_multiple_factors: bool
    lasting_more_than_a_year: bool
    significant_support_from_others: bool

    @property
    def all_met(self) -> bool:
        return all(getattr(self, name) for name, _label in CONDITIONS)


def conclusion_indicated(all_evidenced: bool) -> str:
    """Decision support indicates a plan is required only when all four conditions are
    evidenced on the record (ADR 0047)."""
    return (
        ConsiderationConclusion.REQUIRED if all_evidenced else ConsiderationConclusion.NOT_REQUIRED
    )


def refuse_unless_considerable(learner: Learner) -> None:
    """A consideration is for a looked-after learner, enrolled in an authority of a nation whose
    law has the co-ordinated support plan (Scotland; nation data in policy.NationPolicy)."""
    enrolment = learner_current_enrolment(learner)
    if enrolment is None:
        raise ValidationError(
            _("%(learner)s is not enrolled anywhere, so no education authority can consider them.")
            % {"learner": learner}
        )
    if not nation_policy(enrolment.setting.authority.nation.code).coordinated_plan_type:
        raise ValidationError(
            _(
                "Co-ordinated support plans are made under Scottish law only; %(learner)s is"
                " enrolled in %(nation)s."
            )
            % {"learner": learner, "nation": enrolment.setting.authority.nation}
        )
    if not learner.looked_after:
        raise ValidationError(
            _(
                "%(learner)s is not recorded as looked after. Record that they are looked after"
                " on their details first, or ask the authority to establish whether they need a"
                " co-ordinated support plan."
            )
            % {"learner": learner}
        )


@transaction.atomic
def coordinated_support_plan_consider(
    *,
    actor: "Actor | SystemProcess",
    learner: Learner,
    considered_on: date,
    conditions: ConditionsJudged,
    conclusion: str,
    reason: str,
    departure_kind: str = "",
    departure_reason: str = "",
) -> CoordinatedSupportPlanConsideration:
    """Records the authority's consideration; returns it. Refuses, with a message naming what to
    fix: a learner not looked after or not in Scotland; a date in the future or before they
    became looked after; a conclusion that does not follow from the conditions judged (a plan is
    required exactly when all four are met, s2); no reason; a conclusion other than the one
    decision support indicates without the kind of reason and the reason for departing from it
    (ADR 0047's departure rule, as on stage and plan decisions)."""
    from stagewise.statutory.decision_support_plans import coordinated_support_plan_test
    from stagewise.statutory.decision_support_selectors import learner_facts_get

    require_for_learner(actor, Capability.CONSIDER_COORDINATED_SUPPORT_PLANS, learner, PURPOSE)
    learner = Learner.objects.select_for_update().get(pk=learner.pk)
    refuse_unless_considerable(learner)
    enrolment = learner_current_enrolment(learner)
    assert enrolment is not None
    errors: dict[str, list[str]] = {}
    try:
        # Not in the future, nor before anyone could have considered them.
        CoordinatedSupportPlanConsideration._meta.get_field("considered_on").validate(
            considered_on, None
        )
    except ValidationError as error:
        errors["considered_on"] = error.messages
    since = learner.looked_after_since
    if not errors and since is not None and considered_on < since:
        errors.setdefault("considered_on", []).append(
            _(
                "%(learner)s has been looked after since %(since)s: a consideration is on or"
                " after that day."
            )
            % {"learner": learner, "since": date_format(since, "j F Y")}
        )
    if conclusion not in ConsiderationConclusion.values:
        errors.setdefault("conclusion", []).append(
            _("Choose whether a co-ordinated support plan is required.")
        )
    elif (conclusion == ConsiderationConclusion.REQUIRED) != conditions.all_met:
        errors.setdefault("conclusion", []).append(
            _(
                "A co-ordinated support plan is required when all four conditions are met, and"
                " only then: change the conclusion or the conditions."
            )
        )
    reason = reason.strip()
    if not reason:
        errors.setdefault("reason", []).append(_("Enter the reason for the conclusion."))
    test = coordinated_support_plan_test(learner_facts_get(learner, enrolment.setting))
    evidenced = [condition.finding.evidenced for condition in test.conditions]
    suggested = conclusion_indicated(all(evidenced))
    departs = conclusion != suggested
    departure_reason = departure_reason.strip()
    if "conclusion" not in errors:
        refusals = departure_refusals(
            departs=departs,
            kind=departure_kind,
            reason=departure_reason,
            reason_missing=_(
                "Decision support indicates that %(suggested)s on what is recorded: give the"
                " reason for concluding otherwise."
            )
            % {"suggested": _indicated_words(suggested)},
        )
        errors.update({field: [message] for field, message in refusals.items()})
    if errors:
        raise ValidationError(errors)
    consideration = CoordinatedSupportPlanConsideration(
        learner=learner,
        authority=enrolment.setting.authority,
        considered_on=considered_on,
        considered_by=getattr(actor, "user", None),
        considered_by_label=_actor_label(actor),
        conclusion=conclusion,
        suggested_conclusion=suggested,
        reason=reason,
        departs_from_suggestion=departs,
        departure_kind=departure_kind if departs else "",
        departure_reason=departure_reason if departs else "",
        **{name: getattr(conditions, name) for name, _label in CONDITIONS},
        **{
            f"{name}_evidenced": found
            for (name, _label), found in zip(CONDITIONS, evidenced, strict=True)
        },
    )
    consideration.full_clean(exclude=["learner", "authority", "considered_by"])
    consideration.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        learner=learner,
        object_type="coordinated_support_plan_consideration",
        object_id=str(consideration.public_id),
        purpose=PURPOSE,
        changes={
            "considered_on": [None, audit_value(considered_on)],
            "conclusion": [None, conclusion],
            "suggested_conclusion": [None, suggested],
            "departs_from_suggestion": [None, departs],
            **{name: [None, getattr(conditions, name)] for name, _label in CONDITIONS},
        },
    )
    return consideration


def _indicated_words(conclusion: str) -> str:
    if conclusion == ConsiderationConclusion.REQUIRED:
        return _("a co-ordinated support plan is required")
    return _("a co-ordinated support plan is not required")


def _actor_label(actor: "Actor | SystemProcess") -> str:
    user = getattr(actor, "user", None)
    if user is None:
        return "Stagewise (system)"
    return str(user.full_name)
