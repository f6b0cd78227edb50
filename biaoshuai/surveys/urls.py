from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("", views.survey_list, name="survey_list"),
    path("new/", views.survey_create, name="survey_create"),
    path("mine/", views.my_surveys, name="my_surveys"),
    path("<int:pk>/", views.survey_detail, name="survey_detail"),
    path("<int:pk>/edit/", views.survey_edit, name="survey_edit"),
    path("<int:pk>/sections/new/", views.section_create, name="section_create"),
    path("<int:pk>/questions/new/", views.question_create, name="question_create"),
    path("<int:pk>/rounds/new/", views.round_create, name="round_create"),
    path("<int:pk>/compare/", views.survey_compare, name="survey_compare"),
    path("questions/<int:pk>/edit/", views.question_edit, name="question_edit"),
    path("questions/<int:pk>/delete/", views.question_delete, name="question_delete"),
    path("rounds/<int:pk>/state/<str:action>/", views.round_transition, name="round_transition"),
    path("rounds/<int:pk>/results/", views.round_results, name="round_results"),
    path(
        "rounds/<int:pk>/questions/<int:question_pk>/answers/",
        views.round_texts,
        name="round_texts",
    ),
    path("rounds/<int:pk>/export.xlsx", views.round_export, name="round_export"),
    path("rounds/<int:pk>/answer/", views.cadre_answer, name="answer"),
    path("rounds/<int:pk>/thanks/", views.cadre_thanks, name="thanks"),
]
