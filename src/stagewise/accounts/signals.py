"""Whenever what a person may act as changes, their roles version moves on, so that the roles
their sessions keep (accounts/actors.py) are worked out again on their next request.

What decides someone's roles: their memberships, their links to learners as a carer (with portal
access), the learner whose young person's account they hold, and, for the details a session keeps
with each membership, the organisation it is held at. Every save and delete of those rows, from a
service or from the configuration admin site, passes through the receivers below. A queryset
`update()` or `bulk_create()` of them sends no signal: code that changes roles that way calls
`roles_changed()` itself.
"""

from collections.abc import Iterable
from typing import Any

from django.db.models import F, Model, Q
from django.db.models.signals import post_delete, post_save, pre_save


def roles_changed(user_ids: Iterable[int | None]) -> None:
    """Move on the roles version of these people (in the caller's transaction)."""
    from stagewise.accounts.models import User

    ids = {user_id for user_id in user_ids if user_id is not None}
    if ids:
        User.objects.filter(pk__in=ids).update(roles_version=F("roles_version") + 1)


def _membership_users(instance: Any) -> set[int | None]:
    return {instance.user_id}


def _carer_link_users(instance: Any) -> set[int | None]:
    from stagewise.learners.models import Carer

    return set(Carer.objects.filter(pk=instance.carer_id).values_list("user_id", flat=True))


def _carer_users(instance: Any) -> set[int | None]:
    return {instance.user_id}


def _young_person_users(instance: Any) -> set[int | None]:
    return {instance.young_person_account_id}


def _authenticator_users(instance: Any) -> set[int | None]:
    return {instance.user_id}


def _members_of_organisation(instance: Any) -> set[int | None]:
    from stagewise.organisations.models import Agency, LocalAuthority, Membership, Nation, Setting

    held_at = {
        Setting: Q(setting=instance),
        Agency: Q(agency=instance),
        LocalAuthority: Q(authority=instance)
        | Q(setting__authority=instance)
        | Q(agency__authority=instance),
        Nation: Q(nation=instance)
        | Q(authority__nation=instance)
        | Q(setting__authority__nation=instance)
        | Q(agency__authority__nation=instance),
    }[type(instance)]
    return set(Membership.objects.filter(held_at).values_list("user_id", flat=True))


def _people_before(sender: type[Model], instance: Any, users: Any, **kwargs: Any) -> None:
    """Who held the role before a change (a membership moved to another person, a young
    person's account replaced), read before the row is written."""
    instance._roles_people_before = set()
    if instance.pk is not None and not instance._state.adding:
        before = sender._default_manager.filter(pk=instance.pk).first()
        if before is not None:
            instance._roles_people_before = users(before)


def connect_role_signals() -> None:
    from allauth.mfa.models import Authenticator

    from stagewise.learners.models import Carer, Learner, LearnerCarer
    from stagewise.organisations.models import Agency, LocalAuthority, Membership, Nation, Setting

    # Rows whose holder can itself change: who held the role before is told too.
    holders = {
        Membership: _membership_users,
        LearnerCarer: _carer_link_users,
        Carer: _carer_users,
        Learner: _young_person_users,
        Authenticator: _authenticator_users,  # whether a member of staff may skip setting one up
    }
    # Organisations: the names and places a session keeps with each membership held there.
    organisations = dict.fromkeys(
        [Setting, LocalAuthority, Agency, Nation], _members_of_organisation
    )

    for model, users in {**holders, **organisations}.items():

        def changed(sender: Any, instance: Any, users: Any = users, **kwargs: Any) -> None:
            before = getattr(instance, "_roles_people_before", None)
            after = users(instance)
            if sender is Learner and before == after and not kwargs.get("created"):
                return  # a learner's record saved without a change of account
            roles_changed(after | (before or set()))

        uid = f"roles_changed_{model._meta.label_lower}"
        post_save.connect(changed, sender=model, weak=False, dispatch_uid=uid)
        post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"{uid}_delete")
        if model in holders and model is not Learner:

            def before(sender: Any, instance: Any, users: Any = users, **kwargs: Any) -> None:
                _people_before(sender, instance, users)

            pre_save.connect(before, sender=model, weak=False, dispatch_uid=f"{uid}_before")
    pre_save.connect(
        _young_person_before, sender=Learner, weak=False, dispatch_uid="roles_young_person_before"
    )


def _young_person_before(
    sender: Any, instance: Any, update_fields: Any = None, **kwargs: Any
) -> None:
    """A learner is saved often: read only who holds their account, and only when it may change."""
    instance._roles_people_before = {instance.young_person_account_id}
    if instance._state.adding or (
        update_fields is not None and "young_person_account" not in update_fields
    ):
        return
    instance._roles_people_before = set(
        sender._default_manager.filter(pk=instance.pk).values_list(
            "young_person_account_id", flat=True
        )
    )
