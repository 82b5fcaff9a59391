"""Record transfer (ADR 0053) in tests, where one database stands for two deployments."""

import json

from stagewise.accounts.actors import Actor
from stagewise.learners.models import Learner
from stagewise.transfers.models import SigningKey, TrustedKey
from stagewise.transfers.services import record_transfer_export

SENDER = "Glasgow City Council"


def sent_elsewhere(sender: Actor, learner: Learner) -> bytes:
    """The sender's signed document of the learner's record, as a file's bytes. The receiving
    side trusts the sender's key (registered as SENDER), and the sender's own row takes another
    candidate number, so that the receiving side has never held the learner."""
    envelope = record_transfer_export(actor=sender, learner=learner)
    key = SigningKey.objects.get(key_id=envelope["signature"]["key_id"])
    TrustedKey.objects.get_or_create(
        key_id=key.key_id, defaults={"organisation_name": SENDER, "public_key": key.public_key}
    )
    held_elsewhere(learner)
    return json.dumps(envelope).encode("utf-8")


def held_elsewhere(learner: Learner) -> None:
    """The sender's row takes another candidate number: the receiving side, in the same database,
    then stands for a deployment that has never held the learner."""
    Learner.objects.filter(pk=learner.pk).update(candidate_number="999999999")
