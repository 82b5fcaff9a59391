"""Plans and statutory clocks for the synthetic population, at published or stated rates.

Rates (RULES.md section 7 for the published ones; the rest are modelling choices, said so):

Scotland, as shares of pupils with additional support needs: individualised educational
programmes 22% and child's plans 15% (the 2016 pattern), co-ordinated support plans 0.4% (1,215
nationally). Every co-ordinated support plan has a review clock (12 months); one signed off in the
last year has its closed preparation clock. Plans in preparation are 9% of the finalised ones
(about 350 new plans a year, each 16 weeks in preparation, against 1,215 in force), each with a
running preparation clock and, for half, a request for an agency's help (10 weeks). 3% of plans
have an early review requested (4 weeks); S5 and S6 pupils with a plan have the two leaving-school
clocks (12 and 6 months before the expected leaving date). Requests to establish needs are open
for 0.03% of pupils with needs (about 500 a year at 8 weeks each), and as many closed in the year.

Wales, for learners with additional learning needs: 97% have an individual development plan (the
new system covers every year group from 2025), 8% of those and every special-school learner's kept
by the local authority; each has a review clock (12 months) and, if made in the last year, its
closed decision clock. A new concern is open for 0.4% of learners without additional learning
needs (the school's decision, 35 school days) and 0.05% (the authority's decision, 12 weeks).

Each share above is the national one times the authority's practice factor for it, and for
individualised educational programmes and child's plans the school's too (calibration.py,
PRACTICE_SPREADS: authorities and schools differ, as the consistency report needs; ADR 0048).

Open clocks start at a uniformly spread point of their timescale, so due dates spread over the
timescale ahead; 8% have run past it (overdue by up to a third of it). Of the clocks closed in the
last year, 80% closed on or before the due date and 20% late. These are modelling choices, not
published figures. Due dates are computed by `due_or_problem` on the authority's loaded calendar,
exactly as the clock services would: a school-day rule with no calendar for the year has no date
and says which calendar is needed.
"""

import json
import random
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from stagewise.organisations.models import Nation, SettingType
from stagewise.planning.models import PlanStatus
from stagewise.statutory.calendar import ComputedDue, Direction, add_months, due_or_problem
from stagewise.statutory.models import (
    ProcessEventKind,
    ProcessOutcome,
    ProcessStatus,
    Responsible,
)
from stagewise.synthetic.departures import AuthorityDepartures
from stagewise.synthetic.plan import AuthorityPlan, NationPlan, TimescaleVersion
from stagewise.synthetic.writers import Batch

INDIVIDUALISED_EDUCATIONAL_PROGRAMME_SHARE = 0.22
CHILDS_PLAN_SHARE = 0.15
COORDINATED_SUPPORT_PLAN_SHARE = 0.004
PREPARING_PER_FINALISED_PLAN = 0.09
AGENCY_HELP_SHARE_OF_PREPARATIONS = 0.5
EARLY_REVIEW_SHARE = 0.03
ESTABLISH_NEEDS_SHARE = 0.0003
INDIVIDUAL_DEVELOPMENT_PLAN_SHARE = 0.97
AUTHORITY_KEPT_SHARE = 0.08
SCHOOL_DECISION_SHARE = 0.004
AUTHORITY_DECISION_SHARE = 0.0005
OVERDUE_SHARE = 0.08
CLOSED_LATE_SHARE = 0.2
LEAVING_AFTER_S5_SHARE = 0.3

PLAN_KEYS = {
    "iep": "individualised_educational_programme",
    "childs": "childs_plan",
    "csp": "coordinated_support_plan",
    "idp_school": "individual_development_plan_school",
    "idp_authority": "individual_development_plan_local_authority",
}
SYSTEM_LABEL = "Stagewise"


@dataclass
class ClockKeys:
    plans: int
    plan_versions: int
    processes: int
    process_events: int


@dataclass(frozen=True)
class AgencyHelp:
    """An agency-help clock started for a co-ordinated support plan in preparation: the
    requests module writes the request to that service that the clock times."""

    plan_id: int
    process_id: int
    agency_id: int
    asked_on: date
    due_on: date | None


@dataclass(frozen=True)
class Learner:
    """What the clocks need to know about one generated learner."""

    learner_id: int
    setting_id: int
    year_group: str
    special: bool
    # The learner as an agreed plan's document names them (planning/documents.LearnerDetails).
    details: dict[str, Any] = field(default_factory=dict)
    # Their school's practice: a factor on its authority's plan shares (calibration.py).
    school_practice: float = 1.0


def version_in_force(versions: list[TimescaleVersion], start: date) -> TimescaleVersion:
    """As statutory.selectors.timescale_in_force, on versions read once."""
    in_force = [v for v in versions if v.effective_from is None or v.effective_from <= start]
    return max(in_force or versions, key=lambda v: v.effective_from or date.min)


class AuthorityClocks:
    """Draws one authority's plans and clocks from its own random stream, so adding them never
    shifts the learners, needs and stages drawn before them."""

    def __init__(
        self,
        plan: NationPlan,
        authority: AuthorityPlan,
        rng: random.Random,
        keys: ClockKeys,
        as_of: date,
        school_year_start: date,
        plan_departures: AuthorityDepartures,
    ) -> None:
        self.plan = plan
        self.authority = authority
        self.rng = rng
        self.keys = keys
        self.as_of = as_of
        # The statutory test's suggestion each plan was opened with (synthetic/departures.py),
        # drawn from a stream of its own.
        self.plan_departures = plan_departures
        self.scotland = plan.figures.code == Nation.SCOTLAND
        self.year_end = school_year_start.year + 1
        self.created_at = f"{as_of.isoformat()} 08:00:00"
        # The last learner's agency-help clock, if one was started (see AgencyHelp).
        self.agency_help: AgencyHelp | None = None
        # When the last learner's first plan was agreed, if they have one (synthetic/outcomes.py
        # records attendance and wellbeing before it).
        self.first_agreed_on: date | None = None

    # --- helpers ---

    def spread(self, length_days: int) -> int:
        """Days a clock has been running: anywhere in its timescale, or overdue for some."""
        if self.rng.random() < OVERDUE_SHARE:
            return length_days + 1 + self.rng.randrange(max(length_days // 3, 14))
        return self.rng.randrange(length_days)

    def uuid(self) -> str:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4).hex

    def due(self, rule: TimescaleVersion, start: date, *, ceiling: bool = False) -> ComputedDue:
        return due_or_problem(
            start=start,
            unit=rule.ceiling_unit if ceiling else rule.unit,
            amount=(rule.ceiling_amount or 0) if ceiling else rule.amount,
            direction=rule.direction,
            school_calendar=self.authority.school_calendar,
            nation=rule.nation_name,
        )

    def add_plan(
        self,
        batch: Batch,
        learner: Learner,
        kind: str,
        *,
        status: str = PlanStatus.ACTIVE,
        starts_on: date | None = None,
        next_review_on: date | None = None,
    ) -> int:
        plan_id = self.keys.plans
        self.keys.plans += 1
        if status == PlanStatus.ACTIVE and starts_on is not None:
            self.agreed_version(batch, learner, plan_id, kind, starts_on, next_review_on)
        batch["plans"].append(
            (
                plan_id,
                self.uuid(),
                learner.learner_id,
                self.plan.plan_type_ids[PLAN_KEYS[kind]],
                self.authority.authority_id,
                str(status),
                1,
                0,
                starts_on.isoformat() if starts_on else None,
                next_review_on.isoformat() if next_review_on else None,
                0,
                "",
                "",
                self.created_at,
                "",
                # Opened by the learner's school, with the statutory test's suggestion kept.
                learner.setting_id,
                *self.plan_departures.plan_suggestion(PLAN_KEYS[kind]),
            )
        )
        return plan_id

    def agreed_version(
        self,
        batch: Batch,
        learner: Learner,
        plan_id: int,
        kind: str,
        agreed_on: date,
        next_review_on: date | None,
    ) -> None:
        """Version 1 of an active plan, signed off on the day it starts, by the first role its
        type allows: a document with the learner's details and no content (the synthetic
        population writes no sections, targets or views)."""
        name, name_cy, role = self.plan.plan_type_names[PLAN_KEYS[kind]]
        document = {
            "plan_type_key": PLAN_KEYS[kind],
            "type_name": name,
            "type_name_cy": name_cy,
            "local_name": "",
            "local_name_cy": "",
            "nation": self.plan.figures.code,
            "version_number": 1,
            "learner": learner.details,
            "carers": [],
            "sections": [],
            "targets": [],
            "views": [],
            "starts_on": agreed_on.isoformat(),
            "next_review_on": next_review_on.isoformat() if next_review_on else None,
            "multi_agency": False,
            "lead_professional": "",
            "sign_off": {"name": SYSTEM_LABEL, "role": role, "signed_on": agreed_on.isoformat()},
        }
        batch["plan_versions"].append(
            (
                self.keys.plan_versions,
                plan_id,
                1,
                # No backslashes (COPY's escape): names and codes hold none.
                json.dumps(document, ensure_ascii=False),
                None,
                SYSTEM_LABEL,
                role,
                f"{agreed_on.isoformat()} 09:00:00",
                None,
                "",
            )
        )
        self.keys.plan_versions += 1
        if self.first_agreed_on is None or agreed_on < self.first_agreed_on:
            self.first_agreed_on = agreed_on

    def add_clock(
        self,
        batch: Batch,
        learner: Learner,
        rule_key: str,
        started_on: date,
        *,
        plan_id: int | None = None,
        responsible: str | None = None,
        agency_id: int | None = None,
        closed_on: date | None = None,
        late: bool | None = None,
    ) -> ComputedDue:
        """A clock from `started_on`; closed on `closed_on` if given, or on a date drawn on time
        or late (`late`) against its due date. Returns its due date."""
        rule = version_in_force(self.plan.timescales[rule_key], started_on)
        computed = self.due(rule, started_on)
        ceiling = self.due(rule, started_on, ceiling=True).due_on if rule.ceiling_amount else None
        if closed_on is None and late is not None:
            if computed.due_on is None:
                # No calendar to judge it by: closed some weeks after it started.
                closed_on = started_on + timedelta(days=30 + self.rng.randrange(30))
            elif late:
                closed_on = computed.due_on + timedelta(days=1 + self.rng.randrange(45))
            else:
                closed_on = computed.due_on - timedelta(days=self.rng.randrange(21))
            closed_on = min(closed_on, self.as_of)
            if rule.direction == Direction.FORWARD:
                closed_on = max(closed_on, started_on)
        process_id = self.keys.processes
        self.keys.processes += 1
        due_text = computed.due_on.isoformat() if computed.due_on else None
        batch["processes"].append(
            (
                process_id,
                self.uuid(),
                learner.learner_id,
                rule.timescale_id,
                rule.key,
                self.authority.authority_id,
                learner.setting_id,
                agency_id,
                responsible or rule.responsible,
                plan_id,
                started_on.isoformat(),
                due_text,
                due_text,
                ceiling.isoformat() if ceiling else None,
                computed.problem,
                computed.academic_year_needed,
                str(ProcessStatus.CLOSED if closed_on else ProcessStatus.RUNNING),
                closed_on.isoformat() if closed_on else None,
                str(ProcessOutcome.DONE) if closed_on else "",
                "",
                self.created_at,
            )
        )
        self.event(batch, process_id, ProcessEventKind.STARTED, started_on, None, due_text)
        if closed_on:
            self.event(batch, process_id, ProcessEventKind.CLOSED, closed_on, due_text, due_text)
        return computed

    def event(
        self,
        batch: Batch,
        process_id: int,
        kind: str,
        on: date,
        due_before: str | None,
        due_after: str | None,
    ) -> None:
        batch["process_events"].append(
            (
                self.keys.process_events,
                process_id,
                str(kind),
                on.isoformat(),
                "",
                due_before,
                due_after,
                SYSTEM_LABEL,
                f"{min(on, self.as_of).isoformat()} 09:00:00",
            )
        )
        self.keys.process_events += 1

    def reviewed_plan(
        self,
        batch: Batch,
        learner: Learner,
        kind: str,
        review_rule: str,
        responsible: str,
        signed_on: date,
    ) -> tuple[int, date]:
        """A signed-off plan with its running review clock and the review before it, if any."""
        review_start = self.as_of - timedelta(days=self.spread(365))
        if review_start <= signed_on:
            review_start = signed_on
        review_due = add_months(review_start, 12)
        plan_id = self.add_plan(
            batch, learner, kind, starts_on=signed_on, next_review_on=review_due
        )
        if review_start > signed_on:
            # The last review was held on review_start; its clock closed then, on time or late.
            if self.rng.random() < CLOSED_LATE_SHARE:
                previous_due = review_start - timedelta(days=1 + self.rng.randrange(60))
            else:
                previous_due = review_start + timedelta(days=self.rng.randrange(30))
            previous_start = max(add_months(previous_due, -12), signed_on)
            if previous_start < review_start:
                self.add_clock(
                    batch,
                    learner,
                    review_rule,
                    previous_start,
                    plan_id=plan_id,
                    responsible=responsible,
                    closed_on=review_start,
                )
        self.add_clock(
            batch, learner, review_rule, review_start, plan_id=plan_id, responsible=responsible
        )
        return plan_id, signed_on

    # --- Scotland ---

    def scottish_learner(self, batch: Batch, learner: Learner, has_needs: bool) -> None:
        if not has_needs:
            return
        random_ = self.rng.random
        as_of = self.as_of
        practice = self.authority.practice
        school = learner.school_practice
        if random_() < INDIVIDUALISED_EDUCATIONAL_PROGRAMME_SHARE * school * practice.get(
            "individualised_educational_programme", 1.0
        ):
            self.add_plan(
                batch, learner, "iep", starts_on=as_of - timedelta(self.rng.randrange(700))
            )
        if random_() < CHILDS_PLAN_SHARE * school * practice.get("childs_plan", 1.0):
            self.add_plan(
                batch, learner, "childs", starts_on=as_of - timedelta(self.rng.randrange(700))
            )
        roll = random_()
        finalised = COORDINATED_SUPPORT_PLAN_SHARE * practice.get("coordinated_support_plan", 1.0)
        preparing = finalised * (1 + PREPARING_PER_FINALISED_PLAN)
        if roll < finalised:
            self.coordinated_support_plan(batch, learner)
        elif roll < preparing:
            self.plan_in_preparation(batch, learner)
        elif roll < preparing + ESTABLISH_NEEDS_SHARE:
            self.add_clock(
                batch,
                learner,
                "scotland.establish_needs_request",
                as_of - timedelta(self.spread(56)),
            )
        elif roll < preparing + 2 * ESTABLISH_NEEDS_SHARE:
            self.add_clock(
                batch,
                learner,
                "scotland.establish_needs_request",
                as_of - timedelta(60 + self.rng.randrange(300)),
                late=random_() < CLOSED_LATE_SHARE,
            )

    def coordinated_support_plan(self, batch: Batch, learner: Learner) -> None:
        random_ = self.rng.random
        self.coordinated_plan = True
        signed_on = self.as_of - timedelta(days=self.rng.randrange(4 * 365))
        plan_id, _signed = self.reviewed_plan(
            batch,
            learner,
            "csp",
            "scotland.coordinated_support_plan_review",
            Responsible.AUTHORITY,
            signed_on,
        )
        if signed_on >= self.as_of - timedelta(days=365):
            late = random_() < CLOSED_LATE_SHARE
            weeks_taken = 16 + 1 + self.rng.randrange(8) if late else 10 + self.rng.randrange(7)
            self.add_clock(
                batch,
                learner,
                "scotland.coordinated_support_plan_prepare",
                signed_on - timedelta(weeks=weeks_taken),
                plan_id=plan_id,
                closed_on=signed_on,
            )
        if random_() < EARLY_REVIEW_SHARE:
            self.add_clock(
                batch,
                learner,
                "scotland.early_review_request",
                self.as_of - timedelta(days=self.spread(28)),
                plan_id=plan_id,
            )
        if learner.year_group in ("S5", "S6"):
            leaves_in = self.year_end
            if learner.year_group == "S5" and random_() >= LEAVING_AFTER_S5_SHARE:
                leaves_in += 1
            leaving = date(leaves_in, 6, 30)
            for rule_key in ("scotland.leaving_seek_views", "scotland.leaving_share_information"):
                rule = version_in_force(self.plan.timescales[rule_key], leaving)
                due = self.due(rule, leaving).due_on
                done = due is not None and due < self.as_of and random_() < 0.85
                self.add_clock(
                    batch,
                    learner,
                    rule_key,
                    leaving,
                    plan_id=plan_id,
                    late=(random_() < CLOSED_LATE_SHARE) if done else None,
                )

    def plan_in_preparation(self, batch: Batch, learner: Learner) -> None:
        started = self.as_of - timedelta(days=self.spread(16 * 7))
        plan_id = self.add_plan(batch, learner, "csp", status=PlanStatus.DRAFT)
        self.add_clock(
            batch,
            learner,
            "scotland.coordinated_support_plan_prepare",
            started,
            plan_id=plan_id,
        )
        agencies = self.authority.agency_ids
        if agencies and self.rng.random() < AGENCY_HELP_SHARE_OF_PREPARATIONS:
            asked = min(started + timedelta(days=self.rng.randrange(14)), self.as_of)
            agency_id = self.rng.choice(agencies)
            computed = self.add_clock(
                batch,
                learner,
                "scotland.agency_help",
                asked,
                plan_id=plan_id,
                agency_id=agency_id,
            )
            self.agency_help = AgencyHelp(
                plan_id, self.keys.processes - 1, agency_id, asked, computed.due_on
            )

    # --- Wales ---

    def welsh_learner(self, batch: Batch, learner: Learner, has_needs: bool) -> None:
        random_ = self.rng.random
        as_of = self.as_of
        if not has_needs:
            roll = random_()
            if roll < SCHOOL_DECISION_SHARE:
                self.add_clock(
                    batch,
                    learner,
                    "wales.individual_development_plan_school_decision",
                    as_of - timedelta(days=self.spread(49)),
                )
            elif roll < 2 * SCHOOL_DECISION_SHARE:
                # Decided in the last year that no plan was needed.
                self.add_clock(
                    batch,
                    learner,
                    "wales.individual_development_plan_school_decision",
                    as_of - timedelta(days=60 + self.rng.randrange(300)),
                    late=random_() < CLOSED_LATE_SHARE,
                )
            elif roll < 2 * SCHOOL_DECISION_SHARE + AUTHORITY_DECISION_SHARE:
                self.add_clock(
                    batch,
                    learner,
                    "wales.individual_development_plan_authority_decision",
                    as_of - timedelta(days=self.spread(84)),
                )
            return
        if random_() >= INDIVIDUAL_DEVELOPMENT_PLAN_SHARE:
            return
        kept_by_authority = learner.special or random_() < (
            AUTHORITY_KEPT_SHARE * self.authority.practice.get("authority_kept", 1.0)
        )
        signed_on = as_of - timedelta(days=self.rng.randrange(3 * 365))
        plan_id, _signed = self.reviewed_plan(
            batch,
            learner,
            "idp_authority" if kept_by_authority else "idp_school",
            "wales.individual_development_plan_review",
            Responsible.AUTHORITY if kept_by_authority else Responsible.SETTING,
            signed_on,
        )
        if signed_on >= as_of - timedelta(days=365):
            if kept_by_authority:
                rule_key = "wales.individual_development_plan_authority_decision"
                taken = 50 + self.rng.randrange(50)
            else:
                rule_key = "wales.individual_development_plan_school_decision"
                taken = 35 + self.rng.randrange(40)
            self.add_clock(
                batch,
                learner,
                rule_key,
                signed_on - timedelta(days=taken),
                plan_id=plan_id,
                closed_on=signed_on,
            )

    def learner(
        self,
        batch: Batch,
        *,
        learner_id: int,
        setting_id: int,
        setting_type: str,
        year_group: str,
        has_needs: bool,
        details: dict[str, Any] | None = None,
        school_practice: float = 1.0,
    ) -> None:
        """`details`: the learner as a plan's document names them (LearnerDetails, as JSON)."""
        learner = Learner(
            learner_id,
            setting_id,
            year_group,
            setting_type == SettingType.SPECIAL,
            details or {},
            school_practice,
        )
        self.agency_help = None
        self.first_agreed_on = None
        # Whether the learner was given a finalised co-ordinated support plan (ADR 0049).
        self.coordinated_plan = False
        if self.scotland:
            self.scottish_learner(batch, learner, has_needs)
        else:
            self.welsh_learner(batch, learner, has_needs)
