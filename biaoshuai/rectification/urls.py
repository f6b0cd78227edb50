from django.urls import path

from . import views

app_name = "rectification"

urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("export/", views.ledger_export, name="ledger_export"),
    path("import/", views.ledger_import, name="ledger_import"),
    path("problems/", views.problem_list, name="problem_list"),
    path("problems/new/", views.problem_create, name="problem_create"),
    path("problems/<int:pk>/", views.problem_detail, name="problem_detail"),
    path("problems/<int:pk>/edit/", views.problem_edit, name="problem_edit"),
    path("problems/<int:problem_pk>/items/new/", views.item_create, name="item_create"),
    path("items/<int:pk>/", views.item_detail, name="item_detail"),
    path("items/<int:pk>/progress/", views.item_progress, name="item_progress"),
    path("items/<int:pk>/start/", views.item_start, name="item_start"),
    path("items/<int:pk>/submit/", views.item_submit, name="item_submit"),
    path("items/<int:pk>/return/", views.item_return, name="item_return"),
    path("items/<int:pk>/close/", views.item_close, name="item_close"),
    path("items/<int:pk>/deadline/", views.deadline_change_request, name="deadline_change_request"),
    path("deadline-changes/", views.deadline_change_list, name="deadline_change_list"),
    path(
        "deadline-changes/<int:pk>/decide/",
        views.deadline_change_decide,
        name="deadline_change_decide",
    ),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("plans/", views.plan_home, name="plan_home"),
    path("plans/completion/", views.plan_completion, name="plan_completion"),
    path("plans/mine/", views.plan_mine, name="plan_mine"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/problems/", views.plan_problem_add, name="plan_problem_add"),
    path("plans/problems/<int:pk>/remove/", views.plan_problem_remove, name="plan_problem_remove"),
    path("plans/<int:pk>/measures/", views.plan_measure_add, name="plan_measure_add"),
    path("plans/measures/<int:pk>/remove/", views.plan_measure_remove, name="plan_measure_remove"),
    path("plans/measures/<int:pk>/action/", views.plan_action, name="plan_action"),
    path("plans/<int:pk>/submit/", views.plan_submit, name="plan_submit"),
    path("plans/<int:pk>/review/", views.plan_review, name="plan_review"),
]
