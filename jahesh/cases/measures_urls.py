"""The case measures page (per agency and category) and its Excel export."""

from django.urls import path

from jahesh.cases import measures_views

urlpatterns: list = [
    path("", measures_views.measures, name="measures"),
    path("export.xlsx", measures_views.measures_export, name="measures_export"),
]
