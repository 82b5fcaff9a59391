from django.urls import path

from stagewise.statutory import threshold_views

app_name = "thresholds"

# Mounted under /thresholds/: nothing here names a learner.
urlpatterns = [
    path("", threshold_views.own_thresholds_view, name="own"),
    path("<slug:authority_code>/", threshold_views.authority_thresholds_view, name="authority"),
]
