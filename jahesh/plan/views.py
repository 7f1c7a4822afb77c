"""The plan pages: programmes and their workflow, submissions, plan settings.

Thin: parse input, check access with the policies in permissions.py, call a service, render.
"""

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jahesh.core.paging import paginate, query_without_page
from jahesh.core.persian import localize_digits, to_latin_digits
from jahesh.core.stale import add_service_errors, show_stale_edit, step_on_stale_page
from jahesh.organisation.access import Actor, actor_for
from jahesh.organisation.models import Agency, Province
from jahesh.organisation.selectors import home_province
from jahesh.plan import pickers, selectors, services
from jahesh.plan.forms import (
    AcceptForm,
    ApproveForm,
    AxisForm,
    ChangeRequestForm,
    CommentForm,
    DeadlineForm,
    DecideChangeForm,
    IndicatorForm,
    IndustryForm,
    KeyActionForm,
    ProgrammeFilterForm,
    ProgrammeForm,
    ProjectForm,
    RequiredActionForm,
    ReturnForm,
    SubmitForm,
    WorkflowForm,
)
from jahesh.plan.models import (
    AlignmentAxis,
    ChangeRequest,
    Indicator,
    KeyAction,
    PriorityIndustry,
    Programme,
    ProgrammeState,
    Project,
    RequiredAction,
)
from jahesh.plan.permissions import AGENCY_EDITORS
from jahesh.plan.permissions import plan_settings as settings_policy
from jahesh.plan.permissions import programmes as programme_policy

STALE_PROGRAMME = gettext_lazy(
    "The programme changed after you opened the page, so nothing was done. Look at it again "
    "and then choose what to do."
)
NOT_A_DRAFT = gettext_lazy("Only a draft programme can be changed. Ask for a change request.")


# --- Helpers --------------------------------------------------------------------------------

def _province(request: HttpRequest) -> Province:
    province = home_province(actor_for(request.user))
    if province is None:
        raise Http404
    return province


def _year(request: HttpRequest, province: Province) -> int:
    """The fiscal year asked for (?year=1404, in any digits), else the province's current one."""
    try:
        year = int(to_latin_digits(request.GET.get("year", "")).strip())
    except ValueError:
        return province.current_year
    return year if 1300 <= year <= 1600 else province.current_year


def _detail_url(programme: Programme, anchor: str = "") -> str:
    url = reverse("plan:programme_detail", args=[programme.pk])
    return f"{url}#{anchor}" if anchor else url


def _editable(request: HttpRequest, actor: Actor, programme: Programme) -> HttpResponse | None:
    """None when the actor may change the programme's content now.

    Someone who could edit it as a draft, but finds it submitted or accepted meanwhile, is sent
    back to the programme with the reason; anyone else gets 403.
    """
    if programme_policy.allows(actor, "edit", programme):
        return None
    as_draft = copy.copy(programme)
    as_draft.state = ProgrammeState.DRAFT
    if programme.state != ProgrammeState.DRAFT and programme_policy.allows(actor, "edit", as_draft):
        messages.error(request, NOT_A_DRAFT)
        return redirect(_detail_url(programme))
    raise PermissionDenied


def _editable_agencies(actor: Actor, province: Province) -> list[Agency]:
    """The agencies of the province the actor may create programmes for."""
    if not actor.agencies(*AGENCY_EDITORS):
        return []
    candidates = Agency.objects.filter(
        province=province, pk__in=actor.agencies(*AGENCY_EDITORS)).order_by("name")
    return [a for a in candidates if programme_policy.allows(actor, "create", agency=a)]


# --- Programme list and detail ----------------------------------------------------------------

@login_required
def programme_list(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    province = _province(request)
    year = province.current_year
    province_wide = selectors.is_province_wide(actor, province)
    form = ProgrammeFilterForm(request.GET or None, province=province, year=year,
                               province_wide=province_wide)
    rows = selectors.programme_list(actor, province, year)
    if form.is_valid():
        data = form.cleaned_data
        rows = rows.search(data["q"])
        if data.get("agency"):
            rows = rows.filter(agency=data["agency"])
        if data["level"]:
            rows = rows.filter(level=data["level"])
        if data["state"]:
            rows = rows.filter(state=data["state"])
        if data["key_action"]:
            rows = rows.filter(key_actions=data["key_action"])
    page = paginate(request, rows)
    selectors.attach_quality(page)
    may_create = bool(_editable_agencies(actor, province))
    context = {
        "form": form, "page": page, "query": query_without_page(request), "year": year,
        "province": province, "province_wide": province_wide, "may_create": may_create,
    }
    template = "plan/_programme_rows.html" if request.htmx else "plan/programme_list.html"
    return render(request, template, context)


WORKFLOW_ACTIONS = ("edit", "submit", "approve", "return", "accept", "request_change",
                    "decide_change", "comment")


def _render_detail(
    request: HttpRequest, actor: Actor, programme: Programme, *, bound: WorkflowForm | None = None,
    workflow_errors: list[str] | None = None,
) -> HttpResponse:
    """The detail page; after a refused step, with its form bound or the service's messages.

    A refused form comes back with 200, as Django's form views do (and as the browser expects).
    """
    detail = selectors.programme_detail(programme)
    programme = detail.programme
    may = {action: programme_policy.allows(actor, action, programme) for action in WORKFLOW_ACTIONS}
    may["decide_change"] = may["decide_change"] and detail.pending_change is not None
    forms: dict[str, WorkflowForm] = {}
    for step in STEPS.values():
        if may[step.action]:
            forms[step.name] = step.form(programme=programme)
    if bound is not None:
        forms[bound.prefix_name] = bound
    return render(request, "plan/programme_detail.html", {
        "programme": programme, "detail": detail, "may": may, "forms": forms,
        "workflow_errors": workflow_errors or [],
    })


@login_required
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request.user)
    programme = programme_policy.get_or_404(actor, pk=pk)
    return _render_detail(request, actor, programme)


# --- Programme create and edit ----------------------------------------------------------------

def _programme_values(form: ProgrammeForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {name: data[name] for name in (
        "title", "level", "description", "responsible", "key_actions", "axes",
        "priority_industries", "supporting_agencies")}


@login_required
def programme_create(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    province = _province(request)
    editable = _editable_agencies(actor, province)
    if not editable:
        raise PermissionDenied
    year = province.current_year
    agencies = Agency.objects.filter(pk__in=[a.pk for a in editable]).order_by("name")
    form = ProgrammeForm(request.POST or None, province=province, year=year, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        agency = form.fixed_agency or form.cleaned_data["agency"]
        programme_policy.require(actor, "create", agency=agency)
        try:
            programme = services.programme_create(
                acting_user=request.user, agency=agency, year=year, **_programme_values(form))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The programme was created as a draft. Now add its "
                                        "projects."))
            return redirect(_detail_url(programme))
    return render(request, "plan/programme_form.html",
                  {"form": form, "programme": None, "year": year})


@login_required
def programme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request.user)
    programme = programme_policy.get_or_404(actor, pk=pk)
    if (refused := _editable(request, actor, programme)) is not None:
        return refused
    form_kwargs = {"province": programme.province, "year": programme.year,
                   "agencies": Agency.objects.filter(pk=programme.agency_id),
                   "instance": programme}
    form = ProgrammeForm(request.POST or None, **form_kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            services.programme_update(programme=programme, acting_user=request.user,
                                      expected_version=form.cleaned_data["version"],
                                      **_programme_values(form))
        except services.StaleEdit:
            programme.refresh_from_db()
            form = ProgrammeForm(**form_kwargs)
            show_stale_edit(form)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(_detail_url(programme))
    return render(request, "plan/programme_form.html",
                  {"form": form, "programme": programme, "year": programme.year})


# --- The workflow ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Step:
    name: str
    action: str  # the ProgrammePolicy rule
    form: type[WorkflowForm]
    run: Callable[..., Any]
    done: Any  # the message when it worked


STEPS = {step.name: step for step in [
    Step("submit", "submit", SubmitForm,
         lambda p, user, data, _r: services.programme_submit(programme=p, acting_user=user),
         gettext_lazy("Submitted to the agency head.")),
    Step("approve", "approve", ApproveForm,
         lambda p, user, data, _r: services.programme_approve(
             programme=p, acting_user=user, comment=data["comment"]),
         gettext_lazy("Approved and sent to the secretariat.")),
    Step("return", "return", ReturnForm,
         lambda p, user, data, _r: services.programme_return(
             programme=p, acting_user=user, comment=data["comment"]),
         gettext_lazy("Returned for revision with your comment.")),
    Step("accept", "accept", AcceptForm,
         lambda p, user, data, _r: services.programme_accept(
             programme=p, acting_user=user, quality_grade=data["quality_grade"],
             priority=data["priority"], comment=data["comment"]),
         gettext_lazy("Accepted and levelled. The programme is now locked.")),
    Step("comment", "comment", CommentForm,
         lambda p, user, data, _r: services.programme_comment(
             programme=p, acting_user=user, body=data["body"]),
         gettext_lazy("Your comment was added.")),
    Step("change", "request_change", ChangeRequestForm,
         lambda p, user, data, _r: services.change_request_open(
             programme=p, acting_user=user, reason=data["reason"]),
         gettext_lazy("Your change request was sent to the secretariat.")),
    Step("decide", "decide_change", DecideChangeForm,
         lambda p, user, data, request: services.change_request_decide(
             request=request, acting_user=user, accept=data["decision"] == "accept",
             comment=data["comment"]),
         gettext_lazy("The change request was decided.")),
]}


@login_required
@require_POST
def programme_step(request: HttpRequest, pk: int, step: str,
                   request_pk: int | None = None) -> HttpResponse:
    """One workflow step (submit, approve, return, accept, comment, change request, decide)."""
    actor = actor_for(request.user)
    programme = programme_policy.get_or_404(actor, pk=pk)
    spec = STEPS[step]
    form = spec.form(request.POST, programme=programme)
    allowed = programme_policy.allows(actor, spec.action, programme)
    if step_on_stale_page(form, programme, allowed=allowed,
                          allows=lambda seen: programme_policy.allows(actor, spec.action, seen)):
        messages.warning(request, STALE_PROGRAMME)
        return redirect(_detail_url(programme))
    if not allowed:
        raise PermissionDenied
    change_request = None
    if request_pk is not None:
        change_request = get_object_or_404(ChangeRequest, pk=request_pk, programme=programme)
    if not form.is_valid():
        return _render_detail(request, actor, programme, bound=form)
    try:
        spec.run(programme, request.user, form.cleaned_data, change_request)
    except services.WorkflowError as exc:
        return _render_detail(request, actor, programme, workflow_errors=exc.messages)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _render_detail(request, actor, programme, bound=form)
    messages.success(request, spec.done)
    return redirect(_detail_url(programme))


# --- Projects, required actions, indicators ---------------------------------------------------

def _project(actor: Actor, pk: int) -> tuple[Programme, Project]:
    programme = programme_policy.get_or_404(actor, projects=pk)
    project = get_object_or_404(Project, pk=pk, programme=programme)
    project.programme = programme
    return programme, project


@login_required
def project_create(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request.user)
    programme = programme_policy.get_or_404(actor, pk=pk)
    if (refused := _editable(request, actor, programme)) is not None:
        return refused
    form = ProjectForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_save(programme=programme, acting_user=request.user,
                                            **form.values())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Project added. Now give it at least one indicator."))
            return redirect(_detail_url(programme, f"project-{project.pk}"))
    return render(request, "plan/project_form.html",
                  {"form": form, "programme": programme, "project": None})


@login_required
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request.user)
    programme, project = _project(actor, pk)
    if (refused := _editable(request, actor, programme)) is not None:
        return refused
    form = ProjectForm(request.POST or None, programme=programme, instance=project)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_save(programme=programme, acting_user=request.user, project=project,
                                  expected_version=form.cleaned_data["version"], **form.values())
        except services.StaleEdit:
            project.refresh_from_db()
            form = ProjectForm(programme=programme, instance=project)
            show_stale_edit(form)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(_detail_url(programme, f"project-{project.pk}"))
    return render(request, "plan/project_form.html",
                  {"form": form, "programme": programme, "project": project})


@login_required
@require_POST
def project_delete(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request.user)
    programme, project = _project(actor, pk)
    if (refused := _editable(request, actor, programme)) is not None:
        return refused
    services.project_delete(project=project, acting_user=request.user)
    messages.success(request, _("Project “%(title)s” was removed.") % {"title": project.title})
    return redirect(_detail_url(programme))


@login_required
def action_create(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request.user)
    programme, project = _project(actor, pk)
    return _action_form(request, actor, programme, project, None)


@login_required
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request.user)
    programme = programme_policy.get_or_404(actor, projects__required_actions=pk)
    action = get_object_or_404(RequiredAction.objects.select_related("project"), pk=pk,
                               project__programme=programme)
    action.project.programme = programme
    return _action_form(request, actor, programme, action.project, action)


def _action_form(request: HttpRequest, actor: Actor, programme: Programme, project: Project,
                 action: RequiredAction | None) -> HttpResponse:
    if (refused := _editable(request, actor, programme)) is not None:
        return refused
    form = RequiredActionForm(request.POST or None, province=programme.province, instance=action)
    if request.method == "POST" and form.is_valid():
        try:
            services.required_action_save(project=project, acting_user=request.user,
                                          action=action, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(_detail_url(programme, f"project-{project.pk}"))
    return render(request, "plan/action_form.html", {
        "form": form, "programme": programme, "project": project, "action": action})


@login_required
@require_POST
def action_delete(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request.user)
    programme = programme_policy.get_or_404(actor, projects__required_actions=pk)
    action = get_object_or_404(RequiredAction.objects.select_related("project"), pk=pk,
                               project__programme=programme)
    action.project.programme = programme
    if (refused := _editable(request, actor, programme)) is not None:
        return refused
    services.required_action_delete(action=action, acting_user=request.user)
    messages.success(request, _("The required action was removed."))
    return redirect(_detail_url(programme, f"project-{action.project_id}"))


@login_required
def indicator_create(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request.user)
    programme, project = _project(actor, pk)
    return _indicator_form(request, actor, programme, project, None)


def _indicator(actor: Actor, pk: int) -> tuple[Programme, Indicator]:
    programme = programme_policy.get_or_404(actor, projects__indicators=pk)
    indicator = get_object_or_404(Indicator.objects.select_related("project"), pk=pk,
                                  project__programme=programme)
    indicator.project.programme = programme
    return programme, indicator


@login_required
def indicator_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request.user)
    programme, indicator = _indicator(actor, pk)
    return _indicator_form(request, actor, programme, indicator.project, indicator)


def _indicator_form(request: HttpRequest, actor: Actor, programme: Programme, project: Project,
                    indicator: Indicator | None) -> HttpResponse:
    if (refused := _editable(request, actor, programme)) is not None:
        return refused
    form = IndicatorForm(request.POST or None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_save(project=project, acting_user=request.user,
                                    indicator=indicator,
                                    manual_trajectory=form.manual_trajectory(), **form.values())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Indicator saved, with its monthly trajectory."))
            return redirect(_detail_url(programme, f"project-{project.pk}"))
    return render(request, "plan/indicator_form.html", {
        "form": form, "programme": programme, "project": project, "indicator": indicator})


@login_required
@require_POST
def indicator_delete(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request.user)
    programme, indicator = _indicator(actor, pk)
    if (refused := _editable(request, actor, programme)) is not None:
        return refused
    services.indicator_delete(indicator=indicator, acting_user=request.user)
    messages.success(request, _("The indicator was removed."))
    return redirect(_detail_url(programme, f"project-{indicator.project_id}"))


# --- Submissions ----------------------------------------------------------------------------

def _require_manage(actor: Actor, province: Province) -> None:
    if not settings_policy.may_manage(actor, province):
        raise PermissionDenied


@login_required
def submissions(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    province = _province(request)
    _require_manage(actor, province)
    year = _year(request, province)
    return _render_submissions(request, province, year, None)


def _render_submissions(request: HttpRequest, province: Province, year: int,
                        form: DeadlineForm | None) -> HttpResponse:
    overview = selectors.submission_overview(province, year)
    if form is None:
        form = DeadlineForm(initial={"deadline": overview.deadline})
    return render(request, "plan/submissions.html", {
        "overview": overview, "form": form, "province": province, "year": year,
    })


@login_required
@require_POST
def deadline_set(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    province = _province(request)
    _require_manage(actor, province)
    year = _year(request, province)
    form = DeadlineForm(request.POST)
    if not form.is_valid():
        return _render_submissions(request, province, year, form)
    services.deadline_set(province=province, year=year, deadline=form.cleaned_data["deadline"],
                          acting_user=request.user)
    messages.success(request, _("The submission deadline was changed."))
    return redirect(f"{reverse('plan:submissions')}?year={year}")


# --- Plan settings --------------------------------------------------------------------------

def _settings_url(year: int) -> str:
    return f"{reverse('plan:settings')}?year={year}"


@login_required
def plan_settings(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    province = _province(request)
    if not settings_policy.may_view(actor, province):
        raise PermissionDenied
    year = _year(request, province)
    return render(request, "plan/settings.html", {
        "settings": selectors.plan_settings(province, year), "province": province,
        "may_manage": settings_policy.may_manage(actor, province),
    })


def _settings_form(
    request: HttpRequest, *, form: Any, title: str, back: str, save: Callable[[dict], Any],
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(back)
    return render(request, "plan/settings_form.html", {"form": form, "title": title, "back": back})


@login_required
def key_action_create(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    province = _province(request)
    _require_manage(actor, province)
    year = _year(request, province)
    form = KeyActionForm(request.POST or None, province=province, year=year)
    return _settings_form(
        request, form=form, back=_settings_url(year),
        title=_("New key action for %(year)s") % {"year": localize_digits(year)},
        save=lambda data: services.key_action_create(
            acting_user=request.user, province=province, year=year, **data),
    )


@login_required
def key_action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request.user)
    province = _province(request)
    action = get_object_or_404(KeyAction, pk=pk, province=province)
    _require_manage(actor, province)
    form = KeyActionForm(request.POST or None, province=province, year=action.year,
                         instance=action)
    return _settings_form(
        request, form=form, back=_settings_url(action.year), title=_("Edit key action"),
        save=lambda data: services.key_action_update(action=action, acting_user=request.user,
                                                     **data),
    )


@login_required
@require_POST
def key_action_delete(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request.user)
    province = _province(request)
    action = get_object_or_404(KeyAction, pk=pk, province=province)
    _require_manage(actor, province)
    try:
        services.key_action_delete(action=action, acting_user=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Key action “%(title)s” was removed.") % {"title": action.title})
    return redirect(_settings_url(action.year))


@login_required
@require_POST
def key_actions_copy(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    province = _province(request)
    _require_manage(actor, province)
    year = _year(request, province)
    try:
        copied = services.key_actions_copy(province=province, from_year=year, to_year=year + 1,
                                           acting_user=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(_settings_url(year))
    if not copied:
        messages.error(request, _("The year %(year)s has no key actions to copy.")
                       % {"year": localize_digits(year)})
        return redirect(_settings_url(year))
    messages.success(request, _("The key actions of %(from)s were copied into %(to)s.")
                     % {"from": localize_digits(year), "to": localize_digits(year + 1)})
    return redirect(_settings_url(year + 1))


@login_required
def axis_create(request: HttpRequest) -> HttpResponse:
    return _axis_form(request, None)


@login_required
def axis_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _axis_form(request, pk)


def _axis_form(request: HttpRequest, pk: int | None) -> HttpResponse:
    actor = actor_for(request.user)
    province = _province(request)
    axis = get_object_or_404(AlignmentAxis, pk=pk, province=province) if pk else None
    _require_manage(actor, province)
    form = AxisForm(request.POST or None, province=province, instance=axis)
    return _settings_form(
        request, form=form, back=reverse("plan:settings") + "#axes",
        title=_("Edit development axis") if axis else _("New development axis"),
        save=lambda data: services.axis_save(province=province, acting_user=request.user,
                                             axis=axis, **data),
    )


@login_required
def industry_create(request: HttpRequest) -> HttpResponse:
    return _industry_form(request, None)


@login_required
def industry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _industry_form(request, pk)


def _industry_form(request: HttpRequest, pk: int | None) -> HttpResponse:
    actor = actor_for(request.user)
    province = _province(request)
    industry = get_object_or_404(PriorityIndustry, pk=pk, province=province) if pk else None
    _require_manage(actor, province)
    form = IndustryForm(request.POST or None, province=province, instance=industry)
    return _settings_form(
        request, form=form, back=reverse("plan:settings") + "#industries",
        title=_("Edit priority industry") if industry else _("New priority industry"),
        save=lambda data: services.industry_save(province=province, acting_user=request.user,
                                                 industry=industry, **data),
    )


# --- Pickers: projects and indicators of the year, by typing -------------------------------

def _picker_options(request: HttpRequest, options: list[dict[str, Any]],
                    nothing_found: str) -> HttpResponse:
    return render(request, "forms/widgets/search_picker_options.html", {
        "options": options, "searched": bool(request.GET.get("q", "").strip()),
        "nothing_found": nothing_found})


def _projects_seen(request: HttpRequest) -> QuerySet[Project]:
    """The year's projects of the person's province that the person may see."""
    province = _province(request)
    return pickers.projects_of_year(province, province.current_year).filter(
        programme__in=programme_policy.visible(actor_for(request.user)))


@login_required
def project_search(request: HttpRequest) -> HttpResponse:
    """The project picker's list: up to 20 of the year's projects the person may see."""
    found = pickers.matching_projects(_projects_seen(request), request.GET.get("q", "")[:100])
    return _picker_options(request, [
        {"id": p.pk, "label": pickers.project_label(p), "title": p.title,
         "detail": p.programme.agency.name} for p in found
    ], _("No project of this year matches this search."))


@login_required
def indicator_search(request: HttpRequest) -> HttpResponse:
    """The indicator picker's list; with ?project= the indicators of that project."""
    projects = _projects_seen(request)
    visible = Indicator.objects.filter(project__in=projects).select_related("project")
    project_id = to_latin_digits(request.GET.get("project", "")).strip()
    project = projects.filter(pk=int(project_id)).first() if project_id.isdigit() else None
    found = pickers.matching_indicators(visible, request.GET.get("q", "")[:100],
                                        project=project)
    return _picker_options(request, [
        {"id": i.pk, "label": pickers.indicator_label(i), "title": i.name,
         "detail": i.project.title} for i in found
    ], _("No indicator of this year matches this search."))
