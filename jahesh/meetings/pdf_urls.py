"""The meeting's two PDFs: the briefing book (prepared as a background job) and the minutes
(included by meetings/urls.py)."""

from django.urls import path

from jahesh.meetings import pdf_views

urlpatterns = [
    path("meetings/<uuid:uid>/briefing/", pdf_views.briefing_prepare, name="briefing_prepare"),
    path("briefings/<uuid:uid>/", pdf_views.briefing_job, name="briefing_job"),
    path("briefings/<uuid:uid>/progress/", pdf_views.briefing_job_progress,
         name="briefing_job_progress"),
    path("briefings/<uuid:uid>/briefing.pdf", pdf_views.briefing_pdf, name="briefing_pdf"),
    path("meetings/<uuid:uid>/minutes.pdf", pdf_views.minutes_pdf, name="minutes_pdf"),
]
