"""Changes to monthly progress. Every write runs in a transaction and is audited.

Callers check who may act with the policies in permissions.py first; these functions enforce the
rules of a report's life:

- only the projects of accepted programmes are reported, once per project and month;
- draft → submitted (reporter) → approved (agency head) → verified (secretariat), or back to
  draft with a comment from either review step;
- nothing is written, submitted, approved, returned or verified outside the month's reporting
  time (`periods.accepts_reports`): before the month has begun, or once it is locked, unless the
  secretariat reopened it. So an approved or verified report of a locked month cannot change;
- a report's figures (each indicator's cumulative value, plan to date, percent and status, and
  the project's weighted percent, status and completeness) are computed on every save, at
  submission and, finally, at verification.
"""

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from jahesh.audit.services import record, snapshot
from jahesh.core.persian import format_number, jalali_month_name, normalize_text
from jahesh.core.stale import StaleEdit
from jahesh.core.uploads import MAX_UPLOAD_BYTES as MAX_EVIDENCE_BYTES
from jahesh.core.uploads import check_upload as check_evidence
from jahesh.core.uploads import clean_file_name
from jahesh.organisation.models import Agency, Province
from jahesh.plan.models import (
    Indicator,
    IndicatorKind,
    Measure,
    Programme,
    ProgrammeState,
    Project,
)
from jahesh.progress import periods, status
from jahesh.progress.models import (
    ActionProgress,
    ActionState,
    Blocker,
    Evidence,
    IndicatorValue,
    Period,
    ProgressReport,
    ReportComment,
    ReportCommentKind,
    ReportingRules,
    ReportState,
    Status,
    StatusRule,
)

__all__ = [
    "MAX_EVIDENCE_BYTES", "MAX_EVIDENCE_FILES", "StaleEdit", "WorkflowError", "check_evidence",
    "evidence_add", "evidence_remove", "period_reopen", "recompute", "report_approve",
    "report_return", "report_save", "report_start", "report_submit", "report_verify",
    "reporting_rules_save", "status_rules_save",
]

REPORT_AUDITED = ["state", "achieved", "next_steps", "explanation", "percent", "status",
                  "completeness", "is_late"]
RULES_AUDITED = ["window_opens_day", "window_closes_day", "grace_days"]
HUNDRED = Decimal(100)
BEHIND = (Status.AT_RISK, Status.OFF_TRACK)


MAX_EVIDENCE_FILES = 20


class WorkflowError(ValidationError):
    """A step that the report's state or the month's calendar does not allow, with a message
    for the person."""


# --- Reading the rules of the calendar -------------------------------------------------------

def _require_reporting_time(period: Period) -> None:
    if periods.accepts_reports(period):
        return
    month = {"month": jalali_month_name(period.month), "year": format_number(period.year,
                                                                            grouping=False)}
    if periods.window_of(period) == periods.Window.LOCKED:
        raise WorkflowError(
            _("%(month)s %(year)s is locked: its reports cannot change unless the secretariat "
              "reopens the month.") % month, code="locked")
    raise WorkflowError(_("%(month)s %(year)s has not begun yet: it cannot be reported.") % month,
                        code="not_begun")


def _require_state(report: ProgressReport, *states: str) -> None:
    if report.state not in states:
        raise WorkflowError(
            _("This step is not possible while the report is “%(state)s”.")
            % {"state": report.get_state_display()}, code="state")


def _lock(report: ProgressReport) -> ProgressReport:
    return (ProgressReport.objects.select_for_update()
            .select_related("period", "period__province", "project", "agency").get(pk=report.pk))


def _audit(report: ProgressReport, event: str, acting_user: Any, *,
           before: dict[str, Any] | None = None, **extra: Any) -> None:
    record(event=event, target=report, actor=acting_user, province=report.period.province,
           before=before, after={**snapshot(report, REPORT_AUDITED), **extra})


def _refresh_scorecard(report: ProgressReport) -> None:
    """The agency's scorecard of the month changes with its submitted and verified reports.
    Imported here: the evaluation capability reads progress, so a module-level import would
    be circular."""
    from jahesh.evaluation.scorecard import refresh_scorecard

    refresh_scorecard(agency=report.agency, period=report.period)


# --- The figures of a report ----------------------------------------------------------------

def _earlier_monthly_sums(report: ProgressReport, indicator_ids: Sequence[int]) -> dict[int, Decimal]:
    """For indicators reported month by month: the sum of the project's values in the earlier
    months of the same fiscal year (whatever state those reports are in)."""
    if not indicator_ids:
        return {}
    rows = (IndicatorValue.objects
            .filter(indicator_id__in=indicator_ids, report__project_id=report.project_id,
                    report__period__province_id=report.period.province_id,
                    report__period__year=report.period.year,
                    report__period__month__lt=report.period.month, value__isnull=False)
            .values("indicator_id").annotate(total=Sum("value")).order_by())
    return {row["indicator_id"]: row["total"] for row in rows}


def recompute(report: ProgressReport) -> ProgressReport:
    """Compute and save the report's figures from its values, the plan and the province's
    status rules. For an indicator reported for the month, the cumulative value is the baseline
    plus this month's value and the earlier months' of the year, so that it is on the same scale
    as the trajectory (which runs from the baseline to the target)."""
    rules = status.rules_for(report.period.province)
    values = list(IndicatorValue.objects.filter(report=report).select_related("indicator")
                  .prefetch_related("indicator__trajectory").order_by("indicator_id"))
    monthly = [v.indicator_id for v in values if v.indicator.measure == Measure.MONTHLY]
    earlier = _earlier_monthly_sums(report, monthly)
    parts = []
    for row in values:
        indicator = row.indicator
        planned = next((p.value for p in indicator.trajectory.all()
                        if p.month == report.period.month), None)
        if row.value is None:
            cumulative = None
        elif indicator.measure == Measure.MONTHLY:
            baseline = indicator.baseline if indicator.baseline is not None else Decimal(0)
            cumulative = baseline + earlier.get(indicator.pk, Decimal(0)) + row.value
        else:
            cumulative = row.value
        row.cumulative, row.planned = cumulative, planned
        row.percent = status.indicator_percent(indicator, cumulative, planned)
        row.status = status.status_for(row.percent, rules)
        parts.append((row.percent, indicator.weight))
    IndicatorValue.objects.bulk_update(values, ["cumulative", "planned", "percent", "status"])
    report.percent = status.weighted_percent(parts)
    report.status = status.status_for(report.percent, rules)
    filled = sum(1 for row in values if row.value is not None)
    report.completeness = (
        (Decimal(filled) * HUNDRED / len(values)).quantize(status.PLACES) if values else HUNDRED
    )
    report.save(update_fields=["percent", "status", "completeness", "updated_at"])
    return report


def _sync_rows(report: ProgressReport) -> None:
    """One value row per indicator and one state per required action of the project (the plan
    may have gained some since the report was started, through a change request)."""
    have = set(IndicatorValue.objects.filter(report=report).values_list("indicator_id", flat=True))
    IndicatorValue.objects.bulk_create(
        IndicatorValue(report=report, indicator_id=pk)
        for pk in report.project.indicators.values_list("pk", flat=True) if pk not in have
    )
    have = set(ActionProgress.objects.filter(report=report).values_list("action_id", flat=True))
    ActionProgress.objects.bulk_create(
        ActionProgress(report=report, action_id=pk)
        for pk in report.project.required_actions.values_list("pk", flat=True) if pk not in have
    )


# --- Starting and writing a report -----------------------------------------------------------

@transaction.atomic
def report_start(*, project: Project, period: Period, acting_user: Any) -> ProgressReport:
    """The project's report of the month: the existing one, or a new draft with a value row
    per indicator and a state per required action."""
    existing = ProgressReport.objects.filter(project=project, period=period).first()
    if existing is not None:
        return existing
    # Read again: the caller's copy of the programme may be older than its acceptance.
    programme = Programme.objects.get(pk=project.programme_id)
    if programme.state != ProgrammeState.ACCEPTED:
        raise WorkflowError(_("Only the projects of accepted programmes are reported."),
                            code="not_accepted")
    if programme.province_id != period.province_id or programme.year != period.year:
        raise WorkflowError(_("The project is not part of this month's plan."),
                            code="other_plan")
    _require_reporting_time(period)
    try:
        with transaction.atomic():
            report = ProgressReport.objects.create(
                project=project, period=period, agency_id=programme.agency_id,
                programme=programme, key_action_id=project.key_action_id,
            )
    except IntegrityError:  # someone else started it at the same moment
        return ProgressReport.objects.get(project=project, period=period)
    report.period, report.project = period, project
    _sync_rows(report)
    recompute(report)
    _audit(report, "report.started", acting_user)
    return report


def _clean_values(report: ProgressReport, values: dict[int, Decimal | None],
                  indicators: dict[int, Indicator]) -> dict[int, Decimal | None]:
    errors: dict[str, list[str]] = {}
    for pk, value in values.items():
        indicator = indicators.get(pk)
        if indicator is None:
            raise ValueError(f"indicator {pk} is not one of the report's")
        if value is None:
            continue
        if indicator.kind in (IndicatorKind.YES_NO, IndicatorKind.MILESTONE) \
                and value not in (Decimal(0), Decimal(1)):
            errors[f"value_{pk}"] = [_("Type 1 when it is done (yes), 0 when it is not.")]
        elif indicator.kind == IndicatorKind.PERCENTAGE and not 0 <= value <= HUNDRED:
            errors[f"value_{pk}"] = [_("A percentage is between 0 and 100.")]
        elif value < 0 and indicator.measure == Measure.CUMULATIVE:
            errors[f"value_{pk}"] = [_("A cumulative value cannot be negative.")]
    if errors:
        raise ValidationError(errors)
    return values


def _save_blockers(report: ProgressReport, blockers: Iterable[tuple[str, Agency | None]]) -> None:
    """Keep the blockers that are still there (their ids: a case may point at them), add the
    new ones, remove the rest, except a blocker that became a case: it stays, linked both
    ways, even when the reporter leaves it out (the case goes on without the report)."""
    wanted: list[tuple[str, int | None]] = []
    for description, agency in blockers:
        text = normalize_text(description or "")
        if not text:
            continue
        if agency is not None and agency.province_id != report.period.province_id:
            raise ValidationError({"blockers": _("The agency belongs to another province.")})
        if (text, agency.pk if agency else None) not in wanted:
            wanted.append((text, agency.pk if agency else None))
    existing = list(Blocker.objects.filter(report=report).annotate(linked_case=F("case__id"))
                    .order_by("id"))
    kept = set()
    for blocker in existing:
        key = (blocker.description, blocker.unblocking_agency_id)
        if key in wanted and key not in kept:
            kept.add(key)
        elif blocker.linked_case is None:
            blocker.delete()
    Blocker.objects.bulk_create(
        Blocker(report=report, description=text, unblocking_agency_id=agency_id)
        for text, agency_id in wanted if (text, agency_id) not in kept
    )


def _content(report: ProgressReport) -> dict[str, Any]:
    """What the reporter wrote, for the audit trail."""
    return {
        "values": {str(v.indicator_id): None if v.value is None else str(v.value)
                   for v in IndicatorValue.objects.filter(report=report).order_by("indicator_id")},
        "actions": {str(a.action_id): a.state
                    for a in ActionProgress.objects.filter(report=report).order_by("action_id")},
        "blockers": [[b.description, b.unblocking_agency_id]
                     for b in Blocker.objects.filter(report=report).order_by("id")],
    }


@transaction.atomic
def report_save(
    *, report: ProgressReport, acting_user: Any, values: dict[int, Decimal | None],
    action_states: dict[int, str], achieved: str, next_steps: str, explanation: str,
    blockers: list[tuple[str, Agency | None]], expected_version: int | None = None,
) -> ProgressReport:
    """Save what the reporter wrote in a draft and compute its figures. Indicators and actions
    left out of `values` and `action_states` keep what they had."""
    locked = _lock(report)
    if expected_version is not None and locked.version != expected_version:
        raise StaleEdit
    _require_state(locked, ReportState.DRAFT)
    _require_reporting_time(locked.period)
    _sync_rows(locked)
    before = {**snapshot(locked, REPORT_AUDITED), **_content(locked)}
    rows = {row.indicator_id: row for row in
            IndicatorValue.objects.filter(report=locked).select_related("indicator")}
    _clean_values(locked, values, {pk: row.indicator for pk, row in rows.items()})
    for pk, value in values.items():
        rows[pk].value = value
    IndicatorValue.objects.bulk_update(list(rows.values()), ["value"])
    states = {row.action_id: row for row in ActionProgress.objects.filter(report=locked)}
    for pk, state in action_states.items():
        if pk not in states:
            raise ValueError(f"required action {pk} is not one of the report's")
        if state not in ActionState.values:
            raise ValidationError({f"action_{pk}": _("Choose one of the listed states.")})
        states[pk].state = state
    ActionProgress.objects.bulk_update(list(states.values()), ["state"])
    locked.achieved = (achieved or "").strip()
    locked.next_steps = (next_steps or "").strip()
    locked.explanation = (explanation or "").strip()
    _save_blockers(locked, blockers)
    locked.version += 1
    locked.save(update_fields=["achieved", "next_steps", "explanation", "version", "updated_at"])
    recompute(locked)
    _audit(locked, "report.saved", acting_user, before=before, **_content(locked))
    return locked


# --- Evidence -------------------------------------------------------------------------------

@transaction.atomic
def evidence_add(*, report: ProgressReport, acting_user: Any, upload: Any) -> Evidence:
    """Attach a file to a draft. Only the accepted kinds, judged by content; stored under a
    random name, the uploaded name kept to give back on download."""
    locked = _lock(report)
    _require_state(locked, ReportState.DRAFT)
    _require_reporting_time(locked.period)
    name = clean_file_name(getattr(upload, "name", "") or "")
    try:
        kind = check_evidence(upload)
    except ValidationError as exc:
        raise ValidationError({"evidence": exc.error_list}) from exc
    if Evidence.objects.filter(report=locked).count() >= MAX_EVIDENCE_FILES:
        raise ValidationError({"evidence": _("A report takes at most %(count)s files.")
                               % {"count": format_number(MAX_EVIDENCE_FILES)}})
    evidence = Evidence(report=locked, name=name, content_type=kind.content_type,
                        size=upload.size, uploaded_by=acting_user)
    evidence.file.save(name, upload, save=False)
    try:
        evidence.save()
        record(event="report.evidence_added", target=locked, actor=acting_user,
               province=locked.period.province,
               after={"evidence": evidence.pk, "name": name, "size": evidence.size,
                      "content_type": evidence.content_type})
    except BaseException:
        evidence.file.storage.delete(evidence.file.name)
        raise
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: Evidence, acting_user: Any) -> None:
    locked = _lock(evidence.report)
    _require_state(locked, ReportState.DRAFT)
    _require_reporting_time(locked.period)
    stored, name, pk = evidence.file.name, evidence.name, evidence.pk
    evidence.delete()
    record(event="report.evidence_removed", target=locked, actor=acting_user,
           province=locked.period.province, before={"evidence": pk, "name": name})
    storage = evidence.file.storage
    transaction.on_commit(lambda: storage.delete(stored))


# --- The workflow ---------------------------------------------------------------------------

def _comment(report: ProgressReport, acting_user: Any, kind: str, body: str) -> None:
    if body.strip():
        ReportComment.objects.create(report=report, author=acting_user, kind=kind,
                                     body=body.strip())


def submission_problems(report: ProgressReport) -> list[str]:
    """What stops the report from being submitted, in words (empty when nothing does)."""
    problems = []
    missing = [v.indicator.name for v in
               IndicatorValue.objects.filter(report=report, value__isnull=True)
               .select_related("indicator").order_by("indicator_id")]
    if missing:
        problems.append(_("Enter the actual value of every indicator. Missing: %(names)s.")
                        % {"names": "، ".join(missing)})
    if report.status in BEHIND and not report.explanation.strip():
        problems.append(_("The project is “%(status)s”: explain why it is behind before "
                          "submitting.") % {"status": report.get_status_display()})
    return problems


@transaction.atomic
def report_submit(*, report: ProgressReport, acting_user: Any) -> ProgressReport:
    """The reporter sends the draft to the agency head. Every indicator needs a value, and a
    project at risk or off track an explanation. Late when sent after the window closed."""
    locked = _lock(report)
    _require_state(locked, ReportState.DRAFT)
    _require_reporting_time(locked.period)
    before = snapshot(locked, REPORT_AUDITED)
    _sync_rows(locked)
    recompute(locked)
    problems = submission_problems(locked)
    if problems:
        raise WorkflowError(problems, code="incomplete")
    now = timezone.now()
    locked.state = ReportState.SUBMITTED
    locked.submitted_at, locked.submitted_by = now, acting_user
    locked.is_late = periods.is_late(locked.period, timezone.localdate(now))
    locked.version += 1
    locked.save(update_fields=["state", "submitted_at", "submitted_by", "is_late", "version",
                               "updated_at"])
    _audit(locked, "report.submitted", acting_user, before=before)
    _refresh_scorecard(locked)
    return locked


@transaction.atomic
def report_approve(*, report: ProgressReport, acting_user: Any, comment: str = "") -> ProgressReport:
    """The agency head approves the submitted report; it goes to the secretariat."""
    locked = _lock(report)
    _require_state(locked, ReportState.SUBMITTED)
    _require_reporting_time(locked.period)
    before = snapshot(locked, REPORT_AUDITED)
    locked.state = ReportState.APPROVED
    locked.approved_at, locked.approved_by = timezone.now(), acting_user
    locked.version += 1
    locked.save(update_fields=["state", "approved_at", "approved_by", "version", "updated_at"])
    _comment(locked, acting_user, ReportCommentKind.APPROVAL, comment)
    _audit(locked, "report.approved", acting_user, before=before, comment=comment.strip())
    return locked


@transaction.atomic
def report_return(*, report: ProgressReport, acting_user: Any, comment: str) -> ProgressReport:
    """Back to draft, by the head (submitted) or the secretariat (approved), always with a
    comment that is kept."""
    if not (comment or "").strip():
        raise ValidationError({"comment": _("Say what should be revised.")})
    locked = _lock(report)
    _require_state(locked, ReportState.SUBMITTED, ReportState.APPROVED)
    _require_reporting_time(locked.period)
    before = snapshot(locked, REPORT_AUDITED)
    locked.state = ReportState.DRAFT
    locked.submitted_at = locked.submitted_by = None
    locked.approved_at = locked.approved_by = None
    locked.version += 1
    locked.save(update_fields=["state", "submitted_at", "submitted_by", "approved_at",
                               "approved_by", "version", "updated_at"])
    _comment(locked, acting_user, ReportCommentKind.RETURN, comment)
    _audit(locked, "report.returned", acting_user, before=before, comment=comment.strip())
    _refresh_scorecard(locked)  # a returned report no longer counts as submitted
    return locked


@transaction.atomic
def report_verify(*, report: ProgressReport, acting_user: Any, comment: str = "") -> ProgressReport:
    """The secretariat verifies the approved report. Its figures are computed a last time and
    fixed: totals, statuses and rankings count it from now on."""
    locked = _lock(report)
    _require_state(locked, ReportState.APPROVED)
    _require_reporting_time(locked.period)
    before = snapshot(locked, REPORT_AUDITED)
    recompute(locked)
    locked.state = ReportState.VERIFIED
    locked.verified_at, locked.verified_by = timezone.now(), acting_user
    locked.version += 1
    locked.save(update_fields=["state", "verified_at", "verified_by", "version", "updated_at"])
    _comment(locked, acting_user, ReportCommentKind.VERIFICATION, comment)
    _audit(locked, "report.verified", acting_user, before=before, comment=comment.strip())
    _refresh_scorecard(locked)
    return locked


# --- The calendar and the rules (secretariat) -------------------------------------------------

@transaction.atomic
def period_reopen(*, period: Period, until: date, acting_user: Any, reason: str) -> Period:
    """Let a locked month's reports change again until `until` (inclusive)."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the month is reopened.")})
    locked = Period.objects.select_for_update().select_related("province").get(pk=period.pk)
    today = timezone.localdate()
    if periods.window_of(locked, today) not in (periods.Window.LOCKED, periods.Window.REOPENED):
        raise WorkflowError(_("Only a locked month can be reopened; this one still accepts "
                              "reports."), code="not_locked")
    if until < today:
        raise ValidationError({"until": _("Choose today or a later day.")})
    before = snapshot(locked, ["reopened_until"])
    locked.reopened_until = until
    locked.save(update_fields=["reopened_until"])
    record(event="period.reopened", target=locked, actor=acting_user, province=locked.province,
           before=before, after={**snapshot(locked, ["reopened_until"]),
                                 "reason": reason.strip()})
    return locked


@transaction.atomic
def reporting_rules_save(
    *, province: Province, acting_user: Any, window_opens_day: int, window_closes_day: int,
    grace_days: int, expected_version: int | None = None,
) -> ReportingRules:
    """Change the province's reporting calendar. Months whose window has not opened yet move
    to the new dates; months already open keep theirs."""
    periods.rules_for(province)
    rules = ReportingRules.objects.select_for_update().get(province=province)
    if expected_version is not None and rules.version != expected_version:
        raise StaleEdit
    errors = {}
    if not 1 <= window_opens_day <= 29:
        errors["window_opens_day"] = _("Choose a day from 1 to 29.")
    if not 1 <= window_closes_day <= 29:
        errors["window_closes_day"] = _("Choose a day from 1 to 29.")
    elif window_closes_day < window_opens_day:
        errors["window_closes_day"] = _("The window cannot close before it opens.")
    if not 0 <= grace_days <= 60:
        errors["grace_days"] = _("The grace period is from 0 to 60 days.")
    if errors:
        raise ValidationError(errors)
    before = snapshot(rules, RULES_AUDITED)
    rules.window_opens_day, rules.window_closes_day = window_opens_day, window_closes_day
    rules.grace_days = grace_days
    rules.version += 1
    rules.save()
    today = timezone.localdate()
    moved = []
    for period in Period.objects.select_for_update().filter(province=province,
                                                             opens_on__gt=today):
        dates = periods.period_dates(rules, period.year, period.month)
        period.opens_on, period.closes_on, period.locks_on = (
            dates.opens_on, dates.closes_on, dates.locks_on)
        moved.append(period)
    Period.objects.bulk_update(moved, ["opens_on", "closes_on", "locks_on"])
    record(event="reporting_rules.changed", target=rules, actor=acting_user, province=province,
           before=before, after={**snapshot(rules, RULES_AUDITED),
                                 "periods_moved": [str(p) for p in moved]})
    return rules


STATUS_ORDER = {Status.ON_TRACK: 0, Status.AT_RISK: 1, Status.OFF_TRACK: 2}


@transaction.atomic
def status_rules_save(
    *, province: Province, rules: list[tuple[str, Decimal]], acting_user: Any
) -> list[StatusRule]:
    """Replace the province's ordered status rules: from the highest threshold down, each
    status at most once, on track before at risk before off track. Reports already verified
    keep the status they were verified with; the others get the new rules at their next save."""
    errors: list[str] = []
    if not rules:
        errors.append(_("Give at least one rule."))
    seen: set[str] = set()
    previous: tuple[str, Decimal] | None = None
    for position, (state, percent) in enumerate(rules, 1):
        where = {"n": format_number(position)}
        if state not in STATUS_ORDER:
            errors.append(_("Rule %(n)s: choose on track, at risk or off track.") % where)
            continue
        if percent is None or not 0 <= percent < 10000:
            errors.append(_("Rule %(n)s: the percent is from 0 up.") % where)
            continue
        if state in seen:
            errors.append(_("Rule %(n)s: each status may have one rule only.") % where)
        if previous is not None:
            if percent >= previous[1]:
                errors.append(_("Rule %(n)s: the percents must go down from one rule to the "
                                "next.") % where)
            if STATUS_ORDER[state] < STATUS_ORDER[previous[0]]:
                errors.append(_("Rule %(n)s: a better status cannot come after a worse one.")
                              % where)
        seen.add(state)
        previous = (state, percent)
    if errors:
        raise ValidationError({"rules": errors})
    before = [[r.status, str(r.min_percent.quantize(status.PLACES))]
              for r in StatusRule.objects.filter(province=province).order_by("position")]
    StatusRule.objects.filter(province=province).delete()
    made = StatusRule.objects.bulk_create(
        StatusRule(province=province, position=n, status=state, min_percent=percent)
        for n, (state, percent) in enumerate(rules, 1)
    )
    record(event="status_rules.changed", target=province, actor=acting_user, province=province,
           before={"rules": before},
           after={"rules": [[state, str(Decimal(percent).quantize(status.PLACES))]
                            for state, percent in rules]})
    return made
