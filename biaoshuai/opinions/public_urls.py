"""Pages of this app on the public portal (no login), mounted under /portal/opinions/."""

from django.urls import path  # noqa: F401

app_name = "opinions_public"

urlpatterns = []
