"""Pages of this app on the public portal (no login), mounted under /portal/surveys/."""

from django.urls import path

from . import public_views

app_name = "surveys_public"

urlpatterns = [
    path("", public_views.public_list, name="list"),
    path("<int:pk>/", public_views.public_answer, name="answer"),
    path("<int:pk>/thanks/", public_views.public_thanks, name="thanks"),
]
