from django.urls import path

from jahesh.visits import views

app_name = "visits"

urlpatterns = [
    path("", views.visit_list, name="visit_list"),
    path("new/", views.visit_create, name="visit_create"),
    path("<uuid:uid>/", views.visit_detail, name="visit_detail"),
    path("<uuid:uid>/edit/", views.visit_edit, name="visit_edit"),
    path("<uuid:uid>/cancel/", views.visit_cancel, name="visit_cancel"),
    path("<uuid:uid>/held/", views.visit_hold, name="visit_hold"),
    path("<uuid:uid>/record/", views.visit_record, name="visit_record"),
    path("<uuid:uid>/record/<int:stop>/", views.visit_record_stop, name="visit_record_stop"),
    path("<uuid:uid>/record/<int:stop>/visited/", views.visit_stop_visited,
         name="visit_stop_visited"),
    path("<uuid:uid>/report.pdf", views.visit_report_pdf, name="visit_report_pdf"),
]
