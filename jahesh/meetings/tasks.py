"""The meetings' background tasks (django-tasks; `jahesh db_worker` runs them)."""

from __future__ import annotations

import logging
from datetime import date

from django_tasks import task

from jahesh.meetings.backlog import sync_all
from jahesh.meetings.models import Meeting

logger = logging.getLogger(__name__)


@task()
def sync_agenda_task(day: str | None = None) -> int:
    """The daily backlog sync (see backlog.py) as of `day` (ISO date; default today). Returns
    how many candidates were made, proposed again or withdrawn."""
    result = sync_all(date.fromisoformat(day) if day else None)
    changed = result.made + result.proposed_again + result.withdrawn
    logger.info("agenda sync: %s made, %s proposed again, %s withdrawn", result.made,
                result.proposed_again, result.withdrawn)
    return changed


@task()
def store_minutes_task(meeting_id: int) -> bool:
    """A closed meeting's minutes PDF, made and kept (services.minutes_store)."""
    from jahesh.meetings.services import minutes_store

    meeting = Meeting.objects.filter(pk=meeting_id).first()
    if meeting is None:
        return False
    try:
        return minutes_store(meeting=meeting)
    except Exception:
        logger.exception("the minutes of meeting %s could not be made", meeting_id)
        raise


@task()
def prepare_briefing_task(job_id: int) -> None:
    """A briefing book asked for on the meeting's page (briefing_jobs.py): gathered, laid out
    by WeasyPrint, written next to its final name and then moved there."""
    from django.utils.translation import gettext as _

    from jahesh.core.pdf import html_to_pdf
    from jahesh.imports import jobs
    from jahesh.imports.tasks import guarded, load
    from jahesh.macrotable.models import JobState
    from jahesh.meetings.briefing import briefing_html
    from jahesh.meetings.briefing_jobs import meeting_of

    job = load(job_id)
    jobs.job_started(job)

    def work() -> None:
        meeting = meeting_of(job)
        if meeting is None:
            jobs.job_finished(job, state=JobState.FAILED,
                              message=_("The meeting of this briefing book was deleted."))
            return
        jobs.job_progress(job, 5, message=_("Gathering the figures…"))
        html = briefing_html(meeting)
        jobs.job_progress(job, 20, message=_("Laying out the pages…"))
        content = html_to_pdf(html)
        path = jobs.media_path(job.file)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".part")
        partial.write_bytes(content)
        partial.replace(path)
        jobs.job_finished(job, state=JobState.DONE)

    guarded(job, work, _("The briefing book could not be made. Try again; if it fails again, "
                         "tell the secretariat."))
