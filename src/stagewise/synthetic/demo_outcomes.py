"""Outcome records for the demo learners, made by the synthetic population's generator
(synthetic/outcomes.py) at the same rates, so the demo's dashboards and learner pages show
attendance, exclusions, part-time timetables, time in mainstream classes, curriculum judgements
and (for the S5 young person and others in S5 and S6 or Y12 and Y13) qualifications.

Each demo learner is taken to have been at their school since the start of its phase (the demo
enrols them there from that day, see `demo_enrolled_on`), so last year's records are at the school
their enrolment names. Attendance includes this year's term in progress up to today, so a P1 pupil
has attendance to show too. A learner without an attendance figure on their enrolment gets the one
their records are drawn around. Learners in early learning and further education have none (no
school terms are modelled for them). No demo learner has left school, so no leaver destinations.
"""

import random
from datetime import date
from decimal import Decimal

from stagewise.learners.models import Enrolment, Need
from stagewise.measurement.models import FundingAllocation, Measure
from stagewise.measurement.periods import school_year_of
from stagewise.organisations.models import LocalAuthority
from stagewise.synthetic.calibration import (
    ATTENDANCE_SHAPE,
    LOWEST_ATTENDANCE,
    NATIONS,
    NationFigures,
    school_year_start,
)
from stagewise.synthetic.outcomes import OUTCOME_TABLES, AuthorityOutcomes, OutcomeKeys
from stagewise.synthetic.writers import (
    TABLES_BY_KEY,
    next_ids,
    reset_sequences,
    writer_for_connection,
)


def demo_enrolled_on(figures: NationFigures, year_group: str, this_year_start: date) -> date:
    """The day a demo learner in `year_group` joined their school: the start of the phase's
    first year (P1 or S1, reception or Y7), this school year's start for other year groups."""
    for phase in (figures.primary_years, figures.secondary_years):
        if year_group in phase:
            years = phase.index(year_group)
            return this_year_start.replace(year=this_year_start.year - years)
    return this_year_start


def add_demo_outcomes(*, seed: int, today: date) -> int:
    """Write every demo learner's outcome records; the number of rows written."""
    rng = random.Random(f"{seed}:demo:outcomes")
    keys = OutcomeKeys.starting(next_ids())
    batch: dict[str, list[tuple]] = {key: [] for key in OUTCOME_TABLES}
    with_needs = set(
        Need.objects.filter(resolved_on__isnull=True).values_list("learner_id", flat=True)
    )
    generators: dict[int, AuthorityOutcomes] = {}
    enrolments = (
        Enrolment.objects.filter(ended_on__isnull=True)
        .select_related("learner", "setting__authority__nation")
        .order_by("learner_id", "pk")
    )
    for enrolment in enrolments:
        authority = enrolment.setting.authority
        figures = NATIONS[authority.nation.code]
        if enrolment.year_group not in figures.year_group_weights:
            continue
        generator = generators.get(authority.pk)
        if generator is None:
            generator = generators[authority.pk] = AuthorityOutcomes(
                figures=figures,
                # Default terms: the demo's dates follow today, past any loaded calendar.
                school_calendar=None,
                rng=rng,
                keys=keys,
                as_of=today,
                school_year_start=school_year_start(figures, today),
                created_at=f"{today.isoformat()} 08:00:00",
                absence_norm={True: 1.0, False: 1.0},
                attendance_to_date=True,
            )
        has_needs = enrolment.learner_id in with_needs
        if enrolment.attendance_percentage is None:
            mean = 100 - (
                figures.mean_attendance_with_needs
                if has_needs
                else figures.mean_attendance_without_needs
            )
            absence = min(
                rng.gammavariate(ATTENDANCE_SHAPE, mean / ATTENDANCE_SHAPE),
                100 - LOWEST_ATTENDANCE,
            )
            enrolment.attendance_percentage = Decimal(f"{100 - absence:.1f}")
            enrolment.save(update_fields=["attendance_percentage"])
        absence = float(100 - enrolment.attendance_percentage)
        learner = enrolment.learner
        generator.learner(
            batch,
            learner_id=learner.pk,
            year_group=enrolment.year_group,
            has_needs=has_needs,
            decile=learner.deprivation_decile,
            looked_after=learner.looked_after,
            absence=absence,
            stays=[
                (
                    enrolment.setting_id,
                    enrolment.setting.setting_type,
                    enrolment.started_on.toordinal(),
                    None,
                )
            ],
        )
    writer = writer_for_connection()
    writer.write(batch)
    writer.close()
    reset_sequences([TABLES_BY_KEY[key] for key in OUTCOME_TABLES])
    return sum(len(rows) for rows in batch.values())


def add_demo_funding(*, glasgow: LocalAuthority, today: date) -> None:
    """Glasgow's additional funding for last school year, beside the measures it was meant to
    change, for the officer's funding page (the amount and purpose are made up)."""
    allocation = FundingAllocation.objects.create(
        authority=glasgow,
        school_year=school_year_of(today) - 1,
        amount=Decimal("1250000.00"),
        source="Scottish Government additional support for learning funding (made up for the demo)",
        purpose=(
            "Pupil support assistants in every primary school, and nurture groups in six "
            "secondary schools to keep learners in class."
        ),
    )
    allocation.measures.set(
        Measure.objects.filter(code__in=["attendance_rate", "exclusions_per_thousand"])
    )
