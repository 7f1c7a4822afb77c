"""The secretariat records a case and names what it blocks by typing, in headless Chromium:
the project picker lists the year's projects matching what is typed (Arabic letters too), and
the indicator picker then opens on that project's indicators. Screenshot:
test-artifacts/cases-record-picker.png.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from jahesh.cases.models import Case
from jahesh.core.tests.test_browser import _has_horizontal_overflow, _log_in
from jahesh.organisation.models import Province
from jahesh.plan.tests.builders import indicator, programme, project

pytestmark = pytest.mark.browser

PROJECT = "احداث سردخانه هوشمند مرند"
INDICATOR = "ظرفیت سردخانه‌ای"


def test_the_secretariat_names_the_blocked_project_and_indicator_by_typing(  # type: ignore[no-untyped-def]
        journey, live_server, artifacts):
    from playwright.sync_api import expect

    tab, watch = journey
    province = Province.objects.get(code="east-azerbaijan")
    work = project(programme(province, title="زنجیره سرد"), title=PROJECT)
    indicator(work, name="اشتغال سردخانه")
    blocked = indicator(work, name=INDICATOR)
    _log_in(tab, live_server, "secretariat")
    tab.goto(live_server.url + reverse("cases:case_create"))

    tab.locator("#id_title").fill("قطعی برق سردخانه")
    tab.locator("#id_description").fill("برق سردخانه هر روز دو ساعت قطع می‌شود.")
    tab.locator("#id_requester_name").fill("تعاونی سردخانه‌داران مرند")
    category = tab.locator("#id_category option").nth(1).get_attribute("value")
    tab.locator("#id_category").select_option(category)

    projects = tab.locator(".jh-field:has(#id_project) [data-jh-picker]")
    projects.locator("input[type=text]").press_sequentially("سردخانه هوشمند", delay=30)
    option = projects.locator("[role=option]", has_text=PROJECT)
    expect(option).to_be_visible()
    tab.screenshot(path=artifacts / "cases-record-picker.png", full_page=True)
    option.click()
    expect(projects.locator("[data-jh-picker-current]")).to_contain_text(PROJECT)

    indicators = tab.locator(".jh-field:has(#id_indicator) [data-jh-picker]")
    indicators.locator("input[type=text]").focus()  # the project's indicators, before typing
    expect(indicators.locator("[role=option]")).to_have_count(2)
    indicators.locator("[role=option]", has_text=INDICATOR).click()
    expect(indicators.locator("[data-jh-picker-current]")).to_contain_text(INDICATOR)
    assert not _has_horizontal_overflow(tab)

    with tab.expect_navigation():
        tab.locator("main form button[type=submit]").last.click()
    case = Case.objects.get(title="قطعی برق سردخانه")
    assert case.project == work and case.indicator == blocked
    expect(tab.locator("main")).to_contain_text(PROJECT)
    watch.assert_clean()
