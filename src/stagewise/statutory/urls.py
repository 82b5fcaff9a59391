from django.urls import path

import stagewise.url_converters  # noqa: F401  (registers <public_id:...>)
from stagewise.statutory import views

app_name = "statutory"

# Mounted under /learners/<learner_id>/timescales/: every clock is reached through its learner.
urlpatterns = [
    path("", views.process_list_view, name="process_list"),
    path("start/", views.process_start_view, name="process_start"),
    path("<public_id:process_id>/", views.process_detail_view, name="process_detail"),
    path("<public_id:process_id>/pause/", views.process_pause_view, name="process_pause"),
    path("<public_id:process_id>/resume/", views.process_resume_view, name="process_resume"),
    path("<public_id:process_id>/new-date/", views.process_extend_view, name="process_extend"),
    path("<public_id:process_id>/close/", views.process_close_view, name="process_close"),
]
