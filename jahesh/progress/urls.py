from django.urls import path

from jahesh.progress import views

app_name = "progress"

urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("start/", views.report_start, name="report_start"),
    path("reports/<uuid:uid>/", views.report_detail, name="report_detail"),
    path("reports/<uuid:uid>/edit/", views.report_edit, name="report_edit"),
    path("reports/<uuid:uid>/submit/", views.report_step, {"step": "submit"},
         name="report_submit"),
    path("reports/<uuid:uid>/approve/", views.report_step, {"step": "approve"},
         name="report_approve"),
    path("reports/<uuid:uid>/return/", views.report_step, {"step": "return"},
         name="report_return"),
    path("reports/<uuid:uid>/verify/", views.report_step, {"step": "verify"},
         name="report_verify"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("evidence/<int:pk>/remove/", views.evidence_remove, name="evidence_remove"),
    path("periods/", views.period_list, name="period_list"),
    path("periods/<int:pk>/reopen/", views.period_reopen, name="period_reopen"),
    path("settings/", views.reporting_settings, name="settings"),
    path("settings/reporting/", views.reporting_rules_save, name="reporting_rules_save"),
    path("settings/status/", views.status_rules_save, name="status_rules_save"),
]
