"""The family's own part in a planned transition (ADR 0020): a parent or carer with portal access,
or the young person, writes what they will do and what they think, in their own words, and may
change it until the transition's date has passed. The staff's transition plan is never touched.
"""

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from stagewise.audit.models import AuditAction
from stagewise.audit.services import audit_record
from stagewise.families.transition_part_models import TransitionFamilyPart, TransitionPartAuthor
from stagewise.learners.access import require_for_learner
from stagewise.learners.models import ParentPart, Transition
from stagewise.policy import Capability, LearnerScope, policy_for

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor

PURPOSE = "give the family's part in a transition"


def transition_passed_message(transition: Transition) -> str:
    return _(
        "This transition was planned for %(day)s, which has passed, so your part in it can no"
        " longer be written or changed here. If there is something the school should know,"
        " contact them."
    ) % {"day": date_format(transition.planned_on, "j F Y")}


@transaction.atomic
def transition_family_part_give(
    *, actor: "Actor", transition: Transition, words: str
) -> TransitionFamilyPart:
    """Write, or change, this family member's own part in the transition. A parent reaches it
    only if their young person lets them see plans (ADR 0021), as the home page shows it."""
    require_for_learner(
        actor, Capability.GIVE_TRANSITION_PART, transition.learner, PURPOSE, part=ParentPart.PLANS
    )
    # Locked, so the date checked is the date saved against, and one author's two tabs queue.
    transition = Transition.objects.select_for_update().get(pk=transition.pk)
    if transition.planned_on < timezone.localdate():
        raise ValidationError(transition_passed_message(transition))
    if not words.strip():
        raise ValidationError(
            {"words": _("Write your part and your views, or go back without saving.")}
        )
    part = TransitionFamilyPart.objects.filter(transition=transition, author=actor.user).first()
    action = AuditAction.UPDATE if part is not None else AuditAction.CREATE
    if part is None:
        own_record = policy_for(actor).scope != LearnerScope.OWN_CHILDREN
        part = TransitionFamilyPart(
            transition=transition,
            author=actor.user,
            author_kind=(
                TransitionPartAuthor.YOUNG_PERSON
                if own_record
                else TransitionPartAuthor.PARENT_CARER
            ),
        )
    part.author_name = actor.user.full_name[:300]
    # Kept exactly as typed: the pages escape it when they show it.
    part.words = words
    part.full_clean(exclude=["transition", "author"])
    part.save()
    audit_record(
        actor=actor,
        action=action,
        learner=transition.learner,
        object_type="transition_family_part",
        object_id=str(part.public_id),
        purpose=PURPOSE,
        detail={"transition": str(transition.public_id)},
    )
    return part
