"""Views before a review (ADR 0018): asking the family and the child, taking their answers, and
joining them to the review when it is recorded.

An invitation is made when a plan's next review is within the lead time
(settings.REVIEW_VIEWS_LEAD_DAYS; the daily sweep, as Stagewise) or when staff ask now. Each
answer becomes a PlanView, in the person's own words exactly as typed, so the plan's views and
the review record read the same words; the answer row says which question, which form and how.
Every service requires its capability for the learner first, runs in one transaction and writes
an audit event."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from stagewise.audit.models import AuditAction
from stagewise.audit.services import audit_record
from stagewise.families.review_views_models import (
    ReviewViewsAnswer,
    ReviewViewsInvitation,
    ReviewViewsInvitee,
    ViewsChannel,
    ViewsFormVersion,
    ViewsQuestion,
)
from stagewise.learners.access import learners_whose_parents_see, require_for_learner
from stagewise.learners.models import LearnerCarer, ParentPart
from stagewise.notifications.models import NotificationKind
from stagewise.notifications.services import Notice, notifications_create
from stagewise.planning.models import Plan, PlanReview, PlanStatus, PlanView, ViewKind
from stagewise.plausible import limit_of, too_long
from stagewise.policy import Capability, SystemProcess
from stagewise.statutory.services.processes import format_day

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor
    from stagewise.accounts.models import User

    AnyActor = Actor | SystemProcess

# Plans whose review is still to come: views are asked for these only.
REVIEWABLE = (PlanStatus.FINALISED, PlanStatus.ACTIVE, PlanStatus.UNDER_REVIEW)


def _today() -> date:
    return timezone.localdate()


def _user(actor: "AnyActor") -> "User | None":
    return None if isinstance(actor, SystemProcess) else actor.user


def _label(actor: "AnyActor") -> str:
    if isinstance(actor, SystemProcess):
        return "Stagewise"
    return f"{actor.user.full_name}, {actor.label}"[:300]


def open_invitation(plan: Plan) -> ReviewViewsInvitation | None:
    return ReviewViewsInvitation.objects.filter(plan=plan, review__isnull=True).first()


# Inviting ---------------------------------------------------------------------------------------


def _invitees(invitation: ReviewViewsInvitation) -> list[ReviewViewsInvitee]:
    """Each parent or carer with portal access and an account, and the learner's own account."""
    learner = invitation.learner
    links = LearnerCarer.objects.filter(
        learner_id__in=learners_whose_parents_see([learner.pk], ParentPart.PLANS),
        portal_access=True,
        carer__user__isnull=False,
    ).select_related("carer__user")
    people = [
        ReviewViewsInvitee(
            invitation=invitation,
            kind=ViewKind.PARENT,
            carer=link.carer,
            user=link.carer.user,
            name=link.carer.full_name,
        )
        for link in links
    ]
    if learner.young_person_account_id is not None:
        people.append(
            ReviewViewsInvitee(
                invitation=invitation,
                kind=ViewKind.LEARNER,
                user=learner.young_person_account,
                name=learner.display_name,
            )
        )
    return ReviewViewsInvitee.objects.bulk_create(people)


def _tell_invitees(invitation: ReviewViewsInvitation, occasion: str = "asked") -> None:
    """A notice to each person asked who has not answered yet, in their own language: what is
    asked and by when. The subject names no learner (it may be emailed)."""
    link = reverse(
        "review_views:detail", args=[invitation.learner.public_id, invitation.plan.public_id]
    )
    invitees = invitation.invitees.filter(responded_at__isnull=True).select_related("user")
    notices: list[Notice] = []
    for invitee in invitees:
        with translation.override(invitee.user.preferred_language or "en"):
            notices.append(
                Notice(
                    recipient_id=invitee.user_id,
                    dedupe_key=(
                        f"review-views:{invitation.public_id}:{occasion}:{invitee.user_id}"
                    ),
                    kind=NotificationKind.REVIEW_VIEWS_INVITED,
                    subject=_("Your views are asked for before a review"),
                    body=_(
                        "A plan is being reviewed on %(day)s. Tell the review what is going well,"
                        " what is worrying you and what you would like to change, before that"
                        " day. There is an easy-read form too."
                    )
                    % {"day": format_day(invitation.review_due_on)},
                    link_url=link,
                    learner_id=invitation.learner_id,
                )
            )
    notifications_create(notices=notices)


def _invite(actor: "AnyActor", plan: Plan) -> ReviewViewsInvitation:
    assert plan.next_review_on is not None  # the callers ask only before a dated review
    invitation = ReviewViewsInvitation(
        plan=plan,
        learner=plan.learner,
        review_due_on=plan.next_review_on,
        invited_by=_user(actor),
        invited_by_label=_label(actor),
    )
    invitation.save()
    _invitees(invitation)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        learner=plan.learner,
        object_type="review_views_invitation",
        object_id=str(invitation.public_id),
        purpose="invite views before a review",
        changes={"review_due_on": [None, plan.next_review_on.isoformat()]},
    )
    _tell_invitees(invitation)
    return invitation


def _lock_plan(plan: Plan) -> Plan:
    return Plan.objects.select_for_update(of=("self",)).select_related("learner").get(pk=plan.pk)


@transaction.atomic
def review_views_invite(*, actor: "AnyActor", plan: Plan) -> ReviewViewsInvitation:
    """Staff ask the family and the child for their views now, before the plan's next review;
    asked already, those who have not answered are reminded."""
    require_for_learner(actor, Capability.EDIT_PLANS, plan.learner, "invite views before a review")
    locked = _lock_plan(plan)
    if locked.status not in REVIEWABLE:
        raise ValidationError(_("Views are asked for before the review of an agreed plan."))
    if locked.next_review_on is None:
        raise ValidationError(_("Set the date of the plan's next review first."))
    if locked.next_review_on < _today():
        raise ValidationError(
            _("The review was due on %(day)s: record it, or set the date of the next review.")
            % {"day": format_day(locked.next_review_on)}
        )
    asked = open_invitation(locked)
    if asked is None:
        return _invite(actor, locked)
    today = _today()
    asked.reminded_on = today
    # The review may have been moved since they were asked: the reminder gives its new date.
    asked.review_due_on = locked.next_review_on
    asked.save(update_fields=["reminded_on", "review_due_on"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        learner=locked.learner,
        object_type="review_views_invitation",
        object_id=str(asked.public_id),
        purpose="remind family of views before a review",
        changes={"reminded_on": [None, today.isoformat()]},
    )
    _tell_invitees(asked, occasion=f"reminded-{today.isoformat()}")
    return asked


def _require_stagewise_itself(actor: object) -> None:
    """Asking every due family writes to everyone's notifications, which no person may do."""
    if not isinstance(actor, SystemProcess):
        raise PermissionDenied("Only Stagewise's own scheduled task asks every family that is due.")


def review_views_invite_due(*, actor: SystemProcess, today: date | None = None) -> int:
    """The daily sweep's part: every agreed plan whose review falls within the lead time and
    whose family have not been asked yet is asked now. Returns how many were asked."""
    _require_stagewise_itself(actor)
    today = today or _today()
    due = (
        Plan.objects.filter(
            status__in=REVIEWABLE,
            next_review_on__gte=today,
            next_review_on__lte=today + timedelta(days=settings.REVIEW_VIEWS_LEAD_DAYS),
        )
        .exclude(
            Exists(ReviewViewsInvitation.objects.filter(plan=OuterRef("pk"), review__isnull=True))
        )
        .select_related("learner")
        .order_by("pk")
    )
    asked = 0
    for plan in due.iterator(chunk_size=500):
        with transaction.atomic():
            locked = _lock_plan(plan)
            if open_invitation(locked) is None:
                _invite(actor, locked)
                asked += 1
    return asked


# Giving views -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answers:
    """What was written, by question; an empty answer is a question left out."""

    going_well: str = ""
    worries: str = ""
    change: str = ""
    anything_else: str = ""

    def given(self) -> list[tuple[str, str]]:
        return [
            (question, getattr(self, question).strip())
            for question in ViewsQuestion.values
            if getattr(self, question).strip()
        ]


def _check_answers(answers: Answers, labels: dict[str, str]) -> list[tuple[str, str]]:
    limit = limit_of(PlanView, "words")
    errors = {
        question: too_long(labels[question], limit, len(words))
        for question, words in answers.given()
        if len(words) > limit
    }
    if errors:
        raise ValidationError(errors)
    given = answers.given()
    if not given:
        raise ValidationError(_("Answer at least one question."))
    return given


def _refuse_if_closed(invitation: ReviewViewsInvitation | None) -> ReviewViewsInvitation:
    if invitation is None:
        raise ValidationError(
            _(
                "No review is asking for views at the moment. You can still contact the school"
                " at any time."
            )
        )
    if invitation.review is not None:
        raise ValidationError(
            _(
                "The review was held on %(day)s and has been recorded, so views can no longer be"
                " added to it. You can still contact the school at any time."
            )
            % {"day": format_day(invitation.review.held_on)}
        )
    return invitation


def _lock_invitation(plan: Plan) -> ReviewViewsInvitation | None:
    """The plan's latest invitation, locked; its review tells whether it is still open."""
    return (
        ReviewViewsInvitation.objects.select_for_update(of=("self",))
        .select_related("review", "learner", "plan")
        .filter(plan=plan)
        .order_by("-invited_at", "-pk")
        .first()
    )


def how_gathered(version: str, channel: str, question_label: str) -> str:
    """The PlanView's "how the views were gathered", in the words of whoever gave them."""
    if channel == ViewsChannel.PORTAL:
        if version == ViewsFormVersion.EASY_READ:
            way = _("Own words, through Stagewise (easy-read form)")
        elif version == ViewsFormVersion.CHILD:
            way = _("Own words, through Stagewise (form for the child or young person)")
        else:
            way = _("Own words, through Stagewise (parents' and carers' form)")
    else:
        way = _("Own words, given %(how)s and recorded by staff") % {
            "how": ViewsChannel(channel).label.lower()
        }
    return (_("%(way)s, answering “%(question)s”") % {"way": way, "question": question_label})[
        : limit_of(PlanView, "how_gathered")
    ]


def _write(
    *,
    actor: "AnyActor",
    invitation: ReviewViewsInvitation,
    invitee: ReviewViewsInvitee | None,
    kind: str,
    speaker: str,
    given: list[tuple[str, str]],
    labels: dict[str, str],
    version: str,
    channel: str,
    gathered_on: date,
) -> list[ReviewViewsAnswer]:
    views = PlanView.objects.bulk_create(
        PlanView(
            plan=invitation.plan,
            kind=kind,
            speaker=speaker[: limit_of(PlanView, "speaker")],
            words=words,
            gathered_on=gathered_on,
            how_gathered=how_gathered(version, channel, labels[question]),
            recorded_by=_user(actor),
        )
        for question, words in given
    )
    answers = []
    response = ReviewViewsAnswer().response_id
    for (question, _words), view in zip(given, views, strict=True):
        answers.append(
            ReviewViewsAnswer(
                invitation=invitation,
                invitee=invitee,
                response_id=response,
                question=question,
                form_version=version,
                channel=channel,
                plan_view=view,
                recorded_by=_user(actor),
            )
        )
    ReviewViewsAnswer.objects.bulk_create(answers)
    if invitee is not None:
        invitee.responded_at = timezone.now()
        invitee.save(update_fields=["responded_at"])
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        learner=invitation.learner,
        object_type="review_views_invitation",
        object_id=str(invitation.public_id),
        purpose="give views before a review"
        if channel == ViewsChannel.PORTAL
        else "record views before a review",
        changes={
            "answered": [None, [question for question, _words in given]],
            "form_version": [None, version],
        },
    )
    return answers


@transaction.atomic
def review_views_give(
    *,
    actor: "Actor",
    plan: Plan,
    answers: Answers,
    version: str,
    labels: dict[str, str],
) -> list[ReviewViewsAnswer]:
    """A parent, or the child or young person, gives their own views through Stagewise, on the
    form they chose; `labels` are the questions as that form asked them."""
    require_for_learner(
        actor,
        Capability.GIVE_REVIEW_VIEWS,
        plan.learner,
        "give views before a review",
        part=ParentPart.PLANS,
    )
    if version not in (ViewsFormVersion.PARENT, ViewsFormVersion.CHILD, ViewsFormVersion.EASY_READ):
        raise ValidationError(_("Choose which form to use."))
    given = _check_answers(answers, labels)
    invitation = _refuse_if_closed(_lock_invitation(plan))
    invitee = invitation.invitees.filter(user=actor.user).first()
    if invitee is None:
        raise ValidationError(
            _(
                "You were not asked for your views on this review. If you would like to give"
                " them, contact the school."
            )
        )
    if invitee.kind == ViewKind.LEARNER and version == ViewsFormVersion.PARENT:
        version = ViewsFormVersion.CHILD
    if invitee.kind == ViewKind.PARENT and version == ViewsFormVersion.CHILD:
        version = ViewsFormVersion.PARENT
    return _write(
        actor=actor,
        invitation=invitation,
        invitee=invitee,
        kind=invitee.kind,
        speaker=invitee.name,
        given=given,
        labels=labels,
        version=version,
        channel=ViewsChannel.PORTAL,
        gathered_on=_today(),
    )


@dataclass(frozen=True)
class Speaker:
    """Whose views staff are recording: a parent or carer (their link), or the learner."""

    carer_link: LearnerCarer | None = None


@transaction.atomic
def review_views_record(
    *,
    actor: "AnyActor",
    plan: Plan,
    speaker: Speaker,
    channel: str,
    gathered_on: date,
    answers: Answers,
    labels: dict[str, str],
) -> list[ReviewViewsAnswer]:
    """Staff record views given on paper, by telephone or in person, on the family's behalf."""
    require_for_learner(actor, Capability.EDIT_PLANS, plan.learner, "record views before a review")
    errors: dict[str, str] = {}
    if channel not in ViewsChannel.values or channel == ViewsChannel.PORTAL:
        errors["channel"] = _("Choose how the views were given.")
    if gathered_on > _today():
        errors["gathered_on"] = _("The date the views were given cannot be in the future.")
    link = speaker.carer_link
    if link is not None and link.learner_id != plan.learner_id:
        errors["speaker"] = _("Choose whose views these are.")
    if errors:
        raise ValidationError(errors)
    given = _check_answers(answers, labels)
    invitation = _refuse_if_closed(_lock_invitation(plan))
    if link is not None:
        kind, name = ViewKind.PARENT, link.carer.full_name
        invitee = invitation.invitees.filter(carer=link.carer).first()
    else:
        kind, name = ViewKind.LEARNER, plan.learner.display_name
        invitee = invitation.invitees.filter(kind=ViewKind.LEARNER).first()
    return _write(
        actor=actor,
        invitation=invitation,
        invitee=invitee,
        kind=kind,
        speaker=name,
        given=given,
        labels=labels,
        version=ViewsFormVersion.RECORDED_BY_STAFF,
        channel=channel,
        gathered_on=gathered_on,
    )


# The review -------------------------------------------------------------------------------------


def review_views_join_review(review: PlanReview) -> None:
    """Called by planning's plan_review_record as it records the review: the open invitation's
    answers become part of that review, and no more are taken for it."""
    ReviewViewsInvitation.objects.filter(plan_id=review.plan_id, review__isnull=True).update(
        review=review
    )


__all__ = [
    "Answers",
    "Speaker",
    "open_invitation",
    "review_views_give",
    "review_views_invite",
    "review_views_invite_due",
    "review_views_join_review",
    "review_views_record",
]
