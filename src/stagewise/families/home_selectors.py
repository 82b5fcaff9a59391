"""The family home page: each child a parent or carer may see (a young person: themself), cut for
the family in this selector, never in the template (ADR 0019).

For each child: the current stage in plain words and the authority's own name for it, the plans
the family can read with their status in plain words and next review date, the transitions
planned ahead with their date and the family's part, the people and services working with them,
and what is waiting for the family. Every part is one query for all
the children together, so the page costs the same for one child as for five, and for one plan as
for many. Nothing staff-only is read: no staff notes, no stage rationale, no other carer's
contact details, no practitioner's name.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Exists, Max, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stagewise.coordination.meeting_models import Meeting, MeetingViews, ViewsOf
from stagewise.coordination.models import RequestForAssistance, RequestStatus
from stagewise.families.feedback_selectors import reviews_awaiting_feedback
from stagewise.families.review_views_models import ReviewViewsInvitee
from stagewise.families.transition_part_models import TransitionFamilyPart
from stagewise.learners.access import parts_parents_see, visible_learners
from stagewise.learners.models import (
    Enrolment,
    Learner,
    ParentPart,
    StaffRelationship,
    StageDecision,
    Transition,
    TransitionKind,
)
from stagewise.notifications.models import Notification, NotificationKind
from stagewise.organisations.models import Role
from stagewise.planning.models import (
    LocalPlanTypeName,
    Plan,
    PlanCommunication,
    PlanResponse,
    PlanStatus,
    PlanVersion,
)
from stagewise.policy import Audience, Capability, LearnerScope, may, policy_for
from stagewise.statutory.models import NationalStage

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.utils.functional import Promise

    from stagewise.accounts.actors import Actor


# What each stage of the shared national frame means, in plain words for a family.
NATIONAL_STAGE_MEANING: dict[str, "Promise"] = {
    NationalStage.UNIVERSAL: _(
        "Universal support: the help every child can expect from their school and teachers,"
        " adapted in class to suit them."
    ),
    NationalStage.TARGETED: _(
        "Targeted support: the school has extra help in place, planned for them, often"
        " written down in a plan with targets."
    ),
    NationalStage.SPECIALIST: _(
        "Specialist support: specialist staff or other services, such as health or social"
        " work, are helping too, often with a plan they agree together."
    ),
}
NO_STAGE_DECIDED = _(
    "Universal support: the help every child can expect from their school and teachers. No"
    " other stage of support has been decided."
)

# A plan's status as a family reads it. Families never see a draft (planning.plan_list).
PLAN_STATUS_WORDS: dict[str, "Promise"] = {
    PlanStatus.FINALISED: _("Agreed: the support in it is about to start"),
    PlanStatus.ACTIVE: _("In place: the support in it is happening"),
    PlanStatus.UNDER_REVIEW: _("Being reviewed: how it is going is being looked at"),
    PlanStatus.REVISION: _("Being updated: you can read the version last agreed"),
}

# A planned transition (ADR 0020), as a family reads it.
TRANSITION_WORDS: dict[str, "Promise"] = {
    TransitionKind.STARTING_NURSERY: _("Starting nursery"),
    TransitionKind.STARTING_SCHOOL: _("Starting school"),
    TransitionKind.PRIMARY_TO_SECONDARY: _("Moving up from primary to secondary school"),
    TransitionKind.LEAVING_SCHOOL: _("Leaving school"),
    TransitionKind.MOVING_SCHOOL: _("Moving to another school"),
}
NO_FAMILY_PART_YET = _(
    "Nothing is written down yet about your part. The school will talk it through with you."
)

# A service's part in the child's support, as a family reads it.
SERVICE_STATUS_WORDS: dict[str, "Promise"] = {
    RequestStatus.ACCEPTED: _("Has agreed to help"),
    RequestStatus.WAITING_LIST: _("Has agreed to help, and the child is on its waiting list"),
    RequestStatus.IN_PROGRESS: _("Is working with the child now"),
}

# The notices a family reads as something waiting for them: a statutory date that moved (and
# why), and a decision on a request they made. Read notices are no longer waiting.
WAITING_NOTICE_KINDS = (NotificationKind.DATE_CHANGED, NotificationKind.RIGHTS_REQUEST_DECIDED)


@dataclass(frozen=True)
class StageSummary:
    meaning: str
    # The authority's own name for the stage, what it says of it, and the authority.
    local_name: str = ""
    local_description: str = ""
    authority: str = ""
    national_label: str = ""
    national_stage: str = NationalStage.UNIVERSAL
    decided_on: date | None = None
    next_review_on: date | None = None


@dataclass(frozen=True)
class PlanSummary:
    type_name: str
    status_words: str
    next_review_on: date | None
    url: str


@dataclass(frozen=True)
class TransitionSummary:
    """A transition planned ahead: what, when, and the family's part in it, in the words staff
    wrote down with the family. Not the staff's transition plan itself."""

    what: str
    planned_on: date
    family_part: str
    # The family member's own part, in their words (ADR 0020), and where to write or change it.
    own_part: str = ""
    own_part_url: str = ""


@dataclass(frozen=True)
class PersonWorking:
    """Someone working with the child: their part (a class teacher, the named person) and the
    name the family already reads on the child's record. Never contact details."""

    role: str
    name: str


@dataclass(frozen=True)
class ServiceWorking:
    service: str
    kind: str
    status_words: str


@dataclass(frozen=True)
class WaitingItem:
    """Something waiting for the family: what it is, in words, and where to go."""

    kind: str
    text: str
    url: str
    due_on: date | None = None
    detail: list[str] = field(default_factory=list)
    # A notice is opened through a form that marks it read first (notifications:read).
    notification_id: int | None = None


@dataclass
class ChildCard:
    learner: Learner
    school: str
    stage: StageSummary
    plans: list[PlanSummary] = field(default_factory=list)
    transitions: list[TransitionSummary] = field(default_factory=list)
    people: list[PersonWorking] = field(default_factory=list)
    services: list[ServiceWorking] = field(default_factory=list)
    waiting: list[WaitingItem] = field(default_factory=list)
    # False where the young person keeps the part from this parent: the card leaves it out.
    shows_stage: bool = True
    shows_plans: bool = True

    @property
    def public_id(self) -> object:
        return self.learner.public_id

    @property
    def display_name(self) -> str:
        return self.learner.display_name


@dataclass(frozen=True)
class FamilyHome:
    own_record: bool
    children: list[ChildCard]

    @property
    def waiting_count(self) -> int:
        return sum(len(child.waiting) for child in self.children)


def is_family(actor: "Actor | None") -> bool:
    return policy_for(actor).audience == Audience.FAMILY


def family_home_get(*, actor: "Actor") -> FamilyHome:
    """The family's home page, for the children the actor may see: ten queries in all."""
    today = timezone.localdate()
    learners = list(visible_learners(actor).order_by("date_of_birth", "pk"))
    ids = [learner.pk for learner in learners]
    enrolments = _current_enrolments(ids, today)
    cards = {
        learner.pk: ChildCard(
            learner=learner,
            school=str(enrolments[learner.pk].setting) if learner.pk in enrolments else "",
            stage=StageSummary(meaning=str(NO_STAGE_DECIDED)),
        )
        for learner in learners
    }
    if ids:
        seen = _parts_seen(actor, ids)
        for pk, card in cards.items():
            card.shows_stage = pk in seen(ParentPart.NEEDS)
            card.shows_plans = pk in seen(ParentPart.PLANS)
        _add_stages(cards, seen(ParentPart.NEEDS), enrolments)
        _add_plans(actor, cards, seen(ParentPart.PLANS))
        _add_review_feedback(actor, cards, seen(ParentPart.PLANS), today)
        # A transition is planned with the learner's plans, and kept back with them.
        _add_transitions(actor, cards, seen(ParentPart.PLANS), today)
        _add_people(cards, ids, today)
        _add_services(cards, ids)
        _add_meetings(actor, cards, seen(ParentPart.MEETINGS), today)
        _add_notices(actor, cards, seen(ParentPart.REQUESTS))
    return FamilyHome(
        own_record=actor.role == Role.YOUNG_PERSON,
        children=[cards[pk] for pk in ids],
    )


def _parts_seen(actor: "Actor", ids: list[int]) -> "Callable[[str], list[int]]":
    """Which of the children each card part is read for: for a parent, those whose young person
    has not kept that part from them (ADR 0021), left out without a word; for a young person,
    all of their own record."""
    if policy_for(actor).scope != LearnerScope.OWN_CHILDREN:
        return lambda part: ids
    parts = parts_parents_see(ids)

    def seen(part: str) -> list[int]:
        return [pk for pk in ids if (shown := parts.get(pk)) is None or part in shown]

    return seen


def _current_enrolments(ids: list[int], today: date) -> dict[int, Enrolment]:
    rows = (
        Enrolment.objects.current(today)
        .filter(learner_id__in=ids)
        .select_related("setting__authority")
        .order_by("learner_id", "-started_on", "-pk")
    )
    enrolments: dict[int, Enrolment] = {}
    for enrolment in rows:
        enrolments.setdefault(enrolment.learner_id, enrolment)
    return enrolments


def _add_stages(
    cards: dict[int, ChildCard], ids: list[int], enrolments: dict[int, Enrolment]
) -> None:
    """The latest stage decision of each child: its stage's local and national names, never the
    rationale (staff write it for each other)."""
    latest = StageDecision.objects.filter(learner_id=OuterRef("learner_id")).order_by(
        "-decided_on", "-pk"
    )
    decisions = (
        StageDecision.objects.filter(learner_id__in=ids, pk=Subquery(latest.values("pk")[:1]))
        .select_related("stage")
        .only(
            "learner_id",
            "decided_on",
            "next_review_on",
            "stage__label",
            "stage__label_cy",
            "stage__national_stage",
            "stage__description",
        )
    )
    for decision in decisions:
        stage = decision.stage
        enrolment = enrolments.get(decision.learner_id)
        cards[decision.learner_id].stage = StageSummary(
            meaning=str(NATIONAL_STAGE_MEANING[NationalStage(stage.national_stage)]),
            local_name=stage.display_label,
            local_description=stage.description,
            authority=str(enrolment.setting.authority) if enrolment else "",
            national_label=stage.national_label,
            national_stage=stage.national_stage,
            decided_on=decision.decided_on,
            next_review_on=decision.next_review_on,
        )


def _add_plans(actor: "Actor", cards: dict[int, ChildCard], ids: list[int]) -> None:
    """Open plans with an agreed version (a family never sees a draft), each with the
    authority's name for its type; a plan shared with this family member in its latest agreed
    version, and not yet answered by them, is waiting for them, and so is a review that asked
    for their views before it (ADR 0018) until they give them or the review is held."""
    local_names = LocalPlanTypeName.objects.filter(
        authority=OuterRef("authority"), plan_type=OuterRef("plan_type")
    )
    latest_version = (
        PlanVersion.objects.filter(plan=OuterRef("pk"))
        .values("plan")
        .annotate(number=Max("number"))
        .values("number")
    )
    shared_with_me = PlanCommunication.objects.filter(
        plan=OuterRef("pk"),
        version_number=OuterRef("latest_version"),
        recipient_kind=policy_for(actor).plan_recipient,
    )
    answered = PlanResponse.objects.filter(
        plan=OuterRef("pk"),
        responder=actor.user,
        version_number__gte=OuterRef("latest_version"),
    )
    # Read with the plans, in the same query: the date of the review asking for their views.
    views_asked = ReviewViewsInvitee.objects.filter(
        invitation__plan=OuterRef("pk"),
        invitation__review__isnull=True,
        user=actor.user,
        responded_at__isnull=True,
    ).values("invitation__review_due_on")
    plans = (
        Plan.objects.filter(learner_id__in=ids)
        .exclude(status=PlanStatus.CLOSED)
        .select_related("plan_type")
        .annotate(
            latest_version=Subquery(latest_version[:1]),
            local_name=Subquery(local_names.values("name")[:1]),
            local_name_cy=Subquery(local_names.values("name_cy")[:1]),
        )
        .filter(latest_version__isnull=False)
        .annotate(
            shared_with_me=Exists(shared_with_me),
            answered=Exists(answered),
            views_asked_for_review_on=Subquery(views_asked[:1]),
        )
        .only(
            "public_id",
            "learner_id",
            "status",
            "next_review_on",
            "authority_id",
            "plan_type__name",
            "plan_type__name_cy",
        )
        .order_by("learner_id", "plan_type__order", "pk")
    )
    responds = may(actor, Capability.RESPOND_TO_PLANS)
    gives_review_views = may(actor, Capability.GIVE_REVIEW_VIEWS)
    for plan in plans:
        card = cards[plan.learner_id]
        url = reverse("planning:detail", args=[card.learner.public_id, plan.public_id])
        card.plans.append(
            PlanSummary(
                type_name=plan.display_type_name,
                status_words=str(PLAN_STATUS_WORDS.get(plan.status, plan.get_status_display())),
                next_review_on=plan.next_review_on,
                url=url,
            )
        )
        if responds and plan.shared_with_me and not plan.answered:
            card.waiting.append(
                WaitingItem(
                    kind="plan",
                    text=str(
                        _("Read the plan and tell the school what you think: %(plan)s")
                        % {"plan": plan.display_type_name}
                    ),
                    url=url,
                )
            )
        if gives_review_views and plan.views_asked_for_review_on:
            card.waiting.append(
                WaitingItem(
                    kind="review_views",
                    text=str(
                        _("Give your views before the review: %(plan)s")
                        % {"plan": plan.display_type_name}
                    ),
                    url=reverse(
                        "review_views:detail", args=[card.learner.public_id, plan.public_id]
                    ),
                    due_on=plan.views_asked_for_review_on,
                )
            )


def _add_review_feedback(
    actor: "Actor", cards: dict[int, ChildCard], ids: list[int], today: date
) -> None:
    """Each review recorded lately that this family member has not answered about nor declined
    (ADR 0026), until its window closes: one query for all the children."""
    if not may(actor, Capability.GIVE_REVIEW_FEEDBACK):
        return
    own_record = actor.role == Role.YOUNG_PERSON
    for review in reviews_awaiting_feedback(actor=actor, learner_ids=ids, today=today):
        card = cards[review.plan.learner_id]
        words = (
            _("Tell us how your review went: %(plan)s")
            if own_record
            else _("Tell us how the review went: %(plan)s")
        )
        card.waiting.append(
            WaitingItem(
                kind="review_feedback",
                text=str(words % {"plan": review.plan.display_type_name}),
                url=reverse(
                    "review_feedback:give",
                    args=[card.learner.public_id, review.plan.public_id, review.pk],
                ),
                due_on=review.closes_on,  # type: ignore[attr-defined]
            )
        )


def _add_transitions(
    actor: "Actor", cards: dict[int, ChildCard], ids: list[int], today: date
) -> None:
    """Transitions planned from today on, soonest first: what, when, the family's part as staff
    wrote it down with them, and this family member's own part in their words (read in the same
    query; never another family member's)."""
    own_words = TransitionFamilyPart.objects.filter(
        transition=OuterRef("pk"), author=actor.user
    ).values("words")
    transitions = (
        Transition.objects.filter(learner_id__in=ids, planned_on__gte=today)
        .annotate(own_part=Subquery(own_words[:1]))
        .only("public_id", "learner_id", "kind", "planned_on", "family_part")
        .order_by("learner_id", "planned_on", "pk")
    )
    gives_part = may(actor, Capability.GIVE_TRANSITION_PART)
    for transition in transitions:
        card = cards[transition.learner_id]
        card.transitions.append(
            TransitionSummary(
                what=str(TRANSITION_WORDS[TransitionKind(transition.kind)]),
                planned_on=transition.planned_on,
                family_part=transition.family_part or str(NO_FAMILY_PART_YET),
                own_part=transition.own_part or "",
                own_part_url=reverse(
                    "transition_family_part",
                    args=[card.learner.public_id, transition.public_id],
                )
                if gives_part
                else "",
            )
        )


def _add_people(cards: dict[int, ChildCard], ids: list[int], today: date) -> None:
    """The staff linked to each child today, by their part and the name the family already
    reads under "Who to contact" on the child's record."""
    links = (
        StaffRelationship.objects.current(today)
        .filter(learner_id__in=ids)
        .select_related("staff")
        .only("learner_id", "kind", "staff__full_name")
        .order_by("learner_id", "kind", "staff__full_name")
    )
    for link in links:
        cards[link.learner_id].people.append(
            PersonWorking(role=link.get_kind_display(), name=link.staff.full_name)
        )


def _add_services(cards: dict[int, ChildCard], ids: list[int]) -> None:
    """The services that see each child's record now (a request taken on, with consent or a
    recorded lawful basis): the service and what it is doing, never a practitioner."""
    requests = (
        RequestForAssistance.objects.sharing()
        .filter(learner_id__in=ids)
        .select_related("service")
        .only("learner_id", "status", "service__name", "service__name_cy", "service__agency_type")
        .order_by("learner_id", "service__name", "pk")
    )
    for request in requests:
        cards[request.learner_id].services.append(
            ServiceWorking(
                service=str(request.service),
                kind=request.service.get_agency_type_display(),
                status_words=str(SERVICE_STATUS_WORDS.get(request.status, "")),
            )
        )


def _add_meetings(actor: "Actor", cards: dict[int, ChildCard], ids: list[int], today: date) -> None:
    """Meetings still to come for which this family member's views have not been given (by
    them, or by the school on their behalf): the young person gives their own, a parent the
    family's."""
    if not may(actor, Capability.GIVE_MEETING_VIEWS):
        return
    whose = ViewsOf.CHILD if actor.role == Role.YOUNG_PERSON else ViewsOf.FAMILY
    given = MeetingViews.objects.filter(meeting=OuterRef("pk"), whose=whose)
    meetings = (
        Meeting.objects.filter(learner_id__in=ids, held_on__gte=today)
        .filter(~Exists(given))
        .only("public_id", "learner_id", "kind", "held_on")
        .order_by("held_on", "pk")
    )
    for meeting in meetings:
        card = cards[meeting.learner_id]
        card.waiting.append(
            WaitingItem(
                kind="meeting",
                text=str(
                    _("Give your views before the meeting: %(meeting)s")
                    % {"meeting": meeting.get_kind_display()}
                ),
                url=reverse("meetings:views", args=[card.learner.public_id, meeting.public_id]),
                due_on=meeting.held_on,
            )
        )


def _add_notices(actor: "Actor", cards: dict[int, ChildCard], ids: list[int]) -> None:
    """Unread notices about the children: a date that changed and why, a decision on a request.
    Each was written in the reader's language when it was sent."""
    notices = Notification.objects.filter(
        recipient=actor.user,
        learner_id__in=ids,
        kind__in=WAITING_NOTICE_KINDS,
        read_at__isnull=True,
    ).order_by("-created_at", "-pk")
    grouped: dict[int, list[WaitingItem]] = defaultdict(list)
    for notice in notices:
        assert notice.learner_id is not None
        grouped[notice.learner_id].append(
            WaitingItem(
                kind=notice.kind,
                text=notice.subject,
                url=notice.link_url,
                detail=notice.paragraphs,
                notification_id=notice.pk,
            )
        )
    for learner_id, items in grouped.items():
        cards[learner_id].waiting.extend(items)
