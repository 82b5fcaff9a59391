"""A test module's people by name: one member of every role that works with learners or looks at
figures, and the family of a learner at the school, for the matrices that try every role against
pages that are not about a learner (the action plans)."""

from dataclasses import dataclass
from typing import Any

from django.test import Client

from stagewise.accounts.actors import actors_for
from stagewise.accounts.models import User
from stagewise.conftest import staff_member
from stagewise.organisations.models import Agency, LocalAuthority, Role, Setting
from stagewise.testing.factories import UserFactory, enrolled_learner, link_carer, scotland


@dataclass
class NamedPeople:
    users: dict[str, User]

    def client(self, name: str) -> Client:
        client = Client()
        client.force_login(self.users[name])
        return client

    def actor(self, name: str) -> Any:
        return actors_for(self.users[name])[0]


def officers_of_three_authorities() -> dict[str, User]:
    """An officer of Glasgow City (Alan Kerr), of Fife and of Cardiff (in Wales): the authority
    officers of the matrices of pages that each authority keeps for itself."""
    officers = {
        f"{key}_officer": staff_member(
            f"{email}@example.org",
            Role.LOCAL_AUTHORITY_OFFICER,
            authority=LocalAuthority.objects.get(name=name),
        )
        for key, email, name in (
            ("glasgow", "alan", "Glasgow City"),
            ("fife", "fife", "Fife"),
            ("cardiff", "cardiff", "Cardiff"),
        )
    }
    officers["glasgow_officer"].full_name = "Alan Kerr"
    officers["glasgow_officer"].save(update_fields=["full_name"])
    return officers


def people_of_every_other_role(school: Setting, agency: Agency) -> dict[str, User]:
    """Staff of the school, its authority and the agency, a national analyst, an administrator,
    and the parent and young person of a learner at the school (Ailsa Campbell): every role but
    the authority officer and the policy officer, whom each module names itself."""
    authority = school.authority
    learner = enrolled_learner(school, legal_first_name="Ailsa", legal_last_name="Campbell")
    people = {
        "teacher": staff_member("teacher@example.org", Role.CLASS_TEACHER, setting=school),
        "support_lead": staff_member(
            "lead@example.org", Role.SUPPORT_FOR_LEARNING_LEAD, setting=school
        ),
        "head": staff_member("head@example.org", Role.HEAD_TEACHER, setting=school),
        "psychologist": staff_member(
            "ep@example.org", Role.EDUCATIONAL_PSYCHOLOGIST, authority=authority
        ),
        "data_protection_officer": staff_member(
            "dpo@example.org", Role.DATA_PROTECTION_OFFICER, authority=authority
        ),
        "agency_practitioner": staff_member(
            "slt@example.org", Role.AGENCY_PRACTITIONER, agency=agency
        ),
        "service_manager": staff_member("sm@example.org", Role.SERVICE_MANAGER, agency=agency),
        "analyst": staff_member("analyst@example.org", Role.NATIONAL_ANALYST, nation=scotland()),
        "administrator": staff_member("admin@example.org", Role.SYSTEM_ADMINISTRATOR),
        "parent": UserFactory.create(email="parent@example.org"),
        "young_person": UserFactory.create(email="ailsa@example.org"),
    }
    link_carer(learner, user=people["parent"], portal_access=True)
    learner.young_person_account = people["young_person"]
    learner.save(update_fields=["young_person_account"])
    return people
