"""Every read of learners, always scoped to an actor through learners/access.py."""

from dataclasses import dataclass, replace
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Concat, Lower
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from stagewise.coordination.models import SharingConsent
from stagewise.keyset import CappedCount, KeysetOrder, capped_count
from stagewise.learners.access import visible_learners, visible_through_enrolments
from stagewise.learners.models import (
    Enrolment,
    Learner,
    LearnerCarer,
    Need,
    StaffRelationship,
    StageDecision,
)
from stagewise.learners.name_folding import fold_for_search
from stagewise.policy import Audience, ListScope, policy_for
from stagewise.statutory.models import NATIONAL_STAGE_ORDER, NationalStage

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor


SCOPE_LABELS: dict[str, Any] = {
    ListScope.MINE: _("My learners"),
    ListScope.SETTING: _("My school"),
    ListScope.AUTHORITY: _("My authority"),
    ListScope.AGENCY: _("My agency's learners"),
}


def learner_list_scopes(actor: "Actor | None") -> list[str]:
    """The lists this actor can choose between, the first being their default (policy data)."""
    return list(policy_for(actor).list_scopes)


# The learner list counts its learners exactly up to this many, and says "more than" beyond.
LEARNER_COUNT_CAP = 1_000


class ReviewDue:
    OVERDUE = "overdue"
    NEXT_30_DAYS = "next_30_days"


@dataclass(frozen=True)
class LearnerFilters:
    scope: str = ""
    name: str = ""
    year_group: str = ""
    setting_id: int | None = None
    national_stage: str = ""
    reason_id: int | None = None
    review: str = ""


def learner_list(*, actor: "Actor | None", filters: LearnerFilters) -> QuerySet[Learner]:
    """Visible learners in the chosen list, filtered, with their current enrolment annotated,
    in the list's order (`learner_list_order`: its keys are annotated as `sort_last_name` and
    `sort_first_name`).

    The enrolment comes in as subquery columns so that a page of any length is one query.
    A school's or an authority's staff see learners by where they are enrolled today: their
    list starts from those enrolments, each of which carries its learner's sort keys and search
    name and its setting's authority (ADR 0050), so that a page is read in order from the
    scope's index (`enrolment_setting_roster`, `enrolment_authority_roster`) and a name search
    from the authority's trigram index, not from every learner of the nation."""
    listed = _through_enrolments(actor, filters)
    if listed is None:
        listed = _visible_in_name_order(actor, filters)
    return _learner_list_of(listed, actor=actor, filters=filters)


def learner_list_count(*, actor: "Actor | None", filters: LearnerFilters, cap: int) -> CappedCount:
    """How many learners the list has, exactly up to `cap` and "more than" past it.

    A school's or an authority's list is counted from its scope's current enrolments (ADR 0040,
    ADR 0050), reading the learners of at most `cap + 1` of them: from the scope's index alone
    when the list is not filtered by anything about the learner beyond their name, joined to
    the learners otherwise. A learner enrolled twice in the scope is one of those rows twice,
    so the learners are counted once each, and should repeats hide whether the cap is passed,
    the list's own count decides. Every other list is counted as it is defined."""
    listed = _listed_enrolments(actor, filters, prefix="")
    if listed is None:
        return capped_count(learner_list(actor=actor, filters=filters), cap)
    # The learners are joined only when the list is narrowed by something about them.
    joined = (
        _through_enrolments(actor, filters, once_each=False)
        if _filtered_by_the_learner(filters)
        else None
    )
    rows: QuerySet[Any, Any]
    if joined is not None:
        rows = _learner_list_of(joined, actor=actor, filters=filters).values(listed=F("pk"))
    else:
        rows = Enrolment.objects.filter(listed).values(listed=F("learner_id"))
    # Counted by the database over at most cap + 1 rows: one row comes back, not a thousand.
    read = rows.order_by()[: cap + 1].aggregate(
        rows=Count("*"), learners=Count("listed", distinct=True)
    )
    learners = read["learners"]
    if read["rows"] > cap >= learners:
        return capped_count(learner_list(actor=actor, filters=filters), cap)
    return CappedCount(count=min(learners, cap), more=learners > cap)


def _filtered_by_the_learner(filters: LearnerFilters) -> bool:
    """Whether the list is narrowed by more than where the learners are enrolled and their
    names: by their caseload, their current enrolment's year group or school, their stage, a
    reason for support or a review date."""
    return bool(
        filters.scope == ListScope.MINE
        or filters.year_group
        or filters.setting_id
        or filters.national_stage
        or filters.reason_id
        or filters.review
    )


def _visible_in_name_order(actor: "Actor | None", filters: LearnerFilters) -> QuerySet[Any]:
    """The visible learners of a list that is not a school's or an authority's (a caseload, an
    agency's, a family's), with the list's sort keys. Those are so few among the nation's that
    walking the national name index would probe thousands of learners for a page of 25: the
    keys are written so that no index serves them (`|| ''` leaves each name as it is), and the
    database starts from the scope and sorts its rows alone (ADR 0031)."""
    learners = visible_learners(actor).annotate(
        sort_last_name=Lower(Concat("legal_last_name", Value(""), output_field=CharField())),
        sort_first_name=Lower(Concat("legal_first_name", Value(""), output_field=CharField())),
    )
    if filters.name:
        learners = learners.filter(learner_search(filters.name))
    if filters.setting_id:
        # The enrolments at the school narrow the list first, so that it starts from them.
        at_setting = Enrolment.objects.current().filter(setting_id=filters.setting_id)
        learners = learners.filter(pk__in=at_setting.values("learner_id"))
    return learners


def _listed_enrolments(actor: "Actor | None", filters: LearnerFilters, *, prefix: str) -> Q | None:
    """For a school's or an authority's list, the enrolments that put a learner on it (their
    fields named after `prefix`): current, in the scope, at the chosen school if there is one,
    and matching the name searched for. None for the other lists."""
    conditions = visible_through_enrolments(actor, prefix)
    if conditions is None:
        return None
    if filters.setting_id:
        conditions &= Q(**{f"{prefix}setting_id": filters.setting_id})
    if filters.name:
        conditions &= listed_learner_search(filters.name, prefix=prefix)
    return conditions


def _through_enrolments(
    actor: "Actor | None", filters: LearnerFilters, *, once_each: bool = True
) -> QuerySet[Any] | None:
    """A school's or an authority's list as a join of each visible learner to one of their
    current enrolments in the scope (at the chosen school, if one is): the one with the lowest
    id, so that a learner enrolled twice in the scope is listed once (not so with `once_each`
    False, for a count that tells repeats apart itself). The sort keys and the name search are
    the enrolment's copies of the learner's (kept by the database, ADR 0050). None for the
    other lists."""
    joined = _listed_enrolments(actor, filters, prefix="enrolments__")
    in_scope = _listed_enrolments(actor, replace(filters, name=""), prefix="")
    if joined is None or in_scope is None:
        return None
    earlier_in_scope = Enrolment.objects.filter(
        in_scope, learner_id=OuterRef("pk"), pk__lt=OuterRef("listed_enrolment_id")
    )
    sort_keys: dict[str, Any] = {
        "sort_last_name": F("enrolments__learner_sort_last_name"),
        "sort_first_name": F("enrolments__learner_sort_first_name"),
    }
    if filters.name:
        # A search's matches come from the trigram index in no order, and they are few: the
        # same keys written so that no index serves them (`|| ''`), so that the database reads
        # the matches and sorts them, rather than walk the scope in name order hoping to meet
        # them (for "smith", most of the alphabet first).
        sort_keys = {
            name: Concat(key, Value(""), output_field=CharField())
            for name, key in sort_keys.items()
        }
    # One filter() for the join's conditions, so that they all apply to the same enrolment;
    # the annotations reuse that join.
    learners = Learner.objects.filter(joined).annotate(
        listed_enrolment_id=F("enrolments__id"), **sort_keys
    )
    return learners.filter(~Exists(earlier_in_scope)) if once_each else learners


def _learner_list_of(
    learners: QuerySet[Any], *, actor: "Actor | None", filters: LearnerFilters
) -> QuerySet[Learner]:
    if filters.scope == ListScope.MINE and actor is not None:
        mine = StaffRelationship.objects.current().filter(staff=actor.user)
        learners = learners.filter(pk__in=mine.values("learner_id"))
    current = Enrolment.objects.current().filter(learner=OuterRef("pk")).order_by("-started_on")
    # One annotate() for all of them: each call copies the whole query.
    learners = learners.annotate(
        current_year_group=Subquery(current.values("year_group")[:1]),
        current_setting_name=Subquery(current.values("setting__name")[:1]),
        current_setting_name_cy=Subquery(current.values("setting__name_cy")[:1]),
        **current_stage_annotations(),
    )
    if filters.year_group:
        learners = learners.filter(current_year_group=filters.year_group)
    if filters.setting_id:
        # Filtered on, never shown: not a column of the page.
        learners = learners.alias(
            current_setting_id=Subquery(current.values("setting_id")[:1])
        ).filter(current_setting_id=filters.setting_id)
    if filters.national_stage == NationalStage.UNIVERSAL:
        # No decision yet means universal support, which every learner has.
        learners = learners.filter(
            Q(current_national_stage=NationalStage.UNIVERSAL)
            | Q(current_national_stage__isnull=True)
        )
    elif filters.national_stage:
        learners = learners.filter(current_national_stage=filters.national_stage)
    if filters.reason_id:
        active_need = Need.objects.filter(
            learner=OuterRef("pk"), reason_id=filters.reason_id, resolved_on__isnull=True
        )
        learners = learners.filter(Exists(active_need))
    today = timezone.localdate()
    if filters.review == ReviewDue.OVERDUE:
        learners = learners.filter(current_review_on__lt=today)
    elif filters.review == ReviewDue.NEXT_30_DAYS:
        learners = learners.filter(
            current_review_on__gte=today, current_review_on__lte=today + timedelta(days=30)
        )
    return learners.order_by(*learner_list_order(filters).keys)


def learner_search(words: str) -> Q:
    """Learners every word of `words` finds: in their names, or as their candidate number.

    The search column is accent-folded and lower-cased by the database, and each word is folded
    the same way (learners/name_folding.py), so a plain LIKE on it, which the trigram index
    serves; candidate numbers are stored in capitals, found by their own unique index."""
    found = Q()
    for word in words.split():
        found &= Q(search_name__contains=fold_for_search(word)) | Q(candidate_number=word.upper())
    return found


def listed_learner_search(words: str, *, prefix: str) -> Q:
    """`learner_search` on an enrolment (its fields named after `prefix`): its copy of the
    learner's search name, which the authority's trigram index serves beside the authority
    (`enrolment_authority_search_trgm`, PostgreSQL), or the learner the candidate number names
    (unique, so at most one: a value the database works out once, for the same index reads)."""
    found = Q()
    for word in words.split():
        named = Learner.objects.filter(candidate_number=word.upper()).order_by().values("pk")[:1]
        found &= Q(**{f"{prefix}learner_search_name__contains": fold_for_search(word)}) | Q(
            **{f"{prefix}learner_id": Subquery(named)}
        )
    return found


def learner_list_order(filters: LearnerFilters) -> KeysetOrder:
    """The order of the learner list, and the keys its pages turn on: last name, then first
    name, case-insensitively, as people read names ("de Souza" beside "Dunn"), then the learner.

    Whatever the list, its queryset annotates the two names as `sort_last_name` and
    `sort_first_name`: for a school's or an authority's list they are its enrolments' copies,
    read in order from the scope's index; for the others, expressions no index serves, sorted
    over the scope's few rows (`learner_list`). The values are the same (the database's
    `lower()` of each name), so a cursor made by one reads the same in the other."""
    return KeysetOrder(keys=("sort_last_name", "sort_first_name", "pk"))


def with_current_stage(learners: QuerySet[Learner]) -> QuerySet[Any]:
    """Annotate each learner's latest stage decision: local stage, national stage, review date."""
    return learners.annotate(**current_stage_annotations())


def current_stage_annotations() -> dict[str, Subquery]:
    """A learner's latest stage decision as annotations (`with_current_stage`)."""
    latest = StageDecision.objects.filter(learner=OuterRef("pk")).order_by("-decided_on", "-pk")
    return {
        "current_stage_label": Subquery(latest.values("stage__label")[:1]),
        "current_stage_label_cy": Subquery(latest.values("stage__label_cy")[:1]),
        "current_national_stage": Subquery(latest.values("stage__national_stage")[:1]),
        "current_review_on": Subquery(latest.values("next_review_on")[:1]),
    }


def actor_nation_id(actor: "Actor | None") -> int | None:
    """The nation whose code lists an actor works with."""
    membership = actor.membership if actor else None
    if membership is None:
        return None
    if membership.setting_id:
        return membership.setting.authority.nation_id  # type: ignore[union-attr]
    if membership.authority_id:
        return membership.authority.nation_id  # type: ignore[union-attr]
    if membership.agency_id:
        return membership.agency.authority.nation_id  # type: ignore[union-attr]
    return membership.nation_id


@dataclass(frozen=True)
class StageCount:
    national_stage: str
    national_label: str
    local_label: str
    learners: int


@dataclass(frozen=True)
class ReasonCount:
    code: str
    label: str
    learners: int


@dataclass(frozen=True)
class CaseloadSummary:
    total: int
    by_stage: list[StageCount]
    by_reason: list[ReasonCount]


def caseload_summary_get(*, actor: "Actor | None") -> CaseloadSummary:
    """Counts by stage and by reason over every learner the actor can see: three queries."""
    visible = visible_learners(actor)
    staged = with_current_stage(visible)
    stage_rows = (
        staged.order_by()
        .values("current_national_stage", "current_stage_label", "current_stage_label_cy")
        .annotate(learners=Count("pk"))
    )
    welsh = (get_language() or "").startswith("cy")
    by_stage = [
        StageCount(
            national_stage=row["current_national_stage"] or NationalStage.UNIVERSAL,
            national_label=str(
                NationalStage(row["current_national_stage"] or NationalStage.UNIVERSAL).label
            ),
            local_label=(
                (
                    row["current_stage_label_cy"]
                    if welsh and row["current_stage_label_cy"]
                    else row["current_stage_label"]
                )
                or str(_("No stage decision yet"))
            ),
            learners=row["learners"],
        )
        for row in stage_rows
    ]
    by_stage.sort(
        key=lambda row: (NATIONAL_STAGE_ORDER[NationalStage(row.national_stage)], row.local_label)
    )
    reason_rows = (
        Need.objects.filter(learner__in=visible, resolved_on__isnull=True)
        .values("reason__code", "reason__label", "reason__label_cy")
        .annotate(learners=Count("learner", distinct=True))
        .order_by("-learners", "reason__code")
    )
    by_reason = [
        ReasonCount(
            code=row["reason__code"],
            label=row["reason__label_cy"]
            if welsh and row["reason__label_cy"]
            else row["reason__label"],
            learners=row["learners"],
        )
        for row in reason_rows
    ]
    return CaseloadSummary(total=visible.count(), by_stage=by_stage, by_reason=by_reason)


@dataclass
class LearnerProfile:
    learner: Learner
    enrolments: list[Enrolment]
    carer_links: list[LearnerCarer]
    staff_links: list[StaffRelationship]
    # The requests through which a service can see the record now, with their basis (a
    # consent, or a lawful basis for sharing without one): shown to staff and family alike.
    sharing_requests: list
    current_enrolment: Enrolment | None
    family_view: bool
    # What the record says about whether the learner is looked after or a young carer: for
    # staff only (None in a family's projection, which never shows these).
    looked_after: bool | None = None
    young_carer: bool | None = None


def learner_profile_get(*, actor: "Actor", learner: Learner) -> LearnerProfile:
    """What the profile page shows, cut for the actor's audience: a family sees only their own
    contact details (a young person none), never another carer's."""
    family_view = policy_for(actor).audience == Audience.FAMILY
    enrolments = list(
        learner.enrolments.select_related("setting__authority__nation").order_by("-started_on")
    )
    carer_links = learner.carer_links.select_related("carer")
    if family_view:
        carer_links = carer_links.filter(carer__user=actor.user)
    today = timezone.localdate()
    current = next(
        (
            e
            for e in enrolments
            if e.started_on <= today and (e.ended_on is None or e.ended_on >= today)
        ),
        None,
    )
    return LearnerProfile(
        learner=learner,
        enrolments=enrolments,
        carer_links=list(carer_links),
        staff_links=list(learner.staff_links.current().select_related("staff")),
        sharing_requests=list(
            learner.requests_for_assistance.sharing()
            .select_related("service")
            .prefetch_related(
                Prefetch("consents", queryset=SharingConsent.objects.filter(withdrawn_at=None))
            )
        ),
        current_enrolment=current,
        family_view=family_view,
        looked_after=None if family_view else learner.looked_after,
        young_carer=None if family_view else learner.young_carer,
    )
