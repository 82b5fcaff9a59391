from django.urls import path

from stagewise.api import admin_views
from stagewise.webhooks import admin_views as webhook_views

app_name = "integrations"

urlpatterns = [
    path("", admin_views.integration_list_view, name="list"),
    path("add/", admin_views.integration_create_view, name="create"),
    path("<int:integration_id>/tokens/add/", admin_views.token_create_view, name="token_create"),
    path("tokens/<int:token_id>/revoke/", admin_views.token_revoke_view, name="token_revoke"),
    # Webhooks (ADR 0054): an integration's subscriptions and their deliveries.
    path("<int:integration_id>/webhooks/", webhook_views.webhook_list_view, name="webhooks"),
    path(
        "<int:integration_id>/webhooks/add/",
        webhook_views.webhook_create_view,
        name="webhook_create",
    ),
    *(
        path(
            f"webhooks/<int:subscription_id>/{change}/",
            webhook_views.webhook_change_view,
            {"change": change},
            name=f"webhook_{change}",
        )
        for change in webhook_views.CHANGES
    ),
    path(
        "webhooks/deliveries/<int:delivery_id>/send-again/",
        webhook_views.webhook_resend_view,
        name="webhook_resend",
    ),
]
