"""Pages of this app on the public portal (no login), mounted under /portal/rectification/."""

from django.urls import path

from .views.public import board

app_name = "rectification_public"

urlpatterns = [
    path("", board, name="board"),
]
