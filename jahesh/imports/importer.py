"""The base class of an import, and the registry the background tasks find imports in.

An import provides only what is its own:

* `specs`: the sheets it reads (workbook.SheetSpec: columns, headers, required columns);
* `check(sheets)`: compare the rows with the database; return the report and a plan;
* `apply(plan)`: write the plan through the app's services (audited);
* optionally `lock()` (rows to hold still while checking and writing) and `audit(report)`.

`run()` is the same for every import: read the file (FileRejected becomes a one-problem
report), check it, and unless it is a dry run, check it again inside one transaction and apply
it only when there is no problem at all. A rule only the services know (a ValidationError
while applying) rolls everything back and becomes a problem. Nothing is ever half-saved.

For the background job flow (jobs.py, tasks.py, views.py) an import also says how to be built
from its job (`from_job`), who may run it (`may_run`), what its counts are called
(`what_labels`) and where its pages are (`links`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jahesh.imports.report import ImportReport
from jahesh.imports.workbook import (
    FileRejected,
    ProgressFn,
    SheetRows,
    SheetSpec,
    Source,
    read_sheets,
)

if TYPE_CHECKING:
    from jahesh.macrotable.models import MacroJob
    from jahesh.organisation.access import Actor

# After reading (60%), the check takes the bar to 80%, the writes to 100%.
CHECKED_SHARE = 80


@dataclass
class JobLinks:
    """Where a job's pages point: its own progress and apply URLs, where to upload another
    file, what to look at once it is saved, and the breadcrumbs above it."""

    progress: str
    apply: str = ""
    upload: str = ""
    result: tuple[str, str] | None = None  # (url, label)
    download: str = ""
    breadcrumbs: list[tuple[str, str]] = field(default_factory=list)  # (label, url)


class Importer(ABC):
    kind: ClassVar[str]  # the MacroJob kind of its jobs
    whats: ClassVar[tuple[str, ...]]  # what the report counts
    specs: ClassVar[tuple[SheetSpec, ...]]

    def __init__(self, *, acting_user: Any = None, file_name: str = "") -> None:
        self.acting_user = acting_user
        self.file_name = file_name

    # -- what each import provides --

    @abstractmethod
    def check(self, sheets: dict[str, SheetRows]) -> tuple[ImportReport, Any]:
        """The report (counts, changes, problems) and a plan for `apply`."""

    @abstractmethod
    def apply(self, plan: Any) -> None:
        """Write the plan through the services. Runs inside run()'s transaction."""

    def lock(self) -> None:  # noqa: B027 (optional; most imports need no lock)
        """Hold still what the check compares with, until the writes are done."""

    def audit(self, report: ImportReport) -> None:  # noqa: B027 (optional)
        """One audit event for the whole file (each write audits itself too)."""

    def new_report(self) -> ImportReport:
        return ImportReport(whats=self.whats)

    # -- the same for every import --

    def read(self, source: Source, progress: ProgressFn | None = None) -> dict[str, SheetRows]:
        return read_sheets(source, self.specs, progress=progress)

    def run(self, source: Source, *, dry_run: bool = False,
            progress: ProgressFn | None = None) -> ImportReport:
        """Check the whole file; unless `dry_run`, apply it in one transaction if it has no
        problem. A file that cannot be read gives a report with that one problem."""
        try:
            sheets = self.read(source, progress)
        except FileRejected as exc:
            report = self.new_report()
            report.problem("", None, "", exc.message)
            return report
        if dry_run:
            report, _plan = self.check(sheets)
            return report
        with transaction.atomic():
            self.lock()
            report, plan = self.check(sheets)
            if progress is not None:
                progress(CHECKED_SHARE)
            if not report.ok or not report.has_changes:
                return report
            savepoint = transaction.savepoint()
            try:
                self.apply(plan)
            except ValidationError as exc:  # a rule only the services know; nothing is kept
                transaction.savepoint_rollback(savepoint)
                report.problem("", None, "", _("The file could not be saved: %(error)s")
                               % {"error": " ".join(str(m) for m in exc.messages)})
                return report
            report.applied = True
            self.audit(report)
        return report

    # -- the background job --

    @classmethod
    @abstractmethod
    def from_job(cls, job: MacroJob) -> Importer:
        """The import a job stands for, acting as the person who started it."""

    @classmethod
    @abstractmethod
    def may_run(cls, actor: Actor, job: MacroJob) -> bool:
        """Whether the person may (still) import what the job imports."""

    @classmethod
    @abstractmethod
    def what_labels(cls) -> dict[str, tuple[str, str]]:
        """what -> (plural heading, singular noun), in the active language."""

    @classmethod
    @abstractmethod
    def links(cls, job: MacroJob) -> JobLinks:
        """The URLs of the job's pages."""


_REGISTRY: dict[str, type[Importer]] = {}


def register(importer: type[Importer]) -> type[Importer]:
    """Make an import known to the background tasks (call from AppConfig.ready())."""
    _REGISTRY[importer.kind] = importer
    return importer


def importer_for(kind: str) -> type[Importer]:
    try:
        return _REGISTRY[kind]
    except KeyError:
        raise LookupError(f"no import is registered for jobs of kind {kind!r}") from None


def import_kinds() -> tuple[str, ...]:
    return tuple(_REGISTRY)
