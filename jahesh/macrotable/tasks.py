"""The macro table's export task (django-tasks). `jahesh db_worker` runs it.

It takes a MacroJob's id, does its work as the person who asked (their permissions at the time
it runs), reports progress on the job, and ends it done or failed. Imports run as the shared
import mechanism's tasks (jahesh/imports/tasks.py).
"""

from __future__ import annotations

import logging

from django.utils.translation import gettext as _
from django_tasks import task

from jahesh.imports.tasks import guarded, load
from jahesh.macrotable import exports, selectors, services
from jahesh.macrotable.models import JobKind, JobState
from jahesh.macrotable.selectors import MacroFilters
from jahesh.organisation.access import actor_for

logger = logging.getLogger(__name__)


@task()
def run_export(job_id: int) -> None:
    job = load(job_id)
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

    guarded(job, work, _("The export failed. Try again; if it fails again, tell the "
                         "secretariat."))


# Imports queued before they moved to the shared mechanism are found under their old names.
from jahesh.imports.tasks import run_import_apply, run_import_check  # noqa: E402

__all__ = ["run_export", "run_import_apply", "run_import_check"]
