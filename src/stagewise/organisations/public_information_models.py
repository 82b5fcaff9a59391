"""Public information, as data: the advice, advocacy and dispute services families can turn to
(RULES.md section 8), each authority's statement of how it supports children and young people,
and each school's offer (what it regards as additional support or additional learning
provision: seed 004). Published without sign-in; nothing here is about a learner.

The services live in `organisations`, beside the authorities they serve, so that the public pages
and the disagreements feature can both import them.
"""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from stagewise import plausible
from stagewise.organisations.models import BilingualName, LocalAuthority, Nation, Setting


def in_reader_language(english: str, welsh: str) -> str:
    """The Welsh text to a reader in Welsh when there is one, else the English."""
    if welsh and (get_language() or "").startswith("cy"):
        return welsh
    return english


class ServiceHelp(models.TextChoices):
    """What an advice, advocacy or dispute service helps with, in order of escalation."""

    ADVICE = "advice", _("Information and advice")
    ADVOCACY = "advocacy", _("Advocacy")
    MEDIATION = "mediation", _("Mediation")
    DISAGREEMENT_RESOLUTION = "disagreement_resolution", _("Disagreement resolution")
    ADJUDICATION = "adjudication", _("Independent adjudication")
    TRIBUNAL = "tribunal", _("Tribunal")


class AdviceService(BilingualName):
    """A service that advises, speaks up for or settles disagreements for families: national to
    one nation (no authority) or serving one authority (its mediation provider, say)."""

    key = models.SlugField(_("key"), unique=True)
    nation = models.ForeignKey(Nation, on_delete=models.PROTECT, related_name="advice_services")
    authority = models.ForeignKey(
        LocalAuthority,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="advice_services",
        help_text=_("Leave empty for a service to the whole nation."),
    )
    description = plausible.TextField(_("what the service does"), max_length=1_000)
    description_cy = plausible.TextField(
        _("what the service does, in Welsh"), max_length=1_000, blank=True
    )
    helps_with = models.JSONField(_("helps with"), default=list)
    telephone = plausible.CharField(_("telephone"), max_length=40, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    website = models.URLField(_("website"), blank=True)
    # Names come from RULES.md; whether the service still runs under that name, and how to reach
    # it, is for each authority to confirm. Until then the page says so instead of guessing.
    details_confirmed = models.BooleanField(_("details confirmed"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    # A rule table, corrected by administrators in the configuration site (ADR 0008).
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("advice, advocacy or dispute service")
        verbose_name_plural = _("advice, advocacy and dispute services")

    @property
    def display_description(self) -> str:
        return in_reader_language(self.description, self.description_cy)

    @property
    def help_labels(self) -> list[str]:
        labels = dict(ServiceHelp.choices)
        return [str(labels[value]) for value in ServiceHelp.values if value in self.helps_with]

    @property
    def has_contact(self) -> bool:
        return bool(self.telephone or self.email or self.website)


class AuthorityStatement(models.Model):
    """What an authority publishes about how it supports children and young people: how to ask
    for help, which statutory plans it keeps, its post-16 strategy, its mediation arrangements.
    Each section may be empty until the authority writes it; the page then says so."""

    authority = models.OneToOneField(
        LocalAuthority, on_delete=models.CASCADE, related_name="public_statement"
    )
    how_to_ask = plausible.TextField(_("how to ask for help"), max_length=3_000, blank=True)
    how_to_ask_cy = plausible.TextField(
        _("how to ask for help, in Welsh"), max_length=3_000, blank=True
    )
    plans_kept = plausible.TextField(
        _("statutory plans the authority keeps"), max_length=3_000, blank=True
    )
    plans_kept_cy = plausible.TextField(
        _("statutory plans the authority keeps, in Welsh"), max_length=3_000, blank=True
    )
    post_16 = plausible.TextField(_("post-16 strategy"), max_length=3_000, blank=True)
    post_16_cy = plausible.TextField(_("post-16 strategy, in Welsh"), max_length=3_000, blank=True)
    mediation = plausible.TextField(_("mediation arrangements"), max_length=3_000, blank=True)
    mediation_cy = plausible.TextField(
        _("mediation arrangements, in Welsh"), max_length=3_000, blank=True
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("authority's public statement")
        verbose_name_plural = _("authorities' public statements")

    def __str__(self) -> str:
        return str(self.authority)

    @property
    def display_how_to_ask(self) -> str:
        return in_reader_language(self.how_to_ask, self.how_to_ask_cy)

    @property
    def display_plans_kept(self) -> str:
        return in_reader_language(self.plans_kept, self.plans_kept_cy)

    @property
    def display_post_16(self) -> str:
        return in_reader_language(self.post_16, self.post_16_cy)

    @property
    def display_mediation(self) -> str:
        return in_reader_language(self.mediation, self.mediation_cy)


class SchoolOffer(models.Model):
    """A school's own statement of the support it makes beyond what every learner gets, with the
    provision it offers, item by item; kept by the school's leaders."""

    setting = models.OneToOneField(Setting, on_delete=models.CASCADE, related_name="offer")
    statement = plausible.TextField(_("the school's statement"), max_length=3_000)
    statement_cy = plausible.TextField(
        _("the school's statement, in Welsh"), max_length=3_000, blank=True
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("school's offer")
        verbose_name_plural = _("schools' offers")

    def __str__(self) -> str:
        return str(self.setting)

    @property
    def display_statement(self) -> str:
        return in_reader_language(self.statement, self.statement_cy)


class ProvisionItem(models.Model):
    """One piece of provision in a school's offer, like "Small-group literacy sessions"."""

    offer = models.ForeignKey(SchoolOffer, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(_("order"))
    description = plausible.CharField(_("provision"), max_length=300)
    description_cy = plausible.CharField(_("provision, in Welsh"), max_length=300, blank=True)

    class Meta:
        ordering = ["offer", "order"]
        verbose_name = _("provision item")
        verbose_name_plural = _("provision items")
        constraints = [
            models.UniqueConstraint(fields=["offer", "order"], name="provision_item_unique_order")
        ]

    def __str__(self) -> str:
        return self.display_description

    @property
    def display_description(self) -> str:
        return in_reader_language(self.description, self.description_cy)
