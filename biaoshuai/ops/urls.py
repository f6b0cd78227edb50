"""Endpoints for load balancers and monitoring, mounted at the site's root."""

from django.urls import path

from . import health, metrics

app_name = "ops"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics, name="metrics"),
]
