from django.urls import path

from stagewise.coordination import pathway_views as views

app_name = "pathways"

urlpatterns = [
    path("", views.pathway_index, name="index"),
    path("<slug:authority_code>/", views.pathway_authority, name="authority"),
    path("<slug:authority_code>/services/", views.pathway_manage, name="manage"),
    path(
        "<slug:authority_code>/services/<int:agency_id>/edit/",
        views.pathway_edit,
        name="edit",
    ),
]
