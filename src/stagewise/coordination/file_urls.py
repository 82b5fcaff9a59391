"""Addresses of the files sent with requests for assistance: two lists, each included once from
stagewise/urls.py. The requester's side is mounted under the learner
(/learners/<learner_id>/requests/<request_id>/files/), the service's side under the service's
requests (/services/requests/<request_id>/files/)."""

from django.urls import path

import stagewise.url_converters  # noqa: F401  (registers <public_id:...>)
from stagewise.coordination import file_views

learner_urlpatterns = [
    path("add/", file_views.files_view, name="add"),
    path("<public_id:attachment_id>/", file_views.learner_file_download_view, name="download"),
    path("<public_id:attachment_id>/remove/", file_views.file_remove_view, name="remove"),
]

service_urlpatterns = [
    path(
        "<public_id:attachment_id>/",
        file_views.service_file_download_view,
        name="download",
    ),
]
