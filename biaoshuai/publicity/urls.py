from django.urls import path

from .views import disclosure, publications, review

app_name = "publicity"

urlpatterns = [
    path("news/", review.news_list, name="news_list"),
    path("news/new/", review.news_create, name="news_create"),
    path("news/<int:pk>/", review.news_detail, name="news_detail"),
    path("news/<int:pk>/edit/", review.news_edit, name="news_edit"),
    path(
        "news/<int:pk>/images/<int:image_pk>/remove/",
        review.news_image_remove,
        name="news_image_remove",
    ),
    path("exemplars/", review.exemplar_list, name="exemplar_list"),
    path("exemplars/new/", review.exemplar_create, name="exemplar_create"),
    path("exemplars/<int:pk>/", review.exemplar_detail, name="exemplar_detail"),
    path("exemplars/<int:pk>/edit/", review.exemplar_edit, name="exemplar_edit"),
    path("<str:kind>/<int:pk>/submit/", review.review_submit, name="review_submit"),
    path("<str:kind>/<int:pk>/publish/", review.review_publish, name="review_publish"),
    path("<str:kind>/<int:pk>/return/", review.review_return, name="review_return"),
    path("records/", publications.publication_list, name="publication_list"),
    path("records/export/", publications.publication_export, name="publication_export"),
    path("records/new/", publications.publication_create, name="publication_create"),
    path("records/<int:pk>/", publications.publication_detail, name="publication_detail"),
    path("records/<int:pk>/edit/", publications.publication_edit, name="publication_edit"),
    path("records/<int:pk>/confirm/", publications.publication_confirm, name="publication_confirm"),
    path("records/<int:pk>/reject/", publications.publication_reject, name="publication_reject"),
    path("ranking/", publications.leaderboard, name="leaderboard"),
    path("disclosure/", disclosure.disclosure_review, name="disclosure_review"),
    path("disclosure/set/", disclosure.disclosure_set, name="disclosure_set"),
]
