"""Reading views before a review, for the staff who hold the review and the family who gave them.
The plan has already been reached through planning's plan_for (learners/access.get_learner_for).
Staff read everyone's words; a family member reads their own invitation and their own words only
(separated parents do not read each other's, ADR 0001), and never another carer's details."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from stagewise.families.review_views_forms import QUESTIONS
from stagewise.families.review_views_models import (
    ReviewViewsAnswer,
    ReviewViewsInvitation,
    ReviewViewsInvitee,
    ViewsChannel,
    ViewsFormVersion,
)
from stagewise.planning.models import Plan, ViewKind

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor


@dataclass
class GivenViews:
    """One response: the answers one person gave together, each with its question as asked."""

    speaker: str
    kind: str
    form_version: str
    channel: str
    gathered_on: object
    recorded_at: datetime
    answers: list[tuple[str, str]] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return str(ViewKind(self.kind).label)

    @property
    def form_label(self) -> str:
        return str(ViewsFormVersion(self.form_version).label)

    @property
    def channel_label(self) -> str:
        return str(ViewsChannel(self.channel).label)


@dataclass
class ReviewViewsPage:
    invitation: ReviewViewsInvitation | None
    invitees: list[ReviewViewsInvitee]
    given: list[GivenViews]
    # The signed-in family member's own invitation, if they were asked.
    own_invitee: ReviewViewsInvitee | None = None


def _latest(plan: Plan) -> ReviewViewsInvitation | None:
    return (
        ReviewViewsInvitation.objects.filter(plan=plan)
        .select_related("review")
        .order_by("-invited_at", "-pk")
        .first()
    )


def given_views(answers: "list[ReviewViewsAnswer]") -> list[GivenViews]:
    """Answers grouped into responses, in the order given; answers already read with their
    plan_view."""
    responses: dict[object, GivenViews] = {}
    for answer in answers:
        view = answer.plan_view
        response = responses.get(answer.response_id)
        if response is None:
            response = responses[answer.response_id] = GivenViews(
                speaker=view.speaker,
                kind=view.kind,
                form_version=answer.form_version,
                channel=answer.channel,
                gathered_on=view.gathered_on,
                recorded_at=answer.recorded_at,
            )
        label, _hint = QUESTIONS[answer.form_version][answer.question]
        response.answers.append((str(label), view.words))
    return list(responses.values())


def review_views_page(*, actor: "Actor | None", plan: Plan, family: bool) -> ReviewViewsPage:
    """The plan's latest invitation with who was asked and what they said: three queries, however
    many people were asked or answers given."""
    invitation = _latest(plan)
    if invitation is None:
        return ReviewViewsPage(invitation=None, invitees=[], given=[])
    invitees = list(invitation.invitees.all())
    answers = invitation.answers.select_related("plan_view").order_by("recorded_at", "pk")
    if not family:
        return ReviewViewsPage(
            invitation=invitation, invitees=invitees, given=given_views(list(answers))
        )
    user_id = actor.user.pk if actor is not None else None
    own = next((invitee for invitee in invitees if invitee.user_id == user_id), None)
    if own is None:
        # Not asked (a carer without portal access cannot reach here): nothing of others shown.
        return ReviewViewsPage(invitation=None, invitees=[], given=[])
    return ReviewViewsPage(
        invitation=invitation,
        invitees=[own],
        given=given_views(list(answers.filter(invitee=own))),
        own_invitee=own,
    )
