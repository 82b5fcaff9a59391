"""Administrators keep threshold descriptors in the configuration admin: every change is an audit
event and a version in the descriptor's history, a wrong mapping is refused with its reason, and
a removal that would leave a national stage without a descriptor is refused naming the stage."""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from stagewise.accounts.models import User
from stagewise.audit.models import AuditAction, AuditEvent
from stagewise.organisations.models import LocalAuthority
from stagewise.statutory.models import (
    LocalThresholdDescriptor,
    NationalThresholdDescriptor,
    StageSuggestionRule,
)
from stagewise.statutory.services.thresholds import (
    LocalDescriptorRow,
    local_threshold_descriptors_add,
)
from stagewise.testing.factories import with_authenticator_app

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor() -> User:
    return with_authenticator_app(
        User.objects.create_superuser("rules@example.org", "a-long-passphrase-for-tests")
    )


@pytest.fixture
def client(editor: User) -> Client:
    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture
def highland() -> list[LocalThresholdDescriptor]:
    """Highland (on the shared national frame): one descriptor for each national stage, and a
    second for targeted."""
    return local_threshold_descriptors_add(
        authority=LocalAuthority.objects.get(name="Highland"),
        rows=[
            LocalDescriptorRow(order, key, words, "Highland Council guidance", "2026")
            for order, key, words in (
                (1, "scotland-universal-needs", "Met in class."),
                (2, "scotland-targeted-needs", "Needs a plan of its own."),
                (2, "scotland-targeted-support-required", "Support for learning staff."),
                (3, "scotland-specialist-needs", "Complex or multiple needs."),
            )
        ],
    )


def change_url(row: LocalThresholdDescriptor) -> str:
    return reverse("admin:statutory_localthresholddescriptor_change", args=[row.pk])


def form_data(row: LocalThresholdDescriptor, **changes: object) -> dict[str, object]:
    return {
        "authority": row.authority_id,
        "local_stage": row.local_stage_id,
        "national_descriptor": row.national_descriptor_id,
        "wording": row.wording,
        "wording_cy": row.wording_cy,
        "source": row.source,
        "version": row.version,
        "order": row.order,
    } | changes


def test_an_edit_is_audited_with_before_and_after_and_versioned(
    client: Client, editor: User, highland: list[LocalThresholdDescriptor]
) -> None:
    universal = highland[0]
    before = AuditEvent.objects.count()

    response = client.post(
        change_url(universal), form_data(universal, wording="Met in class with adjustments.")
    )

    assert response.status_code == 302
    event = AuditEvent.objects.order_by("pk").last()
    assert AuditEvent.objects.count() == before + 1
    assert event is not None and event.action == AuditAction.UPDATE
    assert event.user == editor
    assert event.changes == {"wording": ["Met in class.", "Met in class with adjustments."]}
    latest, first = universal.history.all()[:2]
    assert (latest.history_user, latest.wording) == (editor, "Met in class with adjustments.")
    assert first.wording == "Met in class."


def test_a_mapping_onto_another_national_stage_is_refused_on_the_form(
    client: Client, highland: list[LocalThresholdDescriptor]
) -> None:
    universal = highland[0]
    specialist = NationalThresholdDescriptor.objects.get(key="scotland-specialist-needs")

    response = client.post(
        change_url(universal), form_data(universal, national_descriptor=specialist.pk)
    )

    assert response.status_code == 200
    assert (
        "Universal maps onto the national stage Universal, but that national descriptor "
        "describes Specialist" in response.content.decode()
    )
    universal.refresh_from_db()
    assert universal.national_descriptor.key == "scotland-universal-needs"


def test_removing_the_last_descriptor_of_a_national_stage_is_refused_naming_it(
    client: Client, highland: list[LocalThresholdDescriptor]
) -> None:
    specialist = highland[3]
    url = reverse("admin:statutory_localthresholddescriptor_delete", args=[specialist.pk])

    response = client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert response["Location"] == change_url(specialist)
    assert [str(message) for message in get_messages(response.wsgi_request)] == [
        "This would leave the national stage Specialist with no threshold descriptor for "
        "Highland: each national stage its stages map onto needs at least one. Add another "
        "descriptor for Specialist first."
    ]
    assert LocalThresholdDescriptor.objects.filter(pk=specialist.pk).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.DELETE).exists()


def test_removing_one_of_two_is_allowed_audited_and_versioned(
    client: Client, highland: list[LocalThresholdDescriptor]
) -> None:
    second_targeted = highland[2]
    url = reverse("admin:statutory_localthresholddescriptor_delete", args=[second_targeted.pk])

    response = client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert not LocalThresholdDescriptor.objects.filter(pk=second_targeted.pk).exists()
    event = AuditEvent.objects.get(action=AuditAction.DELETE)
    assert event.object_id == str(second_targeted.pk)
    assert LocalThresholdDescriptor.history.filter(id=second_targeted.pk, history_type="-").exists()


def test_descriptors_are_not_removed_in_bulk(
    client: Client, highland: list[LocalThresholdDescriptor]
) -> None:
    response = client.get(reverse("admin:statutory_localthresholddescriptor_changelist"))

    assert response.status_code == 200
    assert "delete_selected" not in response.content.decode()


def test_a_national_descriptor_that_local_ones_map_onto_cannot_be_removed(
    client: Client, highland: list[LocalThresholdDescriptor]
) -> None:
    needs = NationalThresholdDescriptor.objects.get(key="scotland-universal-needs")

    client.post(
        reverse("admin:statutory_nationalthresholddescriptor_delete", args=[needs.pk]),
        {"post": "yes"},
    )

    assert NationalThresholdDescriptor.objects.filter(pk=needs.pk).exists()


def test_the_form_names_each_stage_with_its_model_and_national_stage(client: Client) -> None:
    page = client.get(reverse("admin:statutory_localthresholddescriptor_add")).content.decode()

    assert "Glasgow staged intervention: Stage 3 (Specialist)" in page
    assert "Shared national frame: Universal (Universal)" in page


# How many descriptors suggest a stage (ADR 0047): a rule per nation and stage, kept the same way.


def rule_data(rule: StageSuggestionRule, **changes: object) -> dict[str, object]:
    return {
        "descriptors_needed": rule.descriptors_needed,
        "source": rule.source,
        "version": rule.version,
    } | changes


def test_both_nations_have_a_suggestion_rule_for_targeted_and_specialist() -> None:
    assert sorted(
        StageSuggestionRule.objects.values_list(
            "nation__code", "national_stage", "descriptors_needed"
        )
    ) == [
        ("scotland", "specialist", 3),
        ("scotland", "targeted", 3),
        ("wales", "specialist", 3),
        ("wales", "targeted", 3),
    ]


def test_a_suggestion_rule_is_corrected_with_an_audit_event_and_a_version(
    client: Client, editor: User
) -> None:
    rule = StageSuggestionRule.objects.get(nation__code="wales", national_stage="specialist")
    address = reverse("admin:statutory_stagesuggestionrule_change", args=[rule.pk])

    response = client.post(address, rule_data(rule, descriptors_needed=4, version="2027-01"))

    assert response.status_code == 302
    event = AuditEvent.objects.order_by("pk").last()
    assert event is not None and event.user == editor
    assert event.changes is not None and event.changes["descriptors_needed"] == [3, 4]
    assert [row.descriptors_needed for row in rule.history.all()] == [4, 3]


def test_a_suggestion_rule_outside_one_to_five_is_refused_and_none_is_removed(
    client: Client,
) -> None:
    rule = StageSuggestionRule.objects.get(nation__code="scotland", national_stage="targeted")
    address = reverse("admin:statutory_stagesuggestionrule_change", args=[rule.pk])

    response = client.post(address, rule_data(rule, descriptors_needed=6))
    removal = client.get(reverse("admin:statutory_stagesuggestionrule_delete", args=[rule.pk]))

    assert response.status_code == 200
    assert "Enter a number from 1 to 5: a stage has 5 descriptors." in response.content.decode()
    rule.refresh_from_db()
    assert rule.descriptors_needed == 3
    assert removal.status_code == 403


def test_universal_has_no_suggestion_rule() -> None:
    rule = StageSuggestionRule(
        nation_id=StageSuggestionRule.objects.values_list("nation_id", flat=True)[0],
        national_stage="universal",
        descriptors_needed=2,
        source="A source",
        version="1",
    )

    with pytest.raises(ValidationError) as refused:
        rule.full_clean()

    assert "Universal is suggested when no other stage is" in str(refused.value)
