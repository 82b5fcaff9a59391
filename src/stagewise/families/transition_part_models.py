"""The family's own part in a planned transition (ADR 0020): what a parent or carer, or the young
person, will do and what they think, in their own words, beside the staff's transition plan,
which the family reads about but never edits."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from stagewise import plausible


class TransitionPartAuthor(models.TextChoices):
    PARENT_CARER = "parent_carer", _("Parent or carer")
    YOUNG_PERSON = "young_person", _("The child or young person")


class TransitionFamilyPart(models.Model):
    """One family member's part in one transition: each writes their own (separated parents do
    not read each other's words) and may change it until the transition's date has passed."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    transition = models.ForeignKey(
        "learners.Transition", on_delete=models.CASCADE, related_name="family_parts"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_kind = models.CharField(max_length=20, choices=TransitionPartAuthor.choices)
    # The author's name as it was when they wrote, for the staff page.
    author_name = models.CharField(max_length=300)
    # Exactly as typed: shown escaped, never rewritten.
    words = plausible.TextField(_("your part and your views"), max_length=5_000)
    written_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["written_at", "pk"]
        verbose_name = _("family's own part in a transition")
        verbose_name_plural = _("families' own parts in transitions")
        constraints = [
            models.UniqueConstraint(
                fields=["transition", "author"], name="transition_family_part_one_per_author"
            )
        ]

    def __str__(self) -> str:
        return f"{self.author_name}: {self.transition}"

    @property
    def was_changed(self) -> bool:
        # auto_now and auto_now_add are set a moment apart on creation.
        return (self.changed_at - self.written_at).total_seconds() > 1
