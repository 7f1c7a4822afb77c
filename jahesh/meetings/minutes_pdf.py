"""The minutes (صورتجلسه) of a meeting as a PDF, in the official layout: a header (the HQ, the
body, the meeting's number, its Jalali date, weekday and time, its place), who attended and who
was absent, the items with their discussion, the resolutions in one numbered table (number,
text, responsible agency and collaborators, deadline) and a signature block for the chair and
the secretary.

`render_minutes(meeting)` is called by services.meeting_close, which stores the file on the
meeting; the minutes page serves that file, or renders it again when there is none. Six
queries whatever the size of the meeting.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _

from jahesh.core.pdf import css_string, font_faces, html_to_pdf, page_counter
from jahesh.core.persian import format_jalali_date, jalali_today, localize_digits
from jahesh.dashboards.pdf import charts_css
from jahesh.organisation.models import Agency


def pdf_html(template: str, context: dict[str, Any], *, body: Any, title: str) -> str:
    """The HTML of a meeting's PDF (the minutes, the briefing book), laid out as the other
    PDFs here (jahesh/core/pdf.py: A4, Vazirmatn from disk, no network): the body's name
    and the title in each page's top margin, "page n of m" at the bottom, in the active
    language's digits."""
    today = format_jalali_date(jalali_today())
    persian = translation.get_language() == "fa"
    counter_style = "persian" if persian else "decimal"
    return render_to_string(template, {
        **context,
        "pdf_title": title,
        "font_faces": font_faces(),
        "charts_css": charts_css(),
        "today": today,
        "persian": persian,
        "page_top_start": css_string(body.name),
        "page_top_end": css_string(f"{title} · {today}"),
        "page_counter": page_counter(counter_style),
    })


@dataclass
class PersonLine:
    name: str
    detail: str = ""  # job title, agency
    note: str = ""  # the attendance's note (why absent)


@dataclass
class ItemMinutes:
    item: Any
    presenter: str
    resolutions: list[Any] = field(default_factory=list)


@dataclass
class Minutes:
    meeting: Any
    body: Any
    province: Any
    date_long: str
    weekday: str
    time: str
    present: list[PersonLine]
    absent: list[PersonLine]
    items: list[ItemMinutes]
    resolutions: list[Any]
    chair: str
    secretary: str


def _agencies_of(meeting: Any) -> dict[int, str]:
    """The agency each member of the meeting's body sits for."""
    from jahesh.meetings.models import BodyMember

    return {m.person_id: m.agency.name for m in BodyMember.objects.filter(
        body_id=meeting.body_id, agency__isnull=False).select_related("agency")}


def _line(person: Any, agencies: dict[int, str], note: str = "") -> PersonLine:
    agency = agencies.get(person.pk, "")
    if agency and agency in person.job_title:
        agency = ""  # "Director-general of Agriculture Jihad · Agriculture Jihad"
    details = [text for text in (person.job_title, agency) if text]
    return PersonLine(str(person), " · ".join(details), note)


def minutes(meeting: Any) -> Minutes:
    """What the minutes show for `meeting`."""
    from jahesh.meetings.models import AgendaItem, Attendance, AttendanceStatus, Resolution

    agencies = _agencies_of(meeting)
    separator = "، " if translation.get_language() == "fa" else ", "
    present, absent = [], []
    for attendance in (Attendance.objects.filter(meeting=meeting).select_related("person")
                       .order_by("person__last_name", "person__first_name", "id")):
        if attendance.status == AttendanceStatus.PRESENT:
            present.append(_line(attendance.person, agencies, attendance.note))
        elif attendance.status == AttendanceStatus.EXCUSED:
            absent.append(_line(attendance.person, agencies, attendance.note or _("Excused")))
        elif attendance.status == AttendanceStatus.ABSENT:
            absent.append(_line(attendance.person, agencies, attendance.note))
        else:  # invited, and nobody said whether they came: not counted as present
            absent.append(_line(attendance.person, agencies, _("Attendance not recorded")))
    items = [ItemMinutes(item, str(item.presenter) if item.presenter else item.presenter_name)
             for item in AgendaItem.objects.filter(meeting=meeting)
             .select_related("presenter").order_by("order", "id")]
    by_item = {row.item.pk: row for row in items}
    resolutions = list(
        Resolution.objects.filter(meeting=meeting)
        .select_related("body", "meeting", "item", "responsible_agency")
        .prefetch_related(Prefetch("collaborating_agencies",
                                   queryset=Agency.objects.order_by("name")))
        .order_by("item__order", "number_in_item", "id"))
    for resolution in resolutions:
        resolution.collaborators = separator.join(
            a.name for a in resolution.collaborating_agencies.all())
        row = by_item.get(resolution.item_id)
        if row is not None:
            row.resolutions.append(resolution)
    local = timezone.localtime(meeting.starts_at)
    return Minutes(
        meeting=meeting, body=meeting.body, province=meeting.body.province,
        date_long=format_jalali_date(local.date(), style="long"),
        weekday=str(WEEKDAYS[local.weekday()]),
        time=localize_digits(f"{local.hour:02d}:{local.minute:02d}"),
        present=present, absent=absent, items=items, resolutions=resolutions,
        chair=str(meeting.chair) if meeting.chair else "",
        secretary=str(meeting.secretary) if meeting.secretary else "",
    )


def minutes_title(meeting: Any) -> str:
    return _("Minutes of meeting %(number)s") % {"number": localize_digits(meeting.number)}


def render_minutes(meeting: Any) -> bytes:
    """The minutes of `meeting` as a PDF."""
    return html_to_pdf(pdf_html("meetings/pdf/minutes.html", {"m": minutes(meeting)},
                                body=meeting.body, title=minutes_title(meeting)))
