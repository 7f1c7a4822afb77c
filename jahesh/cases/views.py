"""The case pages: the list (and its Excel), the secretariat's triage queue, a case's page with
the steps its viewer may take, recording a case, categories, attachments, a report's blocker
made a case.

Thin: parse input, check access with the policies in permissions.py, call a service, render.
Someone who may not see a case gets 404; someone who may see it but not take the step, 403.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jahesh.cases import forms as f
from jahesh.cases import selectors, services
from jahesh.cases.models import Case, CaseAttachment, CaseState, Category, case_is_overdue
from jahesh.cases.permissions import AGENCY_WORKERS, PROVINCE_READERS, case_admin
from jahesh.cases.permissions import cases as case_policy
from jahesh.core.paging import page_links, paginate, query_without_page
from jahesh.core.quickforms import quick_form
from jahesh.core.stale import StaleEdit, add_service_errors, show_stale_edit, step_on_stale_page
from jahesh.organisation.access import Actor, actor_for
from jahesh.organisation.models import Agency, Province, RoleKind
from jahesh.organisation.selectors import home_province
from jahesh.plan.models import County

STALE_CASE = gettext_lazy(
    "The case changed after you opened the page, so nothing was done. Look at it again and "
    "then choose what to do."
)


def _province(actor: Actor) -> Province:
    province = home_province(actor)
    if province is None:
        raise Http404
    return province


def _detail_url(case: Case) -> str:
    return reverse("cases:case_detail", args=[case.uid])


def _may_list(actor: Actor, province: Province) -> bool:
    return (province.pk in actor.provinces(*PROVINCE_READERS, RoleKind.CHAMBER)
            or bool(actor.agencies(*AGENCY_WORKERS)))


# --- The list ----------------------------------------------------------------------------------

def _filtered(request: HttpRequest, actor: Actor, province: Province
              ) -> tuple[f.CaseFilterForm, Any]:
    form = f.CaseFilterForm(request.GET or None, province=province)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return form, selectors.case_list(actor, province.pk, filters)


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    province = _province(actor)
    if not _may_list(actor, province):
        raise PermissionDenied
    form, rows = _filtered(request, actor, province)
    page = paginate(request, rows)
    today = timezone.localdate()
    for case in page:
        case.overdue = case_is_overdue(case, today)
    template = "cases/_case_table.html" if request.headers.get("HX-Request") else \
        "cases/case_list.html"
    return render(request, template, {
        "form": form, "page": page, "query": query_without_page(request),
        "page_links": page_links(page), "province": province, "may_create": case_admin.may_create(actor, province),
        "may_triage": case_admin.may_triage(actor, province),
        "export_query": request.GET.urlencode(),
    })


@login_required
def case_export(request: HttpRequest) -> HttpResponse:
    """The filtered list as an Excel workbook (right-to-left sheet)."""
    from jahesh.cases.export import cases_workbook

    actor = actor_for(request.user)
    province = _province(actor)
    if not _may_list(actor, province):
        raise PermissionDenied
    _, rows = _filtered(request, actor, province)
    response = HttpResponse(cases_workbook(rows, today=timezone.localdate()),
                            content_type="application/vnd.openxmlformats-officedocument."
                                         "spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="cases.xlsx"'
    return response


# --- Triage ------------------------------------------------------------------------------------

@login_required
def triage(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    province = _province(actor)
    if not case_admin.may_triage(actor, province):
        raise PermissionDenied
    page = paginate(request, selectors.triage_queue(actor, province.pk), per_page=10)
    cases = list(page)
    suggestions = selectors.duplicate_suggestions(cases)
    choices = Choices.of(province, categories=True)
    rows = []
    for case in cases:
        accept = f.AcceptForm(case=case)
        del accept.fields["collaborators"]  # set on the case's page: the queue stays light
        # Written out in Python: the template engine's field templates, thirty fields a page,
        # cost more than the rest of the queue (jahesh/core/quickforms.py).
        rows.append({"case": case, "accept": quick_form(choices.apply(accept)),
                     "merge": quick_form(f.MergeForm(case=case)),
                     "reject": quick_form(f.RejectForm(case=case)),
                     "suggestions": suggestions.get(case.pk, [])})
    return render(request, "cases/triage.html", {
        "page": page, "rows": rows, "province": province, "query": query_without_page(request),
        "page_links": page_links(page),
    })


@dataclass(frozen=True)
class Choices:
    """A page's agencies and categories, read once and given to every select of the page as
    fixed choices (a ModelChoiceField then renders without a query; a posted form still
    validates against its queryset)."""

    agencies: list[tuple[Any, str]]
    categories: list[tuple[Any, str]]
    counties: list[tuple[Any, str]]

    @classmethod
    def of(cls, province: Province, *, agencies: bool = True, categories: bool = False,
           include: Category | None = None) -> Choices:
        """`categories`: the triage's choices, the categories and the counties too."""
        return cls(
            agencies=[(a.pk, a.name) for a in f._agencies(province).only("pk", "name")]
            if agencies else [],
            categories=[(c.pk, c.name) for c in f._categories(province, include=include)
                        .only("pk", "name")] if categories else [],
            counties=[(c.pk, c.name) for c in County.objects.filter(province=province)
                      .order_by("name").only("pk", "name")] if categories else [])

    def apply(self, form: Any) -> Any:
        blank = [("", "---------")]
        for name in ("agency", "collaborators", "agencies"):
            if name in form.fields and self.agencies:
                multiple = name != "agency"
                form.fields[name].choices = self.agencies if multiple else blank + self.agencies
        if "category" in form.fields and self.categories:
            form.fields["category"].choices = blank + self.categories
        if "county" in form.fields and self.categories:  # asked with the categories, at triage
            form.fields["county"].choices = blank + self.counties
        return form


# --- A case's page and its steps -----------------------------------------------------------------

@dataclass(frozen=True)
class Step:
    name: str
    rule: str  # the CasePolicy rule (may_<rule>)
    form: type[f.StepForm]
    run: Callable[[Case, Any, dict[str, Any], int | None], Any]
    done: Any


def _agencies_list(data: Any) -> list[Agency]:
    return list(data or [])


STEPS = {step.name: step for step in [
    Step("accept", "accept", f.AcceptForm,
         lambda c, u, d, v: services.case_accept(
             case=c, agency=d["agency"], collaborators=_agencies_list(d["collaborators"]),
             category=d["category"], county=d["county"], comment=d["comment"], acting_user=u,
             version=v),
         gettext_lazy("Accepted and assigned. The agency was told.")),
    Step("merge", "merge", f.MergeForm,
         lambda c, u, d, v: services.case_merge(case=c, into=d["into"], reason=d["reason"],
                                                acting_user=u, version=v),
         gettext_lazy("Merged into the original case.")),
    Step("reject", "reject", f.RejectForm,
         lambda c, u, d, v: services.case_reject(case=c, reason=d["reason"], acting_user=u,
                                                 version=v),
         gettext_lazy("Rejected.")),
    Step("reassign", "reassign", f.ReassignForm,
         lambda c, u, d, v: services.case_reassign(case=c, agency=d["agency"],
                                                   reason=d["reason"], acting_user=u, version=v),
         gettext_lazy("Reassigned. The new agency was told.")),
    Step("collaborators", "set_collaborators", f.CollaboratorsForm,
         lambda c, u, d, v: services.case_set_collaborators(
             case=c, agencies=_agencies_list(d["agencies"]), acting_user=u, version=v),
         gettext_lazy("The collaborating agencies were changed.")),
    Step("respond", "respond", f.RespondForm,
         lambda c, u, d, v: services.case_respond(case=c, text=d["text"], acting_user=u,
                                                  version=v),
         gettext_lazy("Your response was recorded.")),
    Step("schedule", "schedule", f.ScheduleForm,
         lambda c, u, d, v: services.case_schedule(case=c, date=d["date"], text=d["text"],
                                                   acting_user=u, version=v),
         gettext_lazy("The action was scheduled.")),
    Step("resolve", "resolve", f.ResolveForm,
         lambda c, u, d, v: services.case_resolve(case=c, text=d["text"], acting_user=u,
                                                  version=v),
         gettext_lazy("Resolved. The requester is asked to confirm it.")),
    Step("unresolvable", "unresolvable", f.UnresolvableForm,
         lambda c, u, d, v: services.case_unresolvable(case=c, reason=d["reason"],
                                                       acting_user=u, version=v),
         gettext_lazy("Recorded as unable to resolve. The secretariat was told.")),
    Step("escalate_hq", "escalate_hq", f.EscalateHQForm,
         lambda c, u, d, v: services.case_escalate_hq(case=c, reason=d["reason"],
                                                      acting_user=u, version=v),
         gettext_lazy("Escalated: the case waits for the HQ's agenda.")),
    Step("escalate_national", "escalate_national", f.EscalateNationalForm,
         lambda c, u, d, v: services.case_escalate_national(
             case=c, body=d["body"], reason=d["reason"], acting_user=u, version=v),
         gettext_lazy("Escalated to the national level. The province's follow-up goes on.")),
    Step("confirm", "confirm", f.ConfirmForm,
         lambda c, u, d, v: services.case_confirm(case=c, comment=d["comment"],
                                                  acting_user=u, version=v),
         gettext_lazy("Confirmed: the case is closed.")),
    Step("reopen", "reopen", f.ReopenForm,
         lambda c, u, d, v: services.case_reopen(case=c, reason=d["reason"], acting_user=u,
                                                 version=v),
         gettext_lazy("Reopened: the agency works on it again.")),
    Step("note", "note", f.NoteForm,
         lambda c, u, d, v: services.note_add(case=c, body=d["body"],
                                              visibility=d["visibility"], acting_user=u),
         gettext_lazy("The note was added.")),
    Step("attach", "attach", f.AttachForm,
         lambda c, u, d, v: services.attachment_add(case=c, upload=d["upload"],
                                                    visibility=d["visibility"], acting_user=u),
         gettext_lazy("The file was attached.")),
]}
# What each step's button says on the case's page.
ACTION_LABELS = {
    "accept": gettext_lazy("Accept and assign"),
    "merge": gettext_lazy("Merge into a duplicate"),
    "reject": gettext_lazy("Reject"),
    "reassign": gettext_lazy("Reassign to another agency"),
    "collaborators": gettext_lazy("Collaborating agencies"),
    "respond": gettext_lazy("Give the first response"),
    "schedule": gettext_lazy("Schedule an action"),
    "resolve": gettext_lazy("Resolve"),
    "unresolvable": gettext_lazy("Unable to resolve"),
    "escalate_hq": gettext_lazy("Escalate to the HQ"),
    "escalate_national": gettext_lazy("Escalate to the national level"),
    "confirm": gettext_lazy("Confirm the resolution"),
    "reopen": gettext_lazy("Reopen: it is not resolved"),
}
# Notes and files are not workflow steps: they never go stale.
NOT_VERSIONED = {"note", "attach"}


def _form_for(step: Step, case: Case, data: Any = None, files: Any = None,
              choices: Choices | None = None) -> f.StepForm:
    form = step.form(data, files, case=case) if data is not None else step.form(case=case)
    if choices is not None:
        choices.apply(form)
    if step.name == "collaborators" and data is None:
        form.initial["agencies"] = [a.pk for a in case.collaborating_agencies.all()]
    return form


def _render_detail(request: HttpRequest, actor: Actor, case: Case, *,
                   bound: f.StepForm | None = None, status: int = 200,
                   workflow_errors: list[str] | None = None) -> HttpResponse:
    detail = selectors.case_detail(actor, case)
    may = {name: case_policy.allows(actor, step.rule, case) for name, step in STEPS.items()}
    choices = None
    if any(may[n] for n in ("accept", "reassign", "collaborators")):
        choices = Choices.of(case.province, categories=may["accept"], include=case.category)
    forms = {name: _form_for(step, case, choices=choices)
             for name, step in STEPS.items() if may[name]}
    if bound is not None:
        if choices is not None:
            choices.apply(bound)
        forms[bound.prefix_name] = bound
    actions = [(name, ACTION_LABELS[name], form) for name, form in forms.items()
               if name in ACTION_LABELS]
    return render(request, "cases/case_detail.html", {
        "case": case, "d": detail, "may": may, "forms": forms, "actions": actions,
        "workflow_errors": workflow_errors or [],
        "tracking_code": services.format_tracking_code(case.tracking_code),
        "step_labels": services.STEP_LABELS,
    }, status=status)


@login_required
def case_detail(request: HttpRequest, uid: Any) -> HttpResponse:
    actor = actor_for(request.user)
    case = selectors.case_for_page(actor, uid)
    return _render_detail(request, actor, case)


@login_required
@require_POST
def case_step(request: HttpRequest, uid: Any, step: str) -> HttpResponse:
    """One step on the case: a workflow move, a note or a file."""
    actor = actor_for(request.user)
    case = selectors.case_for_page(actor, uid)
    spec = STEPS.get(step)
    if spec is None:
        raise Http404
    allowed = case_policy.allows(actor, spec.rule, case)
    form = _form_for(spec, case, request.POST, request.FILES)
    if step not in NOT_VERSIONED and step_on_stale_page(
            form, case, allowed=allowed,
            allows=lambda seen: case_policy.allows(actor, spec.rule, seen)):
        messages.warning(request, STALE_CASE)
        return redirect(_detail_url(case))
    if not allowed:
        raise PermissionDenied
    if not form.is_valid():
        return _render_detail(request, actor, case, bound=form, status=400)
    version = None if step in NOT_VERSIONED else form.cleaned_data.get("version")
    try:
        spec.run(case, request.user, form.cleaned_data, version)
    except StaleEdit:
        messages.warning(request, STALE_CASE)
        return redirect(_detail_url(case))
    except services.WorkflowError as exc:
        return _render_detail(request, actor, case, workflow_errors=exc.messages, status=409)
    except ValidationError as exc:
        if "upload" in getattr(exc, "error_dict", {}) and "upload" in form.fields:
            form.add_error("upload", exc.error_dict["upload"])
        else:
            add_service_errors(form, exc)
        return _render_detail(request, actor, case, bound=form, status=400)
    messages.success(request, spec.done)
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                                 require_https=request.is_secure()):
        return redirect(back)
    return redirect(_detail_url(case) + ("#notes" if step in NOT_VERSIONED else ""))


@login_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """The file under its uploaded name, always as a download; internal files only for those
    who see internal notes."""
    actor = actor_for(request.user)
    attachment = get_object_or_404(CaseAttachment.objects.select_related("case"), pk=pk)
    case = attachment.case
    if not case_policy.visible(actor).filter(pk=case.pk).exists():
        raise Http404
    if attachment.visibility != "public" and not case_policy.may_see_internal(actor, case):
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=attachment.name,
                        content_type=attachment.content_type)


# --- Recording a case (secretariat) ----------------------------------------------------------------

@login_required
def case_create(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    province = _province(actor)
    if not case_admin.may_create(actor, province):
        raise PermissionDenied
    posted = request.method == "POST"
    form = f.CaseCreateForm(request.POST if posted else None, request.FILES if posted else None,
                            province=province)
    if posted and form.is_valid():
        data = form.cleaned_data
        attachment = None
        try:
            with transaction.atomic():
                case = services.case_record(
                    province=province, kind=data["kind"], channel=data["channel"],
                    category=data["category"], title=data["title"],
                    description=data["description"], priority=data["priority"],
                    unit=data.get("unit"), requester_name=data["requester_name"],
                    requester_phone=data["requester_phone"],
                    requester_email=data["requester_email"], project=data["project"],
                    indicator=data["indicator"], key_action=data["key_action"],
                    county=data["county"], agency=data["agency"], acting_user=request.user)
                if data["attachment"]:
                    attachment = services.attachment_add(
                        case=case, upload=data["attachment"], visibility="internal",
                        acting_user=request.user)
        except ValidationError as exc:
            if attachment is not None:
                attachment.file.storage.delete(attachment.file.name)
            if "upload" in getattr(exc, "error_dict", {}):
                form.add_error("attachment", exc.error_dict["upload"])
            else:
                add_service_errors(form, exc)
        else:
            messages.success(request, _("Case %(reference)s was recorded.")
                             % {"reference": case.reference})
            return redirect(_detail_url(case))
    return render(request, "cases/case_form.html", {"form": form, "province": province},
                  status=400 if posted else 200)


# --- Categories (secretariat) -------------------------------------------------------------------

@login_required
def category_list(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    province = _province(actor)
    if not case_admin.may_view_categories(actor, province):
        raise PermissionDenied
    categories = (Category.objects.filter(province=province).select_related("default_agency")
                  .order_by("order", "name"))
    return render(request, "cases/category_list.html", {
        "categories": categories, "province": province,
        "may_manage": case_admin.may_manage_categories(actor, province),
    })


@login_required
def category_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    actor = actor_for(request.user)
    province = _province(actor)
    category = get_object_or_404(Category, pk=pk, province=province) if pk else None
    if not case_admin.may_manage_categories(actor, province):
        raise PermissionDenied
    posted = request.method == "POST"
    form = f.CategoryForm(request.POST if posted else None, instance=category,
                          province=province)
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            services.category_save(
                province=province, acting_user=request.user, name=data["name"],
                code=data["code"], default_agency=data["default_agency"],
                response_days=data["response_days"], resolution_days=data["resolution_days"],
                order=data["order"], is_active=data["is_active"], category=category,
                version=data.get("version"))
        except StaleEdit:
            category = Category.objects.get(pk=category.pk) if category else None
            form = f.CategoryForm(instance=category, province=province)
            show_stale_edit(form)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The category was saved. Its days apply to cases "
                                        "assigned from now on."))
            return redirect(reverse("cases:category_list"))
    return render(request, "cases/category_form.html", {
        "form": form, "category": category, "province": province,
    }, status=400 if posted else 200)


# --- A report's blocker becomes a case -----------------------------------------------------------------

@login_required
@require_POST
def case_from_blocker(request: HttpRequest, pk: int) -> HttpResponse:
    from jahesh.progress.models import Blocker
    from jahesh.progress.permissions import reports as report_policy

    actor = actor_for(request.user)
    blocker = (Blocker.objects.select_related("report__period")
               .filter(pk=pk, report__in=report_policy.visible(actor)).first())
    if blocker is None:
        raise Http404
    if not case_admin.may_make_case_of_blocker(actor, blocker.report.period.province_id):
        raise PermissionDenied
    try:
        case = services.case_from_blocker(blocker=blocker, acting_user=request.user)
    except services.WorkflowError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(reverse("progress:report_detail", args=[blocker.report.uid]))
    if case.state == CaseState.NEW:
        messages.success(request, _("Case %(reference)s was made of the blocker; accept it and "
                                    "assign it below.") % {"reference": case.reference})
    return redirect(_detail_url(case))
