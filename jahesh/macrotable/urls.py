from django.urls import path

from jahesh.macrotable import views

app_name = "macrotable"

urlpatterns = [
    path("", views.table, name="table"),
    path("export/<str:fmt>/", views.export, name="export"),
    path("import/", views.import_start, name="import_start"),
    path("import/<slug:code>/", views.import_upload, name="import"),
    path("import/<slug:code>/template/", views.import_template, name="template"),
    path("jobs/<uuid:uid>/", views.job_detail, name="job"),
    path("jobs/<uuid:uid>/progress/", views.job_progress, name="job_progress"),
    path("jobs/<uuid:uid>/download/", views.job_download, name="job_download"),
    path("jobs/<uuid:uid>/apply/", views.job_apply, name="job_apply"),
]
