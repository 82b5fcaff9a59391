"""Who may do what, and what differs between nations: one table, read everywhere.

Each role has a *scope* (which learners it may see at all, applied by learners/access.py), an
*audience* (the projection of a record it receives: staff see the professional record, families a
family copy) and a set of *capabilities* (what it may do to a learner it can see, or to the
platform's configuration). Services require a capability before they act; views ask the same
table which actions to offer. Nothing else in the code names a role to decide what it may do.

What differs between Scotland and Wales (the words for needs and identifiers, the ALNCo, the
Welsh-language duty on provision) is data in `NATIONS`, looked up by a nation's code.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from stagewise.organisations.models import Nation, NationalBodyKind, Role

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor


class Capability(StrEnum):
    """Something an actor may do. Learner capabilities apply only to learners in scope."""

    VIEW_LEARNER = "view_learner"
    EDIT_LEARNER_DETAILS = "edit_learner_details"
    VIEW_ACCESS_HISTORY = "view_access_history"
    # The family's projection of the access history: who has looked at the record, as a role and
    # an organisation, never a member of staff's name or contact details (ADR 0019).
    VIEW_WHO_HAS_LOOKED = "view_who_has_looked"
    # The professional record: stage timeline, wellbeing assessments, chronology.
    VIEW_PROFESSIONAL_RECORD = "view_professional_record"
    RECORD_SUPPORT = "record_support"
    DECIDE_STAGE = "decide_stage"
    RESTRICTED_CHRONOLOGY = "restricted_chronology"
    # Enrol learners and change who is around them (carers, staff, agencies): this changes who
    # may see the learner, so only those who manage the record (and Stagewise's imports) may.
    ENROL_LEARNERS = "enrol_learners"
    MANAGE_LEARNER_CIRCLE = "manage_learner_circle"
    # Record that a learner moves to another school, in any authority: the sending school's
    # enrolment and staff links end, the receiving school's enrolment begins (ADR 0020). Held
    # by those who manage the record of the school or authority the learner leaves.
    MOVE_LEARNERS = "move_learners"
    # Plan a key transition (starting nursery or school, primary to secondary, leaving school,
    # moving school); planning a Scottish learner's leaving school starts its statutory clocks.
    PLAN_TRANSITIONS = "plan_transitions"
    # After a learner moves away, read what one's own school wrote about them, for
    # settings.SENDING_SCHOOL_ACCESS_DAYS from the move: the second door of learners/access.py
    # (records_written_here_for), open to those who saw the learner at the school the day before
    # the move (a linked class teacher, the school's leaders). Nothing the new school writes.
    READ_RECORDS_WRITTEN_HERE = "read_records_written_here"
    VIEW_CASELOAD_COUNTS = "view_caseload_counts"
    VIEW_PLANS = "view_plans"
    # Earlier versions, their comparison and drafts: families see only the latest agreed version.
    VIEW_PLAN_HISTORY = "view_plan_history"
    EDIT_PLANS = "edit_plans"
    # Sign off (and close) a plan; the plan type's data names which roles may, per type.
    SIGN_OFF_PLANS = "sign_off_plans"
    RESPOND_TO_PLANS = "respond_to_plans"
    # Start, pause, extend and close the clocks of statutory processes (an 8-week request, the
    # preparation of a co-ordinated support plan, a Welsh school's 35-school-day decision).
    RUN_STATUTORY_CLOCKS = "run_statutory_clocks"
    # The deadline board: how a school's or an authority's statutory clocks stand, in counts.
    VIEW_DEADLINE_BOARD = "view_deadline_board"
    # Ask a service for assistance about a learner: draft, record consent (or the lawful basis
    # for sharing without it), send, withdraw.
    REQUEST_ASSISTANCE = "request_assistance"
    # A service's own decisions on the requests sent to it: accept, decline, waiting list,
    # allocate to a practitioner; and its queue, waiting list and caseloads.
    TRIAGE_REQUESTS = "triage_requests"
    # Work on a request allocated to oneself: start it, complete it.
    WORK_ON_REQUESTS = "work_on_requests"
    # A family's own decision: withdraw the consent they gave to share with a service.
    WITHDRAW_CONSENT = "withdraw_consent"
    # The authority's check on sharing without consent: every request sent on a lawful basis.
    REVIEW_SHARING_WITHOUT_CONSENT = "review_sharing_without_consent"
    # Keep an authority's published pathways: what each of its services does, for whom, how to
    # reach it. Held at an authority, for that authority's services; held at no organisation (an
    # administrator), for every authority's.
    MANAGE_PATHWAYS = "manage_pathways"
    # Keep the public information families read without signing in: an authority's statement
    # (held at an authority, for that authority), a school's offer (held at a school, for that
    # school); held at no organisation (an administrator), for every one. Apart from
    # MANAGE_PATHWAYS because a school's leaders keep their offer but not the authority's
    # services' pathways.
    MANAGE_PUBLIC_INFORMATION = "manage_public_information"
    # Measures of requests for assistance (received, answered, declined, waiting): a service
    # manager's for their service, an authority officer's for every service of their authority.
    VIEW_REQUEST_MEASURES = "view_request_measures"
    # Arrange a meeting about a learner (a child planning meeting, a team around the child, a
    # joint support team): invite, record views and attendance, write the minutes, agree actions.
    HOLD_MEETINGS = "hold_meetings"
    # A family's own views before a meeting they are invited to, in their own words.
    GIVE_MEETING_VIEWS = "give_meeting_views"
    # A family's own views before a plan's review, when asked (ADR 0018): the parent's, or the
    # child's or young person's, in their own words.
    GIVE_REVIEW_VIEWS = "give_review_views"
    # A family's own say on a plan review once it is recorded (ADR 0026): do they feel the school
    # supports the child well, and did they feel listened to. Shared with the plan's staff.
    GIVE_REVIEW_FEEDBACK = "give_review_feedback"
    # A family's own part in a planned transition (ADR 0020), in their own words, until its date:
    # a parent's for their own children (when their young person lets them see plans), a young
    # person's for their own record.
    GIVE_TRANSITION_PART = "give_transition_part"
    # A family's statutory rights, used as requests (ADR 0016): ask the authority (or, in Wales,
    # the school) to establish needs, consider a plan, assess, review early, reconsider.
    MAKE_RIGHTS_REQUESTS = "make_rights_requests"
    # Read a learner's rights requests: the family who made them, the staff who answer them.
    VIEW_RIGHTS_REQUESTS = "view_rights_requests"
    # Record a request a family made by letter, telephone, email or in person, on their behalf;
    # and the capacity and wellbeing assessment that lets a child aged 12 to 15 use the rights.
    RECORD_RIGHTS_REQUESTS = "record_rights_requests"
    # Record what was decided on a request, which closes its statutory clock.
    DECIDE_RIGHTS_REQUESTS = "decide_rights_requests"
    # Record a disagreement about a learner's support: the family's own, or staff on the
    # family's behalf. Whoever records it reads the learner's disagreements and their routes.
    RECORD_DISAGREEMENTS = "record_disagreements"
    # Move a disagreement to its next route and record each step's outcome and the final one.
    MANAGE_DISAGREEMENTS = "manage_disagreements"
    # A family's own record that they have taken their disagreement to a later route (asked
    # for mediation, applied to the tribunal): for their own children's, or their own, only.
    TAKE_DISAGREEMENT_ROUTES = "take_disagreement_routes"
    # The authority's open disagreements by route and age, for those who oversee them.
    OVERSEE_DISAGREEMENTS = "oversee_disagreements"
    # A young person's own decision, from 16, about what their parents and carers see of their
    # record (ADR 0021): held by the young person alone, never by a parent.
    DECIDE_PARENT_SHARING = "decide_parent_sharing"
    # Read that decision and record one the young person made by letter, email or in person,
    # on their behalf: those who lead the school's and the authority's support.
    RECORD_SHARING_DECISIONS = "record_sharing_decisions"
    # Record a learner's outcomes (attendance, exclusions, part-time timetables, time in
    # mainstream classes, curriculum judgements, qualifications, leaver destinations), one by one
    # or from a school's CSV export: those who manage the record at the school or authority.
    # Reading them is part of the professional record.
    RECORD_OUTCOMES = "record_outcomes"
    # Record the additional funding one's own authority received for additional support for
    # learning, and the measures it was meant to change (shown beside them, for evaluation).
    RECORD_FUNDING = "record_funding"
    # The school's measures of inclusion, its own learners unsuppressed (measurement dashboards).
    VIEW_SCHOOL_MEASURES = "view_school_measures"
    # The authority's measures, its schools compared (figures within the authority's scope).
    VIEW_AUTHORITY_MEASURES = "view_authority_measures"
    # The nation's measures, authorities compared, every figure through disclosure control; never
    # an individual learner.
    VIEW_NATIONAL_FIGURES = "view_national_figures"
    # Make the census return of additional support needs (Scotland's pupil census ASN items,
    # Wales's PLASC ALN items) for one's school, or one's authority's schools: a pupil-level
    # export, so apart from the measures (figures only) and held by those who keep the record.
    EXPORT_CENSUS_RETURNS = "export_census_returns"
    ADMINISTER_ORGANISATIONS = "administer_organisations"
    # Read an authority's threshold descriptors beside the national ones (ADR 0045): held at a
    # school, an authority or an agency, for that authority; held at no organisation (an
    # administrator, who keeps them in the configuration admin), for every authority.
    VIEW_THRESHOLDS = "view_thresholds"
    # Answer a subject access request: export everything held about a learner ever enrolled in
    # one's own authority, with the audit of who accessed it (data_protection/, ADR 0032). Through
    # its own door (learners/access.learner_for_subject_access), not the learner's circle.
    EXPORT_SUBJECT_ACCESS = "export_subject_access"
    # Read the daily report of what is due for review under the retention schedules, for one's
    # own authority's learners (ADR 0033). Nothing is deleted.
    REVIEW_RETENTION = "review_retention"
    # Erase a learner whose record the retention review found due, once the officer confirms:
    # every record of theirs goes, and the audit log keeps its events under the learner's
    # audit key, which then leads to no one (ADR 0033). Own authority's learners only.
    ERASE_LEARNER = "erase_learner"
    # Track the national action plans (actionplans/, ADR 0039): add dated progress updates,
    # change an action's status with a reason, link evidence and measures of the framework.
    # Held at a national body, for the actions the plans make it responsible for; at a body of a
    # kind in TRACKS_EVERY_ACTION (the government), for every action of its nation's plans.
    TRACK_ACTION_PLANS = "track_action_plans"
    # Keep one's own authority's local action plan (actionplans/, ADR 0043): add its improvement
    # actions, each linked to the national actions it serves, and track them as national actions
    # are tracked. Held at an authority, for that authority's actions only.
    KEEP_LOCAL_ACTION_PLAN = "keep_local_action_plan"
    # Moderation of stage decisions (moderation/, ADR 0046). Draw a random sample of the stage
    # decisions one's own authority's schools recorded (or, in a moderation group, the group's
    # schools'), assign moderators and read the agreement: held at an authority, for its samples.
    RUN_MODERATION = "run_moderation"
    # Review the anonymised evidence of a decision one was assigned, and agree or disagree: held
    # at a school, for the cases assigned to that membership, never one's own school's.
    MODERATE_DECISIONS = "moderate_decisions"
    # Consider a moderator's disagreement with one's own school's decision, and respond: held by
    # the school's leaders, for their school's decisions.
    CONSIDER_MODERATION = "consider_moderation"
    # Record the education authority's consideration of a looked-after child for a co-ordinated
    # support plan (ASL Act 2004 s6(1A), ADR 0049): the four conditions judged, the conclusion
    # and its reason. The authority's own legal act, so held by its officers only: a school's
    # support-for-learning lead reads it on the record and asks the authority, as families do.
    CONSIDER_COORDINATED_SUPPORT_PLANS = "consider_coordinated_support_plans"


class LearnerScope(StrEnum):
    """Which learners a role may see at all (learners/access.py turns each into a queryset)."""

    LINKED_AT_SETTING = "linked_at_setting"  # linked to them and enrolled where they act from
    SETTING = "setting"  # enrolled at their setting
    AUTHORITY = "authority"  # enrolled in their authority
    AGENCY = "agency"  # a request to their service is taken on and consent covers it
    OWN_CHILDREN = "own_children"  # children they are a carer of, with portal access
    OWN_RECORD = "own_record"  # the young person's own record
    NONE = "none"


class Audience(StrEnum):
    """Which projection of a record a role receives (cut in the selectors)."""

    STAFF = "staff"
    FAMILY = "family"
    # Figures only, never an individual (national analysts); configuration only (administrators).
    NONE = "none"


class ListScope(StrEnum):
    """The learner lists a member of staff can choose between (families reach their children
    from their home page instead)."""

    MINE = "mine"
    SETTING = "setting"
    AUTHORITY = "authority"
    AGENCY = "agency"


class WorkKind(StrEnum):
    """A kind of item a member of staff's home page lists as waiting for them
    (accounts/work_queue.py): which kinds each role gets is in the table below."""

    # Running clocks the actor's organisation (school, authority, agency) must act on.
    CLOCKS_OF_ORGANISATION = "clocks_of_organisation"
    # Every running clock of the learners linked to the actor, whoever must act.
    CLOCKS_OF_LINKED_LEARNERS = "clocks_of_linked_learners"
    # Drafts and revisions of plans whose type the actor's role may sign off.
    SIGN_OFF = "sign_off"
    # Reviews falling due of plans whose type the actor's role may sign off.
    REVIEWS = "reviews"
    # Families' responses to those plans the actor has not yet read.
    FAMILY_RESPONSES = "family_responses"
    # Wellbeing assessments older than the authority's refresh interval.
    WELLBEING_REFRESH = "wellbeing_refresh"
    # Actions agreed at a meeting that the actor owns and has not yet done.
    MEETING_ACTIONS = "meeting_actions"
    # Learners who moved to the actor's school and whose record no leader there has read yet.
    NEW_ARRIVALS = "new_arrivals"
    # Plans the actor leads whose review date has passed unrecorded while the family's or the
    # child's views, given before it (ADR 0018), wait to be read into it.
    VIEWS_AWAITING_REVIEW = "views_awaiting_review"
    # A moderator's disagreement with one of the school's stage decisions, not yet considered.
    MODERATION_DISAGREEMENTS = "moderation_disagreements"
    # Looked-after children of the actor's authority never considered for a co-ordinated support
    # plan, or not since they became looked after (ASL Act 2004 s6(1A), ADR 0049).
    LOOKED_AFTER_CONSIDERATIONS = "looked_after_considerations"


@dataclass(frozen=True)
class RolePolicy:
    scope: LearnerScope
    audience: Audience
    capabilities: frozenset[Capability]
    # The lists the role may choose between, the first its default.
    list_scopes: tuple[ListScope, ...] = ()
    # The organisation a membership in this role is held at: the Membership field that must be
    # set ("setting", "authority", "agency", "nation"); none for administrators and families.
    organisation: str = ""
    # Who a plan shared with the family reached, for a family role (planning RecipientKind).
    plan_recipient: str = ""
    # What the role's home page lists as waiting for them; empty: no work queue.
    work_queue: frozenset[WorkKind] = frozenset()
    # Told when a statutory clock their organisation must act on nears or passes its date
    # (notifications/deadlines.py), and, at an authority, when a calendar is needed to set dates.
    reminded_of_deadlines: bool = False


_PROFESSIONAL = frozenset(
    {
        Capability.VIEW_THRESHOLDS,
        Capability.VIEW_LEARNER,
        Capability.VIEW_PROFESSIONAL_RECORD,
        Capability.RECORD_SUPPORT,
        Capability.VIEW_CASELOAD_COUNTS,
        Capability.VIEW_PLANS,
        Capability.VIEW_PLAN_HISTORY,
        Capability.EDIT_PLANS,
    }
)
_MANAGES_RECORD = frozenset(
    {
        Capability.EDIT_LEARNER_DETAILS,
        Capability.VIEW_ACCESS_HISTORY,
        Capability.RESTRICTED_CHRONOLOGY,
        Capability.ENROL_LEARNERS,
        Capability.MANAGE_LEARNER_CIRCLE,
        Capability.MOVE_LEARNERS,
        Capability.PLAN_TRANSITIONS,
    }
)
_FAMILY = frozenset(
    {
        Capability.VIEW_LEARNER,
        Capability.VIEW_PLANS,
        Capability.RESPOND_TO_PLANS,
        Capability.WITHDRAW_CONSENT,
        Capability.GIVE_MEETING_VIEWS,
        Capability.GIVE_REVIEW_VIEWS,
        Capability.GIVE_REVIEW_FEEDBACK,
        Capability.GIVE_TRANSITION_PART,
        Capability.RECORD_DISAGREEMENTS,
        Capability.TAKE_DISAGREEMENT_ROUTES,
        Capability.MAKE_RIGHTS_REQUESTS,
        Capability.VIEW_RIGHTS_REQUESTS,
        Capability.VIEW_WHO_HAS_LOOKED,
    }
)
# Those who answer a family's requests for the authority or the school (and record a young
# person's decision about what their parents see, made to them by letter or in person).
_ANSWERS_RIGHTS_REQUESTS = frozenset(
    {
        Capability.VIEW_RIGHTS_REQUESTS,
        Capability.RECORD_RIGHTS_REQUESTS,
        Capability.DECIDE_RIGHTS_REQUESTS,
        Capability.RECORD_SHARING_DECISIONS,
    }
)

_LEADS_PLANS = frozenset(
    {
        WorkKind.SIGN_OFF,
        WorkKind.REVIEWS,
        WorkKind.VIEWS_AWAITING_REVIEW,
        WorkKind.FAMILY_RESPONSES,
        WorkKind.MEETING_ACTIONS,
    }
)

_SCHOOL_LEADERSHIP = RolePolicy(
    scope=LearnerScope.SETTING,
    audience=Audience.STAFF,
    capabilities=_PROFESSIONAL
    | _MANAGES_RECORD
    | _ANSWERS_RIGHTS_REQUESTS
    | {
        Capability.DECIDE_STAGE,
        Capability.SIGN_OFF_PLANS,
        Capability.RUN_STATUTORY_CLOCKS,
        Capability.VIEW_DEADLINE_BOARD,
        Capability.REQUEST_ASSISTANCE,
        Capability.MANAGE_PUBLIC_INFORMATION,
        Capability.HOLD_MEETINGS,
        Capability.RECORD_DISAGREEMENTS,
        Capability.MANAGE_DISAGREEMENTS,
        Capability.READ_RECORDS_WRITTEN_HERE,
        Capability.RECORD_OUTCOMES,
        Capability.VIEW_SCHOOL_MEASURES,
        Capability.EXPORT_CENSUS_RETURNS,
        Capability.MODERATE_DECISIONS,
        Capability.CONSIDER_MODERATION,
    },
    list_scopes=(ListScope.SETTING, ListScope.MINE),
    organisation="setting",
    work_queue=_LEADS_PLANS
    | {
        WorkKind.CLOCKS_OF_ORGANISATION,
        WorkKind.WELLBEING_REFRESH,
        WorkKind.NEW_ARRIVALS,
        WorkKind.MODERATION_DISAGREEMENTS,
    },
    reminded_of_deadlines=True,
)

ROLE_POLICIES: dict[str, RolePolicy] = {
    Role.CLASS_TEACHER: RolePolicy(
        scope=LearnerScope.LINKED_AT_SETTING,
        audience=Audience.STAFF,
        capabilities=_PROFESSIONAL
        | {
            Capability.DECIDE_STAGE,
            Capability.SIGN_OFF_PLANS,
            Capability.RECORD_DISAGREEMENTS,
            Capability.READ_RECORDS_WRITTEN_HERE,
            Capability.MODERATE_DECISIONS,
        },
        list_scopes=(ListScope.MINE,),
        organisation="setting",
        work_queue=_LEADS_PLANS | {WorkKind.CLOCKS_OF_LINKED_LEARNERS, WorkKind.WELLBEING_REFRESH},
    ),
    # The support-for-learning lead (the ALNCo in Wales) and the head teacher lead the school's
    # support alike: every learner at the school, and the record's management.
    Role.SUPPORT_FOR_LEARNING_LEAD: _SCHOOL_LEADERSHIP,
    Role.HEAD_TEACHER: _SCHOOL_LEADERSHIP,
    Role.LOCAL_AUTHORITY_OFFICER: RolePolicy(
        scope=LearnerScope.AUTHORITY,
        audience=Audience.STAFF,
        capabilities=_PROFESSIONAL
        | _MANAGES_RECORD
        | _ANSWERS_RIGHTS_REQUESTS
        | {
            Capability.DECIDE_STAGE,
            Capability.SIGN_OFF_PLANS,
            Capability.RUN_STATUTORY_CLOCKS,
            Capability.VIEW_DEADLINE_BOARD,
            Capability.REQUEST_ASSISTANCE,
            Capability.REVIEW_SHARING_WITHOUT_CONSENT,
            Capability.MANAGE_PATHWAYS,
            Capability.MANAGE_PUBLIC_INFORMATION,
            Capability.VIEW_REQUEST_MEASURES,
            Capability.HOLD_MEETINGS,
            Capability.RECORD_DISAGREEMENTS,
            Capability.MANAGE_DISAGREEMENTS,
            Capability.OVERSEE_DISAGREEMENTS,
            Capability.RECORD_OUTCOMES,
            Capability.VIEW_AUTHORITY_MEASURES,
            Capability.RECORD_FUNDING,
            Capability.EXPORT_CENSUS_RETURNS,
            Capability.KEEP_LOCAL_ACTION_PLAN,
            Capability.RUN_MODERATION,
            Capability.CONSIDER_COORDINATED_SUPPORT_PLANS,
        },
        list_scopes=(ListScope.AUTHORITY, ListScope.MINE),
        organisation="authority",
        work_queue=_LEADS_PLANS
        | {WorkKind.CLOCKS_OF_ORGANISATION, WorkKind.LOOKED_AFTER_CONSIDERATIONS},
        reminded_of_deadlines=True,
    ),
    Role.EDUCATIONAL_PSYCHOLOGIST: RolePolicy(
        scope=LearnerScope.AUTHORITY,
        audience=Audience.STAFF,
        capabilities=_PROFESSIONAL | {Capability.DECIDE_STAGE, Capability.HOLD_MEETINGS},
        list_scopes=(ListScope.AUTHORITY, ListScope.MINE),
        organisation="authority",
        # A psychologist works with the learners linked to them, not the whole authority's list.
        work_queue=frozenset({WorkKind.CLOCKS_OF_LINKED_LEARNERS, WorkKind.MEETING_ACTIONS}),
    ),
    Role.AGENCY_PRACTITIONER: RolePolicy(
        scope=LearnerScope.AGENCY,
        audience=Audience.STAFF,
        # A lead professional from an agency may sign off a child's plan (plan type data).
        capabilities=_PROFESSIONAL | {Capability.SIGN_OFF_PLANS, Capability.WORK_ON_REQUESTS},
        list_scopes=(ListScope.AGENCY,),
        organisation="agency",
        work_queue=_LEADS_PLANS | {WorkKind.CLOCKS_OF_ORGANISATION},
        reminded_of_deadlines=True,
    ),
    # Runs a service's queue: decides on the requests sent to it and allocates them; reads the
    # records its service has taken on, but writes no plan.
    Role.SERVICE_MANAGER: RolePolicy(
        scope=LearnerScope.AGENCY,
        audience=Audience.STAFF,
        capabilities=frozenset(
            {
                Capability.VIEW_LEARNER,
                Capability.VIEW_PROFESSIONAL_RECORD,
                Capability.VIEW_PLANS,
                Capability.VIEW_PLAN_HISTORY,
                Capability.VIEW_CASELOAD_COUNTS,
                Capability.VIEW_THRESHOLDS,
                Capability.TRIAGE_REQUESTS,
                Capability.VIEW_REQUEST_MEASURES,
            }
        ),
        list_scopes=(ListScope.AGENCY,),
        organisation="agency",
        work_queue=frozenset({WorkKind.CLOCKS_OF_ORGANISATION, WorkKind.MEETING_ACTIONS}),
        reminded_of_deadlines=True,
    ),
    Role.NATIONAL_ANALYST: RolePolicy(
        scope=LearnerScope.NONE,
        audience=Audience.NONE,
        capabilities=frozenset({Capability.VIEW_NATIONAL_FIGURES}),
        organisation="nation",
    ),
    Role.SYSTEM_ADMINISTRATOR: RolePolicy(
        scope=LearnerScope.NONE,
        audience=Audience.NONE,
        capabilities=frozenset(
            {
                Capability.ADMINISTER_ORGANISATIONS,
                Capability.MANAGE_PATHWAYS,
                Capability.MANAGE_PUBLIC_INFORMATION,
                Capability.VIEW_THRESHOLDS,
            }
        ),
    ),
    # An authority's data protection officer reads no record page (scope none): they reach a
    # learner ever enrolled in their authority only to export it for a subject access request,
    # through learners/access.learner_for_subject_access, and every export is audited; and erase
    # one the retention review found due (learners/access.learner_for_erasure).
    Role.DATA_PROTECTION_OFFICER: RolePolicy(
        scope=LearnerScope.NONE,
        audience=Audience.NONE,
        capabilities=frozenset(
            {
                Capability.EXPORT_SUBJECT_ACCESS,
                Capability.REVIEW_RETENTION,
                Capability.ERASE_LEARNER,
            }
        ),
        organisation="authority",
    ),
    # A policy officer tracks action plans and sees no learner at all (scope none).
    Role.POLICY_OFFICER: RolePolicy(
        scope=LearnerScope.NONE,
        audience=Audience.NONE,
        capabilities=frozenset({Capability.TRACK_ACTION_PLANS}),
        organisation="national_body",
    ),
    Role.PARENT_CARER: RolePolicy(
        scope=LearnerScope.OWN_CHILDREN,
        audience=Audience.FAMILY,
        capabilities=_FAMILY,
        plan_recipient="parent",
    ),
    Role.YOUNG_PERSON: RolePolicy(
        scope=LearnerScope.OWN_RECORD,
        audience=Audience.FAMILY,
        capabilities=_FAMILY | {Capability.DECIDE_PARENT_SHARING},
        plan_recipient="learner",
    ),
}

# A policy officer at a body of these kinds tracks every action of its nation's plans; at any
# other body, the actions that name the body as responsible.
TRACKS_EVERY_ACTION = frozenset({NationalBodyKind.GOVERNMENT})

_NO_ROLE = RolePolicy(scope=LearnerScope.NONE, audience=Audience.NONE, capabilities=frozenset())


class SystemProcess:
    """Stagewise itself acting (loading the demo world, an import, a scheduled task), not a
    person: passed explicitly as `actor=SYSTEM`, so that a missing actor (None) is refused like
    anyone else. It is falsy, so audit and labels treat it as "no person"."""

    user = None
    role = "system"
    membership = None
    organisation_label = ""

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM = SystemProcess()


def role_policy(role: str | None) -> RolePolicy:
    return ROLE_POLICIES.get(role or "", _NO_ROLE)


def policy_for(actor: "Actor | None") -> RolePolicy:
    return role_policy(actor.role if actor is not None else None)


def roles_reminded_of_deadlines(organisation: str) -> frozenset[str]:
    """The roles held at that kind of organisation ("setting", "authority", "agency") whose
    holders are told when a statutory date it must meet draws near."""
    return frozenset(
        role
        for role, policy in ROLE_POLICIES.items()
        if policy.reminded_of_deadlines and policy.organisation == organisation
    )


def roles_with(capability: Capability) -> frozenset[str]:
    """The roles whose policy carries the capability (administrators: ADMINISTER_ORGANISATIONS)."""
    return frozenset(
        role for role, policy in ROLE_POLICIES.items() if capability in policy.capabilities
    )


def may(actor: "Actor | SystemProcess | None", capability: Capability) -> bool:
    """Whether the actor's role carries the capability (scope is checked by learners/access).
    Stagewise itself (SYSTEM) may do what its commands and tasks do."""
    if actor is SYSTEM:
        return True
    return capability in policy_for(actor).capabilities  # type: ignore[arg-type]


def may_sign_off(actor: "Actor | None", sign_off_roles: list[str] | tuple[str, ...]) -> bool:
    """Signing a plan off needs the capability and a role the plan type's data names."""
    return (
        may(actor, Capability.SIGN_OFF_PLANS) and actor is not None and actor.role in sign_off_roles
    )


class CapabilityRequired(PermissionDenied):
    """The actor's role does not carry what this action needs. Views show it as a 403."""

    def __init__(self, capability: Capability) -> None:
        super().__init__(f"This role may not {capability.value.replace('_', ' ')}.")
        self.capability = capability


def require(actor: "Actor | SystemProcess | None", capability: Capability) -> None:
    """Raise unless the actor's role carries the capability. Services call this (through
    learners/access.require_for_learner when a learner is involved) before they act."""
    if not may(actor, capability):
        raise CapabilityRequired(capability)


# ---------------------------------------------------------------------------------------------
# Nations


@dataclass(frozen=True)
class RightsRequestKind:
    """One right a family uses by asking (families/, ADR 0016): what is asked, in plain words, and
    the statutory timescale (a StatutoryTimescale key, with its citation there) its clock runs."""

    code: str
    label: Promise
    # What the right is, for the family choosing it, in plain words.
    explanation: Promise
    rule_key: str


@dataclass(frozen=True)
class NationPolicy:
    """What differs between the two nations' law and language, as data."""

    code: str
    needs_heading: Promise
    no_needs_recorded: Promise
    learner_identifier: Promise
    # The public information pages (organisations/public_information_*): the nation's words for
    # the support a school makes and the statutory plans an authority keeps.
    information_heading: Promise
    school_offer_heading: Promise
    ask_the_school: Promise
    plans_kept_heading: Promise
    plans_kept_help: Promise
    # The support-for-learning lead's statutory title, if the nation has one (Wales: the ALNCo).
    support_for_learning_lead_title: Promise | None = None
    # ALNET Act s.22: the IDP must say whether provision is to be delivered in Welsh.
    provision_language_required: bool = False
    # The rights a family may use by asking, in the order offered.
    rights_request_kinds: tuple[RightsRequestKind, ...] = ()
    # From this age a learner is a young person and holds the rights themself.
    young_person_from_age: int = 16
    # A child this age or older (and under young_person_from_age) holds the rights themself; None:
    # any child does. Whether a capacity and wellbeing assessment must first find them able to.
    child_rights_from_age: int | None = None
    child_rights_need_capacity_assessment: bool = False
    # The consistency report (ADR 0048): the plan type counted per 1,000 learners with needs
    # and per looked-after child (Scotland: the co-ordinated support plan, which every
    # looked-after child must be considered for); and the plan types of a plan kept by a school
    # or by the authority, with who keeps it (Wales: the individual development plan, ALNET Act
    # s12). Empty: the report has no such section for the nation.
    coordinated_plan_type: str = ""
    kept_plan_types: tuple[tuple[str, Promise], ...] = ()

    def rights_request_kind(self, code: str) -> RightsRequestKind | None:
        return next((kind for kind in self.rights_request_kinds if kind.code == code), None)


NATIONS: dict[str, NationPolicy] = {
    Nation.SCOTLAND: NationPolicy(
        code=Nation.SCOTLAND,
        coordinated_plan_type="coordinated_support_plan",
        needs_heading=_("Additional support needs"),
        no_needs_recorded=_("No additional support needs are recorded."),
        learner_identifier=_("Scottish candidate number"),
        information_heading=_("Additional support for learning"),
        school_offer_heading=_("Additional support the school provides"),
        ask_the_school=_(
            "Ask the school's head teacher or support-for-learning lead what additional support "
            "the school provides."
        ),
        plans_kept_heading=_("Co-ordinated support plans"),
        plans_kept_help=_(
            "When the authority prepares a co-ordinated support plan, how a family asks whether "
            "their child needs one, and who to contact."
        ),
        rights_request_kinds=(
            RightsRequestKind(
                code="establish_additional_support_needs",
                label=_("Find out whether the child has additional support needs"),
                explanation=_(
                    "You can ask the council to find out whether the child needs extra support"
                    " to learn. It must do so unless the request is unreasonable."
                ),
                rule_key="scotland.establish_needs_request",
            ),
            RightsRequestKind(
                code="establish_coordinated_support_plan",
                label=_("Find out whether the child needs a co-ordinated support plan"),
                explanation=_(
                    "You can ask the council to find out whether the child needs a co-ordinated"
                    " support plan: a legal plan for children whose support comes from the"
                    " school and other services, such as health or social work, for more than"
                    " a year."
                ),
                rule_key="scotland.establish_needs_request",
            ),
            RightsRequestKind(
                code="specific_assessment",
                label=_("Ask for a specific type of assessment"),
                explanation=_(
                    "You can ask the council for a particular kind of assessment, such as an"
                    " educational, psychological or medical one. You cannot choose who carries"
                    " it out."
                ),
                rule_key="scotland.specific_assessment_request",
            ),
            RightsRequestKind(
                code="early_review",
                label=_("Ask for an early review of the co-ordinated support plan"),
                explanation=_(
                    "If the child has a co-ordinated support plan, you can ask the council to"
                    " review it before the review that is due, for example after a big change."
                ),
                rule_key="scotland.early_review_request",
            ),
        ),
        # Since 10 January 2018 (Education (Scotland) Act 2016), subject to a capacity and
        # wellbeing assessment (RULES.md section 1).
        child_rights_from_age=12,
        child_rights_need_capacity_assessment=True,
    ),
    Nation.WALES: NationPolicy(
        code=Nation.WALES,
        kept_plan_types=(
            ("individual_development_plan_school", _("Kept by the school")),
            ("individual_development_plan_local_authority", _("Kept by the local authority")),
        ),
        needs_heading=_("Additional learning needs"),
        no_needs_recorded=_("No additional learning needs are recorded."),
        learner_identifier=_("Unique pupil number"),
        support_for_learning_lead_title=_("Additional learning needs co-ordinator (ALNCo)"),
        provision_language_required=True,
        information_heading=_("Additional learning needs"),
        school_offer_heading=_("Additional learning provision the school makes"),
        ask_the_school=_(
            "Ask the school's head teacher or additional learning needs co-ordinator (ALNCo) "
            "what additional learning provision the school makes."
        ),
        plans_kept_heading=_("Individual development plans the authority keeps"),
        plans_kept_help=_(
            "Which individual development plans the authority keeps rather than the school: "
            "children under school age, looked-after children, those educated other than at "
            "school or dual-registered, and the complex cases schools refer to it."
        ),
        rights_request_kinds=(
            RightsRequestKind(
                code="school_decide_additional_learning_needs",
                label=_("Ask the school to decide whether the child has additional learning needs"),
                explanation=_(
                    "You can ask the school to decide whether the child has additional learning"
                    " needs. If it decides they do, it must write an individual development plan"
                    " (IDP)."
                ),
                rule_key="wales.individual_development_plan_school_decision",
            ),
            RightsRequestKind(
                code="authority_reconsider_school_decision",
                label=_("Ask the council to reconsider the school's decision"),
                explanation=_(
                    "If you disagree with what the school decided about additional learning"
                    " needs or the IDP, you can ask the council to look at it again."
                ),
                rule_key="wales.authority_reconsideration",
            ),
            RightsRequestKind(
                code="authority_take_over_plan",
                label=_("Ask the council to take over the IDP"),
                explanation=_(
                    "You can ask the council, rather than the school, to look after the IDP, for"
                    " example when the child's needs are complex."
                ),
                rule_key="wales.authority_take_over_plan",
            ),
        ),
        # The Act gives children their rights without an age threshold (unverified; ADR 0016).
        child_rights_from_age=None,
        child_rights_need_capacity_assessment=False,
    ),
}


def nation_policy(code: str | None) -> NationPolicy:
    """The nation's rules; an unknown or missing code reads as Scotland's, the default frame."""
    return NATIONS.get(code or "", NATIONS[Nation.SCOTLAND])
