"""Every write about integrations and their tokens (ADR 0051). Only a system administrator
creates an integration or a token, or revokes one; each is audited, and a token's secret is
returned once, to be shown once, and never stored."""

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stagewise.accounts.models import User
from stagewise.api.models import ApiToken, Integration, Scope
from stagewise.audit.models import AuditAction
from stagewise.audit.services import audit_record
from stagewise.organisations.models import Agency, LocalAuthority, Role, Setting
from stagewise.organisations.services import membership_create
from stagewise.policy import Capability, SystemProcess, require

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor

# The roles an integration may act in: those that see an organisation's learners as a whole. A
# class teacher sees only the learners linked to them, which no system is; national analysts,
# administrators and data protection officers read no learner through pages, so none through
# the API either.
INTEGRATION_ROLES = (
    Role.SUPPORT_FOR_LEARNING_LEAD,
    Role.HEAD_TEACHER,
    Role.LOCAL_AUTHORITY_OFFICER,
    Role.EDUCATIONAL_PSYCHOLOGIST,
    Role.AGENCY_PRACTITIONER,
    Role.SERVICE_MANAGER,
)
TOKEN_START = "sw"  # noqa: S105 (the start every token shares, not a secret)
PURPOSE = "configure integrations"


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    # The whole token, as the integration sends it: shown once, then only its prefix remains.
    secret: str


def secret_digest(secret: str) -> str:
    """The token's secret is 32 random bytes, so one round of SHA-256 is enough: a slow hash
    guards guessable passwords, and costs every API request its time."""
    return hashlib.sha256(secret.encode()).hexdigest()


def digest_matches(token: ApiToken, secret: str) -> bool:
    return hmac.compare_digest(token.secret_digest, secret_digest(secret))


def _checked_scopes(scopes: list[str]) -> list[str]:
    unknown = set(scopes) - set(Scope.values)
    if not scopes or unknown:
        raise ValidationError({"scopes": _("Choose at least one scope from the list.")})
    return [scope for scope in Scope.values if scope in scopes]


@transaction.atomic
def integration_create(
    *,
    actor: "Actor | SystemProcess",
    name: str,
    role: str,
    setting: Setting | None = None,
    authority: LocalAuthority | None = None,
    agency: Agency | None = None,
) -> Integration:
    """An organisation's integration, acting in `role` there through an account of its own."""
    require(actor, Capability.ADMINISTER_ORGANISATIONS)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Enter the integration's name.")})
    if role not in INTEGRATION_ROLES:
        raise ValidationError({"role": _("Choose a role from the list.")})
    # Nobody signs in as it: no password, an address that cannot receive mail, and inactive,
    # so that no one is asked to choose it as a person (a moderator, an invitee, a practitioner)
    # and no reminder or email is ever sent to it. Its token and membership are what count.
    service_user = User.objects.create_user(
        f"integration-{uuid.uuid4().hex}@integrations.invalid",
        password=None,
        full_name=_("%(name)s (integration)") % {"name": name[:180]},
        is_active=False,
    )
    membership = membership_create(
        actor=actor,  # type: ignore[arg-type]
        user=service_user,
        role=role,
        setting=setting,
        authority=authority,
        agency=agency,
    )
    integration = Integration.objects.create(
        name=name,
        service_user=service_user,
        membership=membership,
        created_by=None if isinstance(actor, SystemProcess) else actor.user,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        object_type="integration",
        object_id=str(integration.pk),
        purpose=PURPOSE,
        changes={
            "name": [None, name],
            "role": [None, role],
            "organisation": [None, getattr(membership.organisation, "name", "")],
        },
    )
    return integration


@transaction.atomic
def api_token_create(
    *, actor: "Actor | SystemProcess", integration: Integration, scopes: list[str]
) -> IssuedToken:
    """A new token for the integration, with the scopes it may use."""
    require(actor, Capability.ADMINISTER_ORGANISATIONS)
    scopes = _checked_scopes(scopes)
    prefix = secrets.token_hex(4)
    secret = f"{TOKEN_START}_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        integration=integration,
        prefix=prefix,
        secret_digest=secret_digest(secret),
        scopes=scopes,
        created_by=None if isinstance(actor, SystemProcess) else actor.user,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        object_type="api_token",
        object_id=prefix,
        purpose=PURPOSE,
        changes={"integration": [None, integration.name], "scopes": [None, scopes]},
    )
    return IssuedToken(token=token, secret=secret)


@transaction.atomic
def api_token_revoke(*, actor: "Actor | SystemProcess", token: ApiToken) -> ApiToken:
    """The token stops working at once; it stays listed, revoked, for the record."""
    require(actor, Capability.ADMINISTER_ORGANISATIONS)
    locked = ApiToken.objects.select_for_update().get(pk=token.pk)
    if locked.revoked_at is not None:
        raise ValidationError(_("This token has already been revoked."))
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        object_type="api_token",
        object_id=locked.prefix,
        purpose=PURPOSE,
        changes={"revoked_at": [None, locked.revoked_at.isoformat()]},
    )
    return locked
