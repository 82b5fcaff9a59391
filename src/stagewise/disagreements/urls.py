from django.urls import path

import stagewise.url_converters  # noqa: F401  (registers <public_id:...>)
from stagewise.disagreements import views

app_name = "disagreements"

# Mounted under /learners/<learner_id>/disagreements/: reached through the learner.
urlpatterns = [
    path("", views.disagreement_list_view, name="list"),
    path("new/", views.disagreement_new_view, name="new"),
    path("<public_id:disagreement_id>/move/", views.disagreement_move_view, name="move"),
    path(
        "<public_id:disagreement_id>/route-taken/",
        views.disagreement_route_taken_view,
        name="route_taken",
    ),
    path("<public_id:disagreement_id>/close/", views.disagreement_close_view, name="close"),
]
