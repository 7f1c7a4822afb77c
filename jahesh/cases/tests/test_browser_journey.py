"""A factory's problem from the industry-day visit to its confirmation, in headless Chromium.

On a phone-sized screen the secretariat, at the visit, records a problem against the unit it is
visiting; back at the office it routes the new case to Agriculture in the triage queue; the
agency answers and resolves it; the factory follows the case by its tracking code (typed in
Persian digits with dashes), sees only what is public, and confirms the resolution.
Screenshots land in test-artifacts/cases-*.png.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from jahesh.cases.models import Case, CaseState, Category, Channel
from jahesh.cases.services import format_tracking_code
from jahesh.core import persian
from jahesh.core.tests.test_browser import _has_horizontal_overflow, _log_in
from jahesh.organisation.models import Agency, Person, Province
from jahesh.units.models import ProductionUnit
from jahesh.visits import services as visits

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"

UNIT = "شرکت صنایع غذایی آفتاب مراغه"
TITLE = "قطعی مکرر برق خط تولید رب گوجه"
INTERNAL = "پیگیری تلفنی با مدیر توزیع برق؛ یادداشت داخلی"
RESOLUTION = "خط اختصاصی برق برای واحد کشیده شد و قطعی برطرف شد."


def _category(province: Province) -> Category:
    category = Category.objects.filter(province=province, is_active=True).order_by("order").first()
    if category is None:
        category = Category.objects.create(province=province, code="utilities",
                                           name="آب، برق و گاز", response_days=3,
                                           resolution_days=20)
    return category


def _switch_to(tab, live_server, username: str) -> None:  # type: ignore[no-untyped-def]
    tab.context.clear_cookies()
    _log_in(tab, live_server, username)


def test_a_visit_problem_routed_resolved_and_followed_by_tracking_code(  # type: ignore[no-untyped-def]
        journey, live_server, artifacts):
    from playwright.sync_api import expect

    tab, watch = journey
    province = Province.objects.get(code="east-azerbaijan")
    secretariat = Person.objects.get(username="secretariat")
    agri = Agency.objects.get(province=province, code="agri")
    category = _category(province)
    unit = ProductionUnit.objects.create(province=province, name=UNIT, search_text=persian.fold(UNIT))
    visit = visits.visit_plan(province=province, date=persian.as_gregorian_date(
        persian.jalali_today()), title="بازدید روز صنعت مراغه", units=[unit],
        acting_user=secretariat)

    # At the visit, on a phone.
    tab.set_viewport_size({"width": 390, "height": 844})
    _log_in(tab, live_server, "secretariat")
    tab.goto(live_server.url + reverse("visits:visit_record", args=[visit.uid]))
    expect(tab.locator("html")).to_have_attribute("dir", "rtl")
    stop = tab.get_by_test_id("record-stop").filter(has_text=UNIT)
    stop.locator("a").first.click()
    form = tab.get_by_test_id("problem-form")
    form.locator("select[name$=category]").select_option(str(category.pk))
    form.locator("input[name$=title]").fill(TITLE)
    form.locator("textarea[name$=description]").fill(
        "در ماه گذشته هفت بار برق خط تولید قطع شده و محصول در جریان فرآوری از بین رفته است.")
    assert not _has_horizontal_overflow(tab), "the phone page scrolls sideways"
    tab.screenshot(path=artifacts / "cases-1-visit-phone-form.png", full_page=True)
    form.locator("button[type=submit]").click()
    expect(tab.get_by_test_id("record-page")).to_contain_text(TITLE)
    case = Case.objects.get(title=TITLE)
    assert (case.channel, case.visit_id, case.unit_id, case.state) == (
        Channel.VISIT, visit.pk, unit.pk, CaseState.NEW)
    expect(tab.get_by_test_id("record-page")).to_contain_text(case.reference)
    assert any(ch in (tab.get_by_test_id("record-page").text_content() or "")
               for ch in "۰۱۲۳۴۵۶۷۸۹"), "the case's reference is written in Persian digits"
    tab.screenshot(path=artifacts / "cases-2-visit-phone-recorded.png", full_page=True)

    # At the office: the secretariat routes it from the triage queue.
    tab.set_viewport_size({"width": 1366, "height": 900})
    tab.goto(live_server.url + reverse("cases:triage"))
    card = tab.locator(f"[data-testid=triage-case][data-case='{case.uid}']")
    expect(card).to_contain_text(TITLE)
    card.locator("form").first.locator("select[name$=agency]").select_option(str(agri.pk))
    tab.screenshot(path=artifacts / "cases-3-triage.png", full_page=True)
    card.locator("form").first.locator("button[type=submit]").click()
    tab.wait_for_load_state("load")
    case.refresh_from_db()
    assert (case.state, case.responsible_agency_id) == (CaseState.ASSIGNED, agri.pk)
    assert case.response_due is not None and case.resolution_due >= case.response_due

    # An internal note the factory must never see.
    tab.goto(live_server.url + reverse("cases:case_detail", args=[case.uid]))
    note = tab.get_by_test_id("note-form")
    note.locator("textarea").fill(INTERNAL)
    note.locator("input[name$=visibility][value=internal]").check()
    note.locator("button[type=submit]").click()
    expect(tab.get_by_test_id("internal-notes")).to_contain_text(INTERNAL)

    # The agency answers, then resolves it.
    _switch_to(tab, live_server, "agri.head")
    tab.goto(live_server.url + reverse("cases:case_detail", args=[case.uid]))
    expect(tab.get_by_test_id("step-respond")).to_be_visible()
    respond = tab.get_by_test_id("step-respond")
    respond.locator("summary").click()
    respond.locator("textarea").fill("موضوع با شرکت توزیع برق در حال پیگیری است.")
    respond.locator("button[type=submit]").click()
    tab.wait_for_load_state("load")
    resolve = tab.get_by_test_id("step-resolve")
    resolve.locator("summary").click()
    resolve.locator("textarea").fill(RESOLUTION)
    resolve.locator("button[type=submit]").click()
    expect(tab.get_by_test_id("resolution")).to_contain_text(RESOLUTION)
    tab.screenshot(path=artifacts / "cases-4-agency-resolved.png", full_page=True)
    case.refresh_from_db()
    assert case.state == CaseState.RESOLVED and case.resolved_in_province is True

    # The factory follows it by its tracking code, on a phone, without an account.
    tab.context.clear_cookies()
    tab.set_viewport_size({"width": 390, "height": 844})
    tab.goto(live_server.url + reverse("public_cases:track"))
    typed = persian.to_persian_digits(format_tracking_code(case.tracking_code))
    tab.locator("input[name$=code]").fill(typed)
    tab.locator("main form button[type=submit]").first.click()
    public = tab.get_by_test_id("public-case")
    expect(public).to_contain_text(TITLE)
    expect(tab.locator("main")).to_contain_text(RESOLUTION)
    expect(tab.locator("main")).not_to_contain_text(INTERNAL)
    assert not _has_horizontal_overflow(tab), "the tracking page scrolls sideways"
    tab.screenshot(path=artifacts / "cases-5-tracking-phone.png", full_page=True)
    answer = tab.get_by_test_id("answer-resolution")
    answer.locator("form").first.locator("button[type=submit]").click()
    tab.wait_for_load_state("load")
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED and case.closed_at is not None
    tab.screenshot(path=artifacts / "cases-6-confirmed.png", full_page=True)
    assert list(case.steps.values_list("to_state", flat=True)) == [
        CaseState.NEW, CaseState.ASSIGNED, CaseState.RESPONDED, CaseState.RESOLVED,
        CaseState.CLOSED]
    watch.assert_clean()
