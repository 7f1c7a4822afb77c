"""The unit picker and the registry's search in headless Chromium: typing lists units (htmx),
choosing one fills the hidden id, the form gets the unit; no CSP violation, no console error.
Screenshots in test-artifacts/. Skipped without Chromium (see jahesh/core/tests/test_browser.py)."""

import pytest
from django.urls import reverse

from jahesh.core.tests.test_browser import _log_in, artifacts, chromium, journey  # noqa: F401

pytestmark = pytest.mark.browser


def test_the_picker_and_the_list_search(journey, live_server, artifacts, settings):  # type: ignore[no-untyped-def]  # noqa: F811
    from playwright.sync_api import expect

    from jahesh.organisation.models import Person, Province
    from jahesh.units import services

    settings.ROOT_URLCONF = "jahesh.units.tests.picker_urls"
    tab, watch = journey
    province = Province.objects.get(code="east-azerbaijan")
    secretariat = Person.objects.get(username="secretariat")
    for name, national_id in (("کاشی‌سازی تبریز", "10380284790"), ("لبنیات پگاه", ""),
                              ("کاشی مرند", "")):
        services.unit_save(acting_user=secretariat, province=province, name=name,
                           national_id=national_id)
    _log_in(tab, live_server, "secretariat")

    # The list narrows as one types, with the Arabic keyboard's kaf and yeh.
    tab.goto(live_server.url + reverse("units:unit_list"))
    tab.locator("input[name=q]").fill("\u0643\u0627\u0634\u064a")
    expect(tab.locator("#jh-rows tbody tr")).to_have_count(2)
    expect(tab.locator("#jh-rows")).not_to_contain_text("لبنیات")
    tab.screenshot(path=artifacts / "units-list-search.png", full_page=True)

    # The picker: type, choose, submit.
    tab.goto(live_server.url + "/test-picker/")
    box = tab.locator("[data-jh-picker] input[type=text]")
    box.fill("كاشي سازي")  # Arabic letters, a space for the ZWNJ
    option = tab.locator("[data-jh-picker-results] [data-pick-id]")
    expect(option).to_have_count(1)
    tab.screenshot(path=artifacts / "units-picker.png", full_page=True)
    option.click()
    expect(box).to_have_value("کاشی‌سازی تبریز (۱۰۳۸۰۲۸۴۷۹۰)")
    tab.locator("form.jh-form button[type=submit]").click()
    expect(tab.locator("#chosen")).to_have_text("کاشی‌سازی تبریز")
    # After the post the picker shows the chosen unit again, by name.
    expect(tab.locator("[data-jh-picker] input[type=text]")).to_have_value(
        "کاشی‌سازی تبریز (۱۰۳۸۰۲۸۴۷۹۰)")
    watch.assert_clean()
