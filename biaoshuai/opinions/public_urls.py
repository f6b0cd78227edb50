"""Pages of this app on the public portal (no login), mounted under /portal/opinions/."""

from django.urls import path

from . import public_views

app_name = "opinions_public"

urlpatterns = [
    path("", public_views.submit, name="submit"),
    path("thanks/", public_views.thanks, name="thanks"),
    path("track/", public_views.track, name="track"),
    path("rate/", public_views.rate, name="rate"),
    path("disclosed/", public_views.disclosed, name="disclosed"),
]
