"""Bulk writers for synthetic rows: COPY on PostgreSQL, large executemany batches on SQLite.

Rows are tuples of plain values (int, str or None) in the order of a table's `fields`, already in
the form both databases accept as text: dates as ISO strings, booleans as 0/1, UUIDs as 32 hex
digits, JSON as its text. The column lists come from the models' `_meta`, so a renamed column is
followed; a new NOT NULL field the generator does not fill stops the run with a clear message.
"""

import io
import queue
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import NOT_PROVIDED

from stagewise.accounts.models import User
from stagewise.audit.models import LearnerAuditKey
from stagewise.coordination.models import (
    RequestEvent,
    RequestForAssistance,
    ServicePathway,
    SharingConsent,
)
from stagewise.learners.models import (
    Carer,
    Enrolment,
    Learner,
    LearnerCarer,
    Need,
    StageDecision,
    WellbeingAssessment,
    WellbeingRating,
)
from stagewise.measurement.models import (
    AttendanceRecord,
    CurriculumJudgement,
    Exclusion,
    MainstreamTime,
    PartTimeTimetable,
    Qualification,
)
from stagewise.organisations.models import Agency, Membership, Setting
from stagewise.planning.models import Plan, PlanVersion
from stagewise.statutory.models import (
    CoordinatedSupportPlanConsideration,
    ProcessEvent,
    StatutoryProcess,
)

Row = tuple[Any, ...]


class UnknownFieldError(RuntimeError):
    """A model gained a required field the synthetic generator does not fill."""


@dataclass(frozen=True)
class Table:
    """One table the generator writes, with the model fields each row carries, in order."""

    key: str
    model: type[models.Model]
    fields: tuple[str, ...]

    @property
    def db_table(self) -> str:
        return self.model._meta.db_table

    def columns(self) -> list[str]:
        """The database columns for `fields`, checked against the model's concrete fields."""
        concrete = {field.attname: field for field in self.model._meta.concrete_fields}
        unknown = [name for name in self.fields if name not in concrete]
        if unknown:
            raise UnknownFieldError(
                f"{self.model.__name__} has no field {', '.join(unknown)}: update "
                "stagewise/synthetic/writers.py to the current model."
            )
        missing = [
            field.name
            for name, field in concrete.items()
            if name not in self.fields
            and not field.null
            and getattr(field, "db_default", NOT_PROVIDED) is NOT_PROVIDED
            # The database computes a generated column (Learner.search_name) itself.
            and not field.generated
        ]
        if missing:
            raise UnknownFieldError(
                f"{self.model.__name__}.{', '.join(missing)} is required but the synthetic "
                "generator does not fill it: add it to stagewise/synthetic/population.py and "
                "writers.py."
            )
        return [str(concrete[name].column) for name in self.fields]

    def quoted_columns(self) -> str:
        quote = connection.ops.quote_name
        return ", ".join(quote(column) for column in self.columns())


SETTINGS = Table(
    "settings",
    Setting,
    (
        "id",
        "name",
        "name_cy",
        "authority_id",
        "setting_type",
        "language_medium",
        "reference_number",
    ),
)
LEARNERS = Table(
    "learners",
    Learner,
    (
        "id",
        "public_id",
        "legal_first_name",
        "legal_last_name",
        "preferred_name",
        "date_of_birth",
        "sex",
        "candidate_number",
        "home_language",
        "preferred_language",
        "looked_after",
        "deprivation_decile",
        "young_carer",
        "staff_notes",
        "created_at",
    ),
)
# Each learner's audit key (ADR 0033), written with the learner: bulk rows skip Learner.save().
LEARNER_AUDIT_KEYS = Table("learner_audit_keys", LearnerAuditKey, ("learner_id", "key"))
CARERS = Table(
    "carers",
    Carer,
    ("id", "full_name", "email", "telephone", "address", "preferred_language"),
)
ENROLMENTS = Table(
    "enrolments",
    Enrolment,
    (
        "id",
        "learner_id",
        "setting_id",
        "year_group",
        "started_on",
        "ended_on",
        "attendance_percentage",
    ),
)
LEARNER_CARERS = Table(
    "learner_carers",
    LearnerCarer,
    (
        "id",
        "learner_id",
        "carer_id",
        "relationship",
        "parental_responsibility",
        "lives_with_learner",
        "portal_access",
    ),
)
NEEDS = Table(
    "needs",
    Need,
    (
        "id",
        "learner_id",
        "reason_id",
        "factor_groups",
        "identified_on",
        "identified_by_label",
        "evidence",
        "notes",
        "disability",
        "resolved_on",
    ),
)
STAGE_DECISIONS = Table(
    "stage_decisions",
    StageDecision,
    (
        "id",
        "learner_id",
        "stage_id",
        "decided_on",
        "decided_by_label",
        "rationale",
        "next_review_on",
        # Decision support's suggestion and any departure from it (synthetic/departures.py).
        "suggested_national_stage",
        "suggested_stage_id",
        "departs_from_suggestion",
        "departure_kind",
        "departure_reason",
    ),
)
# Considerations of looked-after children for a co-ordinated support plan (ADR 0049).
CONSIDERATIONS = Table(
    "considerations",
    CoordinatedSupportPlanConsideration,
    (
        "id",
        "public_id",
        "learner_id",
        "authority_id",
        "considered_on",
        "considered_by_label",
        "recorded_at",
        "authority_responsible",
        "complex_or_multiple_factors",
        "lasting_more_than_a_year",
        "significant_support_from_others",
        "authority_responsible_evidenced",
        "complex_or_multiple_factors_evidenced",
        "lasting_more_than_a_year_evidenced",
        "significant_support_from_others_evidenced",
        "conclusion",
        "suggested_conclusion",
        "reason",
    ),
)

AGENCIES = Table("agencies", Agency, ("id", "name", "name_cy", "authority_id", "agency_type"))
PLANS = Table(
    "plans",
    Plan,
    (
        "id",
        "public_id",
        "learner_id",
        "plan_type_id",
        "authority_id",
        "status",
        "version_number",
        "edit_revision",
        "starts_on",
        "next_review_on",
        "multi_agency",
        "lead_professional",
        "staff_notes",
        "created_at",
        "closed_reason",
        # The school that opened it and the statutory test's suggestion (synthetic/departures.py).
        "opened_for_setting_id",
        "suggested_plan_type",
        "departs_from_suggestion",
        "departure_kind",
        "departure_reason",
    ),
)
# The version each active synthetic plan was agreed as (synthetic/clocks.py).
PLAN_VERSIONS = Table(
    "plan_versions",
    PlanVersion,
    (
        "id",
        "plan_id",
        "number",
        "document",
        "finalised_by_id",
        "finalised_by_label",
        "finalised_role",
        "finalised_at",
        "finalised_for_setting_id",
        "staff_notes",
    ),
)
PROCESSES = Table(
    "processes",
    StatutoryProcess,
    (
        "id",
        "public_id",
        "learner_id",
        "timescale_id",
        "rule_key",
        "authority_id",
        "setting_id",
        "agency_id",
        "responsible",
        "plan_id",
        "started_on",
        "first_due_on",
        "due_on",
        "ceiling_on",
        "due_problem",
        "calendar_year_needed",
        "status",
        "closed_on",
        "outcome",
        "outcome_note",
        "created_at",
    ),
)
PROCESS_EVENTS = Table(
    "process_events",
    ProcessEvent,
    (
        "id",
        "process_id",
        "kind",
        "happened_on",
        "reason",
        "due_before",
        "due_after",
        "recorded_by_label",
        "recorded_at",
    ),
)
PATHWAYS = Table(
    "pathways",
    ServicePathway,
    (
        "id",
        "service_id",
        "summary",
        "summary_cy",
        "access_criteria",
        "access_criteria_cy",
        "request_must_include",
        "request_must_include_cy",
        "usual_stages",
        "response_weeks",
        "telephone",
        "email",
        "website",
        "address",
        "accepts_requests",
    ),
)
# The services' practitioners: sign-in accounts with unusable passwords, and their memberships.
USERS = Table(
    "users",
    User,
    (
        "id",
        "password",
        "last_login",
        "is_superuser",
        "email",
        "full_name",
        "preferred_language",
        "is_active",
        "is_staff",
        "date_joined",
    ),
)
MEMBERSHIPS = Table(
    "memberships",
    Membership,
    (
        "id",
        "user_id",
        "role",
        "setting_id",
        "authority_id",
        "agency_id",
        "nation_id",
        "started_on",
        "ended_on",
    ),
)
REQUESTS = Table(
    "requests",
    RequestForAssistance,
    (
        "id",
        "public_id",
        "learner_id",
        "service_id",
        "authority_id",
        "setting_id",
        "requested_by_id",
        "plan_id",
        "reason",
        "tried",
        "tried_for",
        "urgency",
        "learner_views",
        "family_views",
        "lawful_basis",
        "lawful_basis_recorded_by_id",
        "lawful_basis_recorded_at",
        "status",
        "sent_on",
        "due_on",
        "answered_on",
        "waiting_since",
        "allocated_to_id",
        "decline_reason",
        "suggested_service_id",
        "suggestion",
        "completed_on",
        "clock_id",
        "created_at",
    ),
)
CONSENTS = Table(
    "consents",
    SharingConsent,
    (
        "id",
        "public_id",
        "request_id",
        "given_by",
        "given_by_name",
        "carer_id",
        "parts",
        "given_on",
        "method",
        "recorded_by_id",
        "recorded_at",
        "withdrawn_at",
        "withdrawn_by_id",
        "withdrawal_note",
    ),
)
REQUEST_EVENTS = Table(
    "request_events",
    RequestEvent,
    ("id", "request_id", "kind", "note", "actor_id", "actor_label", "happened_at"),
)

# Outcome records (synthetic/outcomes.py): every row starts with the same columns.
OUTCOME_COLUMNS = ("id", "public_id", "setting_id", "school_year", "recorded_at", "learner_id")
ATTENDANCE = Table(
    "attendance",
    AttendanceRecord,
    (*OUTCOME_COLUMNS, "starts_on", "ends_on", "possible_sessions", "attended_sessions"),
)
EXCLUSIONS = Table(
    "exclusions", Exclusion, (*OUTCOME_COLUMNS, "excluded_on", "days", "removed_from_register")
)
PART_TIME = Table(
    "part_time",
    PartTimeTimetable,
    (*OUTCOME_COLUMNS, "starts_on", "ends_on", "hours_a_week", "reason", "reason_detail"),
)
MAINSTREAM_TIME = Table(
    "mainstream_time",
    MainstreamTime,
    (*OUTCOME_COLUMNS, "timetabled_hours_a_week", "mainstream_hours_a_week"),
)
JUDGEMENTS = Table(
    "judgements",
    CurriculumJudgement,
    (*OUTCOME_COLUMNS, "year_group", "area", "level", "expected_level_achieved"),
)
QUALIFICATIONS = Table(
    "qualifications",
    Qualification,
    (*OUTCOME_COLUMNS, "awarded_on", "title", "framework_level"),
)
# Wellbeing assessments of learners with a plan, before it and since (synthetic/outcomes.py).
WELLBEING_ASSESSMENTS = Table(
    "wellbeing_assessments",
    WellbeingAssessment,
    ("id", "learner_id", "assessed_on", "assessed_by_id", "assessed_by_label", "summary"),
)
WELLBEING_RATINGS = Table(
    "wellbeing_ratings",
    WellbeingRating,
    ("id", "assessment_id", "indicator", "level", "note"),
)

# Parents before children, so immediate foreign-key checks (SQLite) never see a missing row.
TABLES: tuple[Table, ...] = (
    SETTINGS,
    AGENCIES,
    PATHWAYS,
    USERS,
    MEMBERSHIPS,
    LEARNERS,
    LEARNER_AUDIT_KEYS,
    CARERS,
    ENROLMENTS,
    LEARNER_CARERS,
    NEEDS,
    STAGE_DECISIONS,
    CONSIDERATIONS,
    PLANS,
    PLAN_VERSIONS,
    PROCESSES,
    PROCESS_EVENTS,
    REQUESTS,
    CONSENTS,
    REQUEST_EVENTS,
    ATTENDANCE,
    EXCLUSIONS,
    PART_TIME,
    MAINSTREAM_TIME,
    JUDGEMENTS,
    QUALIFICATIONS,
    WELLBEING_ASSESSMENTS,
    WELLBEING_RATINGS,
)
TABLES_BY_KEY = {table.key: table for table in TABLES}

Batch = dict[str, list[Row]]


class Writer(Protocol):
    def write(self, batch: Batch) -> None: ...

    def close(self) -> None: ...


NULL = "\\N"


def copy_text(rows: Iterable[Row]) -> str:
    """Rows in PostgreSQL's COPY text format. Values never hold tabs, newlines or backslashes."""
    return "".join(
        "\t".join([NULL if value is None else str(value) for value in row]) + "\n" for row in rows
    )


class PostgresCopyWriter:
    """COPY FROM STDIN through psycopg 3 on Django's connection (so inside its transaction).

    `method="text"` formats each batch as one COPY text block in Python; `"write_row"` hands rows to
    psycopg's C formatter one at a time. bench/bench_synth.py measures both.

    Writes happen on a worker thread: while PostgreSQL ingests one batch, the caller is already
    generating the next (psycopg releases the GIL while it waits on the server), so the run takes
    about as long as the slower of the two rather than their sum. At most `queue_size` batches
    wait, which keeps memory bounded. Call `close()` to wait for the last batch and see any error.
    """

    def __init__(self, method: str = "text", queue_size: int = 2) -> None:
        if method not in ("text", "write_row"):
            raise ValueError(f"Unknown COPY method {method!r}: use text or write_row.")
        self.method = method
        self.statements = {
            table.key: f"COPY {connection.ops.quote_name(table.db_table)} "
            f"({table.quoted_columns()}) FROM STDIN"
            for table in TABLES
        }
        # Django's connection object is per thread: hand the worker the psycopg connection itself,
        # which is already inside the caller's transaction.
        connection.ensure_connection()
        self.database = connection.connection
        self.queue: queue.Queue[Batch | None] = queue.Queue(maxsize=queue_size)
        self.error: BaseException | None = None
        self.worker = threading.Thread(target=self.drain, name="synthetic-copy", daemon=True)
        self.worker.start()

    def write(self, batch: Batch) -> None:
        if self.error is not None:
            self.close()
        self.queue.put(batch)

    def close(self) -> None:
        if self.worker.is_alive():
            self.queue.put(None)
            self.worker.join()
        if self.error is not None:
            raise self.error

    def drain(self) -> None:
        while (batch := self.queue.get()) is not None:
            if self.error is not None:
                continue  # keep taking batches so the producer never blocks; report at close
            try:
                self.copy(batch)
            except BaseException as error:  # handed to the caller's thread by close()
                self.error = error

    def copy(self, batch: Batch) -> None:
        with self.database.cursor() as cursor:
            for table in TABLES:
                rows = batch.get(table.key)
                if not rows:
                    continue
                with cursor.copy(self.statements[table.key]) as copy:
                    if self.method == "text":
                        copy.write(copy_text(rows))
                    else:
                        for row in rows:
                            copy.write_row(row)


class ExecuteManyWriter:
    """Multi-row INSERTs through executemany: SQLite's fastest bulk path from Python."""

    def __init__(self) -> None:
        self.statements = {
            # Table and column names come from the models' _meta, quoted; values are parameters.
            table.key: f"INSERT INTO {connection.ops.quote_name(table.db_table)} "  # noqa: S608
            f"({table.quoted_columns()}) VALUES ({', '.join(['%s'] * len(table.fields))})"
            for table in TABLES
        }

    def write(self, batch: Batch) -> None:
        with connection.cursor() as cursor:
            for table in TABLES:
                rows = batch.get(table.key)
                if rows:
                    cursor.executemany(self.statements[table.key], rows)

    def close(self) -> None:
        pass


class TextBufferWriter:
    """Keeps every table's rows as COPY text in memory: the benchmark's plain-COPY baseline."""

    def __init__(self) -> None:
        self.buffers = {table.key: io.StringIO() for table in TABLES}
        self.rows = dict.fromkeys(self.buffers, 0)

    def write(self, batch: Batch) -> None:
        for key, rows in batch.items():
            self.buffers[key].write(copy_text(rows))
            self.rows[key] += len(rows)

    def close(self) -> None:
        pass


def writer_for_connection(copy_method: str = "text") -> Writer:
    if connection.vendor == "postgresql":
        return PostgresCopyWriter(copy_method)
    return ExecuteManyWriter()


def next_ids() -> dict[str, int]:
    """The first free primary key of each table: rows carry their own keys, so children can
    point at parents without a round trip."""
    with connection.cursor() as cursor:
        first = {}
        for table in TABLES:
            name = connection.ops.quote_name(table.db_table)
            key = connection.ops.quote_name(str(table.model._meta.pk.column))
            cursor.execute(f"SELECT COALESCE(MAX({key}), 0) + 1 FROM {name}")  # noqa: S608
            first[table.key] = int(cursor.fetchone()[0])
    return first


def lock_tables() -> None:
    """Stop anyone else writing these tables until the run commits, so the keys stay free."""
    if connection.vendor != "postgresql":
        return  # SQLite allows one writer at a time anyway
    names = ", ".join(connection.ops.quote_name(table.db_table) for table in TABLES)
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {names} IN EXCLUSIVE MODE")


def reset_sequences(tables: Sequence[Table] = TABLES) -> None:
    """Move PostgreSQL's identity sequences past the keys the generator chose itself."""
    statements = connection.ops.sequence_reset_sql(no_style(), [table.model for table in tables])
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def analyse(tables: Sequence[Table] = TABLES) -> None:
    """Refresh the planner's statistics after a bulk load, before anyone queries the tables."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        return
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table.db_table)}")
