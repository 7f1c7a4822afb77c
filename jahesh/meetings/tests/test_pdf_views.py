"""Who may have a meeting's PDFs, and when: the briefing book before the meeting is closed, the
minutes once it is; both for whoever may see the meeting (permissions.MeetingPolicy). Anyone
else gets a 404, as for the meeting's page, and so does a PDF the meeting does not have yet.

The briefing book is prepared as a background job (the tests' task backend runs it at once):
asking for it leads to the job's page, which links to the file once it is ready.

The PDFs themselves are rendered only where the answer is 200 (a few, as each costs a second);
every refusal is checked without one."""

import uuid

import pytest
from django.urls import reverse

from jahesh.core.persian import to_persian_digits
from jahesh.macrotable.models import JobKind, JobState, MacroJob
from jahesh.meetings import services
from jahesh.meetings.models import BodyKind
from jahesh.meetings.tests.test_pdf_support import build_body, build_meeting, pdf_text, people

pytestmark = pytest.mark.django_db


def _briefing(meeting) -> str:  # type: ignore[no-untyped-def]
    return reverse("meetings:briefing_prepare", args=[meeting.uid])


def _prepared(client, meeting) -> MacroJob:  # type: ignore[no-untyped-def]
    """Ask for the briefing book as the page's button does; the job it leads to."""
    response = client.post(_briefing(meeting))
    assert response.status_code == 302, response.status_code
    job = MacroJob.objects.get(kind=JobKind.BRIEFING, params__meeting=str(meeting.uid),
                               created_by=response.wsgi_request.user)
    assert response["Location"] == reverse("meetings:briefing_job", args=[job.uid])
    return job


def _minutes(meeting) -> str:  # type: ignore[no-untyped-def]
    return reverse("meetings:minutes_pdf", args=[meeting.uid])


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


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


def test_a_member_of_the_body_prepares_the_briefing_book_and_downloads_it(
        client_for, upcoming, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from jahesh.plan.tests.views_support import tr

    client = client_for("agri.head")
    job = _prepared(client, upcoming.meeting)
    assert job.state == JobState.DONE and job.progress == 100
    page = client.get(reverse("meetings:briefing_job", args=[job.uid])).content.decode()
    download = reverse("meetings:briefing_pdf", args=[job.uid])
    assert download in page and tr("Your file is ready.") in page
    assert to_persian_digits(upcoming.meeting.reference) in page  # the way back to the meeting
    response = client.get(download)
    content = _is_pdf(response)
    assert (f'filename="briefing-{upcoming.meeting.reference}.pdf"'
            in response["Content-Disposition"])
    assert upcoming.meeting.body.name.replace("\u200c", "") in pdf_text(content)  # ZWNJ ignored
    # the job and its file are the person's own: the secretariat, who may read the book, does
    # not see this one
    other = client_for("secretariat")
    assert other.get(reverse("meetings:briefing_job", args=[job.uid])).status_code == 404
    assert other.get(download).status_code == 404
    # asking is a POST (a link followed by a crawler starts nothing)
    assert client.get(_briefing(upcoming.meeting)).status_code == 405
    # asking again replaces the person's earlier book, file and all
    again = _prepared(client, upcoming.meeting)
    assert client.get(download).status_code == 404
    assert [p.name for p in tmp_path.glob("briefings/*")] == [f"{again.uid}.pdf"]


def test_a_book_that_cannot_be_made_fails_its_job_with_a_persian_message(
        client_for, upcoming, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from jahesh.core import pdf
    from jahesh.plan.tests.views_support import tr


    def broken(html: str) -> bytes:
        raise OSError("no space left on device")

    monkeypatch.setattr(pdf, "html_to_pdf", broken)
    client = client_for("secretariat")
    job = _prepared(client, upcoming.meeting)
    assert job.state == JobState.FAILED
    page = client.get(reverse("meetings:briefing_job", args=[job.uid])).content.decode()
    assert tr("The briefing book could not be made. Try again; if it fails again, tell the "
              "secretariat.") in page
    assert client.get(reverse("meetings:briefing_pdf", args=[job.uid])).status_code == 404
    assert not list(tmp_path.glob("briefings/*"))  # nothing half-written left behind


def test_a_book_prepared_before_the_meeting_closed_is_gone_after(client_for, upcoming) -> None:  # type: ignore[no-untyped-def]
    client = client_for("secretariat")
    job = _prepared(client, upcoming.meeting)
    services.meeting_start(meeting=upcoming.meeting, acting_user=people()["secretariat"])
    assert client.get(reverse("meetings:briefing_pdf", args=[job.uid])).status_code == 200
    services.meeting_close(meeting=upcoming.meeting, acting_user=people()["secretariat"])
    for name in ("briefing_job", "briefing_job_progress", "briefing_pdf"):
        assert client.get(reverse(f"meetings:{name}", args=[job.uid])).status_code == 404, name


@pytest.mark.parametrize("username", ["agri.reporter", "imt.reporter", "evaluator", "chamber",
                                      "outsider"])
def test_who_does_not_see_the_meeting_gets_404(client_for, other_province, held, upcoming,
                                               username) -> None:
    client = client_for(username)
    assert client.post(_briefing(upcoming.meeting)).status_code == 404
    assert client.get(_minutes(held.meeting)).status_code == 404
    assert not MacroJob.objects.filter(kind=JobKind.BRIEFING).exists()


def test_a_pdf_the_meeting_does_not_have_yet_or_any_more_is_404(client_for, held,
                                                                upcoming) -> None:
    client = client_for("secretariat")
    assert client.get(_minutes(upcoming.meeting)).status_code == 404  # not closed yet
    assert client.post(_briefing(held.meeting)).status_code == 404  # closed: the minutes now
    assert client.post(reverse("meetings:briefing_prepare", args=[uuid.uuid4()])
                       ).status_code == 404
    assert client.get(reverse("meetings:briefing_pdf", args=[uuid.uuid4()])).status_code == 404
    assert client.get(reverse("meetings:minutes_pdf", args=[uuid.uuid4()])).status_code == 404


def test_a_draft_is_for_the_secretariat_only(client_for, province, held) -> None:
    draft = services.meeting_create(body=held.body, starts_at=held.meeting.starts_at,
                                    acting_user=people()["secretariat"])
    for username in ("hq", "agri.head", "governor"):
        assert client_for(username).post(_briefing(draft)).status_code == 404, username
    services.agenda_add(meeting=draft, title="دستور", acting_user=people()["secretariat"])
    assert _prepared(client_for("secretariat"), draft).state == JobState.DONE


def test_the_chamber_reads_its_own_bodys_meetings_only(client_for, province, held) -> None:
    chamber_body = build_body(province, code="KG", kind=BodyKind.CHAMBER_GROUP,
                              name="کارگروه ویژه اتاق بازرگانی")
    chamber_meeting = build_meeting(province, body=chamber_body, close=False)
    client = client_for("chamber")
    assert client.get(_minutes(held.meeting)).status_code == 404
    assert _prepared(client, chamber_meeting.meeting).state == JobState.DONE


def test_anonymous_visitors_are_sent_to_log_in(client, held, upcoming) -> None:
    for method, url in ((client.post, _briefing(upcoming.meeting)),
                        (client.get, _minutes(held.meeting))):
        response = method(url)
        assert response.status_code == 302
        assert "/login" in response["Location"] or "login" in response["Location"]
