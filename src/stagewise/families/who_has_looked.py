"""Who has looked at a child's record, as the family reads it (ADR 0019).

The audit log records every view, change, export and refusal with the person's name and email
address, their role and organisation. Staff who manage the record read all of that
(learners:access_history). A family reads a projection cut here, never in the template: each
entry is a role and an organisation in plain words ("A class teacher at Riverside Primary
School looked at the record"), the family member's own entries are "You", and no member of
staff's name, email address or IP address leaves this module. Entries are grouped by day and by
person, so that a teacher opening the record ten times in a morning is one line. Pages turn by
a cursor on the grouped lines (stagewise/keyset.py; the keys are compared after grouping, in
HAVING): one query a page whatever the number of events or how far back the page is, with no
count. Grouping still reads the learner's events from their (learner, occurred_at) index: one
learner's history, never the nation's.
"""

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Case, CharField, Count, Max, Value, When
from django.db.models.functions import Coalesce, TruncDate
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from stagewise.audit.models import AuditAction, AuditEvent, learner_audit_key
from stagewise.keyset import KeysetOrder, KeysetPage, keyset_page
from stagewise.learners.models import Learner
from stagewise.organisations.models import Role
from stagewise.policy import LearnerScope, policy_for

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from stagewise.accounts.actors import Actor

PAGE_SIZE = 50
# Newest day first and, within a day, the most recent line first; the rest of the line's group
# (who, in which role and organisation, doing what) makes each line's keys unique. Stagewise
# itself has no user: 0 stands for it, as a key must never be NULL.
LOOKED_ORDER = KeysetOrder(
    keys=(
        "day",
        "latest",
        Coalesce("user_id", Value(0)),
        "role",
        "organisation_label",
        "kind",
    ),
    descending=True,
)
# The audit's object type of a young person's decision about what their parents see.
SHARING_DECISION = "parent_sharing_decision"


class Kind:
    """What someone did, as a family reads it."""

    LOOKED = "looked"
    PRINTED = "printed"
    CHANGED = "changed"
    REFUSED = "refused"
    # A decision about what the young person's parents see (ADR 0021), told to the young person
    # in words; to a parent it stays a change like any other (no hint of what is kept back).
    SHARING = "sharing"


KIND_OF_ACTION = {
    AuditAction.VIEW: Kind.LOOKED,
    AuditAction.LIST: Kind.LOOKED,
    AuditAction.EXPORT: Kind.PRINTED,
    AuditAction.CREATE: Kind.CHANGED,
    AuditAction.UPDATE: Kind.CHANGED,
    AuditAction.DELETE: Kind.CHANGED,
    AuditAction.REFUSED: Kind.REFUSED,
}

# Someone in a role, without their name: the start of "... looked at the record".
ROLE_WORDS: dict[str, "Promise"] = {
    Role.CLASS_TEACHER: _("a class teacher"),
    Role.SUPPORT_FOR_LEARNING_LEAD: _("a support-for-learning lead"),
    Role.HEAD_TEACHER: _("a head teacher"),
    Role.LOCAL_AUTHORITY_OFFICER: _("an officer of the council"),
    Role.EDUCATIONAL_PSYCHOLOGIST: _("an educational psychologist"),
    Role.AGENCY_PRACTITIONER: _("a practitioner of a service"),
    Role.SERVICE_MANAGER: _("a service manager"),
    Role.NATIONAL_ANALYST: _("a national analyst"),
    Role.SYSTEM_ADMINISTRATOR: _("an administrator of Stagewise"),
    Role.DATA_PROTECTION_OFFICER: _("the council's data protection officer"),
    Role.PARENT_CARER: _("a parent or carer"),
    Role.YOUNG_PERSON: _("the child or young person"),
}
SOMEONE = _("someone")
STAGEWISE_ITSELF = _("Stagewise itself")

WHO_AT = _("%(who)s at %(organisation)s")
SENTENCES: dict[str, "Promise"] = {
    Kind.LOOKED: _("%(who)s looked at the record"),
    Kind.PRINTED: _("%(who)s printed or downloaded part of the record"),
    Kind.CHANGED: _("%(who)s added to or changed the record"),
    Kind.REFUSED: _("%(who)s asked for a part of the record they may not see, and was refused"),
    Kind.SHARING: _("%(who)s recorded your decision about what your parents and carers can see"),
}
YOUR_SENTENCES: dict[str, "Promise"] = {
    Kind.LOOKED: _("You looked at the record"),
    Kind.PRINTED: _("You printed or downloaded part of the record"),
    Kind.CHANGED: _("You added to or changed the record"),
    Kind.REFUSED: _("You asked for a page you may not see, and were refused"),
    Kind.SHARING: _("You changed what your parents and carers can see"),
}


@dataclass(frozen=True)
class LookedEntry:
    """One person's entries of one kind on one day, in words: never who they are by name."""

    day: date
    sentence: str
    times: int
    is_you: bool

    @property
    def times_text(self) -> str:
        return ngettext("%(count)s time", "%(count)s times", self.times) % {"count": self.times}


@dataclass(frozen=True)
class LookedDay:
    day: date
    entries: list[LookedEntry]


@dataclass(frozen=True)
class WhoHasLooked:
    page: KeysetPage
    days: list[LookedDay]


def who_has_looked_page(*, actor: "Actor", learner: Learner, cursor: str | None) -> WhoHasLooked:
    """One page of the family's projection of the learner's access history, newest day first.
    The caller reached the learner through get_learner_for with VIEW_WHO_HAS_LOOKED."""
    sharing = (
        [When(action=AuditAction.CREATE, object_type=SHARING_DECISION, then=Value(Kind.SHARING))]
        if policy_for(actor).scope == LearnerScope.OWN_RECORD
        else []
    )
    kind = Case(
        *sharing,
        *(When(action=action, then=Value(kind)) for action, kind in KIND_OF_ACTION.items()),
        default=Value(Kind.LOOKED),
        output_field=CharField(),
    )
    rows = (
        AuditEvent.objects.filter(learner_key__key=learner_audit_key(learner))
        .annotate(day=TruncDate("occurred_at"), kind=kind)
        .values("day", "user_id", "role", "organisation_label", "kind")
        .annotate(times=Count("pk"), latest=Max("occurred_at"))
    )
    rows_page = keyset_page(
        rows, order=LOOKED_ORDER, cursor=cursor, per_page=PAGE_SIZE, salt="families:who_has_looked"
    )
    days: list[LookedDay] = []
    for row in rows_page.object_list:
        entry = _entry(row, you=actor.user.pk)
        if days and days[-1].day == entry.day:
            days[-1].entries.append(entry)
        else:
            days.append(LookedDay(day=entry.day, entries=[entry]))
    # The page carries the entries, never the audit values they were read from (its cursors are
    # signed and opaque).
    entries = [entry for day in days for entry in day.entries]
    return WhoHasLooked(page=replace(rows_page, object_list=entries), days=days)


def _entry(row: Mapping[str, Any], *, you: int) -> LookedEntry:
    is_you = row["user_id"] == you
    if is_you:
        sentence = str(YOUR_SENTENCES[row["kind"]])
    else:
        sentence = capfirst(str(SENTENCES[row["kind"]]) % {"who": _who(row)})
    return LookedEntry(day=row["day"], sentence=sentence, times=row["times"], is_you=is_you)


def _who(row: Mapping[str, Any]) -> str:
    """A role and an organisation, never a name: the audit's snapshot of the organisation the
    person acted for, which families are told as part of the record's story."""
    if row["user_id"] is None:
        return str(STAGEWISE_ITSELF)
    who = str(ROLE_WORDS.get(row["role"], SOMEONE))
    if row["organisation_label"]:
        return str(WHO_AT) % {"who": who, "organisation": row["organisation_label"]}
    return who
