"""The resolutions register as an Excel workbook: exactly the rows the register's filters select,
one row per resolution, a right-to-left sheet in Persian (dashboards/excel.py writes it), and a
second sheet with each agency's share carried out on time."""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.utils.translation import gettext as _

from jahesh.dashboards.excel import write_workbook
from jahesh.meetings.models import ResolutionState

# More rows than this are refused by the spreadsheet's readers in practice; filters narrow it.
MAX_ROWS = 50_000


def resolutions_workbook(rows: Any, *, today: datetime.date,
                         shares: list[Any] | None = None) -> bytes:
    states = dict(ResolutionState.choices)
    lines = []
    for resolution in rows[:MAX_ROWS].iterator(chunk_size=2000):
        collaborators = "، ".join(a.name for a in resolution.collaborating_agencies.all())
        lines.append([
            resolution.reference, resolution.body.name, resolution.meeting.starts_at,
            resolution.item.title, resolution.text, resolution.responsible_agency.name,
            collaborators, resolution.deadline, str(states.get(resolution.state,
                                                              resolution.state)),
            resolution.is_overdue(today), resolution.notified_at, resolution.done_at,
        ])
    sheets: list[dict[str, Any]] = [{
        "title": _("Resolutions"),
        "columns": [_("Number"), _("Body"), _("Meeting"), _("Agenda item"), _("Resolution"),
                    _("Responsible agency"), _("Collaborating agencies"), _("Deadline"),
                    _("State"), _("Overdue"), _("Notified"), _("Done")],
        "rows": lines,
    }]
    if shares is not None:
        sheets.append({
            "title": _("Carried out on time"),
            "columns": [_("Agency"), _("Resolutions due"), _("Done on time"), _("Done late"),
                        _("Share on time (%)")],
            "rows": [[s.agency_name, s.due, s.on_time, s.late,
                      s.percent if s.percent is not None else ""] for s in shares],
        })
    out = io.BytesIO()
    write_workbook(out, sheets, title=_("Resolutions register"))
    return out.getvalue()
