"""The macro table's background tasks (django-tasks). `jahesh db_worker` runs them.

Each task takes a MacroJob's id, does its work as the person who asked (their permissions at
the time it runs), reports progress on the job, and ends it done, rejected or failed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from jahesh.macrotable import exports, importing, selectors, services
from jahesh.macrotable.models import JobKind, JobState, MacroJob
from jahesh.macrotable.selectors import MacroFilters
from jahesh.organisation.access import actor_for

logger = logging.getLogger(__name__)


def _load(job_id: int) -> MacroJob:
    return MacroJob.objects.select_related("province", "agency__province", "created_by").get(
        pk=job_id)


def _guarded(job: MacroJob, work: Callable[[], None], failure: str) -> None:
    try:
        with translation.override(job.params.get("language") or None):
            work()
    except Exception:
        logger.exception("macro table job %s failed", job.uid)
        services.job_finished(job, state=JobState.FAILED, message=failure)
        raise


@task()
def run_export(job_id: int) -> None:
    job = _load(job_id)
    services.job_started(job)

    def work() -> None:
        actor = actor_for(job.created_by)
        filters = MacroFilters.from_params(job.params.get("filters", {}))
        rows = exports.rows_for(selectors.visible_programmes(actor), job.province, filters)
        total = rows.count()
        services.job_progress(job, 1, total_rows=total)

        def progress(done: int) -> None:
            services.job_progress(job, 95 * done // max(total, 1))

        path = services.media_path(job.file)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".part")
        if job.kind == JobKind.EXPORT_PDF:
            def read(done: int) -> None:  # reading the rows is the first 30%
                services.job_progress(job, 30 * done // max(total, 1))

            def layout() -> None:
                services.job_progress(job, 35, message=_("Laying out the pages…"))

            exports.write_pdf(partial, rows, province=job.province, filters=filters,
                              progress=read, on_layout=layout)
        else:
            exports.write_xlsx(partial, rows, province=job.province, filters=filters,
                               progress=progress)
        partial.replace(path)
        services.job_finished(job, state=JobState.DONE)

    _guarded(job, work, _("The export failed. Try again; if it fails again, tell the "
                          "secretariat."))


def _import(job: MacroJob, *, dry_run: bool) -> None:
    assert job.agency is not None

    def progress(percent: int) -> None:
        services.job_progress(job, percent)

    report = importing.import_file(
        services.media_path(job.file), agency=job.agency, year=int(job.params["year"]),
        acting_user=job.created_by, dry_run=dry_run, progress=progress, file_name=job.file_name,
    )
    if not report.ok:
        state = JobState.REJECTED
    elif dry_run:
        state = JobState.CHECKED
    else:
        state = JobState.DONE
    services.job_finished(job, state=state, preview=report.as_dict())


@task()
def run_import_check(job_id: int) -> None:
    job = _load(job_id)
    services.job_started(job)
    _guarded(job, lambda: _import(job, dry_run=True),
             _("The file could not be checked. Try again; if it fails again, tell the "
               "secretariat."))


@task()
def run_import_apply(job_id: int) -> None:
    job = _load(job_id)
    services.job_started(job, state=JobState.APPLYING)
    _guarded(job, lambda: _import(job, dry_run=False),
             _("The file could not be saved; nothing was changed. Try again; if it fails "
               "again, tell the secretariat."))
