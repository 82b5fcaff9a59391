"""The API's operations (ADR 0051). Each is a thin view, as the pages are: it checks the
token's scope, reaches the learner through learners/access (so the integration sees exactly
what its role at its organisation would see, and every look is audited), then calls the same
selectors and services as the pages."""

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status

from stagewise.api import schemas
from stagewise.api.authentication import Caller
from stagewise.api.errors import BadQuery, ScopeMissing, storable_query
from stagewise.api.models import Scope
from stagewise.audit.models import AuditAction
from stagewise.audit.services import audit_record
from stagewise.coordination.models import RecordPart, RequestForAssistance, SharingConsent
from stagewise.coordination.selectors import (
    consent_get,
    learner_request_get,
    learner_request_list,
    services_to_ask,
)
from stagewise.coordination.services import (
    consent_record,
    consent_withdraw,
    consent_withdraw_capability,
    request_draft,
    request_send,
    request_withdraw,
)
from stagewise.keyset import keyset_page
from stagewise.learners.access import get_learner_for
from stagewise.learners.models import Learner
from stagewise.learners.selectors import need_list, stage_timeline
from stagewise.learners.selectors.record import (
    LearnerFilters,
    learner_list,
    learner_list_order,
    learner_list_scopes,
)
from stagewise.learners.services import learner_current_enrolment
from stagewise.measurement.dashboards import Value, dashboard_get
from stagewise.measurement.models.outcomes import OutcomeRecord
from stagewise.measurement.outcome_kinds import kind_of
from stagewise.measurement.scopes import Access, measures_access, own_measures_scope
from stagewise.measurement.services.outcomes import attendance_record, exclusion_record
from stagewise.planning.models import Plan
from stagewise.planning.selectors import plan_get, plan_list
from stagewise.policy import Capability, CapabilityRequired, may

router = Router()
LIST_SALT = "api:learners"


def actor_with_scope(request: HttpRequest, scope: Scope) -> Any:
    """The integration acting, once the token is known to carry `scope`."""
    caller: Caller = request.auth  # type: ignore[attr-defined]
    if scope not in caller.token.scopes:
        raise ScopeMissing(scope)
    return caller.actor


def responses(ok: Any, status: int = 200) -> dict[int, Any]:
    return {status: ok, **schemas.ERRORS}


# Learners ----------------------------------------------------------------------------------------


@router.get(
    "/learners",
    response=responses(schemas.LearnerPage),
    url_name="learner_list",
    summary="The learners the integration's role sees, a page at a time",
)
def learners(
    request: HttpRequest,
    cursor: str = Query("", max_length=2_000, description="From the last page's next_cursor."),
    name: str = Query("", max_length=100, description="Names or a candidate number to find."),
    limit: int = Query(25, ge=1, le=settings.API_MOST_PER_PAGE),
) -> Any:
    actor = actor_with_scope(request, Scope.LEARNERS_READ)
    scopes = learner_list_scopes(actor)
    if not scopes:
        raise PermissionDenied
    storable_query(name=name)
    filters = LearnerFilters(scope=scopes[0], name=name.strip())
    page = keyset_page(
        learner_list(actor=actor, filters=filters),
        order=learner_list_order(filters),
        cursor=cursor or None,
        per_page=limit,
        salt=LIST_SALT,
    )
    if page.cursor_refused:
        raise BadQuery(
            "cursor", _("This cursor was not given by this list. Start again without a cursor.")
        )
    audit_record(
        actor=actor,
        action=AuditAction.LIST,
        object_type="learner_list",
        purpose="list learners",
        detail={"scope": scopes[0], "api": True},
        learners_shown=[learner.pk for learner in page.object_list],
    )
    return {
        "results": [
            {
                "id": learner.public_id,
                "legal_first_name": learner.legal_first_name,
                "legal_last_name": learner.legal_last_name,
                "preferred_name": learner.preferred_name,
                "date_of_birth": learner.date_of_birth,
                "candidate_number": learner.candidate_number,
                "year_group": learner.current_year_group,
                "setting": learner.current_setting_name,
                "national_stage": learner.current_national_stage,
            }
            for learner in page.object_list
        ],
        "next_cursor": page.next_cursor or None,
    }


@router.get(
    "/learners/{learner_id}",
    response=responses(schemas.LearnerDetail),
    url_name="learner_detail",
    summary="One learner",
)
def learner(request: HttpRequest, learner_id: str) -> Any:
    actor = actor_with_scope(request, Scope.LEARNERS_READ)
    found = get_learner_for(actor, learner_id, purpose="view profile")
    enrolment = learner_current_enrolment(found)
    return {
        "id": found.public_id,
        "legal_first_name": found.legal_first_name,
        "legal_last_name": found.legal_last_name,
        "preferred_name": found.preferred_name,
        "date_of_birth": found.date_of_birth,
        "sex": found.sex,
        "candidate_number": found.candidate_number,
        "home_language": found.home_language,
        "preferred_language": found.preferred_language,
        "current_enrolment": {
            "setting": str(enrolment.setting),
            "year_group": enrolment.year_group,
            "started_on": enrolment.started_on,
            "ended_on": enrolment.ended_on,
        }
        if enrolment is not None
        else None,
    }


def _record_learner(actor: Any, learner_id: str, purpose: str) -> Learner:
    """The learner, for a part of the record a service sees only with consent (needs)."""
    return get_learner_for(
        actor,
        learner_id,
        purpose=purpose,
        capability=Capability.VIEW_PROFESSIONAL_RECORD,
        part=RecordPart.NEEDS,
    )


@router.get(
    "/learners/{learner_id}/needs",
    response=responses(list[schemas.Need]),
    url_name="learner_needs",
    summary="The learner's additional support needs",
)
def needs(request: HttpRequest, learner_id: str) -> Any:
    actor = actor_with_scope(request, Scope.LEARNERS_READ)
    found = _record_learner(actor, learner_id, "view needs")
    return [
        {
            "reason_code": need.reason.code,
            "reason": str(need.reason),
            "identified_on": need.identified_on,
            "resolved_on": need.resolved_on,
            "factor_groups": list(need.factor_groups or []),
            "disability": need.disability,
        }
        for need in need_list(found)
    ]


@router.get(
    "/learners/{learner_id}/stages",
    response=responses(list[schemas.StageDecision]),
    url_name="learner_stages",
    summary="The learner's stage decisions, oldest first",
)
def stages(request: HttpRequest, learner_id: str) -> Any:
    actor = actor_with_scope(request, Scope.LEARNERS_READ)
    found = _record_learner(actor, learner_id, "view stage timeline")
    return [
        {
            "decided_on": decision.decided_on,
            "stage": str(decision.stage),
            "national_stage": decision.stage.national_stage,
            "next_review_on": decision.next_review_on,
            "rationale": decision.rationale,
        }
        for decision in stage_timeline(found)
    ]


# Plans -------------------------------------------------------------------------------------------


def _plan(plan: Plan) -> dict[str, Any]:
    return {
        "id": plan.public_id,
        "plan_type": plan.plan_type.key,
        "plan_type_name": str(plan.plan_type.name),
        "local_name": getattr(plan, "local_name", None) or None,
        "status": plan.status,
        "version_number": plan.version_number,
        "starts_on": plan.starts_on,
        "next_review_on": plan.next_review_on,
    }


def _plans_learner(actor: Any, learner_id: str, purpose: str) -> Learner:
    found = get_learner_for(actor, learner_id, purpose=purpose, part=RecordPart.PLANS)
    if not may(actor, Capability.VIEW_PLANS):
        raise CapabilityRequired(Capability.VIEW_PLANS)
    return found


@router.get(
    "/learners/{learner_id}/plans",
    response=responses(list[schemas.Plan]),
    url_name="learner_plans",
    summary="The learner's plans",
)
def plans(request: HttpRequest, learner_id: str) -> Any:
    actor = actor_with_scope(request, Scope.PLANS_READ)
    found = _plans_learner(actor, learner_id, "list plans")
    return [_plan(plan) for plan in plan_list(actor=actor, learner=found)]


@router.get(
    "/learners/{learner_id}/plans/{plan_id}",
    response=responses(schemas.Plan),
    url_name="learner_plan",
    summary="One of the learner's plans",
)
def plan(request: HttpRequest, learner_id: str, plan_id: str) -> Any:
    actor = actor_with_scope(request, Scope.PLANS_READ)
    found = _plans_learner(actor, learner_id, "view plan")
    return _plan(plan_get(actor=actor, learner=found, plan_id=plan_id))


# Requests for assistance -------------------------------------------------------------------------


def consent_fields(consent: SharingConsent) -> dict[str, Any]:
    return {
        "id": consent.public_id,
        "given_by": consent.given_by,
        "given_by_name": consent.given_by_name,
        "given_on": consent.given_on,
        "method": consent.method,
        "parts": consent.parts,
        "withdrawn_at": consent.withdrawn_at,
    }


def request_fields(
    request: RequestForAssistance, *, events: bool = False, consents: bool = False
) -> dict[str, Any]:
    """A request as both sides read it; one request read alone adds its history, and on the
    requester's side its consents (as the requester's page shows them)."""
    return {
        "id": request.public_id,
        "service_id": request.service_id,
        "service": str(request.service),
        "status": request.status,
        "urgency": request.urgency,
        "sent_on": request.sent_on,
        "due_on": request.due_on,
        "answered_on": request.answered_on,
        "reason": request.reason,
        "allocated_to": request.allocated_to.full_name if request.allocated_to else None,
        "events": [
            {"kind": event.kind, "happened_at": event.happened_at.isoformat()}
            for event in request.events.all()
        ]
        if events
        else [],
        "consents": [consent_fields(each) for each in request.consents.all()] if consents else [],
    }


def _one_request(actor: Any, learner_id: str, request_id: str, purpose: str) -> Any:
    found = get_learner_for(
        actor, learner_id, purpose=purpose, capability=Capability.REQUEST_ASSISTANCE
    )
    return learner_request_get(actor=actor, learner=found, request_id=request_id, purpose=purpose)


@router.get(
    "/learners/{learner_id}/requests",
    response=responses(list[schemas.RequestForAssistance]),
    url_name="learner_requests",
    summary="The learner's requests for assistance and their status",
)
def requests(request: HttpRequest, learner_id: str) -> Any:
    actor = actor_with_scope(request, Scope.REQUESTS_READ)
    found = get_learner_for(
        actor,
        learner_id,
        purpose="view requests for assistance",
        capability=Capability.VIEW_PROFESSIONAL_RECORD,
    )
    return [request_fields(each) for each in learner_request_list(actor=actor, learner=found)]


@router.get(
    "/learners/{learner_id}/requests/{request_id}",
    response=responses(schemas.RequestForAssistance),
    url_name="learner_request",
    summary="One request for assistance, with its history",
)
def request_detail(request: HttpRequest, learner_id: str, request_id: str) -> Any:
    actor = actor_with_scope(request, Scope.REQUESTS_READ)
    purpose = "view request for assistance"
    found = get_learner_for(
        actor, learner_id, purpose=purpose, capability=Capability.VIEW_PROFESSIONAL_RECORD
    )
    return request_fields(
        learner_request_get(actor=actor, learner=found, request_id=request_id, purpose=purpose),
        events=True,
        consents=True,
    )


@router.post(
    "/learners/{learner_id}/requests",
    response=responses(schemas.RequestForAssistance, 201),
    url_name="learner_request_draft",
    summary="Draft a request for assistance to a service",
)
def request_new(request: HttpRequest, learner_id: str, draft: schemas.RequestDraft) -> Any:
    actor = actor_with_scope(request, Scope.REQUESTS_WRITE)
    found = get_learner_for(
        actor,
        learner_id,
        purpose="draft request for assistance",
        capability=Capability.REQUEST_ASSISTANCE,
    )
    service = services_to_ask(found).filter(pk=draft.service_id).first()
    if service is None:
        raise BadQuery(
            "service_id", _("Choose a service of the learner's authority that takes requests.")
        )
    drafted = request_draft(
        actor=actor,
        learner=found,
        service=service,
        reason=draft.reason,
        tried=draft.tried,
        tried_for=draft.tried_for,
        learner_views=draft.learner_views,
        family_views=draft.family_views,
        urgency=draft.urgency,
    )
    return Status(201, request_fields(drafted))


@router.post(
    "/learners/{learner_id}/requests/{request_id}/send",
    response=responses(schemas.RequestForAssistance),
    url_name="learner_request_send",
    summary="Send a drafted request to its service",
)
def request_sent(request: HttpRequest, learner_id: str, request_id: str) -> Any:
    actor = actor_with_scope(request, Scope.REQUESTS_WRITE)
    found = _one_request(actor, learner_id, request_id, "send request for assistance")
    return request_fields(request_send(actor=actor, request=found))


@router.post(
    "/learners/{learner_id}/requests/{request_id}/withdraw",
    response=responses(schemas.RequestForAssistance),
    url_name="learner_request_withdraw",
    summary="Withdraw a request, saying why",
)
def request_withdrawn(
    request: HttpRequest, learner_id: str, request_id: str, withdrawal: schemas.RequestWithdrawal
) -> Any:
    actor = actor_with_scope(request, Scope.REQUESTS_WRITE)
    found = _one_request(actor, learner_id, request_id, "withdraw request for assistance")
    return request_fields(request_withdraw(actor=actor, request=found, reason=withdrawal.reason))


# Consent to share a request, recorded and withdrawn as on the requester's pages -----------------


@router.post(
    "/learners/{learner_id}/requests/{request_id}/consent",
    response=responses(schemas.Consent, 201),
    url_name="learner_request_consent",
    summary="Record the consent of a parent or the young person to share the request",
)
def consent_new(
    request: HttpRequest, learner_id: str, request_id: str, consent: schemas.ConsentIn
) -> Any:
    actor = actor_with_scope(request, Scope.REQUESTS_WRITE)
    found = _one_request(actor, learner_id, request_id, "record consent to share")
    recorded = consent_record(actor=actor, request=found, **consent.dict())
    return Status(201, consent_fields(recorded))


@router.post(
    "/learners/{learner_id}/consents/{consent_id}/withdraw",
    response=responses(schemas.Consent),
    url_name="learner_consent_withdraw",
    summary="Withdraw a consent, as the family asked: it takes effect at once",
)
def consent_withdrawn(
    request: HttpRequest, learner_id: str, consent_id: str, withdrawal: schemas.ConsentWithdrawal
) -> Any:
    actor = actor_with_scope(request, Scope.REQUESTS_WRITE)
    purpose = "withdraw consent to share"
    found = get_learner_for(
        actor, learner_id, purpose=purpose, capability=consent_withdraw_capability(actor)
    )
    consent = consent_get(actor=actor, learner=found, consent_id=consent_id, purpose=purpose)
    return consent_fields(consent_withdraw(actor=actor, consent=consent, note=withdrawal.note))


# Outcomes ----------------------------------------------------------------------------------------


def _outcome(record: OutcomeRecord) -> dict[str, Any]:
    return {"id": record.public_id, "kind": kind_of(record), "school_year": record.school_year}


@router.post(
    "/learners/{learner_id}/outcomes/attendance",
    response=responses(schemas.OutcomeRecorded, 201),
    url_name="learner_attendance",
    summary="Record a period's attendance",
)
def attendance(request: HttpRequest, learner_id: str, record: schemas.Attendance) -> Any:
    actor = actor_with_scope(request, Scope.OUTCOMES_WRITE)
    purpose = "record attendance"
    found = get_learner_for(actor, learner_id, purpose, capability=Capability.RECORD_OUTCOMES)
    return Status(201, _outcome(attendance_record(actor=actor, learner=found, **record.dict())))


@router.post(
    "/learners/{learner_id}/outcomes/exclusions",
    response=responses(schemas.OutcomeRecorded, 201),
    url_name="learner_exclusion",
    summary="Record an exclusion",
)
def exclusion(request: HttpRequest, learner_id: str, record: schemas.ExclusionIn) -> Any:
    actor = actor_with_scope(request, Scope.OUTCOMES_WRITE)
    purpose = "record exclusion"
    found = get_learner_for(actor, learner_id, purpose, capability=Capability.RECORD_OUTCOMES)
    return Status(201, _outcome(exclusion_record(actor=actor, learner=found, **record.dict())))


# Measures ----------------------------------------------------------------------------------------


def _figure(value: Value) -> dict[str, Any]:
    return {"value": None if value.value is None else float(value.value), "state": value.state}


@router.get(
    "/measures",
    response=responses(schemas.Measures),
    url_name="measures",
    summary="Summary measures of a school, authority or nation, through disclosure control",
)
def measures(
    request: HttpRequest,
    level: str = Query("", max_length=20, description="school, authority or nation"),
    key: str = Query("", max_length=60, description="The school's id, the authority's code..."),
    school_year: int | None = Query(None, ge=2000, le=2100),
) -> Any:
    actor = actor_with_scope(request, Scope.MEASURES_READ)
    if not level and not key:
        own = own_measures_scope(actor)
        if own is None:
            raise Http404
        level, key = own
    storable_query(level=level, key=key)
    # Figures leave Stagewise through an integration: always through disclosure control.
    access = Access(measures_access(actor, level, key).scope, suppressed=True)
    dashboard = dashboard_get(access=access, school_year=school_year)
    audit_record(
        actor=actor,
        action=AuditAction.VIEW,
        object_type="measures_dashboard",
        object_id=access.scope.key,
        purpose="measures of inclusion",
        detail={"school_year": dashboard.school_year, "api": True},
    )
    return {
        "level": access.scope.level,
        "key": access.scope.address_key,
        "name": access.scope.name,
        "school_year": dashboard.school_year,
        "school_years": dashboard.school_years,
        "measures": [
            {
                "code": figures.measure.code,
                "name": str(figures.measure),
                "principle": figures.measure.principle,
                "unit": figures.measure.unit,
                "with_needs": _figure(figures.this_year.with_needs),
                "without_needs": _figure(figures.this_year.without_needs),
                "gap": _figure(figures.this_year.gap),
            }
            for principle in dashboard.principles
            for figures in principle.measures
        ],
    }
