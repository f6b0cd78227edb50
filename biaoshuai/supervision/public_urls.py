"""Pages of this app on the public portal (no login), mounted under /portal/supervision/."""

from django.urls import path  # noqa: F401

app_name = "supervision_public"

urlpatterns = []
