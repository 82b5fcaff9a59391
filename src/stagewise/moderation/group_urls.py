from django.urls import path

from stagewise.moderation import group_views

app_name = "moderation_groups"

urlpatterns = [
    path("", group_views.group_list_view, name="list"),
    path("add/", group_views.group_create_view, name="create"),
    path("<int:group_id>/change/", group_views.group_update_view, name="update"),
]
