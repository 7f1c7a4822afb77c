"""The backlog's automatic entries: what the HQ should look at without anyone proposing it.

Once a day (`jahesh sync_agenda`, or the task in tasks.py) each province's backlog is brought
in line with the facts:

- a resolution past its deadline and not done (overdue) is an item for its body;
- a project off track in the latest month with verified reports is an item for the
  production-leap HQ;
- an agency that did not report for the latest month whose window has closed (reporting
  compliance "missing") is an item for the production-leap HQ.

Each reason is one candidate, found by its `auto_key`, made once however often the sync runs
(the database's unique constraint decides between two runs at once). A waiting candidate whose
reason is gone (the resolution done, cancelled or given a later deadline; the project back on
track; the agency reported) is withdrawn, and proposed again if the reason comes back. A
candidate already on a meeting's agenda is left alone; once that meeting is closed it gives up
its key (services.meeting_close), so a reason that outlives the discussion comes back on the
backlog for the next meeting.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jahesh.audit.services import record
from jahesh.core.persian import format_number, jalali_month_name, localize_digits
from jahesh.evaluation.rollups import Compliance, compliance
from jahesh.meetings.models import (
    AgendaCandidate,
    CandidateSource,
    CandidateState,
    Resolution,
)
from jahesh.organisation.models import Province
from jahesh.progress.models import Period, ProgressReport, ReportState, Status

AUTOMATIC_SOURCES = (CandidateSource.RESOLUTION, CandidateSource.PROGRESS,
                     CandidateSource.REPORTING)


@dataclass(frozen=True)
class Reason:
    """Why something belongs on the backlog, and what its candidate says."""

    key: str
    source: str
    title: str
    description: str = ""
    body_id: int | None = None
    resolution_id: int | None = None
    project_id: int | None = None
    agency_id: int | None = None


@dataclass
class SyncResult:
    made: int = 0
    proposed_again: int = 0
    withdrawn: int = 0
    keys: set[str] = field(default_factory=set)

    def __iadd__(self, other: SyncResult) -> SyncResult:
        self.made += other.made
        self.proposed_again += other.proposed_again
        self.withdrawn += other.withdrawn
        self.keys |= other.keys
        return self


# --- The reasons ----------------------------------------------------------------------------------

def _month(period: Period) -> str:
    return f"{jalali_month_name(period.month)} {format_number(period.year, grouping=False)}"


def overdue_resolutions(province: Province, today: datetime.date) -> list[Reason]:
    rows = (Resolution.objects.filter(province=province).overdue(today)
            .select_related("body", "meeting", "item", "responsible_agency")
            .order_by("deadline", "pk"))
    return [Reason(
        key=f"resolution:{r.pk}", source=CandidateSource.RESOLUTION,
        title=(_("Overdue resolution %(ref)s (%(agency)s)")
               % {"ref": localize_digits(r.reference), "agency": r.responsible_agency.name})[:300],
        description=r.text, body_id=r.body_id, resolution_id=r.pk,
        agency_id=r.responsible_agency_id) for r in rows]


def latest_verified_period(province: Province) -> Period | None:
    """The latest month with a verified report in the province."""
    return (Period.objects.filter(province=province, reports__state=ReportState.VERIFIED)
            .order_by("-year", "-month").first())


def off_track_projects(province: Province, today: datetime.date) -> list[Reason]:
    period = latest_verified_period(province)
    if period is None:
        return []
    reports = (ProgressReport.objects.filter(period=period, state=ReportState.VERIFIED,
                                             status=Status.OFF_TRACK)
               .select_related("project", "agency").order_by("percent", "project_id"))
    month = _month(period)
    return [Reason(
        key=f"progress:{r.project_id}", source=CandidateSource.PROGRESS,
        title=(_("Project off track in %(month)s: %(project)s")
               % {"month": month, "project": r.project.title})[:300],
        description=_("%(agency)s — %(percent)s%% of its trajectory.")
        % {"agency": r.agency.name, "percent": format_number(r.percent)},
        project_id=r.project_id, agency_id=r.agency_id) for r in reports]


def silent_agencies(province: Province, today: datetime.date) -> list[Reason]:
    period = (Period.objects.filter(province=province, closes_on__lt=today)
              .order_by("-year", "-month").first())
    if period is None:
        return []
    month = _month(period)
    reasons = []
    for row in compliance(province, period.year, today):
        cell = next((c for c in row.cells if c.month == period.month), None)
        if cell is not None and cell.state == Compliance.MISSING:
            reasons.append(Reason(
                key=f"reporting:{row.agency_id}", source=CandidateSource.REPORTING,
                title=(_("%(agency)s did not report for %(month)s")
                       % {"agency": row.name, "month": month})[:300],
                agency_id=row.agency_id))
    return reasons


# --- Bringing the backlog in line -------------------------------------------------------------

def _live_key(key: str) -> bool:
    # A key that a closed meeting gave up ends in "@m<meeting id>".
    return "@" not in key


@transaction.atomic
def apply(province: Province, reasons: Iterable[Reason], sources: Iterable[str]) -> SyncResult:
    """Make the candidates for `reasons` that are missing, propose again the withdrawn ones,
    and withdraw the waiting candidates of `sources` whose reason is not among them."""
    result = SyncResult()
    wanted = {r.key: r for r in reasons}
    result.keys = set(wanted)
    existing = {c.auto_key: c for c in AgendaCandidate.objects.select_for_update()
                .filter(province=province, auto_key__in=list(wanted))}
    now = timezone.now()
    for key, reason in wanted.items():
        candidate = existing.get(key)
        if candidate is None:
            try:
                with transaction.atomic():
                    AgendaCandidate.objects.create(
                        province=province, source=reason.source, title=reason.title,
                        description=reason.description, body_id=reason.body_id,
                        resolution_id=reason.resolution_id, project_id=reason.project_id,
                        agency_id=reason.agency_id, auto_key=key)
                result.made += 1
            except IntegrityError:  # a concurrent run made it first
                continue
        elif candidate.state == CandidateState.WITHDRAWN:
            candidate.state = CandidateState.PROPOSED
            candidate.title, candidate.description = reason.title, reason.description
            candidate.save(update_fields=["state", "title", "description", "updated_at"])
            result.proposed_again += 1
    gone = [c.pk for c in AgendaCandidate.objects.filter(
        province=province, source__in=list(sources), state=CandidateState.PROPOSED,
        auto_key__isnull=False).exclude(auto_key__in=list(wanted)).only("pk", "auto_key")
        if _live_key(c.auto_key or "")]
    if gone:
        result.withdrawn = AgendaCandidate.objects.filter(pk__in=gone).update(
            state=CandidateState.WITHDRAWN, updated_at=now)
    if result.made or result.proposed_again or result.withdrawn:
        record(event="agenda_candidate.synced", target=province, actor=None, province=province,
               after={"made": result.made, "proposed_again": result.proposed_again,
                      "withdrawn": result.withdrawn})
    return result


def sync_province(province: Province, today: datetime.date | None = None) -> SyncResult:
    """The province's automatic backlog entries as the facts stand on `today`."""
    today = today or timezone.localdate()
    with translation.override(settings.LANGUAGE_CODE):
        reasons = [*overdue_resolutions(province, today), *off_track_projects(province, today),
                   *silent_agencies(province, today)]
    return apply(province, reasons, AUTOMATIC_SOURCES)


def sync_all(today: datetime.date | None = None) -> SyncResult:
    total = SyncResult()
    for province in Province.objects.order_by("pk"):
        total += sync_province(province, today)
    return total
