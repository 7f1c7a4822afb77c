"""The production units template: every unit of the province (one row each, with its version)
and blank rows for new ones, drop-downs for county, industrial park, priority industry and
the yes/no columns, a guide sheet. Right-to-left with Persian headers when the page is Persian.
"""

from __future__ import annotations

from typing import IO, Any

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from jahesh.imports.writing import finish_sheet, safe_text, setup_sheet, write_guide, write_lists
from jahesh.organisation.models import Province
from jahesh.plan.models import County, PriorityIndustry
from jahesh.units.importing import BOOLEANS, COLUMNS
from jahesh.units.models import IndustrialPark, ProductionUnit

BLANK_ROWS = 50
LISTS_SHEET = "lists"
TEXT_FORMAT = "@"  # national ids and phone numbers stay text (leading zeros, no 1.04E+10)


def guide_lines(province: Province) -> list[str]:
    return [
        _("How to fill in the production units template"),
        province.name,
        "",
        _("1. One row per production unit. To change a unit, change its cells; to add one, "
          "fill in an empty row. Nothing is deleted by an import: deactivate units in the "
          "application."),
        _("2. A row is matched to a registered unit by its national business id (11 digits), "
          "or, when it has none, by its name. Two units with the same name need their ids."),
        _("3. Leave the “Version” column as it is: it tells the application whether the unit "
          "was changed in the application since you downloaded this file."),
        _("4. County, industrial park and priority industry must be one of the values in their "
          "drop-down lists. Mark knowledge-based companies, cooperatives and home businesses "
          "with “yes” (بله); empty means no."),
        _("5. Digits may be Persian, Arabic or Latin. An empty cell empties the value, except "
          "the national business id, which an import only adds or corrects."),
        _("6. On upload, the whole file is checked first and you see what will be created, "
          "changed or left alone, and every problem by row and column. Nothing is saved until "
          "the file has no problem and you confirm."),
    ]


def write_template(target: str | IO[bytes], *, province: Province) -> int:
    """Write the template to `target`; returns the number of units written."""
    rtl = translation.get_language_bidi()
    wb = Workbook(write_only=True)
    wb.properties.title = _("Production units")
    wb.properties.creator = "Jahesh"
    ws = wb.create_sheet(_("Production units"))
    guide = wb.create_sheet(_("Guide"))
    lists_ws = wb.create_sheet(LISTS_SHEET)
    setup_sheet(ws, COLUMNS, rtl=rtl, comments={"version": _(
        "Do not change: the application compares it with the unit's. Leave it empty on a "
        "new row.")})
    yes, no = _("yes"), _("no")

    def text(value: str) -> Any:
        if not value:
            return None
        safe = safe_text(ws, value)
        cell = safe if isinstance(safe, Cell) else WriteOnlyCell(ws, value=safe)
        cell.number_format = TEXT_FORMAT
        return cell

    units = (ProductionUnit.objects.filter(province=province)
             .select_related("county", "industrial_park", "priority_industry")
             .order_by("name", "id"))
    count = 0
    for unit in units.iterator(chunk_size=2000):
        values = {
            "name": text(unit.name), "national_id": text(unit.national_id),
            "isic_code": text(unit.isic_code), "activity": text(unit.activity),
            "county": text(unit.county.name if unit.county else ""),
            "industrial_park": text(unit.industrial_park.name if unit.industrial_park else ""),
            "priority_industry": text(unit.priority_industry.title
                                      if unit.priority_industry else ""),
            "employees": unit.employees,
            "contact_name": text(unit.contact_name), "contact_phone": text(unit.contact_phone),
            "contact_email": text(unit.contact_email), "address": text(unit.address),
            "version": unit.version,
            **{name: yes if getattr(unit, name) else None for name in BOOLEANS},
        }
        ws.append([values.get(c.key) for c in COLUMNS])
        count += 1
    for _i in range(BLANK_ROWS):
        ws.append([])
    last = 1 + count + BLANK_ROWS
    index = {c.key: i for i, c in enumerate(COLUMNS, start=1)}
    lists = {
        "county": list(County.objects.filter(province=province).values_list("name", flat=True)),
        "industrial_park": list(IndustrialPark.objects.filter(province=province, is_active=True)
                                .values_list("name", flat=True)),
        "priority_industry": list(PriorityIndustry.objects.filter(province=province,
                                                                  is_active=True)
                                  .values_list("title", flat=True)),
        "yes_no": [yes, no],
    }
    targets = {name: (ws, index[name], last) for name in ("county", "industrial_park",
                                                           "priority_industry")}
    write_lists(lists_ws, lists, sheet_name=LISTS_SHEET, targets=targets,
                message=_("This value is not in the list. The import will check it."))
    # The yes/no list serves three columns: one validation each, on the same source.
    letter = get_column_letter(list(lists).index("yes_no") + 1)
    source = f"{LISTS_SHEET}!${letter}$2:${letter}$3"
    for name in BOOLEANS:
        validation = DataValidation(type="list", formula1=source, allow_blank=True)
        column = get_column_letter(index[name])
        validation.add(f"{column}2:{column}{last}")
        ws.data_validations.append(validation)
    write_guide(guide, guide_lines(province), rtl=rtl)
    finish_sheet(ws, COLUMNS, last)
    wb.save(target)
    return count
