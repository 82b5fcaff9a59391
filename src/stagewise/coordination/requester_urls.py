from django.urls import path

import stagewise.url_converters  # noqa: F401  (registers <public_id:...>)
from stagewise.coordination import requester_views as views

app_name = "requests"

# Mounted under /learners/<learner_id>/requests/: every request is reached through its learner.
urlpatterns = [
    path("", views.request_list_view, name="list"),
    path("new/", views.request_new_view, name="new"),
    path("<public_id:request_id>/", views.request_detail_view, name="detail"),
    path("<public_id:request_id>/edit/", views.request_edit_view, name="edit"),
    path("<public_id:request_id>/consent/", views.consent_record_view, name="consent"),
    path("<public_id:request_id>/lawful-basis/", views.lawful_basis_view, name="lawful_basis"),
    path("<public_id:request_id>/send/", views.request_send_view, name="send"),
    path("<public_id:request_id>/withdraw/", views.request_withdraw_view, name="withdraw"),
    path(
        "<public_id:request_id>/contributions/<public_id:contribution_id>/accept/",
        views.contribution_accept_view,
        name="contribution_accept",
    ),
]

# Mounted under /learners/<learner_id>/sharing/: a consent, reached through its learner by the
# family who gave it or the school that recorded it.
sharing_urlpatterns = (
    [
        path(
            "<public_id:consent_id>/withdraw/",
            views.consent_withdraw_view,
            name="consent_withdraw",
        )
    ],
    "sharing",
)
