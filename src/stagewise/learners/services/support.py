"""Writing what a learner needs and how they are supported: needs, stage decisions, wellbeing
assessments and chronology entries. Each is validated, written in one transaction and audited."""

from datetime import date
from typing import TYPE_CHECKING, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from stagewise.audit.models import AuditAction
from stagewise.audit.services import audit_record, audit_value
from stagewise.learners.access import require_for_learner
from stagewise.learners.models import (
    ChronologyEntry,
    Learner,
    Need,
    StageDecision,
    WellbeingAssessment,
    WellbeingIndicator,
    WellbeingLevel,
    WellbeingRating,
)
from stagewise.learners.services.record import learner_current_enrolment
from stagewise.organisations.models import LocalAuthority, Setting
from stagewise.plausible import clean_only
from stagewise.policy import Capability, SystemProcess
from stagewise.statutory.models import LocalStage, ReasonForSupport
from stagewise.statutory.models.departures import departure_refusals
from stagewise.statutory.selectors import stage_model_for

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor


def _actor_label(actor: "Actor | SystemProcess | None") -> str:
    if actor is None or actor.user is None:
        return "Stagewise (system)"
    return actor.user.full_name


def _acting_setting(actor: "Actor | SystemProcess | None") -> "Setting | None":
    """The setting the author acts for: a school's staff's, not an authority's or an agency's."""
    membership = getattr(actor, "membership", None)
    return membership.setting if membership is not None else None


def _learner_authority(learner: Learner) -> LocalAuthority:
    enrolment = learner_current_enrolment(learner)
    if enrolment is None:
        raise ValidationError(
            _("This learner is not enrolled anywhere, so nothing can be planned.")
        )
    return enrolment.setting.authority


@transaction.atomic
def need_record(
    *,
    actor: "Actor | SystemProcess | None",
    learner: Learner,
    reason: ReasonForSupport,
    identified_on: date,
    factor_groups: list[str] | None = None,
    evidence: str = "",
    notes: str = "",
    disability: str = "",
) -> Need:
    require_for_learner(actor, Capability.RECORD_SUPPORT, learner, "record need")
    authority = _learner_authority(learner)
    if reason.nation_id != authority.nation_id:
        raise ValidationError(
            {
                "reason": _("Choose a reason for support used in %(nation)s.")
                % {"nation": authority.nation}
            }
        )
    need = Need(
        learner=learner,
        reason=reason,
        identified_on=identified_on,
        factor_groups=factor_groups or [],
        evidence=evidence,
        notes=notes,
        disability=disability,
        identified_by=actor.user if actor else None,
        identified_by_label=_actor_label(actor),
        identified_for_setting=_acting_setting(actor),
    )
    need.full_clean()
    need.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        learner=learner,
        object_type="need",
        object_id=str(need.pk),
        purpose="record additional support need",
        changes={
            "reason": [None, str(reason)],
            "identified_on": [None, audit_value(identified_on)],
        },
    )
    return need


@transaction.atomic
def need_resolve(*, actor: "Actor", need: Need, resolved_on: date) -> Need:
    require_for_learner(actor, Capability.RECORD_SUPPORT, need.learner, "resolve need")
    locked = Need.objects.select_for_update().get(pk=need.pk)
    if locked.resolved_on is not None:
        raise ValidationError(_("This need has already been recorded as resolved."))
    locked.resolved_on = resolved_on
    # Checks only what this write changes, so a value stored before a limit never blocks it.
    clean_only(locked, "resolved_on")
    locked.clean()
    locked.save(update_fields=["resolved_on"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        learner=locked.learner,
        object_type="need",
        object_id=str(locked.pk),
        purpose="resolve additional support need",
        changes={"resolved_on": [None, audit_value(resolved_on)]},
    )
    return locked


@transaction.atomic
def stage_decide(
    *,
    actor: "Actor | SystemProcess | None",
    learner: Learner,
    stage: LocalStage,
    decided_on: date,
    rationale: str,
    next_review_on: date,
    departure_reason: str = "",
    departure_kind: str = "",
) -> StageDecision:
    """Records the decision with the suggestion decision support makes from the record now
    (ADR 0047). Choosing another stage than the suggested one needs a reason, which is kept."""
    # Imported here: decision support reads plans and requests, which sit above learners.
    from stagewise.statutory.decision_support_selectors import stage_decision_support_get

    require_for_learner(actor, Capability.DECIDE_STAGE, learner, "decide stage")
    authority = _learner_authority(learner)
    model = stage_model_for(authority)
    if stage.stage_model_id != model.pk:
        raise ValidationError(
            {
                "stage": _("Choose a stage from %(model)s, the model %(authority)s uses.")
                % {"model": model, "authority": authority}
            }
        )
    support = stage_decision_support_get(learner)
    suggested = support.suggestion if support is not None else None
    # The selector suggests one of the authority's LocalStage rows.
    suggested_stage = cast("LocalStage | None", suggested.local_stage if suggested else None)
    departs = suggested_stage is not None and suggested_stage.pk != stage.pk
    departure_reason = departure_reason.strip()
    refusals = departure_refusals(
        departs=departs,
        kind=departure_kind,
        reason=departure_reason,
        reason_missing=_(
            "You chose %(chosen)s but the suggested stage is %(suggested)s: give the "
            "reason for departing from the suggestion."
        )
        % {
            "chosen": stage.display_label,
            "suggested": suggested_stage.display_label if suggested_stage else "",
        },
    )
    if refusals:
        raise ValidationError(refusals)
    decision = StageDecision(
        suggested_national_stage=suggested.national_stage if suggested is not None else "",
        suggested_stage=suggested_stage,
        departs_from_suggestion=departs,
        departure_kind=departure_kind if departs else "",
        departure_reason=departure_reason if departs else "",
        learner=learner,
        stage=stage,
        decided_on=decided_on,
        rationale=rationale.strip(),
        next_review_on=next_review_on,
        decided_by=actor.user if actor else None,
        decided_by_label=_actor_label(actor),
        decided_for_setting=_acting_setting(actor),
    )
    decision.full_clean()
    decision.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        learner=learner,
        object_type="stage_decision",
        object_id=str(decision.pk),
        purpose="decide stage",
        changes={
            "stage": [None, stage.label],
            "next_review_on": [None, next_review_on.isoformat()],
            "suggested_stage": [None, suggested_stage.label if suggested_stage else None],
            "departs_from_suggestion": [None, departs],
            "departure_kind": [None, departure_kind if departs else ""],
        },
    )
    return decision


@transaction.atomic
def wellbeing_assess(
    *,
    actor: "Actor | SystemProcess | None",
    learner: Learner,
    assessed_on: date,
    ratings: dict[str, tuple[str, str]],
    summary: str = "",
) -> WellbeingAssessment:
    """Record an assessment; `ratings` maps every SHANARRI indicator to (level, note)."""
    require_for_learner(actor, Capability.RECORD_SUPPORT, learner, "record wellbeing")
    missing = [str(i.label) for i in WellbeingIndicator if i.value not in ratings]
    if missing:
        raise ValidationError(
            _("Rate every wellbeing indicator. Missing: %(missing)s.")
            % {"missing": ", ".join(missing)}
        )
    unknown_levels = {level for level, _note in ratings.values()} - set(WellbeingLevel.values)
    if unknown_levels:
        raise ValidationError(_("Choose a level from the list for every indicator."))
    assessment = WellbeingAssessment(
        learner=learner,
        assessed_on=assessed_on,
        summary=summary,
        assessed_by=actor.user if actor else None,
        assessed_by_label=_actor_label(actor),
    )
    assessment.full_clean()
    rating_rows = [
        WellbeingRating(assessment=assessment, indicator=indicator, level=level, note=note)
        for indicator, (level, note) in ratings.items()
    ]
    for rating in rating_rows:
        try:
            clean_only(rating, "indicator", "level", "note")
        except ValidationError as error:
            # The message names the indicator; the form has one note field per indicator.
            raise ValidationError(error.messages) from None
    assessment.save()
    WellbeingRating.objects.bulk_create(rating_rows)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        learner=learner,
        object_type="wellbeing_assessment",
        object_id=str(assessment.pk),
        purpose="record wellbeing assessment",
        changes={indicator: [None, level] for indicator, (level, _note) in ratings.items()},
    )
    return assessment


@transaction.atomic
def chronology_record(
    *,
    actor: "Actor | SystemProcess | None",
    learner: Learner,
    entry_type: str,
    occurred_on: date,
    summary: str,
    source: str,
    restricted: bool = False,
) -> ChronologyEntry:
    require_for_learner(
        actor,
        Capability.RESTRICTED_CHRONOLOGY if restricted else Capability.RECORD_SUPPORT,
        learner,
        "record chronology entry",
    )
    entry = ChronologyEntry(
        learner=learner,
        entry_type=entry_type,
        occurred_on=occurred_on,
        summary=summary.strip(),
        source=source.strip(),
        restricted=restricted,
        recorded_by=actor.user if actor else None,
        recorded_by_label=_actor_label(actor),
        recorded_for_setting=_acting_setting(actor),
    )
    entry.full_clean()
    entry.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        learner=learner,
        object_type="chronology_entry",
        object_id=str(entry.pk),
        purpose="record chronology entry",
        changes={
            "entry_type": [None, entry_type],
            "occurred_on": [None, occurred_on.isoformat()],
            "restricted": [None, restricted],
        },
    )
    return entry
