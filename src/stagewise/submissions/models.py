"""Form submissions that were saved, by their one-time key (ADR 0041)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SavedSubmission(models.Model):
    """A form a person sent whose writes were saved, and the answer they were given.

    Written in the same transaction as the form's writes, so it exists exactly when they were
    saved: sending the same form again (the same key) gets the same answer instead of a second
    save. The key identifies one rendering of a form; it is only looked up with its person, so
    someone else's key is simply unknown. One index, the primary key (person, key): the insert a
    saved form costs is all the bookkeeping there is.
    """

    pk = models.CompositePrimaryKey("user", "key")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("person"),
        # The primary key leads with the person; a second index would only slow the insert.
        db_index=False,
    )
    key = models.UUIDField(_("submission key"))
    path = models.CharField(_("address sent to"), max_length=500)
    status_code = models.PositiveSmallIntegerField(_("answer's status"))
    location = models.CharField(_("answer's address"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("saved at"), default=timezone.now)

    class Meta:
        verbose_name = _("saved form submission")
        verbose_name_plural = _("saved form submissions")

    def __str__(self) -> str:
        return f"{self.key} {self.path} -> {self.status_code} {self.location}"
