"""The production units registry, imported from Excel through the shared import mechanism
(jahesh/imports/): the province's secretariat downloads the template (every unit, and blank
rows), fills it in, uploads it, sees the preview, and applies it.

This module provides only what is the registry's own: its sheet (`COLUMNS`), the check and
the apply. A row is matched to a unit by its national business id, else by its name (spelling
variants folded); it creates a unit or changes it. A row that would change a unit changed in the
application after the file was downloaded (its version column differs) is refused. A blank cell
empties the value, except the national business id (which is only ever added or corrected); a
column left out of the file leaves its values alone. Nothing is deleted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jahesh.audit.services import record
from jahesh.core.persian import fold, localize_digits, strip_invisible, to_latin_digits
from jahesh.core.stale import StaleEdit
from jahesh.imports.cells import CellError, bool_of, count_of, folded, int_of, text_of
from jahesh.imports.importer import Importer, JobLinks
from jahesh.imports.report import Change, ImportReport, describe, differs
from jahesh.imports.workbook import (
    BOOLEAN,
    ID,
    TEXT,
    WHOLE,
    Column,
    SheetRows,
    SheetSpec,
    column_label,
    is_blank,
)
from jahesh.macrotable.models import JobKind
from jahesh.organisation.models import Province
from jahesh.plan.models import County, PriorityIndustry
from jahesh.units import services
from jahesh.units.models import IndustrialPark, ProductionUnit
from jahesh.units.validators import clean_national_id

if TYPE_CHECKING:
    from jahesh.macrotable.models import MacroJob
    from jahesh.organisation.access import Actor

COLUMNS: tuple[Column, ...] = (
    Column("name", gettext_lazy("Unit name"), 36),
    Column("national_id", gettext_lazy("National business id"), 16, TEXT),
    Column("isic_code", gettext_lazy("ISIC code"), 11, TEXT),
    Column("activity", gettext_lazy("Activity"), 36),
    Column("county", gettext_lazy("County"), 16),
    Column("industrial_park", gettext_lazy("Industrial park"), 24),
    Column("priority_industry", gettext_lazy("Priority industry"), 24),
    Column("employees", gettext_lazy("Employees"), 11, WHOLE),
    Column("is_knowledge_based", gettext_lazy("Knowledge-based"), 12, BOOLEAN),
    Column("is_cooperative", gettext_lazy("Cooperative"), 11, BOOLEAN),
    Column("is_home_business", gettext_lazy("Home business"), 12, BOOLEAN),
    Column("contact_name", gettext_lazy("Contact person"), 22),
    Column("contact_phone", gettext_lazy("Contact phone"), 15, TEXT),
    Column("contact_email", gettext_lazy("Contact e-mail"), 24),
    Column("address", gettext_lazy("Address"), 40),
    Column("version", gettext_lazy("Version"), 9, ID),
)
# Column key -> ProductionUnit field, for the columns a row sets.
FIELDS = {c.key: c.key for c in COLUMNS if c.key != "version"}
BOOLEANS = ("is_knowledge_based", "is_cooperative", "is_home_business")
TEXTS = ("name", "isic_code", "activity", "contact_name", "contact_phone", "contact_email",
         "address")
CONTENT = tuple(k for k in FIELDS)

WHATS = ("unit",)


def _not_a_template() -> str:
    return (_("This is not a production units template: no sheet has the column “%(name)s”. "
              "Download the template and fill that in.")
            % {"name": column_label(COLUMNS, "name")})


SPECS = (SheetSpec("units", COLUMNS, markers=("name",), required=("name",), content=CONTENT,
                   missing=_not_a_template),)


@dataclass
class UnitPlan:
    row: int
    existing: ProductionUnit | None
    values: dict[str, Any]  # all values (new) or only the changed ones (existing)
    version: int | None = None  # the version the check saw


@dataclass
class _Context:
    """Everything the check compares with, loaded in a fixed number of queries."""

    province: Province
    units: list[ProductionUnit] = field(default_factory=list)

    def __post_init__(self) -> None:
        province = self.province
        self.units = list(ProductionUnit.objects.filter(province=province).order_by("id"))
        self.by_national_id = {u.national_id: u for u in self.units if u.national_id}
        self.by_name: dict[str, list[ProductionUnit]] = {}
        for unit in self.units:
            self.by_name.setdefault(fold(unit.name), []).append(unit)
        counties = list(County.objects.filter(province=province))
        self.counties = {c.pk: c for c in counties}
        self.county_by_name = {fold(c.name): c for c in counties}
        parks = list(IndustrialPark.objects.filter(province=province))
        self.parks = {p.pk: p for p in parks}
        self.park_by_name = {fold(p.name): p for p in parks}
        industries = list(PriorityIndustry.objects.filter(province=province))
        self.industries = {i.pk: i for i in industries}
        self.industry_by_title = {fold(i.title): i for i in industries}

    def current(self, unit: ProductionUnit, name: str) -> Any:
        """A field's value, related rows from the caches (no query per row)."""
        if name == "county":
            return self.counties.get(unit.county_id)
        if name == "industrial_park":
            return self.parks.get(unit.industrial_park_id)
        if name == "priority_industry":
            return self.industries.get(unit.priority_industry_id)
        return getattr(unit, name)


class Checker:
    def __init__(self, rows: SheetRows, *, province: Province) -> None:
        self.sheet, self.province = rows, province
        self.report = ImportReport(whats=WHATS, rows=len(rows.rows))
        self.plans: list[UnitPlan] = []
        self.lengths = {name: ProductionUnit._meta.get_field(name).max_length for name in TEXTS}

    def problem(self, row: int, key: str, message: str) -> None:
        column = column_label(COLUMNS, key) if key else ""
        letter = self.sheet.letters.get(key)
        self.report.problem(self.sheet.title, row, f"{column} ({letter})" if letter else column,
                            message)

    def run(self) -> tuple[ImportReport, list[UnitPlan]]:
        self.ctx = _Context(self.province)
        seen_ids: dict[str, int] = {}
        seen_units: dict[int, int] = {}
        seen_new_names: dict[str, int] = {}
        for number, cells in self.sheet.rows:
            values = self._values(number, cells)
            if values is None:
                continue
            existing = self._match(number, values)
            if existing is False:
                continue
            national_id = values.get("national_id", "")
            if national_id:
                if national_id in seen_ids:
                    self.problem(number, "national_id", _(
                        "The same national business id is on row %(row)s too.")
                        % {"row": localize_digits(seen_ids[national_id])})
                    continue
                seen_ids[national_id] = number
            if existing is not None:
                if existing.pk in seen_units:
                    self.problem(number, "name", _(
                        "This is the same production unit as row %(row)s.")
                        % {"row": localize_digits(seen_units[existing.pk])})
                    continue
                seen_units[existing.pk] = number
            else:
                key = fold(values["name"])
                if key in seen_new_names and not national_id:
                    self.problem(number, "name", _(
                        "A new unit of this name is on row %(row)s too; give each its "
                        "national business id.") % {"row": localize_digits(seen_new_names[key])})
                    continue
                seen_new_names.setdefault(key, number)
            plan = self._plan(number, cells, existing, values)
            if plan is not None:
                self.plans.append(plan)
        for plan in self.plans:
            self._tally(plan)
        return self.report, self.plans

    # -- one row --

    def _values(self, number: int, cells: dict[str, Any]) -> dict[str, Any] | None:
        """The row's values by field, for the columns the file has; None if any is wrong."""
        ctx, columns = self.ctx, self.sheet.columns
        values: dict[str, Any] = {}
        failed = False
        for key, name in FIELDS.items():
            if key not in columns:
                continue  # a column taken out of the file leaves its values as they are
            raw = cells.get(key)
            try:
                values[name] = self._value(key, raw)
            except CellError as exc:
                self.problem(number, key, str(exc))
                failed = True
        if failed:
            return None
        if not values.get("name"):
            self.problem(number, "name", _("The production unit needs a name."))
            return None
        if not values.get("national_id"):
            values.pop("national_id", None)  # an id is only added or corrected, never emptied
        park, county = values.get("industrial_park"), values.get("county")
        if park is not None and park.county_id and "county" in values:
            if county is None:
                values["county"] = ctx.counties.get(park.county_id)
            elif county.pk != park.county_id:
                self.problem(number, "industrial_park", _(
                    "The industrial park “%(park)s” is in %(county)s, not in %(other)s.")
                    % {"park": park.name, "county": ctx.counties[park.county_id].name,
                       "other": county.name})
                return None
        return values

    def _value(self, key: str, raw: Any) -> Any:
        ctx = self.ctx
        if key in BOOLEANS:
            return bool(bool_of(raw))
        if key == "employees":
            return count_of(raw) if not is_blank(raw) else None
        if key == "national_id":
            text = str(int(raw)) if isinstance(raw, int | float) and not isinstance(raw, bool) \
                else text_of(raw)
            try:
                return clean_national_id(text)
            except ValidationError as exc:
                raise CellError(" ".join(str(m) for m in exc.messages)) from None
        if key in ("county", "industrial_park", "priority_industry"):
            text = text_of(raw)
            if not text:
                return None
            lookup, message = {
                "county": (ctx.county_by_name, _("Unknown county “%(text)s”.")),
                "industrial_park": (ctx.park_by_name, _(
                    "Unknown industrial park “%(text)s”. Add it to the industrial parks first.")),
                "priority_industry": (ctx.industry_by_title,
                                      _("Unknown priority industry “%(text)s”.")),
            }[key]
            found = lookup.get(folded(text))
            if found is None:
                raise CellError(message % {"text": text})
            return found
        text = text_of(raw)
        if key in ("isic_code", "contact_phone"):
            text = to_latin_digits(strip_invisible(text))
        if key == "contact_email" and text:
            text = text.lower()
            try:
                validate_email(text)
            except ValidationError:
                raise CellError(_("“%(text)s” is not an e-mail address.") % {"text": text}) from None
        limit = self.lengths.get(key)
        if limit and len(text) > limit:
            raise CellError(_("This is longer than %(n)s characters.")
                            % {"n": localize_digits(limit)})
        return text

    def _match(self, number: int, values: dict[str, Any]) -> ProductionUnit | None | bool:
        """The unit the row is about (by national id, else by name), None for a new one, or
        False when the row is ambiguous (a problem is reported)."""
        ctx = self.ctx
        national_id = values.get("national_id")
        if national_id:
            unit = ctx.by_national_id.get(national_id)
            if unit is not None:
                return unit
            # A unit of this name registered without an id: the row gives it its id.
            namesakes = [u for u in ctx.by_name.get(fold(values["name"]), []) if not u.national_id]
            return namesakes[0] if len(namesakes) == 1 else None
        namesakes = ctx.by_name.get(fold(values["name"]), [])
        if len(namesakes) > 1:
            self.problem(number, "name", _(
                "Several production units have this name; give the national business id."))
            return False
        return namesakes[0] if namesakes else None

    def _plan(self, number: int, cells: dict[str, Any], existing: ProductionUnit | None,
              values: dict[str, Any]) -> UnitPlan | None:
        if existing is None:
            return UnitPlan(row=number, existing=None, values=values)
        changes = {k: v for k, v in values.items()
                   if differs(self.ctx.current(existing, k), v)}
        if changes and "version" in self.sheet.columns:
            try:
                stamp = int_of(cells.get("version"))
            except CellError:
                stamp = None
            if stamp is not None and stamp != existing.version:
                self.problem(number, "version", _(
                    "This unit was changed in the application after the file was downloaded; "
                    "saving the file would undo that. Download a fresh template and make your "
                    "change there."))
                return None
        return UnitPlan(row=number, existing=existing, values=changes, version=existing.version)

    def _tally(self, plan: UnitPlan) -> None:
        report = self.report
        if plan.existing is None:
            report.count("create", "unit")
            report.changes.append(Change("create", "unit", plan.row, plan.values["name"],
                                         describe(ProductionUnit, {}, plan.values)))
        elif plan.values:
            report.count("change", "unit")
            before = {k: self.ctx.current(plan.existing, k) for k in plan.values}
            report.changes.append(Change("change", "unit", plan.row, plan.existing.name,
                                         describe(ProductionUnit, before, plan.values)))
        else:
            report.count("keep", "unit")


class UnitsImporter(Importer):
    """A province's production units (jobs of kind "import_units")."""

    kind = JobKind.IMPORT_UNITS
    whats = WHATS
    specs = SPECS

    def __init__(self, *, province: Province, acting_user: Any = None,
                 file_name: str = "") -> None:
        super().__init__(acting_user=acting_user, file_name=file_name)
        self.province = province

    def check(self, sheets: dict[str, SheetRows]) -> tuple[ImportReport, list[UnitPlan]]:
        return Checker(sheets["units"], province=self.province).run()

    def lock(self) -> None:
        # One import of a province's units at a time.
        list(Province.objects.select_for_update().filter(pk=self.province.pk).values_list("pk"))

    def apply(self, plan: list[UnitPlan]) -> None:
        for item in plan:
            if item.existing is None:
                services.unit_save(acting_user=self.acting_user, province=self.province,
                                   **item.values)
            elif item.values:
                try:
                    services.unit_save(acting_user=self.acting_user, unit=item.existing,
                                       expected_version=item.version, **item.values)
                except StaleEdit:
                    raise ValidationError(_(
                        "“%(unit)s” was changed in the application while the file was being "
                        "saved. Upload it again.") % {"unit": item.existing.name}) from None

    def audit(self, report: ImportReport) -> None:
        record(event="units.imported", target=self.province, actor=self.acting_user,
               province=self.province,
               after={"file": self.file_name, "created": report.created["unit"],
                      "changed": report.changed["unit"]})

    # -- the background job --

    @classmethod
    def from_job(cls, job: MacroJob) -> UnitsImporter:
        return cls(province=job.province, acting_user=job.created_by, file_name=job.file_name)

    @classmethod
    def may_run(cls, actor: Actor, job: MacroJob) -> bool:
        from jahesh.units.permissions import units

        return units.allows(actor, "import", province=job.province)

    @classmethod
    def what_labels(cls) -> dict[str, tuple[str, str]]:
        return {"unit": (_("Production units"), _("production unit"))}

    @classmethod
    def links(cls, job: MacroJob) -> JobLinks:
        upload = reverse("units:import")
        return JobLinks(
            progress=reverse("units:import_job_progress", args=[job.uid]),
            apply=reverse("units:import_job_apply", args=[job.uid]),
            upload=upload,
            result=(reverse("units:unit_list"), _("See the production units")),
            breadcrumbs=[(_("Production units"), reverse("units:unit_list")),
                         (_("Import from Excel"), upload)],
        )


def import_file(source: str | IO[bytes], *, province: Province, acting_user: Any,
                dry_run: bool = False, file_name: str = "") -> ImportReport:
    """Check the whole file; unless `dry_run`, apply it in one transaction if it has no
    problem (for the tests and the command line; the pages run it as a background job)."""
    importer = UnitsImporter(province=province, acting_user=acting_user, file_name=file_name)
    return importer.run(source, dry_run=dry_run)
