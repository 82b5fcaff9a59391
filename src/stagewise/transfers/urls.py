from django.urls import path

import stagewise.url_converters  # noqa: F401  (registers <public_id:...>)
from stagewise.transfers import views

app_name = "transfers"
urlpatterns = [
    path("import/", views.transfer_import_view, name="import"),
    path("signing-keys/", views.signing_keys_view, name="signing_keys"),
    path(
        "signing-keys/<int:authority_id>/replace/",
        views.signing_key_replace_view,
        name="signing_key_replace",
    ),
    path("learners/<public_id:learner_id>/export/", views.transfer_export_view, name="export"),
    path(
        "learners/<public_id:learner_id>/received/",
        views.transfers_received_view,
        name="received",
    ),
]
