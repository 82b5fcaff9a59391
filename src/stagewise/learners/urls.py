from django.urls import path

from stagewise.learners import views

app_name = "learners"

urlpatterns = [
    path("", views.learner_list_view, name="list"),
    path("<str:learner_id>/", views.learner_profile_view, name="profile"),
    path(
        "<str:learner_id>/access-history/", views.learner_access_history_view, name="access_history"
    ),
    path("<str:learner_id>/edit/", views.learner_edit_view, name="edit"),
]
