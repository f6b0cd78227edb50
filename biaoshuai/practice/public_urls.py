"""Pages of this app on the public portal (no login), mounted under /portal/practice/."""

from django.urls import path

from . import views

app_name = "practice_public"

urlpatterns = [
    path("", views.exemplar_list, name="exemplar_list"),
]
