from django.urls import path

from stagewise.actionplans import views

app_name = "action_plans"

urlpatterns = [
    path("", views.index_view, name="index"),
    path("actions/<int:action_id>/", views.action_view, name="action"),
    path("actions/<int:action_id>/progress/", views.progress_update_view, name="progress_update"),
    path("actions/<int:action_id>/status/", views.status_change_view, name="status_change"),
    path("actions/<int:action_id>/evidence/", views.evidence_view, name="evidence"),
    path(
        "actions/<int:action_id>/evidence/<int:evidence_id>/file/",
        views.evidence_file_view,
        name="evidence_file",
    ),
    path("actions/<int:action_id>/measures/", views.measure_link_view, name="measure_link"),
]
