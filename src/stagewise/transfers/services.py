"""Exporting a learner's record as a signed transfer document, and importing one sent by another
organisation (ADR 0053).

Export is for those who may record a learner's move (MOVE_LEARNERS): those who manage the record
where the learner is now. Import is for those who may enrol learners at the receiving school
(ENROL_LEARNERS, for that school): its leaders, or its authority's officers. Checking a
document writes nothing; importing it re-checks everything in the same transaction, so a
document that fails, or a match that changed since it was shown, leaves nothing behind.
"""

import json
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, NoReturn

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stagewise.audit.models import AuditAction
from stagewise.audit.services import audit_record
from stagewise.learners.access import require_for_learner, require_for_setting, visible_learners
from stagewise.learners.models import Carer, ChronologyEntry, Learner
from stagewise.learners.services import carer_link, learner_create, learner_current_enrolment
from stagewise.learners.services.record import EDITABLE_IDENTITY_FIELDS
from stagewise.learners.validators import validate_candidate_number
from stagewise.organisations.models import LocalAuthority, Setting
from stagewise.policy import Capability, SystemProcess, nation_policy, require
from stagewise.transfers import signing
from stagewise.transfers.document import (
    FORMAT,
    SCHEMA_VERSION,
    record_document_build,
    schema_problems,
)
from stagewise.transfers.models import ReceivedTransfer, SigningKey, TrustedKey
from stagewise.webhooks.events import webhook_event_emit
from stagewise.webhooks.models import EventType

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor

# Far larger than a learner's record (a few plan versions make tens of kilobytes), and small
# enough that the confirmation, which carries the document again in URL-safe base64 (4/3 of
# it, nothing escaped), stays within settings.DATA_UPLOAD_MAX_MEMORY_SIZE. An export that would
# be larger is refused, so every document Stagewise sends, another accepts.
MAX_DOCUMENT_BYTES = 1_500_000
NEW_LEARNER = "new"
# What the check proposes while the learner's number in the receiving nation is still to be
# entered: no match can be shown (nor confirmed) before it is.
NUMBER_NEEDED = "number-needed"


@transaction.atomic
def record_transfer_export(
    *, actor: "Actor | SystemProcess | None", learner: Learner
) -> dict[str, Any]:
    """The signed envelope for the learner's record, sent by the authority of the school they
    attend now. The export is audited against the learner (their access history lists it)."""
    require_for_learner(actor, Capability.MOVE_LEARNERS, learner, "export record transfer")
    enrolment = learner_current_enrolment(learner)
    if enrolment is None:
        raise ValidationError(
            _("The learner attends no school now, so no organisation can send their record.")
        )
    authority = enrolment.setting.authority
    document = record_document_build(
        learner=learner, authority=authority, exported_by_role=getattr(actor, "role", "system")
    )
    try:
        key = _signing_key_for(authority)
        signature = signing.sign(key.encrypted_private_key, document)
    except signing.SigningUnavailable:
        raise _not_set_up() from None
    envelope = {
        "document": document,
        "signature": {"algorithm": signing.ALGORITHM, "key_id": key.key_id, "value": signature},
    }
    problems = schema_problems(envelope)
    if problems:
        # Our own document must meet our own schema: this is a fault in Stagewise, not the data.
        raise AssertionError(f"The transfer document does not meet its schema: {problems}")
    size = len(transfer_document_file(envelope))
    if size > MAX_DOCUMENT_BYTES:
        # A receiver refuses a file this large, so it is not made: nothing is audited or sent.
        raise ValidationError(
            _(
                "This learner's record is too large to send as a transfer document: it makes"
                " %(size)s MB, and a receiving Stagewise accepts at most %(limit)s MB. Nothing has"
                " been sent. Send the record by your authority's usual secure route instead, and"
                " tell your Stagewise administrators so that they can report it."
            )
            % {"size": _megabytes(size), "limit": _megabytes(MAX_DOCUMENT_BYTES)}
        )
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        learner=learner,
        object_type="record_transfer",
        object_id=document["transfer_id"],
        purpose="export record transfer",
        detail={
            "signed_by": authority.name,
            "key_id": key.key_id,
            "plans": len(document["plans"]),
            "chronology_entries": len(document["chronology"]),
        },
    )
    webhook_event_emit(
        event_type=EventType.LEARNER_TRANSFERRED,
        learner=learner,
        data={"transfer": document["transfer_id"], "direction": "sent"},
    )
    return envelope


def transfer_document_file(envelope: dict[str, Any]) -> bytes:
    """The envelope as the file that is downloaded and uploaded: what the size limit counts, on
    export as on import, so that whatever one Stagewise sends another accepts."""
    return json.dumps(envelope, ensure_ascii=False, indent=2).encode("utf-8")


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f}"


def _signing_key_for(authority: Any) -> SigningKey:
    """The authority's key in use, made the first time it sends a record."""
    key = SigningKey.objects.filter(authority=authority, retired_at__isnull=True).first()
    if key is not None:
        return key
    key_id, public_key, encrypted = signing.key_pair_new()
    try:
        with transaction.atomic():
            return SigningKey.objects.create(
                authority=authority,
                key_id=key_id,
                public_key=public_key,
                encrypted_private_key=encrypted,
            )
    except IntegrityError:
        # Someone else's first export made it at the same moment: use theirs.
        return SigningKey.objects.get(authority=authority, retired_at__isnull=True)


def _not_set_up() -> ValidationError:
    return ValidationError(
        _(
            "Record transfer is not set up on this Stagewise: its administrators must set"
            " STAGEWISE_TRANSFER_SIGNING_SECRET (the secret signing keys are kept under)."
        )
    )


@transaction.atomic
def signing_key_replace(*, actor: "Actor | None", authority: LocalAuthority) -> SigningKey:
    """An administrator rotates an authority's signing key: the key in use is retired (kept, its
    public half still shown, so receivers can verify what it signed) and a new one signs from
    now on. Receivers must register the new public half before they can import what it signs."""
    require(actor, Capability.ADMINISTER_ORGANISATIONS)
    # The authority's row serialises two replacements, or a replacement and a first export.
    LocalAuthority.objects.select_for_update().get(pk=authority.pk)
    retired = (
        SigningKey.objects.select_for_update()
        .filter(authority=authority, retired_at__isnull=True)
        .first()
    )
    try:
        key_id, public_key, encrypted = signing.key_pair_new()
    except signing.SigningUnavailable:
        raise _not_set_up() from None
    now = timezone.now()
    if retired is not None:
        retired.retired_at = now
        retired.save(update_fields=["retired_at"])
    key = SigningKey.objects.create(
        authority=authority, key_id=key_id, public_key=public_key, encrypted_private_key=encrypted
    )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        object_type="transfer_signing_key",
        object_id=str(authority.pk),
        purpose="replace transfer signing key",
        changes={"key_id": [retired.key_id if retired else None, key.key_id]},
        detail={"retired_at": now.isoformat() if retired else None},
    )
    return key


@dataclass(frozen=True)
class TransferCheck:
    """A document that passed every check, and what importing it would do."""

    envelope: dict[str, Any]
    trusted_key: TrustedKey
    # The learner here it matches (by candidate number and date of birth), or None: a new one.
    match: Learner | None
    # The learner's candidate number here: the document's, or, when that is not valid in the
    # receiving school's nation (a learner crossing between Scotland and Wales), the one the
    # lead entered; empty while that is still to be entered.
    candidate_number: str
    # The receiving school's nation, whose number the learner has here.
    nation: str

    @property
    def record(self) -> dict[str, Any]:
        return self.envelope["document"]

    @property
    def sent_candidate_number(self) -> str:
        return str(self.record["learner"]["candidate_number"])

    @property
    def renumbered(self) -> bool:
        """Whether the document's number is the sending nation's, not valid here: the learner
        then has another number here, and the document's is kept as history."""
        return not _valid_in(self.sent_candidate_number, self.nation)

    @property
    def number_needed(self) -> bool:
        return self.renumbered and not self.candidate_number

    @property
    def identifier(self) -> str:
        """The receiving nation's name for the number, as the page asks for it."""
        return str(nation_policy(self.nation).learner_identifier)

    @property
    def match_value(self) -> str:
        """What the lead confirms: the matched learner's id, NEW_LEARNER, or NUMBER_NEEDED
        while no match can be made."""
        if self.number_needed:
            return NUMBER_NEEDED
        return str(self.match.public_id) if self.match else NEW_LEARNER

    @property
    def exported_at(self) -> datetime:
        return datetime.fromisoformat(self.record["exported_at"])


@dataclass(frozen=True)
class TransferImported:
    """What an import did: the learner (created or matched) and the transfer kept for them."""

    learner: Learner
    transfer: ReceivedTransfer
    created: bool


def record_transfer_check(
    *,
    actor: "Actor | SystemProcess | None",
    setting: Setting,
    content: bytes,
    candidate_number: str = "",
) -> TransferCheck:
    """Check a transfer document for import at `setting`, saving nothing. Raises
    ValidationError saying what is wrong: not a transfer document, not one this version of
    Stagewise reads, a signature that fails or from an organisation not trusted here, a document
    already imported, a number for the learner here that the receiving nation does not accept
    (keyed `candidate_number`), or a learner here who does not match.

    `candidate_number` is the learner's number in the receiving school's nation, given only when
    the document's is not valid there (it is the sending nation's); until it is given, the check
    proposes no match (`number_needed`)."""
    require_for_setting(actor, Capability.ENROL_LEARNERS, setting)
    envelope = _verified(content)
    sent = envelope["document"]["learner"]
    nation = setting.authority.nation.code
    number = _number_here(sent["candidate_number"], candidate_number, nation)
    key_id = envelope["signature"]["key_id"]
    return TransferCheck(
        envelope=envelope,
        trusted_key=TrustedKey.objects.get(key_id=key_id),
        match=_match(actor, sent, key_id, number, nation) if number else None,
        candidate_number=number,
        nation=nation,
    )


def _valid_in(number: str, nation: str) -> bool:
    try:
        validate_candidate_number(number, nation)
    except ValidationError:
        return False
    return True


def _number_here(sent_number: str, entered: str, nation: str) -> str:
    """The learner's candidate number at the receiving school: the document's when the
    receiving nation accepts it (within a nation nothing changes); otherwise the number entered,
    which must be the receiving nation's; empty while none is entered."""
    entered = entered.strip().upper()
    identifier = nation_policy(nation).learner_identifier
    if _valid_in(sent_number, nation):
        if entered and entered != sent_number:
            raise ValidationError(
                _(
                    "The document's candidate number %(number)s is already a valid %(identifier)s"
                    " here, so the learner keeps it: no other number is entered. Nothing has"
                    " been imported."
                )
                % {"number": sent_number, "identifier": identifier}
            )
        return sent_number
    if not entered:
        return ""
    try:
        validate_candidate_number(entered, nation)
    except ValidationError as error:
        raise ValidationError(
            {
                "candidate_number": _(
                    "%(entered)s is not a valid %(identifier)s. %(how)s The number from the"
                    " document (%(sent)s) is the sending nation's and cannot be used here."
                )
                % {
                    "entered": entered,
                    "identifier": identifier,
                    "how": " ".join(error.messages),
                    "sent": sent_number,
                }
            }
        ) from None
    return entered


def _verified(content: bytes) -> dict[str, Any]:
    if len(content) > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            _(
                "The file is larger than %(limit)s MB, so it is not a transfer document: Stagewise"
                " makes none larger. Check that you chose the file the sending organisation gave"
                " you, or ask them to send it again. Nothing has been imported."
            )
            % {"limit": _megabytes(MAX_DOCUMENT_BYTES)}
        )
    try:
        envelope = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ValidationError(
            _("The file is not a transfer document: it is not JSON text in UTF-8.")
        ) from None
    document = envelope.get("document") if isinstance(envelope, dict) else None
    if isinstance(document, dict) and (
        document.get("format") == FORMAT and document.get("schema_version") != SCHEMA_VERSION
    ):
        raise ValidationError(
            _(
                "The document is in version %(version)s of the transfer format; this Stagewise"
                " reads version %(ours)s. Ask the sending organisation for a version %(ours)s"
                " document."
            )
            % {"version": document.get("schema_version"), "ours": SCHEMA_VERSION}
        )
    problems = schema_problems(envelope)
    if problems:
        raise ValidationError(
            _("The file is not a valid transfer document: %(problems)s")
            % {"problems": "; ".join(problems)}
        )
    document, signature = envelope["document"], envelope["signature"]
    key = TrustedKey.objects.filter(key_id=signature["key_id"]).first()
    if key is None:
        raise ValidationError(
            _(
                "The document is signed with a key (%(key_id)s) that is not in this deployment's"
                " register of trusted organisations. Ask an administrator to add the sending"
                " organisation's public key if you trust it; nothing has been imported."
            )
            % {"key_id": signature["key_id"]}
        )
    if key.revoked_at is not None:
        raise ValidationError(
            _(
                "The document is signed with %(organisation)s's key that was revoked on %(day)s;"
                " nothing has been imported."
            )
            % {"organisation": key.organisation_name, "day": f"{key.revoked_at:%d/%m/%Y}"}
        )
    if not signing.verifies(key.public_key, document, signature["value"]):
        raise ValidationError(
            _(
                "The signature does not match the document: it has been changed since"
                " %(organisation)s signed it, or was not signed by them. Nothing has been"
                " imported; ask the sending organisation for the document again."
            )
            % {"organisation": key.organisation_name}
        )
    if ReceivedTransfer.objects.filter(transfer_id=document["transfer_id"]).exists():
        raise ValidationError(_("This transfer document has already been imported."))
    return envelope


def _match(
    actor: "Actor | SystemProcess | None",
    sent: dict[str, Any],
    key_id: str,
    number: str,
    nation: str,
) -> Learner | None:
    """The learner here with the candidate number `number` (the document's, or the one entered
    for the receiving nation), if their date of birth agrees and the actor sees them; None if
    nobody here has that number. Anything else is refused."""
    if number != sent["candidate_number"]:
        # Renumbered: someone here holding the sending nation's number is this learner already
        # recorded in this Stagewise (it serves both nations), whose record moves rather than
        # being copied under a second number.
        holder = Learner.objects.filter(candidate_number=sent["candidate_number"]).first()
        if holder is not None:
            if _sees(actor, holder):
                raise ValidationError(
                    _(
                        "%(name)s, recorded here, already has the document's candidate number"
                        " %(number)s, so the document is of a learner this Stagewise holds."
                        " Update their candidate number on their record to their %(identifier)s,"
                        " then check the document again. Nothing has been imported."
                    )
                    % {
                        "name": holder.display_name,
                        "number": sent["candidate_number"],
                        "identifier": nation_policy(nation).learner_identifier,
                    }
                )
            _refuse_unseen(key_id, sent["candidate_number"])
    existing = Learner.objects.filter(candidate_number=number).first()
    if existing is None:
        return None
    if not _sees(actor, existing):
        _refuse_unseen(key_id, number)
    if existing.date_of_birth.isoformat() != sent["date_of_birth"]:
        raise ValidationError(
            _(
                "The learner with candidate number %(number)s here has a different date of birth"
                " from the document's (%(sent)s), so they may not be the same person. Check the"
                " candidate number and date of birth with the sending organisation; nothing has"
                " been imported."
            )
            % {"number": number, "sent": sent["date_of_birth"]}
        )
    return existing


def _sees(actor: "Actor | SystemProcess | None", learner: Learner) -> bool:
    return isinstance(actor, SystemProcess) or (
        visible_learners(actor).filter(pk=learner.pk).exists()
    )


def _refuse_unseen(key_id: str, number: str) -> NoReturn:
    """Refuse a document of a learner recorded here by a school or authority the lead does not
    see, without saying where."""
    if SigningKey.objects.filter(key_id=key_id).exists():
        # Signed here: the record the document copies is this one, held by another school
        # or authority of this Stagewise. It moves with the learner; a copy would be a second
        # record of the same child.
        raise ValidationError(
            _(
                "This document was sent from this Stagewise, where the learner's record is"
                " already kept by another school or authority. Within one Stagewise a record"
                " is not imported: ask the school the learner is leaving to record the move"
                " (Record a move on the learner's page), and the record comes with them."
                " Nothing has been imported."
            )
        )
    raise ValidationError(
        _(
            "A learner with candidate number %(number)s is already recorded in Stagewise at"
            " another school or authority. Their record reaches you when that school records"
            " the move; nothing has been imported."
        )
        % {"number": number}
    )


@transaction.atomic
def record_transfer_import(
    *,
    actor: "Actor | SystemProcess | None",
    setting: Setting,
    content: bytes,
    confirmed_match: str,
    year_group: str = "",
    candidate_number: str = "",
) -> TransferImported:
    """Import the document at `setting`, as the lead confirmed: `confirmed_match` is what the
    check proposed (TransferCheck.match_value). A new learner is enrolled at `setting` in
    `year_group` from today. `candidate_number` is the learner's number in the receiving
    school's nation, required when the document's is not valid there (see
    record_transfer_check); the document's is then kept on the received transfer as history.
    Everything is checked again here, in the transaction that saves."""
    require_for_setting(actor, Capability.ENROL_LEARNERS, setting)
    check = record_transfer_check(
        actor=actor, setting=setting, content=content, candidate_number=candidate_number
    )
    if check.number_needed:
        raise ValidationError(
            {
                "candidate_number": _(
                    "The document's candidate number %(sent)s is the sending nation's and is not"
                    " valid at %(school)s. Enter the learner's %(identifier)s; nothing has been"
                    " imported."
                )
                % {
                    "sent": check.sent_candidate_number,
                    "school": setting.display_name,
                    "identifier": check.identifier,
                }
            }
        )
    if check.match_value != confirmed_match:
        raise ValidationError(
            _(
                "Who the document matches here has changed since you checked it. Upload it"
                " again and confirm the match it shows now; nothing has been imported."
            )
        )
    sent = check.record["learner"]
    created = check.match is None
    if check.match is None:
        # The identity the document carries (never the sender's staff notes), the date of birth
        # read as a date.
        identity = {
            field: sent[field]
            for field in EDITABLE_IDENTITY_FIELDS
            if field in sent and field != "date_of_birth"
        }
        identity["candidate_number"] = check.candidate_number
        try:
            learner = learner_create(
                actor=actor,
                setting=setting,
                year_group=year_group,
                enrolled_on=timezone.localdate(),
                date_of_birth=datetime.fromisoformat(sent["date_of_birth"]).date(),
                **identity,
            )
        except ValidationError as error:
            raise ValidationError(
                _("The learner cannot be enrolled at %(school)s: %(problems)s")
                % {"school": setting.display_name, "problems": " ".join(error.messages)}
            ) from None
    else:
        learner = check.match
    sender = check.trusted_key.organisation_name
    _chronology_receive(learner, check.record["chronology"], sender)
    _contacts_receive(actor, learner, check.record["contacts"])
    transfer = ReceivedTransfer.objects.create(
        learner=learner,
        transfer_id=check.record["transfer_id"],
        sending_organisation=sender,
        trusted_key=check.trusted_key,
        exported_at=check.exported_at,
        envelope=check.envelope,
        matched_existing=not created,
        sent_candidate_number=check.sent_candidate_number if check.renumbered else "",
        imported_by=getattr(actor, "user", None),
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        learner=learner,
        object_type="received_record_transfer",
        object_id=str(transfer.public_id),
        purpose="import record transfer",
        detail={
            "transfer_id": check.record["transfer_id"],
            "sent_by": sender,
            "key_id": check.trusted_key.key_id,
            "new_learner": created,
            # The sending nation's number, when the learner has another one here.
            "sent_candidate_number": transfer.sent_candidate_number or None,
        },
    )
    webhook_event_emit(
        event_type=EventType.LEARNER_TRANSFERRED,
        learner=learner,
        data={"transfer": check.record["transfer_id"], "direction": "received"},
    )
    return TransferImported(learner=learner, transfer=transfer, created=created)


def _chronology_receive(learner: Learner, entries: list[dict[str, Any]], sender: str) -> None:
    """The sender's chronology joins the learner's, each entry marked as received: it was not
    written for this school (no recorded_for_setting), nor by anyone here."""
    for sent in entries:
        author = sent["recorded_by"] or sender
        entry = ChronologyEntry(
            learner=learner,
            entry_type=sent["entry_type"],
            occurred_on=datetime.fromisoformat(sent["occurred_on"]).date(),
            summary=sent["summary"],
            source=_("%(source)s (received from %(sender)s)")
            % {"source": sent["source"], "sender": sender},
            recorded_by_label=f"{author} ({sender})"[:200],
        )
        try:
            entry.full_clean(exclude=["recorded_by", "recorded_for_setting"])
        except ValidationError as error:
            raise ValidationError(
                _("A chronology entry of %(day)s cannot be kept here: %(problem)s")
                % {"day": sent["occurred_on"], "problem": " ".join(error.messages)}
            ) from None
        entry.save()


def _contacts_receive(
    actor: "Actor | SystemProcess | None", learner: Learner, contacts: list[dict[str, Any]]
) -> None:
    """Each contact not already linked by name, without portal access: an account here is the
    receiving school's to offer, to a carer it has checked."""
    linked = {
        name.casefold() for name in learner.carer_links.values_list("carer__full_name", flat=True)
    }
    for sent in contacts:
        if sent["full_name"].casefold() in linked:
            continue
        carer = Carer(
            full_name=sent["full_name"],
            email=sent["email"],
            telephone=sent["telephone"],
            address=sent["address"],
            preferred_language=sent["preferred_language"] or "English",
        )
        carer_link(
            actor=actor,
            learner=learner,
            carer=carer,
            relationship=sent["relationship"],
            parental_responsibility=sent["parental_responsibility"],
            lives_with_learner=sent["lives_with_learner"],
            portal_access=False,
        )
        linked.add(sent["full_name"].casefold())
