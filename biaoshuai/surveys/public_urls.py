"""Pages of this app on the public portal (no login), mounted under /portal/surveys/."""

from django.urls import path  # noqa: F401

app_name = "surveys_public"

urlpatterns = []
