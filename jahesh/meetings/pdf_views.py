"""The meeting's PDFs: the briefing book (before the meeting is closed: the secretariat reads it
while preparing a draft, the members once it is scheduled) and the minutes (a closed meeting:
the file made when it was closed, or made again when there is none).

The briefing book is prepared in the background (briefing_jobs.py): asking for it (POST) starts
a job whose page shows its progress and, once it is ready, the link to download it.

Who may have them is who may see the meeting (jahesh/meetings/permissions.py, `read_briefing`
and `read_minutes`): anyone else gets a 404, as for the meeting's page; so does a PDF the
meeting does not have in its state (the minutes of a meeting not yet closed), and a briefing
job of somebody else's.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from jahesh.core.persian import localize_digits
from jahesh.imports import views as job_views
from jahesh.imports.importer import JobLinks
from jahesh.imports.jobs import media_path
from jahesh.macrotable.models import JobKind, JobState, MacroJob
from jahesh.meetings.briefing_jobs import briefing_start, meeting_of
from jahesh.meetings.minutes_pdf import render_minutes
from jahesh.meetings.models import Meeting
from jahesh.meetings.permissions import meetings as meeting_policy
from jahesh.organisation.access import actor_for


def _meeting(request: HttpRequest, uid: Any, action: str) -> Meeting:
    actor = actor_for(request.user)
    try:
        meeting = (meeting_policy.visible(actor)
                   .select_related("body__province", "chair", "secretary").get(uid=uid))
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not meeting_policy.allows(actor, action, meeting):
        raise Http404
    return meeting


def _pdf(content: bytes, name: str) -> FileResponse:
    response = FileResponse(BytesIO(content), as_attachment=True, filename=name,
                            content_type="application/pdf")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def briefing_prepare(request: HttpRequest, uid: Any) -> HttpResponse:
    meeting = _meeting(request, uid, "read_briefing")
    job = briefing_start(meeting=meeting, acting_user=request.user)
    return redirect("meetings:briefing_job", uid=job.uid)


def _briefing_job(request: HttpRequest, uid: Any) -> tuple[MacroJob, JobLinks]:
    """The person's own briefing job, while they may still read the meeting's briefing."""
    job = job_views.owned_job(request, uid, [JobKind.BRIEFING])
    meeting = meeting_of(job)
    actor = actor_for(request.user)
    if meeting is None or not meeting_policy.allows(actor, "read_briefing", meeting):
        raise Http404
    links = JobLinks(
        progress=reverse("meetings:briefing_job_progress", args=[job.uid]),
        download=reverse("meetings:briefing_pdf", args=[job.uid]),
        breadcrumbs=[(meeting.body.name, reverse("meetings:body_detail", args=[meeting.body.uid])),
                     (localize_digits(meeting.reference),
                      reverse("meetings:meeting_detail", args=[meeting.uid]))])
    return job, links


@login_required
def briefing_job(request: HttpRequest, uid: Any) -> HttpResponse:
    return job_views.job_page(request, *_briefing_job(request, uid))


@login_required
def briefing_job_progress(request: HttpRequest, uid: Any) -> HttpResponse:
    return job_views.job_progress(request, *_briefing_job(request, uid))


@login_required
def briefing_pdf(request: HttpRequest, uid: Any) -> FileResponse:
    job, _links = _briefing_job(request, uid)
    path = media_path(job.file)
    if job.state != JobState.DONE or not path.is_file():
        raise Http404
    response = FileResponse(path.open("rb"), as_attachment=True, filename=job.file_name,
                            content_type="application/pdf")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def minutes_pdf(request: HttpRequest, uid: Any) -> FileResponse:
    meeting = _meeting(request, uid, "read_minutes")
    name = f"minutes-{meeting.reference}.pdf"
    if meeting.minutes_file:
        try:
            with meeting.minutes_file.open("rb") as stored:
                return _pdf(stored.read(), name)
        except FileNotFoundError:
            pass  # the file is gone from the storage: make it again
    return _pdf(render_minutes(meeting), name)
