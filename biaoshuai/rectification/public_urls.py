"""Pages of this app on the public portal (no login), mounted under /portal/rectification/."""

from django.urls import path  # noqa: F401

app_name = "rectification_public"

urlpatterns = []
