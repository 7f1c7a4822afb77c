"""A programme's whole journey through the real pages, in headless Chromium.

agri.reporter creates a programme with a project, an indicator and a required action, typing
numbers in Persian digits with Persian separators and dates in Jalali, and submits it;
agri.head approves; the secretariat returns it with a comment; the reporter reads the comment
and submits again; the head approves again; the secretariat accepts it with a grade and a
priority. Along the way: right-to-left pages, Persian digits, errors next to their fields, no
console error, no CSP violation, no failed request. Screenshots land in test-artifacts/plan-*.png.

Needs Chromium at /usr/bin/chromium (or `chromium` on PATH); without it the module is skipped,
unless JAHESH_REQUIRE_BROWSER=1, which turns the skip into a failure.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connections
from django.urls import reverse

from jahesh.demo.data import DEMO_PASSWORD
from jahesh.demo.loader import load_demo_province

pytestmark = pytest.mark.browser

LATIN_DIGIT = re.compile("[0-9]")
TITLE = "افزایش تولید محصولات گلخانه‌ای به ۱۸ هزار تن"
PROJECT = "احداث ۲۰ هکتار گلخانه هوشمند در مرند"
INDICATOR = "تولید محصول گلخانه‌ای"
RETURN_COMMENT = "منبع آمار پایه (۱۲ هزار تن) را در واحد شاخص بنویسید."
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", function (e) {
  window.jhReportViolation(e.violatedDirective + " blocked " + (e.blockedURI || "inline"));
}, true);
"""


@dataclass
class Watch:
    """What went wrong in the page while the journey ran."""

    origin: str
    problems: list[str] = field(default_factory=list)

    def on_request(self, request) -> None:  # type: ignore[no-untyped-def]
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https") and f"{parts.scheme}://{parts.netloc}" != self.origin:
            self.problems.append(f"request to another host: {request.url}")

    def on_response(self, response) -> None:  # type: ignore[no-untyped-def]
        if response.status >= 400:
            self.problems.append(f"{response.status} {response.url}")

    def on_console(self, message) -> None:  # type: ignore[no-untyped-def]
        if message.type == "error":
            self.problems.append(f"console: {message.text}")


@pytest.fixture
def tab(chromium_for_the_session, live_server) -> Iterator[tuple[object, Watch]]:  # type: ignore[no-untyped-def]
    # The root conftest's one Chromium per test process; the root conftest also puts the demo
    # back before each live_server test (the previous one's database was flushed).
    load_demo_province()  # finds the demo there and does nothing
    context = chromium_for_the_session.new_context(locale="fa-IR", timezone_id="Asia/Tehran",
                                                   viewport={"width": 1366, "height": 900})
    context.set_default_timeout(10_000)
    watch = Watch(origin=live_server.url.rstrip("/"))
    context.expose_binding("jhReportViolation",
                           lambda _source, text: watch.problems.append(f"CSP: {text}"))
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    page.on("console", watch.on_console)
    page.on("pageerror", lambda error: watch.problems.append(f"uncaught: {error}"))
    page.on("request", watch.on_request)
    page.on("response", watch.on_response)
    page.on("dialog", lambda dialog: dialog.accept())  # data-jh-confirm questions
    yield page, watch
    # The journey's own ORM calls, made while Playwright runs, leave a connection open;
    # without closing it PostgreSQL refuses to drop the test database at the end.
    connections.close_all()
    context.close()


@pytest.fixture
def artifacts(request: pytest.FixtureRequest) -> Path:
    path = Path(request.config.rootpath) / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path


def log_in(page, live_server, username: str) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    if page.locator("header form[action='/logout/'] button").count():
        page.locator("header form[action='/logout/'] button").click()
    page.goto(live_server.url + reverse("login"))
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(live_server.url + reverse("home"))


def open_programme(page, live_server) -> None:  # type: ignore[no-untyped-def]
    """Through the menu and the list's search, as a person would."""
    from playwright.sync_api import expect

    page.locator(f"header a[href='{reverse('plan:programme_list')}']").click()
    with page.expect_response(lambda r: "q=" in r.url and r.request.headers.get("hx-request")):
        page.locator("input[name=q]").press_sequentially("گلخانه اي", delay=15)
    link = page.locator("#jh-rows a", has_text=TITLE)
    expect(link).to_have_count(1)
    link.click()
    expect(page.locator("h1")).to_have_text(TITLE)


def type_date(page, selector: str, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type a Jalali date over what the box holds, then close the date picker."""
    box = page.locator(selector)
    box.click()
    box.press("Control+a")
    box.press("Delete")
    box.press_sequentially(text, delay=10)
    box.press("Escape")
    page.locator("main h1").click()  # away from the box: the picker closes


def state_is(page, state: str) -> None:  # type: ignore[no-untyped-def]
    """The state badge shows the state's name in Persian (the page's language)."""
    from django.utils import translation
    from playwright.sync_api import expect

    from jahesh.plan.models import ProgrammeState

    with translation.override("fa"):
        label = str(ProgrammeState(state).label)
    expect(page.get_by_test_id("state")).to_have_text(label)


def no_sideways_scroll(page) -> None:  # type: ignore[no-untyped-def]
    from jahesh.core.tests.test_browser import _has_horizontal_overflow

    assert not _has_horizontal_overflow(page), f"{page.url} scrolls sideways"


def test_a_programme_from_draft_to_accepted(tab, live_server, artifacts) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    from jahesh.plan.models import Programme

    page, watch = tab

    # --- The reporter writes the programme --------------------------------------------------
    log_in(page, live_server, "agri.reporter")
    page.locator(f"header a[href='{reverse('plan:programme_list')}']").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.screenshot(path=artifacts / "plan-list.png", full_page=True)
    page.locator(f"a[href='{reverse('plan:programme_create')}']").click()
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_level").select_option("operational")
    page.locator("#id_key_actions label", has_text="ایجاد زنجیره‌های ارزش").click()
    page.locator("#id_key_actions label", has_text="بازاریابی و فروش").click()
    page.screenshot(path=artifacts / "plan-programme-form.png", full_page=True)
    page.locator("main form.jh-form button[type=submit]").click()
    state_is(page, "draft")
    programme = Programme.objects.get(title=TITLE)

    # A project, first with an impossible date and a negative budget: refused, next to the fields.
    page.locator(f"a[href='{reverse('plan:project_create', args=[programme.pk])}']").first.click()
    page.locator("#id_title").fill(PROJECT)
    page.locator("#id_key_action").select_option(index=4)  # after the empty choice: number 4
    type_date(page, "#id_start_date", "۱۴۰۴/۱۲/۳۰")
    type_date(page, "#id_end_date", "۱۴۰۳/۱۲/۲۵")
    page.locator("#id_budget_provincial").fill("-۵۰۰")
    page.locator("#id_budget_bank").fill("۱۲٬۵۰۰")
    page.locator("#id_budget_private").fill("٣٠٠٠")
    with page.expect_navigation():
        page.locator("main form.jh-form button[type=submit]").click()
    for field_id in ("id_start_date", "id_budget_provincial"):
        expect(page.locator(f".jh-field:has(#{field_id}) .errorlist")).to_be_visible()
        expect(page.locator(f"#{field_id}")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_budget_bank")).to_have_value("۱۲٬۵۰۰")
    no_sideways_scroll(page)
    page.screenshot(path=artifacts / "plan-project-errors.png", full_page=True)
    type_date(page, "#id_start_date", "۱۴۰۳/۰۲/۰۱")
    page.locator("#id_budget_provincial").fill("۵٬۰۰۰")
    page.locator("main form.jh-form button[type=submit]").click()
    expect(page.get_by_test_id("project")).to_have_count(1)
    project = programme.projects.get()
    assert (project.budget_provincial, project.budget_bank, project.budget_private) == (
        5000, 12500, 3000)

    # An indicator: numbers with Persian digits and separators, a Jalali baseline date.
    page.locator(f"a[href='{reverse('plan:indicator_create', args=[project.pk])}']").click()
    page.locator("#id_name").fill(INDICATOR)
    page.locator("#id_unit").fill("تن")
    page.locator("#id_baseline").fill("۱۲٬۰۰۰")
    type_date(page, "#id_baseline_date", "۱۴۰۲/۱۲/۲۹")
    page.locator("#id_target").fill("۱۸٬۰۰۰")
    # The season shares appear only for the seasonal profile (CSS, no script).
    seasons, months = page.locator("fieldset.jh-when-seasonal"), page.locator(
        "fieldset.jh-when-manual")
    expect(seasons).to_be_hidden()
    expect(months).to_be_hidden()
    page.locator("input[name=trajectory_mode][value=manual]").check()
    expect(months).to_be_visible()
    expect(months.locator("label")).to_have_text(
        ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی",
         "بهمن", "اسفند"])
    no_sideways_scroll(page)
    page.screenshot(path=artifacts / "plan-indicator-manual.png", full_page=True)
    page.locator("input[name=trajectory_mode][value=seasonal]").check()
    expect(seasons).to_be_visible()
    for n, share in enumerate(("۱۰", "۲۰", "۳۰", "۴۰"), 1):
        page.locator(f"#id_season_{n}").fill(share)
    page.screenshot(path=artifacts / "plan-indicator-form.png", full_page=True)
    page.locator("main form.jh-form button[type=submit]").click()
    trajectory = page.get_by_test_id("trajectory")
    expect(trajectory.locator("th").first).to_have_text("فروردین")
    expect(trajectory.locator("th").last).to_have_text("اسفند")
    expect(trajectory.locator("td").last).to_have_text("۱۸٬۰۰۰")
    expect(trajectory.locator("td").nth(2)).to_have_text("۱۲٬۶۰۰")  # 10% of the way by Khordad
    assert not LATIN_DIGIT.search(trajectory.inner_text())

    # A required action, owned by another agency, due on a Jalali date.
    page.locator(f"a[href='{reverse('plan:action_create', args=[project.pk])}']").click()
    page.locator("#id_title").fill("تامین برق گلخانه‌ها")
    page.locator("#id_owner_agency").select_option(label="توزیع نیروی برق")
    type_date(page, "#id_due_date", "۱۴۰۳/۰۴/۱۵")
    page.locator("main form.jh-form button[type=submit]").click()
    expect(page.get_by_test_id("required-action")).to_contain_text("۱۴۰۳/۰۴/۱۵")
    expect(page.get_by_test_id("quality-score")).to_have_text("۱۰۰")

    # Submit to the agency head.
    page.locator(f"form[action='{reverse('plan:programme_submit', args=[programme.pk])}'] "
                 "button").click()
    state_is(page, "submitted")
    page.screenshot(path=artifacts / "plan-detail-submitted.png", full_page=True)

    # --- The head approves ------------------------------------------------------------------
    log_in(page, live_server, "agri.head")
    open_programme(page, live_server)
    page.locator(f"form[action='{reverse('plan:programme_approve', args=[programme.pk])}'] "
                 "button").click()
    state_is(page, "approved")

    # --- The secretariat returns it with a comment ------------------------------------------
    log_in(page, live_server, "secretariat")
    open_programme(page, live_server)
    return_form = page.locator(
        f"form[action='{reverse('plan:programme_return', args=[programme.pk])}']")
    return_form.locator("button").click()  # without a comment: refused next to the field
    expect(page.locator(".jh-field:has(#id_return-comment) .errorlist")).to_be_visible()
    state_is(page, "approved")
    page.locator("#id_return-comment").fill(RETURN_COMMENT)
    page.locator(f"form[action='{reverse('plan:programme_return', args=[programme.pk])}'] "
                 "button").click()
    state_is(page, "draft")

    # --- The reporter reads the comment and submits again -----------------------------------
    log_in(page, live_server, "agri.reporter")
    open_programme(page, live_server)
    expect(page.get_by_test_id("comment").first).to_contain_text(RETURN_COMMENT)
    page.screenshot(path=artifacts / "plan-detail-returned.png", full_page=True)
    page.locator(f"form[action='{reverse('plan:programme_submit', args=[programme.pk])}'] "
                 "button").click()
    state_is(page, "submitted")

    log_in(page, live_server, "agri.head")
    open_programme(page, live_server)
    page.locator("#id_approve-comment").fill("منبع آمار اضافه شد.")
    page.locator(f"form[action='{reverse('plan:programme_approve', args=[programme.pk])}'] "
                 "button").click()
    state_is(page, "approved")

    # --- The secretariat accepts and levels it ----------------------------------------------
    log_in(page, live_server, "secretariat")
    open_programme(page, live_server)
    page.locator("#id_accept-quality_grade").select_option("A")
    page.locator("#id_accept-priority").select_option("high")
    page.locator(f"form[action='{reverse('plan:programme_accept', args=[programme.pk])}'] "
                 "button").click()
    state_is(page, "accepted")
    expect(page.get_by_test_id("grade")).to_contain_text("A")
    history = page.get_by_test_id("history").locator("li")
    expect(history).to_have_count(7)
    no_sideways_scroll(page)
    page.screenshot(path=artifacts / "plan-detail-accepted.png", full_page=True)

    programme.refresh_from_db()
    assert (programme.state, programme.quality_grade, programme.priority) == (
        "accepted", "A", "high")

    # The same page in English: left to right, Latin digits, English month names.
    page.locator("header form button[name=language][value=en]").click()
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.get_by_test_id("trajectory").locator("th").first).to_have_text("Farvardin")
    expect(page.get_by_test_id("trajectory").locator("td").last).to_have_text("18,000")
    no_sideways_scroll(page)
    page.screenshot(path=artifacts / "plan-detail-en.png", full_page=True)
    page.locator("header form button[name=language][value=fa]").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")

    # The secretariat's overview and settings, for the screenshots.
    page.locator(f"header a[href='{reverse('plan:submissions')}']").click()
    expect(page.get_by_test_id("submission-table")).to_be_visible()
    no_sideways_scroll(page)
    page.screenshot(path=artifacts / "plan-submissions.png", full_page=True)
    page.locator(f"header a[href='{reverse('plan:settings')}']").click()
    expect(page.get_by_test_id("key-actions").locator("tbody tr")).to_have_count(10)
    page.screenshot(path=artifacts / "plan-settings.png", full_page=True)

    assert watch.problems == []
