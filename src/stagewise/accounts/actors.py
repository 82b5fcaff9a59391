"""The actor: a signed-in person acting in one role, the unit access and audit are decided on.

Someone may hold several roles (a teacher at two schools, a teacher who is also a parent); they act
in one at a time, chosen in the header, so that what they see and what the audit says they did both
follow from one role.
"""

from dataclasses import dataclass

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
        .select_related(
            "setting__authority__nation", "authority__nation", "agency__authority__nation", "nation"
        )
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


def describe_no_role() -> str:
    return _("Your account has no current role. Ask your administrator to add one.")
