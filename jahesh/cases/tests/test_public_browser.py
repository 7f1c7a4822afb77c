"""A factory owner on a phone, in headless Chromium: sends an obstacle with the public form
(answering the check question, a photo attached), writes the tracking code down, and later
follows the case with it, typed in Persian digits, and confirms the resolution. No console
error, no CSP violation, nothing fetched from another host, no sideways scrolling; the
tracking code never appears in an address. Screenshots: test-artifacts/public-*.png."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from jahesh.cases import services
from jahesh.cases.models import Case, CaseState, Channel
from jahesh.cases.tests import case_support
from jahesh.cases.tests.channels_support import answer_of, phone_fixture
from jahesh.core.persian import to_latin_digits

# The headless-browser fixtures of the core journeys.
from jahesh.core.tests.test_browser import _has_horizontal_overflow, artifacts, chromium  # noqa: F401

pytestmark = pytest.mark.browser

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 300


@pytest.fixture
def phone(chromium, live_server, settings, tmp_path):  # type: ignore[no-untyped-def]  # noqa: F811
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.JAHESH_PUBLIC_MIN_SECONDS = 1
    yield from phone_fixture(chromium, live_server)


def test_a_factory_owner_sends_an_obstacle_and_follows_it_on_a_phone(  # type: ignore[no-untyped-def]
        phone, live_server, artifacts, province):  # noqa: F811
    from playwright.sync_api import expect

    tab, watch = phone
    addresses: list[str] = []
    tab.on("request", lambda request: addresses.append(request.url))
    tab.goto(live_server.url + reverse("public_cases:submit"))
    expect(tab.locator("html")).to_have_attribute("dir", "rtl")
    form = tab.get_by_test_id("public-form")
    form.locator("input[name=unit_name]").fill("صنایع غذایی سهند")
    form.locator("input[name=contact_name]").fill("رضا تبریزی")
    form.locator("input[name=contact_phone]").fill("۰۹۱۴۱۲۳۴۵۶۷")
    form.locator("select[name=county]").select_option(index=1)
    form.locator("select[name=category]").select_option(index=1)
    form.locator("textarea[name=description]").fill(
        "انشعاب برق کارخانه شش ماه است که معطل مانده و خط تولید دوم راه نیفتاده است.")
    form.locator("input[name=attachments]").set_input_files(
        files=[{"name": "کنتور.png", "mimeType": "image/png", "buffer": PNG}])
    question = form.locator("label[for=id_answer]").inner_text()
    form.locator("input[name=answer]").fill(str(answer_of(question)).translate(
        str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")))
    assert not form.locator("input[name=website]").is_visible()  # the honeypot
    assert not _has_horizontal_overflow(tab), "the form scrolls sideways on a phone"
    tab.screenshot(path=artifacts / "public-form-phone.png", full_page=True)
    tab.wait_for_timeout(1100)  # a person takes longer than the form's minimum
    form.locator("button[type=submit]").click()

    code_box = tab.get_by_test_id("tracking-code")
    expect(code_box).to_be_visible()
    shown = code_box.inner_text()
    assert re.fullmatch("[۰-۹]{4}-[۰-۹]{4}-[۰-۹]{4}", shown.strip()), shown
    case = Case.objects.get(tracking_code=to_latin_digits(shown).replace("-", "").strip())
    assert (case.channel, case.state) == (Channel.PUBLIC_FORM, CaseState.NEW)
    assert case.attachments.count() == 1
    tab.screenshot(path=artifacts / "public-tracking-code-phone.png", full_page=True)

    # The secretariat routes it and the agency resolves it (their pages are tested elsewhere).
    case = services.case_accept(case=case, agency=case_support.agency(province, "power"),
                                acting_user=case_support.who("secretariat"))
    services.case_resolve(case=case, text="انشعاب برق با قدرت ۲۵۰ کیلووات وصل شد.",
                          acting_user=case_support.who("power.head"))

    # Days later, on another phone (a fresh session), the owner types the code.
    tab.context.clear_cookies()
    tab.goto(live_server.url + reverse("public_cases:track"))
    tab.locator("input[name=code]").fill(shown.replace("-", " - "))
    tab.locator("main form button[type=submit]").click()
    expect(tab.get_by_test_id("public-case")).to_be_visible()
    expect(tab.get_by_test_id("steps")).to_contain_text("۲۵۰ کیلووات")
    expect(tab.get_by_test_id("agency")).to_contain_text("توزیع نیروی برق")
    assert not _has_horizontal_overflow(tab)
    tab.screenshot(path=artifacts / "public-track-resolved-phone.png", full_page=True)
    tab.get_by_test_id("answer-resolution").locator("form").first.locator(
        "button[type=submit]").click()
    expect(tab.get_by_test_id("answer-resolution")).to_have_count(0)
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED

    digits = re.sub(r"\D", "", case.tracking_code)
    assert addresses and all(digits not in url for url in addresses), "the code is in an address"
    watch.assert_clean()
