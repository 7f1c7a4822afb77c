"""The cases' background work (django-tasks): the daily climb of overdue cases."""

from __future__ import annotations

from datetime import date

from django_tasks import task

from jahesh.cases.services import escalate_overdue


@task()
def escalate_overdue_task(today: str | None = None) -> dict[str, int]:
    """`services.escalate_overdue` for a scheduler or `jahesh db_worker`; `today` as an ISO
    date, or None for today. Returns how many cases reached each level (keys as strings)."""
    counts = escalate_overdue(date.fromisoformat(today) if today else None)
    return {str(level): count for level, count in counts.items()}
