from django.urls import path

from stagewise.actionplans import local_views

app_name = "local_action_plans"

urlpatterns = [
    path("", local_views.local_index_view, name="index"),
    path("add/", local_views.local_action_add_view, name="add"),
    path("actions/<int:local_action_id>/", local_views.local_action_view, name="action"),
    path(
        "actions/<int:local_action_id>/progress/",
        local_views.local_progress_update_view,
        name="progress_update",
    ),
    path(
        "actions/<int:local_action_id>/status/",
        local_views.local_status_change_view,
        name="status_change",
    ),
    path(
        "actions/<int:local_action_id>/evidence/",
        local_views.local_evidence_view,
        name="evidence",
    ),
    path(
        "actions/<int:local_action_id>/evidence/<int:evidence_id>/file/",
        local_views.local_evidence_file_view,
        name="evidence_file",
    ),
]
