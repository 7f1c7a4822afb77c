"""The agenda builder in a real browser: the backlog's and the agenda's buttons work through
htmx (the page's main part is swapped, not reloaded), and nothing breaks the
Content-Security-Policy or fails on the way."""

import pytest
from django.urls import reverse

from jahesh.core.tests.test_browser import _log_in, artifacts, chromium, journey  # noqa: F401
from jahesh.meetings import services
from jahesh.meetings.models import AgendaCandidate, AgendaItem
from jahesh.meetings.tests.test_views_support import draft_meeting, make_body, who

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_agenda_is_built_without_reloading_the_page(  # type: ignore[no-untyped-def]
        journey, live_server, province, artifacts) -> None:  # noqa: F811
    from playwright.sync_api import expect

    tab, watch = journey
    body = make_body(province)
    candidate = services.propose(province=province, source="chamber",
                                 title="کمبود نقدینگی واحدهای نساجی", acting_user=who("chamber"))
    AgendaCandidate.objects.filter(pk=candidate.pk).update(body=body)
    meeting = draft_meeting(body, items=2)
    _log_in(tab, live_server, "secretariat")
    tab.goto(live_server.url + reverse("meetings:meeting_detail", args=[meeting.uid]))
    # A mark on the window: a full reload would lose it, an htmx swap keeps it.
    tab.evaluate("window.jhStillHere = true")
    tab.locator("[data-testid=backlog] [data-testid=candidate]",
                has_text="کمبود نقدینگی").locator("button").click()
    expect(tab.locator("[data-testid=agenda] [data-testid=item]")).to_have_count(3)
    expect(tab.locator("[data-testid=agenda] [data-testid=item]").nth(2)).to_contain_text(
        "کمبود نقدینگی")
    # Up one place, then off the agenda again.
    tab.locator("[data-testid=item]").nth(2).locator("button[aria-label]").first.click()
    expect(tab.locator("[data-testid=item]").nth(1)).to_contain_text("کمبود نقدینگی")
    tab.locator("[data-testid=item]").nth(1).locator("button.btn-outline-danger").click()
    expect(tab.locator("[data-testid=agenda] [data-testid=item]")).to_have_count(2)
    expect(tab.locator("[data-testid=backlog]")).to_contain_text("کمبود نقدینگی")
    assert tab.evaluate("window.jhStillHere === true")
    assert list(AgendaItem.objects.filter(meeting=meeting).order_by("order")
                .values_list("title", flat=True)) == ["دستور شماره 1", "دستور شماره 2"]
    tab.screenshot(path=artifacts / "meetings-agenda.png", full_page=True)
    watch.assert_clean()
