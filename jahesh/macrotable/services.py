"""Starting and finishing the macro table's background jobs (exports and imports).

A job row is created, then its task is enqueued straight away rather than on commit: the
database task backend stores the task in the same database and transaction as the job, so a
worker can never see one without the other; the immediate backend (tests) runs it inline.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone, translation

from jahesh.macrotable.models import JobKind, JobState, MacroJob
from jahesh.macrotable.selectors import MacroFilters
from jahesh.organisation.models import Agency, Province

logger = logging.getLogger(__name__)

EXPORTS_DIR = "exports"
IMPORTS_DIR = "imports"
EXTENSIONS = {JobKind.EXPORT_XLSX: "xlsx", JobKind.EXPORT_PDF: "pdf", JobKind.IMPORT: "xlsx"}


def media_path(relative: str) -> Path:
    return Path(settings.MEDIA_ROOT) / relative


def _enqueue(job: MacroJob, task: Any) -> MacroJob:
    result = task.enqueue(job.pk)
    MacroJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


def export_start(
    *, acting_user: Any, province: Province, kind: str, filters: MacroFilters,
    file_name: str,
) -> MacroJob:
    """Queue an export of exactly `filters`, run later as the person who asked for it."""
    from jahesh.macrotable import tasks

    job = MacroJob.objects.create(
        kind=kind, province=province, created_by=acting_user, agency_id=filters.agency,
        params={"filters": filters.as_params(), "language": translation.get_language()},
        file_name=file_name,
    )
    job.file = f"{EXPORTS_DIR}/{job.uid}.{EXTENSIONS[JobKind(kind)]}"
    job.save(update_fields=["file"])
    return _enqueue(job, tasks.run_export)


def import_start(*, acting_user: Any, agency: Agency, year: int, upload: UploadedFile) -> MacroJob:
    """Keep the uploaded file and queue its check; nothing is saved to the plan yet."""
    from jahesh.macrotable import tasks

    job = MacroJob.objects.create(
        kind=JobKind.IMPORT, province=agency.province, agency=agency, created_by=acting_user,
        params={"year": year, "language": translation.get_language()},
        file_name=(upload.name or "")[:200],
    )
    job.file = f"{IMPORTS_DIR}/{job.uid}.xlsx"
    job.save(update_fields=["file"])
    path = media_path(job.file)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return _enqueue(job, tasks.run_import_check)


def import_apply(*, job: MacroJob, acting_user: Any) -> MacroJob:
    """Queue the saving of a checked import; the task checks the file again as it saves."""
    from jahesh.macrotable import tasks

    updated = MacroJob.objects.filter(pk=job.pk, state=JobState.CHECKED).update(
        state=JobState.APPLYING, progress=0, finished_at=None)
    if not updated:  # applied already (a second click), or not checked
        job.refresh_from_db()
        return job
    return _enqueue(job, tasks.run_import_apply)


def job_started(job: MacroJob, *, state: str = JobState.RUNNING) -> None:
    job.state, job.progress = state, 0
    MacroJob.objects.filter(pk=job.pk).update(state=state, progress=0)


def job_progress(job: MacroJob, percent: int, *, total_rows: int | None = None,
                 message: str | None = None) -> None:
    changes: dict[str, Any] = {"progress": max(0, min(99, int(percent)))}
    if total_rows is not None:
        changes["total_rows"] = total_rows
    if message is not None:
        changes["message"] = message
    MacroJob.objects.filter(pk=job.pk).update(**changes)


def job_finished(job: MacroJob, *, state: str, message: str = "",
                 preview: dict[str, Any] | None = None) -> None:
    job.state, job.message, job.progress = state, message, 100
    job.finished_at = timezone.now()
    fields = ["state", "message", "progress", "finished_at"]
    if preview is not None:
        job.preview = preview
        fields.append("preview")
    job.save(update_fields=fields)
