from django.urls import path

from stagewise.organisations import public_information_views as views

app_name = "information"

urlpatterns = [
    path("", views.information_index, name="index"),
    path("<slug:authority_code>/", views.information_authority, name="authority"),
    path("<slug:authority_code>/edit/", views.information_statement_edit, name="statement_edit"),
    path(
        "<slug:authority_code>/schools/<int:setting_id>/",
        views.information_school,
        name="school",
    ),
    path(
        "<slug:authority_code>/schools/<int:setting_id>/edit/",
        views.information_offer_edit,
        name="offer_edit",
    ),
]
