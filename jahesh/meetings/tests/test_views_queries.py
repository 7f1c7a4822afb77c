"""Queries per page are pinned, and the same for a little data and a lot: no N+1 on the
register, a meeting's page, a resolution's page, a body's page or "our resolutions".

Every page costs, before its own work: the session, the user, the user's roles, and the unread
notifications of the bell (4). Each test makes one request before counting (the session).
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jahesh.meetings import services
from jahesh.meetings.models import Meeting
from jahesh.meetings.tests.test_views_support import (
    agency,
    close,
    issue,
    make_body,
    meeting_in_session,
    no_minutes_pdf,  # noqa: F401 (a fixture)
    who,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_minutes_pdf")]
REGISTER = reverse("meetings:resolution_list")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


def count(client, url: str, params: dict | None = None) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries), "\n".join(q["sql"] for q in queries.captured_queries)


def busy_meeting(body, items: int, per_item: int) -> Meeting:  # type: ignore[no-untyped-def]
    meeting = meeting_in_session(body, items=items)
    province = body.province
    codes = ["agri", "imt", "parks", "water"]
    for item in meeting.items.order_by("order"):
        for n in range(per_item):
            issue(meeting, item=item, text=f"مصوبه {item.order}-{n}",
                  agency_code=codes[n % 4],
                  collaborators=[agency(province, codes[(n + 1) % 4]),
                                 agency(province, codes[(n + 2) % 4])])
    return Meeting.objects.get(pk=meeting.pk)


@pytest.mark.parametrize("username", ["secretariat", "hq"])
def test_the_register_costs_the_same_for_few_resolutions_or_many(client_for, province,
                                                                 username) -> None:  # type: ignore[no-untyped-def]
    client = client_for(username)
    body = make_body(province)
    close(busy_meeting(body, items=1, per_item=1))
    client.get(REGISTER)
    few, _ = count(client, REGISTER, {"body": body.pk})
    close(busy_meeting(body, items=3, per_item=8))
    many, sql = count(client, REGISTER, {"body": body.pk})
    # 4 · the province · count · the page with body, meeting, item, agency · the page's
    # collaborators · the shares by agency · the filters' bodies and agencies
    assert few == many == 13, sql
    overdue, sql = count(client, REGISTER, {"overdue": "on", "state": "notified"})
    assert overdue <= many, sql


def test_a_meeting_page_costs_the_same_for_a_short_agenda_or_a_long_one(client_for,
                                                                      province) -> None:  # type: ignore[no-untyped-def]
    client = client_for("secretariat")
    body = make_body(province)
    for n in range(3):
        services.propose(province=province, source="secretariat", title=f"موضوع {n}",
                         acting_user=who("secretariat"))
    short = busy_meeting(body, items=1, per_item=1)
    long = busy_meeting(body, items=6, per_item=4)
    url = reverse("meetings:meeting_detail", args=[short.uid])
    client.get(url)
    few, _ = count(client, url)
    many, sql = count(client, reverse("meetings:meeting_detail", args=[long.uid]))
    # 4 · the meeting with its body and people · the policy's checks · the items with their
    # presenters and candidates · their resolutions · their collaborators · attendance · the
    # backlog (and the default body) · the people for the presenter lists
    assert few == many == 14, sql


def test_a_resolution_page_costs_the_same_for_a_quiet_one_or_a_busy_one(client_for,
                                                                       province) -> None:  # type: ignore[no-untyped-def]
    body = make_body(province)
    meeting = meeting_in_session(body)
    quiet = issue(meeting, text="آرام")
    busy = issue(meeting, text="پرکار", collaborators=[agency(province, "imt")])
    close(meeting)
    reporter = who("agri.reporter")
    services.resolution_object(resolution=busy, reason="اعتراض", acting_user=reporter)
    objection = busy.objections.get()
    services.objection_decide(objection=objection, decision="upheld", comment="می‌ماند",
                              acting_user=who("secretariat"))
    for n in range(4):
        services.followup_report(
            resolution=busy, text=f"گزارش {n}", acting_user=reporter,
            evidence=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n" + b"0" * 100))
    client = client_for("secretariat")
    client.get(reverse("meetings:resolution_detail", args=[quiet.uid]))
    few, _ = count(client, reverse("meetings:resolution_detail", args=[quiet.uid]))
    many, sql = count(client, reverse("meetings:resolution_detail", args=[busy.uid]))
    # 4 · the resolution with its meeting, body, item and agency · collaborators, cases and
    # projects · objections · follow-ups · the policy's checks (a pending objection, a claim)
    assert few == many == 14, sql


def test_a_body_page_and_our_resolutions_cost_the_same_for_few_or_many(client_for,
                                                                      province) -> None:  # type: ignore[no-untyped-def]
    body = make_body(province)
    close(busy_meeting(body, items=1, per_item=1))
    url = reverse("meetings:body_detail", args=[body.uid])
    ours = reverse("meetings:our_resolutions")
    secretariat, reporter = client_for("secretariat"), client_for("agri.reporter")
    secretariat.get(url)
    reporter.get(ours)
    few_body, _ = count(secretariat, url)
    few_ours, _ = count(reporter, ours)
    for _n in range(3):
        close(busy_meeting(body, items=2, per_item=4))
    many_body, sql = count(secretariat, url)
    assert few_body == many_body == 12, sql
    many_ours, sql = count(reporter, ours)
    assert few_ours == many_ours == 8, sql
