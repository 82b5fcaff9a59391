"""The demo world: two Scottish authorities and one Welsh, about 200 made-up learners.

Deterministic for a seed, so the README's sign-ins and the learners they see are the same on every
machine. Every learner is written through the learner services, so the demo has a real audit trail.
"""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from stagewise.accounts.models import User
from stagewise.actionplans.services import published_plans_load
from stagewise.coordination.models import RequestStatus
from stagewise.coordination.services import request_allocate, request_start
from stagewise.learners.models import Carer, CarerRelationship, Learner, StaffRelationshipKind
from stagewise.learners.services import (
    carer_link,
    learner_create,
    staff_relationship_start,
)
from stagewise.moderation.demo import add_demo_moderation
from stagewise.organisations.models import (
    Agency,
    AgencyType,
    LanguageMedium,
    LocalAuthority,
    Membership,
    Nation,
    NationalBody,
    Role,
    Setting,
    SettingType,
)
from stagewise.policy import SYSTEM
from stagewise.synthetic.calibration import NATIONS
from stagewise.synthetic.demo_clocks import add_demo_clocks, add_demo_clocks_before_plans
from stagewise.synthetic.demo_considerations import add_demo_considerations
from stagewise.synthetic.demo_decisions import (
    DEMO_DEPARTURE_KIND,
    DEMO_DEPARTURE_REASON,
    add_demo_provision_offers,
)
from stagewise.synthetic.demo_disagreements import add_demo_disagreement
from stagewise.synthetic.demo_information import add_demo_information
from stagewise.synthetic.demo_local_actions import add_demo_local_actions
from stagewise.synthetic.demo_meetings import add_demo_meetings
from stagewise.synthetic.demo_outcomes import (
    add_demo_funding,
    add_demo_outcomes,
    demo_enrolled_on,
)
from stagewise.synthetic.demo_pathways import add_demo_pathways
from stagewise.synthetic.demo_plans import add_demo_plans
from stagewise.synthetic.demo_requests import demo_request
from stagewise.synthetic.demo_thresholds import add_demo_thresholds
from stagewise.synthetic.demo_transfers import add_demo_transfer_keys

DEMO_PASSWORD = "stagewise-demo-2026"  # noqa: S105 - published in the README on purpose
DEMO_DOMAIN = "demo.stagewise.test"

SCOTTISH_FIRST_NAMES = [
    "Ailsa",
    "Callum",
    "Eilidh",
    "Finlay",
    "Isla",
    "Lewis",
    "Mhairi",
    "Ruaridh",
    "Skye",
    "Euan",
    "Morven",
    "Fraser",
    "Kirsty",
    "Angus",
    "Catriona",
    "Hamish",
    "Iona",
    "Jamie",
    "Lachlan",
    "Orla",
    "Amir",
    "Zofia",
    "Chidi",
    "Mei",
    "Aisha",
    "Oliver",
    "Sophie",
    "Noah",
    "Freya",
    "Leo",
]
WELSH_FIRST_NAMES = [
    "Alaw",
    "Cai",
    "Cerys",
    "Dafydd",
    "Elin",
    "Emyr",
    "Ffion",
    "Gethin",
    "Gwen",
    "Huw",
    "Iestyn",
    "Lowri",
    "Megan",
    "Osian",
    "Rhys",
    "Seren",
    "Siôn",
    "Tomos",
    "Nia",
    "Mali",
    "Yusuf",
    "Hana",
    "Jac",
    "Efa",
    "Harri",
    "Evie",
    "Mason",
    "Ava",
    "Ellis",
    "Maja",
]
SCOTTISH_SURNAMES = [
    "MacDonald",
    "Campbell",
    "Stewart",
    "Robertson",
    "Thomson",
    "Anderson",
    "MacLeod",
    "Murray",
    "Paterson",
    "Fraser",
    "Ross",
    "Henderson",
    "Ferguson",
    "Kerr",
    "Reid",
    "Hussain",
    "Kowalski",
    "Okafor",
    "Chen",
    "Grant",
]
WELSH_SURNAMES = [
    "Jones",
    "Williams",
    "Davies",
    "Evans",
    "Thomas",
    "Roberts",
    "Hughes",
    "Lewis",
    "Morgan",
    "Griffiths",
    "Price",
    "Powell",
    "Pritchard",
    "Rees",
    "Owen",
    "Ahmed",
    "Nowak",
    "Khan",
    "Parry",
    "Bowen",
]
HOME_LANGUAGES = ["English"] * 14 + ["Polish", "Urdu", "Arabic", "Scottish Gaelic", "Romanian"]

# Every demo account is a person with a name: the home page greets people by their first name.
CLASS_TEACHER_NAMES = {
    "Kelvinbank Gaelic Primary School": "Seonag MacLeod",
    "Northfield Academy": "Douglas Grant",
    "Clydeview School": "Ruth Henderson",
    "Tollcross Early Learning Centre": "Nadia Hussain",
    "Harbourside Primary School": "Lorna Anderson",
    "Lomond High School": "Stuart Thomson",
    "Kingdom College": "Craig Murray",
    "Ysgol Gymraeg Glan Taf": "Siwan Rees",
    "Bayside Primary School": "Gareth Owen",
    "Llandaff Fields High School": "Bethan Hughes",
}

# The young-person account is the learner of the same name, the first S5 pupil at Northfield.
YOUNG_PERSON_FIRST_NAME = "Ewan"
YOUNG_PERSON_LAST_NAME = "Robertson"
YOUNG_PERSON_SETTING = "Northfield Academy"
YOUNG_PERSON_YEAR_GROUP = "S5"

# The configuration apps whose admin-registered models the demo administrator may change.
CONFIGURATION_APPS = ("organisations", "statutory", "planning", "transfers")
CONFIGURATION_ADMINISTRATORS = "Configuration administrators"


@dataclass(frozen=True)
class SettingPlan:
    name: str
    name_cy: str
    setting_type: str
    language_medium: str
    year_groups: tuple[str, ...]
    learners: int


@dataclass(frozen=True)
class AuthorityPlan:
    authority_name: str
    nation_code: str
    settings: tuple[SettingPlan, ...]


PRIMARY_SCOTLAND = tuple(f"P{n}" for n in range(1, 8))
SECONDARY_SCOTLAND = tuple(f"S{n}" for n in range(1, 7))
PRIMARY_WALES = ("R", *(f"Y{n}" for n in range(1, 7)))
SECONDARY_WALES = tuple(f"Y{n}" for n in range(7, 14))

DEMO_REFERENCE_STEMS = {Nation.SCOTLAND: "8430", Nation.WALES: "6812"}

DEMO_AUTHORITIES = (
    AuthorityPlan(
        "Glasgow City",
        Nation.SCOTLAND,
        (
            SettingPlan(
                "Riverside Primary School",
                "",
                SettingType.PRIMARY,
                LanguageMedium.ENGLISH,
                PRIMARY_SCOTLAND,
                36,
            ),
            SettingPlan(
                "Kelvinbank Gaelic Primary School",
                "",
                SettingType.PRIMARY,
                LanguageMedium.GAELIC,
                PRIMARY_SCOTLAND,
                14,
            ),
            SettingPlan(
                "Northfield Academy",
                "",
                SettingType.SECONDARY,
                LanguageMedium.ENGLISH,
                SECONDARY_SCOTLAND,
                30,
            ),
            SettingPlan(
                "Clydeview School",
                "",
                SettingType.SPECIAL,
                LanguageMedium.ENGLISH,
                (*PRIMARY_SCOTLAND, *SECONDARY_SCOTLAND),
                8,
            ),
            SettingPlan(
                "Tollcross Early Learning Centre",
                "",
                SettingType.EARLY_LEARNING,
                LanguageMedium.ENGLISH,
                ("ELC",),
                8,
            ),
        ),
    ),
    AuthorityPlan(
        "Fife",
        Nation.SCOTLAND,
        (
            SettingPlan(
                "Harbourside Primary School",
                "",
                SettingType.PRIMARY,
                LanguageMedium.ENGLISH,
                PRIMARY_SCOTLAND,
                24,
            ),
            SettingPlan(
                "Lomond High School",
                "",
                SettingType.SECONDARY,
                LanguageMedium.ENGLISH,
                SECONDARY_SCOTLAND,
                24,
            ),
            SettingPlan(
                "Kingdom College",
                "",
                SettingType.FURTHER_EDUCATION,
                LanguageMedium.ENGLISH,
                ("FE",),
                6,
            ),
        ),
    ),
    AuthorityPlan(
        "Cardiff",
        Nation.WALES,
        (
            SettingPlan(
                "Ysgol Gymraeg Glan Taf",
                "Ysgol Gymraeg Glan Taf",
                SettingType.PRIMARY,
                LanguageMedium.WELSH,
                PRIMARY_WALES,
                22,
            ),
            SettingPlan(
                "Bayside Primary School",
                "Ysgol Gynradd Glan y Bae",
                SettingType.PRIMARY,
                LanguageMedium.ENGLISH,
                PRIMARY_WALES,
                14,
            ),
            SettingPlan(
                "Llandaff Fields High School",
                "Ysgol Uwchradd Caeau Llandaf",
                SettingType.SECONDARY,
                LanguageMedium.ENGLISH,
                SECONDARY_WALES,
                16,
            ),
        ),
    ),
)

AGENCIES = (
    (
        AgencyType.EDUCATIONAL_PSYCHOLOGY,
        "Educational Psychology Service",
        "Gwasanaeth Seicoleg Addysg",
    ),
    (
        AgencyType.SPEECH_AND_LANGUAGE_THERAPY,
        "Speech and Language Therapy",
        "Therapi Lleferydd ac Iaith",
    ),
    (
        AgencyType.CAMHS,
        "Child and Adolescent Mental Health Services",
        "Gwasanaethau Iechyd Meddwl Plant a Glasoed",
    ),
    (
        AgencyType.SOCIAL_WORK,
        "Children and Families Social Work",
        "Gwaith Cymdeithasol Plant a Theuluoedd",
    ),
)

# Services that take no part in the made-up requests (the requests draw from AGENCIES alone, so
# every learner's story stays the same for the seed) but publish a pathway like the others.
FURTHER_AGENCIES = (
    (AgencyType.OCCUPATIONAL_THERAPY, "Occupational Therapy", "Therapi Galwedigaethol"),
    (AgencyType.HEALTH_VISITING, "Health Visiting", "Ymwelwyr Iechyd"),
    (AgencyType.THIRD_SECTOR, "Family Support Network", "Rhwydwaith Cymorth i Deuluoedd"),
)

# Age on 1 March of the school year for each year group: P1 pupils are 5, S1 pupils are 12.
YEAR_GROUP_AGE = {
    "ELC": 4,
    **{f"P{n}": 4 + n for n in range(1, 8)},
    **{f"S{n}": 11 + n for n in range(1, 7)},
    "FE": 17,
    "N": 3,
    "R": 4,
    **{f"Y{n}": 5 + n for n in range(1, 14)},
}


@dataclass
class DemoSignIn:
    role: str
    email: str
    description: str


@dataclass
class DemoWorld:
    sign_ins: list[DemoSignIn] = field(default_factory=list)
    learners: int = 0


def _user(email: str, full_name: str, language: str = "en") -> User:
    return User.objects.create_user(
        f"{email}@{DEMO_DOMAIN}", DEMO_PASSWORD, full_name=full_name, preferred_language=language
    )


def _published_progress_report(officer: User, today: date) -> None:
    """An 18-month progress report (ADR 0042) published by the government's policy officer, for
    the period the third progress report covered (June 2023 to November 2024): the public pages
    then have one to read and download. One report, worked out in a few queries."""
    from stagewise.accounts.actors import actors_for
    from stagewise.actionplans.services import progress_report_create, progress_report_publish

    ends_on = date(2024, 11, 30)
    if ends_on > min(today, timezone.localdate()):
        return
    actor = actors_for(officer)[0]
    draft = progress_report_create(
        actor=actor,
        title="Additional support for learning action plan: progress report, November 2024",
        starts_on=date(2023, 6, 1),
        ends_on=ends_on,
    )
    progress_report_publish(actor=actor, report=draft)


@transaction.atomic
def build_demo_world(*, seed: int = 2026, today: date | None = None) -> DemoWorld:
    if Learner.objects.exists():
        raise RuntimeError("The database already has learners: the demo world needs an empty one.")
    randomiser = random.Random(seed)
    today = today or date.today()
    world = DemoWorld()
    school_year_start = date(today.year if today.month >= 8 else today.year - 1, 8, 15)
    scn_counter = iter(range(100_000_001, 999_999_999, 7919))

    settings_by_name: dict[str, Setting] = {}
    agencies_by_authority: dict[str, list[Agency]] = {}
    for plan in DEMO_AUTHORITIES:
        authority = LocalAuthority.objects.get(name=plan.authority_name)
        for setting_plan in plan.settings:
            settings_by_name[setting_plan.name] = Setting.objects.create(
                authority=authority,
                name=setting_plan.name,
                name_cy="" if setting_plan.name_cy == setting_plan.name else setting_plan.name_cy,
                setting_type=setting_plan.setting_type,
                language_medium=setting_plan.language_medium,
                # Made up, in the census's shape: a 7-digit SEED code in Scotland, the
                # authority's and the school's numbers in Wales.
                reference_number=f"{DEMO_REFERENCE_STEMS[plan.nation_code]}"
                f"{len(settings_by_name):03d}",
            )
        agencies = [
            Agency.objects.create(
                authority=authority,
                agency_type=agency_type,
                name=f"{plan.authority_name} {name}",
                name_cy=f"{name_cy} {authority.name_cy or authority.name}"
                if plan.nation_code == Nation.WALES
                else "",
            )
            for agency_type, name, name_cy in (*AGENCIES, *FURTHER_AGENCIES)
        ]
        agencies_by_authority[plan.authority_name] = agencies[: len(AGENCIES)]
        # Before any request is sent, so each request's answer is due by its service's pathway.
        add_demo_pathways(agencies)
    add_demo_information()
    add_demo_thresholds()
    add_demo_provision_offers()
    # The national action plans as published, and the bodies they name (seeds 001 and 002).
    published_plans_load(actor=SYSTEM)

    # One sign-in per role, all in Glasgow but for the Welsh ALNCo, Fife's officer (who receives a
    # record transfer) and the national analysts.
    riverside = settings_by_name["Riverside Primary School"]
    glan_taf = settings_by_name["Ysgol Gymraeg Glan Taf"]
    glasgow = LocalAuthority.objects.get(name="Glasgow City")
    glasgow_speech = next(
        a
        for a in agencies_by_authority["Glasgow City"]
        if a.agency_type == AgencyType.SPEECH_AND_LANGUAGE_THERAPY
    )
    staff: dict[str, tuple[User, str, dict[str, Any], str]] = {
        "teacher": (
            _user("teacher", "Morag Campbell"),
            Role.CLASS_TEACHER,
            {"setting": riverside},
            "Class teacher, Riverside Primary School (Glasgow)",
        ),
        "support_lead": (
            _user("support-lead", "Graham Paterson"),
            Role.SUPPORT_FOR_LEARNING_LEAD,
            {"setting": riverside},
            "Support-for-learning lead, Riverside Primary School: the school's statutory clocks,"
            " overdue, due this week and due within four weeks",
        ),
        "head": (
            _user("head", "Fiona Reid"),
            Role.HEAD_TEACHER,
            {"setting": riverside},
            "Head teacher, Riverside Primary School",
        ),
        "authority_officer": (
            _user("authority-officer", "Alan Kerr"),
            Role.LOCAL_AUTHORITY_OFFICER,
            {"authority": glasgow},
            "Local authority officer, Glasgow City: signs off co-ordinated support plans and runs"
            " the authority's clocks",
        ),
        "fife_officer": (
            _user("fife-officer", "Kirsty Wallace"),
            Role.LOCAL_AUTHORITY_OFFICER,
            {"authority": LocalAuthority.objects.get(name="Fife")},
            "Local authority officer, Fife: imports a record transfer document sent from Glasgow"
            " City",
        ),
        "data_protection_officer": (
            _user("data-protection", "Morven Gillies"),
            Role.DATA_PROTECTION_OFFICER,
            {"authority": glasgow},
            "Data protection officer, Glasgow City: subject access exports of Glasgow's learners"
            " and the retention review (no record pages)",
        ),
        "psychologist": (
            _user("psychologist", "Priya Shah"),
            Role.EDUCATIONAL_PSYCHOLOGIST,
            {"authority": glasgow},
            "Educational psychologist, Glasgow City",
        ),
        "agency_practitioner": (
            _user("speech-therapist", "Joanne Ferguson"),
            Role.AGENCY_PRACTITIONER,
            {"agency": glasgow_speech},
            "Speech and language therapist, Glasgow City",
        ),
        "service_manager": (
            _user("therapy-manager", "Catriona Blair"),
            Role.SERVICE_MANAGER,
            {"agency": glasgow_speech},
            "Service manager, speech and language therapy, Glasgow City: the service's new"
            " requests, waiting list and caseloads",
        ),
        "alnco": (
            _user("alnco", "Rhian Pritchard", language="cy"),
            Role.SUPPORT_FOR_LEARNING_LEAD,
            {"setting": glan_taf},
            "ALNCo, Ysgol Gymraeg Glan Taf (Cardiff), uses Welsh: school decisions counted in"
            " school days, one waiting for the 2026/27 calendar",
        ),
        "analyst": (
            _user("analyst", "Kenneth Ross"),
            Role.NATIONAL_ANALYST,
            {"nation": Nation.objects.get(code=Nation.SCOTLAND)},
            "National analyst, Scotland",
        ),
        "policy_officer": (
            _user("policy-officer", "Fiona MacLeod"),
            Role.POLICY_OFFICER,
            {"national_body": NationalBody.objects.get(code="scottish-government")},
            "Policy officer, Scottish Government: tracks every action of the national action plans",
        ),
        "board_officer": (
            _user("project-board", "Iain Stewart"),
            Role.POLICY_OFFICER,
            {"national_body": NationalBody.objects.get(code="asl-project-board")},
            "Policy officer, ASL Project Board: its overdue actions on the home page",
        ),
        "administrator": (
            _user("administrator", "Sam Morgan"),
            Role.SYSTEM_ADMINISTRATOR,
            {},
            "System administrator",
        ),
    }
    for user, role, organisation, description in staff.values():
        membership = Membership(user=user, role=role, started_on=date(2020, 8, 1), **organisation)
        membership.full_clean()
        membership.save()
        world.sign_ins.append(
            DemoSignIn(role=str(Role(role).label), email=user.email, description=description)
        )
    # Not a superuser: the administrator changes configuration through the permissions the
    # group grants, and manages people through the in-app administration pages and their services.
    administrator = staff["administrator"][0]
    administrator.is_staff = True
    administrator.save(update_fields=["is_staff"])
    administrator.groups.add(configuration_administrators_group())
    add_demo_transfer_keys(
        administrator=administrator,
        authority_names=[plan.authority_name for plan in DEMO_AUTHORITIES],
    )
    _published_progress_report(staff["policy_officer"][0], today)

    # A class teacher for each other setting, so every learner has someone linked.
    teachers: dict[str, User] = {riverside.name: staff["teacher"][0]}
    for index, setting in enumerate(settings_by_name.values()):
        if setting.name in teachers:
            continue
        teacher = _user(f"teacher{index}", CLASS_TEACHER_NAMES[setting.name])
        Membership.objects.create(
            user=teacher, role=Role.CLASS_TEACHER, setting=setting, started_on=date(2020, 8, 1)
        )
        teachers[setting.name] = teacher

    parent_user = _user("parent", "Claire MacDonald")
    young_person_user = _user("young-person", f"{YOUNG_PERSON_FIRST_NAME} {YOUNG_PERSON_LAST_NAME}")
    world.sign_ins.append(
        DemoSignIn(
            role=str(Role.PARENT_CARER.label),
            email=parent_user.email,
            description="Parent of two children at Riverside Primary",
        )
    )
    world.sign_ins.append(
        DemoSignIn(
            role=str(Role.YOUNG_PERSON.label),
            email=young_person_user.email,
            description=f"{young_person_user.full_name}, young person in S5 at Northfield"
            " Academy, with a plan to read and respond to",
        )
    )

    young_person_learner: Learner | None = None
    for plan in DEMO_AUTHORITIES:
        welsh = plan.nation_code == Nation.WALES
        first_names = WELSH_FIRST_NAMES if welsh else SCOTTISH_FIRST_NAMES
        surnames = WELSH_SURNAMES if welsh else SCOTTISH_SURNAMES
        agencies = agencies_by_authority[plan.authority_name]
        for setting_plan in plan.settings:
            setting = settings_by_name[setting_plan.name]
            for number in range(setting_plan.learners):
                year_group = setting_plan.year_groups[number % len(setting_plan.year_groups)]
                age = YEAR_GROUP_AGE[year_group]
                birth = date(school_year_start.year - age - 1, 3, 1) + timedelta(
                    days=randomiser.randrange(365)
                )
                surname = randomiser.choice(surnames)
                sex = randomiser.choice(["female", "male"])
                if welsh:
                    candidate = (
                        f"{randomiser.choice('ABCDEFGHJKLMNPQRTUVWXYZ')}{680:03d}"
                        f"{2000 + number % 9000:04d}{age:02d}{next(scn_counter) % 1000:03d}"
                    )
                else:
                    candidate = f"{next(scn_counter):09d}"
                home_language = (
                    "Welsh"
                    if welsh and setting.language_medium == "welsh" and randomiser.random() < 0.6
                    else randomiser.choice(HOME_LANGUAGES)
                )
                first_name = randomiser.choice(first_names)
                # The young person is named after the same random draws as any other learner, so
                # every other learner in the demo keeps their name.
                is_young_person = (
                    young_person_learner is None
                    and setting.name == YOUNG_PERSON_SETTING
                    and year_group == YOUNG_PERSON_YEAR_GROUP
                )
                if is_young_person:
                    first_name = YOUNG_PERSON_FIRST_NAME
                    surname = YOUNG_PERSON_LAST_NAME
                    sex = "male"
                learner = learner_create(
                    actor=SYSTEM,
                    setting=setting,
                    year_group=year_group,
                    enrolled_on=demo_enrolled_on(
                        NATIONS[plan.nation_code], year_group, school_year_start
                    ),
                    legal_first_name=first_name,
                    legal_last_name=surname,
                    preferred_name="",
                    date_of_birth=birth,
                    sex=sex,
                    candidate_number=candidate,
                    home_language=home_language,
                    preferred_language="Welsh" if home_language == "Welsh" else "English",
                    looked_after=randomiser.random() < 0.03,
                    young_carer=randomiser.random() < 0.04,
                    staff_notes="Made-up demo learner. "
                    + randomiser.choice(
                        [
                            "",
                            "Settles best with a visual timetable.",
                            "Prefers a quiet space at lunchtime.",
                        ]
                    ),
                )
                if is_young_person:
                    learner.young_person_account = young_person_user
                    learner.save(update_fields=["young_person_account"])
                    young_person_learner = learner
                world.learners += 1
                parent = Carer(
                    full_name=f"{randomiser.choice(first_names)} {surname}",
                    email=f"family{world.learners}@example.org",
                    telephone=f"07700 9{world.learners:05d}",
                    address=f"{randomiser.randrange(1, 200)} Demo Street",
                    preferred_language="Welsh" if home_language == "Welsh" else "English",
                )
                carer_link(
                    actor=SYSTEM,
                    learner=learner,
                    carer=parent,
                    relationship=randomiser.choice(
                        [CarerRelationship.MOTHER, CarerRelationship.FATHER]
                    ),
                )
                if randomiser.random() < 0.4:
                    carer_link(
                        actor=SYSTEM,
                        learner=learner,
                        carer=Carer(
                            full_name=f"{randomiser.choice(first_names)} "
                            f"{randomiser.choice(surnames)}",
                            telephone=f"07700 8{world.learners:05d}",
                        ),
                        relationship=CarerRelationship.PARENT,
                        lives_with_learner=False,
                    )
                staff_relationship_start(
                    actor=SYSTEM,
                    learner=learner,
                    staff=teachers[setting.name],
                    kind=StaffRelationshipKind.CLASS_TEACHER,
                    started_on=school_year_start,
                )
                if randomiser.random() < 0.15:
                    demo_request(
                        learner=learner,
                        service=randomiser.choice(agencies),
                        reason="The school would like the service's advice.",
                        consent_given_on=school_year_start,
                        answer=randomiser.choice(
                            [RequestStatus.ACCEPTED, RequestStatus.WAITING_LIST]
                        ),
                    )

    assert young_person_learner is not None, "The demo needs an S5 pupil at Northfield Academy."
    # The parent's children are chosen in order, so the README stays true for the seed.
    _attach_demo_family(
        parent_user,
        riverside,
        glasgow_speech,
        school_year_start,
        therapist=staff["agency_practitioner"][0],
    )
    young_persons_teacher = teachers[YOUNG_PERSON_SETTING]
    _add_support(
        randomiser,
        today,
        school_year_start,
        teachers,
        staff,
        young_person=young_person_learner,
    )
    _add_young_persons_needs(young_persons_teacher, young_person_learner, today, school_year_start)
    add_demo_clocks_before_plans(staff=staff, story_learner=_story_learner(), today=today)
    add_demo_plans(
        staff=staff,
        story_learner=_story_learner(),
        welsh_school=glan_taf,
        young_person=young_person_learner,
        young_persons_teacher=young_persons_teacher,
        today=today,
    )
    add_demo_clocks(
        staff=staff,
        riverside=riverside,
        glan_taf=glan_taf,
        speech_agency=glasgow_speech,
        story_learner=_story_learner(),
        today=today,
    )
    add_demo_meetings(staff=staff, story_learner=_story_learner(), today=today)
    add_demo_disagreement(story_learner=_story_learner(), today=today)
    add_demo_outcomes(seed=seed, today=today)
    add_demo_funding(glasgow=riverside.authority, today=today)
    add_demo_local_actions(today=today)
    add_demo_moderation(today=today)
    add_demo_considerations(today=today)
    return world


def configuration_administrators_group() -> Group:
    """The group whose members may change configuration in Django's admin site, and nothing else.

    Its permissions are every permission of each configuration model the admin site registers
    when the demo is loaded, and of the models edited inline on their pages (a plan type's
    sections), so a model taken out of the admin (or made read-only there) is not granted through
    a stale list. Accounts are managed on the in-app administration pages, whose services check
    and audit each change, so they are not configuration here.
    """
    group, _created = Group.objects.get_or_create(name=CONFIGURATION_ADMINISTRATORS)
    models: set[type[Model]] = set()
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label in CONFIGURATION_APPS:
            models.add(model)
            models.update(inline.model for inline in model_admin.inlines)
    content_types = ContentType.objects.get_for_models(*models).values()
    group.permissions.set(Permission.objects.filter(content_type__in=content_types))
    return group


def _attach_demo_family(
    parent_user: User,
    riverside: Setting,
    speech_agency: Agency,
    school_year_start: date,
    therapist: User,
) -> None:
    parent = Carer.objects.create(
        full_name=parent_user.full_name,
        email=parent_user.email,
        telephone="07700 900001",
        address="12 Kelvin Way\nGlasgow",
        user=parent_user,
    )
    riverside_learners = Learner.objects.filter(enrolments__setting=riverside).order_by("pk")
    for learner in riverside_learners[:2]:
        carer_link(
            actor=SYSTEM, learner=learner, carer=parent, relationship=CarerRelationship.MOTHER
        )
    first = riverside_learners.first()
    assert first is not None
    if not first.requests_for_assistance.filter(service=speech_agency).exists():
        # The therapist is working with the first child; the second child's request waits for
        # the service manager's decision.
        taken_on = demo_request(
            learner=first,
            service=speech_agency,
            reason="Speech sound difficulties: classmates and staff find her hard to understand.",
            consent_given_on=school_year_start,
        )
        request_allocate(actor=SYSTEM, request=taken_on, practitioner=therapist)
        request_start(actor=SYSTEM, request=taken_on)
        second = riverside_learners[1]
        if not second.requests_for_assistance.filter(service=speech_agency).exists():
            demo_request(
                learner=second,
                service=speech_agency,
                reason="Stammers when reading aloud and has begun to avoid speaking in class.",
                consent_given_on=school_year_start,
                answer=RequestStatus.SENT,
            )


# Reason-for-support weights from the published mix (RULES.md section 7); Wales from PLASC.
SCOTTISH_REASON_WEIGHTS = {
    "26": 26,
    "41": 20,
    "13": 15,
    "25": 13,
    "11": 12,
    "48": 11,
    "44": 6,
    "24": 5,
    "12": 5,
    "40": 5,
    "28": 4,
    "27": 3,
    "45": 2,
}
WELSH_REASON_WEIGHTS = {
    "SLCD": 30,
    "BESD": 22,
    "ASD": 18,
    "MLD": 15,
    "DYSL": 6,
    "ADHD": 5,
    "PMED": 4,
}
FACTORS_BY_REASON = {
    "26": ["social_and_emotional"],
    "48": ["family_circumstances"],
    "41": ["learning_environment"],
    "25": ["disability_or_health"],
    "28": ["disability_or_health", "social_and_emotional"],
    "BESD": ["social_and_emotional"],
    "ASD": ["disability_or_health"],
}
WELLBEING_LEVELS = ["strength", "no_concern", "no_concern", "some_concern", "significant_concern"]


def _add_support(
    randomiser: random.Random,
    today: date,
    school_year_start: date,
    teachers: dict[str, User],
    staff: dict[str, tuple[User, str, dict[str, Any], str]],
    *,
    young_person: Learner,
) -> None:
    """Needs, stage decisions, wellbeing and chronology, recorded by the learners' own staff."""
    from stagewise.accounts.actors import actors_for
    from stagewise.learners.models import ChronologyEntryType, WellbeingIndicator
    from stagewise.learners.services import (
        chronology_record,
        need_record,
        stage_decide,
        wellbeing_assess,
    )
    from stagewise.statutory.models import ReasonForSupport
    from stagewise.statutory.selectors import stage_list

    def recent(days: int) -> date:
        return min(today, school_year_start + timedelta(days=days))

    actors = {name: actors_for(user)[0] for name, user in teachers.items()}
    reasons = {
        (reason.nation.code, reason.code): reason
        for reason in ReasonForSupport.objects.select_related("nation")
    }
    learners = Learner.objects.prefetch_related("enrolments__setting__authority__nation")
    # The demo parent's first child and the young person get deliberate stories instead.
    learners = learners.exclude(pk__in=[_story_learner().pk, young_person.pk])
    for learner in learners.order_by("pk"):
        enrolment = learner.enrolments.all()[0]
        nation = enrolment.setting.authority.nation.code
        if randomiser.random() >= (0.42 if nation == Nation.SCOTLAND else 0.12):
            continue
        actor = actors[enrolment.setting.name]
        weights = SCOTTISH_REASON_WEIGHTS if nation == Nation.SCOTLAND else WELSH_REASON_WEIGHTS
        codes = randomiser.choices(
            list(weights), weights=list(weights.values()), k=randomiser.choice([1, 1, 2, 3])
        )
        for code in dict.fromkeys(codes):
            need_record(
                actor=actor,
                learner=learner,
                reason=reasons[(nation, code)],
                identified_on=school_year_start - timedelta(days=randomiser.randrange(30, 900)),
                factor_groups=FACTORS_BY_REASON.get(code, ["learning_environment"]),
                evidence="Made-up demo evidence: class observation and assessment.",
            )
        stages = list(stage_list(enrolment.setting.authority))
        stage = stages[min(len(stages) - 1, randomiser.choice([1, 1, 1, 2, 2, 3]))]
        decided_on = recent(randomiser.randrange(5, 60))
        stage_decide(
            actor=actor,
            learner=learner,
            stage=stage,
            decided_on=decided_on,
            rationale="Made-up demo rationale: support agreed at the planning meeting.",
            next_review_on=decided_on + timedelta(days=randomiser.choice([90, 120, 180])),
            departure_reason=DEMO_DEPARTURE_REASON,
            departure_kind=DEMO_DEPARTURE_KIND,
        )
        if randomiser.random() < 0.3:
            wellbeing_assess(
                actor=actor,
                learner=learner,
                assessed_on=recent(randomiser.randrange(10, 70)),
                ratings={
                    indicator.value: (randomiser.choice(WELLBEING_LEVELS), "")
                    for indicator in WellbeingIndicator
                },
            )
        if randomiser.random() < 0.3:
            chronology_record(
                actor=actor,
                learner=learner,
                entry_type=randomiser.choice(ChronologyEntryType.values),
                occurred_on=recent(randomiser.randrange(0, 70)),
                summary="Made-up demo event.",
                source="Class teacher",
            )
    _add_riverside_story(staff, today, school_year_start)


def _add_riverside_story(
    staff: dict[str, tuple[User, str, dict[str, Any], str]], today: date, school_year_start: date
) -> None:
    """The demo parent's first child has a full history to show."""
    from stagewise.accounts.actors import actors_for
    from stagewise.learners.models import WellbeingIndicator
    from stagewise.learners.services import (
        chronology_record,
        need_record,
        stage_decide,
        wellbeing_assess,
    )
    from stagewise.statutory.models import ReasonForSupport
    from stagewise.statutory.selectors import stage_list

    teacher = actors_for(staff["teacher"][0])[0]
    lead = actors_for(staff["support_lead"][0])[0]
    learner = _story_learner()
    enrolment = learner.enrolments.select_related("setting__authority").get()
    stages = list(stage_list(enrolment.setting.authority))
    year_ago = school_year_start - timedelta(days=300)
    need_record(
        actor=teacher,
        learner=learner,
        reason=ReasonForSupport.objects.get(nation__code="scotland", code="24"),
        identified_on=year_ago,
        factor_groups=["disability_or_health"],
        evidence="Speech and language therapy assessment.",
    )
    for stage, decided_on, rationale in [
        (stages[0], year_ago, "Concerns raised by the class teacher; universal strategies."),
        (
            stages[1],
            year_ago + timedelta(days=120),
            "Little progress with universal strategies: small-group language work.",
        ),
        (
            stages[2],
            min(today, school_year_start + timedelta(days=20)),
            "Joint support team agreed speech and language therapy input.",
        ),
    ]:
        stage_decide(
            actor=lead,
            learner=learner,
            stage=stage,
            decided_on=decided_on,
            rationale=rationale,
            next_review_on=decided_on + timedelta(days=120),
            departure_reason=DEMO_DEPARTURE_REASON,
            departure_kind=DEMO_DEPARTURE_KIND,
        )
    for assessed_on, level in [
        (year_ago + timedelta(days=30), "some_concern"),
        (min(today, school_year_start + timedelta(days=40)), "no_concern"),
    ]:
        wellbeing_assess(
            actor=teacher,
            learner=learner,
            assessed_on=assessed_on,
            summary="Made-up assessment.",
            ratings={
                indicator.value: (
                    "some_concern" if indicator == WellbeingIndicator.ACHIEVING else level,
                    "",
                )
                for indicator in WellbeingIndicator
            },
        )
    chronology_record(
        actor=teacher,
        learner=learner,
        entry_type="health",
        occurred_on=year_ago + timedelta(days=60),
        summary="Hearing test: clear.",
        source="School nurse",
    )
    chronology_record(
        actor=lead,
        learner=learner,
        entry_type="family",
        occurred_on=year_ago + timedelta(days=200),
        summary="Family bereavement (made up), shared with the school in confidence.",
        source="Parent",
        restricted=True,
    )


def _add_young_persons_needs(
    teacher_user: User, learner: Learner, today: date, school_year_start: date
) -> None:
    """The young person's needs and stage, which their plan (demo_plans.py) builds on."""
    from stagewise.accounts.actors import actors_for
    from stagewise.learners.services import need_record, stage_decide
    from stagewise.statutory.models import ReasonForSupport
    from stagewise.statutory.selectors import stage_list

    teacher = actors_for(teacher_user)[0]
    enrolment = learner.enrolments.select_related("setting__authority").get()
    need_record(
        actor=teacher,
        learner=learner,
        reason=ReasonForSupport.objects.get(nation__code=Nation.SCOTLAND, code="11"),
        identified_on=school_year_start - timedelta(days=3 * 365),
        factor_groups=["disability_or_health"],
        evidence="Made-up demo evidence: dyslexia assessment by the support for learning"
        " service in S2.",
    )
    need_record(
        actor=teacher,
        learner=learner,
        reason=ReasonForSupport.objects.get(nation__code=Nation.SCOTLAND, code="28"),
        identified_on=school_year_start - timedelta(days=200),
        factor_groups=["social_and_emotional"],
        evidence="Made-up demo evidence: exam anxiety reported by Ewan and his guidance teacher.",
    )
    decided_on = min(today, school_year_start + timedelta(days=10))
    stage_decide(
        actor=teacher,
        learner=learner,
        stage=list(stage_list(enrolment.setting.authority))[1],
        decided_on=decided_on,
        rationale="Made-up demo rationale: targeted support with reading and exams agreed with"
        " Ewan.",
        next_review_on=decided_on + timedelta(days=120),
        departure_reason=DEMO_DEPARTURE_REASON,
        departure_kind=DEMO_DEPARTURE_KIND,
    )


def _story_learner() -> Learner:
    learner = (
        Learner.objects.filter(carer_links__carer__user__email=f"parent@{DEMO_DOMAIN}")
        .order_by("pk")
        .first()
    )
    assert learner is not None
    return learner
