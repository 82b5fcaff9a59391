"""Requests for assistance for the synthetic population, at stated rates per service, with their
consents, answers, waiting lists, practitioners and histories.

Every authority has one service of each type (plan.agencies_rows), each with a published pathway
(the demo's texts and response times: educational psychology 6 weeks, speech and language therapy
8, occupational therapy 10, CAMHS 4, social work 2, health visiting 2; the third-sector charity
takes no requests through Stagewise) and practitioners enough for its flow of requests (one per
`cases_a_year` requests a year; their accounts have unusable passwords), so that the manager's
queue has caseloads to show and accepted requests are allocated as a service would.

Rates are MODELLING CHOICES, stated here, not published statistics. Requests a year per 1,000
pupils (so the same in both nations; drawn among learners with needs, whose share differs):
educational psychology 25 and speech and language therapy 20 (the services schools ask most),
CAMHS 10, occupational therapy 6, social work 6, and health visiting 10 per 1,000 of the youngest
year group only (under-fives). Speech and language therapy is asked twice as often for a primary
pupil as for a secondary one, CAMHS and social work the other way round. Requests were sent on a
uniformly spread day of the last 18 months; for each, the service's answer came after a time
spread around its response time (12% late), unless the request was still awaiting an answer on
the reference day or withdrawn first (3%). Then, per type (declined, listed of those taken on,
median wait on the list in weeks): educational psychology 8%, 40%, 10; speech and language
therapy 10%, 60%, 16; occupational therapy 12%, 60%, 18; CAMHS 25%, 70%, 20 (CAMHS turns down
about a quarter of referrals and has the longest waits); social work 15%, 10%, 3; health visiting
5%, 10%, 2. Waits are log-normal (sigma 0.6); 5% leave the list withdrawn. A request taken on is
allocated at once (70%) or within three weeks, started within four weeks and completed after a
log-normal time around the type's `median_work_weeks`. Each request has a current consent (from
a parent, or the young person aged 16 or over; rarely the child) naming the needs (95%), plans
(70%), wellbeing (35%, more for CAMHS and social work) and chronology (15%, more for social
work); 1% (5% to social work) were sent on a recorded lawful basis instead.

A Scottish co-ordinated support plan in preparation whose agency-help clock the clocks module
started (clocks.py) has its request to that service: sent by the authority on the clock's start
day, due on the clock's date, awaiting the answer, joined to the clock and the plan.

Each authority draws from its own random stream, so requests never shift the learners, needs or
clocks drawn before them; the same seed gives the same rows.
"""

import json
import math
import random
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from stagewise.coordination.models import (
    ConsentGivenBy,
    ConsentMethod,
    RecordPart,
    RequestEventKind,
    RequestStatus,
    Urgency,
)
from stagewise.organisations.models import AgencyType, Nation, Role
from stagewise.synthetic import names
from stagewise.synthetic.clocks import AgencyHelp
from stagewise.synthetic.demo_pathways import PATHWAY_TEXTS
from stagewise.synthetic.plan import AuthorityPlan, NationPlan
from stagewise.synthetic.writers import Batch, Row

WINDOW_DAYS = 548  # 18 months of requests
WINDOW_YEARS = WINDOW_DAYS / 365
LATE_ANSWER_SHARE = 0.12
WITHDRAWN_BEFORE_ANSWER_SHARE = 0.03
WITHDRAWN_FROM_LIST_SHARE = 0.05
ALLOCATED_AT_ONCE_SHARE = 0.7
LAWFUL_BASIS_SHARE = 0.01
WAIT_SIGMA = 0.6
WORK_SIGMA = 0.5
SYSTEM_LABEL = "Stagewise"
PRACTITIONER_DOMAIN = "practitioners.synthetic.invalid"


@dataclass(frozen=True)
class ServiceProfile:
    """How schools use one type of service, and how it answers (see the module docstring)."""

    agency_type: str
    per_thousand_pupils: float  # requests a year
    primary_tilt: float  # how much more often for a primary pupil than a secondary one
    decline_share: float
    waiting_list_share: float  # of the requests taken on
    median_wait_weeks: float
    median_work_weeks: float
    cases_a_year: int  # per practitioner, to size the service
    lawful_basis_share: float = LAWFUL_BASIS_SHARE
    urgent_share: float = 0.03
    soon_share: float = 0.15
    wellbeing_share: float = 0.35
    chronology_share: float = 0.15
    youngest_only: bool = False


PROFILES = (
    ServiceProfile(AgencyType.EDUCATIONAL_PSYCHOLOGY, 25, 1.0, 0.08, 0.40, 10, 12, 45),
    ServiceProfile(AgencyType.SPEECH_AND_LANGUAGE_THERAPY, 20, 2.0, 0.10, 0.60, 16, 14, 60),
    ServiceProfile(AgencyType.OCCUPATIONAL_THERAPY, 6, 1.5, 0.12, 0.60, 18, 10, 60),
    ServiceProfile(
        AgencyType.CAMHS,
        10,
        0.5,
        0.25,
        0.70,
        20,
        20,
        35,
        urgent_share=0.10,
        soon_share=0.25,
        wellbeing_share=0.8,
        chronology_share=0.3,
    ),
    ServiceProfile(
        AgencyType.SOCIAL_WORK,
        6,
        0.5,
        0.15,
        0.10,
        3,
        16,
        30,
        lawful_basis_share=0.05,
        urgent_share=0.15,
        soon_share=0.30,
        wellbeing_share=0.8,
        chronology_share=0.6,
    ),
    ServiceProfile(AgencyType.HEALTH_VISITING, 10, 1.0, 0.05, 0.10, 2, 6, 80, youngest_only=True),
)
PROFILES_BY_TYPE = {profile.agency_type: profile for profile in PROFILES}

REASONS: dict[str, tuple[str, ...]] = {
    AgencyType.EDUCATIONAL_PSYCHOLOGY: (
        "Progress in literacy and numeracy has stalled despite targeted support.",
        "Finds it hard to stay regulated in class; we would like advice on what lies behind it.",
        "We need help to understand the learner's needs before the next review of the plan.",
    ),
    AgencyType.SPEECH_AND_LANGUAGE_THERAPY: (
        "Speech is hard for unfamiliar adults to understand.",
        "Difficulty following instructions and finding words in class.",
        "Stammering has become more noticeable and is affecting confidence.",
    ),
    AgencyType.OCCUPATIONAL_THERAPY: (
        "Fine motor difficulties make handwriting and dressing slow and tiring.",
        "Sensory needs: distressed by noise and busy spaces in school.",
    ),
    AgencyType.CAMHS: (
        "Persistent low mood and withdrawal from friends over several months.",
        "Anxiety is keeping the learner out of school most mornings.",
        "Self-harm disclosed to a member of staff; the family agree to a referral.",
    ),
    AgencyType.SOCIAL_WORK: (
        "Concerns about the family's circumstances affecting attendance and wellbeing.",
        "Young carer with growing responsibilities at home.",
    ),
    AgencyType.HEALTH_VISITING: (
        "Concerns about development and sleep raised by the nursery.",
        "Feeding and growth concerns shared by the family.",
    ),
}
TRIED = (
    "Small-group support three times a week and adjustments in class.",
    "Individual targets in the plan, reviewed each term with the family.",
    "Advice from the support-for-learning lead and a quiet space when needed.",
)
TRIED_FOR = ("Since the start of term", "Two terms", "Since last school year", "Six weeks")
LEARNER_VIEWS = (
    "Would like help to make things easier in class.",
    "Says school feels too much some days.",
    "Happy to meet someone new if a trusted adult is there.",
)
FAMILY_VIEWS = (
    "Agree with the request and would like advice for home.",
    "Worried about the learner and keen for the service to be involved.",
    "Agree, and would like to be at any meeting.",
)
DECLINE_REASONS = (
    (
        "The request does not meet the service's criteria: the school's own support should be "
        "tried and reviewed for a term first.",
        "Review the plan with the family and send again if progress stalls.",
    ),
    (
        "Another service is better placed to help with these needs.",
        "We suggest asking the service named.",
    ),
    (
        "Not enough information to decide: the latest plan and its review are missing.",
        "Send the request again with the plan and its review attached.",
    ),
)
# Where a declined request is pointed instead, by the type asked.
SUGGESTED_TYPE: dict[str, str] = {
    AgencyType.EDUCATIONAL_PSYCHOLOGY: AgencyType.SPEECH_AND_LANGUAGE_THERAPY,
    AgencyType.SPEECH_AND_LANGUAGE_THERAPY: AgencyType.EDUCATIONAL_PSYCHOLOGY,
    AgencyType.OCCUPATIONAL_THERAPY: AgencyType.EDUCATIONAL_PSYCHOLOGY,
    AgencyType.CAMHS: AgencyType.THIRD_SECTOR,
    AgencyType.SOCIAL_WORK: AgencyType.THIRD_SECTOR,
    AgencyType.HEALTH_VISITING: AgencyType.THIRD_SECTOR,
}
LAWFUL_BASES = (
    "Risk of significant harm to the child: shared under the child protection guidance without "
    "consent, as seeking it would place the child at greater risk.",
    "Child protection concern: shared with social work under the National Guidance for Child "
    "Protection; the family will be told once it is safe to do so.",
)
COMPLETION_NOTES = (
    "Assessment completed; report and advice shared with the school and family.",
    "Block of sessions completed; targets handed over to the school.",
    "Work completed; the family know how to ask again.",
)
WITHDRAWAL_NOTES = (
    "The family moved away.",
    "Needs now met by the school's own support.",
    "The family no longer want the service involved.",
)
CONSENT_METHODS = (
    ConsentMethod.IN_WRITING,
    ConsentMethod.IN_WRITING,
    ConsentMethod.AT_MEETING,
    ConsentMethod.IN_PERSON,
    ConsentMethod.BY_TELEPHONE,
)
# Year groups of young people (16 and over) who consent for themselves, and of children of 12 to
# 15 who may.
YOUNG_PEOPLE = frozenset({"S5", "S6", "Y12", "Y13"})
CHILDREN_WITH_CAPACITY = frozenset({"S1", "S2", "S3", "S4", "Y8", "Y9", "Y10", "Y11"})


@dataclass
class RequestKeys:
    requests: int
    consents: int
    request_events: int


@dataclass
class StaffKeys:
    pathways: int
    users: int
    memberships: int


def response_weeks(agency_type: str) -> int:
    return PATHWAY_TEXTS[agency_type].response_weeks


def staff_rows(plan: NationPlan, *, seed: int, keys: StaffKeys, as_of: date) -> Batch:
    """Every service's published pathway and its practitioners (accounts and memberships);
    fills each authority plan's `practitioners`. Call after agencies_rows."""
    batch: Batch = {"pathways": [], "users": [], "memberships": []}
    wales = plan.figures.code == Nation.WALES
    first_names = [*names.MOTHERS, *names.FATHERS]
    surnames = names.WELSH_SURNAMES if wales else names.SCOTTISH_SURNAMES
    joined = f"{as_of.isoformat()} 08:00:00"
    for authority in plan.authorities:
        rng = random.Random(f"{seed}:{plan.figures.code}:{authority.code}:staff")
        authority.practitioners = {}
        domain = f"{authority.code}.example.org"
        for number, (agency_type, agency_id) in enumerate(authority.services.items()):
            text = PATHWAY_TEXTS[agency_type]
            kind = agency_type.replace("_", "-")
            batch["pathways"].append(
                (
                    keys.pathways,
                    agency_id,
                    text.summary,
                    text.summary_cy,
                    text.access_criteria,
                    text.access_criteria_cy,
                    text.request_must_include,
                    text.request_must_include_cy,
                    json.dumps(list(text.usual_stages)),
                    text.response_weeks,
                    f"01632 960{100 + 10 * number:03d}",
                    f"{kind}@{domain}",
                    f"https://www.{domain}/services/{kind}",
                    f"{10 + number} Example Street, {authority.name}",
                    1 if text.accepts_requests else 0,
                )
            )
            keys.pathways += 1
            profile = PROFILES_BY_TYPE.get(agency_type)
            if profile is None:
                continue
            yearly = authority.learners * profile.per_thousand_pupils / 1000
            count = max(1, round(yearly / profile.cases_a_year))
            practitioners: list[tuple[int, str]] = []
            for serial in range(count):
                user_id = keys.users
                keys.users += 1
                full_name = f"{rng.choice(first_names)} {rng.choice(surnames)}"
                batch["users"].append(
                    (
                        user_id,
                        "!synthetic",  # unusable: nobody signs in as a synthetic practitioner
                        None,
                        0,
                        f"{kind}-{agency_id}-{serial + 1}@{PRACTITIONER_DOMAIN}",
                        full_name,
                        "en",
                        1,
                        0,
                        joined,
                    )
                )
                started = as_of - timedelta(days=700 + rng.randrange(3000))
                batch["memberships"].append(
                    (
                        keys.memberships,
                        user_id,
                        str(Role.AGENCY_PRACTITIONER),
                        None,
                        None,
                        agency_id,
                        None,
                        started.isoformat(),
                        None,
                    )
                )
                keys.memberships += 1
                practitioners.append((user_id, full_name))
            authority.practitioners[agency_id] = practitioners
    return batch


class AuthorityRequests:
    """Draws one authority's requests for assistance from its own random stream."""

    def __init__(
        self,
        plan: NationPlan,
        authority: AuthorityPlan,
        rng: random.Random,
        keys: RequestKeys,
        as_of: date,
    ) -> None:
        self.plan = plan
        self.authority = authority
        self.rng = rng
        self.keys = keys
        self.as_of = as_of
        figures = plan.figures
        weights = figures.year_group_weights
        primary = sum(w for year, w in weights.items() if year in figures.primary_years)
        total = sum(weights.values())
        youngest = next(iter(weights))
        self.youngest = youngest
        # Per service the chance that a learner with needs in each year group was the subject
        # of a request in the window: the yearly rate per pupil over the nation's share with
        # needs, tilted by phase so that the tilt leaves the overall rate as stated.
        self.chances: dict[str, list[tuple[ServiceProfile, int, float]]] = {}
        for year_group in weights:
            in_primary = year_group in figures.primary_years
            chances = []
            for profile in PROFILES:
                agency_id = authority.services.get(profile.agency_type)
                if agency_id is None:
                    continue
                per_pupil = profile.per_thousand_pupils / 1000
                if profile.youngest_only:
                    if year_group != youngest:
                        continue
                    tilt = 1.0
                else:
                    # primary share p: tilt t for primary, s for secondary, p*t + (1-p)*s = 1,
                    # t = primary_tilt * s.
                    share = primary / total
                    secondary = 1 / (share * profile.primary_tilt + (1 - share))
                    tilt = secondary * (profile.primary_tilt if in_primary else 1.0)
                chance = WINDOW_YEARS * per_pupil * tilt / figures.support_needs_rate
                chances.append((profile, agency_id, min(chance, 0.95)))
            self.chances[year_group] = chances

    # --- helpers ---

    def uuid(self) -> str:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4).hex

    def event(
        self,
        batch: Batch,
        request_id: int,
        kind: str,
        on: date,
        hour: str,
        note: str = "",
        actor_id: int | None = None,
        actor_label: str = SYSTEM_LABEL,
    ) -> None:
        batch["request_events"].append(
            (
                self.keys.request_events,
                request_id,
                str(kind),
                note,
                actor_id,
                actor_label,
                f"{on.isoformat()} {hour}",
            )
        )
        self.keys.request_events += 1

    def lognormal_days(self, median_weeks: float, sigma: float) -> int:
        return max(1, round(7 * median_weeks * math.exp(self.rng.gauss(0.0, sigma))))

    def consent_or_basis(
        self,
        batch: Batch,
        request_id: int,
        profile: ServiceProfile | None,
        year_group: str,
        carers: list[tuple[int, str]],
        drafted: date,
    ) -> tuple[str, str | None]:
        """A current consent (written) or a lawful basis (returned, with when it was recorded)."""
        rng = self.rng
        random_ = rng.random
        lawful_share = profile.lawful_basis_share if profile else LAWFUL_BASIS_SHARE
        if random_() < lawful_share:
            basis = rng.choice(LAWFUL_BASES)
            self.event(
                batch,
                request_id,
                RequestEventKind.LAWFUL_BASIS_RECORDED,
                drafted,
                "09:05:00",
                basis,
            )
            return basis, f"{drafted.isoformat()} 09:05:00"
        carer_id: int | None = None
        if year_group in YOUNG_PEOPLE and random_() < 0.6:
            given_by, given_by_name = ConsentGivenBy.YOUNG_PERSON, "The young person"
        elif year_group in CHILDREN_WITH_CAPACITY and random_() < 0.05:
            given_by, given_by_name = ConsentGivenBy.CHILD, "The child"
        else:
            given_by = ConsentGivenBy.PARENT
            carer_id, given_by_name = rng.choice(carers) if carers else (None, "A parent")
        wellbeing = profile.wellbeing_share if profile else 0.35
        chronology = profile.chronology_share if profile else 0.15
        parts = [
            part
            for part, share in (
                (RecordPart.NEEDS, 0.95),
                (RecordPart.PLANS, 0.7),
                (RecordPart.WELLBEING, wellbeing),
                (RecordPart.CHRONOLOGY, chronology),
            )
            if random_() < share
        ]
        given_on = drafted - timedelta(days=rng.randrange(21))
        batch["consents"].append(
            (
                self.keys.consents,
                self.uuid(),
                request_id,
                str(given_by),
                given_by_name,
                carer_id,
                json.dumps([str(part) for part in parts]),
                given_on.isoformat(),
                str(rng.choice(CONSENT_METHODS)),
                None,
                f"{drafted.isoformat()} 09:05:00",
                None,
                None,
                "",
            )
        )
        self.keys.consents += 1
        self.event(
            batch, request_id, RequestEventKind.CONSENT_RECORDED, drafted, "09:05:00", given_by_name
        )
        return "", None

    # --- one learner ---

    def learner(
        self,
        batch: Batch,
        *,
        learner_id: int,
        setting_id: int,
        year_group: str,
        has_needs: bool,
        carers: list[tuple[int, str]],
        agency_help: AgencyHelp | None,
    ) -> None:
        if agency_help is not None:
            self.statutory_request(batch, learner_id, year_group, carers, agency_help)
        if not has_needs:
            return
        random_ = self.rng.random
        for profile, agency_id, chance in self.chances[year_group]:
            if random_() < chance:
                self.request(batch, profile, agency_id, learner_id, setting_id, year_group, carers)

    def statutory_request(
        self,
        batch: Batch,
        learner_id: int,
        year_group: str,
        carers: list[tuple[int, str]],
        help_: AgencyHelp,
    ) -> None:
        """The authority's request for help with a co-ordinated support plan: sent, awaiting
        the answer, on the statutory clock."""
        request_id = self.keys.requests
        self.keys.requests += 1
        sent = help_.asked_on
        self.event(batch, request_id, RequestEventKind.DRAFTED, sent, "09:00:00")
        basis, basis_at = self.consent_or_basis(batch, request_id, None, year_group, carers, sent)
        self.event(batch, request_id, RequestEventKind.SENT, sent, "09:10:00")
        batch["requests"].append(
            self.request_row(
                request_id,
                learner_id,
                help_.agency_id,
                None,
                "We are preparing a co-ordinated support plan and ask for the service's "
                "assessment and advice, as the 2004 Act provides.",
                basis,
                basis_at,
                RequestStatus.SENT,
                sent=sent,
                due=help_.due_on,
                plan_id=help_.plan_id,
                clock_id=help_.process_id,
                urgency=Urgency.SOON,
            )
        )

    def request_row(
        self,
        request_id: int,
        learner_id: int,
        agency_id: int,
        setting_id: int | None,
        reason: str,
        basis: str,
        basis_at: str | None,
        status: str,
        *,
        sent: date,
        due: date | None,
        answered: date | None = None,
        waiting_since: date | None = None,
        allocated_to: int | None = None,
        decline: tuple[str, int | None, str] | None = None,
        completed: date | None = None,
        plan_id: int | None = None,
        clock_id: int | None = None,
        urgency: str = Urgency.ROUTINE,
    ) -> Row:
        rng = self.rng
        decline_reason, suggested, suggestion = decline or ("", None, "")
        return (
            request_id,
            self.uuid(),
            learner_id,
            agency_id,
            self.authority.authority_id,
            setting_id,
            None,
            plan_id,
            reason,
            rng.choice(TRIED),
            rng.choice(TRIED_FOR),
            str(urgency),
            rng.choice(LEARNER_VIEWS),
            rng.choice(FAMILY_VIEWS),
            basis,
            None,
            basis_at,
            str(status),
            sent.isoformat(),
            due.isoformat() if due else None,
            answered.isoformat() if answered else None,
            waiting_since.isoformat() if waiting_since else None,
            allocated_to,
            decline_reason,
            suggested,
            suggestion,
            completed.isoformat() if completed else None,
            clock_id,
            f"{sent.isoformat()} 09:00:00",
        )

    def request(
        self,
        batch: Batch,
        profile: ServiceProfile,
        agency_id: int,
        learner_id: int,
        setting_id: int,
        year_group: str,
        carers: list[tuple[int, str]],
    ) -> None:
        """One request to a service, followed from sending to where it is on the reference day."""
        rng = self.rng
        random_ = rng.random
        as_of = self.as_of
        request_id = self.keys.requests
        self.keys.requests += 1
        weeks = response_weeks(profile.agency_type)
        sent = as_of - timedelta(days=rng.randrange(WINDOW_DAYS))
        drafted = sent - timedelta(days=rng.randrange(10))
        roll = random_()
        urgency = (
            Urgency.URGENT
            if roll < profile.urgent_share
            else Urgency.SOON
            if roll < profile.urgent_share + profile.soon_share
            else Urgency.ROUTINE
        )
        reason = rng.choice(REASONS[profile.agency_type])
        self.event(batch, request_id, RequestEventKind.DRAFTED, drafted, "09:00:00")
        basis, basis_at = self.consent_or_basis(
            batch, request_id, profile, year_group, carers, drafted
        )
        self.event(batch, request_id, RequestEventKind.SENT, sent, "09:10:00")
        due = sent + timedelta(weeks=weeks)

        def row(status: str, **fields: object) -> None:
            batch["requests"].append(
                self.request_row(
                    request_id,
                    learner_id,
                    agency_id,
                    setting_id,
                    reason,
                    basis,
                    basis_at,
                    status,
                    sent=sent,
                    due=due,
                    urgency=urgency,
                    **fields,  # type: ignore[arg-type]
                )
            )

        def withdrawn(on: date, **fields: object) -> None:
            self.event(
                batch,
                request_id,
                RequestEventKind.WITHDRAWN,
                on,
                "12:00:00",
                rng.choice(WITHDRAWAL_NOTES),
            )
            row(RequestStatus.WITHDRAWN, **fields)

        # The first answer, or a withdrawal before it.
        if random_() < LATE_ANSWER_SHARE:
            answer_days = 7 * weeks + 1 + rng.randrange(7 * weeks // 2 + 7)
        else:
            answer_days = 1 + rng.randrange(7 * weeks)
        answered = sent + timedelta(days=answer_days)
        if random_() < WITHDRAWN_BEFORE_ANSWER_SHARE:
            on = sent + timedelta(days=rng.randrange(answer_days))
            if on <= as_of:
                withdrawn(on)
                return
        if answered > as_of:
            row(RequestStatus.SENT)
            return
        roll = random_()
        if roll < profile.decline_share:
            reason_text, suggestion = rng.choice(DECLINE_REASONS)
            suggested = None
            if random_() < 0.6:
                suggested = self.authority.services.get(SUGGESTED_TYPE[profile.agency_type])
            self.event(
                batch, request_id, RequestEventKind.DECLINED, answered, "10:00:00", reason_text
            )
            row(
                RequestStatus.DECLINED,
                answered=answered,
                decline=(reason_text, suggested, suggestion),
            )
            return
        waiting_since: date | None = None
        taken_on = answered
        if random_() < profile.waiting_list_share:
            waiting_since = answered
            self.event(batch, request_id, RequestEventKind.WAITING_LIST, answered, "10:00:00")
            wait = self.lognormal_days(profile.median_wait_weeks, WAIT_SIGMA)
            taken_on = answered + timedelta(days=wait)
            if random_() < WITHDRAWN_FROM_LIST_SHARE:
                on = answered + timedelta(days=rng.randrange(wait))
                if on <= as_of:
                    withdrawn(on, answered=answered, waiting_since=waiting_since)
                    return
            if taken_on > as_of:
                row(RequestStatus.WAITING_LIST, answered=answered, waiting_since=waiting_since)
                return
        self.event(batch, request_id, RequestEventKind.ACCEPTED, taken_on, "10:05:00")
        allocated_on = taken_on
        if random_() >= ALLOCATED_AT_ONCE_SHARE:
            allocated_on = taken_on + timedelta(days=1 + rng.randrange(21))
        if allocated_on > as_of:
            row(RequestStatus.ACCEPTED, answered=answered, waiting_since=waiting_since)
            return
        practitioners = self.authority.practitioners[agency_id]
        practitioner, practitioner_name = practitioners[rng.randrange(len(practitioners))]
        self.event(
            batch,
            request_id,
            RequestEventKind.ALLOCATED,
            allocated_on,
            "10:10:00",
            practitioner_name,
        )
        started = allocated_on + timedelta(days=rng.randrange(28))
        taken = {
            "answered": answered,
            "waiting_since": waiting_since,
            "allocated_to": practitioner,
        }
        if started > as_of:
            row(RequestStatus.ACCEPTED, **taken)
            return
        self.event(
            batch,
            request_id,
            RequestEventKind.IN_PROGRESS,
            started,
            "11:00:00",
            actor_id=practitioner,
            actor_label=practitioner_name,
        )
        completed = started + timedelta(
            days=self.lognormal_days(profile.median_work_weeks, WORK_SIGMA)
        )
        if completed > as_of:
            row(RequestStatus.IN_PROGRESS, **taken)
            return
        self.event(
            batch,
            request_id,
            RequestEventKind.COMPLETED,
            completed,
            "15:00:00",
            rng.choice(COMPLETION_NOTES),
            actor_id=practitioner,
            actor_label=practitioner_name,
        )
        row(RequestStatus.COMPLETED, completed=completed, **taken)
