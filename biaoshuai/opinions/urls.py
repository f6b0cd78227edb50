from django.urls import path

from . import views

app_name = "opinions"

urlpatterns = [
    path("", views.opinion_list, name="list"),
    path("new/", views.opinion_create, name="create"),
    path("<int:pk>/", views.opinion_detail, name="detail"),
    path("<int:pk>/assign/", views.opinion_assign, name="assign"),
    path("<int:pk>/sign/", views.opinion_sign, name="sign"),
    path("<int:pk>/reply/", views.opinion_reply, name="reply"),
    path("<int:pk>/return/", views.opinion_return, name="return"),
    path("<int:pk>/approve/", views.opinion_approve, name="approve"),
    path("<int:pk>/classify/", views.opinion_classify, name="classify"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("groups/", views.group_list, name="groups"),
    path("groups/recompute/", views.group_recompute, name="groups_recompute"),
    path("groups/<int:pk>/", views.group_detail, name="group_detail"),
]
