from django.urls import path

from . import views

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list, name="campaign_list"),
    path("new/", views.campaign_create, name="campaign_create"),
    path("templates/<slug:key>.yaml", views.template_download, name="template_download"),
    path("plan/", views.current_plan, name="current_plan"),
    path("<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("<int:pk>/plan/", views.plan, name="plan"),
    path("<int:pk>/template.yaml", views.campaign_template, name="campaign_template"),
    path("<int:pk>/current/", views.set_current, name="set_current"),
    path("steps/<int:pk>/status/", views.step_update, name="step_update"),
    path("choose/", views.choose, name="choose"),
]
