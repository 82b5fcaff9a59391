"""Writes of the public information: an authority's statement, kept by its officers; a school's
offer, kept by its head teacher and support-for-learning lead (the ALNCo in Wales). Each guards
itself with MANAGE_PUBLIC_INFORMATION and where the role is held, and audits what changed."""

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from stagewise.audit.models import AuditAction
from stagewise.audit.services import audit_record, field_changes
from stagewise.organisations.models import LocalAuthority, Setting
from stagewise.organisations.public_information_models import (
    AuthorityStatement,
    ProvisionItem,
    SchoolOffer,
)
from stagewise.organisations.public_information_selectors import (
    keeps_offer_of,
    keeps_statement_of,
)
from stagewise.policy import Capability, CapabilityRequired, SystemProcess, require

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor

# The statement's own fields, in the order the audit records them.
STATEMENT_FIELDS = (
    "how_to_ask",
    "how_to_ask_cy",
    "plans_kept",
    "plans_kept_cy",
    "post_16",
    "post_16_cy",
    "mediation",
    "mediation_cy",
)

# A school's offer lists what it provides, not every activity: a page a family reads on a phone.
MOST_PROVISION_ITEMS = 30


@transaction.atomic
def authority_statement_save(
    *,
    actor: "Actor | SystemProcess | None",
    authority: LocalAuthority,
    **texts: str,
) -> dict[str, list[Any]]:
    """Publish or change the authority's statement; returns {field: [before, after]} (empty if
    nothing changed). Every section may be empty: the page then says it is not written yet."""
    require(actor, Capability.MANAGE_PUBLIC_INFORMATION)
    locked = LocalAuthority.objects.select_for_update().get(pk=authority.pk)
    if not keeps_statement_of(actor, locked):
        raise CapabilityRequired(Capability.MANAGE_PUBLIC_INFORMATION)
    unknown = set(texts) - set(STATEMENT_FIELDS)
    if unknown:
        raise TypeError(f"Not a section of the statement: {', '.join(sorted(unknown))}")
    data = {field: (texts.get(field) or "").strip() for field in STATEMENT_FIELDS}
    statement = AuthorityStatement.objects.filter(authority=locked).first()
    if statement is None:
        statement = AuthorityStatement(authority=locked)
        changes = {field: ["", value] for field, value in data.items() if value}
        action = AuditAction.CREATE
    else:
        changes = field_changes(statement, data)
        action = AuditAction.UPDATE
    if not changes:
        return {}
    for field, value in data.items():
        setattr(statement, field, value)
    statement.full_clean()
    statement.save()
    audit_record(
        actor=actor,
        action=action,
        object_type="authority_statement",
        object_id=str(locked.pk),
        purpose="publish the authority's public information",
        changes=changes,
        detail={"authority": locked.name},
    )
    return changes


@transaction.atomic
def school_offer_save(
    *,
    actor: "Actor | SystemProcess | None",
    setting: Setting,
    statement: str,
    provision: list[tuple[str, str]],
    statement_cy: str = "",
) -> dict[str, list[Any]]:
    """Publish or change the school's offer: its statement and its provision, item by item, each
    as (English, Welsh). Returns the changes (empty if nothing changed); raises ValidationError
    with the messages to show."""
    require(actor, Capability.MANAGE_PUBLIC_INFORMATION)
    locked = Setting.objects.select_for_update().select_related("authority").get(pk=setting.pk)
    if not keeps_offer_of(actor, locked):
        raise CapabilityRequired(Capability.MANAGE_PUBLIC_INFORMATION)
    items = [(english.strip(), welsh.strip()) for english, welsh in provision]
    items = [(english, welsh) for english, welsh in items if english or welsh]
    if any(not english for english, _welsh in items):
        raise ValidationError(
            {"provision": _("Give each piece of provision in English as well as in Welsh.")}
        )
    if len(items) > MOST_PROVISION_ITEMS:
        raise ValidationError(
            {
                "provision": _("List at most %(most)d pieces of provision; you listed %(count)d.")
                % {"most": MOST_PROVISION_ITEMS, "count": len(items)}
            }
        )
    data = {"statement": statement.strip(), "statement_cy": statement_cy.strip()}
    offer = SchoolOffer.objects.filter(setting=locked).first()
    before_items = (
        [[item.description, item.description_cy] for item in offer.items.order_by("order")]
        if offer is not None
        else []
    )
    after_items = [[english, welsh] for english, welsh in items]
    if offer is None:
        offer = SchoolOffer(setting=locked)
        changes: dict[str, list[Any]] = {field: ["", value] for field, value in data.items()}
        action = AuditAction.CREATE
    else:
        changes = field_changes(offer, data)
        action = AuditAction.UPDATE
    if before_items != after_items:
        changes["provision"] = [before_items, after_items]
    if not changes:
        return {}
    for field, value in data.items():
        setattr(offer, field, value)
    offer.full_clean()
    offer.save()
    offer.items.all().delete()
    for order, (english, welsh) in enumerate(items, start=1):
        item = ProvisionItem(offer=offer, order=order, description=english, description_cy=welsh)
        item.full_clean(exclude=["offer"])
        item.save()
    audit_record(
        actor=actor,
        action=action,
        object_type="school_offer",
        object_id=str(locked.pk),
        purpose="publish the school's offer",
        changes=changes,
        detail={"setting": locked.name, "authority": locked.authority.name},
    )
    return changes
