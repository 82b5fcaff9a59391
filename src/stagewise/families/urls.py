from django.urls import path

import stagewise.url_converters  # noqa: F401  (registers <public_id:...>)
from stagewise.families import views

app_name = "rights_requests"

# Mounted under /learners/<learner_id>/rights-requests/: every request is reached through its
# learner.
urlpatterns = [
    path("", views.rights_request_list_view, name="list"),
    path("new/", views.rights_request_new_view, name="new"),
    path("record/", views.rights_request_record_view, name="record"),
    path("capacity/", views.capacity_assessment_view, name="capacity"),
    path("<public_id:request_id>/decide/", views.rights_request_decide_view, name="decide"),
]
