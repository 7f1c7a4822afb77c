"""The pages of an import job, for any registered import: the preview with its problems or
changes, the progress fragment htmx polls, and the confirmation that applies the file. Each app
mounts them under its own URLs (see jahesh/units/urls.py) and passes the job's kinds it serves.

Only the person who started a job sees it (others: 404). Applying asks the import again
whether the person may still run it (403 otherwise).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from jahesh.imports import jobs
from jahesh.imports.importer import Importer, JobLinks, importer_for
from jahesh.imports.report import ImportReport
from jahesh.macrotable.models import JobState, MacroJob
from jahesh.organisation.access import actor_for


def owned_job(request: HttpRequest, uid: Any, kinds: Iterable[str]) -> MacroJob:
    """The job, if this person started it and it is one of `kinds`; 404 otherwise."""
    return get_object_or_404(MacroJob.objects.select_related("agency", "province"), uid=uid,
                             created_by=request.user, kind__in=list(kinds))


def report_context(report: ImportReport, importer: type[Importer], *, done: bool) -> dict[str, Any]:
    """The report laid out for the template: a heading per counted thing, a row per count."""
    labels = importer.what_labels()
    whats = [w for w in report.whats if w in labels] or list(labels)
    return {
        "report": report,
        "what_headings": [labels[w][0] for w in whats],
        "summary": [
            (_("Created") if done else _("Will be created"), [report.created.get(w, 0) for w in whats]),
            (_("Changed") if done else _("Will be changed"), [report.changed.get(w, 0) for w in whats]),
            (_("Left alone"), [report.unchanged.get(w, 0) for w in whats]),
        ],
        "changes": [(c, labels.get(c.what, (c.what, c.what))[1]) for c in report.changes],
    }


def job_context(job: MacroJob, links: JobLinks) -> dict[str, Any]:
    context: dict[str, Any] = {"job": job, "links": links}
    if job.is_import and job.preview:
        report = ImportReport.from_dict(job.preview)
        context.update(report_context(report, importer_for(job.kind),
                                      done=job.state == JobState.DONE))
    return context


def job_page(request: HttpRequest, job: MacroJob, links: JobLinks) -> HttpResponse:
    return render(request, "imports/job.html", job_context(job, links))


def job_progress(request: HttpRequest, job: MacroJob, links: JobLinks) -> HttpResponse:
    return render(request, "imports/_job.html", job_context(job, links))


def job_apply(request: HttpRequest, job: MacroJob, job_url: str) -> HttpResponse:
    """Apply a checked import with changes (the person must still be allowed to); anything
    else (a second click, a rejected file, nothing to change) goes back to the job's page."""
    if not job.is_import:
        raise Http404
    importer = importer_for(job.kind)
    if not importer.may_run(actor_for(request.user), job):
        raise PermissionDenied
    if job.state == JobState.CHECKED and ImportReport.from_dict(job.preview).has_changes:
        jobs.import_apply(job=job, acting_user=request.user)
    return redirect(job_url)
