"""Record transfer (ADR 0053): what a document refuses, and the import pages. Riverside Primary
School (Glasgow) sends Ailsa's record to Harbourside Primary School (Fife), or to Ysgol Glan Taf
(Cardiff) where she needs a Welsh number; Megan's goes from Cardiff to Fife. In a world built once
for the module where one database stands for two deployments (testing/transfers.py); every
test's changes are rolled back. The same journey through the demo world is in
synthetic/tests/test_demo_world.py."""

import base64
import copy
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from stagewise.accounts.actors import Actor
from stagewise.audit.models import AuditAction, AuditEvent
from stagewise.conftest import World, build_world, make_administrator, staff_member
from stagewise.data_protection.subject_access import subject_access_bundle
from stagewise.learners.models import ChronologyEntry, Learner, LearnerCarer
from stagewise.learners.services import chronology_record
from stagewise.organisations.models import Role, Setting
from stagewise.testing.factories import SettingFactory, authority, enrolled_learner, link_carer
from stagewise.testing.plans import acting, finalised_plan
from stagewise.testing.transfers import SENDER, sent_elsewhere
from stagewise.testing.worlds import built_once_per_module
from stagewise.testing.writes import tables_written
from stagewise.transfers import services as transfer_services
from stagewise.transfers import signing
from stagewise.transfers.document import schema, schema_problems
from stagewise.transfers.models import ReceivedTransfer, SigningKey, TrustedKey
from stagewise.transfers.services import (
    NEW_LEARNER,
    NUMBER_NEEDED,
    record_transfer_check,
    record_transfer_export,
    record_transfer_import,
    signing_key_replace,
)

DOCS = Path(__file__).resolve().parents[4] / "docs" / "record-transfer"
RESTRICTED_SUMMARY = "Disclosure made to the head teacher; see the child protection file."

pytestmark = pytest.mark.django_db


# Unique Pupil Numbers with their check letters (the learner's number in Wales).
UPN = "U681200100123"
OTHER_UPN = "L681200100456"


@dataclass
class Transfer:
    world: World
    sender: Actor
    receiver: Actor
    administrator: Actor
    # In Wales: a school, its support-for-learning lead (the ALNCo), and a learner there.
    welsh_school: Setting
    alnco: Actor
    welsh_learner: Learner


def _build() -> Transfer:
    world = build_world()
    welsh_school = SettingFactory.create(authority=authority("Cardiff"), name="Ysgol Glan Taf")
    alnco = acting(
        staff_member("glantaf@example.org", Role.SUPPORT_FOR_LEARNING_LEAD, setting=welsh_school)
    )
    welsh_learner = enrolled_learner(
        welsh_school, year_group="Y6", candidate_number=OTHER_UPN, legal_first_name="Megan"
    )
    sender = acting(
        staff_member("riverside@example.org", Role.SUPPORT_FOR_LEARNING_LEAD, setting=world.school)
    )
    receiver = acting(
        staff_member(
            "harbourside@example.org", Role.SUPPORT_FOR_LEARNING_LEAD, setting=world.fife_school
        )
    )
    finalised_plan(sender, world.learner, "individualised_educational_programme")
    link_carer(world.learner)
    for summary, restricted in (("Started at Riverside.", False), (RESTRICTED_SUMMARY, True)):
        chronology_record(
            actor=sender,
            learner=world.learner,
            entry_type="education",
            occurred_on=date(2026, 1, 12),
            summary=summary,
            source="Head teacher",
            restricted=restricted,
        )
    return Transfer(
        world,
        sender,
        receiver,
        acting(make_administrator(world)),
        welsh_school,
        alnco,
        welsh_learner,
    )


@pytest.fixture(scope="module")
def transfer(django_db_setup, django_db_blocker):
    with built_once_per_module(_build, django_db_blocker) as built:
        yield built


@pytest.fixture
def sent(transfer, db) -> bytes:
    return sent_elsewhere(transfer.sender, transfer.world.learner)


def test_the_document_carries_what_the_receiving_school_may_see_and_its_export_is_audited(
    transfer, sent
):
    envelope = json.loads(sent)

    assert schema_problems(envelope) == []
    # Restricted entries and the staff-only notes never leave, whoever exports.
    assert RESTRICTED_SUMMARY not in sent.decode()
    assert "Staff only" not in sent.decode()
    assert [entry["summary"] for entry in envelope["document"]["chronology"]] == [
        "Started at Riverside."
    ]
    assert [plan["plan_type_key"] for plan in envelope["document"]["plans"]] == [
        "individualised_educational_programme"
    ]
    exported = AuditEvent.objects.get(
        learner_key=transfer.world.learner.audit_key, action=AuditAction.EXPORT
    )
    assert exported.object_id == envelope["document"]["transfer_id"]


def test_a_deployment_without_its_signing_secret_refuses_to_export_and_says_why(transfer, settings):
    settings.TRANSFER_SIGNING_SECRET = ""

    with tables_written() as written, pytest.raises(ValidationError, match="not set up"):
        record_transfer_export(actor=transfer.sender, learner=transfer.world.learner)
    assert written == set()


def test_a_new_learner_arrives_with_the_record_in_one_import(transfer, sent):
    fife = transfer.world.fife_school
    check = record_transfer_check(actor=transfer.receiver, setting=fife, content=sent)
    assert check.match is None

    imported = record_transfer_import(
        actor=transfer.receiver,
        setting=fife,
        content=sent,
        confirmed_match=check.match_value,
        year_group="S5",
    )

    arrived = imported.learner
    assert imported.created and arrived.enrolments.get().setting == fife
    assert (arrived.legal_name, arrived.date_of_birth) == ("Ailsa Campbell", date(2012, 5, 17))
    entry = ChronologyEntry.objects.get(learner=arrived)
    assert (entry.summary, entry.recorded_for_setting) == ("Started at Riverside.", None)
    assert SENDER in entry.source
    assert LearnerCarer.objects.get(learner=arrived).portal_access is False
    assert imported.transfer.envelope == json.loads(sent)
    assert not arrived.plans.exists(), "plans arrive as the sender's history, not live plans"
    # A record held about the learner: in their subject access export, as it was received.
    bundle = subject_access_bundle(arrived, exported_by="test")
    received = next(part for part in bundle.parts if part.record_type.model is ReceivedTransfer)
    assert received.records == [imported.transfer]


def test_a_changed_or_untrusted_document_is_refused_and_nothing_is_saved(transfer, sent):
    fife, receiver = transfer.world.fife_school, transfer.receiver
    tampered = json.loads(sent)
    tampered["document"]["learner"]["date_of_birth"] = "2015-01-01"

    with tables_written() as written, pytest.raises(ValidationError, match="signature does not"):
        record_transfer_import(
            actor=receiver,
            setting=fife,
            content=json.dumps(tampered).encode(),
            confirmed_match=NEW_LEARNER,
            year_group="S5",
        )
    assert written == set()

    TrustedKey.objects.update(revoked_at="2026-01-01T00:00:00Z")
    with pytest.raises(ValidationError, match="revoked"):
        record_transfer_check(actor=receiver, setting=fife, content=sent)
    TrustedKey.objects.all().delete()
    with pytest.raises(ValidationError, match="not in this deployment's register"):
        record_transfer_check(actor=receiver, setting=fife, content=sent)
    with pytest.raises(ValidationError, match="not JSON"):
        record_transfer_check(actor=receiver, setting=fife, content=b"\xff not json")
    no_number = json.loads(sent)
    del no_number["document"]["learner"]["candidate_number"]
    with pytest.raises(ValidationError, match="candidate_number"):
        record_transfer_check(actor=receiver, setting=fife, content=json.dumps(no_number).encode())


def test_the_same_candidate_number_with_another_date_of_birth_is_refused(transfer, sent):
    fife = transfer.world.fife_school
    number = json.loads(sent)["document"]["learner"]["candidate_number"]
    enrolled_learner(fife, candidate_number=number, date_of_birth=date(2011, 2, 3))

    with tables_written() as written, pytest.raises(ValidationError, match="different date of"):
        record_transfer_import(
            actor=transfer.receiver,
            setting=fife,
            content=sent,
            confirmed_match=NEW_LEARNER,
            year_group="S5",
        )
    assert written == set()


def test_a_learner_here_is_matched_as_confirmed_and_a_document_is_imported_once(transfer, sent):
    fife, receiver = transfer.world.fife_school, transfer.receiver
    number = json.loads(sent)["document"]["learner"]["candidate_number"]
    here = enrolled_learner(fife, candidate_number=number, date_of_birth=date(2012, 5, 17))
    check = record_transfer_check(actor=receiver, setting=fife, content=sent)
    assert check.match == here

    # The lead confirms what they were shown: "a new learner" is no longer what the check says.
    with pytest.raises(ValidationError, match="changed since you checked"):
        record_transfer_import(
            actor=receiver, setting=fife, content=sent, confirmed_match=NEW_LEARNER
        )
    imported = record_transfer_import(
        actor=receiver, setting=fife, content=sent, confirmed_match=check.match_value
    )
    assert imported.learner == here and not imported.created
    with pytest.raises(ValidationError, match="already been imported"):
        record_transfer_check(actor=receiver, setting=fife, content=sent)


def test_a_learner_recorded_at_a_school_the_lead_does_not_see_is_not_matched(transfer, sent):
    number = json.loads(sent)["document"]["learner"]["candidate_number"]
    enrolled_learner(transfer.world.other_school, candidate_number=number)

    def check() -> object:
        return record_transfer_check(
            actor=transfer.receiver, setting=transfer.world.fife_school, content=sent
        )

    # Signed by a key of this deployment: the record is moved here, not imported.
    with pytest.raises(ValidationError, match="sent from this Stagewise"):
        check()
    # From another deployment (this one never held the key), it does not say where.
    SigningKey.objects.all().delete()
    with pytest.raises(ValidationError, match="reaches you when that school records the move"):
        check()


def test_the_import_page_checks_then_imports_only_on_confirmation(transfer, sent, client):
    fife = transfer.world.fife_school
    client.force_login(transfer.receiver.user)
    address = reverse("transfers:import")

    checked = client.post(address, {"document": _file(sent), "setting": fife.pk})

    assert "Confirm and import" in checked.text
    assert not ReceivedTransfer.objects.exists()
    confirm = {
        "content": checked.context["form"]["content"].value(),
        "setting": fife.pk,
        "match": NEW_LEARNER,
        "year_group": "",
    }
    assert "Choose the learner" in client.post(address, confirm).text
    done = client.post(address, {**confirm, "year_group": "S5"})
    arrived = ReceivedTransfer.objects.get().learner
    assert done.url == reverse("transfers:received", kwargs={"learner_id": arrived.public_id})
    assert SENDER in client.get(done.url).text
    again = client.post(address, {"document": _file(sent), "setting": fife.pk})
    assert "already been imported" in again.text


def test_from_scotland_to_wales_the_lead_enters_the_welsh_number_and_the_scottish_is_history(
    transfer, sent, client
):
    """The page asks for the Unique Pupil Number, refuses one that is not, shows the match made
    with it before importing, and the learner's live number is the Welsh one."""
    school = transfer.welsh_school
    scottish_number = json.loads(sent)["document"]["learner"]["candidate_number"]
    client.force_login(transfer.alnco.user)
    address = reverse("transfers:import")

    checked = client.post(address, {"document": _file(sent), "setting": school.pk})

    assert f"{scottish_number}, is not a valid Unique pupil number" in checked.text
    assert "Check the number" in checked.text and "Confirm and import" not in checked.text
    asked = {
        "content": checked.context["form"]["content"].value(),
        "setting": school.pk,
        "match": NUMBER_NEEDED,
    }
    wrong = client.post(address, {**asked, "candidate_number": scottish_number})
    assert "Enter the Unique Pupil Number as a capital letter, 11 digits" in wrong.text
    assert "Check the number" in wrong.text
    shown = client.post(address, {**asked, "candidate_number": f" {UPN.lower()} "})
    assert "Nobody here has this candidate number" in shown.text
    assert shown.context["form"]["match"].value() == NEW_LEARNER
    assert not ReceivedTransfer.objects.exists(), "nothing is imported before the match is seen"

    client.post(
        address, {**asked, "match": NEW_LEARNER, "candidate_number": UPN, "year_group": "Y6"}
    )

    received = ReceivedTransfer.objects.get()
    assert received.learner.candidate_number == UPN
    assert received.sent_candidate_number == scottish_number
    assert received.learner.enrolments.get().setting == school
    page = client.get(
        reverse("transfers:received", kwargs={"learner_id": received.learner.public_id})
    )
    assert f"candidate number in the sending nation was {scottish_number}" in page.text


def test_from_wales_to_scotland_the_services_take_the_scottish_number_and_match_by_it(transfer):
    """The same rule in the services, the other way (one code path: the number is checked
    against the receiving school's nation, whichever that is)."""
    fife, receiver = transfer.world.fife_school, transfer.receiver
    sent = sent_elsewhere(transfer.alnco, transfer.welsh_learner)
    check = record_transfer_check(actor=receiver, setting=fife, content=sent)
    assert (check.renumbered, check.match_value) == (True, NUMBER_NEEDED)

    with tables_written() as written:
        with pytest.raises(ValidationError, match="Enter the learner's Scottish candidate number"):
            record_transfer_import(
                actor=receiver, setting=fife, content=sent, confirmed_match=NUMBER_NEEDED
            )
        with pytest.raises(ValidationError, match="9 digits") as refused:
            record_transfer_import(
                actor=receiver,
                setting=fife,
                content=sent,
                confirmed_match=NEW_LEARNER,
                candidate_number="12345",
            )
    assert written == set()
    assert "candidate_number" in refused.value.message_dict
    # Megan already recorded in this Stagewise under her Welsh number: moved, not copied.
    Learner.objects.filter(pk=transfer.welsh_learner.pk).update(candidate_number=OTHER_UPN)
    with pytest.raises(ValidationError, match="sent from this Stagewise"):
        record_transfer_check(
            actor=receiver, setting=fife, content=sent, candidate_number="555555555"
        )
    Learner.objects.filter(pk=transfer.welsh_learner.pk).update(candidate_number="999999999")
    here = enrolled_learner(fife, candidate_number="555555555", date_of_birth=date(2012, 5, 17))

    imported = record_transfer_import(
        actor=receiver,
        setting=fife,
        content=sent,
        confirmed_match=str(here.public_id),
        candidate_number="555555555",
    )

    assert imported.learner == here and not imported.created
    here.refresh_from_db()
    assert here.candidate_number == "555555555"
    assert imported.transfer.sent_candidate_number == OTHER_UPN


def test_a_record_too_large_to_send_is_refused_before_anything_is_sent_saying_what_to_do(
    transfer, client, monkeypatch
):
    learner = transfer.world.learner
    client.force_login(transfer.sender.user)
    address = reverse("transfers:export", kwargs={"learner_id": learner.public_id})
    downloaded = client.get(address).content
    exports = AuditEvent.objects.filter(learner_key=learner.audit_key, action=AuditAction.EXPORT)
    assert exports.count() == 1
    # The limit counts the file that is downloaded: under a limit below its size it is not made.
    monkeypatch.setattr(transfer_services, "MAX_DOCUMENT_BYTES", len(downloaded) // 2)

    refused = client.get(address, follow=True)

    profile = reverse("learners:profile", kwargs={"learner_id": learner.public_id})
    assert refused.redirect_chain == [(profile, 302)]
    assert "too large to send as a transfer document" in refused.text
    assert "usual secure route" in refused.text
    assert exports.count() == 1, "a refused export is not recorded as sent"


def test_a_file_over_the_limit_is_refused_and_a_document_at_the_limit_fits_the_confirmation(
    transfer, client
):
    fife = transfer.world.fife_school
    client.force_login(transfer.receiver.user)
    address = reverse("transfers:import")
    limit = transfer_services.MAX_DOCUMENT_BYTES

    too_large = client.post(address, {"document": _file(b" " * (limit + 1)), "setting": fife.pk})

    assert too_large.status_code == 200
    assert "larger than 1.5 MB, so it is not a transfer document" in too_large.text
    # The confirmation carries the document again: at the limit, with bytes whose standard
    # base64 would be escaped in the form, it still fits in a request (checked, not a 413).
    confirmation = client.post(
        address,
        {
            "content": base64.urlsafe_b64encode(b"\xff" * limit).decode(),
            "setting": fife.pk,
            "match": NEW_LEARNER,
        },
    )
    assert confirmation.status_code == 200
    assert "not JSON text" in confirmation.text


def test_an_administrator_replaces_a_key_and_what_the_retired_key_signed_still_verifies(
    transfer, sent, client
):
    glasgow, fife = transfer.world.school.authority, transfer.world.fife_school
    retired = SigningKey.objects.get(authority=glasgow, retired_at__isnull=True)
    with pytest.raises(PermissionDenied):
        signing_key_replace(actor=transfer.sender, authority=glasgow)

    in_use = signing_key_replace(actor=transfer.administrator, authority=glasgow)

    retired.refresh_from_db()
    assert retired.retired_at is not None and in_use.retired_at is None
    assert in_use.key_id != retired.key_id
    # A receiver trusting the retired key still imports what it signed before.
    checked = record_transfer_check(actor=transfer.receiver, setting=fife, content=sent)
    assert checked.trusted_key.key_id == retired.key_id
    # What the authority sends from now on is signed with the new key.
    envelope = record_transfer_export(actor=transfer.sender, learner=transfer.world.learner)
    assert envelope["signature"]["key_id"] == in_use.key_id
    assert signing.verifies(in_use.public_key, envelope["document"], envelope["signature"]["value"])
    event = AuditEvent.objects.get(purpose="replace transfer signing key")
    assert event.changes == {"key_id": [retired.key_id, in_use.key_id]}
    # Both public keys stay published to administrators, the retired one with its date.
    client.force_login(transfer.administrator.user)
    page = client.get(reverse("transfers:signing_keys")).text
    assert retired.public_key in page and in_use.public_key in page
    assert f"Retired on {retired.retired_at:%-d %B %Y}" in page


def test_the_example_in_the_docs_meets_the_schema_and_its_signature_verifies():
    example = json.loads((DOCS / "example.json").read_text(encoding="utf-8"))
    assert json.loads((DOCS / "record-transfer.schema.json").read_text()) == schema()
    assert schema_problems(example) == []
    public_key = (DOCS / "example-public-key.txt").read_text().strip()
    signature = example["signature"]
    assert signing.verifies(public_key, example["document"], signature["value"])
    assert signing.key_id_of(signing.public_key_load(public_key)) == signature["key_id"]
    changed = copy.deepcopy(example["document"])
    changed["learner"]["legal_first_name"] = "Someone"
    assert not signing.verifies(public_key, changed, signature["value"])
    # The register takes a key only as an Ed25519 public key, and names it by its key id.
    registered = TrustedKey(organisation_name="Example", public_key=public_key)
    registered.clean()
    assert registered.key_id == signature["key_id"]
    with pytest.raises(ValidationError):
        TrustedKey(organisation_name="Example", public_key="not a key").clean()


def _file(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("transfer.json", content, content_type="application/json")
