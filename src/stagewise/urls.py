from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path

import stagewise.url_converters  # noqa: F401  (registers <public_id:...>)
from stagewise.accounts import views as account_views
from stagewise.api.api import api
from stagewise.coordination import file_urls
from stagewise.coordination.requester_urls import sharing_urlpatterns
from stagewise.coordination.requester_views import shared_without_consent_view
from stagewise.disagreements.views import open_disagreements_view
from stagewise.families.home_views import who_has_looked_view
from stagewise.families.transition_part_views import transition_family_part_view
from stagewise.measurement.import_views import outcome_import_view
from stagewise.planning.views import plans_agreed_here_view
from stagewise.statutory.board_views import deadline_board_view

# The configuration admin site signs people in through allauth, so two-factor applies there too.
admin.site.login = login_required(admin.site.login)  # type: ignore[method-assign]
admin.site.site_header = "Stagewise configuration"
admin.site.site_title = "Stagewise configuration"

# 403 and 404 use Django's views with the templates of the same names.
handler400 = "stagewise.accounts.error_views.bad_request"
# 500, or 503 when the database cannot be reached (ADR 0041).
handler500 = "stagewise.accounts.error_views.server_error"

urlpatterns = [
    path("", account_views.home, name="home"),
    path("accounts/", include("allauth.urls")),
    path("me/", include("stagewise.accounts.urls")),
    path("notifications/", include("stagewise.notifications.urls")),
    path("data-protection/", include("stagewise.data_protection.urls")),
    path("action-plans/", include("stagewise.actionplans.urls")),
    path("national-action-plans/", include("stagewise.actionplans.public_urls")),
    path("local-action-plans/", include("stagewise.actionplans.local_urls")),
    path("moderation/", include("stagewise.moderation.urls")),
    path("record-transfers/", include("stagewise.transfers.urls")),
    path(
        "learners/<public_id:learner_id>/plans/<str:plan_id>/views-before-review/",
        include("stagewise.families.review_views_urls"),
    ),
    path(
        "learners/<public_id:learner_id>/plans/<str:plan_id>/reviews/<int:review_id>/your-say/",
        include("stagewise.families.feedback_urls"),
    ),
    path("learners/<public_id:learner_id>/plans/", include("stagewise.planning.urls")),
    path("learners/<public_id:learner_id>/timescales/", include("stagewise.statutory.urls")),
    path(
        "learners/<public_id:learner_id>/coordinated-support-plan-considerations/",
        include("stagewise.statutory.consideration_urls"),
    ),
    path(
        "learners/<public_id:learner_id>/requests/<public_id:request_id>/files/",
        include((file_urls.learner_urlpatterns, "request_files")),
    ),
    path(
        "learners/<public_id:learner_id>/requests/",
        include("stagewise.coordination.requester_urls"),
    ),
    path("learners/<public_id:learner_id>/sharing/", include(sharing_urlpatterns)),
    path(
        "learners/<public_id:learner_id>/meetings/",
        include("stagewise.coordination.meeting_urls"),
    ),
    path(
        "learners/<public_id:learner_id>/rights-requests/",
        include("stagewise.families.urls"),
    ),
    path(
        "learners/<public_id:learner_id>/disagreements/",
        include("stagewise.disagreements.urls"),
    ),
    path(
        "learners/<public_id:learner_id>/outcomes/",
        include("stagewise.measurement.urls"),
    ),
    path(
        "learners/<public_id:learner_id>/who-has-looked/",
        who_has_looked_view,
        name="who_has_looked",
    ),
    path(
        "learners/<public_id:learner_id>/transitions/<public_id:transition_id>/your-part/",
        transition_family_part_view,
        name="transition_family_part",
    ),
    # The second door (learners/access.records_written_here_for): the plans the school a learner
    # left agreed, beside what else it wrote (learners:moved_away_records).
    path(
        "learners/moved-away/<public_id:learner_id>/plans/",
        plans_agreed_here_view,
        name="plans_agreed_here",
    ),
    path("learners/", include("stagewise.learners.urls")),
    path(
        "requests/shared-without-consent/",
        shared_without_consent_view,
        name="shared_without_consent",
    ),
    path(
        "services/requests/<public_id:request_id>/files/",
        include((file_urls.service_urlpatterns, "service_request_files")),
    ),
    path("deadlines/", deadline_board_view, name="deadline_board"),
    path("disagreements/", open_disagreements_view, name="open_disagreements"),
    path("outcomes/import/", outcome_import_view, name="outcome_import"),
    path("roll-imports/", include("stagewise.roll_imports.urls")),
    path("pathways/", include("stagewise.coordination.pathway_urls")),
    path("information/", include("stagewise.organisations.public_information_urls")),
    path("thresholds/", include("stagewise.statutory.threshold_urls")),
    path("services/", include("stagewise.coordination.service_urls")),
    path("", include("stagewise.coordination.measures_urls")),
    path("measures/", include("stagewise.measurement.dashboard_urls")),
    path("census/", include("stagewise.measurement.census_urls")),
    path("administration/moderation-groups/", include("stagewise.moderation.group_urls")),
    path("administration/integrations/", include("stagewise.api.admin_urls")),
    path("api/", api.urls),
    path("administration/", include("stagewise.organisations.urls")),
    path("django-admin/", admin.site.urls),
]
