"""An agency's filled-in macro-table template, read back: check the whole file, then apply it.

The shared import mechanism (jahesh/imports/) reads the file, runs the check in the background,
shows the preview and applies it in one transaction; this module provides only what is the
macro table's own:

1. its two sheets (`SPECS`): "Macro table" and "Required actions", found by their headers in
   Persian or English (sheet.py lists the columns);
2. `Checker`: compares the rows with the database and builds a plan: what will be created,
   changed or left alone, and every problem by sheet, row and column;
3. `MacroTableImporter.apply`: the plan through jahesh.plan.services, so every change is
   audited. Nothing is ever deleted, and importing the same file twice changes nothing the
   second time: rows without ids match existing projects, indicators and actions by title
   within their parent.

A row that would change something is refused when its version stamp differs from the data as
it is now (someone changed it in the application after the file was downloaded), or when its
programme is no longer a draft.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _

from jahesh.audit.services import record
from jahesh.core.persian import fold, localize_digits, to_latin_digits
from jahesh.imports.cells import (
    CellError,
    date_of,
    decimal_of,
    folded,
    int_of,
    text_of,
    uid_of,
)
from jahesh.imports.importer import Importer, JobLinks
from jahesh.imports.report import Change, ImportReport, Problem, describe, differs
from jahesh.imports.workbook import (
    MAX_ROWS,
    FileRejected,
    ProgressFn,
    SheetRows,
    SheetSpec,
    check_container,
    is_blank,
    read_sheets,
)
from jahesh.macrotable import sheet
from jahesh.macrotable.models import JobKind
from jahesh.macrotable.sheet import ACTION_COLUMNS, MAIN_COLUMNS
from jahesh.organisation.models import Agency
from jahesh.plan import services
from jahesh.plan.models import (
    County,
    Direction,
    Indicator,
    IndicatorKind,
    KeyAction,
    Programme,
    ProgrammeState,
    Project,
    RequiredAction,
    TrajectoryMode,
)

if TYPE_CHECKING:
    from jahesh.macrotable.models import MacroJob
    from jahesh.organisation.access import Actor

# Names other modules (and the tests) have always imported from here.
__all__ = ["MAX_ROWS", "CellError", "Change", "FileRejected", "ImportReport", "Problem",
           "check_container", "date_of", "decimal_of", "import_file", "int_of", "text_of",
           "uid_of"]

PROJECT_KEYS = ("project", "key_action", "county", "start_date", "end_date",
                *sheet.BUDGET_KEYS)
INDICATOR_KEYS = ("indicator", "unit", "kind", "direction", "baseline", "baseline_date",
                  "target", "weight")
# The columns that make a row more than blank (the agency is pre-filled on a template's blank
# rows, and level, state, totals and the actions summary are not read).
MAIN_CONTENT = tuple(c.key for c in MAIN_COLUMNS if c.imported and c.key not in ("agency",))
ACTION_CONTENT = tuple(c.key for c in ACTION_COLUMNS if c.key not in ("version",))
REQUIRED_MAIN = ("project", "project_id", "indicator_id", "version")
REQUIRED_ACTIONS = ("project_id", "title", "action_id", "version")

# Sheet-column key -> model field, for the project and indicator columns.
PROJECT_FIELDS = {"project": "title", "key_action": "key_action", "county": "county",
                  "start_date": "start_date", "end_date": "end_date",
                  **{k: k for k in sheet.BUDGET_KEYS}}
INDICATOR_FIELDS = {"indicator": "name", "unit": "unit", "kind": "kind",
                    "direction": "direction", "baseline": "baseline",
                    "baseline_date": "baseline_date", "target": "target", "weight": "weight"}
ACTION_FIELDS = {"title": "title", "owner": "owner_agency", "due_date": "due_date"}

WHATS = ("project", "indicator", "action")


def what_labels() -> dict[str, str]:
    return {"project": _("projects"), "indicator": _("indicators"),
            "action": _("required actions")}


# --- Reading the file ---------------------------------------------------------------------

def _not_a_template() -> str:
    return (_("This is not a macro-table template: no sheet has the columns “%(a)s” and "
              "“%(b)s”. Download the template and fill that in.")
            % {"a": sheet.column_label(MAIN_COLUMNS, "project_id"),
               "b": sheet.column_label(MAIN_COLUMNS, "indicator_id")})


SPECS = (
    SheetSpec("main", MAIN_COLUMNS, markers=sheet.MAIN_MARKERS, required=REQUIRED_MAIN,
              content=MAIN_CONTENT, missing=_not_a_template),
    SheetSpec("actions", ACTION_COLUMNS, markers=sheet.ACTION_MARKERS,
              required=REQUIRED_ACTIONS, content=ACTION_CONTENT, optional=True),
)


@dataclass
class Workbook:
    main: SheetRows
    actions: SheetRows | None


def _workbook(sheets: dict[str, SheetRows]) -> Workbook:
    return Workbook(main=sheets["main"], actions=sheets.get("actions"))


def read_workbook(source: str | Path | IO[bytes], *,
                  progress: ProgressFn | None = None) -> Workbook:
    """Every non-blank row of the two sheets, as raw cell values. FileRejected if unreadable."""
    return _workbook(read_sheets(source, SPECS, progress=progress))


# --- The database side ----------------------------------------------------------------------

class Context:
    """Everything the check compares with, loaded in a fixed number of queries."""

    def __init__(self, *, agency: Agency, year: int, uids: set[uuid.UUID]) -> None:
        self.agency, self.year, self.province = agency, year, agency.province
        self.programmes = {p.pk: p for p in Programme.objects.filter(agency=agency)}
        self.programme_by_title: dict[tuple[int, str], list[Programme]] = {}
        for p in self.programmes.values():
            self.programme_by_title.setdefault((p.year, fold(p.title)), []).append(p)
        key_actions = list(KeyAction.objects.filter(province=self.province))
        self.key_actions = {a.pk: a for a in key_actions}
        self.key_by_number = {(a.year, a.number): a for a in key_actions}
        self.key_by_title = {(a.year, fold(a.title)): a for a in key_actions}
        counties = list(County.objects.filter(province=self.province))
        self.counties = {c.pk: c for c in counties}
        self.county_by_name = {fold(c.name): c for c in counties}
        agencies = list(Agency.objects.filter(province=self.province))
        self.agencies = {a.pk: a for a in agencies}
        self.agency_by_name = {fold(a.name): a for a in agencies}
        self.agency_by_name.update({fold(a.code): a for a in agencies})
        projects = list(
            Project.objects.filter(programme__agency=agency).prefetch_related(
                Prefetch("indicators", to_attr="indicator_list"),
                Prefetch("required_actions", to_attr="action_list"))
        )
        for project in projects:
            project.programme = self.programmes[project.programme_id]
        self.projects = {p.uid: p for p in projects}
        self.project_by_title: dict[tuple[int, str], Project] = {}
        for p in projects:
            self.project_by_title.setdefault((p.programme_id, fold(p.title)), p)
        self.indicators = {i.uid: i for p in projects for i in p.indicator_list}
        self.actions = {a.pk: a for p in projects for a in p.action_list}
        others = uids - set(self.projects) - set(self.indicators)
        self.foreign_uids: set[uuid.UUID] = set()
        if others:
            self.foreign_uids = set(Project.objects.filter(uid__in=others)
                                    .values_list("uid", flat=True))
            self.foreign_uids |= set(Indicator.objects.filter(uid__in=others)
                                     .values_list("uid", flat=True))
        kinds = {k: k for k in IndicatorKind.values}
        directions = {d: d for d in Direction.values}
        from django.utils import translation

        for lang in sheet.LANGUAGES:
            with translation.override(lang):
                kinds.update({str(label): value for value, label in IndicatorKind.choices})
                directions.update({str(label): value for value, label in Direction.choices})
        self.kinds = {fold(k): v for k, v in kinds.items()}
        self.directions = {fold(k): v for k, v in directions.items()}

    def key_action(self, text: str, year: int) -> KeyAction | None:
        latin = to_latin_digits(text)
        match = re.fullmatch(r"\s*(\d{1,3})\s*(?:[-.:)–—]\s*)?(.*)", latin)
        if match:
            action = self.key_by_number.get((year, int(match[1])))
            if action is not None and (not match[2].strip()
                                       or fold(match[2]) == fold(action.title)):
                return action
            return None
        return self.key_by_title.get((year, folded(text)))


# --- The check ------------------------------------------------------------------------------

@dataclass
class IndicatorPlan:
    row: int
    existing: Indicator | None
    values: dict[str, Any]  # all values (new) or only the changed ones (existing)
    manual: list[Decimal] | None = None


@dataclass
class ActionPlan:
    row: int
    existing: RequiredAction | None
    values: dict[str, Any]


@dataclass
class ProjectPlan:
    row: int
    programme: Programme
    existing: Project | None
    values: dict[str, Any]
    indicators: list[IndicatorPlan] = field(default_factory=list)
    actions: list[ActionPlan] = field(default_factory=list)
    created: Project | None = None


@dataclass
class _Group:
    """The rows of the file that describe one project."""

    key: tuple[Any, ...]
    programme: Programme | None
    existing: Project | None
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)


class Checker:
    def __init__(self, book: Workbook, *, agency: Agency, year: int) -> None:
        self.book, self.agency, self.year = book, agency, year
        self.report = ImportReport(whats=WHATS, rows=len(book.main.rows)
                                   + (len(book.actions.rows) if book.actions else 0))
        self.plans: list[ProjectPlan] = []

    # Problems are located by sheet, row and the column's header in the active language.
    def _main_problem(self, row: int, key: str, message: str) -> None:
        column = sheet.column_label(MAIN_COLUMNS, key) if key else ""
        letter = self.book.main.letters.get(key)
        self.report.problem(self.book.main.title, row,
                            f"{column} ({letter})" if letter else column, message)

    def _action_problem(self, row: int, key: str, message: str) -> None:
        assert self.book.actions is not None
        column = sheet.column_label(ACTION_COLUMNS, key) if key else ""
        letter = self.book.actions.letters.get(key)
        self.report.problem(self.book.actions.title, row,
                            f"{column} ({letter})" if letter else column, message)

    def run(self) -> tuple[ImportReport, list[ProjectPlan]]:
        uids: set[uuid.UUID] = set()
        for _number, cells in self.book.main.rows:
            for key in ("project_id", "indicator_id"):
                try:
                    found = uid_of(cells.get(key))
                except CellError:
                    found = None
                if found:
                    uids.add(found)
        if self.book.actions:
            for _number, cells in self.book.actions.rows:
                try:
                    found = uid_of(cells.get("project_id"))
                except CellError:
                    found = None
                if found:
                    uids.add(found)
        self.ctx = Context(agency=self.agency, year=self.year, uids=uids)
        groups = self._group_rows()
        by_key: dict[tuple[Any, ...], ProjectPlan] = {}
        for group in groups:
            plan = self._check_project(group)
            if plan is not None:
                self.plans.append(plan)
                by_key[group.key] = plan
        if self.book.actions:
            self._check_actions(by_key)
        for plan in self.plans:
            self._tally(plan)
        return self.report, self.plans

    # -- rows to projects --

    def _group_rows(self) -> list[_Group]:
        ctx = self.ctx
        groups: dict[tuple[Any, ...], _Group] = {}
        for number, cells in self.book.main.rows:
            agency_text = text_of(cells.get("agency"))
            if agency_text and folded(agency_text) not in (fold(self.agency.name),
                                                           fold(self.agency.code)):
                other = ctx.agency_by_name.get(folded(agency_text))
                if other is not None:
                    self._main_problem(number, "agency", _(
                        "This row belongs to another agency (%(agency)s); this file can only "
                        "change %(mine)s.") % {"agency": other.name, "mine": self.agency.name})
                else:
                    self._main_problem(number, "agency", _("Unknown agency “%(text)s”.")
                                       % {"text": agency_text})
                continue
            try:
                project_uid = uid_of(cells.get("project_id"))
            except CellError as exc:
                self._main_problem(number, "project_id", str(exc))
                continue
            if project_uid is not None:
                project = ctx.projects.get(project_uid)
                if project is None:
                    if project_uid in ctx.foreign_uids:
                        self._main_problem(number, "project_id", _(
                            "This project belongs to another agency; this file can only change "
                            "%(mine)s.") % {"mine": self.agency.name})
                    else:
                        self._main_problem(number, "project_id", _(
                            "No project has this id any more: it was deleted in the application. "
                            "Remove the row, or empty its id columns to add it again."))
                    continue
                if not self._same_programme(number, cells, project):
                    continue
                key: tuple[Any, ...] = ("project", project.pk)
                group = groups.setdefault(key, _Group(key, project.programme, project))
                group.rows.append((number, cells))
                continue
            programme = self._programme_of(number, cells)
            if programme is None:
                continue
            title = text_of(cells.get("project"))
            if not title:
                self._main_problem(number, "project", _("A new row needs the project's title."))
                continue
            existing = ctx.project_by_title.get((programme.pk, folded(title)))
            if existing is not None:  # the same file imported again, or a title already there
                key = ("project", existing.pk)
                group = groups.setdefault(key, _Group(key, programme, existing))
            else:
                key = ("new", programme.pk, folded(title))
                group = groups.setdefault(key, _Group(key, programme, None))
            group.rows.append((number, cells))
        return list(groups.values())

    def _same_programme(self, number: int, cells: dict[str, Any], project: Project) -> bool:
        try:
            programme_id = int_of(cells.get("programme_id"))
        except CellError as exc:
            self._main_problem(number, "programme_id", str(exc))
            return False
        title = text_of(cells.get("programme"))
        if (programme_id is not None and programme_id != project.programme_id) or (
                title and folded(title) != fold(project.programme.title)):
            self._main_problem(number, "programme" if title else "programme_id", _(
                "A project cannot move to another programme through the file; its programme is "
                "“%(programme)s”.") % {"programme": project.programme.title})
            return False
        return True

    def _programme_of(self, number: int, cells: dict[str, Any]) -> Programme | None:
        ctx = self.ctx
        try:
            programme_id = int_of(cells.get("programme_id"))
        except CellError as exc:
            self._main_problem(number, "programme_id", str(exc))
            return None
        title = text_of(cells.get("programme"))
        if programme_id is not None:
            programme = ctx.programmes.get(programme_id)
            if programme is None:
                self._main_problem(number, "programme_id", _(
                    "No programme of %(agency)s has the id %(id)s.")
                    % {"agency": self.agency.name, "id": localize_digits(programme_id)})
                return None
            if title and folded(title) != fold(programme.title):
                self._main_problem(number, "programme", _(
                    "The programme id %(id)s is “%(title)s”, not this title.")
                    % {"id": localize_digits(programme_id), "title": programme.title})
                return None
            return programme
        if not title:
            self._main_problem(number, "programme", _(
                "Name the new project's programme: its title, or its number in “%(column)s”.")
                % {"column": sheet.column_label(MAIN_COLUMNS, "programme_id")})
            return None
        found = ctx.programme_by_title.get((self.year, folded(title)), [])
        if len(found) != 1:
            self._main_problem(number, "programme", _(
                "%(agency)s has no programme “%(title)s” in %(year)s.") % {
                "agency": self.agency.name, "title": title, "year": localize_digits(self.year)}
                if not found else _("Several programmes have this title; give the programme "
                                    "id instead."))
            return None
        return found[0]

    # -- one project --

    def _merge(self, group: _Group) -> dict[str, tuple[Any, int]]:
        """Project-level values across the group's rows: (value, row), blank when none."""
        parsed: dict[str, tuple[Any, int]] = {}
        for number, cells in group.rows:
            for key in PROJECT_KEYS:
                if key not in self.book.main.columns or is_blank(cells.get(key)):
                    continue
                try:
                    value = self._project_value(key, cells[key], group)
                except CellError as exc:
                    self._main_problem(number, key, str(exc))
                    continue
                if key in parsed and parsed[key][0] != value:
                    self._main_problem(number, key, _(
                        "This differs from the same project's row %(row)s; give the project's "
                        "value the same on all its rows, or on one row only.")
                        % {"row": localize_digits(parsed[key][1])})
                    continue
                parsed.setdefault(key, (value, number))
        return parsed

    def _project_value(self, key: str, raw: Any, group: _Group) -> Any:
        ctx = self.ctx
        if key == "project":
            return text_of(raw)
        if key == "key_action":
            assert group.programme is not None
            action = ctx.key_action(text_of(raw), group.programme.year)
            if action is None:
                raise CellError(_("Unknown key action “%(text)s” for %(year)s.")
                                % {"text": text_of(raw),
                                   "year": localize_digits(group.programme.year)})
            return action
        if key == "county":
            county = ctx.county_by_name.get(folded(text_of(raw)))
            if county is None:
                raise CellError(_("Unknown county “%(text)s”.") % {"text": text_of(raw)})
            return county
        if key in ("start_date", "end_date"):
            return date_of(raw)
        return decimal_of(raw, places=0, digits=16, negative=False)

    def _check_project(self, group: _Group) -> ProjectPlan | None:
        assert group.programme is not None
        first = group.rows[0][0]
        problems_before = self.report.problem_count
        merged = self._merge(group)
        columns = self.book.main.columns
        existing = group.existing
        desired: dict[str, Any] = {}
        for key, field_name in PROJECT_FIELDS.items():
            if key not in columns:
                continue  # a column taken out of the file leaves its values as they are
            value = merged.get(key, (None, first))[0]
            if value is None and key in ("project", "key_action"):
                self._main_problem(first, key, _("This field is required."))
                continue
            if value is None and key in sheet.BUDGET_KEYS:
                value = Decimal(0)
            desired[field_name] = value
        if existing is None and "key_action" not in desired:
            if "key_action" not in columns:
                self._main_problem(first, "key_action", _("This field is required."))
        start = desired.get("start_date", existing.start_date if existing else None)
        end = desired.get("end_date", existing.end_date if existing else None)
        if start and end and end < start:
            self._main_problem(merged.get("end_date", (None, first))[1], "end_date",
                               _("The project ends before it starts."))
        if existing is not None:
            changes = {name: value for name, value in desired.items()
                       if differs(self._current(existing, name), value)}
        else:
            changes = desired
        plan = ProjectPlan(row=first, programme=group.programme, existing=existing,
                           values=changes)
        row_changes: dict[int, bool] = {}
        seen: dict[uuid.UUID, int] = {}
        for number, cells in group.rows:
            indicator_plan = self._check_indicator(number, cells, plan, seen)
            if indicator_plan is not None:
                plan.indicators.append(indicator_plan)
            row_changes[number] = bool(indicator_plan and (indicator_plan.existing is None
                                                           or indicator_plan.values))
        if self.report.problem_count > problems_before:
            return plan
        # A row that changes something must not be older than the data, nor in a locked programme.
        if existing is not None:
            for number, cells in group.rows:
                if changes or row_changes.get(number):
                    self._fresh(number, cells, existing)
        if plan.programme.state != ProgrammeState.DRAFT and (
                existing is None or changes or any(row_changes.values())):
            self._locked(first, plan.programme)
        return plan

    def _fresh(self, number: int, cells: dict[str, Any], project: Project) -> bool:
        stamp = text_of(cells.get("version"))
        if not stamp:
            return True  # a row added by hand: nothing to compare with
        try:
            indicator_uid = uid_of(cells.get("indicator_id"))
        except CellError:
            return True  # reported already
        indicator = self.ctx.indicators.get(indicator_uid) if indicator_uid else None
        if stamp != sheet.row_stamp(project, indicator):
            self._main_problem(number, "version", _(
                "This row was changed in the application after the file was downloaded; saving "
                "the file would undo that. Download a fresh template and make your change there."))
            return False
        return True

    def _locked(self, row: int, programme: Programme) -> None:
        self._main_problem(row, "programme", _(
            "The programme “%(programme)s” is %(state)s, not a draft: it is locked. Ask for it "
            "to be returned to draft (or for a change request), then import again.")
            % {"programme": programme.title, "state": programme.get_state_display()})

    def _check_indicator(self, number: int, cells: dict[str, Any], plan: ProjectPlan,
                         seen: dict[uuid.UUID, int]) -> IndicatorPlan | None:
        ctx, columns = self.ctx, self.book.main.columns
        try:
            indicator_uid = uid_of(cells.get("indicator_id"))
        except CellError as exc:
            self._main_problem(number, "indicator_id", str(exc))
            return None
        name = text_of(cells.get("indicator"))
        has_values = any(not is_blank(cells.get(k)) for k in INDICATOR_KEYS if k != "indicator")
        if not name:
            if indicator_uid is not None or has_values:
                self._main_problem(number, "indicator", _(
                    "The indicator needs a name. (Indicators are removed in the application, "
                    "not by emptying their row.)"))
            return None
        existing: Indicator | None = None
        if indicator_uid is not None:
            existing = ctx.indicators.get(indicator_uid)
            if existing is None or (plan.existing is None
                                    or existing.project_id != plan.existing.pk):
                message = (_("No indicator has this id any more: it was deleted in the "
                             "application.") if existing is None and indicator_uid
                           not in ctx.foreign_uids else
                           _("This indicator belongs to another project."))
                self._main_problem(number, "indicator_id", message)
                return None
            if indicator_uid in seen:
                self._main_problem(number, "indicator_id", _(
                    "The same indicator is on row %(row)s too.")
                    % {"row": localize_digits(seen[indicator_uid])})
                return None
            seen[indicator_uid] = number
        elif plan.existing is not None:
            existing = next((i for i in plan.existing.indicator_list  # type: ignore[attr-defined]
                             if fold(i.name) == folded(name)), None)
        values: dict[str, Any] = {"name": name}
        failed = False
        for key in INDICATOR_KEYS[1:]:
            if key not in columns:
                continue
            raw = cells.get(key)
            try:
                values[INDICATOR_FIELDS[key]] = self._indicator_value(key, raw)
            except CellError as exc:
                self._main_problem(number, key, str(exc))
                failed = True
        if failed:
            return None
        if values.get("target") is None:
            self._main_problem(number, "target", _(
                "The indicator has no year-end target: every indicator needs one."))
            return None
        if existing is None:
            values = {"unit": "", "kind": IndicatorKind.QUANTITY,
                      "direction": Direction.INCREASE, "weight": Decimal(1), **values}
            return IndicatorPlan(row=number, existing=None, values=values)
        changes = {k: v for k, v in values.items() if differs(getattr(existing, k), v)}
        manual = None
        if changes and existing.trajectory_mode == TrajectoryMode.MANUAL:
            if "target" in changes:
                self._main_problem(number, "target", _(
                    "This indicator's monthly plan was typed by hand: change its target in the "
                    "application, together with the monthly values."))
                return None
            manual = [p.value for p in existing.trajectory.all()]
        return IndicatorPlan(row=number, existing=existing, values=changes, manual=manual)

    def _indicator_value(self, key: str, raw: Any) -> Any:
        if key == "unit":
            return text_of(raw)
        if key == "kind":
            text = text_of(raw)
            if not text:
                return IndicatorKind.QUANTITY
            if folded(text) not in self.ctx.kinds:
                raise CellError(_("Unknown indicator kind “%(text)s”.") % {"text": text})
            return self.ctx.kinds[folded(text)]
        if key == "direction":
            text = text_of(raw)
            if not text:
                return Direction.INCREASE
            if folded(text) not in self.ctx.directions:
                raise CellError(_("Unknown direction “%(text)s”.") % {"text": text})
            return self.ctx.directions[folded(text)]
        if key == "baseline_date":
            return date_of(raw)
        if key == "weight":
            weight = decimal_of(raw, places=2, digits=6, negative=False)
            if weight is None:
                return Decimal(1)
            if weight <= 0:
                raise CellError(_("The weight must be more than zero."))
            return weight
        return decimal_of(raw, places=4, digits=20)

    # -- required actions --

    def _check_actions(self, by_key: dict[tuple[Any, ...], ProjectPlan]) -> None:
        assert self.book.actions is not None
        ctx = self.ctx
        new_by_title: dict[str, list[ProjectPlan]] = {}
        for plan in by_key.values():
            if plan.existing is None and "title" in plan.values:
                new_by_title.setdefault(fold(plan.values["title"]), []).append(plan)
        by_project = {plan.existing.pk: plan for plan in by_key.values() if plan.existing}
        existing_by_title: dict[str, list[Project]] = {}
        for project in ctx.projects.values():
            if project.programme.year == self.year:
                existing_by_title.setdefault(fold(project.title), []).append(project)
        seen: dict[int, int] = {}
        for number, cells in self.book.actions.rows:
            problems_before = self.report.problem_count
            try:
                project_uid = uid_of(cells.get("project_id"))
                action_id = int_of(cells.get("action_id"))
            except CellError as exc:
                self._action_problem(number, "project_id", str(exc))
                continue
            plan: ProjectPlan | None = None
            if project_uid is not None:
                project = ctx.projects.get(project_uid)
                if project is None:
                    self._action_problem(number, "project_id", _(
                        "This project belongs to another agency; this file can only change "
                        "%(mine)s.") % {"mine": self.agency.name}
                        if project_uid in ctx.foreign_uids else
                        _("No project has this id any more: it was deleted in the application."))
                    continue
            else:
                title = folded(text_of(cells.get("project")))
                candidates: list[Any] = new_by_title.get(title, []) + existing_by_title.get(
                    title, [])
                if not title or not candidates:
                    self._action_problem(number, "project", _(
                        "Name the action's project: its “%(column)s”, or the exact title of a "
                        "project in the first sheet.")
                        % {"column": sheet.column_label(ACTION_COLUMNS, "project_id")})
                    continue
                if len(candidates) > 1:
                    self._action_problem(number, "project", _(
                        "Several projects have this title; give the project id instead."))
                    continue
                found = candidates[0]
                if isinstance(found, ProjectPlan):
                    plan, project = found, None
                else:
                    project = found
            if plan is None:
                assert project is not None
                plan = by_project.get(project.pk)
                if plan is None:
                    plan = ProjectPlan(row=number, programme=project.programme, existing=project,
                                       values={})
                    by_project[project.pk] = plan
                    self.plans.append(plan)
            action_plan = self._check_action(number, cells, plan, action_id, seen)
            if action_plan is None or self.report.problem_count > problems_before:
                continue
            plan.actions.append(action_plan)
            if action_plan.existing is not None and action_plan.values:
                stamp = text_of(cells.get("version"))
                if stamp and stamp != sheet.action_stamp(action_plan.existing):
                    self._action_problem(number, "version", _(
                        "This row was changed in the application after the file was "
                        "downloaded; saving the file would undo that. Download a fresh template "
                        "and make your change there."))
                    continue
            if (action_plan.existing is None or action_plan.values) and (
                    plan.programme.state != ProgrammeState.DRAFT):
                self._action_problem(number, "project", _(
                    "The programme “%(programme)s” is %(state)s, not a draft: it is locked.")
                    % {"programme": plan.programme.title,
                       "state": plan.programme.get_state_display()})

    def _check_action(self, number: int, cells: dict[str, Any], plan: ProjectPlan,
                      action_id: int | None, seen: dict[int, int]) -> ActionPlan | None:
        ctx, columns = self.ctx, self.book.actions.columns  # type: ignore[union-attr]
        title = text_of(cells.get("title"))
        if not title:
            self._action_problem(number, "title", _("The required action needs a title."))
            return None
        existing: RequiredAction | None = None
        if action_id is not None:
            existing = ctx.actions.get(action_id)
            if existing is None or plan.existing is None or existing.project_id != plan.existing.pk:
                self._action_problem(number, "action_id", _(
                    "No required action of this project has this id (it may have been deleted "
                    "in the application)."))
                return None
            if action_id in seen:
                self._action_problem(number, "action_id", _(
                    "The same required action is on row %(row)s too.")
                    % {"row": localize_digits(seen[action_id])})
                return None
            seen[action_id] = number
        elif plan.existing is not None:
            existing = next((a for a in plan.existing.action_list  # type: ignore[attr-defined]
                             if fold(a.title) == folded(title)), None)
        values: dict[str, Any] = {"title": title}
        if "owner" in columns:
            owner_text = text_of(cells.get("owner"))
            owner = ctx.agency_by_name.get(folded(owner_text)) if owner_text else None
            if owner_text and owner is None:
                self._action_problem(number, "owner", _("Unknown agency “%(text)s”.")
                                     % {"text": owner_text})
                return None
            values["owner_agency"] = owner
        if "due_date" in columns:
            try:
                values["due_date"] = date_of(cells.get("due_date"))
            except CellError as exc:
                self._action_problem(number, "due_date", str(exc))
                return None
        if existing is None:
            return ActionPlan(row=number, existing=None, values=values)
        changes = {k: v for k, v in values.items()
                   if differs(self._current(existing, k), v)}
        return ActionPlan(row=number, existing=existing, values=changes)

    def _current(self, obj: Any, name: str) -> Any:
        """A field's value, foreign keys from the context's caches (no query per row)."""
        if name == "key_action":
            return self.ctx.key_actions.get(obj.key_action_id)
        if name == "county":
            return self.ctx.counties.get(obj.county_id)
        if name == "owner_agency":
            return self.ctx.agencies.get(obj.owner_agency_id)
        return getattr(obj, name)

    # -- the preview --

    def _tally(self, plan: ProjectPlan) -> None:
        report = self.report
        title = plan.values.get("title") or (plan.existing.title if plan.existing else "")
        if plan.existing is None:
            report.count("create", "project")
            report.changes.append(Change("create", "project", plan.row, title,
                                         describe(Project, {}, plan.values)))
        elif plan.values:
            report.count("change", "project")
            report.changes.append(Change("change", "project", plan.row, title, describe(
                Project, {k: self._current(plan.existing, k) for k in plan.values}, plan.values)))
        else:
            report.count("keep", "project")
        for item in plan.indicators:
            self._tally_child("indicator", Indicator, item, item.values.get("name")
                              or (item.existing.name if item.existing else ""))
        for action in plan.actions:
            self._tally_child("action", RequiredAction, action, action.values.get("title")
                              or (action.existing.title if action.existing else ""))

    def _tally_child(self, what: str, model: Any, item: Any, label: str) -> None:
        if item.existing is None:
            self.report.count("create", what)
            self.report.changes.append(Change("create", what, item.row, label,
                                              describe(model, {}, item.values)))
        elif item.values:
            self.report.count("change", what)
            before = {k: self._current(item.existing, k) for k in item.values}
            self.report.changes.append(Change("change", what, item.row, label,
                                              describe(model, before, item.values)))
        else:
            self.report.count("keep", what)


# --- Applying -------------------------------------------------------------------------------

def check(book: Workbook, *, agency: Agency, year: int) -> tuple[ImportReport, list[ProjectPlan]]:
    return Checker(book, agency=agency, year=year).run()


class MacroTableImporter(Importer):
    """An agency's macro-table template for one fiscal year (jobs of kind "import")."""

    kind = JobKind.IMPORT
    whats = WHATS
    specs = SPECS

    def __init__(self, *, agency: Agency, year: int, acting_user: Any = None,
                 file_name: str = "") -> None:
        super().__init__(acting_user=acting_user, file_name=file_name)
        self.agency, self.year = agency, year

    def check(self, sheets: dict[str, SheetRows]) -> tuple[ImportReport, list[ProjectPlan]]:
        return check(_workbook(sheets), agency=self.agency, year=self.year)

    def lock(self) -> None:
        # Hold the agency's programmes still while checking and writing, so that none is
        # submitted or changed between the check and the writes.
        list(Programme.objects.select_for_update().filter(agency=self.agency).values_list("pk"))

    def apply(self, plan: list[ProjectPlan]) -> None:
        acting_user = self.acting_user
        for project_plan in plan:
            _apply_project(project_plan, acting_user=acting_user)

    def audit(self, report: ImportReport) -> None:
        record(event="macro_table.imported", target=self.agency, actor=self.acting_user,
               province=self.agency.province,
               after={"file": self.file_name, "year": self.year, "created": report.created,
                      "changed": report.changed})

    # -- the background job --

    @classmethod
    def from_job(cls, job: MacroJob) -> MacroTableImporter:
        assert job.agency is not None
        return cls(agency=job.agency, year=int(job.params["year"]),
                   acting_user=job.created_by, file_name=job.file_name)

    @classmethod
    def may_run(cls, actor: Actor, job: MacroJob) -> bool:
        from jahesh.macrotable import selectors
        from jahesh.plan.permissions import programmes

        agency = job.agency
        return (agency is not None
                and selectors.readable_agencies(actor, job.province)
                .filter(pk=agency.pk).exists()
                and programmes.allows(actor, "create", agency=agency))

    @classmethod
    def what_labels(cls) -> dict[str, tuple[str, str]]:
        return {"project": (_("Projects"), _("project")),
                "indicator": (_("Indicators"), _("indicator")),
                "action": (_("Required actions"), _("required action"))}

    @classmethod
    def links(cls, job: MacroJob) -> JobLinks:
        upload = reverse("macrotable:import", args=[job.agency.code]) if job.agency else ""
        table = reverse("macrotable:table")
        return JobLinks(
            progress=reverse("macrotable:job_progress", args=[job.uid]),
            apply=reverse("macrotable:job_apply", args=[job.uid]),
            upload=upload,
            result=(f"{table}?agency={job.agency_id}", _("See the macro table")),
            breadcrumbs=[(_("Macro table"), table)]
            + ([(_("Import from Excel"), upload)] if upload else []),
        )


def _apply_project(plan: ProjectPlan, *, acting_user: Any) -> None:
    if plan.existing is None:
        project = services.project_save(programme=plan.programme, acting_user=acting_user,
                                        **plan.values)
    elif plan.values:
        project = services.project_save(programme=plan.programme, acting_user=acting_user,
                                        project=plan.existing, **plan.values)
    else:
        project = plan.existing
    project.programme = plan.programme
    for item in plan.indicators:
        if item.existing is None:
            services.indicator_save(project=project, acting_user=acting_user, **item.values)
        elif item.values:
            services.indicator_save(project=project, acting_user=acting_user,
                                    indicator=item.existing, manual_trajectory=item.manual,
                                    **item.values)
    for action in plan.actions:
        if action.existing is None:
            services.required_action_save(project=project, acting_user=acting_user,
                                          **action.values)
        elif action.values:
            services.required_action_save(project=project, acting_user=acting_user,
                                          action=action.existing, **action.values)


def import_file(
    source: str | Path | IO[bytes], *, agency: Agency, year: int, acting_user: Any,
    dry_run: bool = False, progress: ProgressFn | None = None, file_name: str = "",
) -> ImportReport:
    """Check the whole file; unless `dry_run`, apply it in one transaction if it has no problem.

    A file that cannot be read gives a report with that one problem.
    """
    importer = MacroTableImporter(agency=agency, year=year, acting_user=acting_user,
                                  file_name=file_name)
    return importer.run(source, dry_run=dry_run, progress=progress)


def iter_problems(report: ImportReport) -> Iterator[str]:
    return report.iter_problems()
