from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("work/badges/", views.work_badges, name="work_badges"),
]
