"""The case list as an Excel workbook: the same filters and visibility as the page, one row per
case, a right-to-left sheet in Persian (dashboards/excel.py writes it)."""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.utils.translation import gettext as _

from jahesh.cases.models import CaseKind, CaseState, Channel, Priority, case_is_overdue
from jahesh.dashboards.excel import write_workbook

# More than this many rows is refused by the spreadsheet's readers in practice; the list's
# filters narrow it.
MAX_ROWS = 50_000


def cases_workbook(rows: Any, *, today: datetime.date) -> bytes:
    labels = {**dict(CaseKind.choices), **dict(Channel.choices), **dict(CaseState.choices),
              **dict(Priority.choices)}
    lines = []
    for case in rows.select_related("county")[:MAX_ROWS].iterator(chunk_size=2000):
        lines.append([
            case.reference, case.title, str(labels.get(case.kind, case.kind)),
            str(labels.get(case.channel, case.channel)), case.category.name,
            str(labels.get(case.state, case.state)),
            case.responsible_agency.name if case.responsible_agency_id else "",
            str(labels.get(case.priority, case.priority)),
            case.unit.name if case.unit_id else case.requester_name,
            case.county.name if case.county_id else "", case.created_at, case.response_due, case.resolution_due, case.resolved_at,
            case_is_overdue(case, today), case.escalation_level, case.reopen_count,
        ])
    out = io.BytesIO()
    write_workbook(out, [{
        "title": _("Cases"),
        "columns": [_("Reference"), _("Title"), _("Kind"), _("Channel"), _("Category"),
                    _("State"), _("Responsible agency"), _("Priority"), _("Requester"),
                    _("County"), _("Recorded"), _("Response due"), _("Resolution due"), _("Resolved"),
                    _("Overdue"), _("Escalation"), _("Times reopened")],
        "rows": lines,
    }], title=_("Cases"))
    return out.getvalue()
