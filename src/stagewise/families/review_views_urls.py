from django.urls import path

import stagewise.url_converters  # noqa: F401  (registers <public_id:...>)
from stagewise.families import review_views_views as views

app_name = "review_views"

# Mounted under /learners/<learner_id>/plans/<plan_id>/views-before-review/: reached through the
# learner and their plan.
urlpatterns = [
    path("", views.review_views_detail_view, name="detail"),
    path("invite/", views.review_views_invite_view, name="invite"),
    path("give/", views.review_views_give_view, name="give"),
    path("record/", views.review_views_record_view, name="record"),
]
