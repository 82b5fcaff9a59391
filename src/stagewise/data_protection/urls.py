"""/data-protection/: an authority's data protection officer's pages."""

from django.urls import path

from stagewise.data_protection import views

app_name = "data_protection"

urlpatterns = [
    path("subject-access/", views.subject_access_find_view, name="find"),
    path(
        "subject-access/<public_id:learner_id>/",
        views.subject_access_view,
        name="subject_access",
    ),
    path(
        "subject-access/<public_id:learner_id>/export.zip",
        views.subject_access_download_view,
        name="download",
    ),
    path(
        "subject-access/<public_id:learner_id>/export.pdf",
        views.subject_access_pdf_view,
        name="pdf",
    ),
    path("retention/", views.retention_review_view, name="retention"),
    path(
        "retention/<public_id:learner_id>/erase/",
        views.learner_erase_view,
        name="erase",
    ),
    path(
        "retention/<public_id:learner_id>/erase/<str:record_type>/",
        views.records_erase_view,
        name="erase_records",
    ),
]
