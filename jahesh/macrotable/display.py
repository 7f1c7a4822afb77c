"""The macro table page's numbers and dates as display text, formatted once per page.

A page shows 25 projects and the totals of every agency: several hundred numbers and dates.
Formatting them in Python, in a language looked up once, costs far less than a template filter
per value (each filter asks Django for the active language, and each filtered variable is a
template node of its own). The template then only places text; it still holds the markup and
every translatable string.

The rows are plain dicts and lists, which the template engine reads fastest.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from jahesh.core.persian import format_jalali_date, format_number, localize_digits
from jahesh.macrotable.selectors import MacroRow
from jahesh.macrotable.templatetags.macrotable import trim

# The badge colour of a programme's state; any other state is "info".
STATE_BADGES = {"accepted": "success", "draft": "secondary"}
NO_VALUE = "—"


class Formats:
    """Numbers and Jalali dates in one language, as the `num`, `digits` and `jdate` filters
    would show them in it."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._dates: dict[datetime.date, str] = {}

    def num(self, value: Any) -> str:
        return format_number(value, self.lang)

    def digits(self, value: Any) -> str:
        return localize_digits(value, self.lang)

    def date(self, value: datetime.date | None) -> str:
        if value is None:
            return ""
        text = self._dates.get(value)
        if text is None:
            try:
                text = format_jalali_date(value, lang=self.lang)
            except (TypeError, ValueError):  # as the jdate filter: a bad value shows as ""
                text = ""
            self._dates[value] = text
        return text

    def amount(self, value: Decimal) -> str:
        """A budget, or '' when it is zero (the page leaves out a source with nothing)."""
        return self.num(value) if value else ""

    def quantity(self, value: Decimal | None) -> str:
        """An indicator's baseline or target without trailing zeros, or a dash."""
        return self.num(trim(value)) or NO_VALUE


def page_rows(rows: list[MacroRow], fmt: Formats, *, by_key_action: bool) -> list[dict[str, Any]]:
    """What the page shows of each row; the selector's MacroRow stays as it is."""
    shown = []
    for row in rows:
        project = row.project
        programme = project.programme
        key_action = project.key_action
        group = row.group
        shown.append({
            "number": fmt.num(row.number),
            "group": None if group is None else {
                # By key action, "4. Title" (its number in the language's digits).
                "heading": (f"{fmt.digits(group.number)}. {group.label}" if by_key_action
                            else group.label),
                "projects": group.projects,  # for the plural form
                "count": fmt.num(group.projects),
                "budget": fmt.num(group.budget_total),
            },
            "agency": programme.agency.name,
            "programme": programme.title,
            "level": row.level,
            "state": row.state,
            "badge": STATE_BADGES.get(programme.state, "info"),
            "key_action": f"{fmt.digits(key_action.number)}. {key_action.title}",
            "title": project.title,
            "county": project.county.name if project.county_id else "",
            "dated": bool(project.start_date or project.end_date),
            "start": fmt.date(project.start_date),
            "end": fmt.date(project.end_date),
            "indicators": [
                {"name": i.name, "baseline": fmt.quantity(i.baseline),
                 "target": fmt.quantity(i.target), "unit": i.unit}
                for i in project.indicator_list
            ],
            "actions": [
                {"title": a.title, "owner": a.owner_agency.name if a.owner_agency_id else "",
                 "due": fmt.date(a.due_date)}
                for a in project.action_list
            ],
            "budget": fmt.num(project.budget_total),
            "provincial": fmt.amount(project.budget_provincial),
            "national": fmt.amount(project.budget_national),
            "bank": fmt.amount(project.budget_bank),
            "private": fmt.amount(project.budget_private),
        })
    return shown
