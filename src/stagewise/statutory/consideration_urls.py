from django.urls import path

import stagewise.url_converters  # noqa: F401  (registers <public_id:...>)
from stagewise.statutory import consideration_views as views

app_name = "considerations"

# Mounted under /learners/<learner_id>/coordinated-support-plan-considerations/.
urlpatterns = [
    path("", views.consideration_list_view, name="list"),
    path("new/", views.consideration_add_view, name="add"),
]
