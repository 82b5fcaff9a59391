"""The family's own say on a plan review (ADR 0026): a parent or carer who sees the plan, or the
child or young person, answers two short questions about a review once it is recorded, changes
their answers while the window is open, or says they would rather not answer.

Who is asked is not stored: it is whoever may see the plan now, through the one door
(learners/access, with the young person's sharing decision, ADR 0021) and holds
GIVE_REVIEW_FEEDBACK, for each review recorded within the last FEEDBACK_OPEN_DAYS days. Every
service requires that first, runs in one transaction and writes an audit event."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stagewise.audit.models import AuditAction
from stagewise.audit.services import audit_record
from stagewise.families.feedback_models import (
    FEEDBACK_OPEN_DAYS,
    FeedbackAnswer,
    FeedbackRespondent,
    ReviewFeedback,
)
from stagewise.learners.access import require_for_learner
from stagewise.learners.models import Enrolment, ParentPart
from stagewise.organisations.models import Role
from stagewise.planning.models import PlanReview
from stagewise.plausible import too_long
from stagewise.policy import Capability
from stagewise.statutory.services.processes import format_day

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor


def feedback_closes_on(review: PlanReview) -> date:
    """The last day the family may answer about this review, or change their answer."""
    return timezone.localdate(review.recorded_at) + timedelta(days=FEEDBACK_OPEN_DAYS)


def feedback_is_open(review: PlanReview, today: date | None = None) -> bool:
    return (today or timezone.localdate()) <= feedback_closes_on(review)


@dataclass(frozen=True)
class FeedbackGiven:
    """The two answers, each a FeedbackAnswer value, and an optional comment."""

    feel_supported: str
    listened_to: str
    comment: str = ""


def _require_family_member(actor: "Actor", review: PlanReview, purpose: str) -> None:
    """They see the learner and their plans (a parent only while the young person lets them,
    ADR 0021), and their role may answer."""
    require_for_learner(
        actor,
        Capability.GIVE_REVIEW_FEEDBACK,
        review.plan.learner,
        purpose,
        part=ParentPart.PLANS,
    )


def _lock_open(review: PlanReview) -> PlanReview:
    """The review, locked, while its window is open."""
    locked = (
        PlanReview.objects.select_for_update(of=("self",))
        .select_related("plan__learner")
        .get(pk=review.pk)
    )
    if not feedback_is_open(locked):
        raise ValidationError(
            _(
                "Answers about this review closed on %(day)s. You can still contact the school at"
                " any time."
            )
            % {"day": format_day(feedback_closes_on(locked))}
        )
    return locked


def enrolment_on_review_day(review: PlanReview) -> Enrolment | None:
    """The learner's enrolment on the day of the review: the school the answers are about."""
    return (
        Enrolment.objects.current(review.held_on)
        .filter(learner_id=review.plan.learner_id)
        .select_related("setting")
        .order_by("-started_on", "-pk")
        .first()
    )


def _own(actor: "Actor", review: PlanReview) -> ReviewFeedback | None:
    return ReviewFeedback.objects.filter(review=review, user=actor.user).first()


def _new(actor: "Actor", review: PlanReview) -> ReviewFeedback:
    learner = review.plan.learner
    enrolment = enrolment_on_review_day(review)
    own_record = actor.role == Role.YOUNG_PERSON
    return ReviewFeedback(
        review=review,
        learner=learner,
        setting=enrolment.setting if enrolment is not None else None,
        user=actor.user,
        respondent=FeedbackRespondent.LEARNER if own_record else FeedbackRespondent.PARENT,
        name=(learner.display_name if own_record else actor.user.full_name)[:200],
    )


def _check(given: FeedbackGiven) -> FeedbackGiven:
    errors: dict[str, object] = {}
    if given.feel_supported not in FeedbackAnswer.values:
        errors["feel_supported"] = _("Choose an answer to the first question.")
    if given.listened_to not in FeedbackAnswer.values:
        errors["listened_to"] = _("Choose an answer to the second question.")
    comment = given.comment.strip()
    limit = ReviewFeedback._meta.get_field("comment").max_length
    assert limit is not None
    if len(comment) > limit:
        errors["comment"] = too_long(_("Your comment"), limit, len(comment))
    if errors:
        raise ValidationError(errors)
    return FeedbackGiven(given.feel_supported, given.listened_to, comment)


def _audit(actor: "Actor", row: ReviewFeedback, action: str, purpose: str, changes: dict) -> None:
    audit_record(
        actor=actor,
        action=action,
        learner=row.learner,
        object_type="review_feedback",
        object_id=str(row.public_id),
        purpose=purpose,
        changes=changes,
    )


@transaction.atomic
def review_feedback_give(
    *, actor: "Actor", review: PlanReview, given: FeedbackGiven
) -> ReviewFeedback:
    """A family member answers the two questions about a recorded review, or changes their
    answers (having answered, or having said they would rather not), while the window is open.
    The answers are shared with the staff who see the plan."""
    _require_family_member(actor, review, "give feedback on a review")
    locked = _lock_open(review)
    given = _check(given)
    row = _own(actor, locked)
    before = (
        {"declined": row.declined, "feel_supported": row.feel_supported}
        | {"listened_to": row.listened_to, "comment_given": bool(row.comment)}
        if row is not None
        else {}
    )
    if row is None:
        row = _new(actor, locked)
    else:
        row.changed_at = timezone.now()
    row.declined = False
    row.feel_supported = given.feel_supported
    row.listened_to = given.listened_to
    row.comment = given.comment
    row.full_clean(exclude=["review", "learner", "setting", "user"])
    row.save()
    after = {
        "declined": False,
        "feel_supported": row.feel_supported,
        "listened_to": row.listened_to,
        "comment_given": bool(row.comment),
    }
    _audit(
        actor,
        row,
        AuditAction.UPDATE if before else AuditAction.CREATE,
        "give feedback on a review",
        {key: [before.get(key), value] for key, value in after.items() if before.get(key) != value},
    )
    return row


@transaction.atomic
def review_feedback_decline(*, actor: "Actor", review: PlanReview) -> ReviewFeedback:
    """A family member would rather not answer about this review: it is no longer waiting for
    them. Having answered already, they change their answers instead (each question offers
    "Rather not say")."""
    _require_family_member(actor, review, "decline feedback on a review")
    locked = _lock_open(review)
    row = _own(actor, locked)
    if row is not None and row.declined:
        return row
    if row is not None:
        raise ValidationError(
            _(
                "You have already answered. You can change your answers, or choose “Rather not"
                " say”, until %(day)s."
            )
            % {"day": format_day(feedback_closes_on(locked))}
        )
    row = _new(actor, locked)
    row.declined = True
    row.full_clean(exclude=["review", "learner", "setting", "user"])
    row.save()
    _audit(
        actor, row, AuditAction.CREATE, "decline feedback on a review", {"declined": [None, True]}
    )
    return row


__all__ = [
    "FeedbackGiven",
    "enrolment_on_review_day",
    "feedback_closes_on",
    "feedback_is_open",
    "review_feedback_decline",
    "review_feedback_give",
]
