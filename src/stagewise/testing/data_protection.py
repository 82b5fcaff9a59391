"""The access harness's world as the data protection tests use it: Ailsa's class teacher and
head, her parent, Finlay's parent, and Glasgow's data protection officer (ADR 0032, ADR 0033)."""

from stagewise.learners.models import StaffRelationshipKind
from stagewise.organisations.models import Role
from stagewise.testing.access_harness import ActorSpec, Specification

ACTORS = {
    "teacher": ActorSpec(
        Role.CLASS_TEACHER,
        at="school",
        linked_to="learner",
        link=StaffRelationshipKind.CLASS_TEACHER,
        full_name="Morag Teacher",
    ),
    "head": ActorSpec(
        Role.HEAD_TEACHER,
        at="school",
        linked_to="learner",
        link=StaffRelationshipKind.NAMED_PERSON,
        full_name="Iain Head",
    ),
    "parent": ActorSpec(Role.PARENT_CARER, linked_to="learner", full_name="Claire Campbell"),
    "other_parent": ActorSpec(Role.PARENT_CARER, linked_to="other_learner"),
    "data_protection_officer": ActorSpec(
        Role.DATA_PROTECTION_OFFICER, at="glasgow", full_name="Priya Officer"
    ),
}
SPEC = Specification(
    actors=ACTORS, sees={}, family_roles=frozenset({Role.PARENT_CARER}), pages=[], lists=[]
)
