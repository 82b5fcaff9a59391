"""What the data protection officer reads: learners to export, and the retention report, each
cut to the officer's own authority."""

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet, Sum

from stagewise.data_protection.models import OUTLIVES_THE_LEARNER, RetentionDue, RetentionStart
from stagewise.data_protection.registry import RECORD_TYPES_BY_LABEL
from stagewise.keyset import KeysetOrder, KeysetPage, keyset_page
from stagewise.learners.access import ERASURE_RECORD_TYPE, subject_access_learners
from stagewise.learners.models import Learner
from stagewise.policy import Capability, may, require

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor

FOUND_AT_MOST = 25
DUE_PAGE_SIZE = 50
# Longest due first, by cursor (stagewise/keyset.py): served by the index
# retention_due_oldest (authority, due_since, learner, id).
DUE_ORDER = KeysetOrder(keys=("due_since", "learner_id", "pk"))


def subject_access_search(*, actor: "Actor", words: str) -> list[Learner]:
    """Learners the officer may export whose name or identifier matches, at most 25."""
    require(actor, Capability.EXPORT_SUBJECT_ACCESS)
    words = words.strip()
    if not words:
        return []
    matches = Q(candidate_number__iexact=words)
    for word in words.split()[:4]:
        matches |= Q(legal_first_name__icontains=word) | Q(legal_last_name__icontains=word)
        matches |= Q(preferred_name__icontains=word)
    learners = subject_access_learners(actor).filter(matches)
    return list(learners.order_by("legal_last_name", "legal_first_name", "pk")[:FOUND_AT_MOST])


@dataclass(frozen=True)
class DueCount:
    title: str
    record_type: str
    kept_for_years: int
    counted_from: str
    basis: str
    learners: int
    records: int


@dataclass(frozen=True)
class RetentionReport:
    reported_on: date | None
    counts: list[DueCount]
    page: KeysetPage


def _due_here(actor: "Actor") -> QuerySet[RetentionDue]:
    require(actor, Capability.REVIEW_RETENTION)
    membership = actor.membership
    authority_id = membership.authority_id if membership is not None else None
    return RetentionDue.objects.filter(authority_id=authority_id)


def retention_report_get(*, actor: "Actor", cursor: str | None) -> RetentionReport:
    """The counts due for review by record type (one grouped read of the authority's due rows,
    which the daily task writes), and a page of the learners due, from `cursor`."""
    due = _due_here(actor)
    counts = [
        DueCount(
            title=RECORD_TYPES_BY_LABEL[row["schedule__record_type"]].title
            if row["schedule__record_type"] in RECORD_TYPES_BY_LABEL
            else row["schedule__record_type"],
            record_type=row["schedule__record_type"],
            kept_for_years=row["schedule__kept_for_years"],
            counted_from=str(RetentionStart(row["schedule__counted_from"]).label),
            basis=row["schedule__basis"],
            learners=row["learners"],
            records=row["records"],
        )
        for row in due.values(
            "schedule__record_type",
            "schedule__kept_for_years",
            "schedule__counted_from",
            "schedule__basis",
        )
        .annotate(learners=Count("learner_id", distinct=True), records=Sum("records"))
        .order_by("schedule__record_type")
    ]
    page = keyset_page(
        due.select_related("learner", "schedule"),
        order=DUE_ORDER,
        cursor=cursor,
        per_page=DUE_PAGE_SIZE,
        salt="data_protection:retention",
    )
    for row in page.object_list:
        record_type = RECORD_TYPES_BY_LABEL.get(row.schedule.record_type)
        row.title = record_type.title if record_type else row.schedule.record_type
        # The officer may erase what is due (learners/access.erasure_due): the learner's whole
        # record when their own is due, otherwise the type's records alone; never the access
        # trail, which goes by whole months (ADR 0038).
        row.erasable = row.schedule.record_type != OUTLIVES_THE_LEARNER and may(
            actor, Capability.ERASE_LEARNER
        )
        row.erases_the_learner = row.schedule.record_type == ERASURE_RECORD_TYPE
    reported_on = due.values_list("reported_on", flat=True).first()
    return RetentionReport(reported_on=reported_on, counts=counts, page=page)
