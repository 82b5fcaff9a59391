"""The configuration admin site: rule tables change there with an audit event and a version for
every row, and nothing that decides who may see or do what changes there at all (ADR 0008)."""

from typing import TYPE_CHECKING, Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.forms import CheckboxInput
from django.test import Client, RequestFactory
from django.urls import reverse

from stagewise.accounts.models import User
from stagewise.audit.admin import ReadOnlyAdmin, RuleTableAdmin
from stagewise.audit.models import AuditAction, AuditEvent
from stagewise.coordination.models import RequestForAssistance, SharingConsent
from stagewise.data_protection.models import RetentionSchedule
from stagewise.learners.models import (
    Carer,
    Enrolment,
    Learner,
    LearnerCarer,
    StaffRelationship,
)
from stagewise.organisations.models import (
    Agency,
    LocalAuthority,
    Membership,
    Nation,
    Role,
    Setting,
)
from stagewise.organisations.public_information_models import AdviceService
from stagewise.planning.models import LocalPlanTypeName, PlanSection, PlanType
from stagewise.statutory.models import (
    AdditionalLearningProvisionOffer,
    AuthorityStageModel,
    LocalStage,
    LocalThresholdDescriptor,
    NationalThresholdDescriptor,
    ReasonForSupport,
    SchoolCalendarPeriod,
    StageModel,
    StageSuggestionRule,
    StatutoryTimescale,
)
from stagewise.testing.factories import SettingFactory, UserFactory, with_authenticator_app
from stagewise.transfers.models import SigningKey, TrustedKey
from stagewise.transfers.signing import key_pair_new

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

pytestmark = pytest.mark.django_db

RULE_TABLES = {
    ReasonForSupport,
    StageModel,
    AuthorityStageModel,
    PlanType,
    LocalPlanTypeName,
    StatutoryTimescale,
    SchoolCalendarPeriod,
    AdviceService,
    RetentionSchedule,
    NationalThresholdDescriptor,
    LocalThresholdDescriptor,
    StageSuggestionRule,
    AdditionalLearningProvisionOffer,
    TrustedKey,
}
RULE_TABLE_INLINES = {LocalStage, PlanSection}

# Everything whose rows decide who may see which learner, who may sign in, or who may use this site.
DECIDES_ACCESS = [
    Membership,
    Setting,
    Agency,
    LocalAuthority,
    Nation,
    User,
    EmailAddress,
    Authenticator,
    Group,
    Permission,
    Learner,
    Enrolment,
    Carer,
    LearnerCarer,
    StaffRelationship,
    RequestForAssistance,
    SharingConsent,
]


def staff_member(*permissions: str) -> User:
    """Someone who may use the admin site with exactly these permissions, and is no superuser."""
    user = with_authenticator_app(
        UserFactory.create(email="rules.editor@example.org", full_name="Rhona Rules", is_staff=True)
    )
    for permission in permissions:
        app_label, codename = permission.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user


def signed_in_as(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def superuser() -> User:
    return with_authenticator_app(
        User.objects.create_superuser("super@example.org", "a-long-passphrase-for-tests")
    )


def submitted_unchanged(response: "TestResponse") -> dict[str, Any]:
    """A change form's data as a browser would submit it untouched, inlines included."""
    data: dict[str, Any] = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms.append(inline.formset.management_form)
        forms.extend(inline.formset.forms)
    for form in forms:
        for bound in form:
            value = bound.value()
            if isinstance(bound.field.widget, CheckboxInput):
                if value:
                    data[bound.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[bound.html_name] = [str(item) for item in value]
            else:
                data[bound.html_name] = "" if value is None else str(value)
    return data


def change_url(obj: Any) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


# What the admin site holds --------------------------------------------------------------------


def test_every_model_in_the_admin_site_is_an_audited_rule_table_or_read_only(
    rf: RequestFactory, superuser: User
) -> None:
    request = rf.get("/django-admin/")
    request.user = superuser

    registered = admin.site._registry
    assert {model for model in registered if model in RULE_TABLES} == RULE_TABLES
    for model, model_admin in registered.items():
        if model in RULE_TABLES:
            assert isinstance(model_admin, RuleTableAdmin), model.__name__
            inline_models = {inline.model for inline in model_admin.inlines}
            assert inline_models <= RULE_TABLE_INLINES, model.__name__
            continue
        assert isinstance(model_admin, ReadOnlyAdmin), model.__name__
        assert not model_admin.has_add_permission(request), model.__name__
        assert not model_admin.has_change_permission(request), model.__name__
        assert not model_admin.has_delete_permission(request), model.__name__
        assert model_admin.has_view_permission(request), model.__name__


def test_nothing_that_decides_who_sees_what_can_be_changed_in_the_admin_site(
    rf: RequestFactory, superuser: User
) -> None:
    request = rf.get("/django-admin/")
    request.user = superuser

    for model in DECIDES_ACCESS:
        model_admin = admin.site._registry.get(model)
        if model_admin is None:
            continue
        assert not model_admin.has_add_permission(request), model.__name__
        assert not model_admin.has_change_permission(request), model.__name__
        assert not model_admin.has_delete_permission(request), model.__name__


def test_no_learner_data_audit_event_history_or_sign_in_secret_is_in_the_admin_site() -> None:
    registered = admin.site._registry
    assert not admin.site.is_registered(EmailAddress)
    assert not admin.site.is_registered(Authenticator)
    assert not {model for model in registered if model._meta.app_label in {"learners", "audit"}}
    assert not [model for model in registered if model.__name__.startswith("Historical")]
    assert not admin.site.is_registered(PlanSection)  # changed within its plan type
    assert not admin.site.is_registered(LocalStage)  # changed within its stage model


def test_even_a_superuser_cannot_change_add_or_remove_a_membership_in_the_admin_site(
    superuser: User,
) -> None:
    teacher = UserFactory.create(email="teacher@example.org")
    school = Setting.objects.create(
        authority=LocalAuthority.objects.get(name="Glasgow City"),
        name="Riverside Primary School",
        setting_type="primary",
    )
    membership = Membership.objects.create(
        user=teacher, role=Role.CLASS_TEACHER, setting=school, started_on="2020-08-01"
    )
    client = signed_in_as(superuser)

    assert client.get(change_url(membership)).status_code == 200  # shown, read-only
    changed = client.post(
        change_url(membership), {"role": Role.HEAD_TEACHER, "started_on": "2020-08-01"}
    )
    added = client.post(
        reverse("admin:organisations_membership_add"),
        {"user": teacher.pk, "role": Role.HEAD_TEACHER, "setting": school.pk},
    )
    removed = client.post(
        reverse("admin:organisations_membership_delete", args=[membership.pk]), {"post": "yes"}
    )

    assert (changed.status_code, added.status_code, removed.status_code) == (403, 403, 403)
    assert list(Membership.objects.values_list("role", flat=True)) == [Role.CLASS_TEACHER]
    assert not AuditEvent.objects.exists()


# Rule changes are audited and versioned -----------------------------------------------------


def test_a_staff_member_with_permission_changes_a_code_list_and_it_is_audited_and_versioned() -> (
    None
):
    editor = staff_member("statutory.view_reasonforsupport", "statutory.change_reasonforsupport")
    reason = ReasonForSupport.objects.get(nation__code="scotland", code="11")
    old_label = reason.label
    client = signed_in_as(editor)

    index = client.get(reverse("admin:index")).content.decode()
    assert "Reasons for support" in index
    data = submitted_unchanged(client.get(change_url(reason)))
    data["label"] = "Dyslexia (including other specific learning difficulties)"
    response = client.post(change_url(reason), data)

    assert response.status_code == 302
    event = AuditEvent.objects.get()
    assert event.action == AuditAction.UPDATE
    assert event.user == editor
    assert event.user_label == "Rhona Rules <rules.editor@example.org>"
    assert (event.object_type, event.object_id) == ("reasonforsupport", str(reason.pk))
    assert event.changes == {
        "label": [old_label, "Dyslexia (including other specific learning difficulties)"]
    }
    latest, previous = reason.history.all()[:2]
    assert (latest.history_type, latest.history_user, latest.label) == (
        "~",
        editor,
        "Dyslexia (including other specific learning difficulties)",
    )
    assert previous.label == old_label


def test_saving_a_rule_unchanged_records_nothing(superuser: User) -> None:
    reason = ReasonForSupport.objects.get(nation__code="scotland", code="11")
    client = signed_in_as(superuser)

    client.post(change_url(reason), submitted_unchanged(client.get(change_url(reason))))

    assert not AuditEvent.objects.exists()


def test_a_section_changed_inside_its_plan_type_is_recorded_as_that_section() -> None:
    editor = staff_member(
        "planning.view_plantype",
        "planning.change_plantype",
        "planning.view_plansection",
        "planning.change_plansection",
    )
    plan_type = PlanType.objects.get(key="coordinated_support_plan")
    section = plan_type.sections.order_by("order").first()
    assert section is not None
    client = signed_in_as(editor)

    data = submitted_unchanged(client.get(change_url(plan_type)))
    index = next(
        key.split("-")[1]
        for key, value in data.items()
        if key.endswith("-id") and value == str(section.pk)
    )
    data[f"sections-{index}-title"] = "Profile of the child or young person"
    response = client.post(change_url(plan_type), data)

    assert response.status_code == 302
    event = AuditEvent.objects.get()
    assert (event.object_type, event.object_id) == ("plansection", str(section.pk))
    assert event.changes == {"title": [section.title, "Profile of the child or young person"]}
    assert event.detail == {
        "record": "Profile of the child or young person",
        "within": f"plan type: {plan_type.name}",
    }
    assert section.history.first().history_user == editor


def test_the_sign_off_roles_of_a_plan_type_cannot_be_changed_in_the_admin_site(
    superuser: User,
) -> None:
    plan_type = PlanType.objects.get(key="coordinated_support_plan")
    roles = plan_type.sign_off_roles
    client = signed_in_as(superuser)

    data = submitted_unchanged(client.get(change_url(plan_type)))
    data["sign_off_roles"] = '["class_teacher"]'
    client.post(change_url(plan_type), data)

    plan_type.refresh_from_db()
    assert plan_type.sign_off_roles == roles


def test_adding_a_rule_records_every_value_as_new() -> None:
    editor = staff_member(
        "planning.add_localplantypename",
        "planning.view_localplantypename",
        "organisations.view_localauthority",
    )
    glasgow = LocalAuthority.objects.get(name="Glasgow City")
    plan_type = PlanType.objects.get(key="childs_plan")

    response = signed_in_as(editor).post(
        reverse("admin:planning_localplantypename_add"),
        {
            "authority": glasgow.pk,
            "plan_type": plan_type.pk,
            "name": "Glasgow child's plan",
            "name_cy": "",
        },
    )

    assert response.status_code == 302
    added = LocalPlanTypeName.objects.get()
    event = AuditEvent.objects.get()
    assert (event.action, event.object_id) == (AuditAction.CREATE, str(added.pk))
    assert event.changes == {
        "authority": [None, "Glasgow City"],
        "plan_type": [None, plan_type.name],
        "name": [None, "Glasgow child's plan"],
        "name_cy": [None, ""],
    }
    assert added.history.get().history_type == "+"


def test_removing_a_stage_model_records_it_and_each_stage_removed_with_it(superuser: User) -> None:
    stage_model = StageModel.objects.create(
        key="trial",
        name="Trial model",
        nation=Nation.objects.get(code="scotland"),
        source="Test",
        version="1",
    )
    stages = [
        LocalStage.objects.create(
            stage_model=stage_model, order=order, label=label, national_stage="universal"
        )
        for order, label in ((1, "Universal support"), (2, "Extra support"))
    ]

    response = signed_in_as(superuser).post(
        reverse("admin:statutory_stagemodel_delete", args=[stage_model.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not StageModel.objects.filter(key="trial").exists()
    events = AuditEvent.objects.filter(action=AuditAction.DELETE)
    assert sorted((event.object_type, event.object_id) for event in events) == sorted(
        [("stagemodel", str(stage_model.pk))] + [("localstage", str(stage.pk)) for stage in stages]
    )
    removed_model = events.get(object_type="stagemodel")
    assert removed_model.changes["name"] == ["Trial model", None]  # type: ignore[index]
    assert StageModel.history.filter(id=stage_model.pk, history_type="-").exists()
    assert LocalStage.history.filter(history_type="-", stage_model_id=stage_model.pk).count() == 2


def test_removing_several_rules_from_the_list_records_each(superuser: User) -> None:
    plan_type = PlanType.objects.get(key="childs_plan")
    names = [
        LocalPlanTypeName.objects.create(
            authority=LocalAuthority.objects.get(name=authority), plan_type=plan_type, name=name
        )
        for authority, name in (("Glasgow City", "Glasgow plan"), ("Fife", "Fife plan"))
    ]

    signed_in_as(superuser).post(
        reverse("admin:planning_localplantypename_changelist"),
        {"action": "delete_selected", "_selected_action": [n.pk for n in names], "post": "yes"},
    )

    assert not LocalPlanTypeName.objects.exists()
    assert sorted(
        AuditEvent.objects.filter(action=AuditAction.DELETE).values_list("object_id", flat=True)
    ) == sorted(str(name.pk) for name in names)


def test_the_history_page_shows_who_changed_a_rule(superuser: User) -> None:
    reason = ReasonForSupport.objects.get(nation__code="scotland", code="11")
    editor = staff_member("statutory.view_reasonforsupport", "statutory.change_reasonforsupport")
    client = signed_in_as(editor)
    data = submitted_unchanged(client.get(change_url(reason)))
    data["label"] = "Specific learning difficulty"
    client.post(change_url(reason), data)

    history = signed_in_as(superuser).get(
        reverse("admin:statutory_reasonforsupport_history", args=[reason.pk])
    )

    assert history.status_code == 200
    page = history.content.decode()
    assert "Rhona Rules" in page
    assert "Specific learning difficulty" in page


def test_someone_who_may_only_view_a_rule_cannot_revert_it() -> None:
    reason = ReasonForSupport.objects.get(nation__code="scotland", code="11")
    first_version = reason.history.get()
    reason.label = "Changed since"
    reason.save()
    viewer = staff_member("statutory.view_reasonforsupport")

    response = signed_in_as(viewer).post(
        reverse(
            "admin:statutory_reasonforsupport_simple_history",
            args=[reason.pk, first_version.history_id],
        ),
        {"label": first_version.label},
    )

    assert response.status_code == 403
    reason.refresh_from_db()
    assert reason.label == "Changed since"


def test_anyone_who_may_use_the_admin_site_must_set_up_two_factor_first(settings: Any) -> None:
    settings.STAFF_TWO_FACTOR_REQUIRED = True
    editor = UserFactory.create(email="no.authenticator@example.org", is_staff=True)

    response = signed_in_as(editor).get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_a_stage_removed_inside_its_stage_model_is_recorded_as_that_stage(
    superuser: User,
) -> None:
    stage_model = StageModel.objects.create(
        key="trial",
        name="Trial model",
        nation=Nation.objects.get(code="scotland"),
        source="Test",
        version="1",
    )
    kept, removed = (
        LocalStage.objects.create(
            stage_model=stage_model, order=order, label=label, national_stage="universal"
        )
        for order, label in ((1, "Universal support"), (2, "Extra support"))
    )
    client = signed_in_as(superuser)

    data = submitted_unchanged(client.get(change_url(stage_model)))
    index = next(
        key.split("-")[1]
        for key, value in data.items()
        if key.endswith("-id") and value == str(removed.pk)
    )
    data[f"stages-{index}-DELETE"] = "on"
    response = client.post(change_url(stage_model), data)

    assert response.status_code == 302
    assert list(stage_model.stages.all()) == [kept]
    event = AuditEvent.objects.get()
    assert (event.action, event.object_type, event.object_id) == (
        AuditAction.DELETE,
        "localstage",
        str(removed.pk),
    )
    assert event.changes["label"] == ["Extra support", None]  # type: ignore[index]
    assert event.detail == {
        "record": "Extra support",
        "within": "staged intervention model: Trial model",
    }


def test_every_list_change_and_history_page_of_the_admin_site_opens(
    superuser: User, teacher: User
) -> None:
    Group.objects.create(name="Rule editors")
    LocalPlanTypeName.objects.create(
        authority=LocalAuthority.objects.get(name="Glasgow City"),
        plan_type=PlanType.objects.get(key="childs_plan"),
        name="Glasgow child's plan",
    )
    glasgow_stage_1 = LocalStage.objects.get(stage_model__key="glasgow", order=1)
    LocalThresholdDescriptor.objects.create(
        authority=LocalAuthority.objects.get(name="Glasgow City"),
        local_stage=glasgow_stage_1,
        national_descriptor=NationalThresholdDescriptor.objects.get(key="scotland-universal-needs"),
        wording="Needs met in class.",
        source="Test",
        version="1",
    )
    AdditionalLearningProvisionOffer.objects.create(
        setting=SettingFactory.create(authority=LocalAuthority.objects.get(name="Cardiff")),
        reason=ReasonForSupport.objects.get(nation__code="wales", code="DYSL"),
        provision="Structured phonics",
        source="Test",
        version="1",
    )
    key_id, public_key, encrypted = key_pair_new()
    SigningKey.objects.create(
        authority=LocalAuthority.objects.get(name="Fife"),
        key_id=key_id,
        public_key=public_key,
        encrypted_private_key=encrypted,
    )
    TrustedKey.objects.create(organisation_name="Fife", key_id=key_id, public_key=public_key)
    client = signed_in_as(superuser)

    assert client.get(reverse("admin:index")).status_code == 200
    for model in admin.site._registry:
        opts = model._meta
        prefix = f"admin:{opts.app_label}_{opts.model_name}"
        assert client.get(reverse(f"{prefix}_changelist")).status_code == 200, opts.label
        row = model._default_manager.first()
        assert row is not None, opts.label
        assert client.get(change_url(row)).status_code == 200, opts.label
        assert client.get(reverse(f"{prefix}_history", args=[row.pk])).status_code == 200
