from django.urls import path

import stagewise.url_converters  # noqa: F401  (registers <public_id:...>)
from stagewise.learners import move_views, sharing_views, support_views, views

app_name = "learners"

# <public_id:learner_id> matches a learner's id in any spelling; CanonicalRecordIdMiddleware sends
# other spellings to the canonical (lower-case, hyphenated) address.
urlpatterns = [
    path("", views.learner_list_view, name="list"),
    path("summary/", views.caseload_summary_view, name="summary"),
    # The second door (learners/access.records_written_here_for): the school a learner left.
    path("moved-away/", move_views.moved_away_list_view, name="moved_away"),
    path(
        "moved-away/<public_id:learner_id>/",
        move_views.moved_away_records_view,
        name="moved_away_records",
    ),
    path("<public_id:learner_id>/", views.learner_profile_view, name="profile"),
    path(
        "<public_id:learner_id>/access-history/",
        views.learner_access_history_view,
        name="access_history",
    ),
    path("<public_id:learner_id>/edit/", views.learner_edit_view, name="edit"),
    path("<public_id:learner_id>/move/", move_views.learner_move_view, name="move"),
    path(
        "<public_id:learner_id>/what-parents-see/",
        sharing_views.parent_sharing_view,
        name="parent_sharing",
    ),
    path(
        "<public_id:learner_id>/what-parents-see/record/",
        sharing_views.parent_sharing_record_view,
        name="parent_sharing_record",
    ),
    path("<public_id:learner_id>/moves/", move_views.learner_moves_view, name="moves"),
    path(
        "<public_id:learner_id>/transitions/",
        move_views.transition_list_view,
        name="transitions",
    ),
    path(
        "<public_id:learner_id>/transitions/add/",
        move_views.transition_add_view,
        name="transition_add",
    ),
    path("<public_id:learner_id>/needs/add/", support_views.need_add, name="need_add"),
    path(
        "<public_id:learner_id>/needs/<int:need_id>/resolve/",
        support_views.need_resolve_view,
        name="need_resolve",
    ),
    path(
        "<public_id:learner_id>/stages/",
        support_views.stage_timeline_view,
        name="stage_timeline",
    ),
    path(
        "<public_id:learner_id>/stages/add/",
        support_views.stage_decision_add,
        name="stage_decision_add",
    ),
    path(
        "<public_id:learner_id>/wellbeing/add/",
        support_views.wellbeing_add,
        name="wellbeing_add",
    ),
    path(
        "<public_id:learner_id>/wellbeing/<int:assessment_id>/",
        support_views.wellbeing_detail,
        name="wellbeing",
    ),
    path("<public_id:learner_id>/chronology/", support_views.chronology_view, name="chronology"),
    path(
        "<public_id:learner_id>/chronology/add/",
        support_views.chronology_add,
        name="chronology_add",
    ),
]
