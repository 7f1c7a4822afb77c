"""Journeys through the real pages in headless Chromium (Playwright's sync API).

What a unit test cannot see: the page is right-to-left with Persian digits and Jalali dates,
the language button flips it to English and back, htmx updates the agency rows as you type,
form errors sit next to their fields, the Jalali date picker fills its input, and every page
loads with no console error, no CSP violation, no failed request and nothing fetched from
another host. Screenshots land in test-artifacts/ for a human to look at.

Needs Chromium at /usr/bin/chromium (or `chromium` on PATH; Debian's chromium-headless-shell is
used instead when installed). Without it the module is skipped, unless JAHESH_REQUIRE_BROWSER=1,
which turns the skip into a failure. One Chromium serves every browser test of a test process
(the root conftest's `chromium_for_the_session`).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from jahesh.core import persian
from jahesh.demo.data import DEMO_PASSWORD
from jahesh.demo.loader import load_demo_province

pytestmark = pytest.mark.browser

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
PERSIAN_DIGIT = re.compile("[\u06f0-\u06f9]")
LATIN_DIGIT = re.compile("[0-9]")
CATEGORIES = ("driver", "supporting", "service", "infrastructure")
AGRICULTURE = "جهاد کشاورزی"
# The same name typed on an Arabic keyboard: ARABIC LETTER KAF and ARABIC LETTER YEH.
AGRICULTURE_ARABIC_KEYBOARD = "\u0643\u0634\u0627\u0648\u0631\u0632\u064a"


def _require_or_skip(reason: str) -> None:
    if os.environ.get("JAHESH_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (JAHESH_REQUIRE_BROWSER=1, so this is a failure, not a skip)")
    pytest.skip(reason)


def _chromium() -> str:
    # Debian's chromium-headless-shell, when installed, is the same engine without the desktop
    # browser around it: the journeys run about a tenth faster in it.
    for candidate in ("/usr/bin/chromium-headless-shell", "/usr/bin/chromium",
                      shutil.which("chromium")):
        if candidate and os.path.exists(candidate):
            return candidate
    _require_or_skip(
        "Browser tests need Chromium: install Debian's `chromium` package "
        "(looked for /usr/bin/chromium-headless-shell, /usr/bin/chromium and `chromium` on PATH)"
    )
    raise AssertionError("unreachable")


def launch_chromium() -> Iterator[object]:
    """A headless Chromium, for as long as the generator runs (the root conftest's
    `chromium_for_the_session` keeps one per test process)."""
    executable = _chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _require_or_skip("Browser tests need the `playwright` Python package")
    with pytest.MonkeyPatch.context() as mp:
        # Playwright's sync API keeps an asyncio loop running in this thread; without this,
        # Django refuses ORM calls from the test body (load_demo_province, the flush). The
        # browser tests use live_server, so pytest-django runs them after every other test.
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=executable, headless=True, args=CHROMIUM_FLAGS
            )
            yield browser
            browser.close()


@pytest.fixture(scope="module")
def chromium(chromium_for_the_session) -> object:  # type: ignore[no-untyped-def]
    """The headless Chromium of this test process (launched once, for every browser test)."""
    return chromium_for_the_session


@pytest.fixture
def artifacts(request: pytest.FixtureRequest) -> Path:
    path = Path(request.config.rootpath) / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path


@dataclass
class Watch:
    """What went wrong in the page while a journey ran, collected from browser events."""

    origin: str
    console_errors: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)

    def on_request(self, request) -> None:  # type: ignore[no-untyped-def]
        parts = urlsplit(request.url)
        if parts.scheme in ("data", "blob", "about"):
            return
        if f"{parts.scheme}://{parts.netloc}" != self.origin:
            self.foreign_requests.append(request.url)

    def on_response(self, response) -> None:  # type: ignore[no-untyped-def]
        if response.status >= 400:
            self.failed_requests.append(f"{response.status} {response.url}")

    def on_console(self, message) -> None:  # type: ignore[no-untyped-def]
        if message.type == "error":
            where = message.location.get("url", "")
            self.console_errors.append(f"{message.text} ({where})" if where else message.text)

    def assert_clean(self) -> None:
        assert self.csp_violations == [], "Content-Security-Policy violations"
        assert self.console_errors == [], "errors in the browser console"
        assert self.foreign_requests == [], "requests to a host other than the live server"
        assert self.failed_requests == [], "requests that failed"


# Runs in every document before its own scripts; the binding reports to Python, so a violation
# is caught even when the page navigates away right after.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", function (e) {
  window.jhReportViolation(e.violatedDirective + " blocked " + (e.blockedURI || "inline")
                           + " at " + e.sourceFile + ":" + e.lineNumber);
}, true);
"""


@pytest.fixture
def journey(chromium, live_server) -> Iterator[tuple[object, Watch]]:  # type: ignore[no-untyped-def]
    # live_server runs on a transactional database that is flushed after each test; the root
    # conftest puts the demo province back from a snapshot before each, so this finds it.
    load_demo_province()
    # A browser set up as the province's staff set theirs up: Persian, Tehran time.
    context = chromium.new_context(
        locale="fa-IR",
        timezone_id="Asia/Tehran",
        viewport={"width": 1366, "height": 900},
        device_scale_factor=1,
    )
    context.set_default_timeout(10_000)
    watch = Watch(origin=live_server.url.rstrip("/"))
    context.expose_binding(
        "jhReportViolation", lambda _source, text: watch.csp_violations.append(text)
    )
    context.add_init_script(CSP_LISTENER)
    tab = context.new_page()
    tab.on("console", watch.on_console)
    tab.on("pageerror", lambda error: watch.console_errors.append(f"uncaught: {error}"))
    tab.on("request", watch.on_request)
    tab.on("response", watch.on_response)
    yield tab, watch
    context.close()


def _log_in(tab, live_server, username: str, screenshot: Path | None = None) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    tab.goto(live_server.url + reverse("login"))
    expect(tab.locator("html")).to_have_attribute("dir", "rtl")
    if screenshot:
        assert _font_family_in_use(tab, "body")
        assert not _has_horizontal_overflow(tab), "the log-in page scrolls sideways"
        tab.screenshot(path=screenshot, full_page=True)
    tab.locator("input[name=username]").fill(username)
    tab.locator("input[name=password]").fill(DEMO_PASSWORD)
    tab.locator("main form button[type=submit]").first.click()
    expect(tab).to_have_url(live_server.url + reverse("home"))


def _switch_language(tab, to: str) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    tab.locator(f"header form button[name=language][value={to}]").click()
    expect(tab.locator("html")).to_have_attribute("lang", to)
    tab.wait_for_load_state("load")


def _font_family_in_use(tab, selector: str) -> bool:  # type: ignore[no-untyped-def]
    """True when Vazirmatn is loaded and is the first family of the element's font stack."""
    return tab.evaluate(
        """async (selector) => {
          await document.fonts.ready;
          const loaded = [...document.fonts].some(
            f => f.family.replace(/["']/g, "") === "Vazirmatn" && f.status === "loaded");
          const family = getComputedStyle(document.querySelector(selector)).fontFamily;
          return loaded && family.replace(/["']/g, "").startsWith("Vazirmatn");
        }""",
        selector,
    )


def _latin_digits_drawn_as_persian(tab, selector: str) -> bool:  # type: ignore[no-untyped-def]
    """True when '0123456789' in the element's font looks exactly like '۰۱۲۳۴۵۶۷۸۹'.

    The DOM can hold Latin digits while the font draws Persian ones (Vazirmatn does with
    font-feature-settings "ss01"), so this compares pixels, not text: one probe styled like
    the element, pinned to the same spot, drawn with each set of digits in turn.
    """
    tab.evaluate(
        """(selector) => {
          const probe = document.querySelector(selector).cloneNode(false);
          probe.removeAttribute("data-testid");
          probe.dataset.digitProbe = "";
          Object.assign(probe.style, {position: "fixed", top: "0", left: "0", zIndex: "99999",
                                      background: "#fff", padding: "4px", width: "auto"});
          document.body.append(probe);
        }""",
        selector,
    )
    probe = tab.locator("[data-digit-probe]")
    try:
        shots = []
        for digits in (persian.LATIN_DIGITS, persian.PERSIAN_DIGITS):
            probe.evaluate("(probe, text) => { probe.textContent = text; }", digits)
            shots.append(probe.screenshot(animations="disabled"))
    finally:
        probe.evaluate("(probe) => probe.remove()")
    return shots[0] == shots[1]


def _prove_the_watch_sees_violations(tab, watch: Watch) -> None:  # type: ignore[no-untyped-def]
    """Break the CSP on purpose once, so a silent watcher cannot pass every journey."""
    tab.evaluate(
        "document.body.insertAdjacentHTML('beforeend', '<div data-csp-probe style=\"color: red\"></div>')"
    )
    tab.wait_for_function("() => document.querySelector('[data-csp-probe]') !== null")
    tab.wait_for_timeout(100)  # the violation event is queued as a task
    assert any("style-src" in v for v in watch.csp_violations), watch.csp_violations
    assert watch.console_errors, "the console watcher missed the refused inline style"
    tab.evaluate("document.querySelector('[data-csp-probe]').remove()")
    watch.csp_violations.clear()
    watch.console_errors.clear()


def _has_horizontal_overflow(tab) -> bool:  # type: ignore[no-untyped-def]
    # Measured once the page has loaded its stylesheets and fonts: just after a navigation the
    # elements may already be there (an expect() passed) but laid out without the CSS.
    tab.wait_for_load_state("load")
    return tab.evaluate(
        "document.fonts.ready.then(() => "
        "document.documentElement.scrollWidth > document.documentElement.clientWidth + 1)"
    )


def test_reporter_sees_home_in_persian_then_english(journey, live_server, artifacts) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    tab, watch = journey
    _log_in(tab, live_server, "agri.reporter", screenshot=artifacts / "login-fa.png")

    html = tab.locator("html")
    expect(html).to_have_attribute("lang", "fa")
    expect(html).to_have_attribute("dir", "rtl")
    assert _font_family_in_use(tab, "body"), "Vazirmatn is not the font the page is drawn in"
    assert not _has_horizontal_overflow(tab), "the Persian home page scrolls sideways"

    # The ten key actions of the year, counted in Persian digits.
    expect(tab.get_by_test_id("key-action-count")).to_have_text("۱۰")
    actions = tab.locator(".jh-key-actions > li")
    expect(actions).to_have_count(10)
    expect(actions.first.locator(".jh-key-number")).to_have_text("۱")
    expect(actions.last.locator(".jh-key-number")).to_have_text("۱۰")

    # Today as a Jalali date, with this month's Persian name and Persian digits.
    today = persian.jalali_today()
    today_text = tab.get_by_test_id("today").inner_text()
    assert persian.jalali_month_name(today.month, "fa") in today_text
    assert persian.to_persian_digits(str(today.year)) in today_text
    assert not LATIN_DIGIT.search(today_text)

    # Agencies grouped by the four categories, each group with its agencies.
    groups = tab.locator("section[data-category]")
    expect(groups).to_have_count(4)
    for category in CATEGORIES:
        group = tab.locator(f"section[data-category={category}]")
        expect(group.locator(".jh-agency-list a").first).to_be_visible()
        count = group.get_by_test_id("category-count").inner_text()
        assert PERSIAN_DIGIT.search(count) and not LATIN_DIGIT.search(count)
    expect(tab.locator("section[data-category=driver]")).to_contain_text(AGRICULTURE)
    _prove_the_watch_sees_violations(tab, watch)
    tab.screenshot(path=artifacts / "home-fa.png", full_page=True)

    _switch_language(tab, "en")
    expect(html).to_have_attribute("dir", "ltr")
    expect(tab.get_by_test_id("key-action-count")).to_have_text("10")
    expect(actions.last.locator(".jh-key-number")).to_have_text("10")
    today_text = tab.get_by_test_id("today").inner_text()
    assert persian.jalali_month_name(today.month, "en") in today_text
    assert str(today.year) in today_text and not PERSIAN_DIGIT.search(today_text)
    for count in tab.locator(".jh-stat, [data-testid=category-count]").all_inner_texts():
        assert LATIN_DIGIT.search(count) and not PERSIAN_DIGIT.search(count), count
    assert not _latin_digits_drawn_as_persian(tab, "[data-testid=key-action-count]"), (
        "the English page holds Latin digits but the font draws them as Persian"
    )
    assert not _has_horizontal_overflow(tab), "the English home page scrolls sideways"
    tab.screenshot(path=artifacts / "home-en.png", full_page=True)

    _switch_language(tab, "fa")
    expect(html).to_have_attribute("dir", "rtl")
    expect(tab.get_by_test_id("key-action-count")).to_have_text("۱۰")

    # On a phone the menu folds away and still nothing scrolls sideways.
    tab.set_viewport_size({"width": 390, "height": 844})
    expect(tab.locator("#jh-nav")).to_be_hidden()
    tab.locator("[data-jh-toggle='#jh-nav']").click()
    expect(tab.locator("#jh-nav")).to_be_visible()
    assert not _has_horizontal_overflow(tab), "the home page scrolls sideways on a phone"
    tab.screenshot(path=artifacts / "home-fa-phone.png")
    watch.assert_clean()


def test_secretariat_searches_agencies_fixes_a_form_and_picks_a_date(  # type: ignore[no-untyped-def]
    journey, live_server, artifacts
) -> None:
    from playwright.sync_api import expect

    tab, watch = journey
    _log_in(tab, live_server, "secretariat")

    # Agencies: typing with Arabic letters finds the Persian name, without reloading the page.
    agencies_url = live_server.url + reverse("organisation:agency_list")
    tab.locator(f"header a[href='{reverse('organisation:agency_list')}']").click()
    expect(tab).to_have_url(agencies_url)
    rows = tab.locator("#jh-rows tbody tr")
    expect(rows.first).to_be_visible()
    all_rows = rows.count()
    assert all_rows > 3
    tab.evaluate("window.jhSamePage = true")
    with tab.expect_response(
        lambda r: "q=" in r.url and r.request.headers.get("hx-request") == "true"
    ):
        tab.locator("input[name=q]").press_sequentially(AGRICULTURE_ARABIC_KEYBOARD, delay=20)
    # The debounce may fire on a partly typed word first; wait for the list the whole word gives.
    expect(rows).not_to_have_count(all_rows)
    expect(rows.filter(has_text=AGRICULTURE)).to_have_count(1)
    assert tab.evaluate("window.jhSamePage === true"), "the search reloaded the whole page"
    assert "q=" in tab.url, "htmx did not push the search into the address bar"
    footer = tab.locator("#jh-rows .card-footer").inner_text()
    assert PERSIAN_DIGIT.search(footer) and not LATIN_DIGIT.search(footer), footer
    assert not _has_horizontal_overflow(tab)
    tab.screenshot(path=artifacts / "agency-search.png", full_page=True)

    # New agency: an invalid form comes back with each error next to its own field.
    tab.locator(f"a[href='{reverse('organisation:agency_create')}']").click()
    expect(tab).to_have_url(live_server.url + reverse("organisation:agency_create"))
    tab.locator("#id_code").fill("1 bad code")
    with tab.expect_navigation():
        tab.locator("main form.jh-form button[type=submit]").click()
    for field_id in ("id_name", "id_code"):
        control = tab.locator(f"#{field_id}")
        expect(control).to_have_attribute("aria-invalid", "true")
        error = tab.locator(f".jh-field:has(#{field_id}) .errorlist")
        expect(error).to_be_visible()
        field_box, error_box = control.bounding_box(), error.bounding_box()
        assert field_box and error_box
        gap = error_box["y"] - (field_box["y"] + field_box["height"])
        assert 0 <= gap < 24, f"the error of {field_id} is {gap}px away from its field"
    expect(tab.locator("#id_code")).to_have_value("1 bad code")
    assert not _has_horizontal_overflow(tab)
    tab.screenshot(path=artifacts / "agency-form-errors.png", full_page=True)

    # Audit trail: the Jalali date picker fills 'From' with a date the filter accepts.
    tab.locator(f"header a[href='{reverse('audit:event_list')}']").click()
    expect(tab).to_have_url(live_server.url + reverse("audit:event_list"))
    since = tab.locator("#id_since")
    since.click()
    picker = tab.locator("jdp-container")
    expect(picker).to_be_visible()
    today = persian.jalali_today()
    first_of_month = picker.locator(".jdp-day:not(.not-in-month):not(.disabled-day)").filter(
        has_text=re.compile("^\u06f1$")
    )
    first_of_month.click()
    expected = persian.to_persian_digits(f"{today.year:04d}/{today.month:02d}/01")
    expect(since).to_have_value(expected)
    expect(picker).to_be_hidden()

    with tab.expect_navigation():
        tab.locator("main form.jh-filters button[type=submit]").click()
    expect(tab.locator("#id_since")).to_have_value(expected)
    expect(tab.locator("main .errorlist")).to_have_count(0)
    tab.locator("#id_since").click()
    expect(picker).to_be_visible()
    expect(picker.locator(".jdp-day.selected")).to_have_text("\u06f1")
    assert not _has_horizontal_overflow(tab)
    # The viewport only: the trail below is long, and the picker is what this shot is for.
    tab.screenshot(path=artifacts / "audit-datepicker.png", animations="disabled")

    watch.assert_clean()
