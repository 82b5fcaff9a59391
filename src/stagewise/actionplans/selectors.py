"""Reads of the action plans, scoped to an actor: which actions a policy officer tracks (those
their body is responsible for; every action of their nation's plans at the government), which of
them are overdue, and an action's history; a local authority's own actions, for its officers
alone, and the local work on each national action, grouped by authority (ADR 0043)."""

from dataclasses import dataclass
from datetime import date, datetime
from itertools import groupby
from typing import TYPE_CHECKING

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from stagewise.actionplans.models import (
    CLOSED_STATUSES,
    Action,
    ActionMeasure,
    ActionPlan,
    Evidence,
    LocalAction,
    LocalEvidence,
    LocalProgressUpdate,
    LocalStatusChange,
    ProgressReport,
    ProgressUpdate,
    ReportState,
    StatusChange,
    Theme,
)
from stagewise.organisations.models import LocalAuthority, NationalBody
from stagewise.policy import TRACKS_EVERY_ACTION, Capability, may

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor


def body_of(actor: "Actor | None") -> NationalBody | None:
    """The national body the actor works for, if they track action plans."""
    if actor is None or not may(actor, Capability.TRACK_ACTION_PLANS):
        return None
    membership = actor.membership
    return membership.national_body if membership is not None else None


def trackable_actions(actor: "Actor | None") -> QuerySet[Action]:
    body = body_of(actor)
    if body is None:
        return Action.objects.none()
    if body.kind in TRACKS_EVERY_ACTION:
        return Action.objects.filter(plan__nation_id=body.nation_id)
    return Action.objects.filter(responsible_bodies=body)


def tracks_action(actor: "Actor | None", action: Action) -> bool:
    return trackable_actions(actor).filter(pk=action.pk).exists()


def overdue[Tracked: (Action, LocalAction)](
    actions: QuerySet[Tracked], today: date | None = None
) -> QuerySet[Tracked]:
    today = today or timezone.localdate()
    return actions.filter(timeframe_ends_on__lt=today).exclude(status__in=CLOSED_STATUSES)


def overdue_actions_of_body(actor: "Actor | None") -> list[Action]:
    """The work waiting for a policy officer: the overdue actions their body is responsible for."""
    body = body_of(actor)
    if body is None:
        return []
    return list(
        overdue(Action.objects.filter(responsible_bodies=body))
        .select_related("plan")
        .order_by("timeframe_ends_on", "plan__published_on", "position")
    )


def _with_bodies(actions: QuerySet[Action]) -> QuerySet[Action]:
    return actions.select_related("theme", "plan", "recommendation").prefetch_related(
        Prefetch("responsible_bodies", queryset=NationalBody.objects.order_by("name"))
    )


def plans_with_actions(wanted: Q | None = None) -> list[ActionPlan]:
    """Every plan with its actions (those `wanted`, if given), each action's bodies and its
    latest update, in a fixed number of queries however many actions there are."""
    latest_first = ProgressUpdate.objects.select_related("published_in").order_by(
        "action_id", "-written_on", "-recorded_at"
    )
    plans = list(ActionPlan.objects.order_by("-published_on", "code"))
    # How many authorities have local work on each action: counted in a subquery, so neither
    # the filters' joins nor the number of local actions change the figure or the query count.
    authorities_with_local_work = (
        LocalAction.national_actions.through.objects.filter(action_id=OuterRef("pk"))
        .values("action_id")
        .annotate(authorities=Count("localaction__authority_id", distinct=True))  # type: ignore[misc]
        .values("authorities")
    )
    actions = list(
        _with_bodies(Action.objects.filter(wanted or Q(), plan__in=plans).distinct())
        .annotate(local_authority_count=Coalesce(Subquery(authorities_with_local_work), Value(0)))
        .prefetch_related(Prefetch("updates", queryset=latest_first, to_attr="updates_newest"))
        .order_by("plan_id", "position")
    )
    by_plan: dict[int, list[Action]] = {plan.pk: [] for plan in plans}
    for action in actions:
        by_plan[action.plan_id].append(action)
    for plan in plans:
        plan.action_list = by_plan[plan.pk]  # type: ignore[attr-defined]
    return plans


def action_get(action_id: int) -> Action:
    try:
        return _with_bodies(Action.objects.all()).get(pk=action_id)
    except Action.DoesNotExist:
        raise Http404 from None


def action_for_policy_officer(actor: "Actor | None", action_id: int) -> Action:
    """An action's staff page: any policy officer reads it (the plans are public); anyone else
    is told nothing exists (404)."""
    if not may(actor, Capability.TRACK_ACTION_PLANS):
        raise Http404
    return action_get(action_id)


@dataclass(frozen=True)
class HistoryEntry:
    kind: str  # "update", "status", "evidence", "measure"
    on: date
    recorded_at: datetime
    who: str
    record: (
        ProgressUpdate
        | StatusChange
        | Evidence
        | ActionMeasure
        | LocalProgressUpdate
        | LocalStatusChange
        | LocalEvidence
    )


def action_history(action: Action | LocalAction) -> list[HistoryEntry]:
    """Every update, status change, piece of evidence and linked measure (a national action's),
    newest first: four queries, however long the history."""
    updates: list[ProgressUpdate] | list[LocalProgressUpdate] = (
        list(action.updates.select_related("published_in"))
        if isinstance(action, Action)
        else list(action.updates.all())
    )
    entries: list[HistoryEntry] = [
        HistoryEntry("update", u.written_on, u.recorded_at, u.recorded_by_label, u) for u in updates
    ]
    entries += [
        HistoryEntry("status", c.changed_on, c.recorded_at, c.recorded_by_label, c)
        for c in action.status_changes.all()
    ]
    entries += [
        HistoryEntry(
            "evidence", timezone.localdate(e.recorded_at), e.recorded_at, e.recorded_by_label, e
        )
        for e in action.evidence.all()
    ]
    if isinstance(action, Action):
        entries += [
            HistoryEntry(
                "measure", timezone.localdate(m.recorded_at), m.recorded_at, m.recorded_by_label, m
            )
            for m in action.measure_links.select_related("measure")
        ]
    return sorted(entries, key=lambda entry: (entry.on, entry.recorded_at), reverse=True)


# Local action plans (ADR 0043) ------------------------------------------------------------------


def authority_of(actor: "Actor | None") -> LocalAuthority | None:
    """The local authority whose action plan the actor keeps, if they keep one."""
    if actor is None or not may(actor, Capability.KEEP_LOCAL_ACTION_PLAN):
        return None
    membership = actor.membership
    return membership.authority if membership is not None else None


def local_actions_kept_by(actor: "Actor | None") -> QuerySet[LocalAction]:
    authority = authority_of(actor)
    if authority is None:
        return LocalAction.objects.none()
    return LocalAction.objects.filter(authority=authority)


def local_action_for_officer(actor: "Actor | None", local_action_id: int) -> LocalAction:
    """A local action's staff page: its own authority's officers alone; anyone else (another
    authority's officer, every other role) is told nothing exists (404)."""
    try:
        return (
            local_actions_kept_by(actor)
            .select_related("authority")
            .prefetch_related(_national_actions_in_order())
            .get(pk=local_action_id)
        )
    except LocalAction.DoesNotExist:
        raise Http404 from None


def _national_actions_in_order() -> Prefetch:
    return Prefetch(
        "national_actions",
        queryset=Action.objects.select_related("plan").order_by("plan__published_on", "position"),
    )


def local_plan_of(actor: "Actor | None") -> list[LocalAction]:
    """The actor's authority's local actions, each with the national actions it serves and its
    latest update, in a fixed number of queries however many there are."""
    latest_first = LocalProgressUpdate.objects.order_by("action_id", "-written_on", "-recorded_at")
    return list(
        local_actions_kept_by(actor)
        .prefetch_related(
            _national_actions_in_order(),
            Prefetch("updates", queryset=latest_first, to_attr="updates_newest"),
        )
        .order_by("reference", "pk")
    )


def overdue_local_actions_of_authority(actor: "Actor | None") -> list[LocalAction]:
    """The local actions waiting for an authority officer: those past their timeframe and not
    complete, in one query."""
    return list(overdue(local_actions_kept_by(actor)).order_by("timeframe_ends_on", "reference"))


def national_actions_to_serve(authority: LocalAuthority) -> QuerySet[Action]:
    """The national actions a local action of the authority may serve: its nation's."""
    return (
        Action.objects.filter(plan__nation_id=authority.nation_id)
        .select_related("plan")
        .order_by("-plan__published_on", "position")
    )


@dataclass(frozen=True)
class LocalWork:
    authority: LocalAuthority
    local_actions: list[LocalAction]


def local_work_on(action: Action) -> list[LocalWork]:
    """The local actions serving a national action, grouped by authority (by name), each with
    its status: one query, however many authorities and actions."""
    local_actions = (
        LocalAction.objects.filter(national_actions=action)
        .select_related("authority")
        .order_by("authority__name", "reference", "pk")
    )
    return [
        LocalWork(authority=authority, local_actions=list(actions))
        for authority, actions in groupby(local_actions, key=lambda local: local.authority)
    ]


def public_local_action_get(
    local_action_id: int,
) -> tuple[LocalAction, list[LocalProgressUpdate], list[LocalStatusChange]]:
    """A local action for the public page: its updates and status changes with their reasons,
    newest first; never who recorded them, and no evidence."""
    try:
        local_action = (
            LocalAction.objects.select_related("authority")
            .prefetch_related(_national_actions_in_order())
            .get(pk=local_action_id)
        )
    except LocalAction.DoesNotExist:
        raise Http404 from None
    return local_action, list(local_action.updates.all()), list(local_action.status_changes.all())


# The public pages --------------------------------------------------------------------------------

# The status filter's value for actions whose published plan states no status.
NOT_STATED = "not_stated"


def public_filter(*, theme: int | None, body: str, status: str) -> Q:
    """The actions a visitor asked for: of one theme, one responsible body, one status."""
    wanted = Q()
    if theme is not None:
        wanted &= Q(theme_id=theme)
    if body:
        wanted &= Q(responsible_bodies__code=body)
    if status:
        wanted &= Q(status="" if status == NOT_STATED else status)
    return wanted


def filter_choices() -> tuple[list[Theme], list[NationalBody]]:
    """The themes and the bodies named as responsible for some action, for the filters."""
    return (
        list(Theme.objects.select_related("plan").order_by("-plan__published_on", "position")),
        list(NationalBody.objects.filter(actions__isnull=False).distinct().order_by("name")),
    )


def public_action_get(action_id: int) -> tuple[Action, list[ProgressUpdate], list[StatusChange]]:
    """An action for the public page: its published and later progress updates and its status
    changes with their reasons, newest first; never who recorded them."""
    action = action_get(action_id)
    updates = list(action.updates.select_related("published_in"))
    changes = list(action.status_changes.all())
    return action, updates, changes


def recent_updates(most: int = 50) -> list[ProgressUpdate]:
    return list(
        ProgressUpdate.objects.select_related("action", "action__plan", "published_in").order_by(
            "-written_on", "-recorded_at", "-pk"
        )[:most]
    )


# Progress reports (ADR 0042) ---------------------------------------------------------------------


def makes_progress_reports(actor: "Actor | None") -> bool:
    """Whether the actor makes and publishes their nation's progress reports: the national
    officer (at a body in TRACKS_EVERY_ACTION), who tracks every action the report covers."""
    body = body_of(actor)
    return body is not None and body.kind in TRACKS_EVERY_ACTION


def progress_reports_for_policy_officer(actor: "Actor | None") -> list[ProgressReport]:
    """Every report, drafts included, for any policy officer; 404 for anyone else."""
    if not may(actor, Capability.TRACK_ACTION_PLANS):
        raise Http404
    return list(ProgressReport.objects.select_related("nation"))


def progress_report_for_policy_officer(actor: "Actor | None", report_id: int) -> ProgressReport:
    if not may(actor, Capability.TRACK_ACTION_PLANS):
        raise Http404
    try:
        return ProgressReport.objects.select_related("nation").get(pk=report_id)
    except ProgressReport.DoesNotExist:
        raise Http404 from None


def published_progress_reports() -> list[ProgressReport]:
    return list(ProgressReport.objects.filter(state=ReportState.PUBLISHED))


def published_progress_report(report_id: int) -> ProgressReport:
    """A published report for everyone; a draft, for anyone signed out, does not exist."""
    try:
        return ProgressReport.objects.get(pk=report_id, state=ReportState.PUBLISHED)
    except ProgressReport.DoesNotExist:
        raise Http404 from None
