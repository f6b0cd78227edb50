"""Pages of this app on the public portal (no login), mounted under /portal/publicity/."""

from django.urls import path  # noqa: F401

app_name = "publicity_public"

urlpatterns = []
