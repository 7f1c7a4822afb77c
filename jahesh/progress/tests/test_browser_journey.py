"""The month's report through the real pages, in headless Chromium (issue 4's journey).

agri.reporter starts the Bahman 1403 report of a project, types its actuals in Persian digits,
attaches a PDF and tries to submit; the project is off track, so the page asks for the
explanation; with it the report is submitted. agri.head approves it, the secretariat verifies
it, and the province dashboard of Bahman then shows the project among the most lagging, with
one more off-track project than before. Screenshots land in test-artifacts/progress-*.png.

The demo reopened Bahman and Esfand 1403 (the demo's story ends in 1403; today is later), so
the month accepts reports whatever day the test runs.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from jahesh.core import persian
from jahesh.core.tests.test_browser import PERSIAN_DIGIT, _log_in
from jahesh.plan.models import Project
from jahesh.progress.models import ProgressReport, ReportState, Status

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("_media")]

PROJECT = "احداث ۱۲ واحد صنایع تبدیلی محصولات باغی در مراغه و بناب"
BAHMAN = {"year": 1403, "month": 11}
EXPLANATION = "تأمین انشعاب برق واحدها سه ماه عقب افتاده است."
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _off_track_count(tab) -> int:  # type: ignore[no-untyped-def]
    """How many projects the dashboard's status chart counts as off track (from its table of
    figures, which sits folded under the chart)."""
    with translation.override("fa"):
        label = str(Status.OFF_TRACK.label)
    row = tab.locator("[data-testid=statuses] table tr", has=tab.locator("th", has_text=label))
    text = row.locator("td").first.text_content() or ""
    return int(re.sub(r"\D", "", persian.to_latin_digits(text)) or 0)


def _switch_to(tab, live_server, username: str) -> None:  # type: ignore[no-untyped-def]
    tab.context.clear_cookies()
    _log_in(tab, live_server, username)


def test_a_month_reported_approved_verified_reaches_the_dashboard(  # type: ignore[no-untyped-def]
        journey, live_server, artifacts):
    from playwright.sync_api import expect

    tab, watch = journey
    project = Project.objects.get(title=PROJECT)
    dashboard = (live_server.url + reverse("dashboards:province")
                 + f"?year={BAHMAN['year']}&month={BAHMAN['month']}")

    # The dashboard of Bahman before: the project is not among the lagging ones.
    _log_in(tab, live_server, "secretariat")
    tab.goto(dashboard)
    lagging = tab.locator("[data-testid=lagging-projects]")
    expect(lagging).not_to_contain_text(PROJECT)
    off_track_before = _off_track_count(tab)

    # The reporter starts the month's report from "my reports".
    _switch_to(tab, live_server, "agri.reporter")
    tab.goto(live_server.url + reverse("progress:report_list")
             + f"?year={BAHMAN['year']}&month={BAHMAN['month']}")
    expect(tab.locator("html")).to_have_attribute("dir", "rtl")
    row = tab.locator(f"tr[data-project='{project.uid}']")
    row.get_by_role("button").click()
    expect(tab.locator("form.jh-report-form")).to_be_visible()
    values = tab.locator("[data-testid=indicator] input")
    expect(values).to_have_count(2)
    values.nth(0).fill("۲")  # 2 of the 12 units planned for the year
    values.nth(1).fill("۲۱۲")  # barely above the baseline of 210
    tab.locator("textarea[name=achieved]").fill("دو واحد صنایع تبدیلی به بهره‌برداری رسید.")
    tab.locator("input[name=evidence]").set_input_files(
        files=[{"name": "گزارش بازدید.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    tab.get_by_test_id("save-and-submit").click()

    # Off track: saved, not submitted, and the page asks why.
    expect(tab.get_by_test_id("explanation-needed")).to_be_visible()
    expect(tab.get_by_test_id("workflow-errors")).to_be_visible()
    report = ProgressReport.objects.get(project=project, period__month=BAHMAN["month"])
    assert report.state == ReportState.DRAFT
    assert report.status == Status.OFF_TRACK
    assert report.evidence.count() == 1
    assert PERSIAN_DIGIT.search(tab.locator("[data-testid=planned]").first.inner_text())
    tab.screenshot(path=artifacts / "progress-report-explain.png", full_page=True)
    tab.locator("textarea[name=explanation]").fill(EXPLANATION)
    tab.get_by_test_id("save-and-submit").click()
    expect(tab.locator("main")).to_contain_text("گزارش بازدید.pdf")
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    tab.screenshot(path=artifacts / "progress-report-submitted.png", full_page=True)

    detail = live_server.url + reverse("progress:report_detail", args=[report.uid])
    # The head approves.
    _switch_to(tab, live_server, "agri.head")
    tab.goto(detail)
    tab.get_by_role("button", name="تأیید و ارسال به دبیرخانه").click()
    expect(tab.locator("main")).to_contain_text(EXPLANATION)
    report.refresh_from_db()
    assert report.state == ReportState.APPROVED

    # Approved is not yet counted: the dashboard is as it was.
    _switch_to(tab, live_server, "secretariat")
    tab.goto(dashboard)
    expect(tab.locator("[data-testid=lagging-projects]")).not_to_contain_text(PROJECT)

    # The secretariat verifies; the dashboard now counts it.
    tab.goto(detail)
    tab.get_by_role("button", name="تأیید نهایی").click()
    report.refresh_from_db()
    assert report.state == ReportState.VERIFIED
    tab.goto(dashboard)
    expect(tab.locator("[data-testid=lagging-projects]")).to_contain_text(PROJECT)
    assert _off_track_count(tab) == off_track_before + 1
    tab.screenshot(path=artifacts / "progress-dashboard-after.png", full_page=True)
    assert watch.csp_violations == [] and watch.console_errors == []
