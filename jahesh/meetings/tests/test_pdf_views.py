"""Who may have a meeting's PDFs, and when: the briefing book before the meeting is closed, the
minutes once it is; both for whoever may see the meeting (permissions.MeetingPolicy). Anyone
else gets a 404, as for the meeting's page, and so does a PDF the meeting does not have yet.

The PDFs themselves are rendered only where the answer is 200 (a few, as each costs a second);
every refusal is checked without one."""

import uuid

import pytest
from django.urls import reverse

from jahesh.meetings import services
from jahesh.meetings.models import BodyKind
from jahesh.meetings.tests.test_pdf_support import build_body, build_meeting, pdf_text, people

pytestmark = pytest.mark.django_db


def _briefing(meeting) -> str:  # type: ignore[no-untyped-def]
    return reverse("meetings:briefing_pdf", args=[meeting.uid])


def _minutes(meeting) -> str:  # type: ignore[no-untyped-def]
    return reverse("meetings:minutes_pdf", args=[meeting.uid])


@pytest.fixture
def held(province):  # type: ignore[no-untyped-def]
    return build_meeting(province)


@pytest.fixture
def upcoming(province, held):  # type: ignore[no-untyped-def]
    return build_meeting(province, body=held.body, close=False)


def _is_pdf(response) -> bytes:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    content = b"".join(response.streaming_content)
    assert content.startswith(b"%PDF")
    return content


def test_the_secretariat_gets_the_minutes_kept_at_closing(client_for, held) -> None:
    response = client_for("secretariat").get(_minutes(held.meeting))
    content = _is_pdf(response)
    assert f'filename="minutes-{held.meeting.reference}.pdf"' in response["Content-Disposition"]
    with held.meeting.minutes_file.open("rb") as stored:
        assert content == stored.read()


def test_minutes_are_made_again_when_the_kept_file_is_gone(client_for, held) -> None:
    file = held.meeting.minutes_file
    file.storage.delete(file.name)  # the row still names it
    content = _is_pdf(client_for("hq").get(_minutes(held.meeting)))
    assert "JH-۱۴۰۳-۱-۱/۱" in pdf_text(content)  # the hq reads Persian


def test_a_member_of_the_body_gets_the_briefing_book(client_for, upcoming) -> None:
    response = client_for("agri.head").get(_briefing(upcoming.meeting))
    _is_pdf(response)
    assert (f'filename="briefing-{upcoming.meeting.reference}.pdf"'
            in response["Content-Disposition"])


@pytest.mark.parametrize("username", ["agri.reporter", "imt.reporter", "evaluator", "chamber",
                                      "outsider"])
def test_who_does_not_see_the_meeting_gets_404(client_for, other_province, held, upcoming,
                                               username) -> None:
    client = client_for(username)
    assert client.get(_briefing(upcoming.meeting)).status_code == 404
    assert client.get(_minutes(held.meeting)).status_code == 404


def test_a_pdf_the_meeting_does_not_have_yet_or_any_more_is_404(client_for, held,
                                                                upcoming) -> None:
    client = client_for("secretariat")
    assert client.get(_minutes(upcoming.meeting)).status_code == 404  # not closed yet
    assert client.get(_briefing(held.meeting)).status_code == 404  # closed: the minutes now
    assert client.get(reverse("meetings:briefing_pdf", args=[uuid.uuid4()])).status_code == 404
    assert client.get(reverse("meetings:minutes_pdf", args=[uuid.uuid4()])).status_code == 404


def test_a_draft_is_for_the_secretariat_only(client_for, province, held) -> None:
    draft = services.meeting_create(body=held.body, starts_at=held.meeting.starts_at,
                                    acting_user=people()["secretariat"])
    for username in ("hq", "agri.head", "governor"):
        assert client_for(username).get(_briefing(draft)).status_code == 404, username
    services.agenda_add(meeting=draft, title="دستور", acting_user=people()["secretariat"])
    _is_pdf(client_for("secretariat").get(_briefing(draft)))


def test_the_chamber_reads_its_own_bodys_meetings_only(client_for, province, held) -> None:
    chamber_body = build_body(province, code="KG", kind=BodyKind.CHAMBER_GROUP,
                              name="کارگروه ویژه اتاق بازرگانی")
    chamber_meeting = build_meeting(province, body=chamber_body, close=False)
    client = client_for("chamber")
    assert client.get(_minutes(held.meeting)).status_code == 404
    assert client.get(_briefing(chamber_meeting.meeting)).status_code == 200


def test_anonymous_visitors_are_sent_to_log_in(client, held, upcoming) -> None:
    for url in (_briefing(upcoming.meeting), _minutes(held.meeting)):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login" in response["Location"] or "login" in response["Location"]
