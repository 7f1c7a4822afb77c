"""Set-up shared by the dashboard tests: the demo province (root conftest), its personas, and
months of reports.

Two ways to make reports:
* `reported_project(...)` walks one project of a new accepted programme through the real
  services (H1's jahesh/progress/services.py) on frozen Jalali days, with blockers, evidence and
  comments, so the project page has everything to show;
* `verified(project, month, percent)` writes a verified report straight into the table, for
  volume (the dashboards read only the fixed figures of verified reports, which is all this
  sets), so query counts can be compared with little and much data.

Every row is rendered in the order of PERSONAS (see jahesh/plan/tests/views_support.py):

    anonymous  secretariat  hq  agri.reporter  agri.head  imt.reporter  chamber  evaluator  outsider
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from jahesh.evaluation.scorecard import refresh_province
from jahesh.organisation.models import Agency, Person, Province
from jahesh.plan.models import Programme, ProgrammeState, Project
from jahesh.plan.tests import builders
from jahesh.progress import periods
from jahesh.progress.models import ProgressReport, ReportState
from jahesh.progress.status import status_for
from jahesh.progress.tests import support as progress_support
from jahesh.progress.tests.support import Plan, on

YEAR = 1403
MARK = "داشبوردی"  # in the titles of every programme these tests make


def who(username: str) -> Person:
    return Person.objects.get(username=username)


def agency(province: Province, code: str) -> Agency:
    return Agency.objects.get(province=province, code=code)


def accepted_projects(province: Province, code: str | None = None) -> list[Project]:
    """The demo province's projects of accepted 1403 programmes (of agency `code`)."""
    qs = Project.objects.filter(programme__province=province, programme__year=YEAR,
                                programme__state=ProgrammeState.ACCEPTED)
    if code:
        qs = qs.filter(programme__agency__code=code)
    return list(qs.select_related("programme").order_by("id"))


def refresh(province: Province, year: int = YEAR) -> None:
    """Rebuild the sums and scorecards the dashboards read, after `verified` wrote reports
    behind the services' back (the services keep them up to date themselves)."""
    refresh_province(province=province, year=year)


def verified(project: Project, month: int, percent: Decimal | int | None, *,
             late: bool = False, year: int = YEAR) -> ProgressReport:
    """A verified report of `project` for `month` with these fixed figures (no values rows).
    Call `refresh` once they are all written."""
    programme: Programme = project.programme
    period = periods.get_period(programme.province, year, month)
    now = timezone.now()
    value = None if percent is None else Decimal(percent)
    return ProgressReport.objects.create(
        project=project, period=period, agency_id=programme.agency_id, programme=programme,
        key_action_id=project.key_action_id, state=ReportState.VERIFIED, percent=value,
        status=status_for(value), completeness=Decimal(100), submitted_at=now, is_late=late,
        approved_at=now, verified_at=now,
    )


def more_projects(province: Province, code: str, count: int) -> list[Project]:
    """`count` more projects in a new accepted programme of agency `code`."""
    programme = builders.programme(province, agency=code,
                                   title=f"برنامه {MARK} {code} ۱۲۰ واحد")
    projects = [builders.project(programme, title=f"پروژه {MARK} {n} ۱۲۰ واحد",
                                 weight=Decimal(1 + n % 3), key_action=1 + n % 3)
                for n in range(count)]
    for project in projects:
        builders.indicator(project)
    builders.walk(programme, "accepted")
    return [Project.objects.select_related("programme").get(pk=p.pk) for p in projects]


def reported_project(province: Province) -> Plan:
    """A project of Agriculture with three months of reports through the real services:

    Farvardin 1403: on plan, verified on 1403/02/05 (blocker: the water agency's permit).
    Ordibehesht:    behind (growth 110 of 120 planned, waste 29 of 28), with an explanation,
                    evidence and a comment; verified on 1403/03/05.
    Khordad:        submitted on 1403/04/05, not verified yet (shown in the history only).
    """
    plan = progress_support.accepted_project(province, title=f"پروژه {MARK} ۱۲۰ واحد")
    water = agency(province, "water")
    with on(1403, 2, 5):
        report = progress_support.start(plan, province, 1)
        progress_support.fill(report, plan, growth=110, jobs=10, waste=29,
                              blockers=[("مجوز برداشت آب صادر نشده است", water)])
        progress_support.walk(report, "verified")
    with on(1403, 3, 5):
        report = progress_support.start(plan, province, 2)
        progress_support.fill(report, plan, growth=110, jobs=5, waste=29,
                              explanation="تاخیر در تامین اعتبار")
        from jahesh.progress import services

        services.evidence_add(report=report, acting_user=who("agri.reporter"),
                              upload=progress_support.upload("صورتجلسه بازدید.pdf"))
        report = services.report_submit(report=report, acting_user=who("agri.reporter"))
        report = services.report_approve(report=report, acting_user=who("agri.head"),
                                         comment="تایید شد")
        services.report_verify(report=report, acting_user=who("secretariat"),
                               comment="با مستندات بررسی شد")
    with on(1403, 4, 5):
        report = progress_support.start(plan, province, 3)
        progress_support.on_track(report, plan, 3)
        services.report_submit(report=report, acting_user=who("agri.reporter"))
    return plan
