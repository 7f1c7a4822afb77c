"""What the dashboards show: figures that change only when a report is verified, the month
they show and how it is picked, and the project page's trajectory, actuals, actions and history.

The demo province has Farvardin–Dey 1403 verified for every accepted project, and Bahman
verified for the power and bank-keshavarzi agencies only.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from jahesh.dashboards.tests import support
from jahesh.dashboards.tests.support import on
from jahesh.progress import services
from jahesh.progress.models import ReportState
from jahesh.progress.tests import support as progress_support

PROVINCE = reverse("dashboards:province")


def dashboard(client: Any, url: str = PROVINCE, **params: Any) -> Any:
    response = client.get(url, params)
    assert response.status_code == 200
    return response


# --- The month --------------------------------------------------------------------------------

def test_without_a_month_the_latest_verified_month_is_shown(client_for, province):  # type: ignore[no-untyped-def]
    client = client_for("hq")
    assert dashboard(client).context["d"].month == 11  # Bahman: two agencies verified
    agri = reverse("dashboards:agency", args=["agri"])
    assert dashboard(client, agri).context["d"].month == 10  # agri has not reported Bahman


@pytest.mark.parametrize(("year", "month", "expected"), [
    ("۱۴۰۳", "۵", (1403, 5)),  # Persian digits
    ("1403", "12", (1403, 12)),
    ("1403", "13", (1403, 11)),  # no such month: the default
    ("abc", "x", (1403, 11)),
    ("1399", "3", (1403, 3)),  # a year without a plan: the current year
])
def test_the_year_and_month_asked_for(client_for, province, year, month, expected):  # type: ignore[no-untyped-def]
    d = dashboard(client_for("chamber"), year=year, month=month).context["d"]
    assert (d.year, d.month) == expected


def test_the_picker_names_the_months_in_persian(client_for, province):  # type: ignore[no-untyped-def]
    html = dashboard(client_for("evaluator"), year="1403", month="7").content.decode()
    assert '<option value="7" selected>مهر</option>' in html
    assert '<option value="1">فروردین</option>' in html
    assert '<option value="1403" selected>۱۴۰۳</option>' in html
    assert "ارقام مهر ۱۴۰۳" in html or "مهر ۱۴۰۳" in html


# --- Figures change when a report is verified, and only then ----------------------------------

def test_a_verified_report_moves_the_province_figures(client_for, province):  # type: ignore[no-untyped-def]
    client = client_for("secretariat")
    plan = progress_support.accepted_project(province, title=f"پروژه {support.MARK} ۹۰ واحد")
    before = dashboard(client, year="1403", month="11").context["d"]
    key_action = plan.project.key_action_id
    row = next(r for r in before.key_actions if r.key == key_action)
    with on(1403, 12, 5):  # Bahman's window (reopened in the demo)
        report = progress_support.start(plan, province, 11)
        progress_support.on_track(report, plan, 11)
        report = progress_support.walk(report, "approved")
    approved = dashboard(client, year="1403", month="11").context["d"]
    assert approved.overall.counts == before.overall.counts  # approved is not verified
    assert approved.overall.percent == before.overall.percent
    with on(1403, 12, 5):
        services.report_verify(report=report, acting_user=support.who("secretariat"))
    after = dashboard(client, year="1403", month="11").context["d"]
    assert after.overall.reported == before.overall.reported + 1
    assert after.overall.counts["on_track"] == before.overall.counts["on_track"] + 1
    assert after.overall.counts["no_report"] == before.overall.counts["no_report"] - 1
    moved = next(r for r in after.key_actions if r.key == key_action)
    assert (moved.reported, moved.total) == (row.reported + 1, row.total)
    assert after.trend[10].reported == before.trend[10].reported + 1


def test_an_agency_dashboard_has_its_rank_and_its_own_compliance(client_for, province):  # type: ignore[no-untyped-def]
    response = dashboard(client_for("imt.reporter"),
                         reverse("dashboards:agency", args=["imt"]), year="1403", month="10")
    d = response.context["d"]
    assert d.agency.code == "imt"
    assert d.rank is not None and 1 <= d.rank[0] <= d.rank[1]
    assert [row.agency_id for row in d.compliance] == [d.agency.pk]
    assert [c.state for c in d.compliance[0].cells][:10] == ["on_time"] * 10
    assert all(r.agency_id == d.agency.pk for r in d.lagging_projects)
    html = response.content.decode()
    assert "data-testid=\"kpi-rank\"" in html
    assert reverse("evaluation:scorecard", args=[d.agency.pk]) in html


def test_key_actions_without_a_project_say_so(client_for, province):  # type: ignore[no-untyped-def]
    d = dashboard(client_for("hq"), year="1403", month="10").context["d"]
    assert len(d.key_actions) == 10
    empty = [r for r in d.key_actions if r.total == 0]
    assert empty
    rows = d.charts["key_actions"].rows
    assert all(rows[d.key_actions.index(r)].value_text == "—" for r in empty)


def test_compliance_summary_counts_agencies_per_month(client_for, province):  # type: ignore[no-untyped-def]
    d = dashboard(client_for("secretariat"), year="1403", month="10").context["d"]
    summary = {line["state"]: line["counts"] for line in d.compliance_summary()}
    agencies = len(d.compliance)
    for month in range(12):
        assert sum(summary[state][month] for state in summary) == agencies
    assert summary["late"][0] >= 1  # customs is always late in the demo


# --- The project page --------------------------------------------------------------------------

def test_the_project_page_shows_trajectory_actuals_actions_and_history(client_for, province):  # type: ignore[no-untyped-def]
    plan = support.reported_project(province)
    with on(1403, 5, 5):
        draft = progress_support.start(plan, province, 4)  # a draft: not on the page
    response = dashboard(client_for("agri.reporter"),
                         reverse("dashboards:project", args=[plan.project.uid]))
    page = response.context["page"]
    assert [r.period.month for r in page.reports] == [3, 2, 1]
    assert draft.pk not in {r.pk for r in page.reports}
    assert [r.state for r in page.reports] == [ReportState.SUBMITTED, ReportState.VERIFIED,
                                               ReportState.VERIFIED]
    growth = next(h for h in page.indicators if h.indicator == plan.growth)
    assert growth.planned[:3] == [Decimal(110), Decimal(120), Decimal(130)]
    # Actuals of verified months only: Khordad was submitted, not verified.
    assert growth.actual[:3] == [Decimal(110), Decimal(110), None]
    assert growth.latest_month == 2
    assert page.percent_by_month[0] == Decimal(100) and page.percent_by_month[2] is None
    assert page.latest_verified.period.month == 2
    # Required actions in the latest report's states.
    assert [a.state for a in page.actions] == ["in_progress", "in_progress"]
    html = response.content.decode()
    assert "مجوز برداشت آب صادر نشده است" in html  # the blocker
    assert "آب منطقه‌ای" in html  # … and who could unblock it
    assert "تاخیر در تامین اعتبار" in html  # the explanation
    assert "با مستندات بررسی شد" in html  # the secretariat's comment
    evidence = page.reports[1].evidence_list[0]
    assert reverse("progress:evidence_download", args=[evidence.pk]) in html
    assert reverse("progress:report_detail", args=[page.reports[0].uid]) in html
    chart = response.context["indicators"][0]["chart"]
    assert chart.x_labels[1].highlight  # the latest verified month: Ordibehesht
    assert chart.table.rows[1][1:] == ["۱۲۰", "۱۱۰"]  # planned, actual


def test_a_project_with_no_report_yet(client_for, province):  # type: ignore[no-untyped-def]
    project = support.more_projects(province, "imt", 1)[0]
    response = dashboard(client_for("imt.reporter"),
                         reverse("dashboards:project", args=[project.uid]))
    assert response.context["reports"] == []
    assert response.context["latest"] is None
    assert response.context["overall_chart"].empty
    assert "No report has been submitted for this project yet." in response.content.decode() \
        or "هنوز" in response.content.decode()


def test_an_agency_with_nothing_accepted_has_an_empty_dashboard(client_for, province):  # type: ignore[no-untyped-def]
    response = dashboard(client_for("secretariat"),
                         reverse("dashboards:agency", args=["irib"]), year="1403", month="10")
    d = response.context["d"]
    assert d.overall.total == 0 and d.rank is None and d.key_actions == []
    assert d.charts["key_actions"].empty and d.charts["trend"].empty
    assert d.charts["statuses"].empty
    html = response.content.decode()
    assert "jh-chart-empty" in html
    assert "—" in html  # no rank
