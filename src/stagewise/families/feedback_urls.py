from django.urls import path

from stagewise.families import feedback_views as views

app_name = "review_feedback"

# Mounted under /learners/<learner_id>/plans/<plan_id>/reviews/<review_id>/your-say/: reached
# through the learner, their plan and its review.
urlpatterns = [
    path("", views.review_feedback_give_view, name="give"),
    path("decline/", views.review_feedback_decline_view, name="decline"),
]
