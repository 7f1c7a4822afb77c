from django.urls import include, path

from jahesh.meetings import views

app_name = "meetings"

urlpatterns = [
    # The backlog: items waiting for the HQ's agenda.
    path("", views.candidate_list, name="candidate_list"),
    path("propose/", views.candidate_propose, name="candidate_propose"),
    # Bodies, their members and meetings.
    path("bodies/", views.body_list, name="body_list"),
    path("bodies/new/", views.body_edit, name="body_create"),
    path("bodies/<uuid:uid>/", views.body_detail, name="body_detail"),
    path("bodies/<uuid:uid>/edit/", views.body_edit, name="body_edit"),
    path("bodies/<uuid:uid>/members/", views.member_set, name="member_set"),
    path("bodies/<uuid:uid>/meetings/new/", views.meeting_create, name="meeting_create"),
    # The briefing book and the minutes (jahesh/meetings/pdf_views.py).
    path("", include("jahesh.meetings.pdf_urls")),
    path("meetings/<uuid:uid>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<uuid:uid>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<uuid:uid>/agenda/", views.agenda_pick, name="agenda_pick"),
    path("meetings/<uuid:uid>/attendance/", views.attendance_save, name="attendance_save"),
    path("meetings/<uuid:uid>/<slug:step>/", views.meeting_step, name="meeting_step"),
    path("items/<uuid:uid>/", views.item_save, name="item_save"),
    path("items/<uuid:uid>/drop/", views.agenda_drop, name="agenda_drop"),
    path("items/<uuid:uid>/move/<slug:direction>/", views.agenda_move, name="agenda_move"),
    path("items/<uuid:uid>/resolutions/new/", views.resolution_create,
         name="resolution_create"),
    # Resolutions.
    path("resolutions/", views.resolution_list, name="resolution_list"),
    path("resolutions/export.xlsx", views.resolution_export, name="resolution_export"),
    path("resolutions/ours/", views.our_resolutions, name="our_resolutions"),
    path("resolutions/evidence/<uuid:uid>/", views.evidence_download, name="evidence_download"),
    path("resolutions/<uuid:uid>/", views.resolution_detail, name="resolution_detail"),
    path("resolutions/<uuid:uid>/edit/", views.resolution_edit, name="resolution_edit"),
    path("resolutions/<uuid:uid>/<slug:step>/", views.resolution_step, name="resolution_step"),
]
