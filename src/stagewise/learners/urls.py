from django.urls import path

from stagewise.learners import support_views, views

app_name = "learners"

urlpatterns = [
    path("", views.learner_list_view, name="list"),
    path("summary/", views.caseload_summary_view, name="summary"),
    path("<str:learner_id>/", views.learner_profile_view, name="profile"),
    path(
        "<str:learner_id>/access-history/", views.learner_access_history_view, name="access_history"
    ),
    path("<str:learner_id>/edit/", views.learner_edit_view, name="edit"),
    path("<str:learner_id>/needs/add/", support_views.need_add, name="need_add"),
    path(
        "<str:learner_id>/needs/<int:need_id>/resolve/",
        support_views.need_resolve_view,
        name="need_resolve",
    ),
    path("<str:learner_id>/stages/", support_views.stage_timeline_view, name="stage_timeline"),
    path(
        "<str:learner_id>/stages/add/", support_views.stage_decision_add, name="stage_decision_add"
    ),
    path("<str:learner_id>/wellbeing/add/", support_views.wellbeing_add, name="wellbeing_add"),
    path(
        "<str:learner_id>/wellbeing/<int:assessment_id>/",
        support_views.wellbeing_detail,
        name="wellbeing",
    ),
    path("<str:learner_id>/chronology/", support_views.chronology_view, name="chronology"),
    path("<str:learner_id>/chronology/add/", support_views.chronology_add, name="chronology_add"),
]
