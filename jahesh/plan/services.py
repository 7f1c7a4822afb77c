"""Changes to the province's plan. Every function runs in a transaction and is audited.

Callers check permissions with the policies in permissions.py first; these functions enforce
the rules of the programme's life: draft → submitted → approved → accepted (levelled), returned
to draft with a comment at any review step, and change requests once accepted.
"""

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jahesh.audit.services import record, snapshot
from jahesh.core.persian import fold, month_bounds, normalize_text
from jahesh.core.stale import StaleEdit
from jahesh.organisation.models import Agency, Province
from jahesh.plan.models import (
    AlignmentAxis,
    ChangeRequest,
    ChangeRequestState,
    CommentKind,
    County,
    Indicator,
    KeyAction,
    PlanYear,
    PriorityIndustry,
    Programme,
    ProgrammeComment,
    ProgrammeState,
    Project,
    RequiredAction,
    TrajectoryMode,
    TrajectoryPoint,
)
from jahesh.plan.quality import check_programme, prefetch_for_quality
from jahesh.plan.trajectory import TrajectoryError, plan_trajectory

PROGRAMME_AUDITED = ["title", "level", "description", "responsible", "state", "quality_grade",
                     "priority", "is_late"]
PROJECT_AUDITED = ["title", "key_action", "county", "start_date", "end_date", "budget_provincial",
                   "budget_national", "budget_bank", "budget_private", "weight"]
INDICATOR_AUDITED = ["name", "unit", "kind", "direction", "baseline", "baseline_date", "target",
                     "weight", "measure", "trajectory_mode", "seasonal_profile"]
ACTION_AUDITED = ["title", "owner_agency", "due_date"]



class WorkflowError(ValidationError):
    """A step that the programme's state does not allow, with a message for the person."""


# --- Key actions, alignment lists, deadlines ------------------------------------------------

@transaction.atomic
def key_action_create(
    *, acting_user: Any, province: Province, year: int, number: int, title: str
) -> KeyAction:
    action = KeyAction(province=province, year=year, number=number, title=normalize_text(title))
    action.full_clean()
    action.save()
    record(event="key_action.created", target=action, actor=acting_user, province=province,
           after=snapshot(action, ["year", "number", "title"]))
    return action


@transaction.atomic
def key_action_update(*, action: KeyAction, acting_user: Any, number: int, title: str) -> KeyAction:
    before = snapshot(action, ["number", "title"])
    action.number, action.title = number, normalize_text(title)
    action.full_clean()
    action.save(update_fields=["number", "title"])
    record(event="key_action.changed", target=action, actor=acting_user, province=action.province,
           before=before, after=snapshot(action, ["number", "title"]))
    return action


@transaction.atomic
def key_action_delete(*, action: KeyAction, acting_user: Any) -> None:
    if action.projects.exists() or action.programmes.exists():
        raise ValidationError(_("Programmes or projects use this key action; it cannot be removed."))
    before = snapshot(action, ["year", "number", "title"])
    record(event="key_action.removed", target=action, actor=acting_user,
           province=action.province, before=before)
    action.delete()


@transaction.atomic
def key_actions_copy(
    *, province: Province, from_year: int, to_year: int, acting_user: Any
) -> list[KeyAction]:
    """Copy a year's key actions into another year that has none yet."""
    if KeyAction.objects.filter(province=province, year=to_year).exists():
        raise ValidationError(_("The year %(year)s already has key actions.") % {"year": to_year})
    return [
        key_action_create(acting_user=acting_user, province=province, year=to_year,
                          number=a.number, title=a.title)
        for a in KeyAction.objects.for_year(province, from_year)
    ]


@transaction.atomic
def axis_save(
    *, province: Province, acting_user: Any, number: int, title: str,
    axis: AlignmentAxis | None = None, is_active: bool = True,
) -> AlignmentAxis:
    fields = ["number", "title", "is_active"]
    before = snapshot(axis, fields) if axis else None
    axis = axis or AlignmentAxis(province=province)
    axis.number, axis.title, axis.is_active = number, normalize_text(title), is_active
    axis.full_clean()
    axis.save()
    record(event="axis.changed" if before else "axis.created", target=axis, actor=acting_user,
           province=province, before=before, after=snapshot(axis, fields))
    return axis


@transaction.atomic
def industry_save(
    *, province: Province, acting_user: Any, title: str, industry: PriorityIndustry | None = None,
    is_demo: bool = False, is_active: bool = True,
) -> PriorityIndustry:
    fields = ["title", "is_demo", "is_active"]
    before = snapshot(industry, fields) if industry else None
    industry = industry or PriorityIndustry(province=province)
    industry.title, industry.is_demo = normalize_text(title), is_demo
    industry.is_active = is_active
    industry.full_clean()
    industry.save()
    record(event="industry.changed" if before else "industry.created", target=industry,
           actor=acting_user, province=province, before=before, after=snapshot(industry, fields))
    return industry


@transaction.atomic
def county_create(*, province: Province, acting_user: Any, name: str) -> County:
    county = County(province=province, name=normalize_text(name))
    county.full_clean()
    county.save()
    record(event="county.created", target=county, actor=acting_user, province=province,
           after={"name": county.name})
    return county


def default_deadline(year: int) -> date:
    """The last day of Farvardin (always the 31st) of the year."""
    return month_bounds(year, 1)[1]


def plan_year(province: Province, year: int) -> PlanYear:
    """The year's settings, created with the default deadline the first time they are needed."""
    found = PlanYear.objects.filter(province=province, year=year).first()
    if found is not None:
        return found
    return PlanYear.objects.get_or_create(
        province=province, year=year, defaults={"submission_deadline": default_deadline(year)}
    )[0]


@transaction.atomic
def deadline_set(*, province: Province, year: int, deadline: date, acting_user: Any) -> PlanYear:
    settings_ = plan_year(province, year)
    before = snapshot(settings_, ["submission_deadline"])
    settings_.submission_deadline = deadline
    settings_.save(update_fields=["submission_deadline"])
    record(event="plan_year.deadline_set", target=settings_, actor=acting_user, province=province,
           before=before, after=snapshot(settings_, ["submission_deadline"]))
    return settings_


# --- Programmes -----------------------------------------------------------------------------

def _programme_search_text(programme: Programme) -> str:
    return fold(f"{programme.title} {programme.agency.name}")


def _require_draft(programme: Programme) -> None:
    # The state is read from the database, and the row locked until the change is saved: the
    # caller's copy may be stale (a project's cached programme, accepted since it was loaded).
    state = (Programme.objects.select_for_update().filter(pk=programme.pk)
             .values_list("state", flat=True).first())
    if state != ProgrammeState.DRAFT:
        raise WorkflowError(_("Only a draft programme can be changed. Ask for a change request."))


def _lock(programme: Programme) -> Programme:
    return Programme.objects.select_for_update().select_related("agency", "province").get(
        pk=programme.pk
    )


@transaction.atomic
def programme_create(
    *,
    acting_user: Any,
    agency: Agency,
    year: int,
    level: str,
    title: str,
    key_actions: Iterable[KeyAction],
    description: str = "",
    axes: Iterable[AlignmentAxis] = (),
    priority_industries: Iterable[PriorityIndustry] = (),
    responsible: Any | None = None,
    supporting_agencies: Iterable[Agency] = (),
) -> Programme:
    programme = Programme(
        province=agency.province, agency=agency, year=year, level=level,
        title=normalize_text(title), description=description.strip(), responsible=responsible,
    )
    programme.search_text = _programme_search_text(programme)
    programme.full_clean()
    programme.save()
    programme.key_actions.set(key_actions)
    programme.axes.set(axes)
    programme.priority_industries.set(priority_industries)
    programme.supporting_agencies.set([a for a in supporting_agencies if a.pk != agency.pk])
    record(event="programme.created", target=programme, actor=acting_user,
           province=programme.province, after=snapshot(programme, PROGRAMME_AUDITED))
    return programme


@transaction.atomic
def programme_update(
    *, programme: Programme, acting_user: Any, expected_version: int | None = None,
    key_actions: Iterable[KeyAction] | None = None, axes: Iterable[AlignmentAxis] | None = None,
    priority_industries: Iterable[PriorityIndustry] | None = None,
    supporting_agencies: Iterable[Agency] | None = None, **changes: Any,
) -> Programme:
    locked = _lock(programme)
    if expected_version is not None and locked.version != expected_version:
        raise StaleEdit
    _require_draft(locked)
    before = snapshot(locked, PROGRAMME_AUDITED)
    for name, value in changes.items():
        if name not in {"title", "level", "description", "responsible"}:
            raise ValueError(f"programme field {name!r} cannot be changed here")
        setattr(locked, name, normalize_text(value) if name == "title" else value)
    locked.search_text = _programme_search_text(locked)
    locked.version += 1
    locked.full_clean()
    locked.save()
    if key_actions is not None:
        locked.key_actions.set(key_actions)
    if axes is not None:
        locked.axes.set(axes)
    if priority_industries is not None:
        locked.priority_industries.set(priority_industries)
    if supporting_agencies is not None:
        locked.supporting_agencies.set([a for a in supporting_agencies if a.pk != locked.agency_id])
    record(event="programme.changed", target=locked, actor=acting_user, province=locked.province,
           before=before, after=snapshot(locked, PROGRAMME_AUDITED))
    return locked


def _transition(
    programme: Programme, *, acting_user: Any, event: str, to: str, allowed_from: Sequence[str],
    comment: str = "", comment_kind: str = CommentKind.NOTE, **fields: Any,
) -> Programme:
    locked = _lock(programme)
    if locked.state not in allowed_from:
        raise WorkflowError(
            _("This step is not possible while the programme is “%(state)s”.")
            % {"state": locked.get_state_display()}
        )
    before = snapshot(locked, PROGRAMME_AUDITED)
    locked.state = to
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.version += 1
    locked.full_clean()
    locked.save()
    if comment.strip():
        ProgrammeComment.objects.create(programme=locked, author=acting_user, kind=comment_kind,
                                        body=comment.strip())
    record(event=event, target=locked, actor=acting_user, province=locked.province,
           before=before, after={**snapshot(locked, PROGRAMME_AUDITED), "comment": comment.strip()})
    return locked


@transaction.atomic
def programme_submit(*, programme: Programme, acting_user: Any) -> Programme:
    """The reporter sends the draft to the agency head. Blocked while the check finds errors."""
    fresh = prefetch_for_quality(Programme.objects.filter(pk=programme.pk)).get()
    report = check_programme(fresh)
    if report.errors:
        raise WorkflowError(
            [_("The quality check found problems to fix before submitting:")]
            + [f"{f.where}: {f.message}" for f in report.errors]
        )
    now = timezone.now()
    deadline = plan_year(fresh.province, fresh.year).submission_deadline
    return _transition(
        programme, acting_user=acting_user, event="programme.submitted",
        to=ProgrammeState.SUBMITTED, allowed_from=[ProgrammeState.DRAFT],
        submitted_at=now, is_late=timezone.localdate(now) > deadline,
    )


@transaction.atomic
def programme_approve(*, programme: Programme, acting_user: Any, comment: str = "") -> Programme:
    """The agency head approves the submitted programme; it goes to the secretariat."""
    return _transition(programme, acting_user=acting_user, event="programme.approved",
                       to=ProgrammeState.APPROVED, allowed_from=[ProgrammeState.SUBMITTED],
                       comment=comment)


@transaction.atomic
def programme_return(*, programme: Programme, acting_user: Any, comment: str) -> Programme:
    """Back to draft, by the head or the secretariat, always with a comment that is kept."""
    if not comment.strip():
        raise ValidationError({"comment": _("Say what should be revised.")})
    return _transition(
        programme, acting_user=acting_user, event="programme.returned", to=ProgrammeState.DRAFT,
        allowed_from=[ProgrammeState.SUBMITTED, ProgrammeState.APPROVED], comment=comment,
        comment_kind=CommentKind.RETURNED,
    )


@transaction.atomic
def programme_accept(
    *, programme: Programme, acting_user: Any, quality_grade: str, priority: str, comment: str = ""
) -> Programme:
    """The secretariat accepts and levels (سطح‌بندی) the programme; it is locked from now on."""
    return _transition(
        programme, acting_user=acting_user, event="programme.accepted",
        to=ProgrammeState.ACCEPTED, allowed_from=[ProgrammeState.APPROVED], comment=comment,
        quality_grade=quality_grade, priority=priority, accepted_at=timezone.now(),
    )


@transaction.atomic
def programme_comment(*, programme: Programme, acting_user: Any, body: str) -> ProgrammeComment:
    if not body.strip():
        raise ValidationError({"body": _("Write a comment.")})
    comment = ProgrammeComment.objects.create(programme=programme, author=acting_user,
                                              kind=CommentKind.NOTE, body=body.strip())
    record(event="programme.commented", target=programme, actor=acting_user,
           province=programme.province, after={"comment": comment.body})
    return comment


@transaction.atomic
def change_request_open(*, programme: Programme, acting_user: Any, reason: str) -> ChangeRequest:
    locked = _lock(programme)
    if locked.state != ProgrammeState.ACCEPTED:
        raise WorkflowError(_("Only an accepted programme needs a change request."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say what should change and why.")})
    if locked.change_requests.filter(state=ChangeRequestState.PENDING).exists():
        raise WorkflowError(_("A change request for this programme is already waiting."))
    request = ChangeRequest.objects.create(programme=locked, requested_by=acting_user,
                                           reason=reason.strip())
    ProgrammeComment.objects.create(programme=locked, author=acting_user,
                                    kind=CommentKind.CHANGE_REQUEST, body=reason.strip())
    record(event="change_request.opened", target=locked, actor=acting_user,
           province=locked.province, after={"reason": request.reason})
    return request


@transaction.atomic
def change_request_decide(
    *, request: ChangeRequest, acting_user: Any, accept: bool, comment: str = ""
) -> ChangeRequest:
    """Accepting reopens the programme as a draft, without its levelling: it is graded and
    prioritised again when the secretariat accepts it again."""
    request = ChangeRequest.objects.select_for_update().get(pk=request.pk)
    if request.state != ChangeRequestState.PENDING:
        raise WorkflowError(_("This change request has already been decided."))
    request.state = ChangeRequestState.ACCEPTED if accept else ChangeRequestState.REFUSED
    request.decided_by, request.decided_at = acting_user, timezone.now()
    request.save(update_fields=["state", "decided_by", "decided_at"])
    programme = request.programme
    if accept:
        _transition(programme, acting_user=acting_user, event="programme.reopened",
                    to=ProgrammeState.DRAFT, allowed_from=[ProgrammeState.ACCEPTED],
                    comment=comment, comment_kind=CommentKind.DECISION,
                    quality_grade="", priority="")
    else:
        if comment.strip():
            ProgrammeComment.objects.create(programme=programme, author=acting_user,
                                            kind=CommentKind.DECISION, body=comment.strip())
        record(event="change_request.refused", target=programme, actor=acting_user,
               province=programme.province, after={"comment": comment.strip()})
    return request


# --- Projects, required actions, indicators -------------------------------------------------

def _project_search_text(project: Project) -> str:
    return fold(project.title)


@transaction.atomic
def project_save(
    *, programme: Programme, acting_user: Any, project: Project | None = None,
    expected_version: int | None = None, **values: Any,
) -> Project:
    """Create a project (project=None) or change one, in a draft programme."""
    _require_draft(programme)
    if project is not None:
        project = Project.objects.select_for_update().get(pk=project.pk)
        if project.programme_id != programme.pk:
            raise ValueError("the project belongs to another programme")
        if expected_version is not None and project.version != expected_version:
            raise StaleEdit
        before = snapshot(project, PROJECT_AUDITED)
        project.version += 1
    else:
        project, before = Project(programme=programme), None
    for name, value in values.items():
        if name not in PROJECT_AUDITED:
            raise ValueError(f"project field {name!r} cannot be set here")
        setattr(project, name, normalize_text(value) if name == "title" else value)
    if project.key_action_id and project.key_action.province_id != programme.province_id:
        raise ValidationError({"key_action": _("The key action belongs to another province.")})
    project.search_text = _project_search_text(project)
    project.full_clean()
    project.save()
    after = snapshot(project, PROJECT_AUDITED)
    if before != after:
        record(event="project.changed" if before else "project.created", target=project,
               actor=acting_user, province=programme.province, before=before, after=after)
    return project


@transaction.atomic
def project_delete(*, project: Project, acting_user: Any) -> None:
    _require_draft(project.programme)
    record(event="project.removed", target=project, actor=acting_user,
           province=project.programme.province, before=snapshot(project, PROJECT_AUDITED))
    project.delete()


@transaction.atomic
def required_action_save(
    *, project: Project, acting_user: Any, action: RequiredAction | None = None, **values: Any
) -> RequiredAction:
    _require_draft(project.programme)
    if action is not None and action.project_id != project.pk:
        raise ValueError("the required action belongs to another project")
    before = snapshot(action, ACTION_AUDITED) if action else None
    action = action or RequiredAction(project=project)
    for name, value in values.items():
        if name not in ACTION_AUDITED:
            raise ValueError(f"required action field {name!r} cannot be set here")
        setattr(action, name, normalize_text(value) if name == "title" else value)
    action.full_clean()
    action.save()
    after = snapshot(action, ACTION_AUDITED)
    if before != after:
        record(event="required_action.changed" if before else "required_action.created",
               target=action, actor=acting_user, province=project.programme.province,
               before=before, after=after)
    return action


@transaction.atomic
def required_action_delete(*, action: RequiredAction, acting_user: Any) -> None:
    _require_draft(action.project.programme)
    record(event="required_action.removed", target=action, actor=acting_user,
           province=action.project.programme.province, before=snapshot(action, ACTION_AUDITED))
    action.delete()


def _write_trajectory(indicator: Indicator, manual: Sequence[Decimal | None] | None) -> None:
    if indicator.target is None:
        indicator.trajectory.all().delete()
        return
    if manual is None and indicator.trajectory_mode == TrajectoryMode.MANUAL:
        # A change to another field keeps the months typed by hand (checked against the target).
        manual = list(indicator.trajectory.order_by("month").values_list("value", flat=True))
    try:
        values = plan_trajectory(
            kind=indicator.kind, baseline=indicator.baseline, target=indicator.target,
            mode=indicator.trajectory_mode, profile=indicator.seasonal_profile, manual=manual,
        )
    except TrajectoryError as exc:
        raise ValidationError({"trajectory": _translate_trajectory_error(exc)}) from exc
    indicator.trajectory.all().delete()
    TrajectoryPoint.objects.bulk_create(
        TrajectoryPoint(indicator=indicator, month=m, value=v) for m, v in enumerate(values, 1)
    )


def _translate_trajectory_error(exc: TrajectoryError) -> str:
    messages = {
        "a seasonal profile needs four non-negative season shares":
            _("A seasonal profile needs four shares, one for each season, none negative."),
        "a hand-typed trajectory needs a value for each of the 12 months":
            _("Type a planned value for each of the twelve months."),
        "the trajectory must end at the year-end target":
            _("The value for Esfand must equal the year-end target."),
    }
    return messages.get(str(exc), str(exc))


@transaction.atomic
def indicator_save(
    *, project: Project, acting_user: Any, indicator: Indicator | None = None,
    manual_trajectory: Sequence[Decimal | None] | None = None, **values: Any,
) -> Indicator:
    """Create or change an indicator; its monthly trajectory is planned again to the target."""
    _require_draft(project.programme)
    if indicator is not None and indicator.project_id != project.pk:
        raise ValueError("the indicator belongs to another project")
    before = snapshot(indicator, INDICATOR_AUDITED) if indicator else None
    indicator = indicator or Indicator(project=project)
    for name, value in values.items():
        if name not in INDICATOR_AUDITED:
            raise ValueError(f"indicator field {name!r} cannot be set here")
        if name in {"name", "unit"}:
            value = normalize_text(value)
        setattr(indicator, name, value)
    if indicator.trajectory_mode != TrajectoryMode.SEASONAL:
        indicator.seasonal_profile = []
    indicator.full_clean()
    indicator.save()
    _write_trajectory(indicator, manual_trajectory)
    after = snapshot(indicator, INDICATOR_AUDITED)
    trajectory = [str(v) for v in indicator.trajectory.values_list("value", flat=True)]
    after["trajectory"] = trajectory
    record(event="indicator.changed" if before else "indicator.created", target=indicator,
           actor=acting_user, province=project.programme.province, before=before, after=after)
    return indicator


@transaction.atomic
def indicator_delete(*, indicator: Indicator, acting_user: Any) -> None:
    _require_draft(indicator.project.programme)
    record(event="indicator.removed", target=indicator, actor=acting_user,
           province=indicator.project.programme.province,
           before=snapshot(indicator, INDICATOR_AUDITED))
    indicator.delete()
