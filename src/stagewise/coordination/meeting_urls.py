from django.urls import path

import stagewise.url_converters  # noqa: F401  (registers <public_id:...>)
from stagewise.coordination import meeting_views as views

app_name = "meetings"

# Mounted under /learners/<learner_id>/meetings/: every meeting is reached through its learner.
urlpatterns = [
    path("", views.meeting_list_view, name="list"),
    path("new/", views.meeting_new_view, name="new"),
    path("<public_id:meeting_id>/", views.meeting_detail_view, name="detail"),
    path("<public_id:meeting_id>/invite/", views.meeting_invite_view, name="invite"),
    path("<public_id:meeting_id>/attendance/", views.meeting_attendance_view, name="attendance"),
    path("<public_id:meeting_id>/views/", views.meeting_views_view, name="views"),
    path("<public_id:meeting_id>/minutes/", views.meeting_minutes_view, name="minutes"),
    path("<public_id:meeting_id>/actions/new/", views.meeting_action_add_view, name="action_add"),
    path(
        "<public_id:meeting_id>/actions/<public_id:action_id>/done/",
        views.meeting_action_done_view,
        name="action_done",
    ),
]
