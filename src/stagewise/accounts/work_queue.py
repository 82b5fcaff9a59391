"""What needs me: the work waiting for a member of staff, grouped by how soon it falls due.

Every item is about a learner the actor may see (learners/access.visible_learners), and which
kinds of item a role's queue holds is data in the policy table (`WorkKind`). Each kind is one
query, so the page costs the same however many items it lists.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, Expression, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from stagewise.coordination.models import MeetingAction
from stagewise.families.models import RightsRequest
from stagewise.families.review_views_models import ReviewViewsAnswer
from stagewise.learners.access import visible_learners
from stagewise.learners.models import (
    Enrolment,
    Learner,
    LearnerMove,
    StaffRelationship,
    WellbeingAssessment,
)
from stagewise.moderation.models import ModerationCase, Verdict
from stagewise.organisations.models import LocalAuthority, Setting
from stagewise.planning.models import (
    EDITABLE_STATUSES,
    LocalPlanTypeName,
    Plan,
    PlanResponse,
    PlanResponseRead,
    PlanStatus,
    PlanType,
    ResponseKind,
)
from stagewise.policy import (
    Capability,
    WorkKind,
    may,
    may_sign_off,
    nation_policy,
    policy_for,
)
from stagewise.statutory.calendar import add_months
from stagewise.statutory.models import (
    OPEN_PROCESS_STATUSES,
    CoordinatedSupportPlanConsideration,
    ProcessStatus,
    Responsible,
    StatutoryProcess,
)
from stagewise.statutory.process_selectors import due_problem_text

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor

WEEK_DAYS = 7
# The queue looks four weeks ahead; what falls due later waits for a later visit.
HORIZON_DAYS = 28
# At most this many items of each kind, the most urgent first: an authority's queue at national
# scale would otherwise run to thousands of rows. The officer narrows it to one school instead.
MOST_PER_KIND = 100

# The organisation a membership is held at (policy.RolePolicy.organisation) is who must act on
# the clocks whose `responsible` names it.
RESPONSIBLE_FOR_ORGANISATION = {
    "setting": Responsible.SETTING,
    "authority": Responsible.AUTHORITY,
    "agency": Responsible.AGENCY,
}
REVIEWABLE_STATUSES = (PlanStatus.FINALISED, PlanStatus.ACTIVE, PlanStatus.UNDER_REVIEW)


class ItemKind(StrEnum):
    CLOCK = "clock"
    SIGN_OFF = "sign_off"
    REVIEW = "review"
    FAMILY_RESPONSE = "family_response"
    WELLBEING = "wellbeing"
    MEETING_ACTION = "meeting_action"
    NEW_ARRIVAL = "new_arrival"
    VIEWS_AWAITING_REVIEW = "views_awaiting_review"
    MODERATION = "moderation"
    CONSIDERATION = "consideration"


ITEM_LABELS = {
    ItemKind.CLOCK: gettext_lazy("Statutory timescale"),
    ItemKind.SIGN_OFF: gettext_lazy("Sign-off"),
    ItemKind.REVIEW: gettext_lazy("Review"),
    ItemKind.FAMILY_RESPONSE: gettext_lazy("Family response"),
    ItemKind.WELLBEING: gettext_lazy("Wellbeing"),
    ItemKind.MEETING_ACTION: gettext_lazy("Meeting action"),
    ItemKind.NEW_ARRIVAL: gettext_lazy("New learner"),
    ItemKind.VIEWS_AWAITING_REVIEW: gettext_lazy("Views given"),
    ItemKind.MODERATION: gettext_lazy("Moderation"),
    ItemKind.CONSIDERATION: gettext_lazy("Looked after"),
}


class WorkGroupKey(StrEnum):
    OVERDUE = "overdue"
    THIS_WEEK = "this_week"
    NEXT_FOUR_WEEKS = "next_four_weeks"
    NEEDS_CALENDAR = "needs_calendar"
    WAITING = "waiting"


GROUP_HEADINGS = {
    WorkGroupKey.OVERDUE: gettext_lazy("Overdue"),
    WorkGroupKey.THIS_WEEK: gettext_lazy("Due this week"),
    WorkGroupKey.NEXT_FOUR_WEEKS: gettext_lazy("Due in the next four weeks"),
    WorkGroupKey.NEEDS_CALENDAR: gettext_lazy("Needs a calendar to set the date"),
    WorkGroupKey.WAITING: gettext_lazy("Also waiting for you"),
}


@dataclass(frozen=True)
class WorkItem:
    kind: ItemKind
    action: str  # what to do, in words
    learner_name: str
    learner_id: uuid.UUID
    url: str
    # The learner's internal id, for the audit's compact record of who was shown (ADR 0038).
    learner_pk: int
    due_on: date | None = None
    days_overdue: int = 0
    note: str = ""  # why there is no date yet; when a response came in
    # A family's disagreement: shown first among the undated, and marked.
    disagreement: bool = False

    @property
    def kind_label(self) -> str:
        return str(ITEM_LABELS[self.kind])

    # The words the page shows, put together here: the same in the template's tags and filters
    # cost several times as much, for each of the hundreds of items an authority's queue lists.
    @property
    def tag(self) -> str:
        return _("Disagreement") if self.disagreement else self.kind_label

    @property
    def due_text(self) -> str:
        return _day(self.due_on) if self.due_on is not None else ""

    @property
    def overdue_text(self) -> str:
        days = self.days_overdue
        return ngettext("%(days)s day overdue", "%(days)s days overdue", days) % {"days": days}


@dataclass
class WorkGroup:
    key: WorkGroupKey
    items: list[WorkItem] = field(default_factory=list)

    @property
    def heading(self) -> str:
        return str(GROUP_HEADINGS[self.key])


@dataclass
class SchoolOption:
    value: str
    label: str
    selected: bool


@dataclass
class WorkQueue:
    groups: list[WorkGroup]
    # The schools an authority-wide role may narrow the queue to; empty for everyone else.
    # Prepared here as plain options: a large authority has hundreds of schools.
    schools: list[SchoolOption] = field(default_factory=list)
    school: Setting | None = None
    school_error: str = ""
    # Some kind had more than MOST_PER_KIND items, so only the most urgent are listed.
    truncated: bool = False

    @property
    def most_per_kind(self) -> int:
        return MOST_PER_KIND

    @property
    def total(self) -> int:
        return sum(len(group.items) for group in self.groups)

    @property
    def learner_ids(self) -> list[int]:
        return sorted({item.learner_pk for group in self.groups for item in group.items})


def work_queue_get(*, actor: "Actor | None", school_id: str = "") -> WorkQueue | None:
    """The actor's work queue, or None when their role has none (families, analysts,
    administrators). An authority-wide role may narrow it to one school (`school_id`)."""
    if actor is None or actor.membership is None:
        return None
    kinds = policy_for(actor).work_queue
    if not kinds:
        return None
    today = timezone.localdate()
    horizon = today + timedelta(days=HORIZON_DAYS)
    learners = visible_learners(actor)
    schools: list[SchoolOption] = []
    school = None
    school_error = ""
    if actor.membership.authority_id is not None:
        welsh = _welsh()
        schools = [
            SchoolOption(value=str(pk), label=_in_language(name, name_cy, welsh), selected=False)
            for pk, name, name_cy in Setting.objects.filter(
                authority_id=actor.membership.authority_id
            )
            .order_by("name")
            .values_list("pk", "name", "name_cy")
        ]
        if school_id:
            chosen = next((s for s in schools if s.value == school_id.strip()), None)
            if chosen is None:
                school_error = _("Choose a school from the list.")
            else:
                chosen.selected = True
                school = Setting.objects.get(pk=int(chosen.value))
        if school is not None:
            learners = learners.filter(
                pk__in=Enrolment.objects.current(today).filter(setting=school).values("learner_id")
            )

    items: list[WorkItem] = []
    cut = _Cut()
    in_view = _learners_in_view(learners)
    watched = _watched_clocks(actor, kinds)
    if watched is not None:
        clocks = StatutoryProcess.objects.filter(
            watched, status=ProcessStatus.RUNNING, learner_id__in=in_view
        )
        may_decide = may(actor, Capability.DECIDE_RIGHTS_REQUESTS)
        items += _clock_items(clocks, horizon, today, cut, may_decide=may_decide)
    led_types = _types_the_actor_leads(actor)
    held_by = actor.membership.authority_id
    if WorkKind.SIGN_OFF in kinds:
        items += _sign_off_items(in_view, led_types, held_by, today, cut)
    views_waiting = (
        _views_awaiting_review(today) if WorkKind.VIEWS_AWAITING_REVIEW in kinds else None
    )
    if WorkKind.REVIEWS in kinds:
        items += _review_items(
            in_view, led_types, held_by, watched, horizon, today, cut, views_waiting
        )
    if views_waiting is not None:
        items += _views_awaiting_review_items(
            in_view, led_types, held_by, views_waiting, today, cut
        )
    if WorkKind.FAMILY_RESPONSES in kinds:
        items += _response_items(actor, in_view, led_types, held_by, cut)
    if WorkKind.WELLBEING_REFRESH in kinds:
        items += _wellbeing_items(learners, horizon, today, cut)
    if WorkKind.MEETING_ACTIONS in kinds:
        items += _meeting_action_items(actor, in_view, today, cut)
    if WorkKind.NEW_ARRIVALS in kinds:
        items += _arrival_items(actor, in_view, cut)
    if WorkKind.MODERATION_DISAGREEMENTS in kinds:
        items += _moderation_items(actor, in_view, cut)
    if WorkKind.LOOKED_AFTER_CONSIDERATIONS in kinds:
        items += _consideration_items(actor, in_view, cut)
    return WorkQueue(
        groups=_grouped(items, today),
        schools=schools,
        school=school,
        school_error=school_error,
        truncated=cut.truncated,
    )


class _Cut:
    """Takes the first MOST_PER_KIND rows of a query (one more, to know if there were more)."""

    def __init__(self) -> None:
        self.truncated = False

    def take[RowT](self, rows: "QuerySet[Any, RowT]") -> list[RowT]:
        found = list(rows[: MOST_PER_KIND + 1])
        if len(found) > MOST_PER_KIND:
            self.truncated = True
        return found[:MOST_PER_KIND]


class _Link:
    """One kind of item's address, for any learner and record. Reversing it for every item cost
    more than building the item: it is reversed once, with stand-in ids put in their place."""

    LEARNER = uuid.UUID(int=1)
    RECORD = uuid.UUID(int=2)

    def __init__(self, name: str, *, with_record: bool = True) -> None:
        self.address = reverse(name, args=[self.LEARNER, self.RECORD][: 2 if with_record else 1])

    def to(self, learner_id: uuid.UUID, record_id: uuid.UUID | None = None) -> str:
        address = self.address.replace(str(self.LEARNER), str(learner_id))
        if record_id is not None:
            address = address.replace(str(self.RECORD), str(record_id))
        return address


def _learners_in_view(learners: QuerySet[Learner]) -> RawSQL:
    """The ids of the learners in view, as SQL compiled once. Every source's query is limited to
    them; building and compiling the scope's subquery again for each query was a good part of
    the page's time for an authority's officer."""
    sql, params = learners.order_by().values("pk").query.sql_with_params()
    # Django's own compiler wrote the SQL, and the values stay parameters.
    return RawSQL(sql, params)  # noqa: S611


# Sources ----------------------------------------------------------------------------------------


def _watched_clocks(actor: "Actor", kinds: frozenset[WorkKind]) -> Q | None:
    """Which clocks the actor must watch: those their organisation must act on, or every clock
    of the learners linked to them (None: no clocks in their queue). Only running clocks are
    listed: a paused clock waits on someone else until it runs again."""
    membership = actor.membership
    assert membership is not None
    if not (kinds & {WorkKind.CLOCKS_OF_ORGANISATION, WorkKind.CLOCKS_OF_LINKED_LEARNERS}):
        return None
    wanted = Q(pk__in=[])
    organisation = policy_for(actor).organisation
    if WorkKind.CLOCKS_OF_ORGANISATION in kinds and organisation in RESPONSIBLE_FOR_ORGANISATION:
        wanted |= Q(
            responsible=RESPONSIBLE_FOR_ORGANISATION[organisation],
            **{f"{organisation}_id": getattr(membership, f"{organisation}_id")},
        )
    if WorkKind.CLOCKS_OF_LINKED_LEARNERS in kinds:
        linked = StaffRelationship.objects.current().filter(staff=actor.user)
        wanted |= Q(learner__in=linked.values("learner_id"))
    return wanted


def _clock_items(
    clocks: QuerySet[StatutoryProcess],
    horizon: date,
    today: date,
    cut: _Cut,
    *,
    may_decide: bool = False,
) -> Iterable[WorkItem]:
    """The clocks falling due within four weeks or waiting for a date, read as plain values: an
    authority's queue lists up to a hundred, and making a clock, its learner, timescale and
    authority into objects for each cost more than the query."""
    # A family's request the clock runs for (the earliest still waiting): the item says what
    # was asked and leads to where its decision is recorded. It is listed from the day it
    # arrives, however far off its date: someone must take it up.
    family_request = RightsRequest.objects.filter(
        process=OuterRef("pk"), decided_on__isnull=True
    ).order_by("received_on", "pk")
    rows = (
        clocks.filter(Q(due_on__lte=horizon) | Q(due_on__isnull=True) | Q(Exists(family_request)))
        .annotate(
            request_public_id=Subquery(family_request.values("public_id")[:1]),
            request_what=Subquery(family_request.values("what")[:1]),
        )
        .order_by(F("due_on").asc(nulls_last=True), "pk")
        .values(*CLOCK_VALUES, "request_public_id", "request_what")
    )
    welsh = _welsh()
    link = _Link("statutory:process_detail")
    decide = _Link("rights_requests:decide")
    for row in cut.take(rows):
        learner_id = row["learner__public_id"]
        asked = row["request_public_id"]
        notes = [] if row["due_on"] is not None else [_why_no_date(row)]
        if asked is not None:
            notes.append(
                _("The family asked: %(what)s") % {"what": _shortened(row["request_what"])}
            )
        yield _item(
            ItemKind.CLOCK,
            action=_in_language(row["timescale__label"], row["timescale__label_cy"], welsh),
            learner_name=Learner.name_for_display(
                *(row[f"learner__{name}"] for name in NAME_COLUMNS)
            ),
            learner_id=learner_id,
            learner_pk=row["learner_id"],
            url=decide.to(learner_id, asked)
            if asked and may_decide
            else link.to(learner_id, row["public_id"]),
            due_on=row["due_on"],
            note=" ".join(notes),
            today=today,
        )


def _shortened(words: str, most: int = 200) -> str:
    """A family's words, cut to fit a queue row (the request's page has them whole)."""
    words = " ".join(words.split())
    return words if len(words) <= most else words[: most - 1].rstrip() + "…"


def _why_no_date(row: dict[str, Any]) -> str:
    """Why a clock read as values has no date, worded as on the clock's own page."""
    authority = LocalAuthority(name=row["authority__name"], name_cy=row["authority__name_cy"])
    process = StatutoryProcess(
        due_problem=row["due_problem"],
        calendar_year_needed=row["calendar_year_needed"],
        authority=authority,
    )
    return due_problem_text(process)


def _welsh() -> bool:
    return (get_language() or "").startswith("cy")


def _in_language(text: str, text_cy: str, welsh: bool) -> str:
    """The Welsh text on a Welsh page when there is one, as the models' display names do."""
    return text_cy if welsh and text_cy else text


def _types_the_actor_leads(actor: "Actor") -> list[int]:
    """Plan types whose data names the actor's role among those who may sign them off: the
    plans they lead, whose sign-off, reviews and family responses are theirs to act on."""
    return [
        pk
        for pk, roles in PlanType.objects.order_by().values_list("pk", "sign_off_roles")
        if may_sign_off(actor, roles)
    ]


# Only what an item shows: an authority's queue builds a few hundred rows on every visit.
# NAME_COLUMNS are the arguments of Learner.name_for_display.
NAME_COLUMNS = ("preferred_name", "legal_first_name", "legal_last_name")
LEARNER_COLUMNS = ("public_id", *NAME_COLUMNS)
PLAN_COLUMNS = (
    "public_id",
    "status",
    "next_review_on",
    "authority_id",
    "learner_id",
    "plan_type_id",
    *(f"learner__{name}" for name in LEARNER_COLUMNS),
    "plan_type__name",
    "plan_type__name_cy",
)
RESPONSE_COLUMNS = (
    "plan_id",
    "responder_label",
    "response",
    "responded_at",
    "plan__public_id",
    "plan__learner_id",
    "plan__plan_type_id",
    *(f"plan__learner__{name}" for name in LEARNER_COLUMNS),
    "plan__plan_type__name",
    "plan__plan_type__name_cy",
)
CLOCK_VALUES = (
    "public_id",
    "learner_id",
    "due_on",
    "due_problem",
    "calendar_year_needed",
    *(f"learner__{name}" for name in LEARNER_COLUMNS),
    "timescale__label",
    "timescale__label_cy",
    "authority__name",
    "authority__name_cy",
)


def _plans(
    in_view: RawSQL,
    led_types: list[int],
    held_by: int | None,
    *conditions: Q | Expression,
    **annotations: Subquery,
) -> QuerySet[Plan]:
    """Plans of the learners in view whose type the actor leads; for an authority's officer, the
    plans that authority holds (a plan is reviewed and signed off by the authority holding it),
    which also lets the database start from the authority's plans, not the nation's. Built in
    one filter and one annotation: each step of a queryset copies it whole."""
    local_names = LocalPlanTypeName.objects.filter(
        authority=OuterRef("authority"), plan_type=OuterRef("plan_type")
    )
    return (
        Plan.objects.filter(_plan_scope(in_view, led_types, held_by), *conditions)
        .select_related("learner", "plan_type")
        .only(*PLAN_COLUMNS)
        .annotate(
            local_name=Subquery(local_names.values("name")[:1]),
            local_name_cy=Subquery(local_names.values("name_cy")[:1]),
            **annotations,
        )
    )


def _plan_scope(in_view: RawSQL, led_types: list[int], held_by: int | None) -> Q:
    scope = Q(learner_id__in=in_view, plan_type_id__in=led_types)
    if held_by is not None:
        scope &= Q(authority_id=held_by)
    return scope


def _plan_link() -> _Link:
    return _Link("planning:detail")


def _sign_off_items(
    in_view: RawSQL, led_types: list[int], held_by: int | None, today: date, cut: _Cut
) -> Iterable[WorkItem]:
    """Every draft or revision the actor's role may sign off, due when the clock it belongs to
    (a statutory plan's preparation) is. Whether every required section is written yet is shown
    on the plan's page: checking it here would read each plan whole."""
    clock_due = (
        StatutoryProcess.objects.filter(plan=OuterRef("pk"), status__in=OPEN_PROCESS_STATUSES)
        .exclude(due_on=None)
        .order_by("due_on")
        .values("due_on")[:1]
    )
    rows = _plans(
        in_view, led_types, held_by, Q(status__in=EDITABLE_STATUSES), clock_due=Subquery(clock_due)
    ).order_by(F("clock_due").asc(nulls_last=True), "pk")
    link = _plan_link()
    for plan in cut.take(rows):
        action = (
            _("Sign off the revised %(plan)s")
            if plan.status == PlanStatus.REVISION
            else _("Finish and sign off the %(plan)s")
        )
        yield _item(
            ItemKind.SIGN_OFF,
            action=action % {"plan": plan.display_type_name},
            learner_name=plan.learner.display_name,
            learner_id=plan.learner.public_id,
            learner_pk=plan.learner_id,
            url=link.to(plan.learner.public_id, plan.public_id),
            due_on=plan.clock_due,  # type: ignore[attr-defined]
            today=today,
        )


def _review_items(
    in_view: RawSQL,
    led_types: list[int],
    held_by: int | None,
    watched: Q | None,
    horizon: date,
    today: date,
    cut: _Cut,
    views_waiting: Q | None = None,
) -> Iterable[WorkItem]:
    """Reviews falling due within four weeks; a plan whose review already shows as one of the
    actor's clocks, or as views waiting for it, is not listed twice."""
    conditions: list[Q | Expression] = [
        Q(status__in=REVIEWABLE_STATUSES, next_review_on__lte=horizon)
    ]
    if views_waiting is not None:
        conditions.append(~views_waiting)
    if watched is not None:
        # The plan is already one of the learners in view: its clocks need no second scope.
        conditions.append(
            ~Exists(
                StatutoryProcess.objects.filter(
                    watched, status=ProcessStatus.RUNNING, plan=OuterRef("pk")
                )
            )
        )
    rows = _plans(in_view, led_types, held_by, *conditions).order_by("next_review_on", "pk")
    link = _plan_link()
    for plan in cut.take(rows):
        yield _item(
            ItemKind.REVIEW,
            action=_("Review the %(plan)s") % {"plan": plan.display_type_name},
            learner_name=plan.learner.display_name,
            learner_id=plan.learner.public_id,
            learner_pk=plan.learner_id,
            url=link.to(plan.learner.public_id, plan.public_id),
            due_on=plan.next_review_on,
            today=today,
        )


def _views_awaiting_review(today: date) -> Q:
    """A plan whose review date has passed without the review being recorded, while the views
    the family or the child gave before it (ADR 0018) wait on its open invitation."""
    answered = ReviewViewsAnswer.objects.filter(
        invitation__plan=OuterRef("pk"), invitation__review__isnull=True
    )
    return Q(status__in=REVIEWABLE_STATUSES, next_review_on__lt=today) & Q(Exists(answered))


def _views_awaiting_review_items(
    in_view: RawSQL,
    led_types: list[int],
    held_by: int | None,
    views_waiting: Q,
    today: date,
    cut: _Cut,
) -> Iterable[WorkItem]:
    """The reviews the actor leads that are overdue while views given before them wait: the
    family and the child were heard, and nothing has been recorded since."""
    last_given = (
        ReviewViewsAnswer.objects.filter(
            invitation__plan=OuterRef("pk"), invitation__review__isnull=True
        )
        .order_by("-recorded_at")
        .values("recorded_at")[:1]
    )
    rows = _plans(
        in_view, led_types, held_by, views_waiting, views_given_at=Subquery(last_given)
    ).order_by("next_review_on", "pk")
    link = _plan_link()
    for plan in cut.take(rows):
        given_at = plan.views_given_at  # type: ignore[attr-defined]
        yield _item(
            ItemKind.VIEWS_AWAITING_REVIEW,
            action=_("Record the review of the %(plan)s: views given before it are waiting")
            % {"plan": plan.display_type_name},
            learner_name=plan.learner.display_name,
            learner_id=plan.learner.public_id,
            learner_pk=plan.learner_id,
            url=link.to(plan.learner.public_id, plan.public_id),
            due_on=plan.next_review_on,
            today=today,
            note=_("Views given %(day)s") % {"day": _day(timezone.localdate(given_at))},
        )


def _response_items(
    actor: "Actor",
    in_view: RawSQL,
    led_types: list[int],
    held_by: int | None,
    cut: _Cut,
) -> Iterable[WorkItem]:
    """Families' responses to the plans the actor leads that the actor has not read (opening
    the plan's page reads them)."""
    read = PlanResponseRead.objects.filter(response=OuterRef("pk"), reader=actor.user)
    rows = (
        PlanResponse.objects.filter(
            ~Exists(read),
            plan__in=Plan.objects.filter(
                _plan_scope(in_view, led_types, held_by), ~Q(status=PlanStatus.CLOSED)
            ).values("pk"),
        )
        .select_related("plan__learner", "plan__plan_type")
        .only(*RESPONSE_COLUMNS)
        .order_by("responded_at", "pk")
    )
    link = _plan_link()
    for response in cut.take(rows):
        plan = response.plan
        disagreement = response.response == ResponseKind.DISAGREED
        words = {"name": response.responder_label, "plan": plan.display_type_name}
        yield WorkItem(
            kind=ItemKind.FAMILY_RESPONSE,
            action=(
                _("%(name)s disagrees with the %(plan)s") % words
                if disagreement
                else _("Read the response from %(name)s to the %(plan)s") % words
            ),
            learner_name=plan.learner.display_name,
            learner_id=plan.learner.public_id,
            learner_pk=plan.learner_id,
            url=link.to(plan.learner.public_id, plan.public_id),
            note=_("Received %(day)s") % {"day": _day(timezone.localdate(response.responded_at))},
            disagreement=disagreement,
        )


def _wellbeing_items(
    learners: QuerySet[Learner], horizon: date, today: date, cut: _Cut
) -> Iterable[WorkItem]:
    """Learners whose latest wellbeing assessment will be older than their authority's refresh
    interval within four weeks. A learner never assessed is not listed: an assessment is
    started when there is a concern, not on a timetable."""
    intervals = dict(LocalAuthority.objects.values_list("pk", "wellbeing_refresh_months"))
    authorities_by_interval: dict[int, list[int]] = {}
    for authority_id, months in intervals.items():
        authorities_by_interval.setdefault(months, []).append(authority_id)
    last_assessed = (
        WellbeingAssessment.objects.filter(learner=OuterRef("pk"))
        .order_by("-assessed_on")
        .values("assessed_on")[:1]
    )
    authority_now = (
        Enrolment.objects.current(today)
        .filter(learner=OuterRef("pk"))
        .order_by("-started_on")
        .values("setting__authority_id")[:1]
    )
    stale = Q(pk__in=[])
    for months, authority_ids in authorities_by_interval.items():
        stale |= Q(authority_now__in=authority_ids, last_assessed__lte=add_months(horizon, -months))
    rows = (
        learners.annotate(
            last_assessed=Subquery(last_assessed), authority_now=Subquery(authority_now)
        )
        .filter(stale)
        .order_by("last_assessed", "pk")
    )
    link = _Link("learners:wellbeing_add", with_record=False)
    for learner in cut.take(rows):
        last: date = learner.last_assessed
        yield _item(
            ItemKind.WELLBEING,
            action=_("Assess wellbeing again (last assessed %(day)s)") % {"day": _day(last)},
            learner_name=learner.display_name,
            learner_id=learner.public_id,
            learner_pk=learner.pk,
            url=link.to(learner.public_id),
            due_on=add_months(last, intervals[learner.authority_now]),
            today=today,
        )


MEETING_ACTION_VALUES = (
    "description",
    "due_on",
    "meeting__public_id",
    "learner_id",
    *(f"learner__{name}" for name in LEARNER_COLUMNS),
)


def _meeting_action_items(
    actor: "Actor", in_view: RawSQL, today: date, cut: _Cut
) -> Iterable[WorkItem]:
    """The open actions agreed at meetings that the actor owns, about learners they still see
    (a practitioner whose service's involvement closes loses them with the learner); however far
    off their due date, since an owner should see every promise they made."""
    rows = (
        MeetingAction.objects.filter(owner=actor.user, done_at__isnull=True, learner_id__in=in_view)
        .order_by("due_on", "pk")
        .values(*MEETING_ACTION_VALUES)
    )
    link = _Link("meetings:detail")
    for row in cut.take(rows):
        learner_id = row["learner__public_id"]
        yield _item(
            ItemKind.MEETING_ACTION,
            action=row["description"][:200],
            learner_name=Learner.name_for_display(
                *(row[f"learner__{name}"] for name in NAME_COLUMNS)
            ),
            learner_id=learner_id,
            learner_pk=row["learner_id"],
            url=link.to(learner_id, row["meeting__public_id"]),
            due_on=row["due_on"],
            today=today,
        )


ARRIVAL_VALUES = (
    "moved_on",
    "from_setting__name",
    "from_setting__name_cy",
    "learner_id",
    *(f"learner__{name}" for name in LEARNER_COLUMNS),
)


def _arrival_items(actor: "Actor", in_view: RawSQL, cut: _Cut) -> Iterable[WorkItem]:
    """Learners who moved to the actor's school and whose moves no leader there has opened yet
    (learners/services/moves.py). Only from the day of the move: before it, the learner is not
    yet in view."""
    membership = actor.membership
    assert membership is not None
    if membership.setting_id is None:
        return
    rows = (
        LearnerMove.objects.filter(
            to_setting_id=membership.setting_id,
            acknowledged_at__isnull=True,
            learner_id__in=in_view,
        )
        .order_by("moved_on", "pk")
        .values(*ARRIVAL_VALUES)
    )
    welsh = _welsh()
    link = _Link("learners:moves", with_record=False)
    for row in cut.take(rows):
        learner_id = row["learner__public_id"]
        school = _in_language(row["from_setting__name"], row["from_setting__name_cy"], welsh)
        yield WorkItem(
            kind=ItemKind.NEW_ARRIVAL,
            action=_("New learner arrived from %(school)s: read the record and current plans")
            % {"school": school},
            learner_name=Learner.name_for_display(
                *(row[f"learner__{name}"] for name in NAME_COLUMNS)
            ),
            learner_id=learner_id,
            learner_pk=row["learner_id"],
            url=link.to(learner_id),
            note=_("Arrived %(day)s") % {"day": _day(row["moved_on"])},
        )


MODERATION_VALUES = (
    "public_id",
    "reviewed_at",
    "stage__label",
    "stage__label_cy",
    "plan_type__name",
    "plan_type__name_cy",
    "learner_id",
    *(f"learner__{name}" for name in LEARNER_COLUMNS),
)


def _moderation_items(actor: "Actor", in_view: RawSQL, cut: _Cut) -> Iterable[WorkItem]:
    """Moderators' disagreements with the school's stage and plan decisions (moderation/,
    ADR 0046) that the school has not yet considered, about learners its leaders still see."""
    membership = actor.membership
    assert membership is not None
    if membership.setting_id is None:
        return
    rows = (
        ModerationCase.objects.filter(
            setting_id=membership.setting_id,
            verdict=Verdict.DISAGREE,
            considered_at__isnull=True,
            learner_id__in=in_view,
        )
        .order_by("reviewed_at", "pk")
        .values(*MODERATION_VALUES)
    )
    welsh = _welsh()
    link = reverse("moderation:returned", args=[_Link.RECORD])
    for row in cut.take(rows):
        if row["plan_type__name"]:
            plan_type = _in_language(row["plan_type__name"], row["plan_type__name_cy"], welsh)
            action = _(
                "A moderator disagreed with the decision to open their %(plan_type)s:"
                " consider it and respond"
            ) % {"plan_type": plan_type}
        else:
            stage = _in_language(row["stage__label"], row["stage__label_cy"], welsh)
            action = _(
                "A moderator disagreed with the decision to place them at %(stage)s:"
                " consider it and respond"
            ) % {"stage": stage}
        yield WorkItem(
            kind=ItemKind.MODERATION,
            action=action,
            learner_name=Learner.name_for_display(
                *(row[f"learner__{name}"] for name in NAME_COLUMNS)
            ),
            learner_id=row["learner__public_id"],
            learner_pk=row["learner_id"],
            url=link.replace(str(_Link.RECORD), str(row["public_id"])),
            note=_("Disagreed %(day)s") % {"day": _day(timezone.localdate(row["reviewed_at"]))},
        )


CONSIDERATION_VALUES = ("pk", "looked_after_since", "last_considered_on", *LEARNER_COLUMNS)


def _consideration_items(actor: "Actor", in_view: RawSQL, cut: _Cut) -> Iterable[WorkItem]:
    """Looked-after learners of the actor's authority whom it has not considered for a
    co-ordinated support plan since they became looked after (ASL Act 2004 s6(1A), ADR 0049):
    in a nation whose law has the plan; the longest waiting first. One query for the nation's
    law and one for the learners, however many are listed."""
    membership = actor.membership
    assert membership is not None
    if membership.authority_id is None:
        return
    nation = (
        LocalAuthority.objects.filter(pk=membership.authority_id)
        .values_list("nation__code", flat=True)
        .first()
    )
    if nation is None or not nation_policy(nation).coordinated_plan_type:
        return
    considerations = CoordinatedSupportPlanConsideration.objects.filter(learner=OuterRef("pk"))
    since_looked_after = considerations.filter(
        considered_on__gte=Coalesce(OuterRef("looked_after_since"), Value(date.min))
    )
    rows = (
        Learner.objects.filter(~Exists(since_looked_after), pk__in=in_view, looked_after=True)
        .annotate(
            last_considered_on=Subquery(
                considerations.order_by("-considered_on", "-pk").values("considered_on")[:1]
            )
        )
        .order_by(F("looked_after_since").asc(nulls_first=True), "pk")
        .values(*CONSIDERATION_VALUES)
    )
    link = _Link("considerations:add", with_record=False)
    for row in cut.take(rows):
        since = row["looked_after_since"]
        last = row["last_considered_on"]
        notes = []
        if since is not None:
            notes.append(_("Looked after since %(day)s") % {"day": _day(since)})
        if last is not None:
            notes.append(_("last considered %(day)s") % {"day": _day(last)})
        yield WorkItem(
            kind=ItemKind.CONSIDERATION,
            action=_("Consider them for a co-ordinated support plan")
            if last is None
            else _(
                "Consider them again for a co-ordinated support plan: they became looked after"
                " after the last consideration"
            ),
            learner_name=Learner.name_for_display(*(row[name] for name in NAME_COLUMNS)),
            learner_id=row["public_id"],
            learner_pk=row["pk"],
            url=link.to(row["public_id"]),
            note="; ".join(notes),
        )


# Grouping ---------------------------------------------------------------------------------------


def _day(day: date) -> str:
    return date_format(day, "j F Y")


def _item(
    kind: ItemKind,
    *,
    action: str,
    learner_name: str,
    learner_id: uuid.UUID,
    learner_pk: int,
    url: str,
    due_on: date | None,
    today: date,
    note: str = "",
) -> WorkItem:
    return WorkItem(
        kind=kind,
        action=action,
        learner_name=learner_name,
        learner_id=learner_id,
        learner_pk=learner_pk,
        url=url,
        due_on=due_on,
        days_overdue=(today - due_on).days if due_on is not None and due_on < today else 0,
        note=note,
    )


def _group_key(item: WorkItem, today: date) -> WorkGroupKey:
    if item.due_on is None:
        if item.kind == ItemKind.CLOCK:
            return WorkGroupKey.NEEDS_CALENDAR
        return WorkGroupKey.WAITING
    if item.due_on < today:
        return WorkGroupKey.OVERDUE
    if item.due_on <= today + timedelta(days=WEEK_DAYS):
        return WorkGroupKey.THIS_WEEK
    if item.due_on <= today + timedelta(days=HORIZON_DAYS):
        return WorkGroupKey.NEXT_FOUR_WEEKS
    # A draft whose clock runs out later is still waiting for sign-off.
    return WorkGroupKey.WAITING


def _grouped(items: list[WorkItem], today: date) -> list[WorkGroup]:
    groups = {key: WorkGroup(key) for key in WorkGroupKey}
    for item in items:
        groups[_group_key(item, today)].items.append(item)
    for group in groups.values():
        group.items.sort(
            key=lambda item: (
                not item.disagreement,
                item.due_on or date.max,
                item.learner_name,
                item.action,
            )
        )
    return list(groups.values())
