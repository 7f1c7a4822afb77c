"""The macro table as a spreadsheet: its sheets, columns and version stamps.

Shared by the writer (excel.py) and the reader (importing.py), so that what one writes the
other reads back. The layout an Excel user gets:

* "Macro table": one row per indicator (a project without indicators has one row), the
  project's columns repeated on each of its rows so that filtering and sorting keep rows whole,
  its budget only on its first row so that column sums stay right, and at the end the stable ids
  (programme id, project uid, indicator uid) and a version stamp.
* "Required actions": one row per required action, with its project's uid and its own id.
* A template adds a "Guide" sheet in Persian and a hidden "Lists" sheet behind the drop-downs.

Headers are English msgids translated to the active language; the reader accepts either
language, so a file downloaded in English can be uploaded from the Persian UI.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from jahesh.core.persian import localize_digits
from jahesh.imports.workbook import (
    DATE,
    DECIMAL,
    ID,
    LANGUAGES,
    TEXT,
    WHOLE,
    Column,
    column_label,
    header_lookup,
    headers,
)
from jahesh.plan.models import Indicator, KeyAction, Project, RequiredAction

__all__ = ["DATE", "DECIMAL", "ID", "LANGUAGES", "TEXT", "WHOLE", "Column", "column_label",
           "header_lookup", "headers"]

MAIN_COLUMNS: tuple[Column, ...] = (
    Column("agency", _("Agency"), 24),
    Column("programme", _("Programme"), 36),
    Column("level", _("Programme level"), 13, imported=False),
    Column("state", _("Programme state"), 16, imported=False),
    Column("key_action", _("Key action"), 32),
    Column("project", _("Project"), 42),
    Column("county", _("County"), 14),
    Column("start_date", _("Start"), 12, DATE),
    Column("end_date", _("End"), 12, DATE),
    Column("budget_provincial", _("Provincial funds (million rials)"), 15, WHOLE),
    Column("budget_national", _("National funds (million rials)"), 15, WHOLE),
    Column("budget_bank", _("Bank facilities (million rials)"), 15, WHOLE),
    Column("budget_private", _("Private investment (million rials)"), 15, WHOLE),
    Column("budget_total", _("Total budget (million rials)"), 16, WHOLE, imported=False),
    Column("indicator", _("Indicator"), 36),
    Column("unit", _("Unit"), 11),
    Column("kind", _("Indicator kind"), 13),
    Column("direction", _("Direction"), 11),
    Column("baseline", _("Baseline"), 13, DECIMAL),
    Column("baseline_date", _("Baseline date"), 13, DATE),
    Column("target", _("Year-end target"), 14, DECIMAL),
    Column("weight", _("Weight"), 9, DECIMAL),
    Column("actions", _("Required actions"), 50, imported=False),
    Column("programme_id", _("Programme id"), 11, ID),
    Column("project_id", _("Project id"), 38, ID),
    Column("indicator_id", _("Indicator id"), 38, ID),
    Column("version", _("Version"), 18, ID),
)

ACTION_COLUMNS: tuple[Column, ...] = (
    Column("project", _("Project"), 42),
    Column("title", _("Required action"), 44),
    Column("owner", _("Owner agency"), 26),
    Column("due_date", _("Due date"), 12, DATE),
    Column("project_id", _("Project id"), 38, ID),
    Column("action_id", _("Action id"), 11, ID),
    Column("version", _("Version"), 18, ID),
)

MAIN_SHEET = _("Macro table")
ACTIONS_SHEET = _("Required actions")
GUIDE_SHEET = _("Guide")
LISTS_SHEET = "lists"

BUDGET_KEYS = ("budget_provincial", "budget_national", "budget_bank", "budget_private")
# A sheet is recognised by these headers, whatever its name and wherever its columns are.
MAIN_MARKERS = ("project_id", "indicator_id")
ACTION_MARKERS = ("action_id",)

def key_action_label(action: KeyAction) -> str:
    """'۳. تامین منابع مالی': the number leads, so the import can match on it alone."""
    return f"{localize_digits(action.number)}. {action.title}"


# --- Version stamps ---------------------------------------------------------------------------
# A stamp is a digest of the values a row was exported with. On import, a row that would change
# something is refused when the stamp of the data as it is now differs from the row's: someone
# changed it in the application after the file was downloaded, and saving the file would undo it.

def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _digest(values: list[Any]) -> str:
    text = json.dumps([_plain(v) for v in values], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def project_values(project: Project) -> list[Any]:
    return [project.title, project.key_action_id, project.county_id, project.start_date,
            project.end_date, project.budget_provincial, project.budget_national,
            project.budget_bank, project.budget_private]


def indicator_values(indicator: Indicator | None) -> list[Any]:
    if indicator is None:
        return []
    return [indicator.name, indicator.unit, indicator.kind, indicator.direction,
            indicator.baseline, indicator.baseline_date, indicator.target, indicator.weight]


def row_stamp(project: Project, indicator: Indicator | None) -> str:
    return _digest([*project_values(project), *indicator_values(indicator)])


def action_stamp(action: RequiredAction) -> str:
    return _digest([action.title, action.owner_agency_id, action.due_date])
