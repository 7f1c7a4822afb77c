"""The minutes (صورتجلسه) PDF: made when the meeting closes and kept on it; its text, read back
with pdftotext, has the header, who came and who did not, the items with their notes, the
resolutions in order with their numbers and deadlines, and the signature block; Persian digits
in Persian."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from jahesh.core.persian import to_gregorian
from jahesh.meetings import services
from jahesh.meetings.minutes_pdf import minutes, render_minutes
from jahesh.meetings.tests.test_pdf_support import (
    RESOLUTIONS,
    build_meeting,
    comparable,
    keep,
    page_count,
    pdf_text,
    people,
)

pytestmark = pytest.mark.django_db


def _positions(text: str, needles: list[str]) -> list[int]:
    flat = " ".join(text.split())
    found = [flat.find(" ".join(comparable(n).split())) for n in needles]
    assert -1 not in found, [n for n, at in zip(needles, found, strict=True) if at == -1]
    return found


def test_closing_the_meeting_keeps_its_minutes(province) -> None:
    with translation.override("fa"):
        built = build_meeting(province)
    meeting = built.meeting
    assert meeting.minutes_file
    with meeting.minutes_file.open("rb") as stored:
        content = stored.read()
    assert content.startswith(b"%PDF")
    keep("meeting-minutes.pdf", content)
    text = pdf_text(content)
    # The resolutions, in the order of the items and their numbers in the item (a long text
    # wraps in its cell: its first words come first, and every word is there).
    texts = [comparable(text) for _order, text, _code, _due in RESOLUTIONS]
    found = _positions(text, [" ".join(t.split()[:5]) for t in texts])
    assert found == sorted(found)
    assert all(word in text.split() for t in texts for word in t.split())
    references = _positions(text, ["JH-۱۴۰۳-۱-۱/۱", "JH-۱۴۰۳-۱-۱/۲", "JH-۱۴۰۳-۱-۲/۱"])
    assert references == sorted(references)
    # The header: the HQ, the body, the date with its weekday, the time and the place.
    _positions(text, ["قرارگاه جهش تولید استان آذربایجان شرقی", "شورای برنامه‌ریزی و توسعه استان",
                      "سه شنبه", "اردیبهشت", "۰۹:۳۰", "سالن شهید باکری"])
    # Deadlines as Jalali dates in Persian digits; the responsible agencies; collaborators.
    _positions(text, ["۱۴۰۳/۰۳/۳۱", "۱۴۰۳/۰۴/۱۵", "۱۴۰۳/۰۵/۱۰", "توزیع نیروی برق",
                      "جهاد کشاورزی", "بانک صنعت و معدن", "شرکت شهرک‌های"])
    # The items and their notes, who was there and who was not (with the reason given).
    _positions(text, ["برق شهرک‌های صنعتی", "کمبود برق در تابستان تولید را متوقف می‌کند",
                      "تامین مالی واحدهای کوچک", "وثیقه مانع اصلی است", "مدیر بانک صنعت و معدن",
                      "ماموریت تهران"])
    who = people()
    for username in ("governor", "secretariat", "agri.head", "imt.head", "hq"):
        _positions(text, [str(who[username])])
    # Every digit is Persian, the page counter too ("صفحه ۱ از ۱").
    assert not re.search(r"[0-9]", text)
    assert "۱" in text
    assert page_count(content) == 1


def test_headings_and_signature_block_in_english(province) -> None:
    built = build_meeting(province)
    with translation.override("en"):
        text = pdf_text(render_minutes(built.meeting))
        found = _positions(text, ["Minutes of the meeting", "Meeting no.", "Date", "Time",
                                  "Place", "Attendance", "Present", "Absent",
                                  "Agenda items and discussion", "Presented by",
                                  "Resolutions", "Row", "Number", "Responsible",
                                  "Deadline", "With:", "Chair of the meeting",
                                  "Secretary of the meeting", "Page 1 of 1"])
    assert found[0] < found[-1]
    # pdftotext reads the page as right to left: the brackets of "(3)" come out mirrored.
    assert "Present (3" in text and "Absent (2" in text
    _positions(text, ["JH-1403-1-1/1", "JH-1403-1-1/2", "JH-1403-1-2/1", "1403/03/31",
                      "Tuesday", "09:30"])


def test_a_meeting_without_resolutions(province) -> None:
    built = build_meeting(province, resolutions=[])
    with translation.override("en"):
        text = pdf_text(render_minutes(built.meeting))
    _positions(text, ["No resolution was issued."])


def test_a_cancelled_resolution_stays_in_the_minutes_struck_through(province) -> None:
    built = build_meeting(province)
    services.resolution_cancel(resolution=built.resolutions[1], reason="در جلسه بعد ادغام شد",
                               acting_user=people()["secretariat"])
    data = minutes(built.meeting)
    assert [r.pk for r in data.resolutions] == [r.pk for r in built.resolutions]
    assert data.resolutions[1].state == "cancelled"


def test_queries_do_not_grow_with_the_resolutions(province) -> None:
    small = build_meeting(province, resolutions=RESOLUTIONS[:1])
    many = RESOLUTIONS * 4
    large = build_meeting(province, body=small.body, resolutions=many,
                          when=small.meeting.starts_at.replace(day=small.meeting.starts_at.day + 1))
    counts = []
    for built in (small, large):
        with CaptureQueriesContext(connection) as captured:
            data = minutes(built.meeting)
        counts.append(len(captured))
    assert len(data.resolutions) == len(many)
    assert counts[0] == counts[1]
    assert to_gregorian(1403, 3, 31) == data.resolutions[0].deadline


def test_invitees_whose_attendance_was_not_recorded_are_not_left_out(province) -> None:
    from jahesh.meetings.models import AttendanceStatus

    who = people()
    meeting = build_meeting(province, close=False).meeting  # every member invited
    services.attendance_record(meeting=meeting, person=who["governor"],
                               status=AttendanceStatus.PRESENT, acting_user=who["secretariat"])
    services.attendance_record(meeting=meeting, person=who["hq"], status=AttendanceStatus.ABSENT,
                               acting_user=who["secretariat"])
    with translation.override("fa"):
        data = minutes(meeting)
    assert [line.name for line in data.present] == [str(who["governor"])]
    notes = {line.name: line.note for line in data.absent}
    assert notes[str(who["hq"])] == ""
    for username in ("secretariat", "agri.head", "imt.head"):
        assert notes[str(who[username])] == "حضور ثبت نشده", username
