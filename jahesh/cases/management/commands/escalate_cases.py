"""jahesh escalate_cases [--date 1403/02/19]

For a daily scheduler (cron, a systemd timer): overdue cases climb the ladder (agency head,
secretariat, HQ agenda). Runs at once and prints how many cases reached each level. Safe to run
any number of times: a level is reached once, and the same day twice changes nothing.
(`jahesh.cases.tasks.escalate_overdue_task` does the same from the background worker.)
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jahesh.cases.services import escalate_overdue
from jahesh.core.management.dates import date_for


class Command(BaseCommand):
    help = ("Escalate overdue cases: their agency's head is told, then the secretariat, then "
            "they go forward for the HQ's agenda. Never twice for the same level.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="the day to act as, in Jalali (default: today)")

    def handle(self, *args: Any, **options: Any) -> None:
        counts = escalate_overdue(date_for(options["date"]))
        self.stdout.write(
            f"Agency heads alerted: {counts[1]}; secretariat alerted: {counts[2]}; "
            f"put forward for the HQ agenda: {counts[3]}")
