"""The census return: /census/ (the actor's school's or authority's), and its CSV."""

from django.urls import path

from stagewise.measurement import census_views

app_name = "census"

urlpatterns = [
    path("", census_views.census_return_view, name="return"),
    path("download/", census_views.census_download_view, name="download"),
]
