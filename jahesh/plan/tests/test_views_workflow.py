"""The programme's life through the pages: draft → submitted → approved → returned → … →
accepted and levelled, change requests, the quality check that blocks a submission, stale pages
and concurrent edits, and the audit trail each step leaves."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils.html import escape

from jahesh.audit.models import AuditEvent
from jahesh.core.persian import to_gregorian
from jahesh.plan import services
from jahesh.plan.models import (
    ChangeRequest,
    Indicator,
    Programme,
    ProgrammeComment,
    ProgrammeState,
    Project,
)
from jahesh.plan.tests.views_support import (
    MARK,
    action_data,
    agency,
    detail_url,
    field_block,
    indicator_data,
    make_programme,
    months,
    person,
    programme_data,
    project_data,
    step_data,
    tr,
)

STALE_RECORD = ("Someone else changed this record after you opened it. The form now shows their "
                "version; make your change again.")
STALE_PROGRAMME = ("The programme changed after you opened the page, so nothing was done. Look "
                   "at it again and then choose what to do.")


def tehran(jy: int, jm: int, jd: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(to_gregorian(jy, jm, jd), datetime.time(hour, minute),
                                     tzinfo=ZoneInfo("Asia/Tehran"))


def post_step(client, programme: Programme, step: str, **fields):  # type: ignore[no-untyped-def]
    urls = {"submit": "programme_submit", "approve": "programme_approve",
            "return": "programme_return", "accept": "programme_accept",
            "comment": "programme_comment", "change": "change_request_open"}
    programme.refresh_from_db()
    return client.post(reverse(f"plan:{urls[step]}", args=[programme.pk]),
                       step_data(programme, step, **fields))


def flashed(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(m) for m in get_messages(response.wsgi_request)]


def trail(programme: Programme) -> list[tuple[str, str]]:
    events = AuditEvent.objects.filter(
        target_type="plan.programme", target_id=str(programme.pk)).order_by("at", "id")
    return [(e.event, e.actor.username if e.actor else "") for e in events]


@time_machine.travel(tehran(1403, 1, 25, 9), tick=True)
def test_the_whole_workflow_through_the_pages(client_for, province):  # type: ignore[no-untyped-def]
    reporter, head, secretariat = (client_for("agri.reporter"), client_for("agri.head"),
                                   client_for("secretariat"))
    # It is Farvardin 1403; the secretariat gives agencies five more days.
    response = secretariat.post(reverse("plan:deadline_set"), {"deadline": "۱۴۰۳/۰۲/۰۵"})
    assert response.status_code == 302

    # The reporter writes the programme, a project, an indicator and a required action.
    response = reporter.post(reverse("plan:programme_create"), programme_data(province))
    programme = Programme.objects.get(title__contains=MARK)
    assert response["Location"] == detail_url(programme)
    reporter.post(reverse("plan:project_create", args=[programme.pk]), project_data())
    project = Project.objects.get(programme=programme)
    response = reporter.post(reverse("plan:indicator_create", args=[project.pk]),
                             indicator_data(baseline="۱۲٬۰۰۰", target="۱۸٬۰۰۰"))
    assert response.status_code == 302
    reporter.post(reverse("plan:action_create", args=[project.pk]),
                  action_data(agency(province, "water")))

    # The quality check finds nothing to fix, so the reporter submits.
    page = reporter.get(detail_url(programme))
    assert page.context["detail"].quality.errors == []
    assert reverse("plan:programme_submit", args=[programme.pk]) in page.content.decode()
    response = post_step(reporter, programme, "submit")
    assert response.status_code == 302 and response["Location"] == detail_url(programme)
    programme.refresh_from_db()
    assert (programme.state, programme.is_late) == (ProgrammeState.SUBMITTED, False)

    # The head approves; the secretariat returns it with a comment.
    assert post_step(head, programme, "approve", comment="").status_code == 302
    response = post_step(secretariat, programme, "return",
                         comment="برای شاخص تولید، منبع آمار پایه را بنویسید.")
    assert response.status_code == 302
    assert flashed(response)[-1] == tr("Returned for revision with your comment.")
    programme.refresh_from_db()
    assert programme.state == ProgrammeState.DRAFT

    # The reporter sees the comment, changes the indicator and submits again.
    page = reporter.get(detail_url(programme)).content.decode()
    assert "برای شاخص تولید، منبع آمار پایه را بنویسید." in page
    assert reverse("plan:programme_edit", args=[programme.pk]) in page
    indicator = Indicator.objects.get(project=project)
    response = reporter.post(reverse("plan:indicator_edit", args=[indicator.pk]),
                             indicator_data(baseline="۱۲٬۵۰۰", target="۱۸٬۰۰۰",
                                            unit="تن (آمار جهاد کشاورزی ۱۴۰۲)"))
    assert response.status_code == 302
    assert post_step(reporter, programme, "submit").status_code == 302
    assert post_step(head, programme, "approve", comment="تایید").status_code == 302

    # The secretariat accepts and levels it; it is locked from now on.
    response = post_step(secretariat, programme, "accept", quality_grade="A", priority="high",
                         comment="")
    assert response.status_code == 302
    programme.refresh_from_db()
    assert (programme.state, programme.quality_grade, programme.priority) == (
        ProgrammeState.ACCEPTED, "A", "high")
    page = reporter.get(detail_url(programme))
    assert page.context["may"]["edit"] is False
    assert reporter.get(reverse("plan:project_edit", args=[project.pk])).status_code == 302

    # A change after acceptance is a change request the secretariat decides.
    assert post_step(reporter, programme, "change", reason="افزودن پروژه گلخانه").status_code == 302
    change = ChangeRequest.objects.get(programme=programme)
    response = secretariat.post(
        reverse("plan:change_request_decide", args=[programme.pk, change.pk]),
        step_data(programme, "decide", decision="accept", comment="موافقت شد"))
    assert response.status_code == 302
    programme.refresh_from_db()
    assert (programme.state, programme.quality_grade) == (ProgrammeState.DRAFT, "")

    assert trail(programme) == [
        ("programme.created", "agri.reporter"),
        ("programme.submitted", "agri.reporter"),
        ("programme.approved", "agri.head"),
        ("programme.returned", "secretariat"),
        ("programme.submitted", "agri.reporter"),
        ("programme.approved", "agri.head"),
        ("programme.accepted", "secretariat"),
        ("change_request.opened", "agri.reporter"),
        ("programme.reopened", "secretariat"),
    ]
    assert AuditEvent.objects.filter(event="indicator.changed", actor__username="agri.reporter",
                                     target_id=str(indicator.pk)).count() == 1
    returned = AuditEvent.objects.get(event="programme.returned", target_id=str(programme.pk))
    assert returned.after["comment"] == "برای شاخص تولید، منبع آمار پایه را بنویسید."
    assert [(c.kind, c.author.username) for c in ProgrammeComment.objects.filter(
        programme=programme)] == [
        ("returned", "secretariat"), ("note", "agri.head"), ("change_request", "agri.reporter"),
        ("decision", "secretariat")]
    # The history on the page lists the same steps.
    history = reporter.get(detail_url(programme)).context["detail"].history
    assert [e.event for e in history] == [event for event, _ in trail(programme)]


def test_submitting_is_blocked_by_the_quality_check_and_says_why(client_for, province):  # type: ignore[no-untyped-def]
    made = make_programme(province, actions=0)
    services.required_action_save(project=made.project, acting_user=person("agri.reporter"),
                                  title="تامین نهاده")  # no owner, no date
    services.indicator_save(project=made.project, acting_user=person("agri.reporter"),
                            name="کاهش ضایعات", unit="درصد", direction="decrease",
                            baseline=Decimal(20), target=Decimal(25))
    events = AuditEvent.objects.count()

    response = post_step(client_for("agri.reporter"), made.programme, "submit")

    assert response.status_code == 200
    errors = response.context["workflow_errors"]
    assert errors[0] == tr("The quality check found problems to fix before submitting:")
    html = response.content.decode()
    for message in ("A required action has no owner agency or no due date.",
                    "The target should be below the baseline for a decreasing indicator."):
        assert any(tr(message) in e for e in errors), message
        assert escape(tr(message)) in html
    assert 'data-testid="workflow-errors"' in html
    made.refresh()
    assert made.programme.state == ProgrammeState.DRAFT
    assert AuditEvent.objects.count() == events


def test_the_quality_check_is_shown_with_its_score(client_for, province):  # type: ignore[no-untyped-def]
    made = make_programme(province, state=ProgrammeState.APPROVED)
    # A target six times the baseline: a warning the secretariat should see, not an error.
    Indicator.objects.filter(pk=made.indicator.pk).update(target=Decimal(600))
    page = client_for("secretariat").get(detail_url(made.programme))
    quality = page.context["detail"].quality
    assert quality.errors == [] and len(quality.warnings) == 1
    assert quality.score == 95
    html = page.content.decode()
    realism = tr("The target is more than three times the baseline: is it realistic?")
    assert escape(realism) in html
    assert 'data-testid="quality-score">۹۵<' in html


def test_the_detail_page_shows_the_trajectory_budget_and_dates_in_persian(client_for, province):  # type: ignore[no-untyped-def]
    made = make_programme(province, projects=2)
    html = client_for("hq").get(detail_url(made.programme)).content.decode()
    months_row = html.split('data-testid="trajectory"')[1].split("</table>")[0]
    for name in ("فروردین", "مهر", "اسفند"):
        assert f"<th scope=\"col\">{name}</th>" in months_row
    # 100 → 250 spread evenly: 112.5 at the end of Farvardin, 250 at the end of Esfand.
    assert "<td class=\"jh-num\">۱۱۲٫۵</td>" in months_row
    assert "<td class=\"jh-num\">۲۵۰</td>" in months_row
    assert not any(ch.isascii() and ch.isdigit() for ch in months_row.split("<tbody>")[1]
                   .replace("jh-num", ""))
    total = html.split('data-testid="budget-total"')[1].split("</tr>")[0]
    assert "۱۳٬۰۰۰" in total  # two projects of 1,200 + 300 + 5,000 each
    assert "۱۴۰۳/۰۶/۱۱" in html  # the required action's due date, 2024-09-01


def test_a_return_without_a_comment_is_refused_next_to_the_field(client_for, province):  # type: ignore[no-untyped-def]
    made = make_programme(province, state=ProgrammeState.SUBMITTED)
    events = AuditEvent.objects.count()
    response = post_step(client_for("agri.head"), made.programme, "return", comment="  ")
    assert response.status_code == 200
    form = response.context["forms"]["return"]
    assert [str(m) for m in form.errors["comment"]] == [tr("This field is required.")]
    block = field_block(response.content.decode(), "return-comment")
    assert "jh-field-error" in block and f"<li>{escape(tr('This field is required.'))}</li>" in block
    made.refresh()
    assert made.programme.state == ProgrammeState.SUBMITTED
    assert AuditEvent.objects.count() == events


def test_accepting_needs_a_grade_and_a_priority(client_for, province):  # type: ignore[no-untyped-def]
    made = make_programme(province, state=ProgrammeState.APPROVED)
    response = post_step(client_for("secretariat"), made.programme, "accept",
                         quality_grade="", priority="urgent")
    assert response.status_code == 200
    form = response.context["forms"]["accept"]
    assert form.errors.as_data()["quality_grade"][0].code == "required"
    assert form.errors.as_data()["priority"][0].code == "invalid_choice"
    made.refresh()
    assert made.programme.state == ProgrammeState.APPROVED


def test_a_second_change_request_shows_the_service_message(client_for, province):  # type: ignore[no-untyped-def]
    made = make_programme(province, state=ProgrammeState.ACCEPTED, change_request=True)
    response = post_step(client_for("agri.head"), made.programme, "change", reason="دوباره")
    assert response.status_code == 200
    message = tr("A change request for this programme is already waiting.")
    assert response.context["workflow_errors"] == [message]
    assert escape(message) in response.content.decode()
    assert ChangeRequest.objects.filter(programme=made.programme).count() == 1


def test_the_secretariat_refuses_a_change_request(client_for, province):  # type: ignore[no-untyped-def]
    made = make_programme(province, state=ProgrammeState.ACCEPTED, change_request=True)
    secretariat = client_for("secretariat")
    page = secretariat.get(detail_url(made.programme)).content.decode()
    assert "افزودن یک پروژه تازه" in page  # the reason, next to the decision buttons
    url = reverse("plan:change_request_decide", args=[made.programme.pk, made.change_request.pk])
    response = secretariat.post(url, step_data(made.programme, "decide", decision="refuse",
                                               comment="در سال جاری ممکن نیست"))
    assert response.status_code == 302
    made.change_request.refresh_from_db()
    made.refresh()
    assert (made.change_request.state, made.programme.state) == ("refused", "accepted")
    assert trail(made.programme)[-1] == ("change_request.refused", "secretariat")
    # The request is decided: deciding it again is refused with the service's words.
    response = secretariat.post(url, step_data(made.programme, "decide", decision="accept",
                                               comment=""))
    assert response.status_code == 200
    assert response.context["workflow_errors"] == [
        tr("This change request has already been decided.")]
    made.refresh()
    assert made.programme.state == "accepted"


# --- Stale pages and concurrent edits --------------------------------------------------------

def test_a_step_from_a_stale_page_does_nothing_and_says_so(client_for, province):  # type: ignore[no-untyped-def]
    made = make_programme(province, state=ProgrammeState.APPROVED)
    seen = Programme.objects.get(pk=made.programme.pk)  # what the first secretariat page shows
    secretariat = client_for("secretariat")
    # Meanwhile it is returned, revised, submitted and approved again.
    services.programme_return(programme=seen, acting_user=person("secretariat"), comment="اصلاح")
    services.programme_submit(programme=seen, acting_user=person("agri.reporter"))
    services.programme_approve(programme=seen, acting_user=person("agri.head"))
    events = AuditEvent.objects.count()

    response = secretariat.post(reverse("plan:programme_accept", args=[seen.pk]), step_data(
        seen, "accept", quality_grade="A", priority="high"))

    assert response.status_code == 302
    assert flashed(response) == [tr(STALE_PROGRAMME)]
    made.refresh()
    assert made.programme.state == ProgrammeState.APPROVED
    assert AuditEvent.objects.count() == events


def test_a_reporter_submitting_twice_is_told_it_already_happened(client_for, province):  # type: ignore[no-untyped-def]
    made = make_programme(province)
    seen = Programme.objects.get(pk=made.programme.pk)
    reporter = client_for("agri.reporter")
    assert reporter.post(reverse("plan:programme_submit", args=[seen.pk]),
                         step_data(seen, "submit")).status_code == 302
    response = reporter.post(reverse("plan:programme_submit", args=[seen.pk]),
                             step_data(seen, "submit"))
    assert response.status_code == 302
    assert flashed(response)[-1] == tr(STALE_PROGRAMME)
    # Someone who could never take the step still gets 403 with a stale page.
    assert client_for("hq").post(reverse("plan:programme_approve", args=[seen.pk]),
                                 step_data(seen, "approve")).status_code == 403


def test_the_second_of_two_concurrent_programme_edits_is_refused(client_for, province):  # type: ignore[no-untyped-def]
    made = make_programme(province)
    url = reverse("plan:programme_edit", args=[made.programme.pk])
    reporter, head = client_for("agri.reporter"), client_for("agri.head")
    version = reporter.get(url).context["form"].initial["version"]
    assert head.get(url).context["form"].initial["version"] == version
    events = AuditEvent.objects.count()

    saved = reporter.post(url, programme_data(province, made.programme,
                                              title=f"گندم {MARK} ۲۵۰ هزار تن"))
    refused = head.post(url, programme_data(province, made.programme, level="strategic",
                                            title=f"گندم {MARK} ۳۰۰ هزار تن"))

    assert saved.status_code == 302 and refused.status_code == 200
    form = refused.context["form"]
    assert [str(e) for e in form.non_field_errors()] == [tr(STALE_RECORD)]
    assert escape(tr(STALE_RECORD)) in refused.content.decode()
    assert (form.initial["title"], form.initial["version"]) == (f"گندم {MARK} ۲۵۰ هزار تن",
                                                                version + 1)
    made.refresh()
    assert made.programme.title == f"گندم {MARK} ۲۵۰ هزار تن"
    assert AuditEvent.objects.count() - events == 1


def test_the_second_of_two_concurrent_project_edits_is_refused(client_for, province):  # type: ignore[no-untyped-def]
    made = make_programme(province)
    url = reverse("plan:project_edit", args=[made.project.pk])
    first, second = client_for("agri.reporter"), client_for("agri.head")
    first.get(url), second.get(url)

    assert first.post(url, project_data(made.project, budget_bank="۷٬۰۰۰")).status_code == 302
    refused = second.post(url, project_data(made.project, budget_bank="۹٬۰۰۰"))

    assert refused.status_code == 200
    assert [str(e) for e in refused.context["form"].non_field_errors()] == [tr(STALE_RECORD)]
    made.project.refresh_from_db()
    assert made.project.budget_bank == Decimal(7000)
    # The form now carries the new version, so saving again works.
    retried = second.post(url, project_data(made.project, budget_bank="۹٬۰۰۰"))
    assert retried.status_code == 302
    made.project.refresh_from_db()
    assert made.project.budget_bank == Decimal(9000)


def test_editing_a_programme_that_was_submitted_meanwhile_says_why(client_for, province):  # type: ignore[no-untyped-def]
    made = make_programme(province, state=ProgrammeState.SUBMITTED)
    reporter = client_for("agri.reporter")
    response = reporter.post(reverse("plan:indicator_create", args=[made.project.pk]),
                             indicator_data(trajectory_mode="manual", **months(*range(1, 13))))
    assert response.status_code == 302
    assert response["Location"] == detail_url(made.programme)
    assert flashed(response) == [tr("Only a draft programme can be changed. Ask for a change "
                                    "request.")]
    assert Indicator.objects.filter(project=made.project).count() == 1


# --- Deadlines and lateness ------------------------------------------------------------------

def test_a_programme_submitted_after_the_deadline_is_marked_late(client_for, province):  # type: ignore[no-untyped-def]
    made = make_programme(province)
    with time_machine.travel(tehran(1403, 2, 3, 10), tick=False):
        response = post_step(client_for("agri.reporter"), made.programme, "submit")
    assert response.status_code == 302
    made.refresh()
    assert made.programme.is_late
    list_html = client_for("secretariat").get(reverse("plan:programme_list"),
                                              {"q": MARK}).content.decode()
    assert f'<tr data-programme="{made.programme.pk}">' in list_html
    row = list_html.split(f'<tr data-programme="{made.programme.pk}">')[1].split("</tr>")[0]
    assert tr("Late") in row
    detail = client_for("agri.head").get(detail_url(made.programme)).content.decode()
    assert 'data-testid="late"' in detail


@pytest.mark.parametrize(("today", "late"), [((1403, 1, 31), False), ((1403, 2, 1), True)])
def test_the_last_day_of_farvardin_is_still_on_time(client_for, province, today, late):  # type: ignore[no-untyped-def]
    made = make_programme(province)
    with time_machine.travel(tehran(*today, 23, 30), tick=False):
        post_step(client_for("agri.reporter"), made.programme, "submit")
    made.refresh()
    assert made.programme.is_late is late
