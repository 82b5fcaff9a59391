"""Append-only audit events: every read and every write of learner data leaves one.

Events are never edited or deleted by the application: the model and queryset refuse, and database
triggers (see the migrations) refuse too, so a bug or a shell session cannot rewrite history.
"""

import uuid
from typing import TYPE_CHECKING, Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from stagewise.learners.models import Learner


class AuditEventImmutable(Exception):
    """Raised on any attempt to change or remove an audit event."""


class AuditAction(models.TextChoices):
    VIEW = "view", _("Viewed")
    LIST = "list", _("Listed")
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Deleted")
    EXPORT = "export", _("Exported")
    REFUSED = "refused", _("Refused access")


class LearnerAuditKey(models.Model):
    """The pseudonym under which the audit log knows a learner (ADR 0033): a random key, one per
    learner, created with them. Events hold the key, never a foreign key to the learner, so a
    learner can be erased while the log stays append-only: once this row goes, the events it
    named still say who looked, when and why, and lead to no one."""

    learner = models.OneToOneField(
        "learners.Learner", on_delete=models.CASCADE, primary_key=True, related_name="audit_key"
    )
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = _("learner's audit key")
        verbose_name_plural = _("learners' audit keys")

    def __str__(self) -> str:
        return str(self.key)


def learner_audit_key(learner: "Learner") -> uuid.UUID:
    """The learner's audit key: no query when the learner was read with its key
    (`select_related("audit_key")`, as the doors to learner data do) or has been asked before;
    otherwise one, and a learner written without a key (which no path should do) is given one."""
    try:
        return learner.audit_key.key
    except LearnerAuditKey.DoesNotExist:
        key, _created = LearnerAuditKey.objects.get_or_create(learner=learner)
        learner.audit_key = key
        return key.key


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AuditEventImmutable("Audit events cannot be changed.")

    def delete(self) -> NoReturn:
        raise AuditEventImmutable("Audit events cannot be deleted.")


class AuditEvent(models.Model):
    # On PostgreSQL the table is partitioned by month on occurred_at and its primary key is
    # (id, occurred_at); Django sees `id` alone, kept unique by its sequence (ADR 0038). No index
    # of its own: a time range is found by partition, and every query that reads events starts
    # from a learner or a person (the two indexes below).
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    # Snapshots, so the record still reads true after a person or organisation is renamed.
    user_label = models.CharField(_("who"), max_length=300)
    role = models.CharField(_("role"), max_length=40, blank=True)
    organisation_label = models.CharField(_("organisation"), max_length=300, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    # The learner the event is about, by their audit key (ADR 0033): a plain UUID column with no
    # database constraint, so erasing the learner (and their key) leaves the event as it was.
    # Filter by `learner_key_id=learner_audit_key(learner)`, which the index below serves; the
    # relation (`learner_key__learner`) is there for the registry's per-learner counts.
    learner_key = models.ForeignKey(
        LearnerAuditKey,
        to_field="key",
        db_column="learner_key",
        db_constraint=False,
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        verbose_name=_("learner's audit key"),
    )
    object_type = models.CharField(_("record type"), max_length=60, blank=True)
    object_id = models.CharField(_("record"), max_length=64, blank=True)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    path = models.CharField(_("address"), max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(_("from"), null=True, blank=True)
    changes = models.JSONField(_("changes"), null=True, blank=True)
    detail = models.JSONField(_("detail"), null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        # Each leads with its foreign key, so a separate index on the key alone is redundant.
        indexes = [
            # Access history, who has looked, the subject access export, a learner's erasure.
            models.Index(fields=["learner_key", "-occurred_at"], name="audit_learner_key_idx"),
            # What one person did; a user's deletion (PROTECT) looks here too.
            models.Index(fields=["user", "-occurred_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.user_label} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None or not self._state.adding:
            raise AuditEventImmutable("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditEventImmutable("Audit events cannot be deleted.")

    @property
    def role_display(self) -> str:
        from stagewise.organisations.models import Role

        return str(Role(self.role).label) if self.role in Role.values else self.role
