"""Background work: the macro table's exports, and every Excel import, run as tasks with progress.

A MacroJob is what the person sees while a long export or import runs: its state, a progress
percentage that the task updates, and at the end either a file to download (exports) or the
import's preview (what will be created, changed or left alone, and every problem found).

The imports are the shared import mechanism's (jahesh/imports/): each import kind is an
Importer registered for its `kind`. The table began as the macro table's and keeps its name.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jahesh.organisation.models import Agency, Province


class JobKind(models.TextChoices):
    EXPORT_XLSX = "export_xlsx", _("Excel export")
    EXPORT_PDF = "export_pdf", _("PDF export")
    IMPORT = "import", _("Excel import")
    IMPORT_UNITS = "import_units", _("Production units import")
    BRIEFING = "briefing", _("Briefing book")


class JobState(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Working")
    # An import whose whole file was checked and found clean: it waits for the person to apply it.
    CHECKED = "checked", _("Checked, waiting for your confirmation")
    # An import with at least one problem: nothing was saved, and nothing can be.
    REJECTED = "rejected", _("Rejected")
    APPLYING = "applying", _("Saving")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


IMPORT_KINDS = (JobKind.IMPORT, JobKind.IMPORT_UNITS)
FINISHED_STATES = (JobState.CHECKED, JobState.REJECTED, JobState.DONE, JobState.FAILED)


class MacroJob(models.Model):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=JobKind.choices)
    state = models.CharField(_("state"), max_length=20, choices=JobState.choices,
                             default=JobState.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    message = models.TextField(_("message"), blank=True)
    province = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="+")
    # The agency a macro-table import writes into (or an export was limited to).
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, null=True, blank=True,
                               related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                   null=True, blank=True, related_name="+")
    # Exports: the filters (see selectors.MacroFilters.as_params); macro-table imports: the
    # fiscal year; every job: the language it was asked in.
    params = models.JSONField(default=dict, blank=True)
    # Relative to MEDIA_ROOT: the export written (exports/…) or the file uploaded (imports/…).
    file = models.CharField(max_length=300, blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    # Imports: importing.ImportReport.as_dict() of the last check or apply.
    preview = models.JSONField(default=dict, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="macrojob_progress_range"),
            models.CheckConstraint(condition=Q(kind__in=JobKind.values), name="macrojob_kind_valid"),
            models.CheckConstraint(condition=Q(state__in=JobState.values),
                                   name="macrojob_state_valid"),
        ]
        indexes = [
            # "Your recent imports" on the import page:
            # WHERE created_by_id = ? AND kind = 'import' ORDER BY created_at DESC LIMIT 10.
            models.Index(fields=["created_by", "kind", "-created_at"], name="macrojob_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.uid}"

    @property
    def is_finished(self) -> bool:
        return self.state in FINISHED_STATES

    @property
    def is_import(self) -> bool:
        return self.kind in IMPORT_KINDS
