"""Census returns: the additional support needs items of the Scottish pupil census and the ALN
items of the Welsh PLASC, per school and per authority, validated before they are offered.

One row per learner enrolled in scope on the census day with additional support needs (a need
open that day, or a plan the return reports in force that day):

- Scotland: the Scottish candidate number, the school's SEED code, each reason for support and,
  for each, its types of support. A plan in force supports every reason open that day (a plan is
  not linked to one need): a co-ordinated support plan gives 1, an IEP 2, a child's plan 6; a need
  assessed or declared as disabled adds 3 or 4; a reason no plan supports is 5, other need type.
- Wales: the unique pupil number, the school's number, each need type, and who keeps the
  individual development plan (the school or the local authority).

The mapping is data (census_codes.json); this module applies it. Learners are reached through
learners/access.visible_learners, so the return holds only learners the actor sees today: a
learner enrolled on a past census day who has since left is not in it (ADR 0025).

Validation lists every learner with a missing or inconsistent item, what to put right, and where.
The CSV is offered only when there is nothing to put right.
"""

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from stagewise.learners.access import visible_learners
from stagewise.learners.models import Enrolment, Need
from stagewise.measurement.census_checks import CensusRow, LearnerCheck, Problem, school_problems
from stagewise.measurement.census_codes import CENSUS_CODES, NationCensusCodes
from stagewise.organisations.models import LocalAuthority, Setting
from stagewise.planning.models import Plan, PlanStatus
from stagewise.policy import Capability, may

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor

# Every plan type a return of either nation reports, so a plan of the other nation's type on a
# learner is seen (and reported as a problem) rather than silently left out.
COUNTED_PLAN_TYPES = frozenset(
    key for codes in CENSUS_CODES.values() for key in codes.counted_plan_types
)


@dataclass(frozen=True)
class CensusScope:
    """A school's return (its leaders', or one school of an officer's authority) or an
    authority's (every school in it)."""

    authority: LocalAuthority
    setting: Setting | None
    # The schools an officer may narrow the authority's return to; none for a school's leaders.
    schools: tuple[Setting, ...] = ()

    @property
    def nation_code(self) -> str:
        return self.authority.nation.code

    @property
    def codes(self) -> NationCensusCodes:
        return CENSUS_CODES[self.nation_code]

    @property
    def name(self) -> str:
        return str(self.setting or self.authority)

    @property
    def key(self) -> str:
        return f"school:{self.setting.pk}" if self.setting else f"authority:{self.authority.code}"

    def narrowed_to(self, school_id: int | None) -> "CensusScope":
        """An authority's return narrowed to one of its schools (None: the whole authority)."""
        chosen = next((school for school in self.schools if school.pk == school_id), None)
        return replace(self, setting=chosen) if chosen is not None else self


def census_scope(actor: "Actor | None") -> CensusScope:
    """The return the actor makes: their school's, or their authority's (which they may narrow
    to one of its schools). 404 for anyone whose role makes none: the return names pupils."""
    membership = actor.membership if actor else None
    if membership is None or not may(actor, Capability.EXPORT_CENSUS_RETURNS):
        raise Http404
    if membership.setting_id is not None:
        setting = Setting.objects.select_related("authority__nation").get(pk=membership.setting_id)
        return CensusScope(authority=setting.authority, setting=setting)
    if membership.authority_id is None:
        raise Http404
    authority = LocalAuthority.objects.select_related("nation").get(pk=membership.authority_id)
    schools = tuple(Setting.objects.filter(authority=authority).order_by("name"))
    for school in schools:
        school.authority = authority
    return CensusScope(authority=authority, setting=None, schools=schools)


def default_census_day(scope: CensusScope, today: date) -> date:
    return scope.codes.census_day.in_school_year_of(today)


@dataclass(frozen=True)
class SchoolSummary:
    setting: Setting
    learners: int
    problems: int


@dataclass
class CensusReturn:
    scope: CensusScope
    census_day: date
    rows: list[CensusRow]
    problems: list[Problem]

    @property
    def codes(self) -> NationCensusCodes:
        return self.scope.codes

    @property
    def ready(self) -> bool:
        """Offered for download only with nothing to put right."""
        return not self.problems

    def school_summaries(self) -> list[SchoolSummary]:
        """For an authority's return: each school's learners and problems."""
        learners: dict[int, int] = defaultdict(int)
        problems: dict[str, int] = defaultdict(int)
        for row in self.rows:
            learners[row.setting.pk] += 1
        for problem in self.problems:
            problems[problem.school] += 1
        return [
            SchoolSummary(school, learners[school.pk], problems[str(school)])
            for school in self.scope.schools
            if learners[school.pk] or problems[str(school)]
        ]


def _on(day: date, start: str, end: str) -> Q:
    return Q(**{f"{start}__lte": day}) & (Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": day}))


def census_return_get(*, actor: "Actor", scope: CensusScope, census_day: date) -> CensusReturn:
    """The return and its problems, in a fixed number of queries whatever the learners."""
    on_day = _on(census_day, "started_on", "ended_on")
    in_scope = Enrolment.objects.filter(on_day)
    in_scope = (
        in_scope.filter(setting=scope.setting)
        if scope.setting is not None
        else in_scope.filter(setting__authority=scope.authority)
    )
    learners = visible_learners(actor).filter(pk__in=in_scope.values("learner_id"))
    enrolments = list(
        Enrolment.objects.filter(on_day, learner__in=learners)
        .select_related("learner", "setting__authority__nation")
        .order_by("setting__name", "learner__legal_last_name", "learner__legal_first_name", "pk")
    )
    needs: dict[int, list[Need]] = defaultdict(list)
    for need in (
        Need.objects.filter(learner__in=learners, identified_on__lte=census_day)
        .filter(Q(resolved_on__isnull=True) | Q(resolved_on__gt=census_day))
        .select_related("reason__nation")
        .order_by("identified_on", "pk")
    ):
        needs[need.learner_id].append(need)
    plans: dict[int, list[Plan]] = defaultdict(list)
    for plan in (
        Plan.objects.filter(learner__in=learners, plan_type__key__in=COUNTED_PLAN_TYPES)
        .exclude(status=PlanStatus.DRAFT)
        .filter(Q(starts_on__isnull=True) | Q(starts_on__lte=census_day))
        .filter(Q(closed_on__gt=census_day) | (Q(closed_on__isnull=True) & ~Q(status="closed")))
        .select_related("plan_type__nation")
        .order_by("pk")
    ):
        plans[plan.learner_id].append(plan)

    schools_of: dict[int, list[Setting]] = defaultdict(list)
    for enrolment in enrolments:
        if enrolment.setting not in schools_of[enrolment.learner_id]:
            schools_of[enrolment.learner_id].append(enrolment.setting)
    in_scope_ids = {scope.setting.pk} if scope.setting else {s.pk for s in scope.schools}
    rows: list[CensusRow] = []
    problems: list[Problem] = []
    seen: set[int] = set()
    for enrolment in enrolments:
        learner = enrolment.learner
        if enrolment.setting_id not in in_scope_ids or learner.pk in seen:
            continue
        seen.add(learner.pk)
        if not needs[learner.pk] and not plans[learner.pk]:
            continue
        check = LearnerCheck(
            scope.codes, enrolment, needs[learner.pk], plans[learner.pk], schools_of[learner.pk]
        )
        rows.append(check.row())
        problems.extend(check.problems)
    problems = school_problems(scope.codes, rows) + problems
    return CensusReturn(scope=scope, census_day=census_day, rows=rows, problems=problems)


def census_csv_rows(census_return: CensusReturn) -> tuple[list[str], list[list[str]]]:
    """The return as CSV: one line per learner and reason (need type), in the codes' terms."""
    codes = census_return.codes
    types = codes.types_of_support
    if codes.is_scottish:
        header = [
            codes.identifier_name,
            codes.school_reference_name,
            _("Reason for support"),
            *[
                _("Type of support %(code)s (%(label)s)")
                % {"code": code.code, "label": code.display_label}
                for code in codes.types_of_support
            ],
        ]
        lines = [
            [
                row.identifier,
                row.setting.reference_number,
                reason.code,
                *["Y" if code in reason.types_of_support else "" for code in types],
            ]
            for row in census_return.rows
            for reason in row.reasons
        ]
    else:
        header = [
            codes.identifier_name,
            codes.school_reference_name,
            _("Need type"),
            _("Rank"),
            _("Individual development plan kept by"),
        ]
        lines = [
            [
                row.identifier,
                row.setting.reference_number,
                reason.code,
                str(rank),
                row.plan_keeper.code if row.plan_keeper else "",
            ]
            for row in census_return.rows
            for rank, reason in enumerate(row.reasons, start=1)
        ]
    return header, lines
