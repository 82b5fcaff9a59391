"""What an 18-month progress report shows (LI 29, ADR 0042), worked out from the tracking: for a
period, every action of the plans it covers with its status at the start and at the end, the
progress updates and status changes dated within it, its linked measures' national figures at both
ends (through disclosure control: the report is published), and whether it was overdue at the end.

The contents are plain data (strings, numbers, lists), the same shape whether worked out now for
a draft or read back from a published report's frozen copy, so one set of templates, one PDF and
one CSV serve both. Words a reader reads in their language (statuses, states of a figure) are
kept as codes and translated when shown; the plans' own words stay as published, in English.

Worked out in a fixed number of queries, however many actions, updates and changes there are.
"""

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any, cast

from django.db.models import Prefetch
from django.utils import translation
from django.utils.translation import gettext as _

from stagewise.actionplans.models import (
    CLOSED_STATUSES,
    Action,
    ActionMeasure,
    ActionPlan,
    ActionStatus,
    ProgressUpdate,
    StatusChange,
)
from stagewise.measurement.dashboards import EMPTY_PAIR, Pair, Value, dashboard_get, figure_text
from stagewise.measurement.models import ScopeLevel
from stagewise.measurement.periods import school_year_label, school_year_of
from stagewise.measurement.scopes import Access, Scope
from stagewise.organisations.models import Nation

CONTENTS_VERSION = 1
# An action's status as it stood on a day before its plan was published.
NOT_YET_PUBLISHED = "not_yet_published"
# An action whose published plan stated no status, and which nobody has changed since.
NOT_STATED = ""
# The order the summary counts statuses in.
SUMMARY_STATUSES = [*ActionStatus.values, NOT_STATED, NOT_YET_PUBLISHED]


def plans_for_period(nation: Nation, ends_on: date) -> list[ActionPlan]:
    """The plans a report for a period covers: the nation's, published by the end of it."""
    return list(
        ActionPlan.objects.filter(nation=nation, published_on__lte=ends_on).order_by(
            "published_on", "code"
        )
    )


def status_on(day: date, changes: list[StatusChange], current: str, published_on: date) -> str:
    """The action's status on `day`: the last change made by then; before any change, what the
    first later change changed it from; with no change at all, its status now (as published)."""
    if published_on > day:
        return NOT_YET_PUBLISHED
    made = [change for change in changes if change.changed_on <= day]
    if made:
        return made[-1].to_status
    if changes:
        return changes[0].from_status
    return current


def _figure(value: Value) -> dict[str, str]:
    return {"state": value.state, "value": "" if value.value is None else str(value.value)}


def _pair(pair: Pair) -> dict[str, dict[str, str]]:
    return {"with_needs": _figure(pair.with_needs), "without_needs": _figure(pair.without_needs)}


def _national_trends(nation: Nation) -> dict[int, dict[int, Pair]]:
    """Every measure's national figures by school year, through disclosure control (a report
    is written to be published): measure id -> school year -> figures."""
    dashboard = dashboard_get(access=Access(Scope(ScopeLevel.NATION, nation), suppressed=True))
    return {
        figures.measure.pk: dict(figures.trend)
        for principle in dashboard.principles
        for figures in principle.measures
    }


def report_contents(
    *, nation: Nation, plans: list[ActionPlan], starts_on: date, ends_on: date
) -> dict[str, Any]:
    """Everything the report for the period shows, as plain data (see the module docstring)."""
    in_order = ("changed_on", "recorded_at", "pk")
    actions = list(
        Action.objects.filter(plan__in=plans)
        .select_related("plan", "theme")
        .prefetch_related(
            Prefetch("status_changes", queryset=StatusChange.objects.order_by(*in_order)),
            Prefetch(
                "updates",
                queryset=ProgressUpdate.objects.filter(
                    written_on__range=(starts_on, ends_on)
                ).order_by("written_on", "recorded_at", "pk"),
                to_attr="updates_in_period",
            ),
            Prefetch(
                "measure_links",
                queryset=ActionMeasure.objects.select_related("measure"),
                to_attr="measures_linked",
            ),
        )
        .order_by("plan__published_on", "plan__code", "position")
    )
    start_year, end_year = school_year_of(starts_on), school_year_of(ends_on)
    updates_of: dict[int, list[ProgressUpdate]] = {
        action.pk: cast(list[ProgressUpdate], action.updates_in_period) for action in actions
    }
    links_of: dict[int, list[ActionMeasure]] = {
        action.pk: cast(list[ActionMeasure], action.measures_linked) for action in actions
    }
    trends = _national_trends(nation) if any(links_of.values()) else {}
    at_start: dict[str, int] = defaultdict(int)
    at_end: dict[str, int] = defaultdict(int)
    by_plan: dict[int, list[dict[str, Any]]] = {plan.pk: [] for plan in plans}
    for action in actions:
        changes = list(action.status_changes.all())
        start = status_on(starts_on, changes, action.status, action.plan.published_on)
        end = status_on(ends_on, changes, action.status, action.plan.published_on)
        at_start[start] += 1
        at_end[end] += 1
        overdue = (
            action.timeframe_ends_on is not None
            and action.timeframe_ends_on < ends_on
            and end not in (*CLOSED_STATUSES, NOT_YET_PUBLISHED)
        )
        by_plan[action.plan_id].append(
            {
                "number": action.number,
                "text": action.text,
                "theme": str(action.theme),
                "timeframe": action.timeframe,
                "status_at_start": start,
                "status_at_end": end,
                "overdue_at_end": overdue,
                "updates": [
                    {
                        "written_on": update.written_on.isoformat(),
                        "text": update.text,
                        "published_in": update.published_in_id is not None,
                    }
                    for update in updates_of[action.pk]
                ],
                "status_changes": [
                    {
                        "changed_on": change.changed_on.isoformat(),
                        "from_status": change.from_status,
                        "to_status": change.to_status,
                        "reason": change.reason,
                    }
                    for change in changes
                    if starts_on <= change.changed_on <= ends_on
                ],
                "measures": [
                    {
                        "code": link.measure.code,
                        "name": link.measure.name,
                        "name_cy": link.measure.name_cy,
                        "unit": link.measure.unit,
                        "at_start": _pair(
                            trends.get(link.measure_id, {}).get(start_year, EMPTY_PAIR)
                        ),
                        "at_end": _pair(trends.get(link.measure_id, {}).get(end_year, EMPTY_PAIR)),
                    }
                    for link in links_of[action.pk]
                ],
            }
        )
    return {
        "version": CONTENTS_VERSION,
        "starts_on": starts_on.isoformat(),
        "ends_on": ends_on.isoformat(),
        "start_school_year": school_year_label(start_year),
        "end_school_year": school_year_label(end_year),
        "summary": [
            {"status": status, "at_start": at_start[status], "at_end": at_end[status]}
            for status in SUMMARY_STATUSES
            if at_start[status] or at_end[status]
        ],
        "actions": len(actions),
        "overdue_at_end": sum(
            action["overdue_at_end"] for plan_actions in by_plan.values() for action in plan_actions
        ),
        "plans": [
            {
                "code": plan.code,
                "title": plan.title,
                "published_as": plan.published_as,
                "source_url": plan.source_url,
                "actions": by_plan[plan.pk],
            }
            for plan in plans
        ],
    }


# Reading the contents, in the reader's language ---------------------------------------------------


def status_label(status: str) -> str:
    if status == NOT_YET_PUBLISHED:
        return _("Not yet published")
    if status == NOT_STATED:
        return _("Not stated in the published plan")
    return str(ActionStatus(status).label) if status in ActionStatus.values else status


def _figure_text(figure: dict[str, str], unit: str) -> str:
    value = Decimal(figure["value"]) if figure["value"] else None
    return figure_text(Value(value, figure["state"]), unit)


def readable(contents: dict[str, Any]) -> dict[str, Any]:
    """The contents with dates as dates and each status, figure and measure name in the active
    language, for the page, the PDF and the CSV (the stored contents are left as they are)."""
    welsh = (translation.get_language() or "en").startswith("cy")
    plans = []
    for plan in contents["plans"]:
        actions = []
        for action in plan["actions"]:
            measures = [
                {
                    **measure,
                    "display_name": (measure["name_cy"] if welsh else "") or measure["name"],
                    "at_start_text": _figure_text(
                        measure["at_start"]["with_needs"], measure["unit"]
                    ),
                    "at_end_text": _figure_text(measure["at_end"]["with_needs"], measure["unit"]),
                }
                for measure in action["measures"]
            ]
            actions.append(
                {
                    **action,
                    "status_at_start_label": status_label(action["status_at_start"]),
                    "status_at_end_label": status_label(action["status_at_end"]),
                    "updates": [
                        {**update, "written_on": date.fromisoformat(update["written_on"])}
                        for update in action["updates"]
                    ],
                    "status_changes": [
                        {
                            **change,
                            "changed_on": date.fromisoformat(change["changed_on"]),
                            "from_label": status_label(change["from_status"]),
                            "to_label": status_label(change["to_status"]),
                        }
                        for change in action["status_changes"]
                    ],
                    "measures": measures,
                }
            )
        plans.append({**plan, "actions": actions})
    return {
        **contents,
        "starts_on": date.fromisoformat(contents["starts_on"]),
        "ends_on": date.fromisoformat(contents["ends_on"]),
        "summary": [
            {**line, "label": status_label(line["status"])} for line in contents["summary"]
        ],
        "plans": plans,
    }
