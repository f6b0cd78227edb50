"""Pages of this app on the public portal (no login), mounted under /portal/publicity/."""

from django.urls import path

from .views import public

app_name = "publicity_public"

urlpatterns = [
    path("news/", public.news_list, name="news_list"),
    path("news/<int:pk>/", public.news_detail, name="news_detail"),
    path("news/<int:pk>/cover/", public.news_image, name="news_cover"),
    path("news/<int:pk>/images/<int:image_pk>/", public.news_image, name="news_image"),
    path("exemplars/", public.exemplar_list, name="exemplar_list"),
    path("exemplars/<int:pk>/", public.exemplar_detail, name="exemplar_detail"),
]
