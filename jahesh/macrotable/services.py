"""Starting the macro table's background jobs: exports, and imports of an agency's template.

The job's life (progress, finishing, the import's check-then-apply tasks) is the shared import
mechanism's: jahesh/imports/jobs.py and tasks.py.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils import translation

from jahesh.imports import jobs
from jahesh.imports.jobs import enqueue, job_finished, job_progress, job_started, media_path
from jahesh.macrotable.models import JobKind, MacroJob
from jahesh.macrotable.selectors import MacroFilters
from jahesh.organisation.models import Agency, Province

logger = logging.getLogger(__name__)

__all__ = ["export_start", "import_apply", "import_start", "job_finished", "job_progress",
           "job_started", "media_path"]

EXPORTS_DIR = "exports"
EXTENSIONS = {JobKind.EXPORT_XLSX: "xlsx", JobKind.EXPORT_PDF: "pdf"}


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
    return enqueue(job, tasks.run_export)


def import_start(*, acting_user: Any, agency: Agency, year: int, upload: UploadedFile) -> MacroJob:
    """Keep the uploaded file and queue its check; nothing is saved to the plan yet."""
    from jahesh.macrotable.importing import MacroTableImporter

    return jobs.import_start(MacroTableImporter, acting_user=acting_user,
                             province=agency.province, agency=agency, upload=upload,
                             params={"year": year})


def import_apply(*, job: MacroJob, acting_user: Any) -> MacroJob:
    """Queue the saving of a checked import; the task checks the file again as it saves."""
    return jobs.import_apply(job=job, acting_user=acting_user)
