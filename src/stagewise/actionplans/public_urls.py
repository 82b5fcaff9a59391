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
]
