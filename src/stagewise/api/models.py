"""Integrations and their API tokens (ADR 0051).

An integration is an organisation's other system (a school's MIS, an authority's case system, an
agency's records) acting in one role at that organisation, through a service account and a
membership of its own, so that what it sees and does is decided, checked and audited exactly as
a person's in that role would be. Tokens are its keys: shown once, stored as a digest, each with
the scopes of the API it may use. Later features (webhooks) hang off the integration.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from stagewise.organisations.models import Membership


class Scope(models.TextChoices):
    LEARNERS_READ = "learners:read", _("Read learners, their needs and stages")
    PLANS_READ = "plans:read", _("Read plans")
    REQUESTS_READ = "requests:read", _("Read requests for assistance")
    REQUESTS_WRITE = (
        "requests:write",
        _(
            "Draft, send and withdraw requests for assistance and record consent to share them;"
            " answer and allocate a service's requests"
        ),
    )
    OUTCOMES_WRITE = "outcomes:write", _("Record attendance and exclusions")
    MEASURES_READ = "measures:read", _("Read summary measures")


class Integration(models.Model):
    name = models.CharField(_("name"), max_length=200)
    # The integration's own account and its role at the organisation: never a person's.
    service_user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="integration"
    )
    membership = models.OneToOneField(
        Membership, on_delete=models.PROTECT, related_name="integration"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("integration")
        verbose_name_plural = _("integrations")

    def __str__(self) -> str:
        return self.name


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> "ApiTokenQuerySet":
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    integration = models.ForeignKey(Integration, on_delete=models.CASCADE, related_name="tokens")
    # Shown in lists and logs to tell tokens apart; the secret is never stored, only its digest.
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    secret_digest = models.CharField(max_length=64)
    scopes = models.JSONField(_("scopes"), default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    # The fixed window of the rate limit: when the current minute began, and requests in it.
    window_started_at = models.DateTimeField(null=True, blank=True)
    window_requests = models.PositiveIntegerField(default=0)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return self.prefix

    @property
    def scope_labels(self) -> list[str]:
        labels = dict(Scope.choices)
        return [str(labels.get(scope, scope)) for scope in self.scopes]
