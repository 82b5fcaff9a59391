"""A few local action plan entries for the demo's Scottish authorities (ADR 0043): Glasgow's and
Fife's own improvement actions, linked to the national actions they serve, one of Glasgow's
overdue, with an update and a status change. Made up for the demo. Adding them twice adds
nothing twice (each is looked for by its authority and reference)."""

from dataclasses import dataclass
from datetime import date, timedelta

from stagewise.actionplans.models import Action, LocalAction
from stagewise.actionplans.services import (
    action_status_change,
    local_action_add,
    progress_update_add,
)
from stagewise.organisations.models import LocalAuthority
from stagewise.policy import SYSTEM


@dataclass(frozen=True)
class DemoLocalAction:
    authority: str
    reference: str
    text: str
    responsible_team: str
    timeframe: str
    status: str
    serves: tuple[str, ...]
    update: str = ""
    completed_because: str = ""


DEMO_LOCAL_ACTIONS = (
    DemoLocalAction(
        "Glasgow City",
        "GC 2.1",
        "Offer every family a meeting with the school's support-for-learning lead within four "
        "weeks of a plan being agreed, and publish how to ask for one on every school's website.",
        "Inclusion and Wellbeing Service",
        "By end 2027",
        "ongoing",
        ("6.1.1", "LI 17"),
        update="Twelve of the city's primary schools now publish how to ask for a meeting.",
    ),
    DemoLocalAction(
        "Glasgow City",
        "GC 3.4",
        "Promote independent mediation in every letter that answers a family's request, and "
        "report each term how often it is used.",
        "Additional Support for Learning Disputes Team",
        "Spring 2026",
        "ongoing",
        ("LI 21", "6.1.5"),
    ),
    DemoLocalAction(
        "Glasgow City",
        "GC 4.2",
        "Report the authority's figures from the national measurement framework to the "
        "education committee each year.",
        "Performance and Improvement Team",
        "June 2026",
        "not_started",
        ("LI 9",),
        completed_because="The first report went to the education committee in June.",
    ),
    DemoLocalAction(
        "Fife",
        "F-07",
        "Train every secondary school's pastoral team in mediation approaches and the routes a "
        "family can take when they disagree.",
        "Education Psychology Service",
        "By end 2027",
        "not_started",
        ("LI 21",),
    ),
)


def add_demo_local_actions(*, today: date) -> int:
    """Add whichever demo local actions are missing; the number added."""
    added = 0
    for spec in DEMO_LOCAL_ACTIONS:
        authority = LocalAuthority.objects.get(name=spec.authority)
        if LocalAction.objects.filter(authority=authority, reference=spec.reference).exists():
            continue
        local_action = local_action_add(
            actor=SYSTEM,
            authority=authority,
            reference=spec.reference,
            text=spec.text,
            responsible_team=spec.responsible_team,
            timeframe=spec.timeframe,
            status=spec.status,
            national_actions=list(Action.objects.filter(number__in=spec.serves)),
        )
        if spec.update:
            progress_update_add(
                actor=SYSTEM,
                action=local_action,
                written_on=today - timedelta(days=20),
                text=spec.update,
            )
        if spec.completed_because:
            action_status_change(
                actor=SYSTEM,
                action=local_action,
                status="complete",
                reason=spec.completed_because,
            )
        added += 1
    return added
