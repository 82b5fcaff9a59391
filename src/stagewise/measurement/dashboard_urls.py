"""The measures dashboards: /measures/ (one's own), then a scope and a measure."""

from django.urls import path

from stagewise.measurement import (
    annual_report_views,
    consistency_views,
    dashboard_views,
    departure_list_views,
    funding_views,
)

app_name = "dashboards"

urlpatterns = [
    path("", dashboard_views.own_dashboard_view, name="own"),
    path("consistency/", consistency_views.consistency_view, name="consistency"),
    path(
        "consistency/departures/",
        departure_list_views.departure_list_view,
        name="consistency_departures",
    ),
    path("<str:level>/<str:key>/", dashboard_views.dashboard_view, name="dashboard"),
    path("authority/<str:key>/funding/", funding_views.funding_view, name="funding"),
    path(
        "authority/<str:key>/funding/<uuid:allocation_id>/remove/",
        funding_views.funding_remove_view,
        name="funding_remove",
    ),
    path(
        "<str:level>/<str:key>/report/",
        annual_report_views.annual_report_view,
        name="annual_report",
    ),
    path("<str:level>/<str:key>/<slug:code>/", dashboard_views.measure_view, name="measure"),
]
