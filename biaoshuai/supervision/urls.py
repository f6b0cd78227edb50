from django.urls import path

from .views import bulletins, inspections, items, reports

app_name = "supervision"

urlpatterns = [
    path("", items.task_list, name="task_list"),
    path("items/", items.item_list, name="item_list"),
    path("items/new/", items.item_create, name="item_create"),
    path("items/<int:pk>/", items.item_detail, name="item_detail"),
    path("tasks/<int:pk>/", items.task_detail, name="task_detail"),
    path("tasks/<int:pk>/sign/", items.task_sign, name="task_sign"),
    path("tasks/<int:pk>/reply/", items.task_reply, name="task_reply"),
    path("tasks/<int:pk>/accept/", items.task_accept, name="task_accept"),
    path("tasks/<int:pk>/return/", items.task_return, name="task_return"),
    path("tasks/<int:pk>/remind/", items.task_remind, name="task_remind"),
    path("evidence/<int:pk>/", items.evidence_download, name="evidence_download"),
    path("inspections/", inspections.inspection_list, name="inspection_list"),
    path("inspections/new/", inspections.inspection_create, name="inspection_create"),
    path("inspections/<int:pk>/", inspections.inspection_detail, name="inspection_detail"),
    path("inspections/<int:pk>/findings/", inspections.finding_add, name="finding_add"),
    path("findings/<int:pk>/problem/", inspections.finding_to_problem, name="finding_to_problem"),
    path("findings/<int:pk>/item/", inspections.finding_to_item, name="finding_to_item"),
    path("reports/", reports.report_table, name="report_table"),
    path("reports/all/", reports.report_list, name="report_list"),
    path("reports/units/<int:unit_pk>/<str:period>/", reports.report_submit, name="report_submit"),
    path("reports/<int:pk>/", reports.report_detail, name="report_detail"),
    path("reports/<int:pk>/review/", reports.report_review, name="report_review"),
    path("attachments/<int:pk>/", reports.attachment_download, name="attachment_download"),
    path("bulletins/", bulletins.bulletin_list, name="bulletin_list"),
    path("bulletins/generate/", bulletins.bulletin_generate, name="bulletin_generate"),
    path("bulletins/<int:pk>/", bulletins.bulletin_detail, name="bulletin_detail"),
    path("bulletins/<int:pk>/edit/", bulletins.bulletin_edit, name="bulletin_edit"),
    path("bulletins/<int:pk>/submit/", bulletins.bulletin_submit, name="bulletin_submit"),
    path("bulletins/<int:pk>/approve/", bulletins.bulletin_approve, name="bulletin_approve"),
    path("bulletins/<int:pk>/return/", bulletins.bulletin_return, name="bulletin_return"),
    path("bulletins/<int:pk>/publish/", bulletins.bulletin_publish, name="bulletin_publish"),
    path("bulletins/<int:pk>/download.docx", bulletins.bulletin_download, name="bulletin_download"),
]
