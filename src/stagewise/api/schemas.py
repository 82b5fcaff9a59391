"""What the API reads and writes, as the OpenAPI document publishes it (ADR 0051)."""

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema
from pydantic import AfterValidator

from stagewise.coordination.models import ConsentGivenBy, ConsentMethod, RecordPart, Urgency


def _storable(value: str) -> str:
    """Text the database can keep: no NUL character, nothing that is not Unicode text."""
    if "\x00" in value:
        raise ValueError("Remove the NUL character (\\u0000) from this text.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("This text is not valid Unicode: send it as UTF-8.") from None
    return value


Words = Annotated[str, Field(min_length=1, max_length=4_000), AfterValidator(_storable)]
NoteWords = Annotated[str, Field(max_length=2_000), AfterValidator(_storable)]
ShortWords = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_storable)]


class FieldError(Schema):
    field: str = Field(description="The field to fix, or empty for the request as a whole.")
    message: str


class Error(Schema):
    message: str = Field(description="What went wrong and what to do about it.")
    errors: list[FieldError] = []


# The answers every operation may give besides its own.
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 422: Error, 429: Error}


class LearnerSummary(Schema):
    id: uuid.UUID
    legal_first_name: str
    legal_last_name: str
    preferred_name: str
    date_of_birth: date
    candidate_number: str
    year_group: str | None
    setting: str | None
    national_stage: str | None


class LearnerPage(Schema):
    results: list[LearnerSummary]
    next_cursor: str | None = Field(
        description="Send as `cursor` for the next page; null on the last page."
    )


class Enrolment(Schema):
    setting: str
    year_group: str
    started_on: date
    ended_on: date | None


class LearnerDetail(Schema):
    id: uuid.UUID
    legal_first_name: str
    legal_last_name: str
    preferred_name: str
    date_of_birth: date
    sex: str
    candidate_number: str
    home_language: str
    preferred_language: str
    current_enrolment: Enrolment | None


class Need(Schema):
    reason_code: str
    reason: str
    identified_on: date
    resolved_on: date | None
    factor_groups: list[str]
    disability: str


class StageDecision(Schema):
    decided_on: date
    stage: str
    national_stage: str
    next_review_on: date
    rationale: str


class Plan(Schema):
    id: uuid.UUID
    plan_type: str
    plan_type_name: str
    local_name: str | None
    status: str
    version_number: int
    starts_on: date | None
    next_review_on: date | None


class RequestEvent(Schema):
    kind: str
    happened_at: str


class Consent(Schema):
    id: uuid.UUID
    given_by: str
    given_by_name: str
    given_on: date
    method: str
    parts: list[str] = Field(description="The parts of the record the service may see.")
    withdrawn_at: datetime | None


class RequestForAssistance(Schema):
    id: uuid.UUID
    service_id: int
    service: str
    status: str
    urgency: str
    sent_on: date | None
    due_on: date | None
    answered_on: date | None
    reason: str
    allocated_to: str | None = Field(description="The practitioner's name, once allocated.")
    events: list[RequestEvent] = []
    consents: list[Consent] = Field(
        default=[], description="On the requester's side, for one request: current and withdrawn."
    )


class RequestDraft(Schema):
    service_id: int = Field(description="The id of a service of the learner's authority.")
    reason: Words
    tried: Words
    tried_for: ShortWords
    learner_views: Words
    family_views: Words
    urgency: Urgency = Urgency.ROUTINE


class ServiceRequestPage(Schema):
    results: list[RequestForAssistance]
    next_cursor: str | None = Field(
        description="Send as `cursor` for the next page; null on the last page."
    )


class ServiceAnswer(Schema):
    note: NoteWords = ""


class Decline(Schema):
    decline_reason: Words
    suggestion: NoteWords = ""


class RequestWithdrawal(Schema):
    reason: Words


class ConsentIn(Schema):
    given_by: ConsentGivenBy
    given_by_name: ShortWords = Field(description="The name of the person who gave consent.")
    given_on: date
    method: ConsentMethod
    parts: list[RecordPart] = Field(
        default=[],
        description="Beyond the request and the learner's name, date of birth and school, which"
        " every consent covers: only what the person agreed to share.",
    )


class ConsentWithdrawal(Schema):
    note: NoteWords = ""


class Allocation(Schema):
    practitioner_email: ShortWords = Field(
        description="The email address of one of the service's practitioners."
    )


class Attendance(Schema):
    starts_on: date
    ends_on: date
    possible_sessions: int = Field(ge=0, le=500)
    attended_sessions: int = Field(ge=0, le=500)


class ExclusionIn(Schema):
    excluded_on: date
    days: Decimal = Field(ge=Decimal("0.5"), le=Decimal("200"), decimal_places=1)
    removed_from_register: bool = False


class OutcomeRecorded(Schema):
    id: uuid.UUID
    kind: str
    school_year: int


class Figure(Schema):
    value: float | None
    state: str = Field(description="shown, withheld (too few learners to publish) or no_data.")


class MeasureFigures(Schema):
    code: str
    name: str
    principle: str
    unit: str
    with_needs: Figure
    without_needs: Figure
    gap: Figure


class Measures(Schema):
    level: str
    key: str
    name: str
    school_year: int | None
    school_years: list[int]
    measures: list[MeasureFigures]
