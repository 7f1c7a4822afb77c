"""A programme's life through the services: draft → submitted → approved → accepted (levelled),
returned with a comment, locked once accepted, changed only through a change request."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext

from jahesh.audit.models import AuditEvent
from jahesh.core.persian import parse_jalali_date
from jahesh.plan import services
from jahesh.plan.models import (
    ChangeRequest,
    ChangeRequestState,
    CommentKind,
    Programme,
    ProgrammeComment,
    ProgrammeState,
)
from jahesh.plan.services import StaleEdit, WorkflowError
from jahesh.plan.tests import builders
from jahesh.plan.tests.builders import who


@pytest.fixture(autouse=True)
def _messages_in_english():  # type: ignore[no-untyped-def]
    # The assertions match the English source text of the messages.
    with translation.override("en"):
        yield

pytestmark = pytest.mark.django_db

TEHRAN = ZoneInfo("Asia/Tehran")


def tehran(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=TEHRAN)


def history(programme: Programme) -> list[tuple[str, str, str | None, str | None]]:
    """(event, actor, state before, state after) of every audit event about the programme."""
    events = AuditEvent.objects.filter(target_type="plan.programme",
                                       target_id=str(programme.pk)).order_by("id")
    return [(e.event, e.actor.username if e.actor else "", (e.before or {}).get("state"),
             (e.after or {}).get("state")) for e in events]


def state_of(programme: Programme) -> str:
    return Programme.objects.get(pk=programme.pk).state


# --- submit ---------------------------------------------------------------------------------

def test_submit_moves_a_ready_draft_to_submitted(province) -> None:  # type: ignore[no-untyped-def]
    draft = builders.ready(province)
    with time_machine.travel(tehran(2024, 4, 10, 10, 0), tick=False):
        submitted = services.programme_submit(programme=draft, acting_user=who("agri.reporter"))
    assert submitted.state == ProgrammeState.SUBMITTED
    assert submitted.submitted_at == tehran(2024, 4, 10, 10, 0)
    assert submitted.is_late is False
    assert submitted.version == draft.version + 1
    assert history(draft)[-1] == ("programme.submitted", "agri.reporter", "draft", "submitted")


def test_submit_is_blocked_by_quality_errors_and_says_which(province) -> None:  # type: ignore[no-untyped-def]
    draft = builders.programme(province, title="توسعه ۱۵۰ هکتار گلخانه")
    work = builders.project(draft, title="احداث ۱۵۰ هکتار گلخانه")
    builders.indicator(work, baseline=None)
    builders.action(work, title="صدور مجوز آب", owner=None)
    before = history(draft)

    with pytest.raises(WorkflowError) as caught:
        services.programme_submit(programme=draft, acting_user=who("agri.reporter"))

    where = "توسعه ۱۵۰ هکتار گلخانه › احداث ۱۵۰ هکتار گلخانه"
    assert caught.value.messages == [
        gettext("The quality check found problems to fix before submitting:"),
        f"{where} › سطح زیر کشت گلخانه‌ای: {gettext('The indicator has no baseline.')}",
        f"{where} › صدور مجوز آب: "
        f"{gettext('A required action has no owner agency or no due date.')}",
    ]
    assert state_of(draft) == ProgrammeState.DRAFT
    assert history(draft) == before


def test_a_programme_with_no_project_cannot_be_submitted(province) -> None:  # type: ignore[no-untyped-def]
    draft = builders.programme(province)
    with pytest.raises(WorkflowError, match="no project"):
        services.programme_submit(programme=draft, acting_user=who("agri.reporter"))


def test_only_a_draft_can_be_submitted(province) -> None:  # type: ignore[no-untyped-def]
    submitted = builders.walk(builders.ready(province), "submitted")
    with pytest.raises(WorkflowError):
        services.programme_submit(programme=submitted, acting_user=who("agri.reporter"))


# --- late submissions: the deadline is the last day of Farvardin, 1403/01/31 = 2024-04-19 ----

@pytest.mark.parametrize("moment,late", [
    (tehran(2024, 4, 1, 9, 0), False),
    (tehran(2024, 4, 19, 23, 59, 59), False),  # the last second of 1403/01/31
    (tehran(2024, 4, 20, 0, 0, 30), True),  # 1403/02/01, though still 19 April in UTC
    (tehran(2024, 5, 15, 12, 0), True),
], ids=["early", "last-second", "first-minute-after", "weeks-late"])
def test_a_submission_after_the_deadline_is_marked_late(province, moment, late) -> None:  # type: ignore[no-untyped-def]
    assert parse_jalali_date("1403/01/31") == datetime.date(2024, 4, 19)
    draft = builders.ready(province)
    with time_machine.travel(moment, tick=False):
        submitted = services.programme_submit(programme=draft, acting_user=who("agri.reporter"))
    assert submitted.is_late is late
    assert AuditEvent.objects.filter(event="programme.submitted",
                                     target_id=str(draft.pk)).get().after["is_late"] is late


def test_a_moved_deadline_is_the_one_that_counts(province) -> None:  # type: ignore[no-untyped-def]
    services.deadline_set(province=province, year=1403, deadline=datetime.date(2024, 4, 30),
                          acting_user=who("secretariat"))
    draft = builders.ready(province)
    with time_machine.travel(tehran(2024, 4, 25, 10, 0), tick=False):
        submitted = services.programme_submit(programme=draft, acting_user=who("agri.reporter"))
    assert submitted.is_late is False


def test_next_years_programme_submitted_on_esfand_30_is_on_time(province) -> None:  # type: ignore[no-untyped-def]
    services.key_actions_copy(province=province, from_year=1403, to_year=1404,
                              acting_user=who("secretariat"))
    draft = builders.ready(province, year=1404)
    # 1403 is a leap year: its Esfand has 30 days; 1403/12/30 is 2025-03-20.
    with time_machine.travel(tehran(2025, 3, 20, 23, 0), tick=False):
        submitted = services.programme_submit(programme=draft, acting_user=who("agri.reporter"))
    assert submitted.is_late is False
    # The 1404 settings were made with their default deadline, 1404/01/31.
    assert services.plan_year(province, 1404).submission_deadline == datetime.date(2025, 4, 20)


def test_a_resubmission_is_judged_again(province) -> None:  # type: ignore[no-untyped-def]
    draft = builders.ready(province)
    with time_machine.travel(tehran(2024, 4, 25, 10, 0), tick=False):
        late = services.programme_submit(programme=draft, acting_user=who("agri.reporter"))
    assert late.is_late
    services.programme_return(programme=late, acting_user=who("agri.head"), comment="اصلاح شود")
    with time_machine.travel(tehran(2024, 4, 28, 10, 0), tick=False):
        again = services.programme_submit(programme=draft, acting_user=who("agri.reporter"))
    assert again.is_late and again.submitted_at == tehran(2024, 4, 28, 10, 0)


# --- approve, return --------------------------------------------------------------------------

def test_the_head_approves_a_submitted_programme(province) -> None:  # type: ignore[no-untyped-def]
    submitted = builders.walk(builders.ready(province), "submitted")
    approved = services.programme_approve(programme=submitted, acting_user=who("agri.head"),
                                          comment="مورد تایید است.")
    assert approved.state == ProgrammeState.APPROVED
    assert approved.comments.get().body == "مورد تایید است."
    assert history(approved)[-1] == ("programme.approved", "agri.head", "submitted", "approved")


@pytest.mark.parametrize("state", ["draft", "approved", "accepted"])
def test_only_a_submitted_programme_can_be_approved(province, state) -> None:  # type: ignore[no-untyped-def]
    programme = builders.ready(province)
    if state != "draft":
        programme = builders.walk(programme, state)
    with pytest.raises(WorkflowError):
        services.programme_approve(programme=programme, acting_user=who("agri.head"))
    assert state_of(programme) == state


@pytest.mark.parametrize("state,by", [("submitted", "agri.head"), ("approved", "secretariat")])
def test_returning_needs_a_comment_and_keeps_it(province, state, by) -> None:  # type: ignore[no-untyped-def]
    programme = builders.walk(builders.ready(province), state)
    for blank in ["", "   \n"]:
        with pytest.raises(ValidationError) as caught:
            services.programme_return(programme=programme, acting_user=who(by), comment=blank)
        assert "comment" in caught.value.message_dict
    assert state_of(programme) == state

    comment = "  خط پایه را از آمار رسمی ۱۴۰۲ بگیرید.  "
    returned = services.programme_return(programme=programme, acting_user=who(by),
                                         comment=comment)

    assert returned.state == ProgrammeState.DRAFT
    kept = ProgrammeComment.objects.get(programme=returned)
    assert (kept.kind, kept.author.username, kept.body) == (
        CommentKind.RETURNED, by, "خط پایه را از آمار رسمی ۱۴۰۲ بگیرید."
    )
    event = AuditEvent.objects.filter(event="programme.returned",
                                      target_id=str(returned.pk)).get()
    assert (event.before["state"], event.after["state"]) == (state, "draft")
    assert event.after["comment"] == "خط پایه را از آمار رسمی ۱۴۰۲ بگیرید."
    # Back to draft: it can be edited again.
    builders.project(returned, title="احداث ۲۰ هکتار گلخانه")


@pytest.mark.parametrize("state", ["draft", "accepted"])
def test_a_draft_or_accepted_programme_cannot_be_returned(province, state) -> None:  # type: ignore[no-untyped-def]
    programme = builders.ready(province)
    if state == "accepted":
        programme = builders.walk(programme, "accepted")
    with pytest.raises(WorkflowError):
        services.programme_return(programme=programme, acting_user=who("secretariat"),
                                  comment="بازنگری شود")


# --- accept and level -------------------------------------------------------------------------

def test_the_secretariat_accepts_and_levels(province) -> None:  # type: ignore[no-untyped-def]
    approved = builders.walk(builders.ready(province), "approved")
    with time_machine.travel(tehran(2024, 5, 5, 11, 0), tick=False):
        accepted = services.programme_accept(programme=approved, acting_user=who("secretariat"),
                                             quality_grade="A", priority="high",
                                             comment="برنامه نمونه")
    accepted.refresh_from_db()
    assert (accepted.state, accepted.quality_grade, accepted.priority) == ("accepted", "A", "high")
    assert accepted.accepted_at == tehran(2024, 5, 5, 11, 0)
    assert accepted.is_locked
    event = AuditEvent.objects.filter(event="programme.accepted", target_id=str(accepted.pk)).get()
    assert event.actor.username == "secretariat"
    assert (event.before["quality_grade"], event.after["quality_grade"]) == ("", "A")
    assert (event.before["priority"], event.after["priority"]) == ("", "high")


@pytest.mark.parametrize("grade,priority", [("", "high"), ("A", ""), ("", ""), ("Z", "high"),
                                            ("A", "urgent")])
def test_accepting_needs_a_grade_and_a_priority(province, grade, priority) -> None:  # type: ignore[no-untyped-def]
    approved = builders.walk(builders.ready(province), "approved")
    with pytest.raises(ValidationError):
        services.programme_accept(programme=approved, acting_user=who("secretariat"),
                                  quality_grade=grade, priority=priority)
    assert state_of(approved) == ProgrammeState.APPROVED
    assert not AuditEvent.objects.filter(event="programme.accepted",
                                         target_id=str(approved.pk)).exists()


def test_the_database_refuses_an_accepted_programme_without_levelling(province) -> None:  # type: ignore[no-untyped-def]
    accepted = builders.walk(builders.ready(province), "accepted")
    for change in [{"quality_grade": ""}, {"priority": ""}]:
        with pytest.raises(IntegrityError), transaction.atomic():
            Programme.objects.filter(pk=accepted.pk).update(**change)


@pytest.mark.parametrize("state", ["draft", "submitted"])
def test_only_an_approved_programme_can_be_accepted(province, state) -> None:  # type: ignore[no-untyped-def]
    programme = builders.ready(province)
    if state != "draft":
        programme = builders.walk(programme, state)
    with pytest.raises(WorkflowError):
        services.programme_accept(programme=programme, acting_user=who("secretariat"),
                                  quality_grade="A", priority="high")


# --- locked once past the draft ---------------------------------------------------------------

@pytest.mark.parametrize("state", ["submitted", "approved", "accepted"])
def test_past_the_draft_nothing_can_be_changed(province, state) -> None:  # type: ignore[no-untyped-def]
    draft = builders.ready(province)
    work = draft.projects.get()
    indicator, action = work.indicators.get(), work.required_actions.get()
    locked = builders.walk(draft, state)
    reporter = who("agri.reporter")
    attempts = [
        lambda: services.programme_update(programme=locked, acting_user=reporter, title="تازه"),
        lambda: services.project_save(programme=locked, acting_user=reporter, project=work,
                                      title="تازه ۱۰ هکتار"),
        lambda: services.project_save(programme=locked, acting_user=reporter,
                                      title="پروژه ۱۰ هکتار تازه", key_action=work.key_action),
        lambda: services.project_delete(project=work, acting_user=reporter),
        lambda: services.indicator_save(project=work, acting_user=reporter, indicator=indicator,
                                        target=Decimal(900)),
        lambda: services.indicator_save(project=work, acting_user=reporter, name="تازه",
                                        unit="تن", baseline=Decimal(1), target=Decimal(2)),
        lambda: services.indicator_delete(indicator=indicator, acting_user=reporter),
        lambda: services.required_action_save(project=work, acting_user=reporter, action=action,
                                              title="تازه"),
        lambda: services.required_action_delete(action=action, acting_user=reporter),
    ]
    events = AuditEvent.objects.count()
    for attempt in attempts:
        with pytest.raises(WorkflowError):
            attempt()
    assert AuditEvent.objects.count() == events
    indicator.refresh_from_db()
    assert indicator.target == Decimal(600)
    assert work.indicators.count() == 1 and work.required_actions.count() == 1


def test_a_stale_copy_of_the_programme_does_not_unlock_it(province) -> None:  # type: ignore[no-untyped-def]
    draft = builders.ready(province)
    work = draft.projects.get()  # work.programme is `draft`, still saying "draft" in memory
    builders.walk(draft, "accepted")
    assert draft.state == ProgrammeState.DRAFT  # the copy is stale
    reporter = who("agri.reporter")
    with pytest.raises(WorkflowError):
        services.project_save(programme=draft, acting_user=reporter, project=work,
                              title="تازه ۱۰ هکتار")
    with pytest.raises(WorkflowError):
        builders.indicator(work, name="تازه")
    with pytest.raises(WorkflowError):
        builders.action(work)


def test_a_project_indicator_or_action_of_another_programme_cannot_be_changed_through_a_draft(province) -> None:  # type: ignore[no-untyped-def]
    accepted = builders.walk(builders.ready(province), "accepted")
    their_work = accepted.projects.get()
    my_work = builders.project(builders.programme(province))
    reporter = who("agri.reporter")
    with pytest.raises(ValueError, match="another programme"):
        services.project_save(programme=my_work.programme, acting_user=reporter,
                              project=their_work, title="تازه ۱۰ هکتار")
    with pytest.raises(ValueError, match="another project"):
        builders.indicator(my_work, indicator=their_work.indicators.get(), target=Decimal(900))
    with pytest.raises(ValueError, match="another project"):
        services.required_action_save(project=my_work, acting_user=reporter,
                                      action=their_work.required_actions.get(), title="تازه")
    assert their_work.indicators.get().target == Decimal(600)


# --- change requests --------------------------------------------------------------------------

def test_a_change_request_on_an_accepted_programme(province) -> None:  # type: ignore[no-untyped-def]
    accepted = builders.walk(builders.ready(province), "accepted")
    request = services.change_request_open(programme=accepted, acting_user=who("agri.reporter"),
                                           reason="  افزایش هدف به ۷۰۰ هکتار  ")
    assert (request.state, request.reason) == (ChangeRequestState.PENDING,
                                               "افزایش هدف به ۷۰۰ هکتار")
    assert accepted.comments.get().kind == CommentKind.CHANGE_REQUEST
    assert state_of(accepted) == ProgrammeState.ACCEPTED  # still locked while it waits
    event = AuditEvent.objects.filter(event="change_request.opened",
                                      target_id=str(accepted.pk)).get()
    assert event.after == {"reason": "افزایش هدف به ۷۰۰ هکتار"}


@pytest.mark.parametrize("state", ["draft", "submitted", "approved"])
def test_only_an_accepted_programme_takes_a_change_request(province, state) -> None:  # type: ignore[no-untyped-def]
    programme = builders.ready(province)
    if state != "draft":
        programme = builders.walk(programme, state)
    with pytest.raises(WorkflowError):
        services.change_request_open(programme=programme, acting_user=who("agri.reporter"),
                                     reason="تغییر")
    assert not ChangeRequest.objects.filter(programme=programme).exists()


def test_a_change_request_needs_a_reason(province) -> None:  # type: ignore[no-untyped-def]
    accepted = builders.walk(builders.ready(province), "accepted")
    with pytest.raises(ValidationError) as caught:
        services.change_request_open(programme=accepted, acting_user=who("agri.reporter"),
                                     reason="  ")
    assert "reason" in caught.value.message_dict


def test_only_one_change_request_waits_at_a_time(province) -> None:  # type: ignore[no-untyped-def]
    accepted = builders.walk(builders.ready(province), "accepted")
    first = services.change_request_open(programme=accepted, acting_user=who("agri.reporter"),
                                         reason="نخست")
    with pytest.raises(WorkflowError, match="already waiting"):
        services.change_request_open(programme=accepted, acting_user=who("agri.head"),
                                     reason="دوم")
    # The database says the same to anything that skips the service.
    with pytest.raises(IntegrityError), transaction.atomic():
        ChangeRequest.objects.create(programme=accepted, requested_by=who("agri.head"),
                                     reason="دوم")
    # Once decided, a new one may be asked.
    services.change_request_decide(request=first, acting_user=who("secretariat"), accept=False)
    services.change_request_open(programme=accepted, acting_user=who("agri.head"), reason="دوم")


def test_accepting_a_change_request_reopens_the_programme_as_a_draft(province) -> None:  # type: ignore[no-untyped-def]
    accepted = builders.walk(builders.ready(province), "accepted", grade="A", priority="low")
    request = services.change_request_open(programme=accepted, acting_user=who("agri.reporter"),
                                           reason="افزایش هدف")

    decided = services.change_request_decide(request=request, acting_user=who("secretariat"),
                                             accept=True, comment="موافقت شد")

    assert decided.state == ChangeRequestState.ACCEPTED
    assert decided.decided_by == who("secretariat") and decided.decided_at is not None
    reopened = Programme.objects.get(pk=accepted.pk)
    assert reopened.state == ProgrammeState.DRAFT
    assert (reopened.quality_grade, reopened.priority) == ("", "")  # levelled again later
    assert reopened.comments.filter(kind=CommentKind.DECISION, body="موافقت شد").exists()
    assert history(reopened)[-1] == ("programme.reopened", "secretariat", "accepted", "draft")
    # The agency can change it now, and take it through the steps again.
    builders.indicator(reopened.projects.get(), indicator=reopened.projects.get().indicators.get(),
                       target=Decimal(700))
    again = builders.walk(reopened, "accepted", grade="B", priority="high")
    assert (again.state, again.quality_grade) == ("accepted", "B")


def test_refusing_a_change_request_keeps_the_programme_accepted(province) -> None:  # type: ignore[no-untyped-def]
    accepted = builders.walk(builders.ready(province), "accepted")
    request = services.change_request_open(programme=accepted, acting_user=who("agri.reporter"),
                                           reason="کاهش هدف")

    decided = services.change_request_decide(request=request, acting_user=who("secretariat"),
                                             accept=False, comment="دلیل کافی نیست")

    assert decided.state == ChangeRequestState.REFUSED
    kept = Programme.objects.get(pk=accepted.pk)
    assert (kept.state, kept.quality_grade, kept.priority) == ("accepted", "B", "high")
    assert kept.comments.filter(kind=CommentKind.DECISION, body="دلیل کافی نیست").exists()
    event = AuditEvent.objects.filter(event="change_request.refused",
                                      target_id=str(accepted.pk)).get()
    assert event.actor == who("secretariat") and event.after == {"comment": "دلیل کافی نیست"}
    with pytest.raises(WorkflowError, match="already been decided"):
        services.change_request_decide(request=request, acting_user=who("secretariat"),
                                       accept=True)


# --- concurrent edits ---------------------------------------------------------------------------

def test_an_edit_based_on_an_old_version_is_refused(province) -> None:  # type: ignore[no-untyped-def]
    draft = builders.ready(province)
    seen = draft.version
    services.programme_update(programme=draft, acting_user=who("agri.head"),
                              expected_version=seen, title="توسعه ۲۰۰ هکتار گلخانه")
    with pytest.raises(StaleEdit):
        services.programme_update(programme=draft, acting_user=who("agri.reporter"),
                                  expected_version=seen, title="توسعه ۳۰۰ هکتار گلخانه")
    assert Programme.objects.get(pk=draft.pk).title == "توسعه ۲۰۰ هکتار گلخانه"

    work = draft.projects.get()
    services.project_save(programme=draft, acting_user=who("agri.head"), project=work,
                          expected_version=work.version, title="احداث ۲۰۰ هکتار گلخانه")
    with pytest.raises(StaleEdit):
        services.project_save(programme=draft, acting_user=who("agri.reporter"), project=work,
                              expected_version=work.version, title="احداث ۳۰۰ هکتار گلخانه")


# --- the audit trail ------------------------------------------------------------------------

def test_every_step_is_in_the_audit_trail_with_before_and_after(province) -> None:  # type: ignore[no-untyped-def]
    draft = builders.ready(province)
    submitted = builders.walk(draft, "submitted")
    returned = services.programme_return(programme=submitted, acting_user=who("agri.head"),
                                         comment="اصلاح شود")
    services.programme_update(programme=returned, acting_user=who("agri.reporter"),
                              title="توسعه ۲۰۰ هکتار گلخانه")
    accepted = builders.walk(returned, "accepted")
    request = services.change_request_open(programme=accepted, acting_user=who("agri.reporter"),
                                           reason="تغییر")
    services.change_request_decide(request=request, acting_user=who("secretariat"), accept=True)

    assert history(draft) == [
        ("programme.created", "agri.reporter", None, "draft"),
        ("programme.submitted", "agri.reporter", "draft", "submitted"),
        ("programme.returned", "agri.head", "submitted", "draft"),
        ("programme.changed", "agri.reporter", "draft", "draft"),
        ("programme.submitted", "agri.reporter", "draft", "submitted"),
        ("programme.approved", "agri.head", "submitted", "approved"),
        ("programme.accepted", "secretariat", "approved", "accepted"),
        ("change_request.opened", "agri.reporter", None, None),
        ("programme.reopened", "secretariat", "accepted", "draft"),
    ]
    changed = AuditEvent.objects.get(event="programme.changed", target_id=str(draft.pk))
    assert (changed.before["title"], changed.after["title"]) == (
        "توسعه ۱۵۰ هکتار گلخانه", "توسعه ۲۰۰ هکتار گلخانه"
    )
    work = draft.projects.get()
    assert AuditEvent.objects.filter(target_type="plan.project", target_id=str(work.pk),
                                     event="project.created", actor=who("agri.reporter")).exists()
    indicator_event = AuditEvent.objects.get(target_type="plan.indicator",
                                             target_id=str(work.indicators.get().pk))
    assert indicator_event.before is None
    assert indicator_event.after["target"] == "600"
    assert len(indicator_event.after["trajectory"]) == 12
