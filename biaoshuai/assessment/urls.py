from django.urls import path

from . import views

app_name = "assessment"

urlpatterns = [
    path("", views.ranking, name="ranking"),
    path("units/<int:unit_id>/", views.unit_detail, name="unit_detail"),
    path("export/", views.ranking_export, name="ranking_export"),
    path("recompute/", views.recompute, name="recompute"),
    path("manual/", views.manual_scores, name="manual_scores"),
    path("dashboard/", views.dashboard, name="dashboard"),
]
