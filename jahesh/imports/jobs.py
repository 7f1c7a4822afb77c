"""The background job of an import (and of a long export): start, progress, finish.

A job row is created, then its task is enqueued straight away rather than on commit: the
database task backend stores the task in the same database and transaction as the job, so a
worker can never see one without the other; the immediate backend (tests) runs it inline.

The rows are MacroJob (jahesh/macrotable/models.py), whose `kind` says which registered
import (importer.py) a job is for.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone, translation

from jahesh.imports.importer import Importer
from jahesh.macrotable.models import JobState, MacroJob
from jahesh.organisation.models import Agency, Province

logger = logging.getLogger(__name__)

IMPORTS_DIR = "imports"


def media_path(relative: str) -> Path:
    return Path(settings.MEDIA_ROOT) / relative


def enqueue(job: MacroJob, task: Any) -> MacroJob:
    result = task.enqueue(job.pk)
    MacroJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


def import_start(
    importer: type[Importer], *, acting_user: Any, province: Province, upload: UploadedFile,
    agency: Agency | None = None, params: dict[str, Any] | None = None,
) -> MacroJob:
    """Keep the uploaded file and queue its check; nothing is saved yet."""
    from jahesh.imports import tasks

    job = MacroJob.objects.create(
        kind=importer.kind, province=province, agency=agency, created_by=acting_user,
        params={**(params or {}), "language": translation.get_language()},
        file_name=(upload.name or "")[:200],
    )
    job.file = f"{IMPORTS_DIR}/{job.uid}.xlsx"
    job.save(update_fields=["file"])
    path = media_path(job.file)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return enqueue(job, tasks.run_import_check)


def import_apply(*, job: MacroJob, acting_user: Any) -> MacroJob:
    """Queue the saving of a checked import; the task checks the file again as it saves."""
    from jahesh.imports import tasks

    updated = MacroJob.objects.filter(pk=job.pk, state=JobState.CHECKED).update(
        state=JobState.APPLYING, progress=0, finished_at=None)
    if not updated:  # applied already (a second click), or not checked
        job.refresh_from_db()
        return job
    return enqueue(job, tasks.run_import_apply)


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


def recent_imports(user: Any, importer: type[Importer], **filters: Any) -> Any:
    """The person's last ten imports of this kind (the upload page lists them)."""
    return MacroJob.objects.filter(created_by=user, kind=importer.kind, **filters)[:10]
