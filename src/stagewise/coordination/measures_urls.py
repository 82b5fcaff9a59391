"""The measures of requests for assistance: a service's, an authority's, and the nation's."""

from django.urls import path

from stagewise.coordination import measures_views

app_name = "measures"

urlpatterns = [
    path("services/measures/", measures_views.service_measures_view, name="service"),
    path("requests/measures/", measures_views.authority_measures_view, name="authority"),
    path(
        "requests/measures/national/",
        measures_views.national_measures_view,
        name="national",
    ),
]
