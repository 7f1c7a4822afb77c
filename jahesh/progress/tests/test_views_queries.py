"""Queries per page are pinned, and the same for a little data and a lot: no N+1.

Every page costs, before its own work: the session, the user, the user's roles, and the unread
notifications of the bell in the header (4). Each test makes one request before counting, which
stamps the session. All run on 1403/12/05, inside Bahman 1403's reporting window.
"""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jahesh.plan.tests import builders
from jahesh.progress import services
from jahesh.progress.models import ProgressReport
from jahesh.progress.tests.support import (
    _media,  # noqa: F401
    _no_reopenings,  # noqa: F401
    accepted_project,
    agency,
    demo_report,
    edit_data,
    on,
    period,
    start,
    upload,
    who,
)

pytestmark = pytest.mark.django_db

LIST = reverse("progress:report_list")


@pytest.fixture(autouse=True)
def _in_bahmans_window():  # type: ignore[no-untyped-def]
    with on(1403, 12, 5):
        yield


def count(client, url: str, params: dict | None = None) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries), "\n".join(q["sql"] for q in queries.captured_queries)


def big_project(province, *, indicators: int = 6, actions: int = 4):  # type: ignore[no-untyped-def]
    """An accepted project of Agriculture with many indicators and required actions."""
    draft = builders.programme(province, title="برنامه بزرگ پایشی ۵۰۰ واحد")
    work = builders.project(draft, title="پروژه بزرگ پایشی ۵۰۰ واحد")
    for n in range(indicators):
        builders.indicator(work, name=f"شاخص {n}", measure="monthly" if n % 2 else "cumulative")
    for n in range(actions):
        builders.action(work, title=f"اقدام {n}")
    builders.walk(draft, "accepted")
    return work


def full_report(province) -> ProgressReport:  # type: ignore[no-untyped-def]
    """A big project's Bahman report with values, blockers and evidence."""
    work = big_project(province)
    report = services.report_start(project=work, period=period(province, 11),
                                   acting_user=who("agri.reporter"))
    services.report_save(
        report=report, acting_user=who("agri.reporter"),
        values={i.pk: Decimal(500) for i in work.indicators.all()}, action_states={},
        achieved="x", next_steps="y", explanation="z",
        blockers=[(f"مانع {n}", agency(province, "water")) for n in range(4)])
    for n in range(3):
        services.evidence_add(report=report, acting_user=who("agri.reporter"),
                              upload=upload(f"سند {n}.pdf"))
    return report


def test_my_reports_cost_the_same_for_few_projects_or_many(client_for, province) -> None:  # type: ignore[no-untyped-def]
    client = client_for("agri.reporter")
    client.get(LIST)
    few, _ = count(client, LIST, {"year": 1403, "month": 11})
    demo_report(province, "submitted")
    for n in range(2):
        draft = builders.programme(province, title=f"برنامه پایشی {n} ۱۰ واحد")
        for m in range(3):
            work = builders.project(draft, title=f"پروژه پایشی {n}-{m} ۱۰ واحد")
            builders.indicator(work)
            builders.action(work)
        builders.walk(draft, "accepted")
        for project in draft.projects.all()[:2]:
            services.report_start(project=project, period=period(province, 11),
                                  acting_user=who("agri.reporter"))
    many, sql = count(client, LIST, {"year": 1403, "month": 11})
    # 4 · the province · report counts per month and state · the year's periods (in a
    # savepoint: 3) · projects with programme, agency and key action · the month's reports ·
    # what waits for approval
    assert few == many == 12, sql


def test_the_province_list_costs_the_same_for_a_short_or_a_full_page(client_for, province) -> None:  # type: ignore[no-untyped-def]
    client = client_for("secretariat")
    client.get(LIST)
    few, _ = count(client, LIST, {"year": 1403, "month": 11, "agency": agency(province, "agri").pk})
    demo_report(province, "approved")
    many, sql = count(client, LIST, {"year": 1403, "month": 5})
    # 4 · the province · the filter's agencies · count · the page with period, project and agency
    # · what waits for verification
    assert few == many == 9, sql


def test_the_report_form_costs_the_same_for_a_small_report_or_a_big_one(client_for, province) -> None:  # type: ignore[no-untyped-def]
    client = client_for("agri.reporter")
    client.get(LIST)
    small = demo_report(province)
    big = full_report(province)
    url = "progress:report_edit"
    few, _ = count(client, reverse(url, args=[small.uid]))
    many, sql = count(client, reverse(url, args=[big.uid]))
    # 4 · the report with its period, province, project, programme, agency and people · the
    # province's agencies · values with indicators · required actions with owners · blockers ·
    # evidence
    assert few == many == 10, sql


def test_the_report_page_costs_the_same_for_a_small_report_or_a_big_one(client_for, province) -> None:  # type: ignore[no-untyped-def]
    client = client_for("secretariat")
    client.get(LIST)
    small = demo_report(province, "approved")
    big = full_report(province)
    services.report_submit(report=big, acting_user=who("agri.reporter"))
    services.report_return(report=big, acting_user=who("agri.head"), comment="اصلاح شود")
    services.report_submit(report=big, acting_user=who("agri.reporter"))
    services.report_approve(report=big, acting_user=who("agri.head"), comment="تایید")
    few, _ = count(client, reverse("progress:report_detail", args=[small.uid]))
    many, sql = count(client, reverse("progress:report_detail", args=[big.uid]))
    # 4 · the report with its context · values · actions · blockers · evidence · comments with
    # authors
    assert few == many == 10, sql


def test_saving_a_report_costs_the_same_for_few_indicators_or_many(client_for, province) -> None:  # type: ignore[no-untyped-def]
    client = client_for("agri.reporter")
    client.get(LIST)
    # Both have an indicator reported for the month (its earlier months are summed: 1 query).
    small = start(accepted_project(province), province, 11)
    big = full_report(province)
    counts = []
    for report in (small, big):
        data = edit_data(report, achieved="به‌روز شد")
        with CaptureQueriesContext(connection) as queries:
            response = client.post(reverse("progress:report_edit", args=[report.uid]), data)
        assert response.status_code == 302
        counts.append(len(queries))
    assert counts[0] == counts[1], counts

