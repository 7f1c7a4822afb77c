from django.urls import include, path

from jahesh.cases import views

app_name = "cases"

urlpatterns: list = [
    path("", views.case_list, name="case_list"),
    path("export.xlsx", views.case_export, name="case_export"),
    path("triage/", views.triage, name="triage"),
    path("new/", views.case_create, name="case_create"),
    path("categories/", views.category_list, name="category_list"),
    path("categories/new/", views.category_edit, name="category_create"),
    path("categories/<int:pk>/", views.category_edit, name="category_edit"),
    path("from-blocker/<int:pk>/", views.case_from_blocker, name="case_from_blocker"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("<uuid:uid>/", views.case_detail, name="case_detail"),
    path("<uuid:uid>/<slug:step>/", views.case_step, name="case_step"),
    # The chamber working group's pages (cases/chamber.py) and the measures (cases/measures_views.py).
    path("chamber/", include("jahesh.cases.chamber_urls")),
    path("measures/", include("jahesh.cases.measures_urls")),
]
