from django.urls import path

from stagewise.roll_imports import views

app_name = "roll_imports"

urlpatterns = [
    path("", views.upload, name="upload"),
    path("<uuid:import_id>/", views.detail, name="detail"),
    path("mappings/add/", views.mapping_add, name="mapping_add"),
    path("mappings/added/", views.mapping_add_done, name="mapping_add_done"),
    path("mappings/<int:mapping_id>/", views.mapping_change, name="mapping_change"),
    path("mappings/<int:mapping_id>/retire/", views.mapping_retire, name="mapping_retire"),
    path("mappings/<int:mapping_id>/reinstate/", views.mapping_reinstate, name="mapping_reinstate"),
]
