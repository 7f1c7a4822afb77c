from django.urls import path

from jahesh.meetings import views

app_name = "meetings"

urlpatterns = [
    # The backlog: items waiting for the HQ's agenda.
    path("", views.candidate_list, name="candidate_list"),
    path("propose/", views.candidate_propose, name="candidate_propose"),
]
