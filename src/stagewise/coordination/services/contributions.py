"""Contributions: the assessment, advice or report a service's practitioner writes about the
learner while working on a request, and its suggested support adopted into a plan by the plan's
author, with the practitioner named as the provider for their service.

Adding one is the allocated practitioner's step, guarded like starting and completing the work
(`_require_allocated`). Adopting one changes a plan, guarded like every plan write: it goes
through planning's `provision_add`, so the plan's rules (editable only while a version is being
written), its revision counter and its audit apply.
"""

from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stagewise.audit.models import AuditAction
from stagewise.audit.services import audit_record
from stagewise.coordination.models import (
    Contribution,
    ContributionKind,
    RequestEventKind,
    RequestForAssistance,
    RequestStatus,
)
from stagewise.coordination.services.requests import (
    _event,
    _lock,
    _require_allocated,
    _require_status,
    _user,
)
from stagewise.learners.access import require_for_learner
from stagewise.planning.models import SupportProvision, Target
from stagewise.planning.services import provision_add
from stagewise.policy import Capability, SystemProcess

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor

    AnyActor = Actor | SystemProcess

# What a suggestion becomes in the plan: the limits of the provision it would be.
SUGGESTION_FIELDS = ("suggested_description", "suggested_frequency", "suggested_minutes_per_week")


def _audit(
    actor: "AnyActor",
    contribution: Contribution,
    purpose: str,
    changes: dict[str, Any],
    action: str = AuditAction.UPDATE,
) -> None:
    audit_record(
        actor=actor,
        action=action,
        learner=contribution.learner,
        object_type="contribution",
        object_id=str(contribution.public_id),
        purpose=purpose,
        changes=changes,
    )


def _author_label(actor: "AnyActor", request: RequestForAssistance) -> str:
    service = request.service.display_name
    if isinstance(actor, SystemProcess):
        return service
    return f"{actor.user.full_name}, {service}"[:300]


def _suggestion_errors(description: str, frequency: str, minutes: int | None) -> dict[str, str]:
    """A suggestion is either absent or complete enough to become support in a plan."""
    if description and not frequency:
        return {"suggested_frequency": _("Say how often the support you suggest should be given.")}
    if not description and (frequency or minutes is not None):
        return {
            "suggested_description": _(
                "Describe the support you suggest, or leave how often and the minutes a week empty."
            )
        }
    return {}


@transaction.atomic
def contribution_add(
    *,
    actor: "AnyActor",
    request: RequestForAssistance,
    kind: str,
    title: str,
    body: str,
    suggested_description: str = "",
    suggested_frequency: str = "",
    suggested_minutes_per_week: int | None = None,
) -> Contribution:
    """The allocated practitioner's assessment, advice or report, while the work is in progress
    and the request is still shared with the service."""
    _require_allocated(actor, request, "add advice or an assessment")
    locked = _lock(request)
    _require_status(
        locked,
        (RequestStatus.IN_PROGRESS,),
        _("Advice or an assessment can be added only while the work is in progress."),
    )
    if not RequestForAssistance.objects.sharing().filter(pk=locked.pk).exists():
        raise ValidationError(
            _(
                "Consent to share this request has been withdrawn: nothing more can be added to"
                " the learner's record through it."
            )
        )
    if kind not in ContributionKind.values:
        raise ValidationError({"kind": _("Say whether this is an assessment, advice or a report.")})
    title, body = (title or "").strip(), (body or "").strip()
    description = (suggested_description or "").strip()
    frequency = (suggested_frequency or "").strip()
    errors = _suggestion_errors(description, frequency, suggested_minutes_per_week)
    if not title:
        errors["title"] = _("Give it a title, such as 'Speech and language assessment'.")
    if not body:
        errors["body"] = _("Write the assessment or advice.")
    if errors:
        raise ValidationError(errors)
    contribution = Contribution(
        request=locked,
        learner=locked.learner,
        author=_user(actor),
        author_label=_author_label(actor, locked),
        kind=kind,
        title=title,
        body=body,
        suggested_description=description,
        suggested_frequency=frequency,
        suggested_minutes_per_week=suggested_minutes_per_week,
    )
    contribution.full_clean(exclude=["request", "learner", "author", "accepted_into"])
    contribution.save()
    _event(actor, locked, RequestEventKind.CONTRIBUTION_ADDED, title)
    _audit(
        actor,
        contribution,
        "add advice or an assessment",
        {"kind": [None, kind], "title": [None, title]},
        action=AuditAction.CREATE,
    )
    return contribution


def _lock_contribution(contribution: Contribution) -> Contribution:
    return (
        Contribution.objects.select_for_update(of=("self",))
        .select_related("learner", "author", "request__service")
        .get(pk=contribution.pk)
    )


@transaction.atomic
def contribution_accept(
    *,
    actor: "AnyActor",
    contribution: Contribution,
    target: Target,
    description: str | None = None,
    frequency: str | None = None,
    minutes_per_week: int | None = None,
    starts_on: date | None = None,
    delivered_in_welsh: bool | None = None,
) -> SupportProvision:
    """Adopts the contribution into one of the learner's plans as support for `target`, provided
    by the practitioner who wrote it, for their service. The suggestion's words are used unless
    the plan's author gives their own; the support starts today unless a date is given."""
    require_for_learner(
        actor, Capability.EDIT_PLANS, contribution.learner, "add advice to a plan as support"
    )
    locked = _lock_contribution(contribution)
    if locked.is_accepted:
        raise ValidationError(_("This has already been added to a plan."))
    plan = target.plan
    if plan.learner_id != locked.learner_id:
        raise ValidationError({"target": _("Choose a target in one of this learner's plans.")})
    if not plan.is_editable:
        raise ValidationError(
            {
                "target": _(
                    "That plan has been finalised and cannot be changed. Start a revision of it,"
                    " or choose a target in a plan being written or revised."
                )
            }
        )
    description = (locked.suggested_description if description is None else description).strip()
    frequency = (locked.suggested_frequency if frequency is None else frequency).strip()
    if minutes_per_week is None:
        minutes_per_week = locked.suggested_minutes_per_week
    errors = {}
    if not description:
        errors["description"] = _("Describe the support to add to the plan.")
    if not frequency:
        errors["frequency"] = _("Say how often the support is given.")
    if errors:
        raise ValidationError(errors)
    service = locked.request.service
    author = locked.author
    rationale = _("From %(kind)s: %(title)s (%(author)s).") % {
        "kind": locked.get_kind_display().lower(),
        "title": locked.title,
        "author": locked.author_label,
    }
    provision = provision_add(
        actor=actor,  # type: ignore[arg-type]
        target=target,
        description=description,
        frequency=frequency,
        starts_on=starts_on or timezone.localdate(),
        # provision_add takes one provider; the practitioner is named first, then their service
        # is added beside them below, in the same transaction.
        provider_staff=author,
        provider_agency=None if author is not None else service,
        minutes_per_week=minutes_per_week,
        delivered_in_welsh=delivered_in_welsh,
        rationale=rationale[:2_000],
    )
    if author is not None:
        provision.provider_agency = service
        provision.provider_label = f"{author.full_name}, {service.display_name}"[:300]
        provision.save(update_fields=["provider_agency", "provider_label"])
    locked.accepted_into = provision
    locked.accepted_by = _user(actor)
    locked.accepted_at = timezone.now()
    locked.save(update_fields=["accepted_into", "accepted_by", "accepted_at"])
    _event(
        actor,
        locked.request,
        RequestEventKind.CONTRIBUTION_ACCEPTED,
        f"{locked.title}: {plan.display_type_name}",
    )
    _audit(
        actor,
        locked,
        "add advice to a plan as support",
        {
            "accepted_into": [None, str(provision.pk)],
            "plan": [None, str(plan.public_id)],
            "provider": [None, provision.provider_label],
        },
    )
    return provision
