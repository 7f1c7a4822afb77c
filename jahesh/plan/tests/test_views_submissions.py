"""The secretariat's submission overview and the deadline."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from jahesh.audit.models import AuditEvent
from jahesh.core.persian import to_gregorian
from jahesh.organisation import services as org
from jahesh.organisation.models import Agency
from jahesh.plan.models import PlanYear, ProgrammeState
from jahesh.plan.services import plan_year
from jahesh.plan.tests.views_support import assert_field_error, make_programme, tr

URL = reverse("plan:submissions")
DEADLINE = reverse("plan:deadline_set")


def at(jy: int, jm: int, jd: int) -> datetime.datetime:
    return datetime.datetime.combine(to_gregorian(jy, jm, jd), datetime.time(10),
                                     tzinfo=ZoneInfo("Asia/Tehran"))


def rows_by_code(response) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {row.agency.code: row for row in response.context["overview"].rows}


def test_counts_per_agency_and_state(client_for, province):  # type: ignore[no-untyped-def]
    before = rows_by_code(client_for("secretariat").get(URL))
    make_programme(province, code="customs")
    make_programme(province, code="customs", state=ProgrammeState.SUBMITTED)
    make_programme(province, code="customs", state=ProgrammeState.ACCEPTED)
    make_programme(province, code="post", state=ProgrammeState.APPROVED)

    response = client_for("secretariat").get(URL)
    rows = rows_by_code(response)

    def grew(code: str) -> dict[str, int]:
        return {s: rows[code].counts[s] - before[code].counts[s] for s in ProgrammeState.values}

    assert grew("customs") == {"draft": 1, "submitted": 1, "approved": 0, "accepted": 1}
    assert grew("post") == {"draft": 0, "submitted": 0, "approved": 1, "accepted": 0}
    # Submitted today, long after the end of Farvardin 1403: late.
    assert rows["customs"].late - before["customs"].late == 2
    assert rows["customs"].score == 100
    # Only active agencies are listed, each once.
    assert len(rows) == Agency.objects.filter(province=province, is_active=True).count()


def test_agencies_that_submitted_nothing_are_listed_with_their_drafts(client_for, province):  # type: ignore[no-untyped-def]
    org.agency_create(acting_user=None, province=province, code="lab", name="آزمایشگاه مرجع",
                      category="service")
    response = client_for("secretariat").get(URL)
    nothing = {row.agency.code for row in response.context["overview"].not_submitted}
    assert "lab" in nothing
    org.role_grant(person=org.person_create(acting_user=None, province=province,
                                            username="lab.reporter", password=None),
                   kind="reporter", province=province, agency=Agency.objects.get(code="lab"),
                   acting_user=None)
    org.role_grant(person=org.person_create(acting_user=None, province=province,
                                            username="lab.head", password=None),
                   kind="approver", province=province, agency=Agency.objects.get(code="lab"),
                   acting_user=None)
    make_programme(province, code="lab")
    response = client_for("secretariat").get(URL)
    nothing = {row.agency.code for row in response.context["overview"].not_submitted}
    assert "lab" in nothing, "a draft is not a submission"
    card = response.content.decode().split('data-testid="not-submitted"')[1].split("</section>")[0]
    assert "آزمایشگاه مرجع" in card
    make_programme(province, code="lab", state=ProgrammeState.SUBMITTED)
    response = client_for("secretariat").get(URL)
    assert "lab" not in {r.agency.code for r in response.context["overview"].not_submitted}
    card = response.content.decode().split('data-testid="not-submitted"')[1].split("</section>")[0]
    assert "آزمایشگاه مرجع" not in card


@pytest.mark.parametrize(
    ("today", "text"),
    [
        ((1403, 1, 21), "10 days left"),
        ((1403, 1, 30), "1 day left"),
        ((1403, 1, 31), "The deadline is today."),
        ((1403, 2, 2), "2 days overdue"),
    ],
)
def test_the_deadline_is_jalali_with_days_left_or_overdue(client_for, province, today, text):  # type: ignore[no-untyped-def]
    PlanYear.objects.filter(province=province, year=1403).delete()  # back to the default
    with time_machine.travel(at(*today), tick=False):
        response = client_for("secretariat").get(URL)
    overview = response.context["overview"]
    assert overview.deadline == to_gregorian(1403, 1, 31)
    html = response.content.decode()
    assert "۳۱ فروردین ۱۴۰۳" in html and "۱۴۰۳/۰۱/۳۱" in html
    days = html.split('data-testid="days-left"')[1].split("</p>")[0]
    with time_machine.travel(at(*today), tick=False):
        en = client_for("secretariat")
        en.cookies["jahesh_language"] = "en"
        en_days = en.get(URL).content.decode().split('data-testid="days-left"')[1].split("</p>")[0]
    assert text in en_days
    assert not any(ch.isascii() and ch.isdigit() for ch in days.split(">", 1)[1])


def test_the_secretariat_changes_the_deadline_in_jalali(client_for, province):  # type: ignore[no-untyped-def]
    events = AuditEvent.objects.count()
    response = client_for("secretariat").post(DEADLINE, {"deadline": "۱۴۰۳/۰۲/۱۵"})
    assert response.status_code == 302 and response["Location"] == f"{URL}?year=1403"
    assert plan_year(province, 1403).submission_deadline == to_gregorian(1403, 2, 15)
    event = AuditEvent.objects.latest("id")
    assert AuditEvent.objects.count() == events + 1
    assert (event.event, event.actor.username) == ("plan_year.deadline_set", "secretariat")


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("۱۴۰۴/۱۲/۳۰", "This date does not exist in the Jalali calendar."),
        ("31/01/1403", "Enter a valid Jalali date, such as 1403/02/05."),
        ("", "This field is required."),
    ],
)
def test_a_bad_deadline_is_refused_next_to_the_field(client_for, province, typed, message):  # type: ignore[no-untyped-def]
    before = plan_year(province, 1403).submission_deadline
    events = AuditEvent.objects.count()
    response = client_for("secretariat").post(DEADLINE, {"deadline": typed})
    assert response.status_code == 200
    assert assert_field_error(response, "deadline") == [tr(message)]
    assert plan_year(province, 1403).submission_deadline == before
    assert AuditEvent.objects.count() == events


def test_another_year_can_be_looked_at(client_for, province):  # type: ignore[no-untyped-def]
    response = client_for("secretariat").get(URL, {"year": "۱۴۰۴"})
    assert response.context["overview"].year == 1404
    assert response.context["overview"].deadline == to_gregorian(1404, 1, 31)
    assert all(row.total == 0 for row in response.context["overview"].rows)
    assert client_for("secretariat").get(URL, {"year": "abc"}).context["year"] == 1403
