"""factory_boy factories for the whole project: one way to make each record in tests."""

from datetime import date
from typing import TYPE_CHECKING, Any

import factory
from allauth.mfa.totp.internal.auth import TOTP

from stagewise.accounts.models import User
from stagewise.learners.models import (
    Carer,
    CarerRelationship,
    Enrolment,
    Learner,
    LearnerCarer,
    StaffRelationship,
    StaffRelationshipKind,
)
from stagewise.organisations.models import (
    Agency,
    AgencyType,
    LocalAuthority,
    Membership,
    Nation,
    Setting,
    SettingType,
)

if TYPE_CHECKING:
    from stagewise.coordination.models import RequestForAssistance
    from stagewise.learners.models import Need, WellbeingAssessment

TEST_PASSWORD = "correct-horse-battery-staple"
# A fixed authenticator secret, so browser tests can compute the code a phone would show.
TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

# For worlds whose decisions were made on more than the test records: decision support suggests
# from the record alone, and a decision that departs from it must give a reason (ADR 0047).
JUDGED_BEYOND_THE_RECORD = "Judged on what the team knows beyond the record."
JUDGED_BEYOND_THE_RECORD_KIND = "evidence_outside"  # DepartureKind.EVIDENCE_OUTSIDE


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    password = factory.django.Password(TEST_PASSWORD)


def with_authenticator_app(user: User) -> User:
    """Give a user an authenticator app, as staff must have before they can work."""
    TOTP.activate(user, TEST_TOTP_SECRET)
    return user


def authority(name: str) -> LocalAuthority:
    return LocalAuthority.objects.get(name=name)


class SettingFactory(factory.django.DjangoModelFactory[Setting]):
    class Meta:
        model = Setting

    authority = factory.LazyFunction(lambda: authority("Glasgow City"))
    name = factory.Sequence(lambda n: f"Test Primary School {n}")
    setting_type = SettingType.PRIMARY


class AgencyFactory(factory.django.DjangoModelFactory[Agency]):
    class Meta:
        model = Agency

    authority = factory.LazyFunction(lambda: authority("Glasgow City"))
    name = factory.Sequence(lambda n: f"Test Agency {n}")
    agency_type = AgencyType.SPEECH_AND_LANGUAGE_THERAPY


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    started_on = date(2020, 8, 1)


class LearnerFactory(factory.django.DjangoModelFactory[Learner]):
    class Meta:
        model = Learner

    legal_first_name = factory.Faker("first_name", locale="en_GB")
    legal_last_name = factory.Faker("last_name", locale="en_GB")
    date_of_birth = date(2012, 5, 17)
    sex = "female"
    candidate_number = factory.Sequence(lambda n: f"{100000000 + n:09d}")


class EnrolmentFactory(factory.django.DjangoModelFactory[Enrolment]):
    class Meta:
        model = Enrolment

    learner = factory.SubFactory(LearnerFactory)
    setting = factory.SubFactory(SettingFactory)
    year_group = "P7"
    started_on = date(2025, 8, 18)


def enrolled_learner(setting: Setting, year_group: str = "P7", **fields: Any) -> Learner:
    learner = LearnerFactory.create(**fields)
    EnrolmentFactory.create(learner=learner, setting=setting, year_group=year_group)
    return learner


class CarerFactory(factory.django.DjangoModelFactory[Carer]):
    class Meta:
        model = Carer

    full_name = factory.Faker("name", locale="en_GB")
    telephone = "07700 900123"


def link_carer(learner: Learner, user: User | None = None, **fields: Any) -> LearnerCarer:
    carer = CarerFactory.create(user=user, full_name=user.full_name if user else "A Parent")
    return LearnerCarer.objects.create(
        learner=learner, carer=carer, relationship=CarerRelationship.PARENT, **fields
    )


def link_staff(
    learner: Learner, staff: User, kind: str = StaffRelationshipKind.CLASS_TEACHER
) -> StaffRelationship:
    return StaffRelationship.objects.create(
        learner=learner, staff=staff, kind=kind, started_on=date(2025, 8, 18)
    )


def involve_agency(
    learner: Learner, agency: Agency, parts: "list[str] | None" = None
) -> "RequestForAssistance":
    """The agency involved with the learner as only a request can make it: asked by the
    learner's school with a parent's consent to share `parts` of the record (all of them unless
    named), sent and accepted. Written as rows, not through the services, because nearly every
    test's world has one (the services' own steps are specified in coordination/tests)."""
    from stagewise.coordination.models import (
        ConsentGivenBy,
        ConsentMethod,
        RecordPart,
        RequestForAssistance,
        RequestStatus,
        SharingConsent,
    )

    enrolment = learner.enrolments.select_related("setting").get(ended_on__isnull=True)
    request = RequestForAssistance.objects.create(
        learner=learner,
        service=agency,
        authority_id=enrolment.setting.authority_id,
        setting=enrolment.setting,
        reason="Difficulty being understood by classmates.",
        tried="Small-group language work three times a week.",
        tried_for="One term",
        learner_views="Wants to join in more at break.",
        family_views="Parents agree and would like advice for home.",
        status=RequestStatus.ACCEPTED,
        sent_on=date(2025, 9, 1),
        answered_on=date(2025, 9, 15),
    )
    SharingConsent.objects.create(
        request=request,
        given_by=ConsentGivenBy.PARENT,
        given_by_name="A parent",
        given_on=date(2025, 9, 1),
        method=ConsentMethod.IN_WRITING,
        parts=list(RecordPart.values) if parts is None else parts,
    )
    return request


def scotland() -> Nation:
    return Nation.objects.get(code=Nation.SCOTLAND)


def add_need(learner: Learner, code: str | None = None, **fields: Any) -> "Need":
    from stagewise.learners.models import Need
    from stagewise.statutory.models import ReasonForSupport

    nation = learner.enrolments.get(ended_on__isnull=True).setting.authority.nation
    reason = ReasonForSupport.objects.get(
        nation=nation, code=code or ("25" if nation.code == Nation.SCOTLAND else "ASD")
    )
    defaults: dict[str, Any] = {"identified_on": date(2025, 9, 10), "identified_by_label": "Test"}
    return Need.objects.create(learner=learner, reason=reason, **(defaults | fields))


def add_wellbeing_assessment(
    learner: Learner, assessed_on: date = date(2025, 10, 1), level: str = "no_concern"
) -> "WellbeingAssessment":
    from stagewise.learners.models import (
        WellbeingAssessment,
        WellbeingIndicator,
        WellbeingRating,
    )

    assessment = WellbeingAssessment.objects.create(
        learner=learner, assessed_on=assessed_on, assessed_by_label="Test"
    )
    for indicator in WellbeingIndicator:
        WellbeingRating.objects.create(assessment=assessment, indicator=indicator, level=level)
    return assessment


def staff_for(learner: Learner) -> User:
    """A support-for-learning lead, with an authenticator, at the learner's current school."""
    from stagewise.organisations.models import Role

    setting = learner.enrolments.get(ended_on__isnull=True).setting
    user = with_authenticator_app(UserFactory.create())
    MembershipFactory.create(user=user, role=Role.SUPPORT_FOR_LEARNING_LEAD, setting=setting)
    return user
