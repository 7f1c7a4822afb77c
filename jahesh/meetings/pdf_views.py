"""The meeting's PDFs: the briefing book (before the meeting is closed: the secretariat reads it
while preparing a draft, the members once it is scheduled) and the minutes (a closed meeting:
the file made when it was closed, or made again when there is none).

Who may have them is who may see the meeting (jahesh/meetings/permissions.py, `read_briefing`
and `read_minutes`): anyone else gets a 404, as for the meeting's page; so does a PDF the
meeting does not have in its state (the minutes of a meeting not yet closed).
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest

from jahesh.meetings.briefing import render_briefing
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
def briefing_pdf(request: HttpRequest, uid: Any) -> FileResponse:
    meeting = _meeting(request, uid, "read_briefing")
    return _pdf(render_briefing(meeting), f"briefing-{meeting.reference}.pdf")


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
