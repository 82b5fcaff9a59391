from django.urls import path

from stagewise.api import admin_views

app_name = "integrations"

urlpatterns = [
    path("", admin_views.integration_list_view, name="list"),
    path("add/", admin_views.integration_create_view, name="create"),
    path("<int:integration_id>/tokens/add/", admin_views.token_create_view, name="token_create"),
    path("tokens/<int:token_id>/revoke/", admin_views.token_revoke_view, name="token_revoke"),
]
