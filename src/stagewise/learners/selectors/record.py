"""Every read of learners, always scoped to an actor through learners/access.py."""

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import (
    CharField,
    Count,
    Exists,
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
from stagewise.organisations.models import Setting
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
    """Visible learners in the chosen list, filtered, with their current enrolment annotated.

    The enrolment comes in as subquery columns so that a page of any length is one query.
    """
    return _learner_list_of(visible_learners(actor), actor=actor, filters=filters)


def learner_list_count(*, actor: "Actor | None", filters: LearnerFilters, cap: int) -> CappedCount:
    """How many learners the list has, exactly up to `cap` and "more than" past it.

    Counted as the list is defined (visible learners, `id IN` the scope's enrolments) with a
    `LIMIT`, PostgreSQL reads learners in id order expecting the scope's to turn up evenly; an
    authority's learners arrive together and have neighbouring ids, so counting Glasgow's first
    1,001 read 320,000 learners (350 ms). For a school's or an authority's staff the count joins
    the scope's current enrolments instead, and reads 1,001 of them from the setting's index
    (2 ms on the national dataset). Such a join gives a learner enrolled twice in the scope
    twice: the ids are counted once each, and should repeats hide whether the cap is passed, the
    list's own count decides."""
    through_enrolments = visible_through_enrolments(actor)
    if through_enrolments is None:
        return capped_count(learner_list(actor=actor, filters=filters), cap)
    joined = _learner_list_of(
        Learner.objects.filter(through_enrolments), actor=actor, filters=filters
    )
    rows = list(joined.order_by().values_list("pk", flat=True)[: cap + 1])
    learners = len(set(rows))
    if len(rows) > cap >= learners:
        return capped_count(learner_list(actor=actor, filters=filters), cap)
    return CappedCount(count=min(learners, cap), more=learners > cap)


def _learner_list_of(
    learners: QuerySet[Any], *, actor: "Actor | None", filters: LearnerFilters
) -> QuerySet[Learner]:
    if filters.scope == ListScope.MINE and actor is not None:
        mine = StaffRelationship.objects.current().filter(staff=actor.user)
        learners = learners.filter(pk__in=mine.values("learner_id"))
    if filters.name:
        learners = learners.filter(learner_search(filters.name))
    current = Enrolment.objects.current().filter(learner=OuterRef("pk")).order_by("-started_on")
    learners = learners.annotate(
        current_year_group=Subquery(current.values("year_group")[:1]),
        current_setting_id=Subquery(current.values("setting_id")[:1]),
        current_setting_name=Subquery(current.values("setting__name")[:1]),
        current_setting_name_cy=Subquery(current.values("setting__name_cy")[:1]),
    )
    learners = with_current_stage(learners)
    if filters.year_group:
        learners = learners.filter(current_year_group=filters.year_group)
    if filters.setting_id:
        # The enrolments at the school narrow the list first, so that it starts from them.
        at_setting = Enrolment.objects.current().filter(setting_id=filters.setting_id)
        learners = learners.filter(pk__in=at_setting.values("learner_id")).filter(
            current_setting_id=filters.setting_id
        )
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


def learner_list_order(filters: LearnerFilters) -> KeysetOrder:
    """The order of the learner list, and the keys its pages turn on.

    Case-insensitive, as people read names ("de Souza" beside "Dunn"). An authority's learners
    are about one in ten of the nation's, so reading the name index from the cursor finds a page
    after a few dozen rows. A school, a caseload or an agency's learners are so few among the
    nation's that walking that index would probe thousands of learners for a page of 25: for
    them the same order is written so that no index serves it (`|| ''` leaves each name as it
    is), and the database starts from the scope's enrolments and sorts those rows alone
    (docs/adr/0031-lists-paged-by-keyset.md; the plan is tested in test_keyset_lists.py)."""
    if filters.scope == ListScope.AUTHORITY and not filters.setting_id and not filters.name:
        return KeysetOrder(keys=(Lower("legal_last_name"), Lower("legal_first_name"), "pk"))
    return KeysetOrder(
        keys=(
            Lower(Concat("legal_last_name", Value(""), output_field=CharField())),
            Lower(Concat("legal_first_name", Value(""), output_field=CharField())),
            "pk",
        )
    )


def with_current_stage(learners: QuerySet[Learner]) -> QuerySet[Any]:
    """Annotate each learner's latest stage decision: local stage, national stage, review date."""
    latest = StageDecision.objects.filter(learner=OuterRef("pk")).order_by("-decided_on", "-pk")
    return learners.annotate(
        current_stage_label=Subquery(latest.values("stage__label")[:1]),
        current_stage_label_cy=Subquery(latest.values("stage__label_cy")[:1]),
        current_national_stage=Subquery(latest.values("stage__national_stage")[:1]),
        current_review_on=Subquery(latest.values("next_review_on")[:1]),
    )


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


def learner_list_settings(actor: "Actor | None") -> QuerySet[Setting]:
    """Settings to filter a list by: those in the actor's authority, for authority roles."""
    if actor is None or actor.membership is None or actor.membership.authority_id is None:
        return Setting.objects.none()
    return Setting.objects.filter(authority_id=actor.membership.authority_id)


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
