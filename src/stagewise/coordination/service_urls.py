"""The service's own pages: its queue, its requests from its side, a practitioner's requests and
the advice and assessments they wrote."""

from django.urls import path

import stagewise.url_converters  # noqa: F401  (registers <public_id:...>)
from stagewise.coordination import service_views

app_name = "services"

urlpatterns = [
    path("queue/", service_views.service_queue_view, name="queue"),
    path("my-requests/", service_views.practitioner_requests_view, name="my_requests"),
    path("requests/<public_id:request_id>/", service_views.service_request_view, name="request"),
    path("requests/<public_id:request_id>/accept/", service_views.accept_view, name="accept"),
    path(
        "requests/<public_id:request_id>/waiting-list/",
        service_views.waiting_list_view,
        name="waiting_list",
    ),
    path("requests/<public_id:request_id>/decline/", service_views.decline_view, name="decline"),
    path("requests/<public_id:request_id>/allocate/", service_views.allocate_view, name="allocate"),
    path("requests/<public_id:request_id>/start/", service_views.start_view, name="start"),
    path("requests/<public_id:request_id>/complete/", service_views.complete_view, name="complete"),
    path(
        "requests/<public_id:request_id>/contributions/add/",
        service_views.contribution_add_view,
        name="contribution_add",
    ),
    path("my-contributions/", service_views.own_contributions_view, name="my_contributions"),
    path(
        "my-contributions/<public_id:contribution_id>/",
        service_views.own_contribution_view,
        name="my_contribution",
    ),
]
