"""The background tasks of every import (django-tasks; `jahesh db_worker` runs them).

Each takes a job's id, builds the job's import (importer.register'd for its kind), runs it as
the person who asked, reports progress on the job, and ends it checked, rejected, done or
failed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from jahesh.imports import jobs
from jahesh.imports.importer import importer_for
from jahesh.macrotable.models import JobState, MacroJob

logger = logging.getLogger(__name__)


def load(job_id: int) -> MacroJob:
    return MacroJob.objects.select_related("province", "agency__province", "created_by").get(
        pk=job_id)


def guarded(job: MacroJob, work: Callable[[], None], failure: str) -> None:
    """Run `work` in the language the person asked in; any error fails the job and is logged."""
    try:
        with translation.override(job.params.get("language") or None):
            work()
    except Exception:
        logger.exception("job %s failed", job.uid)
        jobs.job_finished(job, state=JobState.FAILED, message=failure)
        raise


def _run(job: MacroJob, *, dry_run: bool) -> None:
    importer = importer_for(job.kind).from_job(job)

    def progress(percent: int) -> None:
        jobs.job_progress(job, percent)

    report = importer.run(jobs.media_path(job.file), dry_run=dry_run, progress=progress)
    if not report.ok:
        state = JobState.REJECTED
    elif dry_run:
        state = JobState.CHECKED
    else:
        state = JobState.DONE
    jobs.job_finished(job, state=state, preview=report.as_dict())


@task()
def run_import_check(job_id: int) -> None:
    job = load(job_id)
    jobs.job_started(job)
    guarded(job, lambda: _run(job, dry_run=True),
            _("The file could not be checked. Try again; if it fails again, tell the "
              "secretariat."))


@task()
def run_import_apply(job_id: int) -> None:
    job = load(job_id)
    jobs.job_started(job, state=JobState.APPLYING)
    guarded(job, lambda: _run(job, dry_run=False),
            _("The file could not be saved; nothing was changed. Try again; if it fails "
              "again, tell the secretariat."))
