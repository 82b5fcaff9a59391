"""Record transfers between Stagewise deployments and authorities (ADR 0053): each authority's
signing key, the register of other organisations' public keys this deployment trusts, and the
transfer documents received for a learner."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from stagewise.learners.models import Learner
from stagewise.organisations.models import LocalAuthority


class SigningKey(models.Model):
    """An authority's Ed25519 key pair for signing the transfer documents it sends. The private
    half is kept encrypted (transfers/signing.py) and never shown; the public half is what other
    deployments register to trust the authority. One key in use per authority."""

    authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="transfer_signing_keys"
    )
    key_id = models.CharField(_("key id"), max_length=64, unique=True)
    public_key = models.CharField(_("public key"), max_length=64)
    encrypted_private_key = models.BinaryField(editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)

    class Meta:
        ordering = ["authority", "-created_at"]
        verbose_name = _("transfer signing key")
        verbose_name_plural = _("transfer signing keys")
        constraints = [
            models.UniqueConstraint(
                fields=["authority"],
                condition=models.Q(retired_at__isnull=True),
                name="one_signing_key_in_use_per_authority",
            )
        ]

    def __str__(self) -> str:
        return f"{self.authority}: {self.key_id}"


class TrustedKey(models.Model):
    """Another organisation's (or deployment's) public key, registered by an administrator: a
    transfer document is imported only if its signature verifies with a key here that is not
    revoked. Changes are audited with the values before and after (RuleTableAdmin, ADR 0008)."""

    organisation_name = models.CharField(_("organisation"), max_length=200)
    # Worked out from the public key (transfers/signing.key_id_of): documents name their key by it.
    key_id = models.CharField(_("key id"), max_length=64, unique=True, editable=False)
    public_key = models.CharField(
        _("public key"),
        max_length=64,
        help_text=_("The Ed25519 public key, 32 bytes in base64, as the organisation gives it."),
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)
    revoked_at = models.DateTimeField(
        _("revoked at"),
        null=True,
        blank=True,
        help_text=_("From this time, documents signed with this key are refused."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation_name", "key_id"]
        verbose_name = _("trusted transfer key")
        verbose_name_plural = _("trusted transfer keys")

    def __str__(self) -> str:
        return f"{self.organisation_name}: {self.key_id}"

    def clean(self) -> None:
        from stagewise.transfers.signing import key_id_of, public_key_load

        try:
            self.key_id = key_id_of(public_key_load(self.public_key))
        except ValueError:
            raise ValidationError(
                {"public_key": _("Enter the Ed25519 public key: 32 bytes in base64.")}
            ) from None
        self.public_key = self.public_key.strip()
        if TrustedKey.objects.exclude(pk=self.pk).filter(key_id=self.key_id).exists():
            raise ValidationError({"public_key": _("This public key is already registered.")})


class ReceivedTransfer(models.Model):
    """A transfer document imported for a learner, kept exactly as received (signed envelope
    and all): the sending organisation's record as it stood, read-only. Its plans are that
    organisation's history, not live plans here (ADR 0053)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    learner = models.ForeignKey(
        Learner, on_delete=models.CASCADE, related_name="received_transfers"
    )
    # The sender's id for the document: the same document is never imported twice.
    transfer_id = models.UUIDField(_("transfer id"), unique=True)
    sending_organisation = models.CharField(_("sent by"), max_length=200)
    trusted_key = models.ForeignKey(
        TrustedKey, on_delete=models.PROTECT, related_name="+", verbose_name=_("verified with")
    )
    exported_at = models.DateTimeField(_("exported at"))
    envelope = models.JSONField(_("transfer document"))
    matched_existing = models.BooleanField(_("matched a learner already recorded"))
    # A learner crossing between Scotland and Wales has a number in each: the document carries
    # the sending nation's, which is history here, never the learner's live number.
    sent_candidate_number = models.CharField(
        _("candidate number in the sending nation"),
        max_length=13,
        blank=True,
        help_text=_(
            "The number the document carried when it is not valid in this nation (a Scottish"
            " Candidate Number or Welsh Unique Pupil Number); blank when the learner kept it."
        ),
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        ordering = ["-imported_at", "-pk"]
        verbose_name = _("received record transfer")
        verbose_name_plural = _("received record transfers")

    def __str__(self) -> str:
        return f"{self.sending_organisation} ({self.exported_at:%Y-%m-%d})"

    @property
    def record(self) -> dict:
        """The learner's record as the sending organisation sent it."""
        return self.envelope["document"]
