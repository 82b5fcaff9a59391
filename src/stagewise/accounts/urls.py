from django.urls import path

from stagewise.accounts import views

app_name = "accounts"

urlpatterns = [
    path("switch-role/", views.switch_role, name="switch_role"),
    path("language/", views.language, name="language"),
    path("", views.account_settings, name="settings"),
]
