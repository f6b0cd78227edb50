from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("column/", views.column, name="column"),
    path("feed/", views.feed, name="feed"),
]
