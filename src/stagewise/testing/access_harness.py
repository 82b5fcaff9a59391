"""The machinery of the access harness. What it checks is specified, as data, in
stagewise/tests/test_access_harness.py; this module only knows how to check it.

- `url_patterns` lists every pattern the project serves, includes flattened, and
  `patterns_without_expectations` names those holding learner data that the specification does
  not cover: a learner id in the route, a file or export, or a page of an app made of learner data.
- `Specification` turns the expectations (who sees each learner, which roles may use each page)
  into the outcome each actor should get.
- `world_for_module` builds the named actors and their two learners once per test module, in a
  transaction rolled back when the module ends; each test runs in its own savepoint (pytest-django's
  `db` fixture), so nothing one case writes is seen by another.
- `record_states` is everything a write could change about each learner, so a refused write is
  caught if it lands and a permitted one is seen to land.
"""

import inspect
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from enum import Enum
from typing import Any

import factory.random
from django.conf import settings
from django.db.models import Count, Max, Q
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from stagewise.accounts.models import User
from stagewise.audit.models import AuditEvent
from stagewise.coordination.models import (
    ConsentGivenBy,
    ConsentMethod,
    Contribution,
    ContributionKind,
    Meeting,
    MeetingAction,
    MeetingKind,
    RequestAttachment,
    RequestForAssistance,
    RequestStatus,
)
from stagewise.coordination.services import (
    attachment_add,
    consent_record,
    contribution_add,
    request_accept,
    request_draft,
    request_send,
    request_start,
)
from stagewise.coordination.services.meetings import (
    meeting_action_add,
    meeting_arrange,
    meeting_invite,
)
from stagewise.disagreements.models import Disagreement, RaisedFor
from stagewise.disagreements.services import disagreement_record
from stagewise.families.feedback_models import ReviewFeedback
from stagewise.families.models import (
    CapacityAssessment,
    RequestChannel,
    RightsRequest,
    TransitionFamilyPart,
)
from stagewise.families.review_views_models import ReviewViewsInvitation
from stagewise.families.review_views_services import review_views_invite
from stagewise.families.services import Requester, rights_request_record
from stagewise.learners.models import (
    Enrolment,
    Learner,
    LearnerCarer,
    LearnerMove,
    Need,
    ParentSharingDecision,
    StaffRelationship,
    Transition,
    TransitionKind,
    WellbeingAssessment,
)
from stagewise.learners.services import transition_plan
from stagewise.measurement.models import AttendanceRecord
from stagewise.measurement.outcome_kinds import OUTCOME_KINDS
from stagewise.measurement.periods import school_year_of
from stagewise.measurement.services.outcomes import CHANGEABLE_FIELDS, attendance_record
from stagewise.organisations.models import Agency, LocalAuthority, Nation, Role, Setting
from stagewise.planning.models import (
    Plan,
    PlanCommunication,
    PlanResponse,
    PlanReview,
    PlanSectionText,
    PlanVersion,
    PlanView,
    ReviewDecision,
    SupportProvision,
    Target,
)
from stagewise.planning.services import plan_revise
from stagewise.policy import SYSTEM
from stagewise.statutory.models import CoordinatedSupportPlanConsideration, StatutoryProcess
from stagewise.statutory.services import process_pause, process_start
from stagewise.testing.factories import (
    AgencyFactory,
    MembershipFactory,
    SettingFactory,
    UserFactory,
    add_need,
    add_wellbeing_assessment,
    authority,
    enrolled_learner,
    involve_agency,
    link_carer,
    link_staff,
    scotland,
    staff_for,
    with_authenticator_app,
)
from stagewise.testing.files import pdf_upload
from stagewise.testing.plans import acting, complete_plan, finalised_plan
from stagewise.testing.worlds import built_once_per_module

LEARNER_ID = "learner_id"
# Apps whose every page shows learner data, whether or not a learner is named in the address.
LEARNER_DATA_NAMESPACES = frozenset({"learners", "planning", "moderation", "roll_imports"})
# Words in a route or name that mark a file or an export: a printed page, a PDF, a download.
EXPORT_WORDS = frozenset(
    {"print", "printable", "pdf", "export", "exports", "download", "csv", "xlsx", "file", "files"}
)
HTMX_HEADER = "HX-Request"
# "Anyone who sees the learner may use this page": every role, cut only by who sees whom.
ALL_ROLES = frozenset(Role)


# URL patterns ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UrlPattern:
    name: str  # "planning:pdf"; empty if the pattern has no name
    route: str
    kwargs: frozenset[str]
    view: Callable[..., Any] | None = field(default=None, compare=False, repr=False)

    @property
    def other_forms(self) -> set[str]:
        """Other forms of the page its view serves: a query parameter that turns it into a file
        or a printed page ("print"), or the header that turns it into an HTMX fragment."""
        if self.view is None:
            return set()
        try:
            source = inspect.getsource(inspect.unwrap(self.view))
        except (OSError, TypeError):
            return set()
        parameters = set(re.findall(r"GET(?:\.get\(|\[)\s*[\"'](\w+)[\"']", source))
        forms = {f"?{parameter}" for parameter in parameters & EXPORT_WORDS}
        # The header read by hand, or through django-htmx's request.htmx.
        if HTMX_HEADER in source or "request.htmx" in source:
            forms.add(HTMX_HEADER)
        return forms

    @property
    def namespace(self) -> str:
        return self.name.rpartition(":")[0]

    @property
    def is_export(self) -> bool:
        words = set(re.split(r"[^a-z0-9]+", f"{self.name} {self.route}".lower()))
        return bool(words & EXPORT_WORDS)

    @property
    def holds_learner_data(self) -> bool:
        return (
            LEARNER_ID in self.kwargs or self.is_export or self.namespace in LEARNER_DATA_NAMESPACES
        )

    def __str__(self) -> str:
        return f"{self.name or '(unnamed)'} /{self.route}"


def url_patterns(resolver: URLResolver | None = None) -> list[UrlPattern]:
    """Every pattern the resolver serves, each with the route and keywords of its includes."""
    return list(_walk(resolver or get_resolver(), route="", namespace="", kwargs=frozenset()))


def _walk(
    resolver: URLResolver, *, route: str, namespace: str, kwargs: frozenset[str]
) -> Iterator[UrlPattern]:
    for entry in resolver.url_patterns:
        entry_route = route + str(entry.pattern)
        entry_kwargs = kwargs | frozenset(entry.pattern.regex.groupindex)
        if isinstance(entry, URLResolver):
            inner = ":".join(part for part in (namespace, entry.namespace or "") if part)
            yield from _walk(entry, route=entry_route, namespace=inner, kwargs=entry_kwargs)
        elif isinstance(entry, URLPattern):
            name = ":".join(part for part in (namespace, entry.name or "") if part)
            yield UrlPattern(
                name=name if entry.name else "",
                route=entry_route,
                kwargs=entry_kwargs,
                view=entry.callback,
            )


def patterns_without_expectations(
    expected: set[str], patterns: Sequence[UrlPattern] | None = None
) -> list[UrlPattern]:
    """Patterns that hold learner data but have no expectation (an unnamed one never has)."""
    patterns = url_patterns() if patterns is None else patterns
    return [
        pattern
        for pattern in patterns
        if pattern.holds_learner_data and (not pattern.name or pattern.name not in expected)
    ]


# Expectations ------------------------------------------------------------------------------------

# The three plans each learner has, named by the state they are in.
FINALISED_PLAN = "finalised plan"
PLAN_BEING_REVISED = "plan being revised"
DRAFT_PLAN = "draft plan"


@dataclass(frozen=True)
class ActorSpec:
    """One named actor: their role, where they hold it, and whom they are linked to."""

    role: str
    at: str | None = None  # where a member of staff holds the role ("school", "fife", ...)
    linked_to: str | None = None  # a learner of the world ("learner", "other_learner")
    link: str = ""  # for staff linked to a learner: the kind of relationship
    full_name: str = ""  # the actor's key, as words, if not given


@dataclass(frozen=True)
class Subject:
    """What a URL is about: a learner, their records and (for plan pages) one of their plans."""

    records: "LearnerRecords"
    plan: Plan | None = None

    @property
    def learner(self) -> Learner:
        return self.records.learner


# A record id of a URL, found from its subject: `first_target(subject)`.
Locator = Callable[[Subject], object]
# A valid form for a page, given its subject and the URL's other ids (as the URL names them).
Payload = Callable[[Subject, Mapping[str, object]], dict[str, Any]]


@dataclass(frozen=True)
class Write:
    """What posting the page's form does when it is allowed.

    `payload` fills the form validly (None for a button, which posts nothing but the click);
    `changes` names the parts of the learner's record (see `record_states`) it changes, and no
    others change; `succeeds_for` are the roles the service lets do it, among those who may open
    the page (the rest are told why on the form, and nothing changes).
    """

    payload: Payload | None
    changes: tuple[str, ...]
    succeeds_for: frozenset[str] = ALL_ROLES


@dataclass(frozen=True)
class Variant:
    """The same page asked for another way: its printable version, an HTMX fragment."""

    label: str
    query: Mapping[str, str] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)

    @property
    def forms(self) -> set[str]:
        """In `UrlPattern.other_forms` terms: "?print", "HX-Request"."""
        return {f"?{name}" for name in self.query} | set(self.headers)


PAGE = Variant("page")


@dataclass(frozen=True)
class Page:
    """One URL pattern about a learner, and who may use it among those who see the learner."""

    name: str
    used_by: frozenset[str]
    plan: str | None = None  # for a page about a plan: which of the learner's plans
    ids: Mapping[str, Locator] = field(default_factory=dict)
    write: Write | None = None
    hidden_from_family: bool = False  # the staff record of a plan: to a family it does not exist
    variants: tuple[Variant, ...] = (PAGE,)

    @property
    def button(self) -> bool:
        """A one-click change: it takes only POST, with nothing but the click."""
        return self.write is not None and self.write.payload is None

    @property
    def record_ids(self) -> list[str]:
        """The ids in the URL that name a record of the learner (a plan, a target, a need...)."""
        names = (["plan_id"] if self.plan else []) + list(self.ids)
        return [name for name in names if name.endswith("_id")]


@dataclass(frozen=True)
class ListPage:
    """A page listing or counting learners without naming one: who may open it."""

    name: str
    used_by: frozenset[str]
    variants: tuple[Variant, ...] = (PAGE,)


class Outcome(Enum):
    ALLOWED = "allowed"
    # The page opens, but the service refuses the write and the form says why.
    REFUSED_ON_FORM = "refused on the form"
    # Sees the learner but lacks the capability: 403.
    FORBIDDEN = "forbidden"
    # Does not see the learner: 404, never a hint the record exists.
    NOT_FOUND = "not found"
    # Sees the learner but, as family, not this record (a draft, the staff record): 404.
    HIDDEN = "hidden"

    @property
    def refused(self) -> bool:
        return self is not Outcome.ALLOWED

    def status(self, page: Page, *, posting: bool) -> int:
        if self in (Outcome.NOT_FOUND, Outcome.HIDDEN):
            return 404
        if self is Outcome.FORBIDDEN:
            return 403
        if self is Outcome.ALLOWED and (page.button or posting):
            return 302  # done, and back to the page it was done from
        return 200


@dataclass(frozen=True)
class Specification:
    actors: Mapping[str, ActorSpec]
    sees: Mapping[str, frozenset[str]]  # learner key -> the actors who see that learner
    family_roles: frozenset[str]
    pages: Sequence[Page]
    lists: Sequence[ListPage]
    # Files and exports that hold no learner data, each with the reason.
    not_learner_data: Mapping[str, str] = field(default_factory=dict)
    # Addresses with learner data that reach it other than through a learner in the address (a
    # service's own side of a request), so this harness cannot build them: each names the test
    # that checks who may use it.
    tested_elsewhere: Mapping[str, str] = field(default_factory=dict)
    # The second door (learners/access.records_written_here_for): pages for the school a learner
    # has left, each with the roles that may use it. Nobody reaches them through `sees`: they are
    # tried after a learner of the world has moved away.
    sending_school_pages: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # The third door (learners/access.learner_for_subject_access, ADR 0032): a data protection
    # officer's export of a learner ever enrolled in their authority; each page with the roles
    # that may use it.
    subject_access_pages: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # The fourth door (learners/access.learner_for_erasure, ADR 0033): a data protection officer's
    # erasure of a learner the retention review found due in their authority; each page with the
    # roles that may use it. Tried once the review has found the world's learners due.
    erasure_pages: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # The fifth door (moderation/selectors.py, ADR 0046): a sampled stage decision's anonymised
    # evidence, reached by the officers of the sample, the moderator assigned and the deciding
    # school's leaders; each page with the actors of the world who reach it once a decision about
    # a learner has been sampled, assigned and disagreed with.
    moderation_pages: Mapping[str, frozenset[str]] = field(default_factory=dict)

    @property
    def names(self) -> set[str]:
        return (
            {page.name for page in self.pages}
            | {page.name for page in self.lists}
            | set(self.not_learner_data)
            | set(self.tested_elsewhere)
            | set(self.sending_school_pages)
            | set(self.subject_access_pages)
            | set(self.erasure_pages)
            | set(self.moderation_pages)
        )

    def role(self, actor: str) -> str:
        return self.actors[actor].role

    def is_family(self, actor: str) -> bool:
        return self.role(actor) in self.family_roles

    def reading(self, actor: str, page: Page, whose: str, plan: str | None = None) -> Outcome:
        """What `actor` gets from `page` about `whose` learner (and, for plan pages, `plan`)."""
        if actor not in self.sees[whose]:
            return Outcome.NOT_FOUND
        plan = plan or page.plan
        if self.is_family(actor) and (
            page.hidden_from_family or (plan == DRAFT_PLAN and page.plan is not None)
        ):
            return Outcome.HIDDEN
        if self.role(actor) not in page.used_by:
            return Outcome.FORBIDDEN
        return Outcome.ALLOWED

    def writing(self, actor: str, page: Page, whose: str) -> Outcome:
        outcome = self.reading(actor, page, whose)
        assert page.write is not None
        if outcome is Outcome.ALLOWED and self.role(actor) not in page.write.succeeds_for:
            return Outcome.REFUSED_ON_FORM
        return outcome

    def may_use(self, actor: str, page: Page) -> bool:
        """Would `actor` get this page for a learner they see (a plan finalised)?"""
        return self.role(actor) in page.used_by and not (
            self.is_family(actor) and page.hidden_from_family
        )

    def learner_seen_by(self, actor: str) -> str:
        return next(whose for whose, actors in self.sees.items() if actor in actors)


# The world ---------------------------------------------------------------------------------------


@dataclass
class LearnerRecords:
    key: str
    learner: Learner
    open_need: Need
    wellbeing_assessment: WellbeingAssessment
    plans: dict[str, Plan]
    # A statutory clock running and one paused, for the pages that act on a clock.
    running_process: StatutoryProcess
    paused_process: StatutoryProcess
    # Requests for assistance: the one through which a service is involved (with a parent's
    # consent, the work in progress), a draft with nothing recorded yet but a file attached,
    # and a draft with consent, ready to send.
    involvement: RequestForAssistance
    draft_request: RequestForAssistance
    attachment: RequestAttachment
    ready_request: RequestForAssistance
    # A file sent with a request the service has taken on (what a service may download).
    shared_attachment: RequestAttachment
    # The service's advice on the involvement, suggesting support not yet in any plan.
    contribution: Contribution
    # A team around the child meeting held today (so views, attendance and minutes may all be
    # recorded), arranged by the school's support-for-learning lead, the involved service's
    # practitioner invited; one action agreed, owned by the organiser.
    meeting: Meeting
    meeting_action: MeetingAction
    # A parent's request, by letter, to establish whether a co-ordinated support plan is
    # needed: still open, on the running clock.
    rights_request: RightsRequest
    # A disagreement the parent raised, still with the school (its first route).
    disagreement: Disagreement
    # A move to another school planned for next term (ADR 0020): the family may give their part.
    transition: Transition
    # Attendance in the autumn term of last school year (an outcome record).
    attendance: AttendanceRecord

    def subject(self, plan: str | None = None) -> Subject:
        return Subject(records=self, plan=self.plans[plan] if plan else None)


@dataclass
class World:
    users: dict[str, User]
    learners: dict[str, LearnerRecords]
    sessions: dict[str, str]
    _states_as_built: dict[str, dict[str, object]] | None = None

    def states_as_built(self) -> dict[str, dict[str, object]]:
        """`record_states` of every learner as the world was built (read as it is built). Each
        test's changes are rolled back, so this is the state before every test."""
        if self._states_as_built is None:
            self._states_as_built = record_states(self.learners)
        return self._states_as_built

    def assert_no_learner_changed(self, tables_written: set[str]) -> None:
        """Nothing about either learner changed since the world was built. A request that wrote
        no table (`tables_written`) but the audit trail, the session or the cache cannot have
        changed anything; only one that wrote elsewhere has every record read and compared."""
        if tables_written:
            assert record_states(self.learners) == self.states_as_built(), tables_written

    def client(self, actor: str | None) -> Client:
        """A fresh client signed in as `actor` (signed out if None): no cookie from another case."""
        client = Client()
        if actor is not None:
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[actor]
        return client

    def url(self, page: "Page", whose: str, plan: str | None = None, **ids: object) -> str:
        """The page's URL about `whose` learner (and `plan`, or the page's own); `ids` replace
        any of the ids it would name."""
        subject = self.learners[whose].subject(plan or page.plan)
        return reverse(page.name, kwargs=url_kwargs(page, subject) | ids)

    def url_with(self, page: "Page", whose: str, name: str, value: str) -> str:
        """The page's URL with one id replaced by `value` as typed, even a value its URL
        converter would never produce (a malformed id must still reach a 404)."""
        subject = self.learners[whose].subject(page.plan)
        kwargs = url_kwargs(page, subject)
        real = str(kwargs[name])
        address = reverse(page.name, kwargs=kwargs)
        return address.replace(f"/{real}/", f"/{value}/", 1)

    def crossed_url(
        self, specification: "Specification", actor: str, page: "Page", way: str
    ) -> tuple[str, Subject, Subject]:
        """The page's URL under the learner `actor` sees, naming records of the other learner:
        every record id ("every record"), or only the last ("last record only": a target of
        another plan under one's own plan). Returns the URL, the subject it reaches through and
        the subject whose records it names."""
        own_key = specification.learner_seen_by(actor)
        foreign_key = next(key for key in self.learners if key != own_key)
        own = self.learners[own_key].subject(page.plan)
        foreign = self.learners[foreign_key].subject(page.plan)
        crossed = page.record_ids if way == "every record" else page.record_ids[-1:]
        foreign_kwargs = url_kwargs(page, foreign)
        kwargs = url_kwargs(page, own) | {name: foreign_kwargs[name] for name in crossed}
        return reverse(page.name, kwargs=kwargs), own, foreign


def url_kwargs(page: Page, subject: Subject) -> dict[str, object]:
    """The ids in the page's URL, found from its subject."""
    kwargs: dict[str, object] = {LEARNER_ID: subject.learner.public_id}
    if page.plan:
        assert subject.plan is not None
        kwargs["plan_id"] = subject.plan.public_id
    return kwargs | {name: locate(subject) for name, locate in page.ids.items()}


def send(client: Client, page: Page, url: str, variant: Variant = PAGE, data: Any = None) -> Any:
    """A button is posted; any other page is asked for, or posted with `data` if given."""
    if page.button or data is not None:
        return client.post(url, data or {}, headers=dict(variant.headers))
    return client.get(url, dict(variant.query), headers=dict(variant.headers))


def text(response: Any) -> str:
    return response.content.decode(errors="replace")


def _organisations() -> dict[str, Any]:
    """The organisations of stagewise/conftest.py: two Glasgow schools, a Fife school, two
    Glasgow agencies; and a Fife agency, for a request about the Fife learner."""
    glasgow, fife = authority("Glasgow City"), authority("Fife")
    return {
        "school": SettingFactory.create(authority=glasgow, name="Riverside Primary School"),
        "other_school": SettingFactory.create(authority=glasgow, name="Hillhead Primary School"),
        "fife_school": SettingFactory.create(authority=fife, name="Harbourside Primary School"),
        "agency": AgencyFactory.create(
            authority=glasgow, name="Glasgow Speech and Language Therapy"
        ),
        "other_agency": AgencyFactory.create(authority=glasgow, name="Glasgow CAMHS"),
        "fife_agency": AgencyFactory.create(authority=fife, name="Fife Occupational Therapy"),
        "glasgow": glasgow,
        "fife": fife,
        "scotland": scotland(),
    }


def _membership_place(organisation: object) -> dict[str, object]:
    for keyword, kind in (
        ("setting", Setting),
        ("agency", Agency),
        ("authority", LocalAuthority),
        ("nation", Nation),
    ):
        if isinstance(organisation, kind):
            return {keyword: organisation}
    return {}


def _build_actor(name: str, spec: ActorSpec, organisations: dict, learners: dict) -> User:
    email = f"{name.replace('_', '-')}@example.org"
    full_name = spec.full_name or name.replace("_", " ").title()
    user = UserFactory.create(email=email, full_name=full_name)
    learner = learners[spec.linked_to] if spec.linked_to else None
    if spec.role == Role.PARENT_CARER:
        assert learner is not None
        link_carer(learner, user=user)
    elif spec.role == Role.YOUNG_PERSON:
        assert learner is not None
        learner.young_person_account = user
        learner.save(update_fields=["young_person_account"])
    else:
        with_authenticator_app(user)
        place = organisations[spec.at] if spec.at else None
        MembershipFactory.create(user=user, role=spec.role, **_membership_place(place))
        if learner is not None:
            link_staff(learner, user, kind=spec.link)
    return user


def drafted_request(learner: Learner, service: Agency, consented: bool) -> RequestForAssistance:
    request = request_draft(
        actor=SYSTEM,
        learner=learner,
        service=service,
        reason="Finds it hard to be understood.",
        tried="Small-group language work.",
        tried_for="A term",
        learner_views="Would like help.",
        family_views="Agree.",
    )
    if consented:
        consent_record(
            actor=SYSTEM,
            request=request,
            given_by=ConsentGivenBy.PARENT,
            given_by_name="A parent",
            given_on=timezone.localdate(),
            method=ConsentMethod.IN_WRITING,
            parts=[],
        )
    return request


def _shared_attachment(author: Any, learner: Learner, service: Agency) -> RequestAttachment:
    """A file on a request sent with consent and accepted by the service."""
    request = drafted_request(learner, service, consented=True)
    attachment = attachment_add(actor=author, request=request, upload=pdf_upload("report.pdf"))
    request_send(actor=SYSTEM, request=request)
    request_accept(actor=SYSTEM, request=request)
    return attachment


def _service_advice(learner: Learner, service: Agency) -> tuple[RequestForAssistance, Contribution]:
    """The involved service starts work and sends its advice. Recorded by Stagewise itself: the
    world's practitioners are made after the learners, so nobody is allocated."""
    involvement = RequestForAssistance.objects.get(
        learner=learner, service=service, status=RequestStatus.ACCEPTED
    )
    involvement = request_start(actor=SYSTEM, request=involvement)
    contribution = contribution_add(
        actor=SYSTEM,
        request=involvement,
        kind=ContributionKind.ADVICE,
        title="Speech and language advice",
        body="Understands instructions best one step at a time, with a symbol for each.",
        suggested_description="Instructions shown with symbols, one step at a time",
        suggested_frequency="Every lesson",
    )
    return involvement, contribution


def _meeting(author: Any, learner: Learner, service: Agency) -> tuple[Meeting, MeetingAction]:
    today = timezone.localdate()
    meeting = meeting_arrange(
        actor=author,
        learner=learner,
        kind=MeetingKind.TEAM_AROUND_THE_CHILD,
        held_on=today,
        starts_at=time(15, 30),
        place="Room 4",
        purpose="Agree who does what next.",
        staff_notes="Staff only: ask about the bus.",
    )
    practitioner = User.objects.filter(
        memberships__agency=service, memberships__role=Role.AGENCY_PRACTITIONER
    ).first()
    if practitioner is not None:
        meeting_invite(actor=author, meeting=meeting, user=practitioner)
    action = meeting_action_add(
        actor=author,
        meeting=meeting,
        description="Send the visual timetable home.",
        owner=author.user,
        due_on=today + timedelta(days=14),
    )
    return meeting, action


def _learner_records(key: str, learner: Learner, service: Agency) -> LearnerRecords:
    """A need still open, a wellbeing assessment, three plans, two statutory clocks (one
    running, one paused) and draft requests for assistance to `service` (one with a file
    attached), written by a support-for-learning lead at the learner's school through the
    services."""
    author = acting(staff_for(learner))
    today = timezone.localdate()
    running = process_start(
        actor=author,
        learner=learner,
        rule_key="scotland.establish_needs_request",
        started_on=today - timedelta(days=10),
    )
    paused = process_start(
        actor=author,
        learner=learner,
        rule_key="scotland.early_review_request",
        started_on=today - timedelta(days=10),
    )
    process_pause(
        actor=author, process=paused, paused_on=today - timedelta(days=2), reason="Parent asked"
    )
    finalised = finalised_plan(author, learner, "individualised_educational_programme")
    # Its review is three weeks away, so the family and the learner have been asked for their
    # views before it (ADR 0018), and have not answered yet.
    Plan.objects.filter(pk=finalised.pk).update(next_review_on=today + timedelta(days=21))
    finalised.refresh_from_db()
    review_views_invite(actor=SYSTEM, plan=finalised)
    # A review already recorded today, which the family are asked about (ADR 0026). Written
    # directly, so the views asked for before the next review stay open.
    PlanReview.objects.create(
        plan=finalised,
        version_number=finalised.version_number,
        held_on=today,
        attendees="Class teacher, parent, learner",
        decision=ReviewDecision.CONTINUE,
    )
    being_revised = finalised_plan(author, learner, "personal_learning_plan")
    plan_revise(actor=author, plan=being_revised)
    draft = complete_plan(author, learner, "childs_plan")
    involvement, contribution = _service_advice(learner, service)
    draft_request = drafted_request(learner, service, consented=False)
    attachment = attachment_add(actor=author, request=draft_request, upload=pdf_upload())
    meeting, meeting_action = _meeting(author, learner, service)
    return LearnerRecords(
        key=key,
        learner=learner,
        open_need=add_need(learner),
        wellbeing_assessment=add_wellbeing_assessment(learner),
        plans={
            FINALISED_PLAN: finalised,
            PLAN_BEING_REVISED: Plan.objects.get(pk=being_revised.pk),
            DRAFT_PLAN: draft,
        },
        running_process=running,
        paused_process=paused,
        involvement=involvement,
        draft_request=draft_request,
        attachment=attachment,
        ready_request=drafted_request(learner, service, consented=True),
        shared_attachment=_shared_attachment(author, learner, service),
        contribution=contribution,
        meeting=meeting,
        meeting_action=meeting_action,
        rights_request=rights_request_record(
            actor=SYSTEM,
            learner=learner,
            kind="establish_coordinated_support_plan",
            requester=Requester(carer_link=LearnerCarer.objects.filter(learner=learner).first()),
            channel=RequestChannel.LETTER,
            received_on=today - timedelta(days=10),
            what="Whether a co-ordinated support plan is needed.",
            why="Speech and language therapy and social work both support her.",
        ),
        disagreement=disagreement_record(
            actor=SYSTEM,
            learner=learner,
            subject="support",
            about="The extra reading support stopped this term.",
            family_wants="The reading support back, three times a week.",
            opened_on=today - timedelta(days=5),
            raised_for=RaisedFor.PARENT,
        ),
        transition=transition_plan(
            actor=author,
            learner=learner,
            kind=TransitionKind.MOVING_SCHOOL,
            planned_on=today + timedelta(days=90),
            plan="Two visits to the new school with her class teacher.",
        ),
        attendance=attendance_record(
            actor=SYSTEM,
            learner=learner,
            starts_on=date(last_school_year(), 8, 20),
            ends_on=date(last_school_year(), 10, 10),
            possible_sessions=70,
            attended_sessions=63,
        ),
    )


def last_school_year() -> int:
    """Every day of last school year has happened, whatever today is."""
    return school_year_of(timezone.localdate()) - 1


def build_world(specification: Specification) -> World:
    """`learner` attends Riverside Primary in Glasgow; `other_learner` Harbourside Primary in
    Fife; the actors are placed and linked as the specification says."""
    factory.random.reseed_random("stagewise")
    organisations = _organisations()
    learners = {
        "learner": enrolled_learner(
            organisations["school"],
            year_group="S5",
            legal_first_name="Ailsa",
            legal_last_name="Campbell",
            staff_notes="Staff only: settles best with a visual timetable.",
            # Both looked after, so that their authority's officer may record a consideration
            # for a co-ordinated support plan (ADR 0049).
            looked_after=True,
        ),
        "other_learner": enrolled_learner(
            organisations["fife_school"],
            legal_first_name="Finlay",
            legal_last_name="Reid",
            looked_after=True,
        ),
    }
    involve_agency(learners["learner"], organisations["agency"])
    involve_agency(learners["other_learner"], organisations["fife_agency"])
    # Each learner's requests go to a service of their own authority.
    services = {"learner": organisations["agency"], "other_learner": organisations["fife_agency"]}
    users = {
        name: _build_actor(name, spec, organisations, learners)
        for name, spec in specification.actors.items()
    }
    sessions = {}
    for name, user in users.items():
        client = Client()
        client.force_login(user)
        sessions[name] = client.cookies[settings.SESSION_COOKIE_NAME].value
    world = World(
        users=users,
        learners={
            key: _learner_records(key, learner, services[key]) for key, learner in learners.items()
        },
        sessions=sessions,
    )
    world.states_as_built()  # now, before any test can change anything
    return world


@contextmanager
def world_for_module(specification: Specification, django_db_blocker: Any) -> Iterator[World]:
    """The world, built once and rolled back when the module's tests are done."""
    with built_once_per_module(lambda: build_world(specification), django_db_blocker) as world:
        yield world


# What a write could change -----------------------------------------------------------------------

LEARNER_ASPECTS = (
    "details",
    "needs",
    "resolved needs",
    "stage decisions",
    "wellbeing assessments",
    "chronology entries",
    "plans",
    "statutory processes",
    "requests for assistance",
    "attachments",
    "meetings",
    "rights requests",
    "disagreements",
    # Where the learner is enrolled, the staff linked to them, and their moves between schools.
    "enrolments",
    "transitions",
    # The young person's decisions about what their parents and carers see (ADR 0021).
    "parent sharing decisions",
    # Attendance, exclusions, curriculum judgements and the rest (measurement).
    "outcomes",
    # The authority's considerations for a co-ordinated support plan (ADR 0049).
    "considerations",
)
PLAN_ASPECTS = (
    "status",
    "version",
    "content revision",
    "dates",
    "staff notes",
    "section texts",
    "targets",
    "support",
    "views",
    "versions",
    "shared",
    "responses",
    "reviews",
    "views before review",
    "review feedback",
)


def _by_plan(queryset: Any, *fields: str) -> dict[int, tuple]:
    """Rows of a plan's related table, as a tuple per plan, in a stable order."""
    rows: dict[int, list] = {}
    for plan_id, *values in queryset.order_by("pk").values_list(*fields):
        rows.setdefault(plan_id, []).append(tuple(values))
    return {plan_id: tuple(values) for plan_id, values in rows.items()}


def _counts(model: Any, plan_ids: list[int]) -> dict[int, int]:
    counted = model.objects.filter(plan_id__in=plan_ids).values("plan_id").annotate(n=Count("pk"))
    return {row["plan_id"]: row["n"] for row in counted}


def _by_learner(queryset: Any, *fields: str) -> dict[int, tuple]:
    """Rows of a learner's related table, as a tuple per learner, in a stable order."""
    rows: dict[int, list] = {}
    for learner_id, *values in queryset.order_by("pk").values_list(*fields):
        rows.setdefault(learner_id, []).append(tuple(values))
    return {learner_id: tuple(values) for learner_id, values in rows.items()}


def record_states(learners: Mapping[str, LearnerRecords]) -> dict[str, dict[str, object]]:
    """Everything about each learner a page could write, keyed by aspect ("needs", "plan being
    revised: targets", ...): a dozen queries for them all, whatever their records hold, so a
    case can compare every learner before and after cheaply."""
    learner_ids = [records.learner.pk for records in learners.values()]
    annotated = Learner.objects.annotate(
        needs_count=Count("needs", distinct=True),
        resolved_count=Count("needs", filter=Q(needs__resolved_on__isnull=False), distinct=True),
        decisions_count=Count("stage_decisions", distinct=True),
        assessments_count=Count("wellbeing_assessments", distinct=True),
        chronology_count=Count("chronology", distinct=True),
        plans_count=Count("plans", distinct=True),
    ).in_bulk(learner_ids)
    processes = _by_learner(
        StatutoryProcess.objects.filter(learner_id__in=learner_ids).annotate(steps=Count("events")),
        *("learner_id", "pk", "status", "due_on", "paused_on", "closed_on", "outcome", "steps"),
    )
    attachments = _by_learner(
        RequestAttachment.objects.filter(request__learner_id__in=learner_ids),
        *("request__learner_id", "pk", "request_id", "original_name", "content_type", "size"),
        "file",
    )
    meetings = _by_learner(
        Meeting.objects.filter(learner_id__in=learner_ids).annotate(
            invited=Count("invitees", distinct=True),
            attended=Count("invitees", filter=~Q(invitees__attendance="invited"), distinct=True),
            views_given=Count("views", distinct=True),
            actions_agreed=Count("actions", distinct=True),
            actions_done=Count("actions", filter=Q(actions__done_at__isnull=False), distinct=True),
            steps=Count("events", distinct=True),
        ),
        *("learner_id", "pk", "held_on", "minutes", "minutes_agreed_at", "shared_with_family_at"),
        *("invited", "attended", "views_given", "actions_agreed", "actions_done", "steps"),
    )
    requests = _by_learner(
        RequestForAssistance.objects.filter(learner_id__in=learner_ids).annotate(
            steps=Count("events", distinct=True),
            current_consents=Count(
                "consents", filter=Q(consents__withdrawn_at__isnull=True), distinct=True
            ),
        ),
        *("learner_id", "pk", "status", "reason", "lawful_basis", "steps", "current_consents"),
    )
    contributions = _by_learner(
        Contribution.objects.filter(learner_id__in=learner_ids),
        *("learner_id", "pk", "title", "accepted_into", "accepted_at"),
    )
    rights_requests = _by_learner(
        RightsRequest.objects.filter(learner_id__in=learner_ids),
        *("learner_id", "pk", "kind", "outcome", "decided_on", "process_id"),
    )
    capacity_assessments = _by_learner(
        CapacityAssessment.objects.filter(learner_id__in=learner_ids),
        *("learner_id", "pk", "assessed_on", "capable"),
    )
    disagreements = _by_learner(
        Disagreement.objects.filter(learner_id__in=learner_ids).annotate(step_count=Count("steps")),
        *("learner_id", "pk", "current_route", "closed_on", "outcome", "staff_notes"),
        "step_count",
    )
    enrolments = _by_learner(
        Enrolment.objects.filter(learner_id__in=learner_ids),
        *("learner_id", "pk", "setting_id", "year_group", "started_on", "ended_on"),
    )
    staff_links = _by_learner(
        StaffRelationship.objects.filter(learner_id__in=learner_ids),
        *("learner_id", "pk", "staff_id", "kind", "started_on", "ended_on"),
    )
    moves = _by_learner(
        LearnerMove.objects.filter(learner_id__in=learner_ids),
        *("learner_id", "pk", "to_setting_id", "moved_on", "acknowledged_at"),
    )
    transitions = _by_learner(
        Transition.objects.filter(learner_id__in=learner_ids),
        *("learner_id", "pk", "kind", "planned_on", "plan", "family_part"),
    )
    # With the family's own parts in them, each in its author's words.
    family_parts = _by_learner(
        TransitionFamilyPart.objects.filter(transition__learner_id__in=learner_ids),
        *("transition__learner_id", "pk", "transition_id", "author_id", "words"),
    )
    parent_sharing = _by_learner(
        ParentSharingDecision.objects.filter(learner_id__in=learner_ids),
        *("learner_id", "pk", "sharing", "parts", "decided_on"),
    )
    considerations = _by_learner(
        CoordinatedSupportPlanConsideration.objects.filter(learner_id__in=learner_ids),
        *("learner_id", "pk", "considered_on", "conclusion"),
    )
    outcomes: dict[int, tuple] = {}
    for kind, model in OUTCOME_KINDS.items():
        rows = _by_learner(
            model._default_manager.filter(**{"learner_id__in": learner_ids}),
            *("learner_id", "pk", "setting_id", "school_year", *CHANGEABLE_FIELDS[model]),
        )
        for learner_id, values in rows.items():
            outcomes[learner_id] = (*outcomes.get(learner_id, ()), (kind, values))
    plan_ids = [plan.pk for records in learners.values() for plan in records.plans.values()]
    plans = Plan.objects.in_bulk(plan_ids)
    texts = _by_plan(
        PlanSectionText.objects.filter(plan_id__in=plan_ids), "plan_id", "section_id", "text"
    )
    targets = _by_plan(
        Target.objects.filter(plan_id__in=plan_ids),
        *("plan_id", "pk", "outcome", "measure", "baseline", "success_criteria", "achieve_by"),
    )
    support = _by_plan(
        SupportProvision.objects.filter(target__plan_id__in=plan_ids),
        *("target__plan_id", "pk", "description", "frequency", "starts_on"),
    )
    views = _by_plan(
        PlanView.objects.filter(plan_id__in=plan_ids), "plan_id", "pk", "kind", "words"
    )
    # Each invitation to give views before a review: its date, reminder and review, who has
    # answered and how many answers it holds (families, ADR 0018).
    views_invitations = _by_plan(
        ReviewViewsInvitation.objects.filter(plan_id__in=plan_ids).annotate(
            responded=Count(
                "invitees", filter=Q(invitees__responded_at__isnull=False), distinct=True
            ),
            answered=Count("answers", distinct=True),
        ),
        *("plan_id", "pk", "review_due_on", "reminded_on", "review_id", "responded", "answered"),
    )
    # The family's say on the plan's reviews (ADR 0026): whose, answered or declined, and what.
    feedback = _by_plan(
        ReviewFeedback.objects.filter(review__plan_id__in=plan_ids),
        *("review__plan_id", "pk", "user_id", "declined", "feel_supported", "listened_to"),
        "comment",
    )
    counts = {
        aspect: _counts(model, plan_ids)
        for aspect, model in (
            ("versions", PlanVersion),
            ("shared", PlanCommunication),
            ("responses", PlanResponse),
            ("reviews", PlanReview),
        )
    }
    states: dict[str, dict[str, object]] = {}
    for key, records in learners.items():
        learner = annotated[records.learner.pk]
        state: dict[str, object] = {
            "details": tuple(sorted(model_to_dict(learner).items())),
            "needs": learner.needs_count,
            "resolved needs": learner.resolved_count,
            "stage decisions": learner.decisions_count,
            "wellbeing assessments": learner.assessments_count,
            "chronology entries": learner.chronology_count,
            "plans": learner.plans_count,
            "statutory processes": processes.get(learner.pk, ()),
            "attachments": attachments.get(learner.pk, ()),
            "meetings": meetings.get(learner.pk, ()),
            "requests for assistance": requests.get(learner.pk, ())
            + contributions.get(learner.pk, ()),
            "rights requests": rights_requests.get(learner.pk, ())
            + capacity_assessments.get(learner.pk, ()),
            "disagreements": disagreements.get(learner.pk, ()),
            "enrolments": enrolments.get(learner.pk, ())
            + staff_links.get(learner.pk, ())
            + moves.get(learner.pk, ()),
            "transitions": transitions.get(learner.pk, ()) + family_parts.get(learner.pk, ()),
            "parent sharing decisions": parent_sharing.get(learner.pk, ()),
            "outcomes": outcomes.get(learner.pk, ()),
            "considerations": considerations.get(learner.pk, ()),
        }
        assert set(state) == set(LEARNER_ASPECTS)
        for label, built in records.plans.items():
            plan = plans[built.pk]
            plan_state: dict[str, object] = {
                "status": plan.status,
                "version": plan.version_number,
                "content revision": plan.edit_revision,
                "dates": (
                    plan.starts_on,
                    plan.next_review_on,
                    plan.support_in_place_on,
                    plan.closed_on,
                    plan.closed_reason,
                    plan.multi_agency,
                    plan.lead_professional,
                ),
                "staff notes": plan.staff_notes,
                "section texts": texts.get(plan.pk, ()),
                "targets": targets.get(plan.pk, ()),
                "support": support.get(plan.pk, ()),
                "views": views.get(plan.pk, ()),
                "views before review": views_invitations.get(plan.pk, ()),
                "review feedback": feedback.get(plan.pk, ()),
            } | {aspect: by_plan.get(plan.pk, 0) for aspect, by_plan in counts.items()}
            assert set(plan_state) == set(PLAN_ASPECTS)
            for aspect, value in plan_state.items():
                state[f"{label}: {aspect}"] = value
        states[key] = state
    return states


def state_keys(page: Page, aspects: Sequence[str]) -> set[str]:
    """The `record_states` keys of a write's `changes`, placed on the page's plan."""
    return {f"{page.plan}: {aspect}" if aspect in PLAN_ASPECTS else aspect for aspect in aspects}


def changed(before: Mapping[str, object], after: Mapping[str, object]) -> set[str]:
    return {key for key in before if before[key] != after[key]}


# The audit ---------------------------------------------------------------------------------------


def audit_mark() -> int:
    return AuditEvent.objects.aggregate(last=Max("pk"))["last"] or 0


def audit_since(mark: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(pk__gt=mark).order_by("pk"))


def dates(name: str, day: date) -> dict[str, object]:
    """A GOV.UK date input's three boxes."""
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}
