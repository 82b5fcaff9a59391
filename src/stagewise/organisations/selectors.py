"""Reads for the administration pages. Each list fetches what it shows in a fixed number of queries,
however many rows there are."""

from django.db.models import Count, Prefetch, Q, QuerySet

from stagewise.accounts.models import User
from stagewise.keyset import KeysetOrder
from stagewise.organisations.models import (
    Agency,
    LocalAuthority,
    Membership,
    Nation,
    Setting,
)

# Everything a membership's label needs: its organisation and that organisation's nation.
MEMBERSHIP_ORGANISATIONS = (
    "setting__authority__nation",
    "authority__nation",
    "agency__authority__nation",
    "nation",
)


def nation_list_with_authorities() -> QuerySet[Nation]:
    """Nations, each with `.authority_list`: its authorities with setting and agency counts."""
    authorities = LocalAuthority.objects.annotate(
        setting_count=Count("settings", distinct=True),
        agency_count=Count("agencies", distinct=True),
    ).order_by("name")
    return Nation.objects.prefetch_related(
        Prefetch("authorities", queryset=authorities, to_attr="authority_list")
    ).order_by("name")


def setting_list(*, authority: LocalAuthority) -> QuerySet[Setting]:
    return Setting.objects.filter(authority=authority).order_by("name")


def agency_list(*, authority: LocalAuthority) -> QuerySet[Agency]:
    return Agency.objects.filter(authority=authority).order_by("name")


def setting_choices() -> QuerySet[Setting]:
    """Every setting, for choosing where a role is held; labelled with its authority."""
    return Setting.objects.select_related("authority").order_by("authority__name", "name")


def agency_choices() -> QuerySet[Agency]:
    return Agency.objects.select_related("authority").order_by("authority__name", "name")


def authority_choices() -> QuerySet[LocalAuthority]:
    return LocalAuthority.objects.select_related("nation").order_by("name")


def nation_choices() -> QuerySet[Nation]:
    return Nation.objects.order_by("name")


# Both lists page by cursor (stagewise/keyset.py) in the order they are sorted in.
PERSON_LIST_ORDER = KeysetOrder(keys=("full_name", "email", "pk"))
MEMBERSHIP_LIST_ORDER = KeysetOrder(keys=("user__full_name", "user__email", "role", "pk"))


def person_list(*, search: str = "") -> QuerySet[User]:
    """People whose name or email contains every word searched for, each with
    `.current_memberships`. An integration's own account is no person: it is listed with its
    integration (api/admin_views.py), where its tokens are managed."""
    people = User.objects.filter(integration__isnull=True)
    for word in search.split():
        people = people.filter(Q(full_name__icontains=word) | Q(email__icontains=word))
    current = Membership.objects.current().select_related(*MEMBERSHIP_ORGANISATIONS)
    return people.prefetch_related(
        Prefetch(
            "memberships",
            queryset=current.order_by("started_on", "pk"),
            to_attr="current_memberships",
        )
    ).order_by(*PERSON_LIST_ORDER.keys)


def person_membership_list(*, person: User) -> QuerySet[Membership]:
    """All of a person's memberships, past, current and future, latest first."""
    return (
        Membership.objects.filter(user=person)
        .select_related(*MEMBERSHIP_ORGANISATIONS)
        .order_by("-started_on", "-pk")
    )


def membership_list(*, role: str = "") -> QuerySet[Membership]:
    """Current memberships, optionally of one role, with the person and organisation."""
    memberships = Membership.objects.current().select_related("user", *MEMBERSHIP_ORGANISATIONS)
    if role:
        memberships = memberships.filter(role=role)
    return memberships.order_by(*MEMBERSHIP_LIST_ORDER.keys)


def membership_detail_queryset() -> QuerySet[Membership]:
    """Memberships with their person and organisation, to fetch one by id."""
    return Membership.objects.select_related("user", *MEMBERSHIP_ORGANISATIONS)
