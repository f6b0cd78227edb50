"""Pages of this app on the public portal (no login), mounted under /portal/supervision/."""

from django.urls import path

from .views import public

app_name = "supervision_public"

urlpatterns = [
    path("bulletins/", public.bulletin_list, name="bulletin_list"),
    path("bulletins/<int:pk>/", public.bulletin_detail, name="bulletin_detail"),
    path("bulletins/<int:pk>/download.docx", public.bulletin_download, name="bulletin_download"),
]
