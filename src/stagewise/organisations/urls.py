from django.urls import path

from stagewise.organisations import views

app_name = "organisations"

urlpatterns = [
    path("", views.index, name="index"),
    path("authorities/<int:authority_id>/", views.authority_detail, name="authority_detail"),
    path(
        "authorities/<int:authority_id>/settings/add/",
        views.setting_create_view,
        name="setting_create",
    ),
    path("settings/<int:setting_id>/change/", views.setting_update_view, name="setting_update"),
    path(
        "authorities/<int:authority_id>/agencies/add/",
        views.agency_create_view,
        name="agency_create",
    ),
    path("agencies/<int:agency_id>/change/", views.agency_update_view, name="agency_update"),
    path("authorities/<int:authority_id>/calendar/", views.calendar_detail, name="calendar_detail"),
    path(
        "authorities/<int:authority_id>/calendar/add/",
        views.calendar_period_create_view,
        name="calendar_period_create",
    ),
    path(
        "calendar-periods/<int:period_id>/change/",
        views.calendar_period_update_view,
        name="calendar_period_update",
    ),
    path(
        "calendar-periods/<int:period_id>/delete/",
        views.calendar_period_delete_view,
        name="calendar_period_delete",
    ),
    path("calendars/upload/", views.calendar_upload_view, name="calendar_upload"),
    path("people/", views.person_list_view, name="person_list"),
    path("people/add/", views.person_create_view, name="person_create"),
    path("people/<int:person_id>/", views.person_detail, name="person_detail"),
    path(
        "people/<int:person_id>/memberships/add/",
        views.membership_create_view,
        name="membership_create",
    ),
    path("memberships/", views.membership_list_view, name="membership_list"),
    path("memberships/<int:membership_id>/end/", views.membership_end_view, name="membership_end"),
]
