"""Shared by the PDF tests (test_pdf_*.py): a body of the demo province with a meeting, its
agenda, attendance and resolutions, built through the services as the secretariat does it, and
the text of a PDF as pdftotext reads it.
"""

from __future__ import annotations

import datetime
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.test import TestCase

from jahesh.core.persian import to_gregorian
from jahesh.meetings import services
from jahesh.meetings.models import (
    AgendaItem,
    AttendanceStatus,
    Body,
    BodyKind,
    BodyRole,
    Meeting,
    Resolution,
)
from jahesh.organisation.models import Agency, Person, Province

ZWNJ = "\u200c"
# What pdftotext adds around right-to-left runs (embeddings and their end).
# (each becomes a space: a run's end may be the only thing between two words).
BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u200e\u200f"), " ")
TEHRAN = datetime.timezone(datetime.timedelta(hours=3, minutes=30))
CODE = "JH"

# Resolutions of the built meeting, in the order the minutes must show them:
# (item order, text, agency code, Jalali deadline).
RESOLUTIONS = [
    (1, "تامین برق پایدار شهرک صنعتی شبستر تا پایان خرداد", "power", (1403, 3, 31)),
    (1, "صدور مجوز توسعه واحدهای لبنی در کمیته تسهیل", "agri", (1403, 4, 15)),
    (2, "معرفی سه واحد نمونه به بانک صنعت و معدن برای دریافت تسهیلات", "bank-smt",
     (1403, 5, 10)),
]
ITEMS = [
    ("برق شهرک‌های صنعتی", "کمبود برق در تابستان تولید را متوقف می‌کند."),
    ("تامین مالی واحدهای کوچک", "بانک‌ها گزارش دادند که وثیقه مانع اصلی است."),
]
ATTENDANCE = [("governor", AttendanceStatus.PRESENT, ""),
              ("secretariat", AttendanceStatus.PRESENT, ""),
              ("agri.head", AttendanceStatus.PRESENT, ""),
              ("imt.head", AttendanceStatus.EXCUSED, "ماموریت تهران"),
              ("hq", AttendanceStatus.ABSENT, "")]


@dataclass
class Built:
    province: Province
    body: Body
    meeting: Meeting
    items: list[AgendaItem] = field(default_factory=list)
    resolutions: list[Resolution] = field(default_factory=list)


def tehran(jy: int, jm: int, jd: int, hour: int = 9, minute: int = 0) -> datetime.datetime:
    day = to_gregorian(jy, jm, jd)
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TEHRAN)


def people() -> dict[str, Person]:
    return {p.username: p for p in Person.objects.filter(
        username__in=["governor", "secretariat", "agri.head", "imt.head", "hq"])}


def build_body(province: Province, code: str = CODE, kind: str = BodyKind.PRODUCTION_LEAP,
               name: str = "شورای برنامه‌ریزی و توسعه استان") -> Body:
    who = people()
    secretariat = who["secretariat"]
    body = services.body_save(province=province, acting_user=secretariat, kind=kind, name=name,
                              code=code)
    agencies = {a.code: a for a in Agency.objects.filter(province=province,
                                                         code__in=["agri", "imt"])}
    for username, role, agency in (("governor", BodyRole.CHAIR, None),
                                   ("secretariat", BodyRole.SECRETARY, None),
                                   ("agri.head", BodyRole.MEMBER, agencies["agri"]),
                                   ("imt.head", BodyRole.MEMBER, agencies["imt"]),
                                   ("hq", BodyRole.MEMBER, None)):
        services.member_set(body=body, person=who[username], acting_user=secretariat, role=role,
                            agency=agency)
    return body


def build_meeting(province: Province, *, close: bool = True, body: Body | None = None,
                  when: datetime.datetime | None = None,
                  resolutions: list[tuple[int, str, str, tuple[int, int, int]]] | None = None,
                  ) -> Built:
    """A meeting of `body` (a new one by default) at `when` (1403/02/18 09:30 by default, a
    Tuesday) with two items; held, with `resolutions` (RESOLUTIONS by default) and closed
    (which makes and keeps the minutes); or, with `close=False`, only scheduled."""
    who = people()
    secretariat = who["secretariat"]
    body = body or build_body(province)
    meeting = services.meeting_create(
        body=body, starts_at=when or tehran(1403, 2, 18, 9, 30), acting_user=secretariat,
        place="سالن شهید باکری استانداری")
    built = Built(province, body, meeting)
    for order, (title, discussion) in enumerate(ITEMS, 1):
        item = services.agenda_add(
            meeting=meeting, title=title, acting_user=secretariat,
            presenter=who["agri.head"] if order == 1 else None,
            presenter_name="" if order == 1 else "مدیر بانک صنعت و معدن")
        built.items.append(services.item_save(
            item=item, acting_user=secretariat, title=title, presenter=item.presenter,
            presenter_name=item.presenter_name, discussion=discussion))
    meeting = services.meeting_schedule(meeting=meeting, acting_user=secretariat)
    if not close:
        built.meeting = meeting
        return built
    for username, status, note in ATTENDANCE:
        services.attendance_record(meeting=meeting, person=who[username], status=status,
                                   acting_user=secretariat, note=note)
    meeting = services.meeting_start(meeting=meeting, acting_user=secretariat)
    agencies = {a.code: a for a in Agency.objects.filter(province=province)}
    for order, text, code, deadline in (RESOLUTIONS if resolutions is None else resolutions):
        collaborators = ([agencies["parks"], agencies["imt"]] if code == "power" else [])
        built.resolutions.append(services.resolution_issue(
            item=built.items[order - 1], text=text, responsible_agency=agencies[code],
            deadline=to_gregorian(*deadline), acting_user=secretariat,
            collaborators=collaborators))
    # The minutes are made once the closing is committed (a task; immediate in tests).
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.meeting_close(meeting=meeting, acting_user=secretariat)
    built.meeting = Meeting.objects.get(pk=meeting.pk)
    return built


def pdf_text(content: bytes, *, layout: bool = False) -> str:
    """The PDF's text as pdftotext reads it, without zero-width non-joiners."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "file.pdf"
        path.write_bytes(content)
        args = ["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), str(path), "-"]
        out = subprocess.run(args, check=True, capture_output=True, text=True)  # noqa: S603
    return comparable(out.stdout)


def comparable(text: str) -> str:
    """Text as the PDF tests compare it: no zero-width non-joiners, bidi controls as spaces,
    and the lam-alef ligature (لا) as pdftotext gives it back from the font's glyph (ال)."""
    return text.replace(ZWNJ, "").translate(BIDI_CONTROLS).replace("لا", "ال")


def page_count(content: bytes) -> int:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "file.pdf"
        path.write_bytes(content)
        out = subprocess.run(["pdfinfo", str(path)], check=True,  # noqa: S603, S607
                             capture_output=True, text=True)
    for line in out.stdout.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    raise AssertionError("no page count")


def keep(name: str, content: bytes) -> Path:
    """Keep a PDF in test-artifacts/ to look at."""
    path = Path("test-artifacts") / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(content)
    return path

