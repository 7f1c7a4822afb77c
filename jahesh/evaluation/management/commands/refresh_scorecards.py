"""jahesh refresh_scorecards [--province CODE] [--year 1403] [--now]

For a daily scheduler, and after loading reports in bulk: rebuilds every province's progress
sums and recomputes every agency's scorecard of the year (an agency that did not report gets
its low mark once the window has closed). Queued as a task (django-tasks; `jahesh db_worker`
runs it) unless --now. Safe to run any number of times.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tasks.base import TaskResultStatus

from jahesh.core.persian import to_latin_digits
from jahesh.evaluation.scorecard import refresh_province
from jahesh.evaluation.tasks import recompute_scorecards
from jahesh.organisation.models import Province


class Command(BaseCommand):
    help = ("Rebuild the progress sums and recompute the agency scorecards of the year, for "
            "every province or one.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--province", help="the province's code (default: every province)")
        parser.add_argument("--year", help="the fiscal year (default: each province's current)")
        parser.add_argument("--now", action="store_true",
                            help="do the work here instead of queuing a task")

    def handle(self, *args: Any, **options: Any) -> None:
        provinces = Province.objects.order_by("code")
        if options["province"]:
            provinces = provinces.filter(code=options["province"])
            if not provinces.exists():
                raise CommandError(f"No province with the code {options['province']!r}.")
        year = None
        if options["year"]:
            try:
                year = int(to_latin_digits(options["year"]))
            except ValueError as exc:
                raise CommandError(f"{options['year']!r} is not a year such as 1403.") from exc
        for province in provinces:
            the_year = year or province.current_year
            if options["now"]:
                stored = refresh_province(province=province, year=the_year)
                self.stdout.write(f"{province.code} {the_year}: {stored} scorecards")
                continue
            result = recompute_scorecards.enqueue(province.pk, the_year)
            if result.status == TaskResultStatus.SUCCESSFUL:
                self.stdout.write(f"{province.code} {the_year}: {result.return_value} scorecards")
            elif result.status == TaskResultStatus.FAILED:
                errors = "\n".join(error.traceback for error in result.errors)
                raise CommandError(f"Recomputing {province.code} failed:\n{errors}")
            else:
                self.stdout.write(f"{province.code} {the_year}: queued (task {result.id}).")
