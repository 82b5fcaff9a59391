"""What each role's home page shows: counts scoped through learners/access.py."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Q

from stagewise.disclosure import DISCLOSURE_STATEMENT, Figure, small_count
from stagewise.learners.access import visible_learners
from stagewise.learners.models import Enrolment, StaffRelationship
from stagewise.organisations.models import Agency, LocalAuthority, Membership, Setting
from stagewise.policy import Capability, may

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor


@dataclass
class AuthorityFigure:
    """One authority's row: its learners leave its scope, so they pass `stagewise.disclosure`
    (a count standing alone: no total is shown beside them)."""

    authority: LocalAuthority
    settings: int
    learners: Figure


class HomeKind:
    """Which home page the actor's role gets, from the policy table."""

    NONE = "none"
    NATIONAL_FIGURES = "national_figures"
    ADMINISTRATION = "administration"
    CASELOAD = "caseload"


@dataclass
class HomeSummary:
    kind: str = HomeKind.NONE
    linked_count: int = 0
    authority_figures: list[AuthorityFigure] | None = None
    organisation_counts: dict[str, int] | None = None
    disclosure_statement: str = ""


def home_summary_get(*, actor: "Actor | None") -> HomeSummary:
    if actor is None:
        return HomeSummary()
    # Families have their own home page (families/home_selectors.py, ADR 0019).
    if may(actor, Capability.VIEW_NATIONAL_FIGURES):
        nation_id = actor.membership.nation_id if actor.membership else None
        return HomeSummary(
            kind=HomeKind.NATIONAL_FIGURES,
            authority_figures=_authority_figures(nation_id) if nation_id else [],
            disclosure_statement=str(DISCLOSURE_STATEMENT),
        )
    if may(actor, Capability.ADMINISTER_ORGANISATIONS):
        return HomeSummary(
            kind=HomeKind.ADMINISTRATION,
            organisation_counts={
                "authorities": LocalAuthority.objects.count(),
                "settings": Setting.objects.count(),
                "agencies": Agency.objects.count(),
                "memberships": Membership.objects.current().count(),
            },
        )
    visible = visible_learners(actor)
    linked = StaffRelationship.objects.current().filter(staff=actor.user)
    return HomeSummary(
        kind=HomeKind.CASELOAD,
        linked_count=visible.filter(pk__in=linked.values("learner_id")).count(),
    )


def _authority_figures(nation_id: int) -> list[AuthorityFigure]:
    current = Enrolment.objects.current()
    authorities = (
        LocalAuthority.objects.filter(nation_id=nation_id)
        .annotate(
            setting_count=Count("settings", distinct=True),
            learner_count=Count(
                "settings__enrolments__learner",
                filter=Q(settings__enrolments__in=current),
                distinct=True,
            ),
        )
        .order_by("name")
    )
    return [
        AuthorityFigure(
            authority=authority,
            settings=authority.setting_count,
            learners=small_count(authority.learner_count),
        )
        for authority in authorities
    ]
