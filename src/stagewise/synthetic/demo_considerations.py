"""The demo's looked-after children and their consideration for a co-ordinated support plan
(ASL Act 2004 s6(1A); ADR 0049): in Glasgow, one considered by the authority's officer (the
conditions judged as decision support finds them, so no departure) and one not yet, which waits
in the officer's work queue. Through the services, as every demo record is."""

from datetime import date, timedelta

from stagewise.accounts.actors import actors_for
from stagewise.learners.models import Learner
from stagewise.learners.services import learner_update
from stagewise.organisations.models import LocalAuthority, Membership, Role
from stagewise.statutory.consideration_selectors import consideration_support_get
from stagewise.statutory.models import CONDITIONS, ConsiderationConclusion
from stagewise.statutory.services import ConditionsJudged, coordinated_support_plan_consider

DEMO_LOOKED_AFTER = 2
DEMO_REASON = (
    "Made-up demo consideration. The authority weighed the school's support, the agencies"
    " involved and how long the needs are likely to last."
)


def add_demo_considerations(*, today: date) -> list[Learner]:
    """Returns the two looked-after learners: the considered one first."""
    glasgow = LocalAuthority.objects.get(name="Glasgow City")
    membership = (
        Membership.objects.current()
        .filter(authority=glasgow, role=Role.LOCAL_AUTHORITY_OFFICER)
        .order_by("pk")
        .first()
    )
    if membership is None:
        return []
    officer = next(actor for actor in actors_for(membership.user) if actor.membership == membership)
    in_glasgow = Learner.objects.filter(
        enrolments__ended_on__isnull=True, enrolments__setting__authority=glasgow
    ).distinct()
    learners = list(in_glasgow.filter(looked_after=True).order_by("pk")[:DEMO_LOOKED_AFTER])
    for learner in in_glasgow.filter(looked_after=False).order_by("-pk")[
        : DEMO_LOOKED_AFTER - len(learners)
    ]:
        learner_update(actor=officer, learner=learner, data={"looked_after": True})
        learners.append(learner)
    considered = learners[0]
    support = consideration_support_get(considered)
    evidenced = [c.finding.evidenced for c in support.conditions] if support else [True] * 4
    since = considered.looked_after_since
    coordinated_support_plan_consider(
        actor=officer,
        learner=considered,
        considered_on=max(today - timedelta(days=14), since or date.min),
        conditions=ConditionsJudged(
            **{name: met for (name, _label), met in zip(CONDITIONS, evidenced, strict=True)}
        ),
        conclusion=ConsiderationConclusion.REQUIRED
        if all(evidenced)
        else ConsiderationConclusion.NOT_REQUIRED,
        reason=DEMO_REASON,
    )
    return learners
