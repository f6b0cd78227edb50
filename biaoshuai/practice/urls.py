from django.urls import path

from . import views

app_name = "practice"

urlpatterns = [
    path("discussions/", views.discussion_list, name="discussion_list"),
    path("discussions/export.xlsx", views.discussion_export, name="discussion_export"),
    path("discussions/new/", views.discussion_create, name="discussion_create"),
    path("discussions/<int:pk>/", views.discussion_detail, name="discussion_detail"),
    path("discussions/<int:pk>/edit/", views.discussion_edit, name="discussion_edit"),
    path(
        "discussions/<int:pk>/exemplar/<slug:action>/",
        views.exemplar_action,
        {"kind": "discussion"},
        name="discussion_exemplar",
    ),
    path("pairings/", views.pairing_list, name="pairing_list"),
    path("pairings/export.xlsx", views.pairing_export, name="pairing_export"),
    path("pairings/new/", views.pairing_create, name="pairing_create"),
    path("pairings/<int:pk>/", views.pairing_detail, name="pairing_detail"),
    path("pairings/<int:pk>/edit/", views.pairing_edit, name="pairing_edit"),
    path(
        "pairings/<int:pk>/exemplar/<slug:action>/",
        views.exemplar_action,
        {"kind": "pairing"},
        name="pairing_exemplar",
    ),
    path("pairings/<int:pairing_pk>/visits/new/", views.visit_create, name="visit_create"),
    path("visits/", views.visit_list, name="visit_list"),
    path("visits/export.xlsx", views.visit_export, name="visit_export"),
    path("visits/<int:pk>/edit/", views.visit_edit, name="visit_edit"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("placements/", views.placement_list, name="placement_list"),
    path("placements/export.xlsx", views.placement_export, name="placement_export"),
    path("placements/new/", views.placement_create, name="placement_create"),
    path("placements/<int:pk>/", views.placement_detail, name="placement_detail"),
    path("placements/<int:pk>/edit/", views.placement_edit, name="placement_edit"),
    path("placements/<int:pk>/report/", views.placement_report, name="placement_report"),
    path(
        "placements/<int:pk>/exemplar/<slug:action>/",
        views.exemplar_action,
        {"kind": "placement"},
        name="placement_exemplar",
    ),
]
