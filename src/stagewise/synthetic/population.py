"""The synthetic national population: learners, families, enrolments, needs, stage decisions.

`population_rows` is pure: for a plan (see plan.py), a seed, a reference day and the first free
keys it yields the same rows every time, in batches of whole families, without touching the
database. Every authority has its own random stream, so authorities do not shift each other.
"""

import json
import math
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate

from stagewise.organisations.models import LanguageMedium, Nation, SettingType
from stagewise.statutory.models import NationalStage
from stagewise.synthetic import names
from stagewise.synthetic.calibration import (
    ATTENDANCE_SHAPE,
    DISABILITY_REASONS,
    FACTOR_GROUPS_BY_REASON,
    FAMILY_SIZE_WEIGHTS,
    HIGHEST_SPECIALIST_SHARE,
    HIGHEST_STAGE_DECISION_SHARE,
    LOWEST_ATTENDANCE,
    TWO_CARER_SHARE,
    NationFigures,
    school_year_start,
)
from stagewise.synthetic.clocks import AuthorityClocks, ClockKeys
from stagewise.synthetic.considerations import AuthorityConsiderations
from stagewise.synthetic.departures import AuthorityDepartures
from stagewise.synthetic.outcomes import (
    OUTCOME_TABLES,
    AuthorityOutcomes,
    OutcomeKeys,
    Stay,
    absence_norms,
)
from stagewise.synthetic.plan import AuthorityPlan, NationPlan, School, agencies_rows, settings_rows
from stagewise.synthetic.requests import AuthorityRequests, RequestKeys, StaffKeys, staff_rows
from stagewise.synthetic.writers import Batch

# Share of families whose home language is neither English nor Welsh, nationally; and the share of
# their children who are still learning English (a reason for support in Scotland).
INTERNATIONAL_FAMILY_SHARE = {"scotland": 0.095, "wales": 0.05}
LEARNING_ENGLISH_SHARE = 0.85
UPN_CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


@dataclass
class Keys:
    """The next primary key of each table; the generator hands them out in order."""

    learners: int
    carers: int
    enrolments: int
    learner_carers: int
    needs: int
    stage_decisions: int
    considerations: int
    clocks: ClockKeys
    requests: RequestKeys
    outcomes: OutcomeKeys


@dataclass
class Pool:
    """Schools of one kind in an authority, with cumulative weights for fast weighted choice."""

    schools: list[School]
    cumulative: list[float]

    @classmethod
    def of(cls, schools: list[School]) -> "Pool":
        return cls(schools, list(accumulate(school.weight for school in schools)))

    def choose(self, rng: random.Random) -> School:
        return rng.choices(self.schools, cum_weights=self.cumulative)[0]


def decile_weights(tilt: float) -> list[float]:
    """Deprivation deciles 1 (most deprived) to 10, tilted towards 1 by a positive tilt."""
    return [math.exp(tilt * (5.5 - decile) / 4.5) for decile in range(1, 11)]


# Learners in the most deprived decile are this much more likely to have needs than average, those
# in the least deprived correspondingly less (RULES.md: ASN more common in deprived deciles).
DEPRIVATION_GRADIENT = 0.35


def decile_need_factor(decile: int) -> float:
    return 1 + DEPRIVATION_GRADIENT * (5.5 - decile) / 4.5


def upn_check_letter(digits: str) -> str:
    """The Unique Pupil Number's check letter: weighted digits modulo 23 (DfE UPN rules)."""
    total = sum(int(digit) * weight for digit, weight in zip(digits, range(2, 14), strict=True))
    return UPN_CHECK_LETTERS[total % 23]


def reason_scaling(shares: dict[str, float]) -> float:
    """The factor c for independent reason draws with at-least-one fallback.

    Each reason is drawn with probability c * share; a learner who draws none gets one reason chosen
    in proportion to the shares. Then every reason's overall share is share * (c + P(none) / S),
    where S is the sum of shares; c is solved so that factor is 1 and the shares come out exact.
    """
    total = sum(shares.values())
    if total <= 1:
        raise ValueError("Reason shares must add up to more than 1: every learner has one.")

    def excess(c: float) -> float:
        none = math.prod(1 - c * share for share in shares.values())
        return c + none / total - 1

    low, high = 0.0, 1.0
    for _step in range(60):
        middle = (low + high) / 2
        if excess(middle) > 0:
            high = middle
        else:
            low = middle
    return (low + high) / 2


class DayText:
    """ISO strings for days by ordinal, made once: the generator formats millions of dates."""

    def __init__(self, first: date, last: date) -> None:
        self.base = first.toordinal()
        self.text = [
            (first + timedelta(days=offset)).isoformat()
            for offset in range((last - first).days + 1)
        ]

    def __call__(self, ordinal: int) -> str:
        return self.text[ordinal - self.base]


@dataclass
class NationContext:
    """Everything about a nation the per-learner loop needs, computed once."""

    figures: NationFigures
    as_of: date
    year_groups: list[str]
    year_weights: list[float]
    primary_years: frozenset[str]
    # Per year group: first possible date of birth (ordinal) and first day of its first school year.
    birth_window: dict[str, int]
    year_index: dict[str, int]
    school_year_start: date
    days: DayText
    reason_codes: list[str]
    reason_probabilities: list[float]
    reason_cumulative: list[float]
    reason_ids: dict[str, int]
    factor_groups_json: dict[str, str]
    created_at: str
    first_names: dict[str, list[str]]
    surnames: list[str]


def nation_context(plan: NationPlan, as_of: date) -> NationContext:
    figures = plan.figures
    year_groups = list(figures.year_group_weights)
    start = school_year_start(figures, as_of)
    cutoff_month, cutoff_day = figures.year_group_birthday_cutoff
    youngest_born = start.year - figures.youngest_year_group_age - 1
    birth_window = {
        year_group: date(youngest_born - index, cutoff_month, cutoff_day).toordinal()
        for index, year_group in enumerate(year_groups)
    }
    # Learning English is drawn with the family (Scotland); the rest are drawn per learner.
    drawn = {code: share for code, share in figures.reason_shares.items() if code != "41"}
    scaling = reason_scaling(drawn)
    wales = figures.code == Nation.WALES
    return NationContext(
        figures=figures,
        as_of=as_of,
        year_groups=year_groups,
        year_weights=list(figures.year_group_weights.values()),
        primary_years=frozenset(figures.primary_years),
        birth_window=birth_window,
        year_index={year_group: index for index, year_group in enumerate(year_groups)},
        school_year_start=start,
        days=DayText(date(youngest_born - len(year_groups) - 2, 1, 1), as_of + timedelta(days=800)),
        reason_codes=list(drawn),
        reason_probabilities=[scaling * share for share in drawn.values()],
        reason_cumulative=list(accumulate(drawn.values())),
        reason_ids=plan.reason_ids,
        factor_groups_json={
            code: "[]" if wales else json.dumps(list(FACTOR_GROUPS_BY_REASON.get(code, ())))
            for code in plan.reason_ids
        },
        created_at=f"{as_of.isoformat()} 08:00:00",
        first_names={
            "female": names.WELSH_GIRLS if wales else names.SCOTTISH_GIRLS,
            "male": names.WELSH_BOYS if wales else names.SCOTTISH_BOYS,
        },
        surnames=names.WELSH_SURNAMES if wales else names.SCOTTISH_SURNAMES,
    )


@dataclass
class AuthorityDraw:
    """Per-authority probabilities, so that the authority's rate and the boys' share come out right
    after the learners whose needs are certain (special school, looked after in Scotland, learning
    English in Scotland)."""

    special_share: float
    international_share: float
    support_needs_by_sex: dict[str, float]
    decile_cumulative: list[float]
    decile_factor: list[float]


def authority_draw(context: NationContext, authority: AuthorityPlan) -> AuthorityDraw:
    figures = context.figures
    scotland = figures.code == Nation.SCOTLAND
    rate = authority.support_needs_rate
    has_special = any(s.setting_type == SettingType.SPECIAL for s in authority.schools)
    special = figures.special_school_share if has_special else 0.0
    # More international families where the authority's rate is higher, so learning English stays
    # about the same share of needs everywhere (a modelling convenience, not a published figure).
    international = INTERNATIONAL_FAMILY_SHARE[figures.code] * rate / figures.support_needs_rate
    certain = special
    if scotland:
        looked_after = figures.looked_after_share
        learning_english = international * LEARNING_ENGLISH_SHARE
        certain += (1 - special) * (1 - (1 - looked_after) * (1 - learning_english))
    certain_boys_share = (
        0.68 * special + figures.boys_share_of_pupils * (certain - special)
    ) / max(certain, 1e-9)
    drawn_rate = max(0.005, (rate - certain) / (1 - certain))
    drawn_boys_share = (
        figures.boys_share_of_support_needs * rate - certain_boys_share * certain
    ) / (max(rate - certain, 1e-9))
    drawn_boys_share = min(max(drawn_boys_share, 0.3), 0.85)
    boys = figures.boys_share_of_pupils
    weights = decile_weights(authority.figures.deprivation_tilt)
    mean_factor = sum(w * decile_need_factor(d) for d, w in enumerate(weights, 1)) / sum(weights)
    return AuthorityDraw(
        special_share=special,
        international_share=international,
        support_needs_by_sex={
            "male": drawn_rate * drawn_boys_share / boys,
            "female": drawn_rate * (1 - drawn_boys_share) / (1 - boys),
        },
        decile_cumulative=list(accumulate(weights)),
        decile_factor=[0.0, *(decile_need_factor(d) / mean_factor for d in range(1, 11))],
    )


FAMILY_SIZES = list(FAMILY_SIZE_WEIGHTS)
FAMILY_SIZE_CUMULATIVE = list(accumulate(FAMILY_SIZE_WEIGHTS.values()))
DECILES = list(range(1, 11))
SCOTTISH_DECIDERS = (
    "Support for learning team",
    "Joint support team",
    "Pupil support team",
    "Child planning meeting",
)
WELSH_DECIDERS = ("ALNCo", "ALN panel", "Local authority ALN team")
SCOTTISH_IDENTIFIERS = (
    "Class teacher",
    "Support for learning teacher",
    "Pupil support leader",
    "Educational psychologist",
    "Health visitor",
    "Speech and language therapist",
)
WELSH_IDENTIFIERS = (
    "Class teacher",
    "ALNCo",
    "Educational psychologist",
    "Speech and language therapist",
    "Health visitor",
)


def population_rows(
    plans: list[NationPlan],
    *,
    seed: int,
    as_of: date,
    first_ids: dict[str, int],
    batch_size: int = 20_000,
    used_candidate_numbers: set[str] | None = None,
) -> Iterator[tuple[Batch, int]]:
    """Yield (batch of rows by table key, learners in it): settings first, then whole families.

    The same arguments give the same rows, keys and public ids every time.
    """
    used = set(used_candidate_numbers or ())
    setting_id = first_ids["settings"]
    agency_id = first_ids["agencies"]
    staff_keys = StaffKeys(
        pathways=first_ids["pathways"],
        users=first_ids["users"],
        memberships=first_ids["memberships"],
    )
    for plan in plans:
        settings = settings_rows(plan, seed=seed, first_id=setting_id)
        setting_id += len(settings)
        agencies = agencies_rows(plan, first_id=agency_id)
        agency_id += len(agencies)
        staff = staff_rows(plan, seed=seed, keys=staff_keys, as_of=as_of)
        yield {"settings": settings, "agencies": agencies, **staff}, 0
    keys = Keys(
        learners=first_ids["learners"],
        carers=first_ids["carers"],
        enrolments=first_ids["enrolments"],
        learner_carers=first_ids["learner_carers"],
        needs=first_ids["needs"],
        stage_decisions=first_ids["stage_decisions"],
        considerations=first_ids["considerations"],
        clocks=ClockKeys(
            plans=first_ids["plans"],
            plan_versions=first_ids["plan_versions"],
            processes=first_ids["processes"],
            process_events=first_ids["process_events"],
        ),
        requests=RequestKeys(
            requests=first_ids["requests"],
            consents=first_ids["consents"],
            request_events=first_ids["request_events"],
        ),
        outcomes=OutcomeKeys.starting(first_ids),
    )
    for plan in plans:
        context = nation_context(plan, as_of)
        for authority in plan.authorities:
            rng = random.Random(f"{seed}:{plan.figures.code}:{authority.code}:learners")
            clocks = AuthorityClocks(
                plan,
                authority,
                random.Random(f"{seed}:{plan.figures.code}:{authority.code}:clocks"),
                keys.clocks,
                as_of,
                context.school_year_start,
                AuthorityDepartures(
                    authority,
                    random.Random(f"{seed}:{plan.figures.code}:{authority.code}:plan_departures"),
                ),
            )
            requests = AuthorityRequests(
                plan,
                authority,
                random.Random(f"{seed}:{plan.figures.code}:{authority.code}:requests"),
                keys.requests,
                as_of,
            )
            outcomes = AuthorityOutcomes(
                figures=plan.figures,
                school_calendar=authority.school_calendar,
                rng=random.Random(f"{seed}:{plan.figures.code}:{authority.code}:outcomes"),
                keys=keys.outcomes,
                as_of=as_of,
                school_year_start=context.school_year_start,
                created_at=context.created_at,
                absence_norm=absence_norms(
                    decile_weights(authority.figures.deprivation_tilt),
                    authority_draw(context, authority).decile_factor,
                    authority.support_needs_rate,
                ),
            )
            departures = AuthorityDepartures(
                authority, random.Random(f"{seed}:{plan.figures.code}:{authority.code}:departures")
            )
            considerations = AuthorityConsiderations(
                authority,
                random.Random(f"{seed}:{plan.figures.code}:{authority.code}:considerations"),
                keys.considerations,
                as_of,
            )
            yield from authority_rows(
                context,
                authority,
                rng,
                keys,
                used,
                batch_size,
                clocks,
                requests,
                outcomes,
                departures,
                considerations,
            )
            keys.considerations = considerations.next_id


def new_batch() -> Batch:
    return {
        "learners": [],
        "learner_audit_keys": [],
        "carers": [],
        "enrolments": [],
        "learner_carers": [],
        "needs": [],
        "stage_decisions": [],
        "considerations": [],
        "plans": [],
        "plan_versions": [],
        "processes": [],
        "process_events": [],
        "requests": [],
        "consents": [],
        "request_events": [],
        **{key: [] for key in OUTCOME_TABLES},
    }


def authority_rows(
    context: NationContext,
    authority: AuthorityPlan,
    rng: random.Random,
    keys: Keys,
    used: set[str],
    batch_size: int,
    clocks: AuthorityClocks,
    requests: AuthorityRequests,
    outcomes: AuthorityOutcomes,
    departures: AuthorityDepartures,
    considerations: AuthorityConsiderations,
) -> Iterator[tuple[Batch, int]]:
    figures = context.figures
    scotland = figures.code == Nation.SCOTLAND
    wales = not scotland
    draw = authority_draw(context, authority)
    random_ = rng.random
    choices = rng.choices
    choice = rng.choice
    randrange = rng.randrange
    days = context.days
    as_of_ordinal = context.as_of.toordinal()
    year_start = context.school_year_start
    start_month, start_day = figures.school_year_starts

    primaries = [s for s in authority.schools if s.setting_type == SettingType.PRIMARY]
    secondaries = [s for s in authority.schools if s.setting_type == SettingType.SECONDARY]
    all_through = [s for s in authority.schools if s.setting_type == SettingType.ALL_THROUGH]
    specials = [s for s in authority.schools if s.setting_type == SettingType.SPECIAL]
    first_phase = Pool.of(primaries + all_through)
    second_phase = Pool.of(secondaries + all_through)
    special_pool = Pool.of(specials) if specials else None
    targeted = [stage for stage, national in authority.stages if national == NationalStage.TARGETED]
    specialist = [
        stage for stage, national in authority.stages if national == NationalStage.SPECIALIST
    ]
    # Earlier stages of each kind are used more than later ones.
    targeted_cumulative = list(accumulate(2.0 / (n + 1) for n in range(len(targeted))))
    specialist_cumulative = list(accumulate(2.0 / (n + 1) for n in range(len(specialist))))
    reason_codes = context.reason_codes
    reason_probabilities = context.reason_probabilities
    reason_pairs = list(zip(reason_codes, reason_probabilities, strict=True))
    reason_ids = context.reason_ids
    factor_groups = context.factor_groups_json
    year_groups = context.year_groups
    year_cumulative = list(accumulate(context.year_weights))
    birth_window = context.birth_window
    year_index = context.year_index
    primary_years = context.primary_years
    first_secondary_index = year_index[figures.secondary_years[0]]
    first_names = context.first_names
    surnames = context.surnames
    deciders = WELSH_DECIDERS if wales else SCOTTISH_DECIDERS
    identifiers = WELSH_IDENTIFIERS if wales else SCOTTISH_IDENTIFIERS
    created_at = context.created_at
    support_by_sex = draw.support_needs_by_sex
    decile_factor = draw.decile_factor
    decile_cumulative = draw.decile_cumulative
    boys_share = figures.boys_share_of_pupils
    attendance_mean = {
        True: 100 - figures.mean_attendance_with_needs,
        False: 100 - figures.mean_attendance_without_needs,
    }
    looked_after_share = figures.looked_after_share
    # The authority's practice (calibration.PRACTICE_SPREADS), times each school's own.
    stage_decision_share = min(
        HIGHEST_STAGE_DECISION_SHARE,
        figures.stage_decision_share * authority.practice.get("stage_decision", 1.0),
    )
    specialist_share = figures.specialist_share_of_decisions * authority.practice.get(
        "specialist", 1.0
    )
    young_carer_reason = "45"
    mother_names, father_names = names.MOTHERS, names.FATHERS

    def school_year_first_day(year: int) -> int:
        return date(year, start_month, start_day).toordinal()

    batch = new_batch()
    batch_learners = 0
    remaining = authority.learners
    while remaining > 0:
        # --- the family ---
        looked_after = random_() < looked_after_share
        size = 1 if looked_after else choices(FAMILY_SIZES, cum_weights=FAMILY_SIZE_CUMULATIVE)[0]
        size = min(size, remaining)
        remaining -= size
        decile = choices(DECILES, cum_weights=decile_cumulative)[0]
        if looked_after:
            decile = max(1, decile - 2)
        international = random_() < draw.international_share
        home_primary = first_phase.choose(rng)
        home_secondary = (
            home_primary
            if home_primary.setting_type == SettingType.ALL_THROUGH
            else second_phase.choose(rng)
        )
        if international:
            language, girls, boys, family_surnames = choice(names.INTERNATIONAL_FAMILIES)
            family_first_names = {"female": girls.split(), "male": boys.split()}
            surname = choice(family_surnames.split())
            home_language = language
        else:
            family_first_names = first_names
            surname = choice(surnames)
            home_language = "English"
            if (home_primary.language_medium == LanguageMedium.WELSH and random_() < 0.45) or (
                wales and random_() < 0.04
            ):
                home_language = "Welsh"
            elif home_primary.language_medium == LanguageMedium.GAELIC and random_() < 0.3:
                home_language = "Gaelic"
        # (full name, relationship, parental responsibility, lives with the learner, language)
        family: list[tuple[str, str, int, int, str]] = []
        if looked_after:
            kind = "foster_carer" if random_() < 0.6 else "kinship_carer"
            family.append((f"{choice(mother_names)} {choice(surnames)}", kind, 0, 1, "English"))
            if random_() < 0.5:
                family.append((f"{choice(mother_names)} {surname}", "mother", 1, 0, home_language))
        elif random_() < TWO_CARER_SHARE:
            step = random_() < 0.05
            family.append((f"{choice(mother_names)} {surname}", "mother", 1, 1, home_language))
            family.append(
                (
                    f"{choice(father_names)} {choice(surnames) if step else surname}",
                    "step_parent" if step else "father",
                    0 if step else 1,
                    1,
                    home_language,
                )
            )
        else:
            roll = random_()
            relationship = "mother" if roll < 0.80 else "father" if roll < 0.92 else "grandparent"
            adult_names = father_names if relationship == "father" else mother_names
            family.append((f"{choice(adult_names)} {surname}", relationship, 1, 1, home_language))
        carers: list[tuple[int, str, int, int, int]] = []  # id, relationship, PR, lives, portal
        for full_name, relationship, responsibility, lives, language in family:
            batch["carers"].append((keys.carers, full_name, "", "", "", language))
            portal = 1 if responsibility and lives else 0
            carers.append((keys.carers, relationship, responsibility, lives, portal))
            keys.carers += 1
        # Who can consent for the children: those with parental responsibility, else the carer.
        consenters = [
            (carer[0], member[0]) for carer, member in zip(carers, family, strict=True) if member[2]
        ] or [(carers[0][0], family[0][0])]

        # --- the children ---
        for _child in range(size):
            learner_id = keys.learners
            keys.learners += 1
            special = special_pool is not None and random_() < draw.special_share
            year_group = choices(year_groups, cum_weights=year_cumulative)[0]
            index = year_index[year_group]
            if special:
                sex = "male" if random_() < 0.68 else "female"
            else:
                sex = "male" if random_() < boys_share else "female"
            learning_english = international and random_() < LEARNING_ENGLISH_SHARE
            if special or (scotland and (looked_after or learning_english)):
                has_needs = True
            else:
                has_needs = random_() < support_by_sex[sex] * decile_factor[decile]

            # Identity.
            born = birth_window[year_group] + randrange(365)
            if scotland:
                candidate_number = str(randrange(100_000_000, 1_000_000_000))
                while candidate_number in used:
                    candidate_number = str(randrange(100_000_000, 1_000_000_000))
            else:
                # Welsh UPN: check letter, then the school first attended (authority and
                # school number), the year the number was allocated and a serial.
                stem = f"{home_primary.reference_number}{(year_start.year - index) % 100:02d}"
                candidate_number = ""
                while not candidate_number or candidate_number in used:
                    digits = f"{stem}{randrange(1000):03d}"
                    candidate_number = upn_check_letter(digits) + digits
            used.add(candidate_number)
            first_name = choice(family_first_names[sex])
            preferred_name = choice(family_first_names[sex]) if random_() < 0.04 else ""
            preferred_language = home_language
            if home_language not in ("English", "Welsh") and random_() < 0.6:
                preferred_language = "English"
            young_carer = 0

            # Needs.
            codes: list[str] = []
            if has_needs:
                codes = [code for code, p in reason_pairs if random_() < p]
                if learning_english and scotland:
                    codes.append("41")
                if looked_after and scotland:
                    codes.append("42")
                if not codes:
                    codes.append(choices(reason_codes, cum_weights=context.reason_cumulative)[0])
                if young_carer_reason in codes:
                    young_carer = 1
            if not young_carer and random_() < 0.01:
                young_carer = 1

            batch["learners"].append(
                (
                    learner_id,
                    uuid.UUID(int=rng.getrandbits(128), version=4).hex,
                    first_name,
                    surname,
                    preferred_name,
                    days(born),
                    sex,
                    candidate_number,
                    home_language,
                    preferred_language,
                    1 if looked_after else 0,
                    decile,
                    young_carer,
                    "",
                    created_at,
                )
            )
            # Random, not from the seeded generator: a pseudonym must not be reproducible.
            batch["learner_audit_keys"].append((learner_id, uuid.uuid4().hex))

            # Enrolments: the current one, and the primary before it for secondary pupils.
            deficit = min(
                rng.gammavariate(ATTENDANCE_SHAPE, attendance_mean[has_needs] / ATTENDANCE_SHAPE),
                100 - LOWEST_ATTENDANCE,
            )
            attendance = f"{100 - deficit:.1f}"
            stays: list[Stay] = []
            if special:
                school = special_pool.choose(rng)  # type: ignore[union-attr]
                started = school_year_first_day(year_start.year - randrange(min(index, 5) + 1))
            elif year_group in primary_years:
                school = home_primary
                started = school_year_first_day(year_start.year - index)
            else:
                school = home_secondary
                years_in_phase = index - first_secondary_index
                if school.setting_type == SettingType.ALL_THROUGH:
                    years_in_phase = index
                started = school_year_first_day(year_start.year - years_in_phase)
                if school.setting_type != SettingType.ALL_THROUGH:
                    primary_started = school_year_first_day(year_start.year - index)
                    stays.append(
                        (
                            home_primary.setting_id,
                            home_primary.setting_type,
                            primary_started,
                            started - 50,
                        )
                    )
                    batch["enrolments"].append(
                        (
                            keys.enrolments,
                            learner_id,
                            home_primary.setting_id,
                            figures.primary_years[-1],
                            days(primary_started),
                            days(started - 50),
                            None,
                        )
                    )
                    keys.enrolments += 1
            if random_() < 0.12 and as_of_ordinal - started > 60:
                # Moved into this school partway through.
                started = started + randrange(as_of_ordinal - started - 30)
            stays.append((school.setting_id, school.setting_type, started, None))
            batch["enrolments"].append(
                (
                    keys.enrolments,
                    learner_id,
                    school.setting_id,
                    year_group,
                    days(started),
                    None,
                    attendance,
                )
            )
            keys.enrolments += 1

            for carer_id, relationship, responsibility, lives, portal in carers:
                batch["learner_carers"].append(
                    (
                        keys.learner_carers,
                        learner_id,
                        carer_id,
                        relationship,
                        responsibility,
                        lives,
                        portal,
                    )
                )
                keys.learner_carers += 1

            clocks.learner(
                batch,
                learner_id=learner_id,
                setting_id=school.setting_id,
                setting_type=school.setting_type,
                year_group=year_group,
                has_needs=bool(codes),
                school_practice=school.practice,
                # Only learners with needs have plans, whose documents name them.
                details={
                    "name": f"{preferred_name or first_name} {surname}",
                    "date_of_birth": days(born),
                    "candidate_number": candidate_number,
                    "home_language": home_language,
                    "preferred_language": preferred_language,
                    "setting_name": "",
                    "year_group": year_group,
                    "authority_name": authority.name,
                }
                if codes
                else None,
            )
            if looked_after and scotland:
                considerations.learner(
                    batch, learner_id=learner_id, with_plan=clocks.coordinated_plan
                )
            requests.learner(
                batch,
                learner_id=learner_id,
                setting_id=school.setting_id,
                year_group=year_group,
                has_needs=bool(codes),
                carers=consenters,
                agency_help=clocks.agency_help,
            )
            outcomes.learner(
                batch,
                learner_id=learner_id,
                year_group=year_group,
                has_needs=bool(codes),
                decile=decile,
                looked_after=looked_after,
                absence=deficit,
                stays=stays,
                plan_agreed_on=clocks.first_agreed_on,
            )
            if not codes:
                batch_learners += 1
                continue

            # Needs rows: identified since the learner was about three.
            earliest = born + 3 * 365
            span = max(as_of_ordinal - earliest - 14, 30)
            for position, code in enumerate(codes):
                identified = as_of_ordinal - 14 - randrange(span)
                resolved = None
                if position and random_() < 0.06 and as_of_ordinal - identified > 90:
                    resolved = days(identified + 60 + randrange(as_of_ordinal - identified - 60))
                disability = ""
                if code in DISABILITY_REASONS:
                    roll = random_()
                    disability = "assessed" if roll < 0.3 else "declared" if roll < 0.45 else ""
                batch["needs"].append(
                    (
                        keys.needs,
                        learner_id,
                        reason_ids[code],
                        factor_groups[code],
                        days(identified),
                        choice(identifiers),
                        "",
                        "",
                        disability,
                        resolved,
                    )
                )
                keys.needs += 1

            # Stage decisions: most learners with needs are above universal, the latest current.
            if special or random_() < stage_decision_share * school.practice:
                is_specialist = special or random_() < min(
                    HIGHEST_SPECIALIST_SHARE, specialist_share * school.practice
                )
                if is_specialist and specialist:
                    stage = choices(specialist, cum_weights=specialist_cumulative)[0]
                    label = "specialist"
                else:
                    stage = choices(targeted, cum_weights=targeted_cumulative)[0]
                    label = "targeted"
                decided = as_of_ordinal - 7 - randrange(700)
                if random_() < 0.3:
                    earlier = decided - 120 - randrange(480)
                    earlier_stage = choices(targeted, cum_weights=targeted_cumulative)[0]
                    batch["stage_decisions"].append(
                        (
                            keys.stage_decisions,
                            learner_id,
                            earlier_stage,
                            days(earlier),
                            choice(deciders),
                            "Synthetic record: needs met with targeted support.",
                            days(earlier + 365),
                            *departures.suggestion(earlier_stage),
                        )
                    )
                    keys.stage_decisions += 1
                review = decided + (365 if label == "specialist" or random_() < 0.5 else 182)
                batch["stage_decisions"].append(
                    (
                        keys.stage_decisions,
                        learner_id,
                        stage,
                        days(decided),
                        choice(deciders),
                        f"Synthetic record: needs met with {label} support.",
                        days(review),
                        *departures.suggestion(stage),
                    )
                )
                keys.stage_decisions += 1
            batch_learners += 1

        if batch_learners >= batch_size:
            yield batch, batch_learners
            batch = new_batch()
            batch_learners = 0
    if batch_learners:
        yield batch, batch_learners
