from django.urls import path

from stagewise.actionplans import public_views

app_name = "public_action_plans"

urlpatterns = [
    path("", public_views.public_index_view, name="index"),
    path("actions/<int:action_id>/", public_views.public_action_view, name="action"),
    path(
        "local-actions/<int:local_action_id>/",
        public_views.public_local_action_view,
        name="local_action",
    ),
    path("updates.atom", public_views.progress_updates_feed, name="feed"),
    path("progress-reports/", public_views.public_reports_view, name="reports"),
    path("progress-reports/<int:report_id>/", public_views.public_report_view, name="report"),
    path(
        "progress-reports/<int:report_id>/report.pdf",
        public_views.public_report_pdf_view,
        name="report_pdf",
    ),
    path(
        "progress-reports/<int:report_id>/report.csv",
        public_views.public_report_csv_view,
        name="report_csv",
    ),
]
