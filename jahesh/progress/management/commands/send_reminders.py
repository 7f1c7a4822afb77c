"""jahesh send_reminders [--date 1404/01/05]

For a daily scheduler (cron, a systemd timer): queues the day's reporting reminders as a task
(django-tasks; `jahesh db_worker` runs it). Safe to run any number of times: a reminder already
sent is never sent again. With the immediate backend the work is done at once and the command
says how many notifications were made.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tasks.base import TaskResultStatus

from jahesh.core.management.dates import date_for
from jahesh.progress.reminders import send_reminders_task


class Command(BaseCommand):
    help = ("Send the reporting reminders due today (or on --date): to reporters before the "
            "window closes, to agency heads after it, to the secretariat after the month locks. "
            "Never sends the same reminder twice.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="the day to act as, in Jalali (default: today)")

    def handle(self, *args: Any, **options: Any) -> None:
        day = date_for(options["date"])
        result = send_reminders_task.enqueue(day.isoformat() if day else None)
        if result.status == TaskResultStatus.SUCCESSFUL:
            self.stdout.write(f"Reminders sent: {result.return_value}")
        elif result.status == TaskResultStatus.FAILED:
            errors = "\n".join(error.traceback for error in result.errors)
            raise CommandError(f"Sending the reminders failed:\n{errors}")
        else:
            self.stdout.write(f"Reminders queued (task {result.id}).")
