from django.urls import path

from . import views

app_name = "appraisal"

urlpatterns = [
    path("self-check/", views.self_check_mine, name="self_check_mine"),
    path("self-checks/", views.self_check_overview, name="self_check_overview"),
    path("self-checks/unit/<int:pk>/", views.self_check_unit, name="self_check_unit"),
    path("self-checks/<int:pk>/", views.self_check_detail, name="self_check_detail"),
    path("self-checks/<int:pk>/return/", views.self_check_return, name="self_check_return"),
    path("reviews/", views.appraisal_list, name="appraisal_list"),
    path("reviews/<int:pk>/", views.appraisal_detail, name="appraisal_detail"),
    path(
        "reviews/<int:pk>/state/<str:action>/",
        views.appraisal_transition,
        name="appraisal_transition",
    ),
    path("mine/", views.my_appraisals, name="my_appraisals"),
    path("mine/<int:pk>/", views.my_appraisal, name="my_appraisal"),
]
