"""The meeting's two PDFs: the briefing book and the minutes (included by meetings/urls.py)."""

from django.urls import path

from jahesh.meetings import pdf_views

urlpatterns = [
    path("meetings/<uuid:uid>/briefing.pdf", pdf_views.briefing_pdf, name="briefing_pdf"),
    path("meetings/<uuid:uid>/minutes.pdf", pdf_views.minutes_pdf, name="minutes_pdf"),
]
