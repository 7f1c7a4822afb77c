"""The dashboards in headless Chromium: right to left with Persian digits, charts drawn from the
server's SVG with nothing fetched from elsewhere, no console error or CSP violation, no sideways
scroll on a phone, and the same page mirrored in English. Screenshots go to test-artifacts/.

Uses the demo province (months Farvardin–Dey of 1403 verified) and the browser fixtures of
jahesh/core/tests/test_browser.py (imported by this folder's conftest).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from jahesh.core.tests.test_browser import (
    PERSIAN_DIGIT,
    _has_horizontal_overflow,
    _log_in,
    _switch_language,
)
from jahesh.plan.models import Project

pytestmark = pytest.mark.browser

MONTH = "?year=1403&month=10"


def _chart_tick_labels(tab) -> list[str]:  # type: ignore[no-untyped-def]
    return tab.locator("#jh-trend .jh-tick").all_inner_texts()


def test_secretariat_reads_the_dashboards(journey, live_server, artifacts) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    tab, watch = journey
    _log_in(tab, live_server, "secretariat")

    tab.goto(live_server.url + reverse("dashboards:province") + MONTH)
    expect(tab.locator("html")).to_have_attribute("dir", "rtl")
    expect(tab.locator("#jh-key-actions .jh-bar-row")).to_have_count(10)
    expect(tab.locator("[data-testid=kpi-percent] .jh-kpi-value")).to_contain_text("٪")
    assert PERSIAN_DIGIT.search(tab.locator("[data-testid=kpi-percent]").inner_text())
    assert _chart_tick_labels(tab) == ["۰٪", "۲۵٪", "۵۰٪", "۷۵٪", "۱۰۰٪"]
    # Farvardin is the rightmost month label.
    months = tab.locator("#jh-trend .jh-chart-x > span")
    first, last = months.first.bounding_box(), months.last.bounding_box()
    assert first["x"] > last["x"]
    assert not _has_horizontal_overflow(tab)
    tab.screenshot(path=artifacts / "dashboard-province-fa.png", full_page=True)

    tab.goto(live_server.url + reverse("dashboards:agency", args=["imt"]) + MONTH)
    expect(tab.locator("[data-testid=kpi-rank] .jh-kpi-value")).not_to_have_text("")
    tab.screenshot(path=artifacts / "dashboard-agency-fa.png", full_page=True)

    project = Project.objects.filter(programme__agency__code="imt", programme__year=1403,
                                     programme__state="accepted").order_by("id").first()
    tab.goto(live_server.url + reverse("dashboards:project", args=[project.uid]))
    expect(tab.locator("[data-testid=report]").first).to_be_visible()
    tab.screenshot(path=artifacts / "dashboard-project-fa.png", full_page=True)

    tab.set_viewport_size({"width": 390, "height": 844})
    tab.goto(live_server.url + reverse("dashboards:province") + MONTH)
    assert not _has_horizontal_overflow(tab), "the dashboard scrolls sideways on a phone"
    tab.screenshot(path=artifacts / "dashboard-province-phone-fa.png", full_page=True)
    tab.set_viewport_size({"width": 1366, "height": 900})

    _switch_language(tab, "en")
    expect(tab.locator("html")).to_have_attribute("dir", "ltr")
    assert _chart_tick_labels(tab) == ["0%", "25%", "50%", "75%", "100%"]
    months = tab.locator("#jh-trend .jh-chart-x > span")
    assert months.first.bounding_box()["x"] < months.last.bounding_box()["x"]
    tab.screenshot(path=artifacts / "dashboard-province-en.png", full_page=True)
    _switch_language(tab, "fa")
    watch.assert_clean()
