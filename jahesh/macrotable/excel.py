"""The macro table as an Excel workbook (see sheet.py for its layout), written in streaming mode.

openpyxl's write-only workbooks keep one row in memory at a time; freeze panes, the sheet view
and column widths must be set before the first row, the autofilter and drop-downs may come at
the end. Text typed by people is never written so that Excel would evaluate it: openpyxl turns a
str starting with '=' into a formula, so such text (and text starting with + - @, which Excel
evaluates when the cell is edited) is forced to a string cell with a quote prefix.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import IO, Any

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from jahesh.core.persian import format_jalali_date
from jahesh.imports.writing import (
    FORMULA_TRIGGERS,
    MAX_CELL_TEXT,
    finish_sheet,
    safe_text,
    setup_sheet,
    write_guide,
    write_lists,
)
from jahesh.macrotable import sheet
from jahesh.macrotable.sheet import ACTION_COLUMNS, MAIN_COLUMNS
from jahesh.organisation.models import Agency
from jahesh.plan.models import (
    County,
    Direction,
    IndicatorKind,
    KeyAction,
    Programme,
    ProgrammeLevel,
    ProgrammeState,
    Project,
)

__all__ = ["FORMULA_TRIGGERS", "MAX_CELL_TEXT", "safe_text", "write_workbook"]

PROGRESS_EVERY = 200
TEMPLATE_BLANK_ROWS = 40

_BUDGET_FORMAT = "#,##0"


@dataclass
class TemplateExtras:
    """What turns an export into an agency's template: blank rows, drop-downs and a guide."""

    agency: Agency
    year: int
    key_actions: list[KeyAction]
    counties: list[County]
    programmes: list[Programme]
    agencies: list[Agency]
    blank_rows: int = TEMPLATE_BLANK_ROWS


@dataclass
class WriteStats:
    projects: int = 0
    rows: int = 0
    actions: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _jdate(value: date | None) -> str | None:
    # Latin digits: sortable as text in any Excel, and what people type back.
    return format_jalali_date(value, lang="en") if value else None


class _RowWriter:
    """Builds the cell lists of both sheets for one project."""

    def __init__(self, main: Any, actions: Any) -> None:
        self.main, self.actions = main, actions
        self.main_index = {c.key: i for i, c in enumerate(MAIN_COLUMNS)}
        self.action_index = {c.key: i for i, c in enumerate(ACTION_COLUMNS)}
        self.kinds = dict(IndicatorKind.choices)
        self.directions = dict(Direction.choices)
        # Labels looked up once: get_FOO_display() costs more than writing the row.
        self.levels = {value: str(label) for value, label in ProgrammeLevel.choices}
        self.states = {value: str(label) for value, label in ProgrammeState.choices}
        self._key_labels: dict[int, str] = {}

    def text(self, ws: Any, value: Any) -> Any:
        if value is None or value == "":
            return None
        return safe_text(ws, str(value))

    def budget(self, value: Decimal) -> Any:
        cell = WriteOnlyCell(self.main, value=_number(value))
        cell.number_format = _BUDGET_FORMAT
        return cell

    def key_action(self, action: KeyAction) -> str:
        label = self._key_labels.get(action.pk)
        if label is None:
            label = self._key_labels[action.pk] = sheet.key_action_label(action)
        return label

    def project_rows(self, project: Project) -> list[list[Any]]:
        programme = project.programme
        indicators: list[Any] = list(project.indicator_list) or [None]  # type: ignore[attr-defined]
        actions = project.action_list  # type: ignore[attr-defined]
        summary = "؛ ".join(
            " — ".join(part for part in (
                a.title, a.owner_agency.name if a.owner_agency else "", _jdate(a.due_date) or ""
            ) if part)
            for a in actions
        )
        common = {
            "agency": self.text(self.main, programme.agency.name),
            "programme": self.text(self.main, programme.title),
            "level": self.levels.get(programme.level, programme.level),
            "state": self.states.get(programme.state, programme.state),
            "key_action": self.text(self.main, self.key_action(project.key_action)),
            "project": self.text(self.main, project.title),
            "county": self.text(self.main, project.county.name if project.county else None),
            "start_date": _jdate(project.start_date),
            "end_date": _jdate(project.end_date),
            "programme_id": programme.pk,
            "project_id": str(project.uid),
        }
        rows = []
        for position, indicator in enumerate(indicators):
            values = dict(common)
            if position == 0:  # the budget once per project, so that column sums stay right
                for name in sheet.BUDGET_KEYS:
                    values[name] = self.budget(getattr(project, name))
                values["budget_total"] = self.budget(project.budget_total)
                values["actions"] = self.text(self.main, summary)
            if indicator is not None:
                values.update({
                    "indicator": self.text(self.main, indicator.name),
                    "unit": self.text(self.main, indicator.unit),
                    "kind": str(self.kinds.get(indicator.kind, indicator.kind)),
                    "direction": str(self.directions.get(indicator.direction,
                                                         indicator.direction)),
                    "baseline": _number(indicator.baseline),
                    "baseline_date": _jdate(indicator.baseline_date),
                    "target": _number(indicator.target),
                    "weight": _number(indicator.weight),
                    "indicator_id": str(indicator.uid),
                })
            values["version"] = sheet.row_stamp(project, indicator)
            row: list[Any] = [None] * len(MAIN_COLUMNS)
            for key, value in values.items():
                row[self.main_index[key]] = value
            rows.append(row)
        return rows

    def action_rows(self, project: Project) -> list[list[Any]]:
        rows = []
        for action in project.action_list:  # type: ignore[attr-defined]
            values = {
                "project": self.text(self.actions, project.title),
                "title": self.text(self.actions, action.title),
                "owner": self.text(self.actions,
                                   action.owner_agency.name if action.owner_agency else None),
                "due_date": _jdate(action.due_date),
                "project_id": str(project.uid),
                "action_id": action.pk,
                "version": sheet.action_stamp(action),
            }
            row: list[Any] = [None] * len(ACTION_COLUMNS)
            for key, value in values.items():
                row[self.action_index[key]] = value
            rows.append(row)
        return rows


def write_workbook(
    target: str | IO[bytes],
    projects: Iterable[Project],
    *,
    title: str = "",
    template: TemplateExtras | None = None,
    progress: Callable[[int], None] | None = None,
) -> WriteStats:
    """Write the macro table of `projects` (from selectors.with_details) to `target`."""
    rtl = translation.get_language_bidi()
    wb = Workbook(write_only=True)
    wb.properties.title = title or _("Macro table")
    wb.properties.creator = "Jahesh"
    main = wb.create_sheet(str(sheet.MAIN_SHEET))
    guide = wb.create_sheet(str(sheet.GUIDE_SHEET)) if template else None
    actions = wb.create_sheet(str(sheet.ACTIONS_SHEET))
    lists = wb.create_sheet(sheet.LISTS_SHEET) if template else None

    id_note = _("Do not change or delete: the application finds the row by it. "
                "Leave it empty on a new row.")
    comments = {"project_id": id_note, "indicator_id": id_note, "version": id_note,
                "action_id": id_note} if template else None
    setup_sheet(main, MAIN_COLUMNS, rtl=rtl, comments=comments)
    setup_sheet(actions, ACTION_COLUMNS, rtl=rtl, comments=comments)

    writer = _RowWriter(main, actions)
    stats = WriteStats()
    main_row, action_row = 1, 1
    for project in projects:
        for row in writer.project_rows(project):
            main.append(row)
            main_row += 1
        for row in writer.action_rows(project):
            actions.append(row)
            action_row += 1
        stats.projects += 1
        if progress is not None and stats.projects % PROGRESS_EVERY == 0:
            progress(stats.projects)
    stats.rows, stats.actions = main_row - 1, action_row - 1

    if template is not None:
        agency_column = writer.main_index["agency"]
        for _i in range(template.blank_rows):
            blank: list[Any] = [None] * len(MAIN_COLUMNS)
            blank[agency_column] = writer.text(main, template.agency.name)
            main.append(blank)
            actions.append([])
        main_row += template.blank_rows
        action_row += template.blank_rows
        _write_lists(lists, template, main, actions, main_row, action_row)
        _write_guide(guide, template, rtl=rtl)
    finish_sheet(main, MAIN_COLUMNS, main_row)
    finish_sheet(actions, ACTION_COLUMNS, action_row)
    wb.save(target)
    return stats


def _write_lists(ws: Any, template: TemplateExtras, main: Any, actions: Any,
                 main_last: int, action_last: int) -> None:
    """A hidden sheet with the allowed values, and drop-downs on the columns that use them."""
    lists = {
        "key_action": [sheet.key_action_label(a) for a in template.key_actions],
        "county": [c.name for c in template.counties],
        "programme": [p.title for p in template.programmes],
        "kind": [str(label) for label in IndicatorKind.labels],
        "direction": [str(label) for label in Direction.labels],
        "owner": [a.name for a in template.agencies],
    }
    main_index = {c.key: i for i, c in enumerate(MAIN_COLUMNS, start=1)}
    action_index = {c.key: i for i, c in enumerate(ACTION_COLUMNS, start=1)}
    targets = {name: (main, main_index[name], main_last) for name in lists if name != "owner"}
    targets["owner"] = (actions, action_index["owner"], action_last)
    write_lists(ws, lists, sheet_name=sheet.LISTS_SHEET, targets=targets,
                message=_("This value is not in the list. The import will check it."))


def guide_lines(template: TemplateExtras) -> list[str]:
    """The guide sheet, one paragraph per row, in the active language."""
    return [
        _("How to fill in this macro-table template"),
        _("Agency: %(agency)s — fiscal year %(year)s")
        % {"agency": template.agency.name, "year": template.year},
        "",
        _("1. The “Macro table” sheet has one row per indicator. A project with several "
          "indicators has several rows: repeat the project's columns on each of them."),
        _("2. To change a project or an indicator, change its cells. Do not change the columns "
          "“Project id”, “Indicator id” and “Version”: they tell the application which row is "
          "which and whether it was changed in the application since you downloaded this file."),
        _("3. To add a project, fill in an empty row: name its programme in the “Programme” "
          "column by its title, or put the programme's number in “Programme id”. The programme "
          "must be one of your agency's draft programmes. Leave the id and version columns "
          "empty. For more indicators of the new project, add rows with the same programme "
          "and project title."),
        _("4. To add an indicator to an existing project, add a row with the project's "
          "“Project id” and an empty “Indicator id”."),
        _("5. Every indicator needs a year-end target. Numbers may be typed with Persian, "
          "Arabic or Latin digits, with thousands separators; the decimal separator is “٫” or "
          "“.”. Budgets are in million rials, whole numbers; give them on one row of each "
          "project only."),
        _("6. Dates are Jalali, such as 1403/02/05, typed as text or picked as a date."),
        _("7. Key action, county, programme, indicator kind and direction must be one of the "
          "values in their drop-down lists."),
        _("8. The “Required actions” sheet has one row per action: its project (by “Project "
          "id”, or by title for a new project), title, owner agency and due date."),
        _("9. Rows of accepted or submitted programmes are locked: change them only after the "
          "programme is returned to draft. Nothing is deleted by an import: remove projects, "
          "indicators and actions in the application."),
        _("10. On upload, the whole file is checked first and you see what will be created, "
          "changed or left alone, and every problem by row and column. Nothing is saved until "
          "the file has no problem and you confirm."),
    ]


def _write_guide(ws: Any, template: TemplateExtras, *, rtl: bool) -> None:
    write_guide(ws, guide_lines(template), rtl=rtl)
