"""What to generate: each nation's authorities, their sizes, rates, stage models and schools.

`population_plan` reads the reference data the generator needs from the database (authorities,
reason codes, stage models); `settings_rows` then makes each authority's synthetic schools.
"""

import hashlib
import math
import random
from dataclasses import dataclass, field
from datetime import date

from stagewise.organisations.models import LanguageMedium, LocalAuthority, Nation, SettingType
from stagewise.planning.models import PlanType
from stagewise.statutory.calendar import SchoolCalendar
from stagewise.statutory.models import ReasonForSupport, StatutoryTimescale
from stagewise.statutory.selectors import school_calendar_for, stage_list
from stagewise.synthetic.calibration import (
    NATIONS,
    PRACTICE_SPREADS,
    SCHOOL_PRACTICE_SPREAD,
    AuthorityFigures,
    NationFigures,
)
from stagewise.synthetic.writers import Row

SYNTHETIC_SETTING_PREFIX = "Synthetic "
# Every authority gets at least this many learners, so a tiny scale still covers them all.
MINIMUM_LEARNERS_PER_AUTHORITY = 5


@dataclass
class School:
    setting_id: int
    setting_type: str
    language_medium: str
    reference_number: str
    weight: float
    # The school's own practice: a factor on its authority's stage and plan shares
    # (calibration.SCHOOL_PRACTICE_SPREAD).
    practice: float = 1.0


@dataclass
class AuthorityPlan:
    authority_id: int
    code: str
    name: str
    name_cy: str
    index: int
    figures: AuthorityFigures
    learners: int
    support_needs_rate: float
    # (local stage id, national stage) in the authority's model, in order.
    stages: list[tuple[int, str]]
    schools: list[School] = field(default_factory=list)
    # The authority's calendar as loaded, to count school days for its clocks.
    school_calendar: SchoolCalendar | None = None
    # Filled by agencies_rows: the synthetic agencies an authority can ask for help.
    agency_ids: list[int] = field(default_factory=list)
    # Factors on the national stage and plan shares, by practice (authority_practices).
    practice: dict[str, float] = field(default_factory=dict)
    # Filled by agencies_rows: the authority's service of each type (agency id by type).
    services: dict[str, int] = field(default_factory=dict)
    # Filled by requests.staff_rows: each service's practitioners (user id, full name).
    practitioners: dict[int, list[tuple[int, str]]] = field(default_factory=dict)


@dataclass(frozen=True)
class TimescaleVersion:
    """One version of a statutory rule, as the clocks need it."""

    timescale_id: int
    key: str
    effective_from: date | None
    unit: str
    amount: int
    direction: str
    ceiling_amount: int | None
    ceiling_unit: str
    responsible: str
    nation_name: str


@dataclass
class NationPlan:
    figures: NationFigures
    nation_id: int
    scale: float
    reason_ids: dict[str, int]
    authorities: list[AuthorityPlan]
    # Statutory rules by key (every version) and plan types by key, read once.
    timescales: dict[str, list[TimescaleVersion]] = field(default_factory=dict)
    plan_type_ids: dict[str, int] = field(default_factory=dict)
    # (name, Welsh name, the first role that may sign it off) by plan type key.
    plan_type_names: dict[str, tuple[str, str, str]] = field(default_factory=dict)

    @property
    def learners(self) -> int:
        return sum(authority.learners for authority in self.authorities)


def authority_support_needs_rates(figures: NationFigures) -> dict[str, float]:
    """Authority rates spread across the published range, averaging the national rate.

    Authorities are ranked by a fixed hash of their name (not the seed, so the spread is stable),
    and rate = low + (high - low) * rank ** power, with the power solved so that the pupil-weighted
    mean is the national rate.
    """
    ordered = sorted(
        figures.authorities, key=lambda name: hashlib.sha256(name.encode()).hexdigest()
    )
    last = max(len(ordered) - 1, 1)
    rank = {name: position / last for position, name in enumerate(ordered)}
    total = sum(a.pupils for a in figures.authorities.values())
    low, high = figures.authority_rate_low, figures.authority_rate_high

    def weighted_mean(power: float) -> float:
        return (
            sum(
                a.pupils * (low + (high - low) * rank[name] ** power)
                for name, a in figures.authorities.items()
            )
            / total
        )

    lowest_power, highest_power = 0.01, 50.0
    for _step in range(100):  # weighted_mean falls as the power rises: bisect on it
        power = (lowest_power + highest_power) / 2
        if weighted_mean(power) > figures.support_needs_rate:
            lowest_power = power
        else:
            highest_power = power
    return {name: low + (high - low) * rank[name] ** power for name in figures.authorities}


def authority_practices(figures: NationFigures) -> dict[str, dict[str, float]]:
    """Each authority's factor per practice (calibration.PRACTICE_SPREADS): ranked by a fixed
    hash of its name and the practice, so the spread is stable whatever the seed."""
    last = max(len(figures.authorities) - 1, 1)
    practices: dict[str, dict[str, float]] = {name: {} for name in figures.authorities}
    for practice, spread in PRACTICE_SPREADS.items():
        ordered = sorted(
            figures.authorities,
            key=lambda name: hashlib.sha256(f"{practice}:{name}".encode()).hexdigest(),
        )
        for position, name in enumerate(ordered):
            practices[name][practice] = math.exp(spread * (2 * position / last - 1))
    return practices


def population_plan(*, nation_codes: list[str], scale: float) -> list[NationPlan]:
    """What to generate for each nation, read from the reference data in the database."""
    if scale <= 0:
        raise ValueError("The scale must be above 0 (1.0 is national size).")
    plans = []
    for code in nation_codes:
        figures = NATIONS[code]
        nation = Nation.objects.get(code=code)
        reason_ids = dict(ReasonForSupport.objects.filter(nation=nation).values_list("code", "id"))
        unknown = (set(figures.reason_shares) | ({"42"} if code == "scotland" else set())) - set(
            reason_ids
        )
        if unknown:
            raise RuntimeError(
                f"The reason-for-support codes {sorted(unknown)} are not in the database: run "
                "`stagewise migrate` first."
            )
        rates = authority_support_needs_rates(figures)
        practices = authority_practices(figures)
        census_total = sum(a.pupils for a in figures.authorities.values())
        authorities = []
        for index, authority in enumerate(
            LocalAuthority.objects.filter(nation=nation).order_by("name")
        ):
            if authority.name not in figures.authorities:
                raise RuntimeError(
                    f"{authority.name} has no calibration figures: add it to "
                    "stagewise/synthetic/calibration.py."
                )
            authority_figures = figures.authorities[authority.name]
            learners = round(figures.pupils * scale * authority_figures.pupils / census_total)
            authorities.append(
                AuthorityPlan(
                    authority_id=authority.pk,
                    code=authority.code,
                    name=authority.name,
                    name_cy=authority.name_cy,
                    index=index,
                    figures=authority_figures,
                    learners=max(MINIMUM_LEARNERS_PER_AUTHORITY, learners),
                    support_needs_rate=rates[authority.name],
                    practice=practices[authority.name],
                    stages=[(stage.pk, stage.national_stage) for stage in stage_list(authority)],
                    school_calendar=school_calendar_for(authority),
                )
            )
        timescales: dict[str, list[TimescaleVersion]] = {}
        for rule in StatutoryTimescale.objects.filter(nation=nation).order_by("key", "pk"):
            timescales.setdefault(rule.key, []).append(
                TimescaleVersion(
                    timescale_id=rule.pk,
                    key=rule.key,
                    effective_from=rule.effective_from,
                    unit=rule.unit,
                    amount=rule.amount,
                    direction=rule.direction,
                    ceiling_amount=rule.ceiling_amount,
                    ceiling_unit=rule.ceiling_unit,
                    responsible=rule.responsible,
                    nation_name=nation.name,
                )
            )
        plan_types = PlanType.objects.filter(nation=nation)
        plan_type_ids = dict(plan_types.values_list("key", "pk"))
        plan_type_names = {
            key: (name, name_cy, roles[0] if roles else "")
            for key, name, name_cy, roles in plan_types.values_list(
                "key", "name", "name_cy", "sign_off_roles"
            )
        }
        plans.append(
            NationPlan(
                figures,
                nation.pk,
                scale,
                reason_ids,
                authorities,
                timescales=timescales,
                plan_type_ids=plan_type_ids,
                plan_type_names=plan_type_names,
            )
        )
    return plans


SCHOOL_KINDS = {
    # setting type: (English name, Welsh name, Welsh school-number digit, size spread)
    SettingType.PRIMARY: ("Primary", "Ysgol Gynradd Synthetig", "2", 0.55),
    SettingType.SECONDARY: ("Secondary", "Ysgol Uwchradd Synthetig", "4", 0.30),
    SettingType.ALL_THROUGH: ("All-through School", "Ysgol Pob Oed Synthetig", "4", 0.30),
    SettingType.SPECIAL: ("Special School", "Ysgol Arbennig Synthetig", "7", 0.40),
}
# All-through schools teach both phases, so a family is that much more likely to choose one.
ALL_THROUGH_SIZE = 3.0


def scaled_count(count: int, scale: float) -> int:
    return max(1, round(count * scale)) if count else 0


def settings_rows(plan: NationPlan, *, seed: int, first_id: int) -> list[Row]:
    """The nation's synthetic schools; also fills each authority plan's `schools`."""
    rows: list[Row] = []
    setting_id = first_id
    wales = plan.figures.code == Nation.WALES
    for authority in plan.authorities:
        rng = random.Random(f"{seed}:{plan.figures.code}:{authority.code}:settings")
        practice_rng = random.Random(f"{seed}:{plan.figures.code}:{authority.code}:practice")
        figures = authority.figures
        counts = {
            SettingType.PRIMARY: figures.primary_schools,
            SettingType.SECONDARY: figures.secondary_schools,
            SettingType.ALL_THROUGH: figures.all_through_schools,
            SettingType.SPECIAL: figures.special_schools,
        }
        authority.schools = []
        number = 0
        serials: dict[str, int] = {}
        for setting_type, census_count in counts.items():
            english, welsh, welsh_digit, spread = SCHOOL_KINDS[setting_type]
            for _school in range(scaled_count(census_count, plan.scale)):
                number += 1
                minority_medium = rng.random() < figures.minority_language_medium_share
                medium = LanguageMedium.ENGLISH
                if minority_medium and setting_type != SettingType.SPECIAL:
                    medium = LanguageMedium.WELSH if wales else LanguageMedium.GAELIC
                if wales:
                    # Secondary and all-through schools share the 4xxx numbers, as in Wales.
                    serials[welsh_digit] = serials.get(welsh_digit, 0) + 1
                    reference = f"{660 + authority.index}{welsh_digit}{serials[welsh_digit]:03d}"
                    name_cy = f"{welsh} {number:04d}, {authority.name_cy or authority.name}"
                else:
                    reference = f"{8_100_000 + authority.index * 1000 + number}"
                    name_cy = ""
                weight = rng.lognormvariate(0.0, spread)
                # A stream of its own, so that the schools drawn before stay as they were.
                practice = practice_rng.lognormvariate(0.0, SCHOOL_PRACTICE_SPREAD)
                if setting_type == SettingType.ALL_THROUGH:
                    weight *= ALL_THROUGH_SIZE
                name = f"{SYNTHETIC_SETTING_PREFIX}{english} {number:04d}, {authority.name}"
                rows.append(
                    (
                        setting_id,
                        name,
                        name_cy,
                        authority.authority_id,
                        str(setting_type),
                        str(medium),
                        reference,
                    )
                )
                authority.schools.append(
                    School(setting_id, str(setting_type), str(medium), reference, weight, practice)
                )
                setting_id += 1
    return rows


# Every authority's services, one of each type (Welsh names for Welsh authorities). A Scottish
# authority asks the first two for help when preparing a co-ordinated support plan (the
# agency-help clock names one of them).
SYNTHETIC_AGENCIES = (
    ("Educational Psychology Service", "Gwasanaeth Seicoleg Addysg", "educational_psychology"),
    ("Speech and Language Therapy", "Therapi Lleferydd ac Iaith", "speech_and_language_therapy"),
    ("Occupational Therapy", "Therapi Galwedigaethol", "occupational_therapy"),
    (
        "Child and Adolescent Mental Health Services",
        "Gwasanaethau Iechyd Meddwl Plant a Phobl Ifanc",
        "camhs",
    ),
    ("Children's Social Work", "Gwaith Cymdeithasol Plant", "social_work"),
    ("Health Visiting", "Ymwelwyr Iechyd", "health_visiting"),
    ("Family Support Charity", "Elusen Cymorth i Deuluoedd", "third_sector"),
)
CLOCK_AGENCY_TYPES = ("educational_psychology", "speech_and_language_therapy")


def agencies_rows(plan: NationPlan, *, first_id: int) -> list[Row]:
    """One synthetic service of each type per authority; also fills each authority plan's
    `services` (agency id by type) and `agency_ids` (those the agency-help clock may name)."""
    rows: list[Row] = []
    agency_id = first_id
    wales = plan.figures.code == Nation.WALES
    for authority in plan.authorities:
        authority.agency_ids = []
        authority.services = {}
        for name, name_cy, agency_type in SYNTHETIC_AGENCIES:
            rows.append(
                (
                    agency_id,
                    f"{SYNTHETIC_SETTING_PREFIX}{name}, {authority.name}",
                    f"{name_cy} Synthetig, {authority.name_cy or authority.name}" if wales else "",
                    authority.authority_id,
                    agency_type,
                )
            )
            authority.services[agency_type] = agency_id
            if not wales and agency_type in CLOCK_AGENCY_TYPES:
                authority.agency_ids.append(agency_id)
            agency_id += 1
    return rows
