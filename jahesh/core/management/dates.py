"""The --date option of the daily commands (send_reminders, escalate_cases, sync_agenda)."""

from datetime import date

from django.core.management.base import CommandError

from jahesh.core.persian import InvalidJalaliDate, parse_jalali_date


def date_for(value: str | None) -> date | None:
    """The Jalali day given on the command line, or None (today) when none was given."""
    if not value:
        return None
    try:
        return parse_jalali_date(value)
    except InvalidJalaliDate as exc:
        raise CommandError(f"{value!r} is not a Jalali date such as 1404/01/05.") from exc
