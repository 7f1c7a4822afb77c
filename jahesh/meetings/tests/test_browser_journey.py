"""A meeting of the Resistance-Economy HQ from its backlog to the agency's follow-up, in headless
Chromium.

The secretariat opens a new meeting of the body, builds its agenda from the body's backlog (an
agency's proposal and the chamber working group's), orders it and names a presenter, sends the
invitations (the briefing book is prepared from the page's button and downloaded when ready),
starts the session, records the attendance, the discussion and two resolutions for
Agriculture, and closes it (the minutes are downloaded from the page's link). Agriculture's head finds both under "our resolutions",
objects to the first with a reason and reports the second done with a PDF as evidence; the
secretariat accepts it as carried out.

Screenshots land in test-artifacts/meetings-<n>-*.png, the PDFs in
test-artifacts/meetings-briefing.pdf and meetings-minutes.pdf (their text is read back with
pdftotext: both resolutions, in order).
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from jahesh.core import persian
from jahesh.core.tests.test_browser import (
    LATIN_DIGIT,
    PERSIAN_DIGIT,
    _has_horizontal_overflow,
    _log_in,
    artifacts,  # noqa: F401  (fixtures of the browser journeys)
    chromium,  # noqa: F401
    journey,  # noqa: F401
)
from jahesh.demo.meetings_loader import load_meetings
from jahesh.meetings import services
from jahesh.meetings.models import (
    AgendaCandidate,
    Attendance,
    AttendanceStatus,
    Body,
    CandidateSource,
    CandidateState,
    FollowUp,
    Meeting,
    MeetingState,
    Objection,
    ObjectionDecision,
    Resolution,
    ResolutionState,
)
from jahesh.meetings.tests.test_pdf_support import comparable, pdf_text
from jahesh.organisation.models import Agency, Person, Province
from jahesh.plan.models import Project

pytestmark = pytest.mark.browser

PERSIAN_LETTER = re.compile("[\u0600-\u06ff]")
PLACE = "سالن شهید باکری استانداری"
# The body's backlog before the meeting: (source, title).
WAITING = [
    (CandidateSource.AGENCY, "کمبود نهاده دامی مرغداران استان"),
    (CandidateSource.CHAMBER, "صادرات سیب درختی از مرز بازرگان"),
]
DISCUSSION = "نماینده جهاد کشاورزی از تأخیر در تخصیص سهمیه نهاده گزارش داد."
FIRST = "جهاد کشاورزی سهمیه نهاده دامی مرغداران را تا پایان ماه آینده تخصیص دهد."
SECOND = "جهاد کشاورزی فهرست باغداران متقاضی صادرات سیب را به اتاق بازرگانی بفرستد."
OBJECTION = "تخصیص سهمیه در اختیار ستاد تنظیم بازار است و از عهده این دستگاه خارج است."
REPORT = "فهرست صد و بیست باغدار متقاضی تهیه و برای اتاق بازرگانی ارسال شد."


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


def _switch_to(tab, live_server, username: str) -> None:  # type: ignore[no-untyped-def]
    tab.context.clear_cookies()
    _log_in(tab, live_server, username)


def _label(choice) -> str:  # type: ignore[no-untyped-def]
    """A state's name as the Persian page shows it (whatever the catalogue says today)."""
    with translation.override("fa"):
        label = str(choice.label)
    assert PERSIAN_LETTER.search(label), f"the state {choice.value!r} has no Persian name"
    return label


def _jalali(day: datetime.date) -> str:
    """The date as a person types it: Jalali, in Persian digits."""
    return persian.format_jalali_date(day, lang="fa")


def _confirm_step(tab, name: str, **fields: str) -> None:  # type: ignore[no-untyped-def]
    """Open a workflow step (<details data-testid=step-…>), fill it and confirm."""
    step = tab.get_by_test_id(f"step-{name}")
    step.locator("summary").click()
    for field, value in fields.items():
        step.locator(f"[name$='-{field}']").fill(value)
    with tab.expect_navigation():
        step.locator("button[type=submit]").click()


def _download(tab, live_server, link, path) -> bytes:  # type: ignore[no-untyped-def]
    """The file behind a link of the page, fetched with the browser's own session (its
    cookies: the request API of the logged-in context), kept at `path`."""
    href = link.get_attribute("href")
    assert href, "the link has no address"
    response = tab.context.request.get(live_server.url + href)
    assert response.ok, f"{response.status} for {href}"
    assert response.headers["content-type"] == "application/pdf"
    content = response.body()
    assert content.startswith(b"%PDF-")
    path.write_bytes(content)
    return content


def _flat(text: str) -> str:
    """Text to compare: no ZWNJ, one space between words, none before a full stop (pdftotext
    sets the stop after a right-to-left run apart)."""
    return re.sub(r"\s+([.،])", r"\1", re.sub(r"\s+", " ", comparable(text))).strip()


def _in_order(text: str, parts: list[str]) -> list[int]:
    """Where each part starts in the PDF's text, each after the one before. A table cell
    wraps long text, and pdftotext reads a row's first lines before the rest of its cells: a
    part is found when its words come in order, its first three together (the cell's first
    line)."""
    found, at = [], 0
    for part in parts:
        words = _flat(part).split()
        start = text.find(" ".join(words[:3]), at)
        assert start >= 0, f"{part!r} is not in the PDF after position {at}: {text[at:]!r}"
        end = start
        for word in words:
            end = text.find(word, end)
            assert end >= 0, f"the word {word!r} of {part!r} is not in the PDF in its place"
            end += len(word)
        found.append(start)
        at = start + len(" ".join(words[:3]))
    return found


def _evidence_pdf() -> bytes:
    """A small, valid one-page PDF: the letter that went to the chamber."""
    from weasyprint import HTML

    return HTML(string="<html lang='fa' dir='rtl'><body><p>نامه ارسال فهرست باغداران</p>"
                       "</body></html>").write_pdf()


def test_secretariat_holds_a_meeting_and_the_agency_follows_its_resolutions(  # type: ignore[no-untyped-def]
        journey, live_server, artifacts):  # noqa: F811
    from playwright.sync_api import expect

    tab, watch = journey
    province = Province.objects.get(code="east-azerbaijan")
    # The demo's bodies and meetings, as `jahesh demo` loads them (the tests' province has none).
    load_meetings(province, Person.objects.get(username="secretariat"))
    body = Body.objects.get(province=province, code="EM")
    agri = Agency.objects.get(province=province, code="agri")
    head = Person.objects.get(username="agri.head")
    candidates = [services.propose(province=province, source=source, title=title, body=body,
                                   acting_user=Person.objects.get(username="secretariat"))
                  for source, title in WAITING]
    today = timezone.localdate()
    starts = today + datetime.timedelta(days=3)
    first_deadline = today + datetime.timedelta(days=30)
    second_deadline = today + datetime.timedelta(days=45)
    meetings_before = set(Meeting.objects.filter(body=body).values_list("pk", flat=True))

    # --- The secretariat opens a meeting of the body -------------------------------------------
    _log_in(tab, live_server, "secretariat")
    tab.locator(f"header a[href='{reverse('meetings:body_list')}']").click()
    tab.get_by_test_id("body").filter(has_text=body.name).locator("a").first.click()
    expect(tab.locator("h1")).to_contain_text(body.name)
    with tab.expect_navigation():
        tab.get_by_test_id("meeting-create").click()
    form = tab.locator("main form.jh-form")
    form.locator("input[name=date]").fill(_jalali(starts))
    tab.locator("h1").click()  # away from the date picker
    form.locator("input[name=time]").fill("10:30")
    form.locator("input[name=place]").fill(PLACE)
    with tab.expect_navigation():
        form.locator("button[type=submit]").first.click()
    meeting = Meeting.objects.exclude(pk__in=meetings_before).get(body=body)
    assert meeting.state == MeetingState.DRAFT
    assert timezone.localtime(meeting.starts_at).date() == starts
    assert (meeting.chair.username, meeting.secretary.username) == ("governor", "secretariat")
    expect(tab).to_have_url(re.compile(re.escape(
        reverse("meetings:meeting_detail", args=[meeting.uid]))))
    head_box = tab.get_by_test_id("meeting-head")
    reference = persian.to_persian_digits(meeting.reference)
    expect(head_box).to_contain_text(reference)
    expect(head_box.locator("h1")).to_contain_text(
        f"جلسه شماره {persian.to_persian_digits(meeting.number)}")
    expect(head_box).to_contain_text(PLACE)
    expect(head_box.get_by_test_id("meeting-state")).to_have_text(_label(MeetingState.DRAFT))
    assert PERSIAN_DIGIT.search(head_box.inner_text()), "the meeting's head has no Persian digit"
    assert not LATIN_DIGIT.search(head_box.locator("h1").inner_text()), \
        "the meeting's number is written in Latin digits"
    backlog = tab.get_by_test_id("backlog")
    for _source, title in WAITING:
        expect(backlog).to_contain_text(title)
    expect(tab.get_by_test_id("agenda").get_by_test_id("item")).to_have_count(0)
    tab.screenshot(path=artifacts / "meetings-1-draft-with-backlog.png", full_page=True)

    # --- The agenda from the backlog: both items, the chamber's first, with a presenter --------
    for _source, title in WAITING:
        backlog.get_by_test_id("candidate").filter(has_text=title).locator("button").click()
        expect(tab.get_by_test_id("agenda")).to_contain_text(title)
    items = tab.get_by_test_id("agenda").get_by_test_id("item")
    expect(items).to_have_count(2)
    expect(tab.get_by_test_id("backlog")).not_to_contain_text(WAITING[0][1])
    items.nth(1).locator("button[aria-label]").first.click()  # the chamber's item up
    expect(items.nth(0)).to_contain_text(WAITING[1][1])
    expect(items.nth(1)).to_contain_text(WAITING[0][1])
    second_item = items.nth(1)
    second_item.locator("details summary").click()
    second_item.locator("input[name$=presenter_name]").fill("معاون بهبود تولیدات دامی")
    with tab.expect_navigation():
        second_item.get_by_test_id("item-form").locator("button[type=submit]").click()
    expect(items.nth(1)).to_contain_text("معاون بهبود تولیدات دامی")
    for candidate in candidates:
        candidate.refresh_from_db()
        assert (candidate.state, candidate.meeting_id) == (CandidateState.SCHEDULED, meeting.pk)
    assert list(meeting.items.order_by("order").values_list("candidate_id", flat=True)) == [
        candidates[1].pk, candidates[0].pk]
    assert not _has_horizontal_overflow(tab)
    tab.screenshot(path=artifacts / "meetings-2-agenda-built.png", full_page=True)

    # --- Invitations with the agenda; the briefing book ---------------------------------------
    _confirm_step(tab, "schedule")
    expect(tab.get_by_test_id("meeting-state")).to_have_text(_label(MeetingState.SCHEDULED))
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.SCHEDULED
    invited = set(Attendance.objects.filter(meeting=meeting).values_list(
        "person__username", flat=True))
    assert {"governor", "agri.head", "mpo.head"} <= invited
    # The book is prepared in the background; its page links to it once it is ready.
    with tab.expect_navigation():
        tab.get_by_test_id("briefing-pdf").click()
    ready = tab.locator("#jh-job a[href$='briefing.pdf']")
    expect(ready).to_be_visible()
    tab.screenshot(path=artifacts / "meetings-3-briefing-ready.png", full_page=True)
    briefing = _download(tab, live_server, ready, artifacts / "meetings-briefing.pdf")
    with tab.expect_navigation():
        tab.locator(".breadcrumb a", has_text=persian.to_persian_digits(meeting.reference)).click()
    briefing_text = _flat(pdf_text(briefing))
    assert body.name in briefing_text and "گزارش توجیهی جلسه" in briefing_text
    assert briefing_text.index(WAITING[1][1]) < briefing_text.index(WAITING[0][1]), \
        "the briefing book's agenda is not in the meeting's order"
    tab.screenshot(path=artifacts / "meetings-3-scheduled.png", full_page=True)

    # --- The session: attendance, the discussion, two resolutions for Agriculture -------------
    _confirm_step(tab, "start")
    expect(tab.get_by_test_id("meeting-state")).to_have_text(_label(MeetingState.IN_SESSION))
    sheet = tab.get_by_test_id("attendance-form")
    for username, status in (("governor", AttendanceStatus.PRESENT),
                             ("agri.head", AttendanceStatus.PRESENT),
                             ("mpo.head", AttendanceStatus.ABSENT)):
        person = Person.objects.get(username=username)
        sheet.locator(f"select[name$='status_{person.pk}']").select_option(status.value)
    with tab.expect_navigation():
        sheet.locator("button[type=submit]").click()
    assert Attendance.objects.get(meeting=meeting, person=head).status == AttendanceStatus.PRESENT

    items = tab.get_by_test_id("agenda").get_by_test_id("item")
    poultry = items.nth(1)
    poultry.locator("details summary").click()
    poultry.locator("textarea[name$=discussion]").fill(DISCUSSION)
    with tab.expect_navigation():
        poultry.get_by_test_id("item-form").locator("button[type=submit]").click()
    expect(items.nth(1).get_by_test_id("discussion")).to_contain_text(DISCUSSION)

    # The first resolution on the poultry item (second on the agenda) would come second in the
    # minutes; the apple item's resolution is recorded after it but numbered first.
    projects = Project.objects.filter(programme__province=province,
                                      programme__year=province.current_year).order_by("id")
    linked = [projects[0], next(p for p in projects if p.title[:12] != projects[0].title[:12])]
    for index, text, deadline in ((1, FIRST, first_deadline), (0, SECOND, second_deadline)):
        with tab.expect_navigation():
            items.nth(index).get_by_test_id("add-resolution").click()
        resolution_form = tab.locator("main form.jh-form")
        resolution_form.locator("textarea[name=text]").fill(text)
        resolution_form.locator("select[name=responsible_agency]").select_option(str(agri.pk))
        resolution_form.locator("input[name=deadline]").fill(_jalali(deadline))
        tab.locator("h1").click()  # away from the date picker
        if index == 1:
            # Two projects linked by typing part of their titles; the second taken away again.
            picker = resolution_form.locator("[data-jh-picker][data-field-name=projects]")
            for project in linked:
                picker.locator("input[type=text]").press_sequentially(project.title[:12],
                                                                       delay=20)
                picker.locator("[role=option]", has_text=project.title).first.click()
                expect(picker.locator(f"input[type=checkbox][value='{project.pk}']")
                       ).to_be_checked()
            picker.locator(f"input[type=checkbox][value='{linked[1].pk}']").uncheck()
            assert not _has_horizontal_overflow(tab)
            tab.screenshot(path=artifacts / "meetings-4-resolution-form.png", full_page=True)
        with tab.expect_navigation():
            resolution_form.locator("button[type=submit]:not([name=another])").click()
        expect(items.nth(index).get_by_test_id("resolutions")).to_contain_text(text)

    objected = Resolution.objects.get(meeting=meeting, text=FIRST)
    reported = Resolution.objects.get(meeting=meeting, text=SECOND)
    assert (objected.state, reported.state) == (ResolutionState.ISSUED, ResolutionState.ISSUED)
    assert list(objected.projects.all()) == [linked[0]] and not reported.projects.exists()
    assert (objected.responsible_agency_id, reported.responsible_agency_id) == (agri.pk, agri.pk)
    assert (objected.deadline, reported.deadline) == (first_deadline, second_deadline)
    assert reported.reference == f"{meeting.reference}-1/1"
    assert objected.reference == f"{meeting.reference}-2/1"
    for resolution in (objected, reported):
        # The numbers as the table shows them: Persian digits, no Latin one.
        number = persian.to_persian_digits(resolution.reference)
        cell = tab.get_by_test_id("resolutions").locator("a", has_text=number)
        expect(cell).to_have_count(1)
        assert not LATIN_DIGIT.search(cell.inner_text())
        row = tab.get_by_test_id("resolutions").locator("tr", has_text=number)
        expect(row.get_by_test_id("resolution-state")).to_have_text(
            _label(ResolutionState.ISSUED))
        expect(row).to_contain_text(agri.name)
        expect(row).to_contain_text(_jalali(resolution.deadline))
    tab.screenshot(path=artifacts / "meetings-5-in-session.png", full_page=True)

    # --- Closing: the resolutions are notified, the minutes are there --------------------------
    _confirm_step(tab, "close")
    expect(tab.get_by_test_id("meeting-state")).to_have_text(_label(MeetingState.CLOSED))
    expect(tab.get_by_test_id("briefing-pdf")).to_have_count(0)
    expect(tab.get_by_test_id("step-schedule")).to_have_count(0)
    for row in tab.get_by_test_id("resolutions").locator("tbody tr").all():
        expect(row.get_by_test_id("resolution-state")).to_have_text(
            _label(ResolutionState.NOTIFIED))
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.CLOSED and meeting.closed_at is not None
    minutes = _download(tab, live_server, tab.get_by_test_id("minutes-pdf"),
                        artifacts / "meetings-minutes.pdf")
    minutes_text = _flat(pdf_text(minutes))
    # Both resolutions in the table, in the agenda's order, numbered in Persian digits.
    starts_at = _in_order(minutes_text, [persian.to_persian_digits(reported.reference), SECOND,
                                         persian.to_persian_digits(objected.reference), FIRST])
    assert starts_at == sorted(starts_at)
    assert _flat(DISCUSSION) in minutes_text
    assert "صورتجلسه" in minutes_text and body.name in minutes_text
    assert not LATIN_DIGIT.search(minutes_text), "the minutes hold Latin digits"
    tab.screenshot(path=artifacts / "meetings-6-closed.png", full_page=True)
    for resolution in (objected, reported):
        resolution.refresh_from_db()
        assert resolution.state == ResolutionState.NOTIFIED
        assert resolution.objection_until is not None and resolution.objection_until > today

    # --- Agriculture's head: our resolutions ---------------------------------------------------
    _switch_to(tab, live_server, "agri.head")
    tab.locator(f"header a[href='{reverse('meetings:our_resolutions')}']").click()
    expect(tab).to_have_url(live_server.url + reverse("meetings:our_resolutions"))
    expect(tab.locator("main h1")).to_have_text("مصوبات ما")
    ours = tab.locator("main table tbody")
    for resolution in (objected, reported):
        row = ours.locator(f"tr[data-resolution='{resolution.uid}']")
        expect(row).to_contain_text(resolution.text)
        expect(row).to_contain_text(body.name)
        expect(row.locator("a")).to_have_text(persian.to_persian_digits(resolution.reference))
        expect(row.get_by_test_id("resolution-state")).to_have_text(
            _label(ResolutionState.NOTIFIED))
    assert not _has_horizontal_overflow(tab)
    tab.screenshot(path=artifacts / "meetings-7-our-resolutions.png", full_page=True)

    # It objects to the first, giving its reason.
    ours.locator(f"tr[data-resolution='{objected.uid}'] a").click()
    expect(tab.get_by_test_id("text")).to_have_text(FIRST)
    expect(tab.get_by_test_id("objection-until")).to_contain_text(
        _jalali(objected.objection_until))
    _confirm_step(tab, "object", reason=OBJECTION)
    expect(tab.get_by_test_id("pending-objection")).to_contain_text("در انتظار تصمیم دبیرخانه")
    expect(tab.get_by_test_id("timeline")).to_contain_text(OBJECTION)
    expect(tab.get_by_test_id("step-object")).to_have_count(0)  # one objection at a time
    objection = Objection.objects.get(resolution=objected)
    assert (objection.reason, objection.raised_by_id, objection.decision) == (
        OBJECTION, head.pk, ObjectionDecision.PENDING)
    tab.screenshot(path=artifacts / "meetings-8-objected.png", full_page=True)

    # It reports the second done, with the letter as evidence.
    tab.locator(f"header a[href='{reverse('meetings:our_resolutions')}']").click()
    ours.locator(f"tr[data-resolution='{reported.uid}'] a").click()
    expect(tab.get_by_test_id("text")).to_have_text(SECOND)
    step = tab.get_by_test_id("step-followup")
    step.locator("summary").click()
    step.locator("textarea[name$='-text']").fill(REPORT)
    step.locator("input[name$='-claims_done']").check()
    step.locator("input[name$='-evidence']").set_input_files(files=[{
        "name": "نامه-اتاق-بازرگانی.pdf", "mimeType": "application/pdf",
        "buffer": _evidence_pdf()}])
    with tab.expect_navigation():
        step.locator("button[type=submit]").click()
    timeline = tab.get_by_test_id("timeline")
    expect(timeline).to_contain_text(REPORT)
    evidence = timeline.locator("a[href*='/evidence/']")
    expect(evidence).to_have_count(1)
    expect(evidence).to_contain_text("نامه-اتاق-بازرگانی")
    # The report starts the work; the secretariat is asked to accept it.
    expect(tab.get_by_test_id("resolution-head").get_by_test_id("resolution-state")).to_have_text(
        _label(ResolutionState.IN_PROGRESS))
    followup = FollowUp.objects.get(resolution=reported)
    assert followup.claims_done and followup.evidence and followup.agency_id == agri.pk
    assert followup.accepted_at is None
    assert evidence.evaluate("a => fetch(a.href).then(r => r.status)") == 200
    tab.screenshot(path=artifacts / "meetings-9-reported-done.png", full_page=True)

    # The same page on the head's phone.
    tab.set_viewport_size({"width": 390, "height": 844})
    tab.reload()
    expect(tab.get_by_test_id("resolution-head")).to_contain_text(
        persian.to_persian_digits(reported.reference))
    assert not _has_horizontal_overflow(tab), "the resolution page scrolls sideways on a phone"
    tab.screenshot(path=artifacts / "meetings-10-resolution-phone.png", full_page=True)
    tab.set_viewport_size({"width": 1366, "height": 900})

    # --- The secretariat accepts it as carried out ---------------------------------------------
    _switch_to(tab, live_server, "secretariat")
    tab.goto(live_server.url + reverse("meetings:resolution_detail", args=[reported.uid]))
    _confirm_step(tab, "accept")
    expect(tab.get_by_test_id("resolution-head").get_by_test_id("resolution-state")).to_have_text(
        _label(ResolutionState.DONE))
    expect(tab.get_by_test_id("timeline")).to_contain_text(REPORT)
    tab.screenshot(path=artifacts / "meetings-11-accepted-done.png", full_page=True)
    reported.refresh_from_db()
    objected.refresh_from_db()
    assert reported.state == ResolutionState.DONE and reported.done_at is not None
    assert objected.state == ResolutionState.NOTIFIED  # its objection still waits
    tab.goto(live_server.url + reverse("meetings:resolution_detail", args=[objected.uid]))
    expect(tab.get_by_test_id("step-decide")).to_be_visible()
    tab.screenshot(path=artifacts / "meetings-12-objection-to-decide.png", full_page=True)
    assert not AgendaCandidate.objects.filter(pk__in=[c.pk for c in candidates],
                                              state=CandidateState.PROPOSED).exists()
    watch.assert_clean()
