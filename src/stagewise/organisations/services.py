"""Every write to organisations and memberships: validated, in one transaction, with its change
recorded in the audit log.

A membership decides which learners a person may see, so starting and ending one is audited like a
change to a learner's record.
"""

from datetime import date
from typing import TYPE_CHECKING, Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from stagewise.accounts.models import User
from stagewise.audit.models import AuditAction
from stagewise.audit.services import audit_record, audit_value, field_changes
from stagewise.organisations.models import (
    Agency,
    LanguageMedium,
    LocalAuthority,
    Membership,
    Nation,
    NationalBody,
    Role,
    Setting,
)
from stagewise.plausible import clean_only
from stagewise.policy import Capability, require

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor


# Settings -------------------------------------------------------------------------------------


def _check_setting_name_free(*, authority: LocalAuthority, name: str, pk: int | None) -> None:
    taken = Setting.objects.filter(authority=authority, name__iexact=name.strip())
    if pk is not None:
        taken = taken.exclude(pk=pk)
    if taken.exists():
        raise ValidationError(
            {
                "name": _(
                    "%(authority)s already has a school, nursery or college called %(name)s. "
                    "Use a different name, or change the existing one."
                )
                % {"authority": authority.display_name, "name": name.strip()}
            }
        )


def _save_setting(setting: Setting) -> None:
    _check_setting_name_free(authority=setting.authority, name=setting.name, pk=setting.pk)
    setting.full_clean()
    try:
        setting.save()
    except IntegrityError:
        # Someone else saved the same name between our check and our save.
        _check_setting_name_free(authority=setting.authority, name=setting.name, pk=setting.pk)
        raise


@transaction.atomic
def setting_create(
    *,
    actor: "Actor | None",
    authority: LocalAuthority,
    name: str,
    setting_type: str,
    name_cy: str = "",
    language_medium: str = LanguageMedium.ENGLISH,
    reference_number: str = "",
) -> Setting:
    """Add a school, nursery or college to a local authority."""
    require(actor, Capability.ADMINISTER_ORGANISATIONS)
    setting = Setting(
        authority=authority,
        name=name.strip(),
        name_cy=name_cy.strip(),
        setting_type=setting_type,
        language_medium=language_medium,
        reference_number=reference_number.strip(),
    )
    _save_setting(setting)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        object_type="setting",
        object_id=str(setting.pk),
        purpose="add a school, nursery or college",
        changes={
            field: [None, getattr(setting, field)]
            for field in ("name", "name_cy", "setting_type", "language_medium", "reference_number")
        }
        | {"authority": [None, authority.name]},
    )
    return setting


@transaction.atomic
def setting_update(
    *,
    actor: "Actor | None",
    setting: Setting,
    name: str,
    name_cy: str,
    setting_type: str,
    language_medium: str,
    reference_number: str,
) -> dict[str, list[Any]]:
    """Change a setting's details; returns the changes as {field: [before, after]}."""
    require(actor, Capability.ADMINISTER_ORGANISATIONS)
    locked = Setting.objects.select_for_update().select_related("authority").get(pk=setting.pk)
    data = {
        "name": name.strip(),
        "name_cy": name_cy.strip(),
        "setting_type": setting_type,
        "language_medium": language_medium,
        "reference_number": reference_number.strip(),
    }
    changes = field_changes(locked, data)
    if not changes:
        return {}
    for field, value in data.items():
        setattr(locked, field, value)
    _save_setting(locked)
    for field in changes:
        setattr(setting, field, getattr(locked, field))
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        object_type="setting",
        object_id=str(setting.pk),
        purpose="change a school, nursery or college",
        changes=changes,
    )
    return changes


# Agencies -------------------------------------------------------------------------------------


def _check_agency_name_free(*, authority: LocalAuthority, name: str, pk: int | None) -> None:
    taken = Agency.objects.filter(authority=authority, name__iexact=name.strip())
    if pk is not None:
        taken = taken.exclude(pk=pk)
    if taken.exists():
        raise ValidationError(
            {
                "name": _(
                    "%(authority)s already has an agency called %(name)s. "
                    "Use a different name, or change the existing one."
                )
                % {"authority": authority.display_name, "name": name.strip()}
            }
        )


def _save_agency(agency: Agency) -> None:
    _check_agency_name_free(authority=agency.authority, name=agency.name, pk=agency.pk)
    agency.full_clean()
    try:
        agency.save()
    except IntegrityError:
        _check_agency_name_free(authority=agency.authority, name=agency.name, pk=agency.pk)
        raise


@transaction.atomic
def agency_create(
    *,
    actor: "Actor | None",
    authority: LocalAuthority,
    name: str,
    agency_type: str,
    name_cy: str = "",
) -> Agency:
    """Add a partner agency serving a local authority area."""
    require(actor, Capability.ADMINISTER_ORGANISATIONS)
    agency = Agency(
        authority=authority, name=name.strip(), name_cy=name_cy.strip(), agency_type=agency_type
    )
    _save_agency(agency)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        object_type="agency",
        object_id=str(agency.pk),
        purpose="add an agency",
        changes={
            "name": [None, agency.name],
            "name_cy": [None, agency.name_cy],
            "agency_type": [None, agency.agency_type],
            "authority": [None, authority.name],
        },
    )
    return agency


@transaction.atomic
def agency_update(
    *,
    actor: "Actor | None",
    agency: Agency,
    name: str,
    name_cy: str,
    agency_type: str,
) -> dict[str, list[Any]]:
    """Change an agency's details; returns the changes as {field: [before, after]}."""
    require(actor, Capability.ADMINISTER_ORGANISATIONS)
    locked = Agency.objects.select_for_update().select_related("authority").get(pk=agency.pk)
    data = {"name": name.strip(), "name_cy": name_cy.strip(), "agency_type": agency_type}
    changes = field_changes(locked, data)
    if not changes:
        return {}
    for field, value in data.items():
        setattr(locked, field, value)
    _save_agency(locked)
    for field in changes:
        setattr(agency, field, getattr(locked, field))
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        object_type="agency",
        object_id=str(agency.pk),
        purpose="change an agency",
        changes=changes,
    )
    return changes


# People ---------------------------------------------------------------------------------------


@transaction.atomic
def person_create(
    *,
    actor: "Actor | None",
    email: str,
    full_name: str,
    preferred_language: str = "en",
    password: str | None = None,
) -> User:
    """Create an account. Without a password, the person sets one by resetting it."""
    require(actor, Capability.ADMINISTER_ORGANISATIONS)
    email = User.objects.normalize_email(email.strip()).lower()
    person = User(email=email, full_name=full_name.strip(), preferred_language=preferred_language)
    if email and User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("There is already an account with this email address.")})
    if password:
        try:
            password_validation.validate_password(password, person)
        except ValidationError as error:
            raise ValidationError({"password": error.messages}) from None
        person.set_password(password)
    else:
        person.set_unusable_password()
    person.full_clean()
    person.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        object_type="user",
        object_id=str(person.pk),
        purpose="create an account",
        changes={
            "email": [None, person.email],
            "full_name": [None, person.full_name],
            "preferred_language": [None, person.preferred_language],
            "password_set": [None, bool(password)],
        },
    )
    return person


# Memberships ----------------------------------------------------------------------------------


def _overlapping(membership: Membership) -> bool:
    """Whether the person already holds the same role at the same place for some of these days."""
    # Only one of the organisations is set; the others must be empty on the match too.
    place: dict[str, Any] = {}
    for field in ("setting", "authority", "agency", "nation", "national_body"):
        value = getattr(membership, f"{field}_id")
        if value is None:
            place[f"{field}__isnull"] = True
        else:
            place[f"{field}_id"] = value
    same = Membership.objects.filter(
        user_id=membership.user_id, role=membership.role, **place
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=membership.started_on))
    if membership.ended_on is not None:
        same = same.filter(started_on__lte=membership.ended_on)
    if membership.pk is not None:
        same = same.exclude(pk=membership.pk)
    return same.exists()


@transaction.atomic
def membership_create(
    *,
    actor: "Actor | None",
    user: User,
    role: str,
    setting: Setting | None = None,
    authority: LocalAuthority | None = None,
    agency: Agency | None = None,
    nation: Nation | None = None,
    national_body: NationalBody | None = None,
    started_on: date | None = None,
    ended_on: date | None = None,
) -> Membership:
    """Give a person a role at an organisation, which decides which learners they may see."""
    require(actor, Capability.ADMINISTER_ORGANISATIONS)
    membership = Membership(
        user=user,
        role=role,
        setting=setting,
        authority=authority,
        agency=agency,
        nation=nation,
        national_body=national_body,
        started_on=started_on or timezone.localdate(),
        ended_on=ended_on,
    )
    membership.full_clean()
    if _overlapping(membership):
        raise ValidationError(
            {"role": _("This person already has this role there for some of these dates.")}
        )
    membership.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        object_type="membership",
        object_id=str(membership.pk),
        purpose="start a membership",
        changes={
            "user": [None, user.email],
            "role": [None, membership.role],
            # The organisation's own name, not its name in the administrator's language.
            "organisation": [None, getattr(membership.organisation, "name", "")],
            "started_on": [None, audit_value(membership.started_on)],
            "ended_on": [None, audit_value(membership.ended_on)],
        },
    )
    return membership


@transaction.atomic
def membership_end(
    *, actor: "Actor | None", membership: Membership, ended_on: date | None = None
) -> Membership:
    """End a membership: the person keeps the role until the end of `ended_on` (default today)."""
    require(actor, Capability.ADMINISTER_ORGANISATIONS)
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    ended_on = ended_on or timezone.localdate()
    if locked.has_ended:
        raise ValidationError({"ended_on": _("This membership has already ended.")})
    if locked.role == Role.SYSTEM_ADMINISTRATOR:
        _check_another_administrator(locked)
    before = locked.ended_on
    locked.ended_on = ended_on
    # Checks only what this write changes, so a value stored before a limit never blocks it.
    clean_only(locked, "ended_on")
    locked.clean()
    locked.save(update_fields=["ended_on"])
    membership.ended_on = ended_on
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        object_type="membership",
        object_id=str(locked.pk),
        purpose="end a membership",
        changes={"ended_on": [audit_value(before), audit_value(ended_on)]},
        # Whose access this was, so the event reads without looking the membership up.
        detail={
            "user": locked.user.email,
            "role": locked.role,
            "organisation": getattr(locked.organisation, "name", ""),
        },
    )
    return membership


def _check_another_administrator(membership: Membership) -> None:
    """Someone must always be able to administer Stagewise."""
    others = (
        Membership.objects.filter(role=Role.SYSTEM_ADMINISTRATOR, ended_on__isnull=True)
        .filter(started_on__lte=timezone.localdate())
        .exclude(pk=membership.pk)
    )
    if not others.exists():
        raise ValidationError(
            {
                "ended_on": _(
                    "This is the only system administrator. Add another system administrator "
                    "before ending this membership."
                )
            }
        )
