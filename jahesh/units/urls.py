from django.urls import path

from jahesh.units import views

app_name = "units"

urlpatterns = [
    path("", views.unit_list, name="unit_list"),
    path("new/", views.unit_create, name="unit_create"),
    path("<int:pk>/", views.unit_detail, name="unit_detail"),
    path("<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("search/", views.unit_search, name="unit_search"),
    path("parks/", views.park_list, name="park_list"),
    path("parks/<int:pk>/edit/", views.park_edit, name="park_edit"),
    path("import/", views.import_upload, name="import"),
    path("import/template/", views.import_template, name="template"),
    path("import/<uuid:uid>/", views.import_job, name="import_job"),
    path("import/<uuid:uid>/progress/", views.import_job_progress, name="import_job_progress"),
    path("import/<uuid:uid>/apply/", views.import_job_apply, name="import_job_apply"),
]
