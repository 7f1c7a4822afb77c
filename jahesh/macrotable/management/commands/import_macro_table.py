"""jahesh import_macro_table FILE --agency CODE [--year 1403] [--dry-run] [--user USERNAME]"""

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jahesh.macrotable import importing
from jahesh.macrotable.management.commands.export_macro_table import (
    agency_for,
    province_for,
    year_for,
)
from jahesh.organisation.models import Person


class Command(BaseCommand):
    help = ("Check an agency's filled-in macro-table template and, unless --dry-run, save it "
            "in one transaction. Prints what would be created, changed or left alone and every "
            "problem; exits with status 1 when the file is rejected (nothing is saved then).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the .xlsx file")
        parser.add_argument("--agency", required=True, help="the agency's short code")
        parser.add_argument("--year", help="the fiscal year of the template (default: current)")
        parser.add_argument("--province", help="the province's code (needed when there are several)")
        parser.add_argument("--dry-run", action="store_true", help="check only; save nothing")
        parser.add_argument("--user", help="the username the audit trail records (default: none)")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path} does not exist.")
        province = province_for(options["province"])
        agency = agency_for(province, options["agency"])
        year = year_for(province, options["year"])
        user = None
        if options["user"]:
            user = Person.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No person has the username {options['user']!r}.")
        started = time.perf_counter()
        report = importing.import_file(path, agency=agency, year=year, acting_user=user,
                                       dry_run=options["dry_run"], file_name=path.name)
        seconds = time.perf_counter() - started
        for line in report.lines(importing.what_labels()):
            self.stdout.write(line)
        self.stdout.write(f"{report.rows} rows checked in {seconds:.2f} s")
        if not report.ok:
            raise CommandError(f"The file was rejected: {report.problem_count} problem(s); "
                               "nothing was saved.")
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was saved.")
        elif report.applied:
            self.stdout.write(self.style.SUCCESS("Saved."))
        else:
            self.stdout.write("Nothing to change.")
