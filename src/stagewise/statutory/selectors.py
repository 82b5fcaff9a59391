from django.db.models import QuerySet

from stagewise.organisations.models import LocalAuthority
from stagewise.statutory.models import AuthorityStageModel, LocalStage, ReasonForSupport, StageModel


def stage_model_for(authority: LocalAuthority) -> StageModel:
    """The authority's own model, or its nation's default (the shared frame)."""
    chosen = (
        AuthorityStageModel.objects.filter(authority=authority)
        .select_related("stage_model")
        .first()
    )
    if chosen is not None:
        return chosen.stage_model
    return StageModel.objects.get(nation_id=authority.nation_id, is_default=True)


def stage_list(authority: LocalAuthority) -> QuerySet[LocalStage]:
    return stage_model_for(authority).stages.order_by("order")


def reason_list(nation_id: int) -> QuerySet[ReasonForSupport]:
    return ReasonForSupport.objects.filter(nation_id=nation_id, active=True).order_by("code")
