from django.urls import path

from . import pickers, views

app_name = "org"

urlpatterns = [
    path("units/", views.unit_list, name="unit_list"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("cadres/", views.person_list, name="person_list"),
    path("cadres/export.xlsx", views.person_export, name="person_export"),
    path("cadres/new/", views.person_create, name="person_create"),
    path("cadres/<int:pk>/", views.person_detail, name="person_detail"),
    path("cadres/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("import/", views.roster_import, name="roster_import"),
    path("import/template.xlsx", views.roster_template, name="roster_template"),
    path("accounts/", views.user_list, name="user_list"),
    path("accounts/new/", views.user_create, name="user_create"),
    path("accounts/<int:pk>/", views.user_detail, name="user_detail"),
    path("accounts/<int:pk>/roles/", views.role_assign, name="role_assign"),
    path("accounts/<int:pk>/password/", views.user_password_reset, name="user_password_reset"),
    path("roles/<int:pk>/revoke/", views.role_revoke, name="role_revoke"),
    path("pick/units/", pickers.pick_units, name="pick_units"),
    path("pick/people/", pickers.pick_people, name="pick_people"),
]
