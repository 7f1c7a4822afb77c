from django.urls import path

from jahesh.dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("", views.province, name="province"),
    path("export.<str:fmt>", views.province_export, name="province_export"),
    path("agencies/<slug:code>/", views.agency, name="agency"),
    path("agencies/<slug:code>/export.<str:fmt>", views.agency_export, name="agency_export"),
    path("projects/<uuid:uid>/", views.project, name="project"),
    path("projects/<uuid:uid>/export.<str:fmt>", views.project_export, name="project_export"),
]
