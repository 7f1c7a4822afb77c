"""Set-up shared by the progress tests: frozen Jalali days, accepted projects built through the
plan services, and reports walked through their life by the people who would.

Calendar of the tests (default rules: window days 1–10 of the next month, 5 days' grace):

    month 1403/05 (Mordad)   reported 1403/06/01 – 1403/06/10, late until 06/15, locked after
    month 1403/12 (Esfand)   reported 1404/01/01 – 1404/01/10, late until 01/15, locked after
    1403 is a leap year: 1403/12/30 exists (2025-03-20), the day before 1404/01/01.

The test project (`accepted_project`) has three indicators whose plan is easy to read:

    growth   cumulative, increase, 100 → 220 (even): planned 100 + 10·m at the end of month m
    jobs     for the month, increase, 0 → 120 (even): planned 10·m
    waste    cumulative, decrease, 30 → 18 (even): planned 30 − m
"""

import contextlib
import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from jahesh.core.persian import to_gregorian
from jahesh.organisation.models import Agency, Person, Province
from jahesh.plan.models import Indicator, Project, RequiredAction
from jahesh.plan.tests import builders
from jahesh.progress import periods, services
from jahesh.progress.models import Period, ProgressReport

TEHRAN = ZoneInfo("Asia/Tehran")
YEAR = 1403
MARK = "پایشی"  # in the titles of every programme these tests make


def at(year: int, month: int, day: int, hour: int = 10) -> datetime.datetime:
    """A moment of a Jalali day in Tehran."""
    d = to_gregorian(year, month, day)
    return datetime.datetime(d.year, d.month, d.day, hour, tzinfo=TEHRAN)


@contextlib.contextmanager
def on(year: int, month: int, day: int, hour: int = 10) -> Iterator[None]:
    """Everything inside happens on that Jalali day (time stands still)."""
    with time_machine.travel(at(year, month, day, hour), tick=False):
        yield


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Evidence files go to a temporary folder. Import it into a test module to use it."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _no_reopenings(db):  # type: ignore[no-untyped-def]
    """The demo reopens Bahman and Esfand 1403 for years; tests of the calendar need the months
    as the rules make them. Import it into a test module to use it."""
    Period.objects.filter(reopened_until__isnull=False).update(reopened_until=None)


def who(username: str) -> Person:
    return Person.objects.get(username=username)


def agency(province: Province, code: str) -> Agency:
    return Agency.objects.get(province=province, code=code)


def period(province: Province, month: int, year: int = YEAR) -> Period:
    return periods.get_period(province, year, month)


@dataclass
class Plan:
    project: Project
    growth: Indicator
    jobs: Indicator
    waste: Indicator
    actions: list[RequiredAction]

    @property
    def indicators(self) -> list[Indicator]:
        return [self.growth, self.jobs, self.waste]


def accepted_project(
    province: Province, *, code: str = "agri", title: str = f"پروژه {MARK} ۱۲۰ واحد",
    weights: tuple[int, int, int] = (1, 1, 1), state: str = "accepted",
) -> Plan:
    """A project of an accepted programme of agency `code` (1403), with the three indicators
    above and two required actions; the programme is walked to `state` by its people."""
    draft = builders.programme(province, agency=code, title=f"برنامه {MARK} ۱۲۰ واحد")
    work = builders.project(draft, title=title, weight=Decimal(2))
    growth = builders.indicator(work, name="ظرفیت تولید", unit="تن", baseline=Decimal(100),
                                target=Decimal(220), weight=Decimal(weights[0]))
    jobs = builders.indicator(work, name="شغل ایجادشده در ماه", unit="نفر", baseline=Decimal(0),
                              target=Decimal(120), measure="monthly",
                              weight=Decimal(weights[1]))
    waste = builders.indicator(work, name="ضایعات", unit="درصد", kind="percentage",
                               direction="decrease", baseline=Decimal(30), target=Decimal(18),
                               weight=Decimal(weights[2]))
    actions = [builders.action(work, title="صدور مجوز", owner="water"),
               builders.action(work, title="پرداخت تسهیلات", owner="bank-keshavarzi")]
    if state != "draft":
        builders.walk(draft, state)
    return Plan(work, growth, jobs, waste, actions)


def start(plan: Plan, province: Province, month: int, *, by: str = "agri.reporter",
          year: int = YEAR) -> ProgressReport:
    return services.report_start(project=plan.project, period=period(province, month, year),
                                 acting_user=who(by))


def fill(report: ProgressReport, plan: Plan, *, growth: Any = None, jobs: Any = None,
         waste: Any = None, explanation: str = "", by: str = "agri.reporter",
         blockers: list[tuple[str, Agency | None]] | None = None) -> ProgressReport:
    def number(value: Any) -> Decimal | None:
        return None if value is None else Decimal(value)

    return services.report_save(
        report=report, acting_user=who(by),
        values={plan.growth.pk: number(growth), plan.jobs.pk: number(jobs),
                plan.waste.pk: number(waste)},
        action_states={a.pk: "in_progress" for a in plan.actions},
        achieved="دو واحد به بهره‌برداری رسید", next_steps="تکمیل خط دوم",
        explanation=explanation, blockers=blockers or [],
    )


def on_track(report: ProgressReport, plan: Plan, month: int) -> ProgressReport:
    """Fill the report exactly on plan for month `month`, the project's first report of the
    year (so this month's jobs are all the year's so far: 10 a month)."""
    return fill(report, plan, growth=100 + 10 * month, jobs=10 * month, waste=30 - month)


def walk(report: ProgressReport, to: str, *, code: str = "agri") -> ProgressReport:
    """Take a filled draft to submitted, approved or verified as its people would."""
    report = services.report_submit(report=report, acting_user=who(f"{code}.reporter"))
    if to in ("approved", "verified"):
        report = services.report_approve(report=report, acting_user=who(f"{code}.head"))
    if to == "verified":
        report = services.report_verify(report=report, acting_user=who("secretariat"))
    return report


# --- Evidence files -------------------------------------------------------------------------

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


def upload(name: str = "صورتجلسه.pdf", content: bytes = PDF_BYTES,
           content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def office_file(kind: str) -> bytes:
    """A minimal .docx, .xlsx, .odt or .ods archive (enough to be recognised)."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if kind in ("docx", "xlsx"):
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("word/document.xml" if kind == "docx" else "xl/workbook.xml", "<x/>")
        else:
            mimetype = {"odt": "text", "ods": "spreadsheet"}[kind]
            archive.writestr("mimetype", f"application/vnd.oasis.opendocument.{mimetype}")
            archive.writestr("content.xml", "<x/>")
    return buffer.getvalue()


# --- The demo province's own projects (cheap: nothing to build) --------------------------------

def demo_project(province: Province, code: str = "agri") -> Project:
    """The first project of agency `code`'s accepted demo programme of 1403."""
    return (Project.objects.filter(programme__agency__code=code, programme__province=province,
                                   programme__state="accepted", programme__year=YEAR)
            .order_by("id").first())


def on_plan(report: ProgressReport, *, by: str = "agri.reporter") -> ProgressReport:
    """Fill a report of a demo project (cumulative indicators) exactly on its trajectory."""
    from jahesh.progress.models import IndicatorValue

    planned = dict(IndicatorValue.objects.filter(report=report)
                   .values_list("indicator_id", "planned"))
    return services.report_save(
        report=report, acting_user=who(by), values=planned, action_states={},
        achieved="پیشرفت طبق برنامه", next_steps="ادامه کار", explanation="", blockers=[],
    )


# The demo has verified reports of Farvardin to Dey; Agriculture has not started Bahman.
DEMO_MONTH = 11


def demo_report(province: Province, state: str = "draft", *, code: str = "agri",
                month: int = DEMO_MONTH) -> ProgressReport:
    """A report of the demo project of agency `code`, filled on plan and walked to `state`
    (call it inside a frozen day when the month accepts reports: Bahman's window is
    1403/12/01 – 1403/12/10)."""
    report = services.report_start(project=demo_project(province, code),
                                   period=period(province, month),
                                   acting_user=who(f"{code}.reporter"))
    report = on_plan(report, by=f"{code}.reporter")
    if state != "draft":
        report = walk(report, state, code=code)
    return report


def edit_data(report: ProgressReport, **changes: Any) -> dict[str, Any]:
    """What the report's form posts when nothing is changed, with `changes` on top
    (value_<indicator id>, action_<action id>, achieved, …, blockers-0-description, …)."""
    from jahesh.progress.models import ActionProgress, Blocker, IndicatorValue

    report = ProgressReport.objects.get(pk=report.pk)  # as the page would show it now
    data: dict[str, Any] = {
        "version": report.version, "achieved": report.achieved,
        "next_steps": report.next_steps, "explanation": report.explanation,
    }
    for row in IndicatorValue.objects.filter(report=report):
        data[f"value_{row.indicator_id}"] = "" if row.value is None else f"{row.value.normalize():f}"
    for row in ActionProgress.objects.filter(report=report):
        data[f"action_{row.action_id}"] = row.state
    blockers = list(Blocker.objects.filter(report=report).order_by("id"))
    for n, blocker in enumerate(blockers):
        data[f"blockers-{n}-description"] = blocker.description
        data[f"blockers-{n}-unblocking_agency"] = blocker.unblocking_agency_id or ""
    data.update({"blockers-TOTAL_FORMS": str(len(blockers)),
                 "blockers-INITIAL_FORMS": str(len(blockers))})
    data.update(changes)
    data["blockers-TOTAL_FORMS"] = str(max(
        [int(data["blockers-TOTAL_FORMS"])]
        + [int(k.split("-")[1]) + 1 for k in data if k.startswith("blockers-") and k[9].isdigit()]))
    return data
