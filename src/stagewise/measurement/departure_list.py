"""The list of an authority's departures from decision support's suggestion in a school year, for
its officer (issue 16 item 4): each stage decision and each plan opened that departed, with the
learner, their school, the decision, the suggestion, the kind of reason and the reason in the
professional's own words. The words never leave the authority: the consistency report counts
the kinds; only the officer reads the words, here.

The door: the authority officer (the reader the consistency report shows their own schools to),
and only the learners they see (learners/access.visible_learners); anyone else is told the page
does not exist (404). Each list is paged by keyset (ADR 0031), newest first, in a fixed number of
queries whatever the rows shown."""

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import CharField, OuterRef, QuerySet, Subquery
from django.http import Http404

from stagewise.keyset import KeysetOrder, KeysetPage, keyset_page
from stagewise.learners.access import visible_learners
from stagewise.learners.models import Enrolment, StageDecision
from stagewise.measurement.consistency import consistency_access
from stagewise.measurement.periods import school_year_bounds
from stagewise.organisations.models import LocalAuthority
from stagewise.planning.models import Plan, PlanType

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor

DEPARTURES_PAGE_SIZE = 25
STAGE_DECISION_ORDER = KeysetOrder(keys=("decided_on", "pk"), descending=True)
PLAN_ORDER = KeysetOrder(keys=("created_at", "pk"), descending=True)
# The key a plan's suggestion has when the statutory test suggests no statutory plan.
NO_STATUTORY_PLAN = "none"


def departure_list_authority(actor: "Actor | None") -> LocalAuthority:
    """The authority whose departures the actor reads: the officer's own; 404 for anyone else,
    the national analyst included (the reasons' words never leave the authority)."""
    access = consistency_access(actor)
    if access.suppressed or access.scope.authority is None:
        raise Http404
    return access.scope.authority


@dataclass(frozen=True)
class DepartureList:
    authority: LocalAuthority
    school_year: int
    stage_decisions: KeysetPage
    plans: KeysetPage


def _school_now() -> Subquery:
    """The learner's current school's name (the list names where the learner is now)."""
    current = (
        Enrolment.objects.current()
        .filter(learner=OuterRef("learner_id"))
        .order_by("-started_on", "-pk")
        .values("setting__name")[:1]
    )
    return Subquery(current, output_field=CharField())


def _stage_decisions(actor: "Actor", start: date, end: date) -> QuerySet[StageDecision]:
    return (
        StageDecision.objects.filter(
            departs_from_suggestion=True,
            decided_on__gte=start,
            decided_on__lte=end,
            learner__in=visible_learners(actor),
        )
        .select_related("learner", "stage", "suggested_stage")
        .annotate(school_name=_school_now())
    )


def _plans(actor: "Actor", start: date, end: date) -> QuerySet[Plan]:
    return (
        Plan.objects.filter(
            departs_from_suggestion=True,
            created_at__date__gte=start,
            created_at__date__lte=end,
            learner__in=visible_learners(actor),
        )
        .select_related("learner", "plan_type")
        .annotate(school_name=_school_now())
    )


def departure_list(
    *,
    actor: "Actor",
    school_year: int,
    stage_cursor: str | None = None,
    plan_cursor: str | None = None,
) -> DepartureList:
    """A page of each list. Four queries whatever the rows: the authority, each page, and the
    names of the plan types suggested."""
    authority = departure_list_authority(actor)
    start, end = school_year_bounds(school_year)
    stage_decisions = keyset_page(
        _stage_decisions(actor, start, end),
        order=STAGE_DECISION_ORDER,
        cursor=stage_cursor,
        per_page=DEPARTURES_PAGE_SIZE,
        salt="consistency:departures:stage",
    )
    plans = keyset_page(
        _plans(actor, start, end),
        order=PLAN_ORDER,
        cursor=plan_cursor,
        per_page=DEPARTURES_PAGE_SIZE,
        salt="consistency:departures:plans",
    )
    suggested = {plan.suggested_plan_type for plan in plans.object_list} - {NO_STATUTORY_PLAN}
    names = (
        {
            plan_type.key: plan_type.display_name
            for plan_type in PlanType.objects.filter(
                key__in=suggested, nation_id=authority.nation_id
            )
        }
        if suggested
        else {}
    )
    for plan in plans.object_list:
        plan.suggested_plan_name = names.get(plan.suggested_plan_type, "")
    return DepartureList(authority, school_year, stage_decisions, plans)
