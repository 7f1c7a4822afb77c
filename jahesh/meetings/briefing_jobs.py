"""The briefing book is prepared in the background: at province scale WeasyPrint takes several
seconds to lay out its pages, too long for a request with nothing to watch. The person asks for
it on the meeting's page, watches its progress on the job's page (the shared job pages of
jahesh/imports/views.py), and downloads it there when it is ready.

A job is the person's own (MacroJob, kind "briefing"); its params name the meeting. Whether the
person may read the meeting's briefing is asked when they ask for it, and again when they look
at the job or download the file: a meeting closed meanwhile has its minutes instead.
"""

from __future__ import annotations

from typing import Any

from django.utils import translation

from jahesh.imports.jobs import enqueue, media_path
from jahesh.macrotable.models import FINISHED_STATES, JobKind, MacroJob
from jahesh.meetings.models import Meeting

BRIEFINGS_DIR = "briefings"


def briefing_start(*, meeting: Meeting, acting_user: Any) -> MacroJob:
    """Queue the briefing book of `meeting` for `acting_user`, in the language they asked in.
    The person's earlier finished books of the meeting go, files and all: the new one has
    today's figures, and the media folder does not fill up with copies."""
    from jahesh.meetings import tasks

    earlier = MacroJob.objects.filter(kind=JobKind.BRIEFING, created_by=acting_user,
                                      params__meeting=str(meeting.uid),
                                      state__in=FINISHED_STATES)
    for old in earlier:
        media_path(old.file).unlink(missing_ok=True)
    earlier.delete()
    job = MacroJob.objects.create(
        kind=JobKind.BRIEFING, province=meeting.body.province, created_by=acting_user,
        params={"meeting": str(meeting.uid), "language": translation.get_language()},
        file_name=f"briefing-{meeting.reference}.pdf",
    )
    job.file = f"{BRIEFINGS_DIR}/{job.uid}.pdf"
    job.save(update_fields=["file"])
    return enqueue(job, tasks.prepare_briefing_task)


def meeting_of(job: MacroJob) -> Meeting | None:
    return (Meeting.objects.select_related("body__province", "chair", "secretary")
            .filter(uid=job.params.get("meeting")).first())
