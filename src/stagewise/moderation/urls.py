from django.urls import path

from stagewise.moderation import views

app_name = "moderation"

urlpatterns = [
    path("", views.index_view, name="index"),
    path("samples/draw/", views.sample_draw_view, name="draw"),
    path("samples/<uuid:sample_id>/", views.sample_view, name="sample"),
    path("samples/<uuid:sample_id>/assign/", views.assign_view, name="assign"),
    path("cases/<uuid:case_id>/", views.case_view, name="case"),
    path("cases/<uuid:case_id>/reassign/", views.reassign_view, name="reassign"),
    path("returned/<uuid:case_id>/", views.returned_view, name="returned"),
]
