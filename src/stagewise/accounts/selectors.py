"""What each role's home page shows: counts scoped through learners/access.py."""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from stagewise.actionplans.selectors import (
    overdue_actions_of_body,
    overdue_local_actions_of_authority,
)
from stagewise.learners.access import visible_learners
from stagewise.learners.models import StaffRelationship
from stagewise.organisations.models import Agency, LocalAuthority, Membership, Setting
from stagewise.policy import Capability, may

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor


class HomeKind:
    """Which home page the actor's role gets, from the policy table."""

    NONE = "none"
    NATIONAL_FIGURES = "national_figures"
    ADMINISTRATION = "administration"
    CASELOAD = "caseload"
    ACTION_PLANS = "action_plans"


@dataclass
class HomeSummary:
    kind: str = HomeKind.NONE
    linked_count: int = 0
    organisation_counts: dict[str, int] | None = None
    # A policy officer's work: the overdue actions their body is responsible for.
    overdue_actions: list[Any] | None = None
    # An authority officer's local action plan: its overdue actions (ADR 0043).
    overdue_local_actions: list[Any] | None = None


def home_summary_get(*, actor: "Actor | None") -> HomeSummary:
    if actor is None:
        return HomeSummary()
    # Families have their own home page (families/home_selectors.py, ADR 0019).
    if may(actor, Capability.VIEW_NATIONAL_FIGURES):
        # The nation's measures dashboard (measurement/dashboards.py), from summaries only.
        return HomeSummary(kind=HomeKind.NATIONAL_FIGURES)
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
    if may(actor, Capability.TRACK_ACTION_PLANS):
        return HomeSummary(
            kind=HomeKind.ACTION_PLANS, overdue_actions=overdue_actions_of_body(actor)
        )
    visible = visible_learners(actor)
    linked = StaffRelationship.objects.current().filter(staff=actor.user)
    return HomeSummary(
        kind=HomeKind.CASELOAD,
        linked_count=visible.filter(pk__in=linked.values("learner_id")).count(),
        overdue_local_actions=overdue_local_actions_of_authority(actor)
        if may(actor, Capability.KEEP_LOCAL_ACTION_PLAN)
        else None,
    )
