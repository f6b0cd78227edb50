from django.urls import path

from . import views

app_name = "study"

urlpatterns = [
    path("", views.my_study, name="my_study"),
    path("sessions/", views.session_list, name="session_list"),
    path("sessions/new/", views.session_create, name="session_create"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:pk>/qr/", views.session_qr, name="session_qr"),
    path("sessions/<int:pk>/attendance/", views.attendance_mark, name="attendance_mark"),
    path("sessions/<int:pk>/materials/", views.material_upload, name="material_upload"),
    path("materials/<int:pk>/", views.material_download, name="material_download"),
    path("materials/<int:pk>/delete/", views.material_delete, name="material_delete"),
    path("sign-in/<str:token>/", views.sign_in, name="sign_in"),
    path("deliverables/", views.deliverable_list, name="deliverable_list"),
    path("deliverables/new/", views.deliverable_create, name="deliverable_create"),
    path("deliverables/<int:pk>/", views.deliverable_detail, name="deliverable_detail"),
    path("deliverables/<int:pk>/edit/", views.deliverable_edit, name="deliverable_edit"),
    path("deliverables/<int:pk>/submit/", views.deliverable_submit, name="deliverable_submit"),
    path("deliverables/<int:pk>/review/", views.deliverable_review, name="deliverable_review"),
    path("deliverables/<int:pk>/file/", views.deliverable_file, name="deliverable_file"),
    path("deliverables/history/<int:pk>/file/", views.event_file, name="event_file"),
    path("completion/", views.completion_matrix, name="completion"),
    path("completion/export.xlsx", views.completion_export, name="completion_export"),
    path("completion/units/<int:pk>/", views.completion_unit, name="completion_unit"),
    path("completion/refresh/", views.completion_refresh, name="completion_refresh"),
]
