"""The actor: a signed-in person acting in one role, the unit access and audit are decided on.

Someone may hold several roles (a teacher at two schools, a teacher who is also a parent); they act
in one at a time, chosen in the header, so that what they see and what the audit says they did both
follow from one role.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from stagewise.accounts.models import User
from stagewise.organisations.models import Membership, Role, role_label


@dataclass(frozen=True)
class Actor:
    user: User
    role: str
    key: str
    membership: Membership | None = None

    @property
    def label(self) -> str:
        if self.membership is not None:
            return str(self.membership)
        return role_label(self.role, None)

    @property
    def organisation_label(self) -> str:
        if self.membership is not None and self.membership.organisation is not None:
            return str(self.membership.organisation)
        return ""

    @property
    def is_staff_role(self) -> bool:
        return self.membership is not None

    def has_role(self, *roles: str) -> bool:
        return self.role in roles


def actors_for(user: User) -> list[Actor]:
    """Every role this person may act in today, staff roles first."""
    from stagewise.learners.models import Learner, LearnerCarer

    actors: list[Actor] = []
    memberships = (
        Membership.objects.current()
        .filter(user=user)
        .select_related(*MEMBERSHIP_RELATED_PATHS)
        .order_by("pk")
    )
    for membership in memberships:
        actors.append(
            Actor(
                user=user,
                role=membership.role,
                key=f"membership:{membership.pk}",
                membership=membership,
            )
        )
    if LearnerCarer.objects.filter(carer__user=user, portal_access=True).exists():
        actors.append(Actor(user=user, role=Role.PARENT_CARER, key=Role.PARENT_CARER))
    if Learner.objects.filter(young_person_account=user).exists():
        actors.append(Actor(user=user, role=Role.YOUNG_PERSON, key=Role.YOUNG_PERSON))
    return actors


# What policy code and the header read of a membership: where it is held, up to the nation.
MEMBERSHIP_RELATED: dict[str, Any] = {
    "setting": {"authority": {"nation": {}}},
    "authority": {"nation": {}},
    "agency": {"authority": {"nation": {}}},
    "nation": {},
    "national_body": {"nation": {}},
}
MEMBERSHIP_RELATED_PATHS = (
    "setting__authority__nation",
    "authority__nation",
    "agency__authority__nation",
    "nation",
    "national_body__nation",
)

KEPT_ROLES_SESSION_KEY = "stagewise_roles"


@dataclass(frozen=True)
class SessionRoles:
    actors: list[Actor]
    # Whether the person has an authenticator app; None where no one asked (not staff).
    has_authenticator_app: bool | None
    # Whether they are a carer of any learner, with portal access or not (whose notices a young
    # person's decision may withhold).
    is_carer: bool


def roles_for_session(user: User, session: SessionBase) -> SessionRoles:
    """The person's roles as their session keeps them, worked out again (and kept) when their
    roles have changed since (User.roles_version, moved on by accounts/signals.py), on a new day
    (a membership that ended yesterday, or starts today), or for another person."""
    kept = session.get(KEPT_ROLES_SESSION_KEY)
    if kept is not None and kept.get("for") == _kept_for(user):
        try:
            return SessionRoles(
                actors=[_actor_from_kept(user, actor) for actor in kept["actors"]],
                has_authenticator_app=kept["has_authenticator_app"],
                is_carer=kept["is_carer"],
            )
        except (KeyError, TypeError, ValueError):
            pass  # kept by an earlier version of Stagewise: worked out again
    return keep_roles_in_session(user, session)


def keep_roles_in_session(user: User, session: SessionBase) -> SessionRoles:
    from allauth.mfa.models import Authenticator

    from stagewise.learners.models import LearnerCarer

    actors = actors_for(user)
    is_carer = any(actor.role == Role.PARENT_CARER for actor in actors) or (
        LearnerCarer.objects.filter(carer__user=user).exists()
    )
    has_app = None
    if user.is_staff or user.is_superuser or any(actor.is_staff_role for actor in actors):
        has_app = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    session[KEPT_ROLES_SESSION_KEY] = {
        "for": _kept_for(user),
        "actors": [
            {
                "role": actor.role,
                "key": actor.key,
                "membership": _kept_row(actor.membership, MEMBERSHIP_RELATED)
                if actor.membership is not None
                else None,
            }
            for actor in actors
        ],
        "has_authenticator_app": has_app,
        "is_carer": is_carer,
    }
    return SessionRoles(actors=actors, has_authenticator_app=has_app, is_carer=is_carer)


def _kept_for(user: User) -> list[Any]:
    return [user.pk, user.roles_version, timezone.localdate().isoformat()]


def _actor_from_kept(user: User, kept: dict[str, Any]) -> Actor:
    membership = kept["membership"]
    return Actor(
        user=user,
        role=kept["role"],
        key=kept["key"],
        membership=_row_from_kept(Membership, membership) if membership is not None else None,
    )


def _kept_row(instance: Model, related: dict[str, Any]) -> dict[str, Any]:
    """A row and the rows it is read with, as the session's JSON can hold them."""
    return {
        "fields": {
            field.attname: _json_value(field.value_from_object(instance))
            for field in _fields(instance)
        },
        "related": {
            name: _kept_row(value, related[name])
            if (value := getattr(instance, name)) is not None
            else None
            for name in related
        },
    }


def _row_from_kept(model: type[Model], kept: dict[str, Any]) -> Any:
    fields = _fields(model)
    if set(kept["fields"]) != {field.attname for field in fields}:
        raise KeyError(model)  # kept before a migration changed the table
    values = [
        None if (value := kept["fields"][field.attname]) is None else field.to_python(value)
        for field in fields
    ]
    instance = model.from_db("default", [field.attname for field in fields], values)
    for name, related in kept["related"].items():
        field: Any = model._meta.get_field(name)
        value = _row_from_kept(field.related_model, related) if related is not None else None
        field.set_cached_value(instance, value)
    return instance


def _fields(model: type[Model] | Model) -> list[Any]:
    return list(model._meta.concrete_fields)


def _json_value(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool | dict | list):
        return value
    return str(value)  # dates, decimals and UUIDs, read back by the field's to_python


def describe_no_role() -> str:
    return _("Your account has no current role. Ask your administrator to add one.")
