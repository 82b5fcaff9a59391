from django.urls import path

from stagewise.actionplans import report_views, views

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
    path("progress-reports/", report_views.reports_view, name="reports"),
    path("progress-reports/new/", report_views.report_new_view, name="report_new"),
    path("progress-reports/<int:report_id>/", report_views.report_view, name="report"),
    path(
        "progress-reports/<int:report_id>/publish/",
        report_views.report_publish_view,
        name="report_publish",
    ),
    path(
        "progress-reports/<int:report_id>/delete/",
        report_views.report_delete_view,
        name="report_delete",
    ),
    path(
        "progress-reports/<int:report_id>/report.pdf",
        report_views.report_pdf_view,
        name="report_pdf",
    ),
    path(
        "progress-reports/<int:report_id>/report.csv",
        report_views.report_csv_view,
        name="report_csv",
    ),
]
