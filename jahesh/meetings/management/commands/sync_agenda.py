"""jahesh sync_agenda [--date 1403/09/01] [--province east-azerbaijan]

For a daily scheduler (cron, a systemd timer): brings each province's HQ backlog in line with
the facts (jahesh/meetings/backlog.py): overdue resolutions, projects off track in the latest
verified month and agencies that did not report become agenda candidates once; those whose
reason is gone are withdrawn. Safe to run any number of times. (`jahesh.meetings.tasks.
sync_agenda_task` does the same from the background worker.)
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jahesh.core.management.dates import date_for
from jahesh.meetings.backlog import SyncResult, sync_all, sync_province
from jahesh.organisation.models import Province


class Command(BaseCommand):
    help = ("Put overdue resolutions, projects off track and agencies not reporting on the HQ's "
            "backlog (once each), and withdraw those whose reason is gone.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="the day to act as, in Jalali (default: today)")
        parser.add_argument("--province", help="one province's code (default: every province)")

    def handle(self, *args: Any, **options: Any) -> None:
        day = date_for(options["date"])
        if options["province"]:
            try:
                province = Province.objects.get(code=options["province"])
            except Province.DoesNotExist as exc:
                raise CommandError(f"No province with the code {options['province']!r}.") from exc
            result: SyncResult = sync_province(province, day)
        else:
            result = sync_all(day)
        self.stdout.write(f"Candidates made: {result.made}; proposed again: "
                          f"{result.proposed_again}; withdrawn: {result.withdrawn}")
