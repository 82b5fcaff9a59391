from django.urls import path

from stagewise.planning import edit_views, lifecycle_views, views

app_name = "planning"

# Mounted under /learners/<learner_id>/plans/: every plan is reached through its learner.
urlpatterns = [
    path("", views.plan_list_view, name="list"),
    path("new/", edit_views.plan_create_view, name="create"),
    path("progress/", views.progress_view, name="progress"),
    path("<str:plan_id>/", views.plan_detail_view, name="detail"),
    path("<str:plan_id>/dates/", edit_views.plan_details_view, name="details"),
    path(
        "<str:plan_id>/sections/<slug:section_key>/",
        edit_views.section_edit_view,
        name="section",
    ),
    path("<str:plan_id>/targets/add/", edit_views.target_add_view, name="target_add"),
    path("<str:plan_id>/targets/<int:target_id>/", edit_views.target_edit_view, name="target_edit"),
    path(
        "<str:plan_id>/targets/<int:target_id>/remove/",
        edit_views.target_remove_view,
        name="target_remove",
    ),
    path(
        "<str:plan_id>/targets/<int:target_id>/support/add/",
        edit_views.provision_add_view,
        name="provision_add",
    ),
    path(
        "<str:plan_id>/support/<int:provision_id>/remove/",
        edit_views.provision_remove_view,
        name="provision_remove",
    ),
    path("<str:plan_id>/views/add/", edit_views.view_add_view, name="view_add"),
    path(
        "<str:plan_id>/views/<int:view_id>/remove/",
        edit_views.view_remove_view,
        name="view_remove",
    ),
    path("<str:plan_id>/staff-notes/", edit_views.staff_notes_view, name="staff_notes"),
    path("<str:plan_id>/finalise/", lifecycle_views.finalise_view, name="finalise"),
    path("<str:plan_id>/support-in-place/", lifecycle_views.support_in_place_view, name="in_place"),
    path("<str:plan_id>/revise/", lifecycle_views.revise_view, name="revise"),
    path("<str:plan_id>/close/", lifecycle_views.close_view, name="close"),
    path("<str:plan_id>/shared/", lifecycle_views.share_view, name="share"),
    path("<str:plan_id>/respond/", lifecycle_views.respond_view, name="respond"),
    path("<str:plan_id>/review/begin/", lifecycle_views.review_begin_view, name="review_begin"),
    path("<str:plan_id>/review/", lifecycle_views.review_view, name="review"),
    path("<str:plan_id>/versions/compare/", views.version_compare_view, name="compare"),
    path("<str:plan_id>/versions/<str:number>/", views.version_detail_view, name="version"),
    path("<str:plan_id>/print/", views.plan_print_view, name="print"),
    path("<str:plan_id>/pdf/", views.plan_pdf_view, name="pdf"),
]
