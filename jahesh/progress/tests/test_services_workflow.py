"""A report's life through the services: started once per project and month, written as a
draft, submitted (late after the window), approved, verified, or returned with a comment; and
nothing at all outside the month's reporting time unless the secretariat reopens it."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from jahesh.audit.models import AuditEvent
from jahesh.progress import periods, services
from jahesh.progress.models import (
    ActionProgress,
    Blocker,
    IndicatorValue,
    ProgressReport,
    ReportComment,
    ReportCommentKind,
    ReportState,
)
from jahesh.progress.services import StaleEdit, WorkflowError
from jahesh.progress.tests.support import (
    _media,  # noqa: F401
    _no_reopenings,  # noqa: F401
    accepted_project,
    agency,
    at,
    fill,
    on,
    on_track,
    period,
    start,
    walk,
    who,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _messages_in_english():  # type: ignore[no-untyped-def]
    with translation.override("en"):
        yield


@pytest.fixture
def plan(province):  # type: ignore[no-untyped-def]
    return accepted_project(province)


def history(report: ProgressReport) -> list[tuple[str, str, str | None, str | None]]:
    events = AuditEvent.objects.filter(target_type="progress.progressreport",
                                       target_id=str(report.pk)).order_by("id")
    return [(e.event, e.actor.username if e.actor else "", (e.before or {}).get("state"),
             (e.after or {}).get("state")) for e in events]


def fresh(report: ProgressReport) -> ProgressReport:
    return ProgressReport.objects.get(pk=report.pk)


# --- Starting -------------------------------------------------------------------------------

def test_start_makes_one_draft_per_project_and_month_with_a_row_per_indicator_and_action(
    province, plan
) -> None:  # type: ignore[no-untyped-def]
    with on(1403, 6, 3):
        report = start(plan, province, 5)
        again = start(plan, province, 5)
    assert again.pk == report.pk
    assert ProgressReport.objects.filter(project=plan.project).count() == 1
    assert report.state == ReportState.DRAFT
    assert (report.agency, report.programme, report.key_action) == (
        plan.project.programme.agency, plan.project.programme, plan.project.key_action)
    assert sorted(IndicatorValue.objects.filter(report=report).values_list("indicator", flat=True)
                  ) == sorted(i.pk for i in plan.indicators)
    assert ActionProgress.objects.filter(report=report, state="not_started").count() == 2
    assert report.completeness == 0 and report.status == "no_report" and report.percent is None
    assert history(report) == [("report.started", "agri.reporter", None, "draft")]


@pytest.mark.parametrize("state", ["draft", "submitted", "approved"])
def test_only_projects_of_accepted_programmes_are_reported(province, state) -> None:  # type: ignore[no-untyped-def]
    plan = accepted_project(province, state=state)
    with on(1403, 6, 3), pytest.raises(WorkflowError) as caught:
        start(plan, province, 5)
    assert caught.value.code == "not_accepted"
    assert not ProgressReport.objects.filter(project=plan.project).exists()


def test_a_project_is_reported_in_its_own_year_only(province, plan) -> None:  # type: ignore[no-untyped-def]
    with on(1404, 2, 3), pytest.raises(WorkflowError) as caught:
        start(plan, province, 1, year=1404)
    assert caught.value.code == "other_plan"


def test_a_month_cannot_be_reported_before_it_begins(province, plan) -> None:  # type: ignore[no-untyped-def]
    with on(1403, 4, 31), pytest.raises(WorkflowError) as caught:
        start(plan, province, 5)
    assert caught.value.code == "not_begun"
    assert "Mordad 1403 has not begun yet" in caught.value.messages[0]
    # From its first day the month can be prepared, before its window opens.
    with on(1403, 5, 1):
        assert start(plan, province, 5).state == ReportState.DRAFT


# --- The workflow -----------------------------------------------------------------------------

def test_a_report_goes_from_draft_to_verified_by_its_people(province, plan) -> None:  # type: ignore[no-untyped-def]
    with on(1403, 6, 3):
        report = on_track(start(plan, province, 5), plan, 5)
        submitted = services.report_submit(report=report, acting_user=who("agri.reporter"))
        approved = services.report_approve(report=submitted, acting_user=who("agri.head"),
                                           comment="تایید شد")
        verified = services.report_verify(report=approved, acting_user=who("secretariat"))
    assert verified.state == ReportState.VERIFIED
    assert (verified.submitted_by, verified.approved_by, verified.verified_by) == (
        who("agri.reporter"), who("agri.head"), who("secretariat"))
    assert verified.submitted_at == verified.verified_at == at(1403, 6, 3)
    assert verified.is_late is False
    assert verified.version == report.version + 3
    assert history(report) == [
        ("report.started", "agri.reporter", None, "draft"),
        ("report.saved", "agri.reporter", "draft", "draft"),
        ("report.submitted", "agri.reporter", "draft", "submitted"),
        ("report.approved", "agri.head", "submitted", "approved"),
        ("report.verified", "secretariat", "approved", "verified"),
    ]
    assert list(ReportComment.objects.filter(report=report).values_list("kind", "body")) == [
        (ReportCommentKind.APPROVAL, "تایید شد")]


@pytest.mark.parametrize(("at_state", "by"), [("submitted", "agri.head"),
                                              ("approved", "secretariat")])
def test_a_report_is_returned_to_draft_with_a_comment_that_is_kept(  # type: ignore[no-untyped-def]
    province, plan, at_state, by
) -> None:
    with on(1403, 6, 3):
        report = walk(on_track(start(plan, province, 5), plan, 5), at_state)
        with pytest.raises(ValidationError) as caught:
            services.report_return(report=report, acting_user=who(by), comment="  ")
        assert "comment" in caught.value.error_dict
        assert fresh(report).state == at_state
        returned = services.report_return(report=report, acting_user=who(by),
                                          comment="عدد اشتغال را با سامانه تطبیق دهید")
        # The reporter corrects it and sends it again.
        fill(returned, plan, growth=150, jobs=50, waste=25)
        again = services.report_submit(report=returned, acting_user=who("agri.reporter"))
    assert returned.state == ReportState.DRAFT
    assert returned.approved_by is None and returned.submitted_at is None
    assert again.state == ReportState.SUBMITTED
    comment = ReportComment.objects.get(report=report)
    assert (comment.kind, comment.author, comment.body) == (
        ReportCommentKind.RETURN, who(by), "عدد اشتغال را با سامانه تطبیق دهید")
    returned_event = [h for h in history(report) if h[0] == "report.returned"]
    assert returned_event == [("report.returned", by, at_state, "draft")]


@pytest.mark.parametrize(("state", "step"), [
    ("draft", "approve"), ("draft", "verify"), ("draft", "return"),
    ("submitted", "submit"), ("submitted", "verify"), ("submitted", "save"),
    ("approved", "approve"), ("approved", "submit"), ("approved", "save"),
    ("verified", "return"), ("verified", "verify"), ("verified", "save"),
])
def test_a_step_the_state_does_not_allow_is_refused_and_changes_nothing(  # type: ignore[no-untyped-def]
    province, plan, state, step
) -> None:
    with on(1403, 6, 3):
        report = on_track(start(plan, province, 5), plan, 5)
        if state != "draft":
            report = walk(report, state)
        events = AuditEvent.objects.count()
        steps = {
            "submit": lambda: services.report_submit(report=report, acting_user=who("agri.reporter")),
            "approve": lambda: services.report_approve(report=report, acting_user=who("agri.head")),
            "verify": lambda: services.report_verify(report=report, acting_user=who("secretariat")),
            "return": lambda: services.report_return(report=report, acting_user=who("secretariat"),
                                                     comment="x"),
            "save": lambda: fill(report, plan, growth=1, jobs=1, waste=1),
        }
        with pytest.raises(WorkflowError) as caught:
            steps[step]()
    assert caught.value.code == "state"
    assert fresh(report).state == state
    assert AuditEvent.objects.count() == events


def test_submission_needs_every_value_and_says_which_are_missing(province, plan) -> None:  # type: ignore[no-untyped-def]
    with on(1403, 6, 3):
        report = fill(start(plan, province, 5), plan, growth=150)
        with pytest.raises(WorkflowError) as caught:
            services.report_submit(report=report, acting_user=who("agri.reporter"))
    assert caught.value.messages[0] == (
        "Enter the actual value of every indicator. Missing: شغل ایجادشده در ماه، ضایعات.")
    assert fresh(report).state == ReportState.DRAFT
    assert fresh(report).completeness == Decimal("33.33")


# Mordad's plan: growth 150, jobs 50, waste 25. (40 + 100 + 100) / 3 = 80: at risk;
# (0 + 40 + 100) / 3 = 46.67: off track.
@pytest.mark.parametrize(("growth", "jobs", "status"), [(120, 50, "at_risk"),
                                                        (100, 20, "off_track")])
def test_a_project_behind_needs_an_explanation_before_submission(  # type: ignore[no-untyped-def]
    province, plan, growth, jobs, status
) -> None:
    with on(1403, 6, 3):
        report = fill(start(plan, province, 5), plan, growth=growth, jobs=jobs, waste=25)
        assert report.status == status
        with pytest.raises(WorkflowError) as caught:
            services.report_submit(report=report, acting_user=who("agri.reporter"))
        assert "explain why it is behind" in caught.value.messages[0]
        assert fresh(report).state == ReportState.DRAFT
        report = fill(report, plan, growth=growth, jobs=jobs, waste=25,
                      explanation="تاخیر در تامین تجهیزات وارداتی")
        assert services.report_submit(report=report,
                                      acting_user=who("agri.reporter")).state == "submitted"


def test_a_stale_edit_is_refused_and_overwrites_nothing(province, plan) -> None:  # type: ignore[no-untyped-def]
    with on(1403, 6, 3):
        report = start(plan, province, 5)
        seen = report.version
        fill(report, plan, growth=150, jobs=10, waste=25)  # someone else saves first
        with pytest.raises(StaleEdit):
            services.report_save(report=report, acting_user=who("agri.head"),
                                 values={plan.growth.pk: Decimal(999)}, action_states={},
                                 achieved="", next_steps="", explanation="", blockers=[],
                                 expected_version=seen)
    assert IndicatorValue.objects.get(report=report, indicator=plan.growth).value == 150
    assert fresh(report).achieved == "دو واحد به بهره‌برداری رسید"


def test_blockers_are_structured_items_that_keep_their_identity(province, plan) -> None:  # type: ignore[no-untyped-def]
    water, bank = agency(province, "water"), agency(province, "bank-keshavarzi")
    with on(1403, 6, 3):
        report = fill(start(plan, province, 5), plan, growth=150, blockers=[
            ("مجوز برداشت آب صادر نشده", water), ("تسهیلات پرداخت نشده", bank), ("", None)])
        first = {b.description: b.pk for b in Blocker.objects.filter(report=report)}
        fill(report, plan, growth=150, blockers=[
            ("مجوز برداشت آب صادر نشده", water), ("نبود برق سه‌فاز", None)])
    rows = list(Blocker.objects.filter(report=report).order_by("id")
                .values_list("pk", "description", "unblocking_agency"))
    assert rows[0] == (first["مجوز برداشت آب صادر نشده"], "مجوز برداشت آب صادر نشده", water.pk)
    assert [r[1:] for r in rows[1:]] == [("نبود برق سه‌فاز", None)]


def test_a_value_out_of_range_for_its_kind_is_refused_next_to_its_field(province, plan) -> None:  # type: ignore[no-untyped-def]
    with on(1403, 6, 3):
        report = start(plan, province, 5)
        with pytest.raises(ValidationError) as caught:
            fill(report, plan, growth=150, waste=140)
    assert list(caught.value.error_dict) == [f"value_{plan.waste.pk}"]
    assert IndicatorValue.objects.get(report=report, indicator=plan.growth).value is None


def test_the_scorecard_is_refreshed_on_submission_and_verification(  # type: ignore[no-untyped-def]
    province, plan, monkeypatch
) -> None:
    import sys
    import types

    calls = []
    fake = types.ModuleType("jahesh.evaluation.scorecard")
    fake.refresh_scorecard = lambda *, agency, period: calls.append((agency.code, str(period)))  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "jahesh.evaluation.scorecard", fake)
    with on(1403, 6, 3):
        walk(on_track(start(plan, province, 5), plan, 5), "verified")
    assert calls == [("agri", "1403/05"), ("agri", "1403/05")]


# --- Lateness and locking ---------------------------------------------------------------------

@pytest.mark.parametrize(("day", "late"), [(1, False), (10, False), (11, True), (15, True)])
def test_a_report_submitted_after_the_window_is_late(province, plan, day, late) -> None:  # type: ignore[no-untyped-def]
    with on(1403, 6, day, hour=23):
        report = services.report_submit(
            report=on_track(start(plan, province, 5), plan, 5), acting_user=who("agri.reporter"))
    assert report.is_late is late


def test_after_the_lock_nothing_changes_until_the_secretariat_reopens(province, plan) -> None:  # type: ignore[no-untyped-def]
    with on(1403, 6, 15):
        report = walk(on_track(start(plan, province, 5), plan, 5), "approved")
    with on(1403, 6, 16):
        with pytest.raises(WorkflowError) as caught:
            services.report_verify(report=report, acting_user=who("secretariat"))
        assert caught.value.code == "locked"
        assert "Mordad 1403 is locked" in caught.value.messages[0]
        with pytest.raises(WorkflowError):
            services.report_return(report=report, acting_user=who("secretariat"), comment="x")
        with pytest.raises(WorkflowError):  # a project of a locked month is not started either
            start(accepted_project(province, title="پروژه دوم پایشی ۱۰ واحد"), province, 5)
        services.period_reopen(period=period(province, 5), until=periods.timezone.localdate(),
                               acting_user=who("secretariat"), reason="تاخیر سامانه")
        verified = services.report_verify(report=report, acting_user=who("secretariat"))
    assert verified.state == ReportState.VERIFIED
    with on(1403, 6, 17), pytest.raises(WorkflowError):
        services.report_return(report=verified, acting_user=who("secretariat"), comment="x")


def test_esfand_1403_is_reported_in_farvardin_1404(province, plan) -> None:  # type: ignore[no-untyped-def]
    esfand = period(province, 12)
    assert (esfand.opens_on, esfand.closes_on, esfand.locks_on) == (
        periods.to_gregorian(1404, 1, 1), periods.to_gregorian(1404, 1, 10),
        periods.to_gregorian(1404, 1, 15))
    with on(1404, 1, 10, hour=23):
        on_time = walk(on_track(start(plan, province, 12), plan, 12), "submitted")
    assert on_time.is_late is False
    assert on_time.percent == 100 and on_time.status == "on_track"
    # The trajectory of Esfand is the year-end target.
    assert IndicatorValue.objects.get(report=on_time, indicator=plan.growth).planned == 220
    other = accepted_project(province, title="پروژه دوم پایشی ۱۰ واحد")
    with on(1404, 1, 11):
        late = walk(on_track(start(other, province, 12), other, 12), "submitted")
    assert late.is_late is True
    with on(1404, 1, 15, hour=23):
        services.report_approve(report=late, acting_user=who("agri.head"))
    with on(1404, 1, 16), pytest.raises(WorkflowError) as caught:
        services.report_approve(report=on_time, acting_user=who("agri.head"))
    assert caught.value.code == "locked"


def test_leap_esfand_30_is_a_day_of_esfand_1403(province, plan) -> None:  # type: ignore[no-untyped-def]
    assert periods.to_gregorian(1403, 12, 30).isoformat() == "2025-03-20"
    with on(1403, 12, 30):
        # Esfand has begun, its window has not: it can be prepared and even sent early.
        assert periods.window_of(period(province, 12)) == periods.Window.UPCOMING
        early = walk(on_track(start(plan, province, 12), plan, 12), "submitted")
        # Bahman's window (Esfand 1–10, grace to the 15th) is long locked.
        assert periods.window_of(period(province, 11)) == periods.Window.LOCKED
        with pytest.raises(WorkflowError):
            start(plan, province, 11)
    assert early.is_late is False


# --- Reopening ----------------------------------------------------------------------------------

def test_reopening_is_for_locked_months_with_a_reason_and_is_audited(province) -> None:  # type: ignore[no-untyped-def]
    mordad = period(province, 5)
    secretariat = who("secretariat")
    with on(1403, 6, 12):
        with pytest.raises(WorkflowError):  # still in its grace period
            services.period_reopen(period=mordad, until=periods.to_gregorian(1403, 6, 20),
                                   acting_user=secretariat, reason="x")
    with on(1403, 7, 1):
        with pytest.raises(ValidationError) as caught:
            services.period_reopen(period=mordad, until=periods.to_gregorian(1403, 7, 5),
                                   acting_user=secretariat, reason=" ")
        assert "reason" in caught.value.error_dict
        with pytest.raises(ValidationError) as caught:
            services.period_reopen(period=mordad, until=periods.to_gregorian(1403, 6, 30),
                                   acting_user=secretariat, reason="x")
        assert "until" in caught.value.error_dict
        reopened = services.period_reopen(period=mordad, until=periods.to_gregorian(1403, 7, 5),
                                          acting_user=secretariat, reason="قطعی سامانه")
        assert periods.window_of(reopened) == periods.Window.REOPENED
    with on(1403, 7, 6):
        assert periods.window_of(reopened) == periods.Window.LOCKED
    event = AuditEvent.objects.get(event="period.reopened", target_id=str(mordad.pk))
    assert event.actor == secretariat
    assert event.after == {"reopened_until": "2024-09-26", "reason": "قطعی سامانه"}
