"""Record transfer between authorities (ADR 0053), in the demo world built once for the module:
a record Riverside Primary School (Glasgow) sends is imported at Harbourside Primary School
(Fife). One database stands for two deployments: once the document is made, the sender's own
row is given another candidate number, so the receiving side has never held the learner.
Every test's changes are rolled back."""

import copy
import json
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from stagewise.audit.models import AuditAction, AuditEvent
from stagewise.learners.models import ChronologyEntry, Learner, LearnerCarer
from stagewise.learners.services import chronology_record
from stagewise.organisations.models import Membership, Role, Setting
from stagewise.synthetic.demo import DEMO_DOMAIN, build_demo_world
from stagewise.testing.factories import UserFactory, enrolled_learner, with_authenticator_app
from stagewise.testing.plans import acting
from stagewise.testing.writes import tables_written
from stagewise.transfers import signing
from stagewise.transfers.document import schema, schema_problems
from stagewise.transfers.models import ReceivedTransfer, SigningKey, TrustedKey
from stagewise.transfers.services import (
    NEW_LEARNER,
    record_transfer_check,
    record_transfer_export,
    record_transfer_import,
)

DOCS = Path(__file__).resolve().parents[4] / "docs" / "record-transfer"
RESTRICTED_SUMMARY = "Disclosure made to the head teacher; see the child protection file."

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        build_demo_world(seed=2026)
        receiving_lead = with_authenticator_app(
            UserFactory.create(email="harbourside-lead@example.org", full_name="Iona Grant")
        )
        Membership.objects.create(
            user=receiving_lead,
            role=Role.SUPPORT_FOR_LEARNING_LEAD,
            setting=Setting.objects.get(name="Harbourside Primary School"),
            started_on=date(2020, 8, 1),
        )
        yield
        transaction.set_rollback(True)


@pytest.fixture
def sender(demo):
    return acting(Membership.objects.get(user__email=f"support-lead@{DEMO_DOMAIN}").user)


@pytest.fixture
def receiver(demo):
    return acting(Membership.objects.get(user__email="harbourside-lead@example.org").user)


@pytest.fixture
def harbourside(demo):
    return Setting.objects.get(name="Harbourside Primary School")


@pytest.fixture
def story_learner(demo):
    """A Riverside learner with an agreed plan, a chronology and a family."""
    return (
        Learner.objects.filter(
            enrolments__setting__name="Riverside Primary School",
            plans__versions__isnull=False,
            chronology__isnull=False,
            carer_links__isnull=False,
        )
        .distinct()
        .order_by("pk")
        .first()
    )


def sent(sender, learner) -> bytes:
    """Riverside's document for the learner, its key trusted at the receiving end, and the
    learner gone from the receiving side's sight (see the module docstring)."""
    chronology_record(
        actor=sender,
        learner=learner,
        entry_type="family",
        occurred_on=date(2026, 1, 12),
        summary=RESTRICTED_SUMMARY,
        source="Head teacher",
        restricted=True,
    )
    envelope = record_transfer_export(actor=sender, learner=learner)
    key = SigningKey.objects.get(authority__name="Glasgow City")
    TrustedKey.objects.get_or_create(
        public_key=key.public_key,
        defaults={"organisation_name": "Glasgow City Council", "key_id": key.key_id},
    )
    Learner.objects.filter(pk=learner.pk).update(candidate_number="999999999")
    return json.dumps(envelope).encode("utf-8")


def test_a_record_sent_by_one_demo_authority_is_imported_by_another(
    sender, receiver, harbourside, story_learner, client
):
    original = {
        "name": story_learner.legal_name,
        "number": story_learner.candidate_number,
        "born": story_learner.date_of_birth,
        "carers": story_learner.carer_links.count(),
        "open_entries": story_learner.chronology.filter(restricted=False).count(),
    }
    content = sent(sender, story_learner)
    envelope = json.loads(content)

    # What left meets the schema, and is what the receiving school may see: never a restricted
    # entry, whoever exported it (Riverside's lead reads them).
    assert schema_problems(envelope) == []
    assert RESTRICTED_SUMMARY not in content.decode()
    assert len(envelope["document"]["chronology"]) == original["open_entries"]
    assert envelope["document"]["plans"], "the story learner's agreed plans travel"
    exported = AuditEvent.objects.get(
        learner_key=story_learner.audit_key, action=AuditAction.EXPORT
    )
    assert exported.object_id == envelope["document"]["transfer_id"]

    check = record_transfer_check(actor=receiver, setting=harbourside, content=content)
    assert check.match is None
    assert check.trusted_key.organisation_name == "Glasgow City Council"

    imported = record_transfer_import(
        actor=receiver,
        setting=harbourside,
        content=content,
        confirmed_match=NEW_LEARNER,
        year_group=envelope["document"]["learner"]["year_group"],
    )

    arrived = imported.learner
    assert imported.created and arrived.pk != story_learner.pk
    assert (arrived.legal_name, arrived.candidate_number, arrived.date_of_birth) == (
        original["name"],
        original["number"],
        original["born"],
    )
    assert arrived.enrolments.get().setting == harbourside
    received_entries = ChronologyEntry.objects.filter(learner=arrived)
    assert received_entries.count() == original["open_entries"]
    assert not received_entries.filter(restricted=True).exists()
    assert all("Glasgow City Council" in entry.source for entry in received_entries)
    carers = LearnerCarer.objects.filter(learner=arrived)
    assert carers.count() == original["carers"]
    assert not carers.filter(portal_access=True).exists()
    assert imported.transfer.envelope == envelope
    assert imported.transfer.learner == arrived

    # The receiving lead reads the sender's plans as the sender's history, in English and Welsh.
    client.force_login(receiver.user)
    plan_type = envelope["document"]["plans"][0]["plan_type"]
    for language in ("en", "cy"):
        page = client.get(
            reverse("transfers:received", kwargs={"learner_id": arrived.public_id}),
            headers={"accept-language": language},
        )
        assert page.status_code == 200
        assert "Glasgow City Council" in page.text
    assert plan_type in page.text or envelope["document"]["plans"][0]["plan_type_cy"] in page.text


def test_a_document_changed_after_signing_or_from_an_untrusted_key_is_refused_and_nothing_saved(
    sender, receiver, harbourside, story_learner
):
    content = sent(sender, story_learner)
    tampered = json.loads(content)
    tampered["document"]["learner"]["date_of_birth"] = "2015-01-01"

    with tables_written() as written:
        with pytest.raises(ValidationError, match="signature does not match"):
            record_transfer_import(
                actor=receiver,
                setting=harbourside,
                content=json.dumps(tampered).encode(),
                confirmed_match=NEW_LEARNER,
                year_group="P5",
            )
        TrustedKey.objects.all().update(revoked_at="2026-01-01T00:00:00Z")
        with pytest.raises(ValidationError, match="revoked"):
            record_transfer_check(actor=receiver, setting=harbourside, content=content)
    assert written == {"transfers_trustedkey"}

    TrustedKey.objects.all().delete()
    with pytest.raises(ValidationError, match="not in this deployment's register"):
        record_transfer_check(actor=receiver, setting=harbourside, content=content)
    with pytest.raises(ValidationError, match="not JSON"):
        record_transfer_check(actor=receiver, setting=harbourside, content=b"\xff not json")
    bad = json.loads(content)
    del bad["document"]["learner"]["candidate_number"]
    with pytest.raises(ValidationError, match="candidate_number"):
        record_transfer_check(actor=receiver, setting=harbourside, content=json.dumps(bad).encode())


def test_a_learner_here_with_the_same_candidate_number_but_another_birthday_is_refused(
    sender, receiver, harbourside, story_learner
):
    content = sent(sender, story_learner)
    number = json.loads(content)["document"]["learner"]["candidate_number"]
    enrolled_learner(harbourside, candidate_number=number, date_of_birth=date(2011, 2, 3))

    with (
        tables_written() as written,
        pytest.raises(ValidationError, match="different date of birth"),
    ):
        record_transfer_import(
            actor=receiver,
            setting=harbourside,
            content=content,
            confirmed_match=NEW_LEARNER,
            year_group="P5",
        )
    assert written == set()
    assert not ReceivedTransfer.objects.exists()


def test_a_learner_already_here_is_matched_once_and_the_same_document_is_not_imported_twice(
    sender, receiver, harbourside, story_learner
):
    content = sent(sender, story_learner)
    sent_learner = json.loads(content)["document"]["learner"]
    here = enrolled_learner(
        harbourside,
        candidate_number=sent_learner["candidate_number"],
        date_of_birth=date.fromisoformat(sent_learner["date_of_birth"]),
    )
    check = record_transfer_check(actor=receiver, setting=harbourside, content=content)
    assert check.match == here

    # Confirming "a new learner" when the check now matches someone is refused: the lead
    # confirms what they were shown.
    with pytest.raises(ValidationError, match="changed since you checked"):
        record_transfer_import(
            actor=receiver, setting=harbourside, content=content, confirmed_match=NEW_LEARNER
        )
    imported = record_transfer_import(
        actor=receiver, setting=harbourside, content=content, confirmed_match=check.match_value
    )
    assert imported.learner == here and not imported.created
    with pytest.raises(ValidationError, match="already been imported"):
        record_transfer_check(actor=receiver, setting=harbourside, content=content)


def test_the_import_pages_check_then_import_on_confirmation(
    sender, receiver, harbourside, story_learner, client
):
    content = sent(sender, story_learner)
    client.force_login(receiver.user)
    address = reverse("transfers:import")
    upload = {"document": _file(content), "setting": harbourside.pk}

    checked = client.post(address, upload)

    assert checked.status_code == 200
    assert "Confirm and import" in checked.text
    assert not ReceivedTransfer.objects.exists()
    confirm = {
        "content": checked.context["form"]["content"].value(),
        "setting": harbourside.pk,
        "match": NEW_LEARNER,
        "year_group": "",
    }
    refused = client.post(address, confirm)
    assert "Choose the learner" in refused.text
    done = client.post(address, {**confirm, "year_group": "P5"})
    transfer = ReceivedTransfer.objects.get()
    assert done.url == reverse(
        "transfers:received", kwargs={"learner_id": transfer.learner.public_id}
    )

    again = client.post(address, {"document": _file(content), "setting": harbourside.pk})
    assert "already been imported" in again.text


def test_the_example_in_the_docs_meets_the_schema_there_and_its_signature_verifies():
    example = json.loads((DOCS / "example.json").read_text(encoding="utf-8"))
    assert json.loads((DOCS / "record-transfer.schema.json").read_text()) == schema()
    assert schema_problems(example) == []
    public_key = (DOCS / "example-public-key.txt").read_text().strip()
    assert signing.verifies(public_key, example["document"], example["signature"]["value"])
    assert signing.key_id_of(signing.public_key_load(public_key)) == example["signature"]["key_id"]
    changed = copy.deepcopy(example["document"])
    changed["learner"]["legal_first_name"] = "Someone"
    assert not signing.verifies(public_key, changed, example["signature"]["value"])


def _file(content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("transfer.json", content, content_type="application/json")
