"""Reads of a learner's considerations for a co-ordinated support plan (ADR 0049). The learner is
reached through learners/access.py first; these read only that learner's rows."""

from django.core.exceptions import ValidationError

from stagewise.learners.models import Learner
from stagewise.learners.services import learner_current_enrolment
from stagewise.statutory.decision_support_plans import PlanSuggestion
from stagewise.statutory.models import CoordinatedSupportPlanConsideration
from stagewise.statutory.services.considerations import refuse_unless_considerable


def consideration_list(*, learner: Learner) -> list[CoordinatedSupportPlanConsideration]:
    """Every consideration of the learner, the latest first: the history is kept."""
    return list(
        CoordinatedSupportPlanConsideration.objects.filter(learner=learner).select_related(
            "authority"
        )
    )


def consideration_latest_get(*, learner: Learner) -> CoordinatedSupportPlanConsideration | None:
    return (
        CoordinatedSupportPlanConsideration.objects.filter(learner=learner)
        .select_related("authority")
        .first()
    )


def considered_since_looked_after(
    learner: Learner, latest: CoordinatedSupportPlanConsideration | None
) -> bool:
    """Whether the latest consideration was made while the learner has been looked after (on or
    after the day they became so, when Stagewise knows it)."""
    if latest is None:
        return False
    since = learner.looked_after_since
    return since is None or latest.considered_on >= since


def consideration_refusal(learner: Learner) -> str:
    """Why no consideration can be recorded for the learner now ("" if one can): the service's
    own check, so that the page says it before anyone fills in the form."""
    try:
        refuse_unless_considerable(learner)
    except ValidationError as error:
        return " ".join(error.messages)
    return ""


def consideration_support_get(learner: Learner) -> PlanSuggestion | None:
    """The four conditions as decision support finds them on the record now (ADR 0047)."""
    from stagewise.statutory.decision_support_plans import coordinated_support_plan_test
    from stagewise.statutory.decision_support_selectors import learner_facts_get

    enrolment = learner_current_enrolment(learner)
    if enrolment is None:
        return None
    return coordinated_support_plan_test(learner_facts_get(learner, enrolment.setting))
