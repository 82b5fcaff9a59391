"""Reads for record transfers: the schools an actor may import into, and a learner's received
transfers as the page shows them."""

import dataclasses
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from stagewise.learners.models import Learner
from stagewise.organisations.models import Setting
from stagewise.planning.documents import PlanDocument, plan_document_load
from stagewise.policy import Capability, may
from stagewise.transfers.models import ReceivedTransfer

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor


def import_settings_for(actor: "Actor | None") -> QuerySet[Setting]:
    """Where the actor may receive a learner: their school, or their authority's schools; none
    for anyone who may not enrol learners."""
    membership = getattr(actor, "membership", None)
    if membership is None or not may(actor, Capability.ENROL_LEARNERS):
        return Setting.objects.none()
    if membership.setting_id is not None:
        return Setting.objects.filter(pk=membership.setting_id)
    if membership.authority_id is not None:
        return Setting.objects.filter(authority_id=membership.authority_id)
    return Setting.objects.none()


@dataclasses.dataclass(frozen=True)
class ReceivedPlan:
    """One of the sender's plans: its versions as listed, the latest as a document."""

    record: dict[str, Any]
    latest: PlanDocument


@dataclasses.dataclass(frozen=True)
class ReceivedRecord:
    transfer: ReceivedTransfer
    plans: list[ReceivedPlan]

    @property
    def record(self) -> dict[str, Any]:
        return self.transfer.record


def received_transfer_list(*, learner: Learner) -> list[ReceivedRecord]:
    """The learner's received transfers, newest first; the learner is reached through
    learners/access.get_learner_for, which records the look."""
    transfers = ReceivedTransfer.objects.filter(learner=learner)
    return [
        ReceivedRecord(
            transfer=transfer,
            plans=[
                ReceivedPlan(
                    record=plan, latest=plan_document_load(plan["versions"][-1]["document"])
                )
                for plan in transfer.record["plans"]
            ],
        )
        for transfer in transfers
    ]
