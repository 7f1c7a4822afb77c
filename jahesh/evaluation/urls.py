from django.urls import path

from jahesh.evaluation import views

app_name = "evaluation"

urlpatterns = [
    path("", views.league, name="league"),
    path("agencies/<int:pk>/", views.agency_scorecard, name="scorecard"),
    path("agencies/<int:pk>/comments/", views.comment_add, name="comment_add"),
    path("compliance/", views.compliance, name="compliance"),
    path("compliance/<int:pk>/remind/", views.remind, name="remind"),
    path("weights/", views.weights, name="weights"),
    path("status-rules/", views.status_rules, name="status_rules"),
]
