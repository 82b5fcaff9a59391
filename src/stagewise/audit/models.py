"""Append-only audit events: every read and every write of learner data leaves one.

Events are never edited or deleted by the application: the model and queryset refuse, and database
triggers (see the migrations) refuse too, so a bug or a shell session cannot rewrite history.
"""

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
    learner = models.ForeignKey(
        "learners.Learner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
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
            # Access history, who has looked, the subject access export, a learner's deletion.
            models.Index(fields=["learner", "-occurred_at"]),
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
