"""Outcome records for the synthetic population: attendance per term, exclusions, part-time
timetables, time in mainstream classes, curriculum judgements and qualifications.

Rates and their sources are in calibration.py (RULES.md section 7 where published, otherwise
marked as modelling choices). Each authority has its own random stream ("...:outcomes"), so the
rest of the population is the same with or without these rows.

Which school years: the previous school year, and the current one up to the reference day
(attendance for its terms that have ended; exclusions and part-time timetables on its school days
so far, in proportion). Terms and school days come from the authority's loaded calendar for a year
when there is one, otherwise from the nation's default terms (calibration.DEFAULT_TERMS).
Qualifications go back two years (the S4 and S5 diets of today's S6). The population has no
leavers, so it has no leaver destinations. The impact of support (ADR 0036): a learner whose first
plan was agreed in one of the last two school years also has the attendance of the year before it;
some learners with an agreed plan have a wellbeing assessment before it and one this year since.
No row falls before the school year three years back, so the refresh measures four school years.

Each learner's time at schools is a list of stays (setting id, setting type, first day, last day or
None, as ordinals); a record belongs to the school the learner was at then, and a period the
learner was at no school in (they moved in partway) has no record.
"""

import functools
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate

from stagewise.learners.models import WellbeingIndicator, WellbeingLevel
from stagewise.measurement.codes import curriculum_for, level_rank
from stagewise.measurement.periods import school_year_bounds, school_year_of
from stagewise.organisations.models import SettingType
from stagewise.statutory.calendar import SchoolCalendar, academic_year_of
from stagewise.synthetic.calibration import (
    ATTENDANCE_DEPRIVATION_GRADIENT,
    CURRICULUM_EXPECTED_RATES,
    CURRICULUM_SHARED_DRAW,
    CURRICULUM_SUPPORT_NEEDS_GAP,
    DEFAULT_CLOSURES,
    DEFAULT_TERMS,
    EXCLUSION_DAYS,
    EXCLUSIONS_PER_1000,
    EXCLUSIONS_PER_EXCLUDED_LEARNER,
    HIGHER_AWARD_SHARE,
    LOOKED_AFTER_ABSENCE_FACTOR,
    LOWEST_ATTENDANCE,
    MAINSTREAM_SHARE_BANDS,
    PART_TIME_HOURS,
    PART_TIME_OPEN_SHARE,
    PART_TIME_REASONS,
    PART_TIME_SHARE_OF_SUPPORT_NEEDS,
    PART_TIME_WEEKS,
    PRE_PLAN_ABSENCE_FACTOR,
    QUALIFICATION_DIETS,
    REMOVED_FROM_REGISTER_SHARE,
    RESULTS_DAY,
    S3_FOURTH_LEVEL_SHARE,
    SCOTTISH_SUBJECTS,
    SECONDARY_EXCLUSION_RATIO,
    SESSIONS_A_DAY,
    TERM_ATTENDANCE_SPREAD,
    TIMETABLED_HOURS,
    UNCOUNTED_YEAR_GROUPS,
    WALES_EXPECTED_PROGRESS_RATE,
    WALES_JUDGED_AREAS,
    WALES_JUDGED_YEAR_GROUPS,
    WALES_SUPPORT_NEEDS_GAP,
    WELLBEING_ASSESSED_SHARE,
    WELLBEING_BEFORE_PLAN_DAYS,
    WELLBEING_LEVEL_WEIGHTS,
    WELSH_SUBJECTS,
    NationFigures,
)
from stagewise.synthetic.writers import Batch

# (setting id, setting type, first day, last day or None), days as ordinals.
Stay = tuple[int, str, int, int | None]
# A stay counts for a period if it covers it give or take this many days (terms and enrolment
# dates are a few days apart between calendars).
STAY_GRACE_DAYS = 14
# In the order of calibration.WELLBEING_LEVEL_WEIGHTS.
WELLBEING_LEVELS = [
    str(level)
    for level in (
        WellbeingLevel.STRENGTH,
        WellbeingLevel.NO_CONCERN,
        WellbeingLevel.SOME_CONCERN,
        WellbeingLevel.SIGNIFICANT_CONCERN,
    )
]
WELLBEING_INDICATORS = [str(indicator) for indicator in WellbeingIndicator]

OUTCOME_TABLES = (
    "attendance",
    "exclusions",
    "part_time",
    "mainstream_time",
    "judgements",
    "qualifications",
    "wellbeing_assessments",
    "wellbeing_ratings",
)


@dataclass
class OutcomeKeys:
    attendance: int
    exclusions: int
    part_time: int
    mainstream_time: int
    judgements: int
    qualifications: int
    wellbeing_assessments: int
    wellbeing_ratings: int

    @classmethod
    def starting(cls, first_ids: dict[str, int]) -> "OutcomeKeys":
        return cls(**{key: first_ids[key] for key in OUTCOME_TABLES})


@dataclass
class SchoolYearDays:
    """One school year of an authority as far as the reference day: its ended terms (first day,
    last day, school days), its school days so far, and the share of the year's school days they
    are."""

    year: int
    terms: list[tuple[int, int, int]]
    days: list[int]
    fraction: float
    last_day: int
    # The year's last school day, when the year has ended by the reference day (judgements then).
    ended_on: int | None
    # The term in progress on the reference day, as far as the school day before it (first day,
    # last day, school days), if it has had a week of school days.
    to_date: tuple[int, int, int] | None = None


@functools.cache
def default_calendar(nation_code: str, year: int) -> SchoolCalendar:
    def day(month_day: tuple[int, int]) -> date:
        month, day_of_month = month_day
        return date(year if month >= 8 else year + 1, month, day_of_month)

    return SchoolCalendar.build(
        place="default terms",
        terms=[(day(first), day(last)) for first, last in DEFAULT_TERMS[nation_code]],
        closures=[(day(first), day(last)) for first, last in DEFAULT_CLOSURES[nation_code]],
        loaded_years=[f"{year}-{(year + 1) % 100:02d}"],
    )


def school_year_days(
    nation_code: str, calendar: SchoolCalendar | None, year: int, as_of: date
) -> SchoolYearDays:
    """The terms and school days of `year` (the authority's calendar if loaded, else default)."""
    academic_year = f"{year}-{(year + 1) % 100:02d}"
    if calendar is None or academic_year not in calendar.loaded_years:
        return default_school_year_days(nation_code, year, as_of)
    return calendar_year_days(calendar, year, as_of)


@functools.cache
def default_school_year_days(nation_code: str, year: int, as_of: date) -> SchoolYearDays:
    """The same for every authority without its own calendar: worked out once (read only)."""
    return calendar_year_days(default_calendar(nation_code, year), year, as_of)


def calendar_year_days(calendar: SchoolCalendar, year: int, as_of: date) -> SchoolYearDays:
    academic_year = f"{year}-{(year + 1) % 100:02d}"
    terms = [
        (first, last) for first, last in calendar.terms if academic_year_of(first) == academic_year
    ]
    ended: list[tuple[int, int, int]] = []
    days: list[int] = []
    to_date = None
    total = 0
    for first, last in terms:
        term_days = [
            first + timedelta(days=offset)
            for offset in range((last - first).days + 1)
            if calendar.is_school_day(first + timedelta(days=offset))
        ]
        total += len(term_days)
        days.extend(day.toordinal() for day in term_days if day <= as_of)
        if last <= as_of and term_days:
            ended.append((first.toordinal(), last.toordinal(), len(term_days)))
        elif first < as_of:
            so_far = [day for day in term_days if day < as_of]
            if len(so_far) >= 5:
                to_date = (first.toordinal(), so_far[-1].toordinal(), len(so_far))
    last_day = terms[-1][1] if terms else date(year + 1, 7, 1)
    return SchoolYearDays(
        year=year,
        terms=ended,
        days=days,
        fraction=len(days) / total if total else 0.0,
        last_day=last_day.toordinal(),
        ended_on=last_day.toordinal() if last_day <= as_of else None,
        to_date=to_date,
    )


def stay_at(stays: Sequence[Stay], first: int, last: int) -> Stay | None:
    """The stay that covers the period from `first` to `last`, give or take the grace days."""
    for stay in stays:
        if stay[2] <= first + STAY_GRACE_DAYS and (
            stay[3] is None or stay[3] >= last - STAY_GRACE_DAYS
        ):
            return stay
    return None


def uuid4_hex(rng: random.Random) -> str:
    """A random (version 4) UUID as 32 hex digits, from the stream: the same every run."""
    bits = rng.getrandbits(128)
    bits = (bits & ~(0xF000 << 64)) | (0x4000 << 64)
    bits = (bits & ~(0xC000 << 48)) | (0x8000 << 48)
    return f"{bits:032x}"


def absence_norms(
    decile_weights: Sequence[float], need_factor: Sequence[float], support_needs_rate: float
) -> dict[bool, float]:
    """The mean deprivation factor of absence among learners with and without needs in an
    authority, so dividing by it keeps each group's mean attendance where it is calibrated.
    `need_factor[d]` is how much likelier than average a learner in decile d is to have needs."""

    def factor(decile: int) -> float:
        return 1 + ATTENDANCE_DEPRIVATION_GRADIENT * (5.5 - decile) / 4.5

    with_needs = [w * need_factor[d] for d, w in enumerate(decile_weights, 1)]
    without = [
        w * max(1 - support_needs_rate * need_factor[d], 0.01)
        for d, w in enumerate(decile_weights, 1)
    ]
    return {
        True: sum(w * factor(d) for d, w in enumerate(with_needs, 1)) / sum(with_needs),
        False: sum(w * factor(d) for d, w in enumerate(without, 1)) / sum(without),
    }


def band_share(bands: Sequence[tuple[float, float, float]], roll: float, within: float) -> float:
    """A share drawn from weighted bands (weight, lowest, highest): `roll` picks the band,
    `within` the point in it (both uniform in [0, 1))."""
    for weight, lowest, highest in bands:
        if roll < weight:
            return lowest + (highest - lowest) * within
        roll -= weight
    _weight, lowest, highest = bands[-1]
    return lowest + (highest - lowest) * within


class AuthorityOutcomes:
    """Makes one authority's outcome rows, learner by learner, into the caller's batch."""

    def __init__(
        self,
        *,
        figures: NationFigures,
        school_calendar: SchoolCalendar | None,
        rng: random.Random,
        keys: OutcomeKeys,
        as_of: date,
        school_year_start: date,
        created_at: str,
        absence_norm: dict[bool, float],
        attendance_to_date: bool = False,
    ) -> None:
        """`attendance_to_date`: also record the term in progress as far as the reference day
        (the demo, whose learners would otherwise have no attendance this year until a term
        ends); the population records ended terms only."""
        self.figures = figures
        self.nation = figures.code
        self.rng = rng
        self.keys = keys
        self.as_of = as_of
        self.created_at = created_at
        self.current_year = school_year_start.year
        self.year_groups = list(figures.year_group_weights)
        self.year_index = {year_group: index for index, year_group in enumerate(self.year_groups)}
        self.secondary = frozenset(figures.secondary_years)
        self.years = {
            year: school_year_days(self.nation, school_calendar, year, as_of)
            # Three years back: the attendance before a plan agreed two years ago.
            for year in range(self.current_year - 3, self.current_year + 1)
        }
        self.absence_norm = absence_norm
        self.attendance_to_date = attendance_to_date
        self.first_day = school_year_bounds(self.current_year - 3)[0]
        self.text = {
            day: date.fromordinal(day).isoformat() for y in self.years.values() for day in y.days
        }
        # Exclusion chance per learner per school year, by needs, phase and year (this year or
        # last): the published rates per 1,000, split so secondary pupils are excluded
        # SECONDARY_EXCLUSION_RATIO times as often as primary pupils, with the overall rate exact
        # for the mix of year groups on the roll that year (last year's roll is a year younger).
        weights = list(figures.year_group_weights.values())
        cases_per_learner = sum(n * w for n, w in EXCLUSIONS_PER_EXCLUDED_LEARNER.items())
        self.exclusion_chance: dict[tuple[bool, bool, int], float] = {}
        for years_back in (0, 1):
            counted = [
                (self.year_groups[index - years_back] in self.secondary, weight)
                for index, weight in enumerate(weights)
                if index >= years_back
                and self.year_groups[index - years_back] not in UNCOUNTED_YEAR_GROUPS
            ]
            secondary_share = sum(w for secondary, w in counted if secondary) / sum(
                w for _secondary, w in counted
            )
            spread = 1 + secondary_share * (SECONDARY_EXCLUSION_RATIO - 1)
            for needs, per_1000 in EXCLUSIONS_PER_1000.items():
                primary = per_1000 / 1000 / cases_per_learner / spread
                year = self.current_year - years_back
                self.exclusion_chance[needs, False, year] = primary
                self.exclusion_chance[needs, True, year] = primary * SECONDARY_EXCLUSION_RATIO
        self.cases = list(EXCLUSIONS_PER_EXCLUDED_LEARNER)
        self.cases_cumulative = list(accumulate(EXCLUSIONS_PER_EXCLUDED_LEARNER.values()))
        self.exclusion_days = list(EXCLUSION_DAYS)
        self.exclusion_days_cumulative = list(accumulate(EXCLUSION_DAYS.values()))
        self.reasons = list(PART_TIME_REASONS)
        self.reasons_cumulative = list(accumulate(PART_TIME_REASONS.values()))
        self.codes = curriculum_for(self.nation)
        self.level_codes = [code for code, _label in self.codes.levels]
        support_rate = figures.support_needs_rate
        if self.nation == "scotland":
            self.judged = dict(self.codes.judged_year_groups)
            self.areas = [code for code, _label in self.codes.areas]
            self.expected_rates = {}
            for year_group in self.judged:
                phase = "S3" if year_group == "S3" else "primary"
                gap = CURRICULUM_SUPPORT_NEEDS_GAP[phase]
                for area, rate in CURRICULUM_EXPECTED_RATES[phase].items():
                    self.expected_rates[year_group, area, True] = rate - gap * (1 - support_rate)
                    self.expected_rates[year_group, area, False] = min(
                        rate + gap * support_rate, 0.99
                    )
        else:
            self.judged = dict(WALES_JUDGED_YEAR_GROUPS)
            self.areas = list(WALES_JUDGED_AREAS)
            self.expected_rates = {}
            for year_group in self.judged:
                for area in self.areas:
                    rate = WALES_EXPECTED_PROGRESS_RATE
                    gap = WALES_SUPPORT_NEEDS_GAP
                    self.expected_rates[year_group, area, True] = rate - gap * (1 - support_rate)
                    self.expected_rates[year_group, area, False] = min(
                        rate + gap * support_rate, 0.99
                    )
        self.diets = {diet[0]: diet for diet in QUALIFICATION_DIETS[self.nation]}
        self.subjects = SCOTTISH_SUBJECTS if self.nation == "scotland" else WELSH_SUBJECTS
        self.results_day = RESULTS_DAY[self.nation]

    def day(self, ordinal: int) -> str:
        text = self.text.get(ordinal)
        if text is None:
            text = self.text[ordinal] = date.fromordinal(ordinal).isoformat()
        return text

    def learner(
        self,
        batch: Batch,
        *,
        learner_id: int,
        year_group: str,
        has_needs: bool,
        decile: int | None,
        looked_after: bool,
        absence: float,
        stays: Sequence[Stay],
        plan_agreed_on: date | None = None,
    ) -> None:
        """Add the learner's outcome rows. `absence` is their drawn absence rate (100 minus their
        attendance percentage); `decile` their deprivation decile (None: average);
        `plan_agreed_on` the day their first plan was agreed, if it has been (attendance the year
        before it, and wellbeing before and since: the impact of support)."""
        index = self.year_index.get(year_group)
        if index is None or not stays:
            return
        rng = self.rng
        random_ = rng.random
        factor = 1.0
        if decile is not None:
            factor = 1 + ATTENDANCE_DEPRIVATION_GRADIENT * (5.5 - decile) / 4.5
        if looked_after:
            factor *= LOOKED_AFTER_ABSENCE_FACTOR
        absence = absence * factor / self.absence_norm[has_needs]
        for year in (self.current_year - 1, self.current_year):
            position = index - (self.current_year - year)
            if position < 0:
                continue
            group = self.year_groups[position]
            if group in UNCOUNTED_YEAR_GROUPS:
                continue
            days = self.years[year]
            secondary = group in self.secondary
            self.attendance(batch, learner_id, days, stays, absence)
            chance = self.exclusion_chance[has_needs, secondary, year] * days.fraction
            if random_() < chance:
                self.exclusions(batch, learner_id, days, stays)
            hours = None
            if has_needs:
                phase = "secondary" if secondary else "primary"
                if random_() < PART_TIME_SHARE_OF_SUPPORT_NEEDS[phase] * days.fraction:
                    hours = self.part_time(batch, learner_id, days, stays)
                self.mainstream_time(batch, learner_id, days, stays, phase, hours)
            if group in self.judged and days.ended_on is not None:
                self.judgements(batch, learner_id, days, stays, group, has_needs)
        for year in (self.current_year - 2, self.current_year - 1):
            position = index - (self.current_year - year)
            if position >= 0 and self.year_groups[position] in self.diets:
                self.qualifications(
                    batch,
                    learner_id,
                    year,
                    stays,
                    self.diets[self.year_groups[position]],
                    has_needs,
                )
        if plan_agreed_on is not None:
            self.before_and_since_the_plan(batch, learner_id, index, absence, stays, plan_agreed_on)

    def before_and_since_the_plan(
        self,
        batch: Batch,
        learner_id: int,
        index: int,
        absence: float,
        stays: Sequence[Stay],
        agreed_on: date,
    ) -> None:
        """For a plan agreed in one of the last two school years, the attendance of the year
        before it (two or three years back: the last two are recorded anyway); for some
        learners, a wellbeing assessment before the plan and one this school year since."""
        before = school_year_of(agreed_on) - 1
        position = index - (self.current_year - before)
        if (
            self.current_year - 3 <= before <= self.current_year - 2
            and position >= 0
            and self.year_groups[position] not in UNCOUNTED_YEAR_GROUPS
        ):
            self.attendance(
                batch, learner_id, self.years[before], stays, absence * PRE_PLAN_ABSENCE_FACTOR
            )
        rng = self.rng
        if rng.random() >= WELLBEING_ASSESSED_SHARE:
            return
        assessed_on = agreed_on - timedelta(days=rng.randrange(WELLBEING_BEFORE_PLAN_DAYS))
        if assessed_on < self.first_day:
            # No row before the years the population records: each year with a row is a year
            # the refresh measures (ADR 0036).
            return
        self.wellbeing(batch, learner_id, assessed_on, "before")
        earliest = max(
            agreed_on + timedelta(days=30), school_year_bounds(self.current_year)[0]
        ).toordinal()
        latest = self.as_of.toordinal() - 1
        if earliest <= latest:
            since = date.fromordinal(earliest + rng.randrange(latest - earliest + 1))
            self.wellbeing(batch, learner_id, since, "since")

    def wellbeing(self, batch: Batch, learner_id: int, on: date, when: str) -> None:
        """A wellbeing assessment rating the eight SHANARRI indicators."""
        assessment_id = self.keys.wellbeing_assessments
        self.keys.wellbeing_assessments += 1
        batch["wellbeing_assessments"].append(
            (assessment_id, learner_id, on.isoformat(), None, "Stagewise", "")
        )
        levels = self.rng.choices(WELLBEING_LEVELS, WELLBEING_LEVEL_WEIGHTS[when], k=8)
        for indicator, level in zip(WELLBEING_INDICATORS, levels, strict=True):
            batch["wellbeing_ratings"].append(
                (self.keys.wellbeing_ratings, assessment_id, indicator, level, "")
            )
            self.keys.wellbeing_ratings += 1

    def record(self, setting_id: int, school_year: int) -> list:
        """The columns every outcome row starts with."""
        return [uuid4_hex(self.rng), setting_id, school_year, self.created_at]

    def attendance(
        self,
        batch: Batch,
        learner_id: int,
        days: SchoolYearDays,
        stays: Sequence[Stay],
        absence: float,
    ) -> None:
        random_ = self.rng.random
        spread = 2 * TERM_ATTENDANCE_SPREAD
        lowest_factor = 1 - TERM_ATTENDANCE_SPREAD
        highest = 100 - LOWEST_ATTENDANCE
        terms = days.terms
        if self.attendance_to_date and days.to_date is not None:
            terms = [*terms, days.to_date]
        for first, last, school_days in terms:
            stay = stay_at(stays, first, last)
            if stay is None:
                continue
            possible = SESSIONS_A_DAY * school_days
            term_absence = min(absence * (lowest_factor + spread * random_()), highest)
            attended = round(possible * (100 - term_absence) / 100)
            batch["attendance"].append(
                (
                    self.keys.attendance,
                    *self.record(stay[0], days.year),
                    learner_id,
                    self.day(first),
                    self.day(last),
                    possible,
                    attended,
                )
            )
            self.keys.attendance += 1

    def exclusions(
        self, batch: Batch, learner_id: int, days: SchoolYearDays, stays: Sequence[Stay]
    ) -> None:
        rng = self.rng
        if not days.days:
            return
        cases = rng.choices(self.cases, cum_weights=self.cases_cumulative)[0]
        for day in sorted(rng.sample(days.days, min(cases, len(days.days)))):
            stay = stay_at(stays, day, day)
            if stay is None:
                continue
            length = rng.choices(self.exclusion_days, cum_weights=self.exclusion_days_cumulative)[0]
            removed = 1 if rng.random() < REMOVED_FROM_REGISTER_SHARE else 0
            batch["exclusions"].append(
                (
                    self.keys.exclusions,
                    *self.record(stay[0], days.year),
                    learner_id,
                    self.day(day),
                    length,
                    removed,
                )
            )
            self.keys.exclusions += 1

    def part_time(
        self, batch: Batch, learner_id: int, days: SchoolYearDays, stays: Sequence[Stay]
    ) -> str | None:
        """A part-time timetable starting on a school day of the year; its hours a week."""
        rng = self.rng
        if not days.days:
            return None
        starts = rng.choice(days.days)
        stay = stay_at(stays, starts, starts)
        if stay is None:
            return None
        planned_end = min(starts + 7 * rng.choice(PART_TIME_WEEKS) - 3, days.last_day)
        ends: int | None = planned_end
        if planned_end > self.as_of.toordinal() and rng.random() < PART_TIME_OPEN_SHARE:
            ends = None  # still running, no end set
        hours = rng.choice(PART_TIME_HOURS)
        reason = rng.choices(self.reasons, cum_weights=self.reasons_cumulative)[0]
        batch["part_time"].append(
            (
                self.keys.part_time,
                *self.record(stay[0], days.year),
                learner_id,
                self.day(starts),
                None if ends is None else self.day(ends),
                hours,
                reason,
                "",
            )
        )
        self.keys.part_time += 1
        return hours

    def mainstream_time(
        self,
        batch: Batch,
        learner_id: int,
        days: SchoolYearDays,
        stays: Sequence[Stay],
        phase: str,
        part_time_hours: str | None,
    ) -> None:
        rng = self.rng
        on = days.days[0] if days.days else self.as_of.toordinal()
        stay = stay_at(stays, on, on)
        if stay is None:
            return
        timetabled = (
            float(part_time_hours)
            if part_time_hours is not None
            else TIMETABLED_HOURS[self.nation][phase]
        )
        kind = "special" if stay[1] == SettingType.SPECIAL else "mainstream"
        share = band_share(MAINSTREAM_SHARE_BANDS[kind], rng.random(), rng.random())
        mainstream = min(round(timetabled * share * 2) / 2, timetabled)
        batch["mainstream_time"].append(
            (
                self.keys.mainstream_time,
                *self.record(stay[0], days.year),
                learner_id,
                f"{timetabled:.1f}",
                f"{mainstream:.1f}",
            )
        )
        self.keys.mainstream_time += 1

    def judgements(
        self,
        batch: Batch,
        learner_id: int,
        days: SchoolYearDays,
        stays: Sequence[Stay],
        year_group: str,
        has_needs: bool,
    ) -> None:
        rng = self.rng
        random_ = rng.random
        stay = stay_at(stays, days.last_day, days.last_day)
        if stay is None:
            return
        expected = level_rank(self.codes, self.judged[year_group])
        shared = random_()
        for area in self.areas:
            draw = shared if random_() < CURRICULUM_SHARED_DRAW else random_()
            achieved = draw < self.expected_rates[year_group, area, has_needs]
            rank = expected if achieved else expected - 1
            if achieved and year_group == "S3" and random_() < S3_FOURTH_LEVEL_SHARE:
                rank += 1
            batch["judgements"].append(
                (
                    self.keys.judgements,
                    *self.record(stay[0], days.year),
                    learner_id,
                    year_group,
                    area,
                    self.level_codes[max(rank, 0)],
                    1 if achieved else 0,
                )
            )
            self.keys.judgements += 1

    def qualifications(
        self,
        batch: Batch,
        learner_id: int,
        year: int,
        stays: Sequence[Stay],
        diet: tuple[str, str, int, str, int, int],
        has_needs: bool,
    ) -> None:
        rng = self.rng
        month, day_of_month = self.results_day
        awarded = date(year + 1, month, day_of_month)
        if awarded > self.as_of:
            return
        sat = self.years[year].last_day if year in self.years else awarded.toordinal() - 40
        stay = stay_at(stays, sat, sat)
        if stay is None:
            return
        _group, higher, higher_level, lower, lower_level, subjects = diet
        count = subjects - 1 if has_needs else subjects
        chosen = [*self.subjects[:2], *rng.sample(self.subjects[2:], max(count - 2, 0))]
        awarded_text = self.day(awarded.toordinal())
        school_year = school_year_of(awarded)
        for subject in chosen[:count]:
            if rng.random() < HIGHER_AWARD_SHARE[has_needs]:
                title, level = f"{higher} {subject}", higher_level
            else:
                title, level = f"{lower} {subject}", lower_level
            batch["qualifications"].append(
                (
                    self.keys.qualifications,
                    *self.record(stay[0], school_year),
                    learner_id,
                    awarded_text,
                    title,
                    level,
                )
            )
            self.keys.qualifications += 1
