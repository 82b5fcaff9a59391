from django.urls import path

import stagewise.url_converters  # noqa: F401  (registers <public_id:...>)
from stagewise.measurement import views

app_name = "outcomes"

# Mounted under /learners/<learner_id>/outcomes/: reached through the learner. `kind` is one of
# measurement/outcome_kinds.OUTCOME_KINDS ("attendance", "exclusion", ...); any other is a 404.
urlpatterns = [
    path("", views.outcomes_view, name="list"),
    path("<slug:kind>/new/", views.outcome_add_view, name="add"),
    path("<slug:kind>/<public_id:record_id>/change/", views.outcome_change_view, name="change"),
    path("<slug:kind>/<public_id:record_id>/remove/", views.outcome_remove_view, name="remove"),
]
