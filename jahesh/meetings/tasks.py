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
