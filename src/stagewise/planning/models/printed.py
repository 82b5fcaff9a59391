"""Stored PDF copies of finalised plan versions (docs/adr/0034-printed-plans-rendered-once.md)."""

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from stagewise.planning.models.versions import PlanVersion


def printed_plan_storage() -> Storage:
    """Where stored copies live: private, served only through the access-checked PDF view."""
    return storages["printed_plans"]


class PrintedAudience(models.TextChoices):
    # Staff print the version as signed; a family's copy is its projection (ADR 0006), so the
    # two are different files.
    STAFF = "staff", _("Staff")
    FAMILY = "family", _("Family")


class PrintedPlan(models.Model):
    """One rendered PDF of a finalised version, in one language, for one audience."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="printed")
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    audience = models.CharField(_("audience"), max_length=10, choices=PrintedAudience.choices)
    file = models.FileField(_("file"), storage=printed_plan_storage, max_length=200)
    # Which templates, stylesheet and WeasyPrint made it: a copy made by other ones is stale.
    rendering = models.CharField(_("rendering"), max_length=80)
    rendered_at = models.DateTimeField(_("rendered at"))
    checksum = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("size in bytes"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["version", "language", "audience"], name="printed_plan_one_copy_each"
            )
        ]

    def __str__(self) -> str:
        return f"{self.version} {self.language} {self.audience}"


@receiver(post_delete, sender=PrintedPlan)
def printed_plan_file_delete(sender: type[PrintedPlan], instance: PrintedPlan, **_: object) -> None:
    """A copy deleted (with its learner, say) takes its file with it, once that commits."""
    name = instance.file.name
    if name:
        storage = instance.file.storage
        transaction.on_commit(lambda: storage.delete(name), robust=True)


def printed_copies_storage() -> Storage:
    """The storage the copies' file field reads through, which writes and deletes use too: Django
    resolves a field's storage once, and `storages` hands out a new instance whenever the
    STORAGES setting changes (in tests), so the two could otherwise part."""
    return PrintedPlan._meta.get_field("file").storage
