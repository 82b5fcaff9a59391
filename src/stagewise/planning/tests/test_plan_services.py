"""The rules a plan keeps, written through the services as every view, import and task calls them.

Bad input is refused with a message a teacher understands; a finalised version never changes; the
plan types hold the sections the law prescribes; every write leaves an audit event.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from stagewise.accounts.actors import Actor
from stagewise.accounts.models import User
from stagewise.audit.models import AuditEvent
from stagewise.learners.models import Learner
from stagewise.organisations.models import Role, Setting
from stagewise.planning.documents import (
    finalise_problems,
    plan_document_build,
    plan_document_load,
)
from stagewise.planning.models import (
    LocalPlanTypeName,
    Plan,
    PlanCommunication,
    PlanResponse,
    PlanReview,
    PlanSection,
    PlanStatus,
    PlanType,
    PlanVersion,
    SectionKind,
    SupportProvision,
    Target,
    TargetReview,
    ViewKind,
)
from stagewise.planning.services import (
    TargetProgressEntry,
    content_fingerprint,
    plan_close,
    plan_communication_record,
    plan_create,
    plan_details_current,
    plan_details_update,
    plan_finalise,
    plan_response_record,
    plan_review_begin,
    plan_review_record,
    plan_revise,
    plan_section_update,
    plan_staff_notes_update,
    plan_support_in_place,
    provision_add,
    provision_remove,
    section_text_current,
    target_add,
    target_current,
    target_remove,
    target_update,
    view_add,
    view_remove,
)
from stagewise.testing.factories import (
    MembershipFactory,
    SettingFactory,
    UserFactory,
    authority,
    enrolled_learner,
    link_staff,
    with_authenticator_app,
)
from stagewise.testing.plans import (
    acting,
    complete_plan,
    finalised_plan,
    plan_type,
    started_plan,
    write_section,
)

pytestmark = pytest.mark.django_db

CSP = "coordinated_support_plan"
IEP = "individualised_educational_programme"
IDP_SCHOOL = "individual_development_plan_school"
IDP_AUTHORITY = "individual_development_plan_local_authority"


def today() -> date:
    return timezone.localdate()


def starts(plan: Plan) -> date:
    """The date the plan starts: every plan in these tests is opened with one."""
    assert plan.starts_on is not None
    return plan.starts_on


def refusal(error: pytest.ExceptionInfo[ValidationError]) -> str:
    """Every message of a refusal, as one string to search."""
    return " ".join(error.value.messages)


@dataclass
class Wales:
    school: Setting
    learner: Learner
    alnco: User
    officer: User


@pytest.fixture
def wales(world) -> Wales:
    """A learner at a school in Cardiff, its ALNCo and a Cardiff local authority officer."""
    cardiff = authority("Cardiff")
    school = SettingFactory.create(authority=cardiff, name="Ysgol Gynradd Glan Taf")
    learner = enrolled_learner(
        school, year_group="Y6", legal_first_name="Megan", legal_last_name="Jones"
    )
    alnco = with_authenticator_app(
        UserFactory.create(email="alnco@example.org", full_name="Rhian Alnco")
    )
    MembershipFactory.create(user=alnco, role=Role.SUPPORT_FOR_LEARNING_LEAD, setting=school)
    officer = with_authenticator_app(
        UserFactory.create(email="cardiff-officer@example.org", full_name="Dafydd Officer")
    )
    MembershipFactory.create(user=officer, role=Role.LOCAL_AUTHORITY_OFFICER, authority=cardiff)
    return Wales(school, learner, alnco, officer)


def reviewable_plan(teacher: User, learner: Learner) -> Plan:
    """A finalised IEP with two targets, support in place: ready to review."""
    actor = acting(teacher)
    plan = finalised_plan(actor, learner, IEP)
    return plan_support_in_place(actor=actor, plan=plan, in_place_on=today())


def progress_on_every_target(plan: Plan) -> list[TargetProgressEntry]:
    return [
        TargetProgressEntry(target=target, progress="partly_achieved", evidence=f"Evidence {n}")
        for n, target in enumerate(plan.targets.order_by("pk"), start=1)
    ]


# ---------------------------------------------------------------------------------------------
# Finalising: a plan is complete before it is signed off, and every problem says where it is


def test_a_target_without_a_measure_cannot_be_finalised_and_the_message_names_the_target(
    teacher, learner
):
    actor = acting(teacher)
    plan = complete_plan(actor, learner, IEP)
    target_add(
        actor=actor,
        plan=plan,
        outcome="Asks for help when stuck",
        achieve_by=today() + timedelta(days=60),
    )
    plan.refresh_from_db()

    with pytest.raises(ValidationError) as error:
        plan_finalise(actor=actor, plan=plan, based_on_revision=plan.edit_revision)

    assert "Target 3 has no measure" in refusal(error)
    assert not PlanVersion.objects.filter(plan=plan).exists()


def test_a_target_without_a_date_cannot_be_finalised_and_the_message_names_the_target(
    teacher, learner
):
    actor = acting(teacher)
    plan = complete_plan(actor, learner, IEP)
    target_add(actor=actor, plan=plan, outcome="Asks for help when stuck", measure="Observation")
    plan.refresh_from_db()

    with pytest.raises(ValidationError) as error:
        plan_finalise(actor=actor, plan=plan, based_on_revision=plan.edit_revision)

    assert "Target 3 has no date" in refusal(error)
    assert "Target 3 has no measure" not in refusal(error)


def test_a_plan_with_an_empty_required_section_cannot_be_finalised_and_the_message_names_it(
    teacher, authority_officer, learner
):
    plan = complete_plan(acting(teacher), learner, CSP)
    write_section(acting(teacher), plan, "factors", "")
    plan.refresh_from_db()

    with pytest.raises(ValidationError) as error:
        plan_finalise(
            actor=acting(authority_officer), plan=plan, based_on_revision=plan.edit_revision
        )

    assert refusal(error) == (
        "Complete section 4, “Factors giving rise to additional support needs”."
    )
    assert plan.status == PlanStatus.DRAFT


def test_every_unfinished_part_of_a_new_csp_is_named_by_its_section_number_and_title(
    teacher, learner
):
    plan = started_plan(acting(teacher), learner, CSP)

    problems = " ".join(finalise_problems(plan_document_build(plan)))

    for section in PlanSection.objects.filter(plan_type=plan.plan_type, required=True).exclude(
        kind__in=[SectionKind.LEARNER_DETAILS, SectionKind.CARER_DETAILS, SectionKind.SETTING]
    ):
        if section.kind in (SectionKind.SIGN_OFF, SectionKind.REVIEW_TIMETABLE):
            continue  # signed at finalising; dates were set when the plan was opened
        if section.kind in (SectionKind.PROVISION, SectionKind.PROVIDERS):
            continue  # support is added per target: with no targets there is none to ask for
        assert f"section {section.number}, “{section.title}”" in problems, section.key


def test_an_optional_section_may_be_left_empty(teacher, learner):
    actor = acting(teacher)
    plan = complete_plan(actor, learner, IEP)
    write_section(actor, plan, "like_and_admire", "")
    plan.refresh_from_db()

    version = plan_finalise(actor=actor, plan=plan, based_on_revision=plan.edit_revision)

    assert version.number == 1


# ---------------------------------------------------------------------------------------------
# Dates


def test_a_review_date_before_the_plan_starts_is_rejected(teacher, learner):
    actor = acting(teacher)
    plan = started_plan(actor, learner, IEP)
    starts_on = starts(plan)

    with pytest.raises(ValidationError) as error:
        plan_details_update(
            actor=actor,
            plan=plan,
            starts_on=starts_on,
            next_review_on=starts_on - timedelta(days=1),
            multi_agency=False,
            lead_professional="",
            based_on=content_fingerprint(plan_details_current(plan)),
        )

    assert error.value.message_dict["next_review_on"] == [
        "The review date must be on or after the date the plan starts."
    ]
    plan.refresh_from_db()
    assert plan.next_review_on is not None and plan.next_review_on > starts_on


def test_a_review_date_on_the_day_the_plan_starts_is_accepted(teacher, learner):
    actor = acting(teacher)
    plan = started_plan(actor, learner, IEP)

    updated = plan_details_update(
        actor=actor,
        plan=plan,
        starts_on=starts(plan),
        next_review_on=starts(plan),
        multi_agency=False,
        lead_professional="",
        based_on=content_fingerprint(plan_details_current(plan)),
    )

    assert updated.next_review_on == starts(plan)


def test_a_review_meeting_before_the_plan_starts_is_rejected(teacher, learner):
    plan = reviewable_plan(teacher, learner)

    with pytest.raises(ValidationError) as error:
        plan_review_record(
            actor=acting(teacher),
            plan=plan,
            held_on=starts(plan) - timedelta(days=1),
            attendees="Class teacher, parent",
            views_beforehand="",
            progress=progress_on_every_target(plan),
            decision="continue",
            next_review_on=today() + timedelta(days=180),
        )

    assert error.value.message_dict["held_on"] == ["The review cannot be before the plan starts."]
    assert not PlanReview.objects.filter(plan=plan).exists()


def test_a_target_date_before_the_plan_starts_is_rejected(teacher, learner):
    actor = acting(teacher)
    plan = started_plan(actor, learner, IEP)

    with pytest.raises(ValidationError) as error:
        target_add(
            actor=actor,
            plan=plan,
            outcome="Reads a page aloud",
            measure="Reading record",
            achieve_by=starts(plan) - timedelta(days=1),
        )

    assert "achieve_by" in error.value.message_dict


# ---------------------------------------------------------------------------------------------
# One open plan of each type


def test_a_second_open_plan_of_the_same_type_for_the_same_learner_is_refused(teacher, learner):
    actor = acting(teacher)
    started_plan(actor, learner, IEP)

    with pytest.raises(ValidationError) as error:
        started_plan(actor, learner, IEP)

    assert "already has an open individualised educational programme" in refusal(error)
    assert Plan.objects.filter(learner=learner, plan_type__key=IEP).count() == 1


def test_a_plan_of_another_type_may_be_open_at_the_same_time(teacher, learner):
    actor = acting(teacher)
    started_plan(actor, learner, IEP)

    started_plan(actor, learner, "childs_plan")

    assert Plan.objects.filter(learner=learner).count() == 2


def test_a_second_plan_of_a_type_is_allowed_once_the_first_is_closed(teacher, learner):
    actor = acting(teacher)
    first = started_plan(actor, learner, IEP)
    plan_close(actor=actor, plan=first, closed_on=today(), reason="Needs met")

    second = started_plan(actor, learner, IEP)

    assert second.pk != first.pk
    assert second.status == PlanStatus.DRAFT


def test_another_learner_may_have_the_same_type_of_plan_open(teacher, support_lead, learner):
    started_plan(acting(teacher), learner, IEP)
    classmate = enrolled_learner(learner.enrolments.get().setting)

    started_plan(acting(support_lead), classmate, IEP)

    assert Plan.objects.filter(plan_type__key=IEP).count() == 2


def test_a_plan_type_from_the_other_nation_is_refused(teacher, learner):
    with pytest.raises(ValidationError) as error:
        started_plan(acting(teacher), learner, IDP_SCHOOL)

    assert "Choose a type of plan used in" in refusal(error)


# ---------------------------------------------------------------------------------------------
# Sign-off


@pytest.mark.parametrize("signer", ["teacher", "support_lead", "head"])
def test_only_a_local_authority_officer_may_finalise_a_coordinated_support_plan(
    request, teacher, learner, signer
):
    plan = complete_plan(acting(teacher), learner, CSP)
    events_before = AuditEvent.objects.count()

    with pytest.raises(ValidationError) as error:
        plan_finalise(
            actor=acting(request.getfixturevalue(signer)),
            plan=plan,
            based_on_revision=plan.edit_revision,
        )

    assert "local authority officer" in refusal(error).lower()  # who may sign it off
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    assert not PlanVersion.objects.filter(plan=plan).exists()
    assert AuditEvent.objects.count() == events_before


def test_a_local_authority_officer_signs_off_a_coordinated_support_plan(
    teacher, authority_officer, learner
):
    plan = complete_plan(acting(teacher), learner, CSP)

    version = plan_finalise(
        actor=acting(authority_officer), plan=plan, based_on_revision=plan.edit_revision
    )

    assert version.finalised_role == Role.LOCAL_AUTHORITY_OFFICER
    assert version.document["sign_off"]["role"] == Role.LOCAL_AUTHORITY_OFFICER
    plan.refresh_from_db()
    assert plan.status == PlanStatus.FINALISED


def test_a_class_teacher_may_not_sign_off_a_school_idp(wales):
    teacher = with_authenticator_app(UserFactory.create(email="athro@example.org"))
    MembershipFactory.create(user=teacher, role=Role.CLASS_TEACHER, setting=wales.school)
    link_staff(wales.learner, teacher)
    plan = complete_plan(acting(wales.alnco), wales.learner, IDP_SCHOOL)

    with pytest.raises(ValidationError):
        plan_finalise(actor=acting(teacher), plan=plan, based_on_revision=plan.edit_revision)

    assert not PlanVersion.objects.filter(plan=plan).exists()


# ---------------------------------------------------------------------------------------------
# Support provision


def _provision(actor: Actor, target: Target, **fields: object) -> SupportProvision:
    values: dict = {
        "description": "Speech and language sessions",
        "frequency": "Weekly",
        "starts_on": target.plan.starts_on,
        "provider_name": "Speech and language therapist",
    }
    return provision_add(actor=actor, target=target, **(values | fields))


def test_provision_in_wales_must_say_whether_it_is_delivered_in_welsh(wales):
    actor = acting(wales.alnco)
    plan = started_plan(actor, wales.learner, IDP_SCHOOL)
    target = target_add(actor=actor, plan=plan, outcome="Joins in group discussion")

    with pytest.raises(ValidationError) as error:
        _provision(actor, target, delivered_in_welsh=None)

    assert error.value.message_dict["delivered_in_welsh"] == [
        "Say whether this provision is delivered in Welsh."
    ]
    assert not SupportProvision.objects.exists()


@pytest.mark.parametrize("in_welsh", [True, False])
def test_provision_in_wales_records_the_answer_either_way(wales, in_welsh):
    actor = acting(wales.alnco)
    plan = started_plan(actor, wales.learner, IDP_SCHOOL)
    target = target_add(actor=actor, plan=plan, outcome="Joins in group discussion")

    provision = _provision(actor, target, delivered_in_welsh=in_welsh)

    assert provision.delivered_in_welsh is in_welsh


def test_provision_in_scotland_need_not_say_whether_it_is_delivered_in_welsh(teacher, learner):
    actor = acting(teacher)
    plan = started_plan(actor, learner, IEP)
    target = target_add(actor=actor, plan=plan, outcome="Joins in group discussion")

    provision = _provision(actor, target)

    assert provision.delivered_in_welsh is None


def test_provision_with_no_provider_is_refused(teacher, learner):
    actor = acting(teacher)
    plan = started_plan(actor, learner, IEP)
    target = target_add(actor=actor, plan=plan, outcome="Joins in group discussion")

    with pytest.raises(ValidationError) as error:
        _provision(actor, target, provider_name="   ")

    assert "Say who provides this support" in error.value.message_dict["provider"][0]


@pytest.mark.parametrize(
    "providers",
    [("staff", "agency"), ("staff", "name"), ("agency", "name"), ("staff", "agency", "name")],
)
def test_provision_with_more_than_one_provider_is_refused(world, teacher, learner, providers):
    actor = acting(teacher)
    plan = started_plan(actor, learner, IEP)
    target = target_add(actor=actor, plan=plan, outcome="Joins in group discussion")
    chosen = {
        "staff": {"provider_staff": teacher},
        "agency": {"provider_agency": world.agency},
        "name": {"provider_name": "A visiting specialist"},
    }
    fields: dict = {"provider_name": ""}
    for provider in providers:
        fields |= chosen[provider]

    with pytest.raises(ValidationError) as error:
        _provision(actor, target, **fields)

    assert "provider" in error.value.message_dict
    assert not SupportProvision.objects.exists()


@pytest.mark.parametrize("provider", ["staff", "agency", "name"])
def test_provision_with_exactly_one_provider_names_it_in_the_plan(
    world, teacher, learner, provider
):
    actor = acting(teacher)
    plan = started_plan(actor, learner, IEP)
    target = target_add(actor=actor, plan=plan, outcome="Joins in group discussion")
    fields, label = {
        "staff": ({"provider_staff": teacher, "provider_name": ""}, teacher.full_name),
        "agency": (
            {"provider_agency": world.agency, "provider_name": ""},
            world.agency.display_name,
        ),
        "name": ({"provider_name": "A visiting specialist"}, "A visiting specialist"),
    }[provider]

    provision = _provision(actor, target, **fields)

    assert provision.provider_label == label


def test_provision_cannot_end_before_it_starts(teacher, learner):
    actor = acting(teacher)
    plan = started_plan(actor, learner, IEP)
    target = target_add(actor=actor, plan=plan, outcome="Joins in group discussion")

    with pytest.raises(ValidationError) as error:
        _provision(actor, target, ends_on=starts(plan) - timedelta(days=1))

    assert "ends_on" in error.value.message_dict


# ---------------------------------------------------------------------------------------------
# Finalised versions never change


def test_a_saved_plan_version_cannot_be_saved_again(teacher, learner):
    plan = finalised_plan(acting(teacher), learner, IEP)
    version = PlanVersion.objects.get(plan=plan)
    signed_off = version.document

    version.document = {**signed_off, "targets": []}
    with pytest.raises(ValueError, match="never changed"):
        version.save()

    assert PlanVersion.objects.get(pk=version.pk).document == signed_off


WRITES_TO_CONTENT: dict[str, Callable[[Actor, Plan], object]] = {
    "write a section": lambda actor, plan: plan_section_update(
        actor=actor,
        plan=plan,
        section=PlanSection.objects.get(plan_type=plan.plan_type, key="additional_support_needs"),
        text="Changed after sign-off",
        based_on=content_fingerprint(
            section_text_current(
                plan,
                PlanSection.objects.get(plan_type=plan.plan_type, key="additional_support_needs"),
            )
        ),
    ),
    "change the dates": lambda actor, plan: plan_details_update(
        actor=actor,
        plan=plan,
        starts_on=starts(plan),
        next_review_on=starts(plan) + timedelta(days=30),
        multi_agency=False,
        lead_professional="",
        based_on=content_fingerprint(plan_details_current(plan)),
    ),
    "add a target": lambda actor, plan: target_add(
        actor=actor, plan=plan, outcome="Added after sign-off"
    ),
    "change a target": lambda actor, plan: target_update(
        actor=actor,
        target=plan.targets.order_by("pk")[0],
        outcome="Changed after sign-off",
        measure="",
        baseline="",
        success_criteria="",
        achieve_by=None,
        based_on=content_fingerprint(target_current(plan.targets.order_by("pk")[0])),
    ),
    "remove a target": lambda actor, plan: target_remove(
        actor=actor,
        target=plan.targets.order_by("pk")[0],
        based_on=content_fingerprint(target_current(plan.targets.order_by("pk")[0])),
    ),
    "add support": lambda actor, plan: _provision(actor, plan.targets.order_by("pk")[0]),
    "remove support": lambda actor, plan: provision_remove(
        actor=actor, provision=SupportProvision.objects.filter(target__plan=plan).order_by("pk")[0]
    ),
    "record views": lambda actor, plan: view_add(
        actor=actor,
        plan=plan,
        kind=ViewKind.LEARNER,
        speaker="Ailsa",
        words="Added after sign-off",
        gathered_on=today(),
    ),
    "remove views": lambda actor, plan: view_remove(actor=actor, view=plan.views.order_by("pk")[0]),
}


@pytest.mark.parametrize("write", WRITES_TO_CONTENT)
def test_the_content_of_a_finalised_plan_cannot_be_changed(teacher, learner, write):
    plan = finalised_plan(acting(teacher), learner, IEP)
    signed_off = plan_document_build(plan)

    with pytest.raises(ValidationError) as error:
        WRITES_TO_CONTENT[write](acting(teacher), plan)

    assert "has been finalised and cannot be changed" in refusal(error)
    plan.refresh_from_db()
    assert plan_document_build(plan) == signed_off


def test_staff_only_notes_may_change_after_finalising_without_touching_the_plan(teacher, learner):
    actor = acting(teacher)
    plan = finalised_plan(actor, learner, IEP)
    revision = plan.edit_revision

    plan_staff_notes_update(
        actor=actor,
        plan=plan,
        staff_notes="Mum prefers a phone call.",
        based_on=content_fingerprint({"staff_notes": ""}),
    )

    plan.refresh_from_db()
    assert plan.staff_notes == "Mum prefers a phone call."
    assert plan.edit_revision == revision
    assert "Mum prefers" not in str(PlanVersion.objects.get(plan=plan).document)


def test_revising_starts_version_2_and_leaves_version_1_as_it_was_signed_off(teacher, learner):
    actor = acting(teacher)
    plan = finalised_plan(actor, learner, IEP)
    version_1 = PlanVersion.objects.get(plan=plan, number=1)
    signed_off = version_1.document

    revised = plan_revise(actor=actor, plan=plan)
    write_section(actor, revised, "additional_support_needs", "Rewritten for version 2.")
    target = revised.targets.order_by("pk")[0]
    target_update(
        actor=actor,
        target=target,
        outcome="A new first target",
        measure="Observation",
        baseline="",
        success_criteria="",
        achieve_by=today() + timedelta(days=30),
        based_on=content_fingerprint(target_current(target)),
    )
    revised.refresh_from_db()
    version_2 = plan_finalise(actor=actor, plan=revised, based_on_revision=revised.edit_revision)

    assert revised.version_number == 2
    assert version_2.number == 2
    assert PlanVersion.objects.get(pk=version_1.pk).document == signed_off
    first = plan_document_load(PlanVersion.objects.get(pk=version_1.pk).document)
    second = plan_document_load(version_2.document)
    first_needs = first.section("additional_support_needs")
    second_needs = second.section("additional_support_needs")
    assert first_needs is not None and second_needs is not None
    assert first.version_number == 1
    assert first.targets[0].outcome == "Target outcome 1: read a short text aloud"
    assert first_needs.text != "Rewritten for version 2."
    assert second.version_number == 2
    assert second.targets[0].outcome == "A new first target"
    assert second_needs.text == "Rewritten for version 2."


def test_a_draft_cannot_be_revised(teacher, learner):
    plan = started_plan(acting(teacher), learner, IEP)

    with pytest.raises(ValidationError):
        plan_revise(actor=acting(teacher), plan=plan)

    plan.refresh_from_db()
    assert plan.version_number == 1


# ---------------------------------------------------------------------------------------------
# Plan types as data: the sections the law prescribes


# SSI 2005/266 reg 3, as RULES.md section 1 lists the CSP's content: each item and where it is.
CSP_PRESCRIBED_FORM = [
    ("factors giving rise to ASN", "factors", SectionKind.TEXT),
    ("educational objectives", "targets", SectionKind.TARGETS),
    ("additional support required", "provision", SectionKind.PROVISION),
    ("persons who will provide it", "providers", SectionKind.PROVIDERS),
    ("nominated school", "nominated_school", SectionKind.SETTING),
    ("co-ordinator", "coordinator", SectionKind.TEXT),
    ("contact officer", "contact_officer", SectionKind.TEXT),
    ("child's personal details and preferred language", "learner_details", "learner_details"),
    ("parents' details", "carer_details", SectionKind.CARER_DETAILS),
    ("profile of skills and capabilities", "skills_and_capabilities", SectionKind.TEXT),
    ("views of child or young person", "learner_views", SectionKind.LEARNER_VIEWS),
    ("views of parent", "parent_views", SectionKind.PARENT_VIEWS),
    ("review timetable", "review_timetable", SectionKind.REVIEW_TIMETABLE),
    ("dated and signed by an authorised officer", "sign_off", SectionKind.SIGN_OFF),
]


@pytest.mark.parametrize(
    ("item", "key", "kind"), CSP_PRESCRIBED_FORM, ids=[row[0] for row in CSP_PRESCRIBED_FORM]
)
def test_every_item_of_the_csp_prescribed_form_is_a_required_section(db, item, key, kind):
    section = PlanSection.objects.get(plan_type__key=CSP, key=key)

    assert section.kind == kind
    assert section.required
    assert section.number
    assert section.title_cy


def test_the_csp_sections_are_numbered_in_order_and_only_an_authority_officer_signs(db):
    csp = PlanType.objects.get(key=CSP)
    numbers = list(csp.sections.order_by("order").values_list("number", flat=True))

    assert numbers == [str(n) for n in range(1, 15)]
    assert {key for _item, key, _kind in CSP_PRESCRIBED_FORM} == set(
        csp.sections.values_list("key", flat=True)
    )
    assert csp.sign_off_roles == [Role.LOCAL_AUTHORITY_OFFICER]
    assert csp.review_interval_months == 12
    assert csp.statutory and csp.nation.code == "scotland"


# ALN Code 2021 Annex A, as RULES.md section 6 lists the IDP's prescribed form.
IDP_ANNEX_A = [
    ("1A", "Administrative information", SectionKind.LEARNER_DETAILS),
    ("1B", "Contact details", SectionKind.CARER_DETAILS),
    ("1C", "what people like and admire about me", SectionKind.TEXT),
    ("1C", "what's important to me", SectionKind.TEXT),
    ("1C", "how best to support me", SectionKind.TEXT),
    ("2A", "Description of the additional learning needs", SectionKind.TEXT),
    ("2B", "Additional learning provision", SectionKind.PROVISION),
    ("2C", "NHS treatment or service", SectionKind.TEXT),
    ("2D", "Placement", SectionKind.TEXT),
]


@pytest.mark.parametrize("key", [IDP_SCHOOL, IDP_AUTHORITY])
@pytest.mark.parametrize(
    ("number", "title", "kind"), IDP_ANNEX_A, ids=[f"{n} {t}" for n, t, _k in IDP_ANNEX_A]
)
def test_every_section_of_idp_annex_a_is_in_both_types_of_idp(db, key, number, title, kind):
    sections = PlanSection.objects.filter(plan_type__key=key, number=number)

    matching = [section for section in sections if title.lower() in section.title.lower()]

    assert len(matching) == 1, [section.title for section in sections]
    assert matching[0].kind == kind
    assert matching[0].title_cy


@pytest.mark.parametrize("key", [IDP_SCHOOL, IDP_AUTHORITY])
def test_idp_intended_outcomes_are_2b1_and_the_views_of_the_child_are_required(db, key):
    idp = PlanType.objects.get(key=key)

    assert idp.sections.get(key="targets").number == "2B.1"
    assert idp.sections.get(kind=SectionKind.LEARNER_VIEWS).required
    assert idp.sections.filter(number="1C").count() == 3
    assert idp.statutory and idp.nation.code == "wales"
    assert idp.review_interval_months <= 12


def test_each_element_of_idp_provision_2b2_to_2b7_has_a_place_to_be_recorded(db):
    fields = {field.name for field in SupportProvision._meta.get_fields()}

    assert {
        "description",  # 2B.2 the ALP, specific and quantified
        "delivered_in_welsh",  # 2B.3
        "provider_label",  # 2B.4 providing organisation
        "starts_on",  # 2B.5
        "ends_on",  # 2B.6
        "rationale",  # 2B.7
    } <= fields


def test_an_idp_kept_by_the_local_authority_is_signed_off_by_the_authority(db):
    assert PlanType.objects.get(key=IDP_AUTHORITY).sign_off_roles == [Role.LOCAL_AUTHORITY_OFFICER]
    assert Role.LOCAL_AUTHORITY_OFFICER not in PlanType.objects.get(key=IDP_SCHOOL).sign_off_roles


def test_every_section_of_every_plan_type_is_a_kind_the_documents_know(db):
    for section in PlanSection.objects.all():
        assert section.kind in SectionKind.values, section
        assert section.title_cy, section


# ---------------------------------------------------------------------------------------------
# A local name for a plan type


def test_an_authoritys_local_name_changes_the_name_shown_but_not_the_sections(
    teacher, learner, other_learner, other_authority_officer
):
    iep = PlanType.objects.get(key=IEP)
    LocalPlanTypeName.objects.create(
        authority=authority("Glasgow City"),
        plan_type=iep,
        name="Glasgow additional support plan",
        name_cy="Cynllun cymorth ychwanegol Glasgow",
    )
    glasgow_plan = started_plan(acting(teacher), learner, IEP)
    fife_plan = started_plan(acting(other_authority_officer), other_learner, IEP)

    glasgow = plan_document_build(glasgow_plan)
    fife = plan_document_build(fife_plan)

    assert glasgow.display_type_name == "Glasgow additional support plan"
    with translation.override("cy"):
        assert glasgow.display_type_name == "Cynllun cymorth ychwanegol Glasgow"
    assert glasgow.type_name == "Individualised educational programme"
    assert fife.display_type_name == "Individualised educational programme"
    assert [(s.key, s.number, s.title, s.required) for s in glasgow.sections] == [
        (s.key, s.number, s.title, s.required) for s in iep.sections.order_by("order")
    ]
    assert [s.key for s in glasgow.sections] == [s.key for s in fife.sections]


# ---------------------------------------------------------------------------------------------
# Every write leaves an audit event


@contextmanager
def audited(learner: Learner, purpose: str) -> Iterator[None]:
    """Exactly one audit event, with this purpose, is recorded against the learner."""
    before = set(
        AuditEvent.objects.filter(learner_key__learner=learner).values_list("pk", flat=True)
    )
    yield
    new = AuditEvent.objects.filter(learner_key__learner=learner).exclude(pk__in=before)
    assert [event.purpose for event in new] == [purpose]


def test_every_write_to_a_plan_leaves_an_audit_event(teacher, parent, learner):
    actor = acting(teacher)
    with audited(learner, "open plan"):
        plan = started_plan(actor, learner, IEP)
    with audited(learner, "write plan section"):
        write_section(actor, plan, "additional_support_needs", "Dyslexia; slow processing.")
    with audited(learner, "change plan dates"):
        plan = plan_details_update(
            actor=actor,
            plan=plan,
            starts_on=starts(plan),
            next_review_on=starts(plan) + timedelta(days=180),
            multi_agency=False,
            lead_professional="",
            based_on=content_fingerprint(plan_details_current(plan)),
        )
    with audited(learner, "change staff-only plan notes"):
        plan_staff_notes_update(
            actor=actor,
            plan=plan,
            staff_notes="Staff only",
            based_on=content_fingerprint({"staff_notes": ""}),
        )
    with audited(learner, "add target"):
        target = target_add(
            actor=actor,
            plan=plan,
            outcome="Reads aloud",
            measure="Reading record",
            achieve_by=today() + timedelta(days=60),
        )
    with audited(learner, "change target"):
        target = target_update(
            actor=actor,
            target=target,
            outcome="Reads a page aloud",
            measure="Reading record",
            baseline="",
            success_criteria="",
            achieve_by=target.achieve_by,
            based_on=content_fingerprint(target_current(target)),
        )
    with audited(learner, "add support provision"):
        provision = _provision(actor, target)
    with audited(learner, "remove support provision"):
        provision_remove(actor=actor, provision=provision)
    spare = target_add(actor=actor, plan=plan, outcome="Spare")
    with audited(learner, "remove target"):
        target_remove(
            actor=actor, target=spare, based_on=content_fingerprint(target_current(spare))
        )
    _provision(actor, target)
    with audited(learner, "record views"):
        view = view_add(
            actor=actor,
            plan=plan,
            kind=ViewKind.LEARNER,
            speaker="Ailsa",
            words="I like reading to my dog.",
            gathered_on=today(),
        )
    with audited(learner, "remove views"):
        view_remove(actor=actor, view=view)
    for kind in ViewKind:
        view_add(
            actor=actor, plan=plan, kind=kind, speaker="Someone", words="Words", gathered_on=today()
        )
    plan.refresh_from_db()
    with audited(learner, "finalise plan"):
        plan_finalise(actor=actor, plan=plan, based_on_revision=plan.edit_revision)
    with audited(learner, "record plan shared"):
        plan_communication_record(
            actor=actor,
            plan=plan,
            recipient="Claire Campbell",
            recipient_kind="parent",
            sent_on=today(),
            format="family_portal",
        )
    with audited(learner, "respond to plan"):
        plan_response_record(actor=acting(parent), plan=plan, response="agreed")
    with audited(learner, "record support in place"):
        plan_support_in_place(actor=actor, plan=plan, in_place_on=today())
    with audited(learner, "begin plan review"):
        plan_review_begin(actor=actor, plan=plan)
    with audited(learner, "record plan review"):
        plan_review_record(
            actor=actor,
            plan=plan,
            held_on=today(),
            attendees="Teacher, parent",
            views_beforehand="",
            progress=progress_on_every_target(plan),
            decision="continue",
            next_review_on=today() + timedelta(days=180),
        )
    with audited(learner, "revise plan"):
        plan = plan_revise(actor=actor, plan=plan)
    with audited(learner, "close plan"):
        plan_close(actor=actor, plan=plan, closed_on=today(), reason="Moved school")


def test_an_audit_event_keeps_what_a_section_said_before_and_after(teacher, learner):
    actor = acting(teacher)
    plan = started_plan(actor, learner, IEP)
    write_section(actor, plan, "additional_support_needs", "First words")

    write_section(actor, plan, "additional_support_needs", "Second words")

    event = AuditEvent.objects.filter(learner_key__learner=learner, purpose="write plan section")[0]
    assert event.user == teacher
    # Which section changed, never its words (ADR 0033).
    assert event.changes == {"section:additional_support_needs": "changed"}


# ---------------------------------------------------------------------------------------------
# Reviews


def test_a_review_records_progress_on_each_target_in_the_words_given(teacher, learner):
    plan = reviewable_plan(teacher, learner)
    first, second = plan.targets.order_by("pk")

    review = plan_review_record(
        actor=acting(teacher),
        plan=plan,
        held_on=today(),
        attendees="Class teacher, Ailsa, her mum",
        views_beforehand="Ailsa says reading is easier now.",
        progress=[
            TargetProgressEntry(target=first, progress="achieved", evidence="Reads 45 wpm"),
            TargetProgressEntry(target=second, progress="not_achieved", evidence="Absent"),
        ],
        decision="continue",
        next_review_on=today() + timedelta(days=180),
    )

    rows = {
        row.target_id: (row.target_outcome, row.progress, row.evidence)
        for row in TargetReview.objects.filter(review=review)
    }
    assert rows == {
        first.pk: (first.outcome, "achieved", "Reads 45 wpm"),
        second.pk: (second.outcome, "not_achieved", "Absent"),
    }
    assert review.version_number == 1


def test_a_review_must_record_progress_on_every_target(teacher, learner):
    plan = reviewable_plan(teacher, learner)

    with pytest.raises(ValidationError) as error:
        plan_review_record(
            actor=acting(teacher),
            plan=plan,
            held_on=today(),
            attendees="Class teacher",
            views_beforehand="",
            progress=progress_on_every_target(plan)[:1],
            decision="continue",
            next_review_on=today() + timedelta(days=180),
        )

    assert error.value.message_dict["progress"] == ["Record progress on every target in the plan."]
    assert not PlanReview.objects.exists()


def test_a_review_must_give_evidence_for_the_progress_on_every_target(teacher, learner):
    plan = reviewable_plan(teacher, learner)
    first, second = plan.targets.order_by("pk")

    with pytest.raises(ValidationError) as error:
        plan_review_record(
            actor=acting(teacher),
            plan=plan,
            held_on=today(),
            attendees="Class teacher",
            views_beforehand="",
            progress=[
                TargetProgressEntry(target=first, progress="achieved", evidence="Reads 45 wpm"),
                TargetProgressEntry(target=second, progress="achieved", evidence="  "),
            ],
            decision="continue",
            next_review_on=today() + timedelta(days=180),
        )

    assert error.value.message_dict["progress"] == [
        "Give the evidence for the progress on every target."
    ]
    assert not TargetReview.objects.exists()


def test_a_review_must_choose_a_progress_for_every_target(teacher, learner):
    plan = reviewable_plan(teacher, learner)
    entries = progress_on_every_target(plan)
    entries[1] = TargetProgressEntry(target=entries[1].target, progress="", evidence="Seen")

    with pytest.raises(ValidationError) as error:
        plan_review_record(
            actor=acting(teacher),
            plan=plan,
            held_on=today(),
            attendees="Class teacher",
            views_beforehand="",
            progress=entries,
            decision="continue",
            next_review_on=today() + timedelta(days=180),
        )

    assert "progress" in error.value.message_dict


@pytest.mark.parametrize(
    ("decision", "status", "version_number"),
    [
        ("continue", PlanStatus.ACTIVE, 1),
        ("change_support", PlanStatus.REVISION, 2),
        ("close", PlanStatus.CLOSED, 1),
    ],
)
def test_a_reviews_decision_moves_the_plan_on(teacher, learner, decision, status, version_number):
    plan = reviewable_plan(teacher, learner)
    plan_review_begin(actor=acting(teacher), plan=plan)

    plan_review_record(
        actor=acting(teacher),
        plan=plan,
        held_on=today(),
        attendees="Class teacher, parent",
        views_beforehand="",
        progress=progress_on_every_target(plan),
        decision=decision,
        decision_notes="Agreed at the meeting",
        next_review_on=today() + timedelta(days=180),
    )

    plan.refresh_from_db()
    assert plan.status == status
    assert plan.version_number == version_number
    assert PlanVersion.objects.filter(plan=plan).count() == 1
    if status == PlanStatus.CLOSED:
        assert plan.closed_on == today()
        assert plan.next_review_on is None
    else:
        assert plan.next_review_on == today() + timedelta(days=180)


def test_a_review_that_continues_the_plan_needs_the_next_review_date(teacher, learner):
    plan = reviewable_plan(teacher, learner)

    with pytest.raises(ValidationError) as error:
        plan_review_record(
            actor=acting(teacher),
            plan=plan,
            held_on=today(),
            attendees="Class teacher",
            views_beforehand="",
            progress=progress_on_every_target(plan),
            decision="continue",
            next_review_on=None,
        )

    assert "next_review_on" in error.value.message_dict


def test_a_draft_cannot_be_reviewed(teacher, learner):
    plan = complete_plan(acting(teacher), learner, IEP)

    with pytest.raises(ValidationError):
        plan_review_record(
            actor=acting(teacher),
            plan=plan,
            held_on=today(),
            attendees="Class teacher",
            views_beforehand="",
            progress=progress_on_every_target(plan),
            decision="continue",
            next_review_on=today() + timedelta(days=180),
        )


# ---------------------------------------------------------------------------------------------
# The family's response, and communicating the plan


@pytest.mark.parametrize("responder", ["parent", "young_person"])
def test_a_parent_or_young_person_may_respond_to_the_plan(request, teacher, learner, responder):
    user = request.getfixturevalue(responder)
    plan = finalised_plan(acting(teacher), learner, IEP)

    response = plan_response_record(actor=acting(user), plan=plan, response="agreed")

    assert response.responder == user
    assert response.version_number == 1


@pytest.mark.parametrize("staff", ["teacher", "support_lead", "head", "authority_officer"])
def test_staff_cannot_respond_to_a_plan_on_the_familys_behalf(request, teacher, learner, staff):
    plan = finalised_plan(acting(teacher), learner, IEP)

    with pytest.raises(PermissionDenied):
        plan_response_record(
            actor=acting(request.getfixturevalue(staff)), plan=plan, response="agreed"
        )

    assert not PlanResponse.objects.exists()


def test_disagreeing_with_the_plan_needs_words(teacher, parent, learner):
    plan = finalised_plan(acting(teacher), learner, IEP)

    with pytest.raises(ValidationError) as error:
        plan_response_record(actor=acting(parent), plan=plan, response="disagreed", words=" \n ")

    assert "words" in error.value.message_dict
    assert not PlanResponse.objects.exists()


def test_the_familys_words_are_stored_exactly_as_given(teacher, parent, learner):
    plan = finalised_plan(acting(teacher), learner, IEP)
    words = "  I don't agree with target 2.\n\nShe needs *more* time — <b>not</b> less.  \n"

    plan_response_record(actor=acting(parent), plan=plan, response="disagreed", words=words)

    assert PlanResponse.objects.get(plan=plan).words == words


def test_a_family_cannot_respond_to_a_draft(teacher, parent, learner):
    plan = complete_plan(acting(teacher), learner, IEP)

    with pytest.raises(ValidationError):
        plan_response_record(actor=acting(parent), plan=plan, response="agreed")


def test_views_are_stored_exactly_as_given(teacher, learner):
    actor = acting(teacher)
    plan = started_plan(actor, learner, IEP)
    words = "  I like it when Miss reads with me.\nNot when it's loud!  "

    view = view_add(
        actor=actor,
        plan=plan,
        kind=ViewKind.LEARNER,
        speaker="Ailsa",
        words=words,
        gathered_on=today(),
    )

    view.refresh_from_db()
    assert view.words == words


def test_sharing_the_plan_cannot_be_recorded_before_it_is_finalised(teacher, learner):
    plan = complete_plan(acting(teacher), learner, IEP)

    with pytest.raises(ValidationError) as error:
        plan_communication_record(
            actor=acting(teacher),
            plan=plan,
            recipient="Claire Campbell",
            recipient_kind="parent",
            sent_on=today(),
            format="paper",
        )

    assert refusal(error) == "A plan can be shared once it has been finalised."
    assert not PlanCommunication.objects.exists()


def test_sharing_a_finalised_plan_is_recorded_against_its_version(teacher, learner):
    plan = finalised_plan(acting(teacher), learner, IEP)

    communication = plan_communication_record(
        actor=acting(teacher),
        plan=plan,
        recipient="Claire Campbell",
        recipient_kind="parent",
        sent_on=today(),
        format="paper",
    )

    assert communication.version_number == 1


def test_sharing_cannot_be_dated_before_the_plan_was_finalised(teacher, learner):
    plan = finalised_plan(acting(teacher), learner, IEP)

    with pytest.raises(ValidationError) as error:
        plan_communication_record(
            actor=acting(teacher),
            plan=plan,
            recipient="Claire Campbell",
            recipient_kind="parent",
            sent_on=today() - timedelta(days=1),
            format="paper",
        )

    assert "sent_on" in error.value.message_dict


def test_families_cannot_change_plans(parent, teacher, learner):
    plan = started_plan(acting(teacher), learner, IEP)

    with pytest.raises(PermissionDenied):
        target_add(actor=acting(parent), plan=plan, outcome="Written by a parent")
    with pytest.raises(PermissionDenied):
        plan_create(
            actor=acting(parent), learner=learner, plan_type=plan_type("personal_learning_plan")
        )

    assert not Target.objects.exists()
