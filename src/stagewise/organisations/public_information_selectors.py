"""Reads of the public information pages (no sign-in, nothing about a learner), and who keeps
which part of them.

Who keeps what is decided here from the policy table: the capability, and where the role is held.
A role held at an authority keeps that authority's statement; a role held at a school keeps that
school's offer; a role held at no organisation (an administrator) keeps every one.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from stagewise.organisations.models import LocalAuthority, Nation, Setting
from stagewise.organisations.public_information_models import (
    AdviceService,
    AuthorityStatement,
    ProvisionItem,
    SchoolOffer,
)
from stagewise.policy import SYSTEM, Capability, SystemProcess, may, policy_for
from stagewise.statutory.models import LocalStage, StageModel
from stagewise.statutory.selectors import stage_model_for

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor


@dataclass(frozen=True)
class StageMapping:
    """The authority's staged intervention model and its stages, each mapped to the national
    frame: read from the statutory rules, never copied."""

    model: StageModel
    stages: list[LocalStage]


def information_nation_list() -> QuerySet[Nation]:
    """Nations, each with `.authority_list`, its authorities by name."""
    return Nation.objects.prefetch_related(
        Prefetch(
            "authorities",
            queryset=LocalAuthority.objects.order_by("name"),
            to_attr="authority_list",
        )
    ).order_by("name")


def information_authority_get(*, code: str) -> LocalAuthority:
    """The authority with that code, with its nation and its statement if it has written one
    (`authority.statement_or_none`), or 404."""
    authority = (
        LocalAuthority.objects.select_related("nation", "public_statement")
        .filter(code=code)
        .first()
    )
    if authority is None:
        raise Http404("No local authority has that code.")
    authority.statement_or_none = _statement_or_none(authority)  # type: ignore[attr-defined]
    return authority


def _statement_or_none(authority: LocalAuthority) -> AuthorityStatement | None:
    try:
        return authority.public_statement
    except AuthorityStatement.DoesNotExist:
        return None


def stage_mapping(*, authority: LocalAuthority) -> StageMapping:
    model = stage_model_for(authority)
    return StageMapping(model=model, stages=list(model.stages.order_by("order")))


def advice_services_for(*, authority: LocalAuthority) -> list[AdviceService]:
    """The services of the authority's nation, then the authority's own, in one query."""
    return list(
        AdviceService.objects.filter(
            Q(nation_id=authority.nation_id, authority__isnull=True) | Q(authority=authority)
        ).order_by(F("authority_id").asc(nulls_first=True), "order", "name")
    )


def school_list(*, authority: LocalAuthority) -> list[Setting]:
    """The authority's schools, nurseries and colleges by name, each with `.has_offer`."""
    return list(
        Setting.objects.filter(authority=authority)
        .annotate(has_offer=Exists(SchoolOffer.objects.filter(setting=OuterRef("pk"))))
        .order_by("name")
    )


def information_school_get(*, authority: LocalAuthority, setting_id: int) -> Setting:
    """One school of the authority, with its offer and the offer's items if it has published
    one (`setting.offer_or_none`); 404 for a school of another authority."""
    setting = (
        Setting.objects.select_related("authority__nation")
        .filter(authority=authority, pk=setting_id)
        .first()
    )
    if setting is None:
        raise Http404("The authority has no such school.")
    setting.offer_or_none = (  # type: ignore[attr-defined]
        SchoolOffer.objects.filter(setting=setting)
        .prefetch_related(Prefetch("items", queryset=ProvisionItem.objects.order_by("order")))
        .first()
    )
    return setting


def _held_at(actor: "Actor | SystemProcess | None") -> str | None:
    """Where the actor's keeping of public information applies ("" everywhere), or None."""
    if actor is SYSTEM:
        return ""
    if actor is None or not may(actor, Capability.MANAGE_PUBLIC_INFORMATION):
        return None
    return policy_for(actor).organisation  # type: ignore[arg-type]


def keeps_statement_of(actor: "Actor | SystemProcess | None", authority: LocalAuthority) -> bool:
    """Whether the actor may change the authority's public statement."""
    held_at = _held_at(actor)
    if held_at == "":
        return True
    membership = getattr(actor, "membership", None)
    return (
        held_at == "authority"
        and membership is not None
        and membership.authority_id == authority.pk
    )


def keeps_offer_of(actor: "Actor | SystemProcess | None", setting: Setting) -> bool:
    """Whether the actor may change the school's offer: the school's own leaders."""
    held_at = _held_at(actor)
    if held_at == "":
        return True
    membership = getattr(actor, "membership", None)
    return held_at == "setting" and membership is not None and membership.setting_id == setting.pk
