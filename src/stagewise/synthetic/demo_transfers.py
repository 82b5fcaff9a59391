"""Record transfer in the demo (ADR 0053, amended): each demo authority has a signing key and the
register of trusted keys holds every demo authority's public key, both made as an administrator
would make them (the key through `signing_key_replace`, the register's rows as the configuration
admin saves them), so the audit trail shows who set transfer up, and an officer can export a
record and check it in another authority without setting anything up by hand."""

from stagewise.accounts.actors import actors_for
from stagewise.accounts.models import User
from stagewise.audit.configuration import configuration_change_record, row_state
from stagewise.organisations.models import LocalAuthority
from stagewise.transfers.models import TrustedKey
from stagewise.transfers.services import signing_key_replace


def add_demo_transfer_keys(*, administrator: User, authority_names: list[str]) -> None:
    actor = actors_for(administrator)[0]
    for authority in LocalAuthority.objects.filter(name__in=authority_names).order_by("name"):
        key = signing_key_replace(actor=actor, authority=authority)
        trusted = TrustedKey(organisation_name=authority.name, public_key=key.public_key)
        trusted.full_clean()
        trusted._history_user = administrator  # type: ignore[attr-defined]
        trusted.save()
        configuration_change_record(user=administrator, before=None, after=row_state(trusted))
