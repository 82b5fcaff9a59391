from django.urls import path

from stagewise.organisations import views

app_name = "organisations"

urlpatterns = [
    path("", views.index, name="index"),
]
