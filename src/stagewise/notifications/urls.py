from django.urls import path

from stagewise.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list_view, name="list"),
    path("read-all/", views.notification_read_all_view, name="read_all"),
    path("<int:notification_id>/read/", views.notification_read_view, name="read"),
]
