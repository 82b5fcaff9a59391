"""The register of trusted organisations' keys is configuration, kept by administrators with the
model's permissions, every change audited with the values before and after and versioned
(RuleTableAdmin, ADR 0008). This deployment's own signing keys are shown, never changed, so an
administrator can give an authority's public key to those it sends records to; the private half
is not a field of any form or page. Received transfers hold learner data: not here."""

from django.contrib import admin

from stagewise.audit.admin import ReadOnlyAdmin, RuleTableAdmin
from stagewise.transfers.models import SigningKey, TrustedKey


@admin.register(TrustedKey)
class TrustedKeyAdmin(RuleTableAdmin):
    list_display = ["organisation_name", "key_id", "added_at", "revoked_at"]
    search_fields = ["organisation_name", "key_id"]
    fields = ["organisation_name", "public_key", "key_id", "revoked_at"]
    readonly_fields = ["key_id"]


@admin.register(SigningKey)
class SigningKeyAdmin(ReadOnlyAdmin):
    list_display = ["authority", "key_id", "created_at", "retired_at"]
    fields = ("authority", "key_id", "public_key", "created_at", "retired_at")
    readonly_fields = ("authority", "key_id", "public_key", "created_at", "retired_at")
