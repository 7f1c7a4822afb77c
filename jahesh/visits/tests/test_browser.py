"""An industry-day visit in headless Chromium: the secretariat plans it on a phone, choosing
the units with the unit picker; during the visit the power company's head, on a phone,
records a problem with a photo at the first unit and marks the second visited; the visit is
held and the problem is a case of the visit. No console error, no CSP violation, nothing
fetched from another host, no sideways scrolling. Screenshots: test-artifacts/visit-*.png."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jahesh.cases.models import Case, Channel
from jahesh.cases.tests import channels_support as support
from jahesh.cases.tests.channels_support import phone_fixture
from jahesh.core.tests.test_browser import _has_horizontal_overflow, _log_in
from jahesh.organisation.models import Person, Province
from jahesh.visits.models import Visit, VisitState

pytestmark = pytest.mark.browser

JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 400
UNITS = ("ریخته‌گری آزمون سهند", "قطعه‌سازی آزمون سهند")


@pytest.fixture
def phone(chromium, live_server, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    yield from phone_fixture(chromium, live_server)


def _pick_unit(tab, row: int, name: str) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    picker = tab.locator("[data-testid=stop-row]").nth(row).locator("[data-jh-picker]")
    picker.locator("input[type=text]").press_sequentially(name[:8], delay=30)
    option = picker.locator("[role=option]", has_text=name)
    expect(option).to_be_visible()
    option.click()
    expect(picker.locator("[data-jh-picker-current]")).to_contain_text(name)


def test_a_visit_is_planned_and_a_problem_recorded_on_a_phone(phone, live_server, artifacts):  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    tab, watch = phone
    province = Province.objects.get(code="east-azerbaijan")
    for name in UNITS:
        support.unit(province, name)
    category = support.category(province)
    head = Person.objects.get(username="power.head")

    # The secretariat plans the visit: Wednesday is already in the date box.
    _log_in(tab, live_server, "secretariat")
    tab.goto(live_server.url + reverse("visits:visit_create"))
    assert tab.locator("input[name=date]").input_value()
    tab.locator("input[name=title]").fill("بازدید آزمون شهرک سهند")
    tab.locator(f"input[name=participants][value='{head.pk}']").check()
    tab.locator("textarea[name=other_participants]").fill("مدیر شعبه بانک ملت")
    _pick_unit(tab, 0, UNITS[0])
    _pick_unit(tab, 1, UNITS[1])
    tab.screenshot(path=artifacts / "visit-plan-phone.png", full_page=True)
    tab.get_by_test_id("visit-form").locator("button[type=submit]").click()
    expect(tab.get_by_test_id("stop")).to_have_count(2)
    visit = Visit.objects.get(title="بازدید آزمون شهرک سهند")
    assert [s.unit.name for s in visit.stops.order_by("order")] == list(UNITS)

    # During the visit: the power company's head, on a phone.
    tab.context.clear_cookies()
    _log_in(tab, live_server, "power.head")
    tab.goto(live_server.url + reverse("visits:visit_detail", args=[visit.uid]))
    tab.get_by_test_id("record").click()
    stops = tab.get_by_test_id("record-stop")
    expect(stops).to_have_count(2)
    assert not _has_horizontal_overflow(tab), "the visit's units scroll sideways on a phone"
    stops.first.locator("a").click()
    form = tab.get_by_test_id("problem-form")
    form.locator("select[name=category]").select_option(str(category.pk))
    form.locator("input[name=title]").fill("نوسان برق خط ریخته‌گری")
    form.locator("textarea[name=description]").fill("نوسان برق کوره القایی را از کار می‌اندازد.")
    form.locator("select[name=priority]").select_option("high")
    form.locator("input[name=photo]").set_input_files(
        files=[{"name": "کوره.jpg", "mimeType": "image/jpeg", "buffer": JPEG}])
    assert not _has_horizontal_overflow(tab)
    tab.screenshot(path=artifacts / "visit-record-problem-phone.png", full_page=True)
    form.locator("button[type=submit]").click()

    # Back on the list of units, with the problem under the first.
    expect(stops.first).to_contain_text("نوسان برق خط ریخته‌گری")
    expect(stops.first.get_by_test_id("problem-count")).to_contain_text("۱")
    stops.nth(1).locator("a").click()
    tab.locator("form[action$='/visited/'] button").click()  # nothing to record there
    expect(tab.get_by_test_id("record-stop").nth(1)).to_have_class(
        "card mb-3 border-success")
    tab.screenshot(path=artifacts / "visit-record-list-phone.png", full_page=True)

    visit.refresh_from_db()
    assert visit.state == VisitState.HELD
    case = Case.objects.get(visit=visit)
    assert (case.channel, case.unit.name, case.priority) == (Channel.VISIT, UNITS[0], "high")
    assert case.attachments.get().name == "کوره.jpg"
    assert all(stop.visited for stop in visit.stops.all())
    watch.assert_clean()
