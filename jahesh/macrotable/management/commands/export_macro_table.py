"""jahesh export_macro_table OUT.xlsx|OUT.pdf [--agency CODE] [--year 1403] [--province CODE]"""

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jahesh.core.persian import to_latin_digits
from jahesh.macrotable import exports
from jahesh.macrotable.selectors import MacroFilters
from jahesh.organisation.models import Agency, Province
from jahesh.plan.models import Programme


def province_for(code: str | None) -> Province:
    provinces = Province.objects.all()
    if code:
        found = provinces.filter(code=code).first()
        if found is None:
            raise CommandError(f"No province has the code {code!r}.")
        return found
    if provinces.count() != 1:
        raise CommandError("Several provinces exist: name one with --province CODE.")
    return provinces.get()


def agency_for(province: Province, code: str) -> Agency:
    agency = Agency.objects.filter(province=province, code=code).first()
    if agency is None:
        raise CommandError(f"The province {province.code} has no agency with the code {code!r}.")
    return agency


def year_for(province: Province, value: str | None) -> int:
    if value is None:
        return province.current_year
    text = to_latin_digits(value).strip()
    if not text.isdigit() or not 1300 <= int(text) <= 1600:
        raise CommandError(f"{value!r} is not a Jalali year such as 1403.")
    return int(text)


class Command(BaseCommand):
    help = ("Write the province's macro table (or one agency's rows) to an Excel (.xlsx) or PDF "
            "(.pdf) file, chosen by the file's extension. The command line sees every row.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out", help="the file to write: .xlsx or .pdf")
        parser.add_argument("--agency", help="only this agency's rows (its short code)")
        parser.add_argument("--year", help="the fiscal year (default: the province's current year)")
        parser.add_argument("--province", help="the province's code (needed when there are several)")

    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(options["out"])
        extension = out.suffix.lower().lstrip(".")
        if extension not in ("xlsx", "pdf"):
            raise CommandError("The output file must end in .xlsx or .pdf.")
        province = province_for(options["province"])
        agency = agency_for(province, options["agency"]) if options["agency"] else None
        filters = MacroFilters(year=year_for(province, options["year"]),
                               agency=agency.pk if agency else None)
        rows = exports.rows_for(Programme.objects.all(), province, filters)
        started = time.perf_counter()
        if extension == "pdf":
            count = exports.write_pdf(out, rows, province=province, filters=filters)
        else:
            count = exports.write_xlsx(out, rows, province=province, filters=filters).projects
        seconds = time.perf_counter() - started
        self.stdout.write(f"{out}: {count} projects in {seconds:.2f} s")
