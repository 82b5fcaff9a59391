"""Reading the family's own say on plan reviews (ADR 0026): the signed-in family member's own
answer, the reviews waiting for their answer (their home page), and the counts for the measures
of issue 12 (review_feedback_counts). Staff read the answers on the plan page, prefetched with
its reviews (planning/selectors.plan_record_get)."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils import timezone

from stagewise.families.feedback_models import (
    FEEDBACK_OPEN_DAYS,
    FeedbackAnswer,
    FeedbackQuestion,
    ReviewFeedback,
)
from stagewise.families.feedback_services import enrolment_on_review_day, feedback_closes_on
from stagewise.measurement.periods import school_year_bounds
from stagewise.planning.models import LocalPlanTypeName, Plan, PlanReview

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor


def review_feedback_own(*, actor: "Actor", review: PlanReview) -> ReviewFeedback | None:
    """The signed-in family member's own answer about the review; never another's."""
    return ReviewFeedback.objects.filter(review=review, user=actor.user).first()


def review_setting_name(review: PlanReview) -> str:
    """The school the learner was at on the day of the review, as the question names it."""
    enrolment = enrolment_on_review_day(review)
    return str(enrolment.setting) if enrolment is not None else ""


def _window_opened(today: date) -> datetime:
    """The earliest moment a review may have been recorded and still be open today."""
    first_day = today - timedelta(days=FEEDBACK_OPEN_DAYS)
    return timezone.make_aware(datetime.combine(first_day, time.min))


def reviews_open_for_feedback(*, plan: Plan, today: date | None = None) -> list[PlanReview]:
    """The plan's reviews whose window is still open, oldest first: where the family's plan page
    links to their say on each, so answers can be changed once off the home page's list."""
    opened = _window_opened(today or timezone.localdate())
    return list(plan.reviews.filter(recorded_at__gte=opened).order_by("recorded_at", "pk"))


def reviews_awaiting_feedback(
    *, actor: "Actor", learner_ids: list[int], today: date | None = None
) -> list[PlanReview]:
    """The reviews of these learners' plans recorded within the window that this family member
    has neither answered about nor declined, oldest first, each with its plan, the plan's type
    under the authority's own name and `closes_on`: one query for all the children.
    `learner_ids` are those whose plans the family member sees (the home page's cut)."""
    today = today or timezone.localdate()
    opened = _window_opened(today)
    local_names = LocalPlanTypeName.objects.filter(
        authority=OuterRef("plan__authority"), plan_type=OuterRef("plan__plan_type")
    )
    own = ReviewFeedback.objects.filter(review=OuterRef("pk"), user=actor.user)
    reviews: list[PlanReview] = list(
        PlanReview.objects.filter(plan__learner_id__in=learner_ids, recorded_at__gte=opened)
        .filter(~Exists(own))
        .select_related("plan__plan_type")
        .annotate(
            local_name=Subquery(local_names.values("name")[:1]),
            local_name_cy=Subquery(local_names.values("name_cy")[:1]),
        )
        .order_by("recorded_at", "pk")
    )
    for review in reviews:
        review.plan.local_name = review.local_name  # type: ignore[attr-defined]
        review.plan.local_name_cy = review.local_name_cy  # type: ignore[attr-defined]
        review.closes_on = feedback_closes_on(review)  # type: ignore[attr-defined]
    return reviews


# Measures (issue 12) --------------------------------------------------------------------------


def _key(question: str, answer: str) -> str:
    return f"{question}__{answer}"


@dataclass(frozen=True)
class ReviewFeedbackCount:
    """The answers given about one review: `counts[question][answer]` is how many family members
    gave that answer to that question (FeedbackQuestion, FeedbackAnswer values). Declining to
    answer is not counted; "Rather not say" is, under its own value."""

    review_id: int
    setting_id: int
    held_on: date
    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    def yes(self, question: str) -> int:
        """The numerator of the measure: answers "Yes"."""
        return self.counts[question][FeedbackAnswer.YES]

    def answered(self, question: str) -> int:
        """The denominator of the measure: answers other than "Rather not say"."""
        return sum(
            number
            for answer, number in self.counts[question].items()
            if answer != FeedbackAnswer.RATHER_NOT_SAY
        )


def review_feedback_counts(
    *, setting_ids: Iterable[int], school_year: int
) -> list[ReviewFeedbackCount]:
    """For the measures `feel_supported` and `listened_to` (issue 12): for every review held in
    the school year (named by the year it starts in, measurement/periods) at one of the settings
    (the school the learner was at on the day of the review), how many family members gave each
    answer to each question. One grouped query, whatever the number of settings, reviews or
    answers; reviews nobody answered about are absent. Ordered by setting, then review.

    A measure is `yes(question)` over `answered(question)`, summed over the rows wanted."""
    first, last = school_year_bounds(school_year)
    tallies = {
        _key(question, answer): Count("pk", filter=Q(**{question: answer}))
        for question in FeedbackQuestion.values
        for answer in FeedbackAnswer.values
    }
    rows = (
        ReviewFeedback.objects.filter(
            declined=False,
            setting_id__in=list(setting_ids),
            review__held_on__gte=first,
            review__held_on__lte=last,
        )
        .values("review_id", "setting_id", "review__held_on")
        .annotate(**tallies)
        .order_by("setting_id", "review_id")
    )
    # Each row as a plain mapping: the tallies' keys are made above, not known to the type.
    tallied: list[dict[str, Any]] = [dict(row) for row in rows]
    return [
        ReviewFeedbackCount(
            review_id=row["review_id"],
            setting_id=row["setting_id"],
            held_on=row["review__held_on"],
            counts={
                question: {answer: row[_key(question, answer)] for answer in FeedbackAnswer.values}
                for question in FeedbackQuestion.values
            },
        )
        for row in tallied
    ]


__all__ = [
    "ReviewFeedbackCount",
    "review_feedback_counts",
    "review_feedback_own",
    "review_setting_name",
    "reviews_awaiting_feedback",
    "reviews_open_for_feedback",
]
