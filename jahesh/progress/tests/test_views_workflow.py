"""The report's life through the pages: started from "my reports", submitted, returned with a
comment that stays in the history, approved and verified; the buttons each person sees; the
month's window in words; stale pages; and the lists of reports of agency people and of the
province. Bahman 1403 is reported from 1403/12/01 to 12/10, late until 12/15."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from jahesh.audit.models import AuditEvent
from jahesh.plan.tests.views_support import tr
from jahesh.progress import services
from jahesh.progress.models import ProgressReport
from jahesh.progress.tests.support import (
    _media,  # noqa: F401
    _no_reopenings,  # noqa: F401
    agency,
    demo_project,
    demo_report,
    on,
    period,
    who,
)

pytestmark = pytest.mark.django_db

LIST = reverse("progress:report_list")


def detail_url(report: ProgressReport) -> str:
    return reverse("progress:report_detail", args=[report.uid])


def step(client, report: ProgressReport, name: str, **fields):  # type: ignore[no-untyped-def]
    report.refresh_from_db()
    data = {f"{name}-version": report.version, f"{name}-state": report.state,
            **{f"{name}-{k}": v for k, v in fields.items()}}
    return client.post(reverse(f"progress:report_{name}", args=[report.uid]), data)


def history(report: ProgressReport) -> list[tuple[str, str]]:
    return [(e.event, e.actor.username) for e in AuditEvent.objects.filter(
        target_type="progress.progressreport", target_id=str(report.pk)).order_by("id")]


def test_a_month_is_reported_through_the_pages_by_its_people(client_for, province) -> None:  # type: ignore[no-untyped-def]
    with on(1403, 12, 3):
        reporter, head, secretariat = (client_for(u) for u in
                                       ("agri.reporter", "agri.head", "secretariat"))
        page = reporter.get(LIST, {"year": "1403", "month": "11"}).content.decode()
        project = demo_project(province)
        assert f'value="{project.uid}"' in page and tr("Start the report") in page
        response = reporter.post(reverse("progress:report_start"),
                                 {"project": project.uid, "year": 1403, "month": 11})
        report = ProgressReport.objects.get(project=project, period__month=11)
        assert response["Location"] == reverse("progress:report_edit", args=[report.uid])
        assert tr("Continue") in reporter.get(LIST, {"year": "1403", "month": "11"}
                                              ).content.decode()
        from jahesh.progress.tests.support import on_plan

        on_plan(report)
        assert step(reporter, report, "submit").status_code == 302
        # The head returns it with a comment; the comment stays.
        response = step(head, report, "return", comment="")
        assert response.status_code == 200
        assert response.context["forms"]["return"].errors["comment"]
        assert step(head, report, "return", comment="مستندات بازدید پیوست شود").status_code == 302
        page = reporter.get(detail_url(report)).content.decode()
        assert "مستندات بازدید پیوست شود" in page
        assert step(reporter, report, "submit").status_code == 302
        assert step(head, report, "approve", comment="").status_code == 302
        assert step(secretariat, report, "verify", comment="تایید شد").status_code == 302
    report.refresh_from_db()
    assert report.state == "verified" and report.is_late is False
    assert history(report) == [
        ("report.started", "agri.reporter"), ("report.saved", "agri.reporter"),
        ("report.submitted", "agri.reporter"), ("report.returned", "agri.head"),
        ("report.submitted", "agri.reporter"), ("report.approved", "agri.head"),
        ("report.verified", "secretariat"),
    ]


@pytest.mark.parametrize(("state", "persona", "buttons"), [
    ("draft", "agri.reporter", {"submit"}),
    ("draft", "agri.head", {"submit"}),
    ("draft", "secretariat", set()),
    ("submitted", "agri.head", {"approve", "return"}),
    ("submitted", "agri.reporter", set()),
    ("approved", "secretariat", {"verify", "return"}),
    ("approved", "agri.head", set()),
    ("approved", "hq", set()),
    ("verified", "secretariat", set()),
])
def test_each_person_sees_the_steps_they_may_take(client_for, province, state, persona,  # type: ignore[no-untyped-def]
                                                  buttons) -> None:
    with on(1403, 12, 5):
        report = demo_report(province, state)
        response = client_for(persona).get(detail_url(report))
    assert set(response.context["forms"]) == buttons
    html = response.content.decode()
    for name in ("submit", "approve", "return", "verify"):
        action = reverse(f"progress:report_{name}", args=[report.uid])
        assert (f'action="{action}"' in html) is (name in buttons)


@pytest.mark.parametrize(("day", "label"), [
    ((1403, 11, 20), "Not open yet"),
    ((1403, 12, 5), "Open"),
    ((1403, 12, 12), "Grace period (late)"),
    ((1403, 12, 20), "Locked"),
])
def test_the_report_page_says_where_the_month_stands(client_for, province, day, label) -> None:  # type: ignore[no-untyped-def]
    with on(1403, 12, 5):
        report = demo_report(province)
    with on(*day):
        response = client_for("agri.reporter").get(detail_url(report))
    assert str(response.context["detail"].window_label) == tr(label)
    assert f'data-testid="window" title="{tr("Reporting window of the month")}">{tr(label)}<' \
        in response.content.decode()


def test_a_reopened_month_says_so_until_when(client_for, province) -> None:  # type: ignore[no-untyped-def]
    with on(1403, 12, 5):
        report = demo_report(province)
    with on(1403, 12, 20):
        services.period_reopen(period=period(province, 11), acting_user=who("secretariat"),
                               until=period(province, 12).opens_on, reason="قطعی سامانه")
        page = client_for("agri.reporter").get(detail_url(report)).content.decode()
    assert tr("Reopened") in page and "۱۴۰۴/۰۱/۰۱" in page


def test_a_report_sent_in_the_grace_period_is_marked_late(client_for, province) -> None:  # type: ignore[no-untyped-def]
    with on(1403, 12, 5):
        report = demo_report(province)
    with on(1403, 12, 12):
        assert step(client_for("agri.reporter"), report, "submit").status_code == 302
        page = client_for("secretariat").get(LIST, {"year": 1403, "month": 11}).content.decode()
    report.refresh_from_db()
    assert report.is_late is True
    row = page.split(f'data-report="{report.uid}"')[1].split("</tr>")[0]
    assert tr("Late") in row


def test_a_step_from_a_stale_page_does_nothing_and_says_why(client_for, province) -> None:  # type: ignore[no-untyped-def]
    with on(1403, 12, 5):
        report = demo_report(province, "submitted")
        seen = {"approve-version": report.version, "approve-state": report.state}
        services.report_return(report=report, acting_user=who("agri.head"), comment="اصلاح شود")
        services.report_submit(report=report, acting_user=who("agri.reporter"))
        response = client_for("agri.head").post(
            reverse("progress:report_approve", args=[report.uid]), seen)
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        tr("The report changed after you opened the page, so nothing was done. Look at it again "
           "and then choose what to do.")]
    report.refresh_from_db()
    assert report.state == "submitted"


def test_a_refused_step_shows_the_reasons(client_for, province) -> None:  # type: ignore[no-untyped-def]
    with on(1403, 12, 5):
        report = services.report_start(project=demo_project(province),
                                       period=period(province, 11),
                                       acting_user=who("agri.reporter"))
        response = step(client_for("agri.reporter"), report, "submit")
    assert response.status_code == 200
    errors = response.context["workflow_errors"]
    assert errors[0].startswith(tr("Enter the actual value of every indicator. Missing: %(names)s.")
                                .split("%(names)s")[0])


# --- The lists ----------------------------------------------------------------------------------

def test_agency_people_see_their_projects_month_by_month(client_for, province) -> None:  # type: ignore[no-untyped-def]
    with on(1403, 12, 5):
        demo_report(province, "submitted")
        response = client_for("agri.head").get(LIST)
    page = response.content.decode()
    data = response.context["data"]
    assert data.month.period.month == 11  # Bahman is being reported
    assert [c.name for c in data.months][:2] == ["فروردین", "اردیبهشت"]
    assert "بهمن" in page and tr("Open") in page
    agencies = {row.project.programme.agency.code for row in data.rows}
    assert agencies == {"agri"}
    assert response.context["queue"]["approve"] == 1
    with on(1403, 12, 5):
        others = client_for("imt.reporter").get(LIST).context["data"]
    assert {row.project.programme.agency.code for row in others.rows} == {"imt"}


def test_the_province_list_filters_and_shows_what_waits_for_verification(  # type: ignore[no-untyped-def]
    client_for, province
) -> None:
    with on(1403, 12, 5):
        report = demo_report(province, "approved")
        secretariat = client_for("secretariat")
        page = secretariat.get(LIST)
        # The demo: water's Bahman reports are approved too.
        approved = ProgressReport.objects.filter(state="approved", period__year=1403)
        assert page.context["queue"]["verify"] == approved.count() > 1
        assert "?year=1403&amp;state=approved" in page.content.decode()
        rows = secretariat.get(LIST, {"year": 1403, "state": "approved"}).context["page"]
        assert {r.agency.code for r in rows} == {"agri", "water"}
        rows = secretariat.get(LIST, {"year": 1403, "month": 11, "state": "approved",
                                      "agency": agency(province, "agri").pk}).context["page"]
        assert [r.pk for r in rows] == [report.pk]
        rows = secretariat.get(LIST, {"year": "۱۴۰۳", "status": "off_track"}).context["page"]
        assert rows.paginator.count and all(r.status == "off_track" for r in rows)
        assert client_for("hq").get(LIST).context["queue"]["verify"] == 0
