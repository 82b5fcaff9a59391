"""The transfer document: what of a learner's record leaves for another organisation, and the
JSON Schema it must meet (record-transfer.schema.json, also in docs/record-transfer/).

What leaves is what the receiving school may see of the record (ADR 0053): identity, schools,
needs, stage decisions, the chronology without its restricted entries, the current plans'
agreed versions without the staff-only notes kept at sign-off, and the family's contact
details. Restricted entries and staff-only notes are for the sending school's leaders and never
leave, whoever exports; nor do the learner's staff notes, portal accounts, audit trail, requests
to agencies or anything an agency holds under its own consent.
"""

import json
import uuid
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from django.utils import timezone
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError as SchemaError

from stagewise.learners.models import (
    ChronologyEntry,
    Enrolment,
    Learner,
    LearnerCarer,
    Need,
    StageDecision,
)
from stagewise.organisations.models import LocalAuthority
from stagewise.planning.models import Plan, PlanVersion
from stagewise.planning.models.plans import OPEN_STATUSES

SCHEMA_VERSION = "1.0"
FORMAT = "stagewise-record-transfer"
SCHEMA_PATH = Path(__file__).with_name("record-transfer.schema.json")


@cache
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@cache
def _validator() -> Draft202012Validator:
    Draft202012Validator.check_schema(schema())
    return Draft202012Validator(schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def schema_problems(envelope: Any, limit: int = 5) -> list[str]:
    """Where the envelope departs from the schema, as `path: message`, the first few."""
    errors = sorted(_validator().iter_errors(envelope), key=lambda error: list(error.path))
    return [_problem(error) for error in errors[:limit]]


def _problem(error: SchemaError) -> str:
    where = "/".join(str(step) for step in error.absolute_path) or "(the document)"
    return f"{where}: {error.message}"


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _moment(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _organisation(authority: LocalAuthority) -> dict[str, Any]:
    return {
        "name": authority.name,
        "name_cy": authority.name_cy,
        "code": authority.code,
        "nation": authority.nation.code,
    }


def record_document_build(
    *, learner: Learner, authority: LocalAuthority, exported_by_role: str
) -> dict[str, Any]:
    """The document (unsigned) for this learner, sent by `authority`."""
    enrolments = (
        Enrolment.objects.filter(learner=learner)
        .select_related("setting__authority")
        .order_by("started_on", "pk")
    )
    current = next((enrolment for enrolment in enrolments if enrolment.is_current), None)
    return {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "transfer_id": str(uuid.uuid4()),
        "exported_at": _moment(timezone.now()),
        "sender": {**_organisation(authority), "exported_by_role": exported_by_role},
        "learner": {
            "legal_first_name": learner.legal_first_name,
            "legal_last_name": learner.legal_last_name,
            "preferred_name": learner.preferred_name,
            "date_of_birth": learner.date_of_birth.isoformat(),
            "sex": learner.sex,
            "candidate_number": learner.candidate_number,
            "home_language": learner.home_language,
            "preferred_language": learner.preferred_language,
            "looked_after": learner.looked_after,
            "young_carer": learner.young_carer,
            "year_group": current.year_group if current else None,
        },
        "enrolments": [
            {
                "setting": enrolment.setting.name,
                "setting_cy": enrolment.setting.name_cy,
                "authority": enrolment.setting.authority.name,
                "year_group": enrolment.year_group,
                "started_on": enrolment.started_on.isoformat(),
                "ended_on": _day(enrolment.ended_on),
            }
            for enrolment in enrolments
        ],
        "needs": _needs(learner),
        "stage_history": _stage_history(learner),
        "plans": _plans(learner),
        "chronology": _chronology(learner),
        "contacts": _contacts(learner),
    }


def _needs(learner: Learner) -> list[dict[str, Any]]:
    needs = Need.objects.filter(learner=learner).select_related("reason").order_by("identified_on")
    return [
        {
            "reason_code": need.reason.code,
            "reason": need.reason.label,
            "reason_cy": need.reason.label_cy,
            "factor_groups": list(need.factor_groups or []),
            "identified_on": need.identified_on.isoformat(),
            "identified_by": need.identified_by_label,
            "evidence": need.evidence,
            "notes": need.notes,
            "disability": need.disability,
            "resolved_on": _day(need.resolved_on),
        }
        for need in needs
    ]


def _stage_history(learner: Learner) -> list[dict[str, Any]]:
    decisions = (
        StageDecision.objects.filter(learner=learner)
        .select_related("stage")
        .order_by("decided_on", "pk")
    )
    return [
        {
            "stage": decision.stage.label,
            "stage_cy": decision.stage.label_cy,
            "national_stage": decision.stage.national_stage,
            "decided_on": decision.decided_on.isoformat(),
            "decided_by": decision.decided_by_label,
            "rationale": decision.rationale,
            "next_review_on": decision.next_review_on.isoformat(),
        }
        for decision in decisions
    ]


def _plans(learner: Learner) -> list[dict[str, Any]]:
    """Open plans with at least one agreed version: a draft never agreed is not yet a plan."""
    plans = (
        Plan.objects.filter(learner=learner, status__in=OPEN_STATUSES)
        .select_related("plan_type")
        .order_by("created_at", "pk")
    )
    versions_of: dict[int, list[PlanVersion]] = {}
    for version in PlanVersion.objects.filter(plan__in=plans).order_by("plan_id", "number"):
        versions_of.setdefault(version.plan_id, []).append(version)
    return [
        {
            "plan_type": plan.plan_type.name,
            "plan_type_cy": plan.plan_type.name_cy,
            "plan_type_key": plan.plan_type.key,
            "status": plan.status,
            "starts_on": _day(plan.starts_on),
            "next_review_on": _day(plan.next_review_on),
            # Each agreed version as it was signed off; the staff-only notes kept beside it are
            # for the sending school's leaders and stay behind.
            "versions": [
                {
                    "number": version.number,
                    "finalised_at": _moment(version.finalised_at),
                    "finalised_by": version.finalised_by_label,
                    "finalised_role": version.finalised_role,
                    "document": version.document,
                }
                for version in versions_of[plan.pk]
            ],
        }
        for plan in plans
        if plan.pk in versions_of
    ]


def _chronology(learner: Learner) -> list[dict[str, Any]]:
    # Restricted entries never leave: the receiving school hears of them from the sending
    # school's leaders, person to person, if at all.
    entries = ChronologyEntry.objects.filter(learner=learner, restricted=False).order_by(
        "occurred_on", "pk"
    )
    return [
        {
            "entry_type": entry.entry_type,
            "occurred_on": entry.occurred_on.isoformat(),
            "summary": entry.summary,
            "source": entry.source,
            "recorded_by": entry.recorded_by_label,
        }
        for entry in entries
    ]


def _contacts(learner: Learner) -> list[dict[str, Any]]:
    links = LearnerCarer.objects.filter(learner=learner).select_related("carer")
    return [
        {
            "full_name": link.carer.full_name,
            "relationship": link.relationship,
            "parental_responsibility": link.parental_responsibility,
            "lives_with_learner": link.lives_with_learner,
            "email": link.carer.email,
            "telephone": link.carer.telephone,
            "address": link.carer.address,
            "preferred_language": link.carer.preferred_language,
        }
        for link in links
    ]
