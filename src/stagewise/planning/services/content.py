"""Writing a plan's content while a version is being drafted: sections, dates, targets,
support provision and views. Changes to existing content name what the editor was shown, so
two people editing one plan never silently overwrite each other."""

from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stagewise.accounts.models import User
from stagewise.audit.models import AuditAction
from stagewise.audit.services import audit_value, field_changes
from stagewise.organisations.models import Agency
from stagewise.planning.models import (
    Plan,
    PlanSection,
    PlanSectionText,
    PlanView,
    SectionKind,
    SupportProvision,
    Target,
    ViewKind,
)
from stagewise.planning.services.common import (
    audit_plan,
    check_not_changed,
    content_changed,
    lock_editable_plan,
    lock_plan,
    require_plan_editor,
)
from stagewise.plausible import clean_only
from stagewise.policy import nation_policy

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor


def section_text_current(plan: Plan, section: PlanSection) -> dict[str, Any]:
    row = PlanSectionText.objects.filter(plan=plan, section=section).first()
    return {"text": row.text if row else ""}


@transaction.atomic
def plan_section_update(
    *, actor: "Actor", plan: Plan, section: PlanSection, text: str, based_on: str
) -> None:
    locked = lock_editable_plan(actor=actor, plan=plan)
    if section.plan_type_id != locked.plan_type_id or section.kind != SectionKind.TEXT:
        raise ValidationError(_("This section is not written as text in this plan."))
    check_not_changed(current=section_text_current(locked, section), based_on=based_on)
    row, _created = PlanSectionText.objects.get_or_create(plan=locked, section=section)
    before = row.text
    row.text = text.strip()
    clean_only(row, "text")
    row.save(update_fields=["text"])
    content_changed(locked)
    audit_plan(
        actor=actor,
        plan=locked,
        action=AuditAction.UPDATE,
        purpose="write plan section",
        changes={f"section:{section.key}": [before, row.text]},
    )


DETAIL_FIELDS = ("starts_on", "next_review_on", "multi_agency", "lead_professional")


def plan_details_current(plan: Plan) -> dict[str, Any]:
    return {name: audit_value(getattr(plan, name)) for name in DETAIL_FIELDS}


def _check_review_after_start(starts_on: date | None, next_review_on: date | None) -> None:
    if starts_on and next_review_on and next_review_on < starts_on:
        raise ValidationError(
            {"next_review_on": _("The review date must be on or after the date the plan starts.")}
        )


@transaction.atomic
def plan_details_update(
    *,
    actor: "Actor",
    plan: Plan,
    starts_on: date | None,
    next_review_on: date | None,
    multi_agency: bool,
    lead_professional: str,
    based_on: str,
) -> Plan:
    locked = lock_editable_plan(actor=actor, plan=plan)
    check_not_changed(current=plan_details_current(locked), based_on=based_on)
    _check_review_after_start(starts_on, next_review_on)
    data = {
        "starts_on": starts_on,
        "next_review_on": next_review_on,
        "multi_agency": multi_agency and locked.plan_type.has_lead_professional,
        "lead_professional": lead_professional.strip(),
    }
    changes = field_changes(locked, data)
    for name, value in data.items():
        setattr(locked, name, value)
    # Checks only what this write changes, so a value stored before a limit never blocks it.
    clean_only(locked, *data)
    locked.save(update_fields=list(data))
    content_changed(locked)
    audit_plan(
        actor=actor,
        plan=locked,
        action=AuditAction.UPDATE,
        purpose="change plan dates",
        changes=changes,
    )
    return locked


@transaction.atomic
def plan_staff_notes_update(*, actor: "Actor", plan: Plan, staff_notes: str, based_on: str) -> None:
    """Staff-only notes sit outside the plan document, so they can change at any status."""
    require_plan_editor(actor, plan.learner)
    locked = lock_plan(plan)
    check_not_changed(current={"staff_notes": locked.staff_notes}, based_on=based_on)
    before = locked.staff_notes
    locked.staff_notes = staff_notes.strip()
    clean_only(locked, "staff_notes")
    locked.save(update_fields=["staff_notes"])
    audit_plan(
        actor=actor,
        plan=locked,
        action=AuditAction.UPDATE,
        purpose="change staff-only plan notes",
        changes={"staff_notes": [before, locked.staff_notes]},
    )


TARGET_FIELDS = ("outcome", "measure", "baseline", "success_criteria", "achieve_by")


def target_current(target: Target) -> dict[str, Any]:
    return {name: audit_value(getattr(target, name)) for name in TARGET_FIELDS}


def _check_target_dates(plan: Plan, achieve_by: date | None) -> None:
    if achieve_by and plan.starts_on and achieve_by < plan.starts_on:
        raise ValidationError(
            {"achieve_by": _("The target date must be on or after the date the plan starts.")}
        )


@transaction.atomic
def target_add(
    *,
    actor: "Actor",
    plan: Plan,
    outcome: str,
    measure: str = "",
    baseline: str = "",
    success_criteria: str = "",
    achieve_by: date | None = None,
) -> Target:
    locked = lock_editable_plan(actor=actor, plan=plan)
    _check_target_dates(locked, achieve_by)
    target = Target(
        plan=locked,
        outcome=outcome.strip(),
        measure=measure.strip(),
        baseline=baseline.strip(),
        success_criteria=success_criteria.strip(),
        achieve_by=achieve_by,
    )
    target.full_clean()
    target.save()
    content_changed(locked)
    audit_plan(
        actor=actor,
        plan=locked,
        action=AuditAction.CREATE,
        purpose="add target",
        object_type="target",
        object_id=str(target.pk),
        changes={name: [None, value] for name, value in target_current(target).items()},
    )
    return target


@transaction.atomic
def target_update(
    *,
    actor: "Actor",
    target: Target,
    outcome: str,
    measure: str,
    baseline: str,
    success_criteria: str,
    achieve_by: date | None,
    based_on: str,
) -> Target:
    locked_plan = lock_editable_plan(actor=actor, plan=target.plan)
    current = Target.objects.get(pk=target.pk)
    check_not_changed(current=target_current(current), based_on=based_on)
    _check_target_dates(locked_plan, achieve_by)
    data = {
        "outcome": outcome.strip(),
        "measure": measure.strip(),
        "baseline": baseline.strip(),
        "success_criteria": success_criteria.strip(),
        "achieve_by": achieve_by,
    }
    changes = field_changes(current, data)
    for name, value in data.items():
        setattr(current, name, value)
    current.full_clean()
    current.save(update_fields=list(data))
    content_changed(locked_plan)
    audit_plan(
        actor=actor,
        plan=locked_plan,
        action=AuditAction.UPDATE,
        purpose="change target",
        object_type="target",
        object_id=str(current.pk),
        changes=changes,
    )
    return current


@transaction.atomic
def target_remove(*, actor: "Actor", target: Target, based_on: str) -> None:
    locked_plan = lock_editable_plan(actor=actor, plan=target.plan)
    current = Target.objects.filter(pk=target.pk).first()
    if current is None:
        return  # Someone else removed it already; the outcome is the one asked for.
    check_not_changed(current=target_current(current), based_on=based_on)
    audit_plan(
        actor=actor,
        plan=locked_plan,
        action=AuditAction.UPDATE,
        purpose="remove target",
        object_type="target",
        object_id=str(current.pk),
        changes={"outcome": [current.outcome, None]},
    )
    current.delete()
    content_changed(locked_plan)


@transaction.atomic
def provision_add(
    *,
    actor: "Actor",
    target: Target,
    description: str,
    frequency: str,
    starts_on: date,
    provider_staff: User | None = None,
    provider_agency: Agency | None = None,
    provider_name: str = "",
    minutes_per_week: int | None = None,
    location: str = "",
    ends_on: date | None = None,
    delivered_in_welsh: bool | None = None,
    rationale: str = "",
) -> SupportProvision:
    locked_plan = lock_editable_plan(actor=actor, plan=target.plan)
    errors: dict[str, str] = {}
    chosen = [p for p in (provider_staff, provider_agency, provider_name.strip()) if p]
    if len(chosen) != 1:
        errors["provider"] = _(
            "Say who provides this support: choose one member of staff, one agency, or write"
            " the name of someone else."
        )
    if ends_on and ends_on < starts_on:
        errors["ends_on"] = _("The end date must be on or after the start date.")
    language_required = nation_policy(locked_plan.authority.nation.code).provision_language_required
    if language_required and delivered_in_welsh is None:
        errors["delivered_in_welsh"] = _("Say whether this provision is delivered in Welsh.")
    if errors:
        raise ValidationError(errors)
    if provider_staff is not None:
        label = provider_staff.full_name
    elif provider_agency is not None:
        label = provider_agency.display_name
    else:
        label = provider_name.strip()
    provision = SupportProvision(
        target=target,
        description=description.strip(),
        provider_staff=provider_staff,
        provider_agency=provider_agency,
        provider_label=label,
        frequency=frequency.strip(),
        minutes_per_week=minutes_per_week,
        location=location.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        delivered_in_welsh=delivered_in_welsh,
        rationale=rationale.strip(),
    )
    provision.full_clean()
    provision.save()
    content_changed(locked_plan)
    audit_plan(
        actor=actor,
        plan=locked_plan,
        action=AuditAction.CREATE,
        purpose="add support provision",
        object_type="support_provision",
        object_id=str(provision.pk),
        changes={"description": [None, provision.description], "provider": [None, label]},
    )
    return provision


@transaction.atomic
def provision_remove(*, actor: "Actor", provision: SupportProvision) -> None:
    locked_plan = lock_editable_plan(actor=actor, plan=provision.target.plan)
    audit_plan(
        actor=actor,
        plan=locked_plan,
        action=AuditAction.UPDATE,
        purpose="remove support provision",
        object_type="support_provision",
        object_id=str(provision.pk),
        changes={"description": [provision.description, None]},
    )
    SupportProvision.objects.filter(pk=provision.pk).delete()
    content_changed(locked_plan)


@transaction.atomic
def view_add(
    *,
    actor: "Actor",
    plan: Plan,
    kind: str,
    speaker: str,
    words: str,
    gathered_on: date,
    how_gathered: str = "",
) -> PlanView:
    locked = lock_editable_plan(actor=actor, plan=plan)
    if gathered_on > timezone.localdate():
        raise ValidationError(
            {"gathered_on": _("The date views were gathered cannot be in the future.")}
        )
    view = PlanView(
        plan=locked,
        kind=ViewKind(kind),
        speaker=speaker.strip(),
        # Kept exactly as given: these are the speaker's own words.
        words=words,
        gathered_on=gathered_on,
        how_gathered=how_gathered.strip(),
        recorded_by=actor.user,
    )
    view.full_clean()
    if not view.words.strip():
        raise ValidationError({"words": _("Write their views, in their own words.")})
    view.save()
    content_changed(locked)
    audit_plan(
        actor=actor,
        plan=locked,
        action=AuditAction.CREATE,
        purpose="record views",
        object_type="plan_view",
        object_id=str(view.pk),
        changes={"kind": [None, view.kind], "speaker": [None, view.speaker]},
    )
    return view


@transaction.atomic
def view_remove(*, actor: "Actor", view: PlanView) -> None:
    locked = lock_editable_plan(actor=actor, plan=view.plan)
    audit_plan(
        actor=actor,
        plan=locked,
        action=AuditAction.UPDATE,
        purpose="remove views",
        object_type="plan_view",
        object_id=str(view.pk),
        changes={"words": [view.words, None]},
    )
    PlanView.objects.filter(pk=view.pk).delete()
    content_changed(locked)
