"""The figures the synthetic population is calibrated to (docs: RULES.md section 7).

National totals, ASN/ALN rates, the boys' share, the reason-for-support mix and attendance come from
RULES.md section 7. Per-authority pupil numbers, school counts, deprivation tilts and Welsh- or
Gaelic-medium shares are APPROXIMATE: rounded relative sizes in the shape of the published school
censuses, good enough for a realistic load, never to be quoted as statistics. Everything here is
data, so a corrected figure is a one-line change.
"""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class AuthorityFigures:
    """Approximate size and shape of one authority at scale 1.0."""

    pupils: int
    primary_schools: int
    secondary_schools: int
    special_schools: int
    all_through_schools: int = 0
    # Positive: more pupils in the most deprived deciles than the national spread; negative: fewer.
    deprivation_tilt: float = 0.0
    # Share of schools teaching in Welsh (Wales) or Gaelic (Scotland).
    minority_language_medium_share: float = 0.0


@dataclass(frozen=True)
class NationFigures:
    code: str
    pupils: int
    # Pupils with additional support needs (Scotland) or additional learning needs (Wales).
    support_needs_rate: float
    authority_rate_low: float
    authority_rate_high: float
    boys_share_of_support_needs: float
    boys_share_of_pupils: float
    special_school_share: float
    looked_after_share: float
    # Looked-after children are presumed to have ASN in Scotland (2004 Act s1(1A)); not in Wales.
    looked_after_presumed_support_needs: bool
    mean_attendance_with_needs: float
    mean_attendance_without_needs: float
    # Share of learners with needs who have a current stage decision above universal.
    stage_decision_share: float
    specialist_share_of_decisions: float
    year_group_weights: dict[str, float]
    primary_years: tuple[str, ...]
    secondary_years: tuple[str, ...]
    # Month and day the school year starts, for enrolment dates and dates of birth.
    school_year_starts: tuple[int, int]
    # Month and day of the first birthday in the youngest year group's span, and that group's age
    # on the school year's start (e.g. P1 in Scotland: born from 1 March, aged 4 or 5).
    year_group_birthday_cutoff: tuple[int, int]
    youngest_year_group_age: int
    # Share of learners with needs who have each reason; a learner can have several.
    reason_shares: dict[str, float]
    authorities: dict[str, AuthorityFigures]


SCOTLAND = NationFigures(
    code="scotland",
    pupils=702_000,
    support_needs_rate=0.405,
    authority_rate_low=0.08,
    authority_rate_high=0.55,
    boys_share_of_support_needs=0.60,
    boys_share_of_pupils=0.51,
    special_school_share=0.010,
    looked_after_share=0.014,
    looked_after_presumed_support_needs=True,
    mean_attendance_with_needs=87.0,
    mean_attendance_without_needs=92.0,
    stage_decision_share=0.85,
    specialist_share_of_decisions=0.12,
    year_group_weights={
        **{f"P{n}": 1.0 for n in range(1, 8)},
        **{f"S{n}": 1.03 for n in range(1, 5)},
        "S5": 0.85,
        "S6": 0.60,
    },
    primary_years=tuple(f"P{n}" for n in range(1, 8)),
    secondary_years=tuple(f"S{n}" for n in range(1, 7)),
    school_year_starts=(8, 18),
    year_group_birthday_cutoff=(3, 1),
    youngest_year_group_age=4,
    reason_shares={
        # Learning difficulty including dyslexia, together ~37% of learners with ASN.
        "10": 0.05,
        "11": 0.124,
        "12": 0.10,
        "13": 0.16,
        "20": 0.012,
        "21": 0.009,
        "22": 0.0005,
        "23": 0.02,
        "24": 0.05,
        "25": 0.129,
        "26": 0.26,
        "27": 0.04,
        "28": 0.045,
        "40": 0.048,
        "41": 0.20,
        # 42 (looked after) comes from the looked-after flag, not from this draw.
        "43": 0.02,
        "44": 0.059,
        "45": 0.02,
        "46": 0.015,
        "47": 0.003,
        "48": 0.11,
        "49": 0.015,
        "98": 0.02,
        "99": 0.09,
    },
    authorities={
        "Aberdeen City": AuthorityFigures(25_000, 48, 11, 4, deprivation_tilt=-0.1),
        "Aberdeenshire": AuthorityFigures(37_000, 150, 17, 3, deprivation_tilt=-0.7),
        "Angus": AuthorityFigures(14_600, 51, 8, 1, deprivation_tilt=-0.2),
        "Argyll and Bute": AuthorityFigures(
            10_300, 74, 10, 1, deprivation_tilt=-0.3, minority_language_medium_share=0.03
        ),
        "City of Edinburgh": AuthorityFigures(
            54_000, 88, 23, 12, deprivation_tilt=-0.1, minority_language_medium_share=0.01
        ),
        "Clackmannanshire": AuthorityFigures(7_000, 18, 3, 1, deprivation_tilt=0.3),
        "Dumfries and Galloway": AuthorityFigures(18_500, 96, 16, 1, deprivation_tilt=-0.1),
        "Dundee City": AuthorityFigures(19_000, 33, 8, 3, deprivation_tilt=0.6),
        "East Ayrshire": AuthorityFigures(15_700, 42, 9, 2, deprivation_tilt=0.4),
        "East Dunbartonshire": AuthorityFigures(16_800, 33, 8, 2, deprivation_tilt=-0.9),
        "East Lothian": AuthorityFigures(15_700, 35, 6, 1, deprivation_tilt=-0.4),
        "East Renfrewshire": AuthorityFigures(17_700, 24, 7, 1, deprivation_tilt=-0.9),
        "Falkirk": AuthorityFigures(21_500, 49, 8, 4, deprivation_tilt=0.1),
        "Fife": AuthorityFigures(48_000, 134, 18, 6, deprivation_tilt=0.1),
        "Glasgow City": AuthorityFigures(
            73_000, 139, 30, 22, deprivation_tilt=0.9, minority_language_medium_share=0.02
        ),
        "Highland": AuthorityFigures(
            30_500, 171, 29, 3, deprivation_tilt=-0.3, minority_language_medium_share=0.05
        ),
        "Inverclyde": AuthorityFigures(9_800, 20, 6, 2, deprivation_tilt=0.6),
        "Midlothian": AuthorityFigures(14_600, 33, 6, 1),
        "Moray": AuthorityFigures(11_800, 45, 8, 1, deprivation_tilt=-0.4),
        "Na h-Eileanan Siar": AuthorityFigures(
            3_100, 21, 4, 0, deprivation_tilt=-0.5, minority_language_medium_share=0.40
        ),
        "North Ayrshire": AuthorityFigures(17_000, 48, 9, 2, deprivation_tilt=0.5),
        "North Lanarkshire": AuthorityFigures(50_000, 118, 23, 11, deprivation_tilt=0.4),
        "Orkney Islands": AuthorityFigures(2_900, 20, 6, 0, deprivation_tilt=-0.8),
        "Perth and Kinross": AuthorityFigures(17_800, 70, 11, 1, deprivation_tilt=-0.4),
        "Renfrewshire": AuthorityFigures(23_500, 49, 11, 4, deprivation_tilt=0.2),
        "Scottish Borders": AuthorityFigures(14_500, 61, 9, 1, deprivation_tilt=-0.2),
        "Shetland Islands": AuthorityFigures(3_200, 23, 7, 0, deprivation_tilt=-0.8),
        "South Ayrshire": AuthorityFigures(13_000, 41, 8, 2, deprivation_tilt=-0.1),
        "South Lanarkshire": AuthorityFigures(46_000, 124, 19, 7, deprivation_tilt=0.1),
        "Stirling": AuthorityFigures(12_800, 41, 7, 1, deprivation_tilt=-0.3),
        "West Dunbartonshire": AuthorityFigures(12_000, 32, 5, 2, deprivation_tilt=0.5),
        "West Lothian": AuthorityFigures(25_500, 68, 11, 5, deprivation_tilt=0.1),
    },
)

WALES = NationFigures(
    code="wales",
    pupils=470_000,
    support_needs_rate=0.095,
    authority_rate_low=0.07,
    authority_rate_high=0.15,
    # RULES.md gives no Welsh figure; the Scottish share is used.
    boys_share_of_support_needs=0.60,
    boys_share_of_pupils=0.51,
    special_school_share=0.012,
    looked_after_share=0.012,
    looked_after_presumed_support_needs=False,
    # RULES.md gives attendance for Scotland only; the same gap is assumed.
    mean_attendance_with_needs=87.0,
    mean_attendance_without_needs=92.0,
    stage_decision_share=0.85,
    specialist_share_of_decisions=0.15,
    year_group_weights={
        "N": 0.55,
        "R": 1.0,
        **{f"Y{n}": 1.0 for n in range(1, 12)},
        "Y12": 0.42,
        "Y13": 0.38,
    },
    primary_years=("N", "R", *(f"Y{n}" for n in range(1, 7))),
    secondary_years=tuple(f"Y{n}" for n in range(7, 14)),
    school_year_starts=(9, 1),
    year_group_birthday_cutoff=(9, 1),
    youngest_year_group_age=3,
    # The largest groups are SLCD, BESD, ASD and MLD (RULES.md section 7); the rest are assumed.
    reason_shares={
        "SLCD": 0.32,
        "BESD": 0.25,
        "ASD": 0.20,
        "MLD": 0.18,
        "DYSL": 0.07,
        "ADHD": 0.06,
        "PMED": 0.05,
        "SLD": 0.03,
        "DYSP": 0.03,
        "HI": 0.02,
        "VI": 0.012,
        "DYSC": 0.01,
        "PMLD": 0.008,
        "MSI": 0.002,
    },
    authorities={
        "Blaenau Gwent": AuthorityFigures(9_300, 17, 1, 1, 2, 0.8, 0.06),
        "Bridgend": AuthorityFigures(21_500, 48, 9, 2, 0, 0.1, 0.09),
        "Caerphilly": AuthorityFigures(27_000, 60, 10, 1, 2, 0.3, 0.14),
        "Cardiff": AuthorityFigures(55_000, 98, 19, 7, 0, 0.1, 0.18),
        "Carmarthenshire": AuthorityFigures(27_000, 95, 9, 1, 4, 0.0, 0.55),
        "Ceredigion": AuthorityFigures(8_700, 33, 2, 0, 5, -0.3, 0.75),
        "Conwy": AuthorityFigures(15_000, 52, 7, 2, 0, -0.1, 0.28),
        "Denbighshire": AuthorityFigures(14_500, 45, 6, 2, 1, 0.1, 0.27),
        "Flintshire": AuthorityFigures(23_000, 63, 11, 2, 0, -0.2, 0.07),
        "Gwynedd": AuthorityFigures(16_500, 83, 11, 2, 3, -0.2, 0.95),
        "Isle of Anglesey": AuthorityFigures(9_500, 36, 5, 1, 0, 0.0, 0.85),
        "Merthyr Tydfil": AuthorityFigures(9_000, 23, 3, 1, 0, 0.8, 0.10),
        "Monmouthshire": AuthorityFigures(13_000, 30, 3, 0, 1, -0.9, 0.08),
        "Neath Port Talbot": AuthorityFigures(20_000, 50, 6, 2, 3, 0.3, 0.20),
        "Newport": AuthorityFigures(26_500, 44, 9, 2, 0, 0.3, 0.09),
        "Pembrokeshire": AuthorityFigures(17_000, 50, 5, 1, 3, 0.0, 0.30),
        "Powys": AuthorityFigures(17_500, 73, 5, 1, 5, -0.5, 0.25),
        "Rhondda Cynon Taf": AuthorityFigures(35_000, 95, 9, 4, 6, 0.4, 0.20),
        "Swansea": AuthorityFigures(34_000, 77, 14, 2, 0, 0.1, 0.17),
        "Torfaen": AuthorityFigures(13_500, 26, 5, 1, 0, 0.3, 0.12),
        "Vale of Glamorgan": AuthorityFigures(20_500, 45, 8, 1, 0, -0.5, 0.14),
        "Wrexham": AuthorityFigures(19_500, 55, 8, 1, 0, 0.1, 0.10),
    },
)

NATIONS = {SCOTLAND.code: SCOTLAND, WALES.code: WALES}

# Reasons that are a disability or health condition, so sometimes assessed or declared disabled.
DISABILITY_REASONS = frozenset(
    {"10", "20", "21", "22", "23", "25", "27", "28"}
    | {"SLD", "PMLD", "ASD", "HI", "VI", "MSI", "PMED", "ADHD"}
)

# Factor groups (Code of Practice 2017 ch.2) for the Scottish reasons; Wales does not use them.
FACTOR_GROUPS_BY_REASON: dict[str, tuple[str, ...]] = {
    "10": ("disability_or_health",),
    "11": ("disability_or_health",),
    "12": ("disability_or_health",),
    "13": ("disability_or_health",),
    "20": ("disability_or_health",),
    "21": ("disability_or_health",),
    "22": ("disability_or_health",),
    "23": ("disability_or_health",),
    "24": ("disability_or_health",),
    "25": ("disability_or_health", "social_and_emotional"),
    "26": ("social_and_emotional",),
    "27": ("disability_or_health",),
    "28": ("disability_or_health", "social_and_emotional"),
    "40": ("learning_environment",),
    "41": ("learning_environment",),
    "42": ("family_circumstances",),
    "43": ("learning_environment",),
    "44": ("disability_or_health",),
    "45": ("family_circumstances",),
    "46": ("family_circumstances", "social_and_emotional"),
    "47": ("family_circumstances",),
    "48": ("family_circumstances",),
    "49": ("learning_environment", "social_and_emotional"),
    "98": (),
    "99": (),
}

# Children per family (siblings share carers, a surname, a home and usually a school).
FAMILY_SIZE_WEIGHTS = {1: 0.45, 2: 0.38, 3: 0.13, 4: 0.04}
TWO_CARER_SHARE = 0.68

# Attendance deficits are gamma-distributed: most pupils near full attendance, a long tail.
ATTENDANCE_SHAPE = 1.6
LOWEST_ATTENDANCE = 5.0

SCOTTISH_REASON_GROUP_LEARNING_DIFFICULTY = ("10", "11", "12", "13")


def school_year_start(figures: NationFigures, on: date) -> date:
    """The first day of the school year `on` falls in."""
    month, day = figures.school_year_starts
    start = date(on.year, month, day)
    return start if on >= start else date(on.year - 1, month, day)


# --- Outcome records (measurement app): attendance, exclusions, part-time timetables, time in
# mainstream classes, curriculum judgements and qualifications. Each figure says where it comes
# from: "RULES.md section 7" (published), "published, approximate" (rounded from the national
# statistics, not checked against the tables here: UNVERIFIED), or "modelling choice" (no
# published figure; chosen to look like a school's records, never to be quoted).

# Term dates where the authority's own calendar for a school year is not loaded (modelling choice,
# the shape of the published 2025/26 calendars in statutory/data/school_calendars.json, the same
# month and day every year). Months before August fall in the second calendar year of the school
# year. Closures inside terms (mid-term breaks, the May Day holiday) are not school days.
DEFAULT_TERMS: dict[str, tuple[tuple[tuple[int, int], tuple[int, int]], ...]] = {
    "scotland": (((8, 18), (12, 19)), ((1, 6), (4, 2)), ((4, 20), (6, 26))),
    "wales": (((9, 1), (12, 19)), ((1, 5), (3, 27)), ((4, 13), (7, 20))),
}
DEFAULT_CLOSURES: dict[str, tuple[tuple[tuple[int, int], tuple[int, int]], ...]] = {
    "scotland": (((9, 22), (9, 22)), ((10, 13), (10, 17)), ((2, 16), (2, 17)), ((5, 4), (5, 4))),
    "wales": (((10, 27), (10, 31)), ((2, 16), (2, 20)), ((5, 4), (5, 4)), ((5, 25), (5, 29))),
}
# Two sessions (half days) a school day.
SESSIONS_A_DAY = 2
# Year groups with no outcome records (nursery is part-time and not compulsory).
UNCOUNTED_YEAR_GROUPS = frozenset({"N"})

# Attendance: each learner's absence (100 minus attendance %) is drawn once, gamma-distributed with
# mean 13 (ASN) or 8 (others) and shape ATTENDANCE_SHAPE (RULES.md section 7: 87% vs 92%; the
# enrolment's attendance percentage is that draw). Each term's absence is the learner's times a
# deprivation and looked-after factor (normalised within the authority, so the ASN and other means
# stay at 87% and 92%) times a term-to-term factor (uniform from 0.5 to 1.5, mean 1). Modelling
# choices: absence 30% above the authority's average in the most deprived decile and 30% below in
# the least; looked-after learners' absence 30% higher; terms differ by up to half either way.
ATTENDANCE_DEPRIVATION_GRADIENT = 0.30
LOOKED_AFTER_ABSENCE_FACTOR = 1.30
TERM_ATTENDANCE_SPREAD = 0.5

# Exclusions: cases per 1,000 learners in a school year (RULES.md section 7, Scotland: 34.6 with
# ASN, 7.1 without; the same assumed for Wales). Secondary pupils are excluded four times as often
# as primary pupils (modelling choice, the shape of the Scottish exclusion statistics; the
# per-phase rates are set so the overall rates above hold). Some learners are excluded more than
# once in a year (cases per excluded learner, modelling choice, mean about 1.5); most exclusions
# last half a day to five days (modelling choice); 0.2% are removals from the register.
EXCLUSIONS_PER_1000 = {True: 34.6, False: 7.1}
SECONDARY_EXCLUSION_RATIO = 4.0
EXCLUSIONS_PER_EXCLUDED_LEARNER = {1: 0.68, 2: 0.18, 3: 0.08, 4: 0.04, 6: 0.02}
EXCLUSION_DAYS = {
    "0.5": 0.08,
    "1.0": 0.26,
    "1.5": 0.04,
    "2.0": 0.20,
    "3.0": 0.20,
    "4.0": 0.08,
    "5.0": 0.10,
    "8.0": 0.03,
    "10.0": 0.01,
}
REMOVED_FROM_REGISTER_SHARE = 0.002

# Part-time timetables (modelling choice: no published rate in RULES.md). In a school year 1.5% of
# primary and 3% of secondary learners with needs start one, lasting 4 to 30 weeks at 7.5 to 20
# hours a week; one still running on the reference day is open (no end date) half the time.
PART_TIME_SHARE_OF_SUPPORT_NEEDS = {"primary": 0.015, "secondary": 0.03}
PART_TIME_WEEKS = (4, 6, 8, 12, 20, 30)
PART_TIME_HOURS = ("7.5", "10.0", "12.5", "15.0", "17.5", "20.0")
PART_TIME_REASONS = {
    "health": 0.25,
    "phased_return": 0.25,
    "behaviour": 0.25,
    "awaiting_placement": 0.10,
    "choice": 0.05,
    "other": 0.10,
}
PART_TIME_OPEN_SHARE = 0.5

# Time in mainstream classes: one record per learner with needs per school year (modelling
# choice; learners without needs are in mainstream classes full time and have no record).
# Hours timetabled a week (modelling choice: 25 in Scottish primaries and 27.5 in secondaries;
# 23.5 and 25 in Wales), or the part-time timetable's hours. Share of those hours in mainstream
# classes, as (weight, lowest share, highest share), rounded to half hours (modelling choice).
TIMETABLED_HOURS = {
    "scotland": {"primary": 25.0, "secondary": 27.5},
    "wales": {"primary": 23.5, "secondary": 25.0},
}
MAINSTREAM_SHARE_BANDS = {
    # Special schools: most have no mainstream classes, some have links to a mainstream school.
    "special": ((0.75, 0.0, 0.0), (0.20, 0.04, 0.2), (0.05, 0.2, 0.5)),
    # Mainstream schools: most learners with needs are in class full time, some are withdrawn for
    # small-group support, a few spend much of the week in a base or enhanced provision.
    "mainstream": ((0.80, 1.0, 1.0), (0.12, 0.8, 0.97), (0.06, 0.5, 0.8), (0.02, 0.1, 0.5)),
}

# Curriculum judgements, made at the end of the school year. Scotland (published, approximate,
# UNVERIFIED: Achievement of CfE Levels 2023/24, P1, P4 and P7 combined: literacy about 72%,
# numeracy about 79%; by organiser about 80% reading, 75% writing, 88% listening and talking; S3
# third level or better about 90% in each organiser): the share of pupils achieving the expected
# level, by organiser. Learners with needs are 25 points below the overall rate in primary and 15
# in S3, the others correspondingly above (modelling choice, UNVERIFIED: the published gap is of
# that order; 25 in S3 would put the others above 100%). A learner's organisers share one draw 92%
# of the time (literacy counts only a pupil who achieves all three of its organisers, so the shared
# draw is what brings it out near the published 72%). Of the S3 pupils achieving third level, 45%
# achieve fourth (modelling choice). A pupil who does not achieve the expected level is at the
# level below it.
CURRICULUM_EXPECTED_RATES = {
    "primary": {"reading": 0.80, "writing": 0.75, "listening_talking": 0.88, "numeracy": 0.79},
    "S3": {"reading": 0.90, "writing": 0.89, "listening_talking": 0.91, "numeracy": 0.89},
}
CURRICULUM_SUPPORT_NEEDS_GAP = {"primary": 0.25, "S3": 0.15}
CURRICULUM_SHARED_DRAW = 0.92
S3_FOURTH_LEVEL_SHARE = 0.45
# Wales publishes no national teacher assessments under the Curriculum for Wales: judgements are
# made for a subset (modelling choice) at the end of Y3, Y6 and Y9 (the progression step expected
# at about ages 8, 11 and 14) in three of the six areas, 82% making the expected progress overall,
# learners with additional learning needs 25 points fewer (modelling choice, UNVERIFIED).
WALES_JUDGED_YEAR_GROUPS = {"Y3": "step_2", "Y6": "step_3", "Y9": "step_4"}
WALES_JUDGED_AREAS = ("languages_literacy", "mathematics_numeracy", "health_wellbeing")
WALES_EXPECTED_PROGRESS_RATE = 0.82
WALES_SUPPORT_NEEDS_GAP = 0.25

# Qualifications (modelling choice, UNVERIFIED): the exam diets the population's current S5 and
# S6 (Y12 and Y13) pupils sat in earlier years, awarded on results day (early August in Scotland,
# late August in Wales). Per diet: the year group, the higher award and its framework level (SCQF;
# CQFW for Wales), the lower award and level, and the number of subjects (one fewer for learners
# with needs). The share awarded at the higher level: 75% without needs, 45% with (modelling
# choice). No destinations: the synthetic population has no leavers (every learner is on a
# school's roll), so no leaver destinations are generated.
QUALIFICATION_DIETS = {
    "scotland": (
        ("S4", "National 5", 5, "National 4", 4, 6),
        ("S5", "Higher", 6, "National 5", 5, 4),
    ),
    "wales": (
        ("Y11", "GCSE (A* to C)", 2, "GCSE (D to G)", 1, 8),
        ("Y12", "AS level (A to C)", 3, "AS level (D to E)", 3, 3),
    ),
}
HIGHER_AWARD_SHARE = {True: 0.45, False: 0.75}
RESULTS_DAY = {"scotland": (8, 5), "wales": (8, 21)}
SCOTTISH_SUBJECTS = (
    "English",
    "Mathematics",
    "Biology",
    "Chemistry",
    "Physics",
    "History",
    "Geography",
    "Modern Studies",
    "French",
    "Art and Design",
    "Computing Science",
    "Physical Education",
    "Music",
    "Business Management",
    "Administration and IT",
)
WELSH_SUBJECTS = (
    "English Language",
    "Mathematics",
    "Cymraeg",
    "Science",
    "History",
    "Geography",
    "Religious Studies",
    "Art and Design",
    "Computer Science",
    "Physical Education",
    "Music",
    "Business",
    "Design and Technology",
)

# The impact of support (modelling choices, UNVERIFIED: nothing national is published).
# A learner whose first plan was agreed in one of the last two school years has their attendance
# recorded for the school year before it too, with absence this much higher than their drawn rate
# (support is modelled as helping: attendance about 1.5 points lower before the plan, typically).
PRE_PLAN_ABSENCE_FACTOR = 1.15
# Of learners with an agreed plan, this share has a GIRFEC wellbeing assessment shortly before it
# was agreed (up to WELLBEING_BEFORE_PLAN_DAYS) and one this school year since (at least 30 days
# after it). Each of the eight indicators is rated at a level drawn from these weights (strength,
# no concern, some concern, significant concern), before and since: a modest improvement.
WELLBEING_ASSESSED_SHARE = 0.4
WELLBEING_BEFORE_PLAN_DAYS = 60
WELLBEING_LEVEL_WEIGHTS = {
    "before": (0.10, 0.35, 0.40, 0.15),
    "since": (0.18, 0.45, 0.29, 0.08),
}

# Practice between authorities and schools (modelling choice, UNVERIFIED: nothing published per
# authority beyond the ASN rate): similar needs meet different responses (seed 000, requirement
# 1), so that the consistency report (ADR 0048) has variation to find. Each authority has a factor
# per practice, exp(spread * (2 * rank - 1)) with its rank (0 to 1) fixed by a hash of its name and
# the practice (not the seed, as the ASN rates): from exp(-spread) to exp(spread), a geometric mean
# of 1, so national shares stay near the published ones. Each school has its own factor on its
# authority's stage and plan shares too, lognormal with SCHOOL_PRACTICE_SPREAD, drawn from the
# seed.
PRACTICE_SPREADS = {
    # Share of learners with needs with a stage decision above universal: about 0.7x to 1.4x.
    "stage_decision": 0.35,
    # Specialist among those decisions: about 0.5x to 2x.
    "specialist": 0.7,
    "individualised_educational_programme": 0.8,
    "childs_plan": 0.8,
    # Co-ordinated support plans vary most between authorities: about 0.3x to 3.3x.
    "coordinated_support_plan": 1.2,
    # Wales: individual development plans kept by the local authority rather than the school.
    "authority_kept": 0.9,
    # Stage decisions departing from decision support's suggestion: about 0.55x to 1.8x.
    "departure": 0.6,
    # Scotland: looked-after children the authority has considered for a co-ordinated support
    # plan (ADR 0049): about 0.74x to 1.35x of CONSIDERED_SHARE, capped.
    "considered_looked_after": 0.3,
}
SCHOOL_PRACTICE_SPREAD = 0.3
# Looked-after children without a co-ordinated support plan whom their authority has considered
# for one (ASL Act 2004 s6(1A)); Stagewise's assumption, no published figure: most, not all.
CONSIDERED_SHARE = 0.8
HIGHEST_CONSIDERED_SHARE = 0.98
# No share is drawn above these, whatever the factors.
HIGHEST_STAGE_DECISION_SHARE = 0.98
HIGHEST_SPECIALIST_SHARE = 0.9
