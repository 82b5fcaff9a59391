"""A young person's decision about what their parents and carers see (ADR 0021): made by the
young person in Stagewise, or recorded by the school's or authority's leaders from the young
person's letter, email or conversation. Only a learner aged 16 or over holds the decision; each
new one supersedes the last and none is ever changed or deleted.
"""

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from stagewise.audit.models import AuditAction
from stagewise.audit.services import audit_record
from stagewise.learners.access import refuse, require_for_learner
from stagewise.learners.models import (
    DecisionGivenBy,
    Learner,
    ParentPart,
    ParentSharing,
    ParentSharingDecision,
)
from stagewise.learners.selectors.sharing import decision_refusal
from stagewise.notifications.models import NotificationKind
from stagewise.notifications.services import Notice, notifications_create
from stagewise.policy import Capability, SystemProcess

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor

    AnyActor = Actor | SystemProcess | None

PURPOSE = "decide what parents see"


@transaction.atomic
def parent_sharing_decide(
    *, actor: "AnyActor", learner: Learner, sharing: str, parts: Iterable[str] = ()
) -> ParentSharingDecision:
    """The young person's own decision, made today in Stagewise."""
    require_for_learner(actor, Capability.DECIDE_PARENT_SHARING, learner, PURPOSE)
    return _save(
        actor,
        learner,
        sharing=sharing,
        parts=parts,
        decided_on=timezone.localdate(),
        given_by=DecisionGivenBy.IN_STAGEWISE,
    )


@transaction.atomic
def parent_sharing_record(
    *,
    actor: "AnyActor",
    learner: Learner,
    sharing: str,
    parts: Iterable[str] = (),
    decided_on: date,
    given_by: str,
) -> ParentSharingDecision:
    """A decision the young person made known to the school or authority, recorded for them."""
    require_for_learner(actor, Capability.RECORD_SHARING_DECISIONS, learner, PURPOSE)
    if given_by == DecisionGivenBy.IN_STAGEWISE or given_by not in DecisionGivenBy.values:
        raise ValidationError({"given_by": _("Choose how the young person told you.")})
    decision = _save(
        actor, learner, sharing=sharing, parts=parts, decided_on=decided_on, given_by=given_by
    )
    _tell_young_person(decision)
    return decision


def _tell_young_person(decision: ParentSharingDecision) -> None:
    """A decision staff recorded for the young person is theirs: a notice to their own account,
    in their language, saying what their parents can now see and where to change it. The
    subject names no one (it is what the email digest lists)."""
    learner = decision.learner
    # Read now, not from a learner object the caller may have held for a while.
    account_id, language = (
        Learner.objects.filter(pk=learner.pk)
        .values_list("young_person_account_id", "young_person_account__preferred_language")
        .get()
    )
    if account_id is None:
        return
    with translation.override(language or "en"):
        labels = dict(ParentPart.choices)
        seen = decision.shared_parts
        if decision.sharing == ParentSharing.NOTHING:
            now = _("Your parents and carers now cannot see your record at all.")
        else:
            parts = [
                str(labels[part]) for part in ParentPart.values if seen is None or part in seen
            ]
            now = _("Your parents and carers can now see: %(parts)s.") % {
                "parts": "; ".join(part[0].lower() + part[1:] for part in parts)
            }
        body = "\n\n".join(
            [
                _(
                    "Your school or council has recorded the decision you told them about, made"
                    " on %(day)s, about what your parents and carers can see of your record."
                )
                % {"day": date_format(decision.decided_on, "j F Y")},
                now,
                _(
                    "It is your decision. You can change it at any time: on your home page, open"
                    " “What your parents and carers can see”. If this is not what you decided,"
                    " tell the school."
                ),
            ]
        )
        notice = Notice(
            recipient_id=account_id,
            dedupe_key=f"parent-sharing:{decision.public_id}:{account_id}",
            kind=NotificationKind.PARENT_SHARING_RECORDED,
            subject=_("A decision about what your parents can see has been recorded"),
            body=body,
            link_url=reverse("learners:parent_sharing", args=[learner.public_id]),
            learner_id=learner.pk,
        )
    notifications_create(notices=[notice])


def _save(
    actor: "AnyActor",
    learner: Learner,
    *,
    sharing: str,
    parts: Iterable[str],
    decided_on: date,
    given_by: str,
) -> ParentSharingDecision:
    # Two decisions recorded at the same moment queue, so "the latest" is well defined.
    Learner.objects.select_for_update().get(pk=learner.pk)
    if decided_on > timezone.localdate():
        raise ValidationError(
            {"decided_on": _("The date of the decision cannot be in the future.")}
        )
    refusal = decision_refusal(learner, decided_on)
    if refusal:
        refuse(actor=actor, learner=learner, purpose=f"{PURPOSE}: under age")
        raise ValidationError(refusal)
    if sharing not in ParentSharing.values:
        raise ValidationError({"sharing": _("Choose what your parents and carers can see.")})
    chosen = set(parts) if sharing == ParentSharing.CHOSEN_PARTS else set()
    if not chosen <= set(ParentPart.values):
        raise ValidationError({"parts": _("Choose parts of the record from the list.")})
    if sharing == ParentSharing.CHOSEN_PARTS and not chosen:
        raise ValidationError(
            {"parts": _("Choose at least one part they can see, or choose that they see nothing.")}
        )
    previous = ParentSharingDecision.objects.filter(learner=learner).first()
    if previous is not None and decided_on < previous.decided_on:
        raise ValidationError(
            {
                "decided_on": _(
                    "A later decision, of %(day)s, is already recorded: a decision made before it"
                    " no longer says what parents and carers see."
                )
                % {"day": date_format(previous.decided_on, "j F Y")}
            }
        )
    decision = ParentSharingDecision(
        learner=learner,
        sharing=sharing,
        parts=[part for part in ParentPart.values if part in chosen],
        decided_on=decided_on,
        given_by=given_by,
        recorded_by=getattr(actor, "user", None),
    )
    decision.full_clean(exclude=["recorded_by"])
    decision.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        learner=learner,
        object_type="parent_sharing_decision",
        object_id=str(decision.public_id),
        purpose=PURPOSE,
        changes={
            "sharing": [previous.sharing if previous else None, decision.sharing],
            "parts": [previous.parts if previous else None, decision.parts],
        },
        detail={"decided_on": decided_on.isoformat(), "given_by": given_by},
    )
    return decision
