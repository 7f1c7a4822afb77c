"""The progress pages: an agency's months and reports, the province's list of reports, a report's
form and page with its workflow, evidence downloads, the reporting calendar and rules.

Thin: parse input, check access with the policies in permissions.py, call a service, render.
Someone who may not see a report gets 404; someone who may see it but not do the step, 403.
"""

import copy
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
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jahesh.core.paging import paginate, query_without_page
from jahesh.core.persian import to_latin_digits
from jahesh.core.stale import add_service_errors, show_stale_edit, step_on_stale_page
from jahesh.organisation.access import Actor, actor_for
from jahesh.organisation.models import Province
from jahesh.organisation.selectors import home_province
from jahesh.plan.models import Project
from jahesh.plan.permissions import programmes as programme_policy
from jahesh.progress import periods, selectors, services, status
from jahesh.progress.forms import (
    ApproveForm,
    PeriodForm,
    ReopenForm,
    ReportFilterForm,
    ReportForm,
    ReportingRulesForm,
    ReturnForm,
    StepForm,
    SubmitForm,
    VerifyForm,
    blocker_formset,
    status_rule_formset,
)
from jahesh.progress.models import Evidence, Period, ProgressReport, ReportState
from jahesh.progress.permissions import AGENCY_READERS, reporting
from jahesh.progress.permissions import reports as report_policy

STALE_REPORT = gettext_lazy(
    "The report changed after you opened the page, so nothing was done. Look at it again and "
    "then choose what to do."
)
NOT_A_DRAFT = gettext_lazy("Only a draft report can be changed. Ask the reviewer to return it.")
STALE_FILES = gettext_lazy("Files you chose were not attached; choose them again.")


# --- Helpers ------------------------------------------------------------------------------------

def _province(request: HttpRequest) -> Province:
    province = home_province(actor_for(request.user))
    if province is None:
        raise Http404
    return province


def _int(value: Any, low: int, high: int) -> int | None:
    try:
        number = int(to_latin_digits(str(value)).strip())
    except ValueError:
        return None
    return number if low <= number <= high else None


def _detail_url(report: ProgressReport) -> str:
    return reverse("progress:report_detail", args=[report.uid])


def _edit_url(report: ProgressReport) -> str:
    return reverse("progress:report_edit", args=[report.uid])


def _list_url(year: int, month: int | None = None) -> str:
    query = {"year": year, **({"month": month} if month else {})}
    return f"{reverse('progress:report_list')}?{urlencode(query)}"


# --- The list of reports ------------------------------------------------------------------------

@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    """Agency people: their months and projects. The province's readers: every report."""
    actor = actor_for(request.user)
    province = _province(request)
    if selectors.is_province_wide(actor, province):
        return _province_list(request, actor, province)
    if actor.agencies(*AGENCY_READERS):
        return _agency_list(request, actor, province)
    raise PermissionDenied


def _agency_list(request: HttpRequest, actor: Actor, province: Province) -> HttpResponse:
    year = _int(request.GET.get("year", ""), 1300, 1600) or province.current_year
    month = _int(request.GET.get("month", ""), 1, 12) or selectors.default_month(province, year)
    form = PeriodForm(initial={"year": year, "month": month},
                      current_year=province.current_year)
    data = selectors.agency_month(actor, province, year, month)
    return render(request, "progress/agency_reports.html", {
        "form": form, "data": data, "year": year, "month": month, "province": province,
        "queue": selectors.queue_counts(actor, province, year),
    })


def _province_list(request: HttpRequest, actor: Actor, province: Province) -> HttpResponse:
    params = request.GET.copy()
    params.setdefault("year", str(province.current_year))
    for name in ("year", "month"):  # typed by hand in Persian digits, too
        params[name] = to_latin_digits(params.get(name, "")).strip()
    form = ReportFilterForm(params, province=province)
    year = province.current_year
    rows = selectors.report_list(actor, province, year)
    if form.is_valid():
        data = form.cleaned_data
        year = data["year"]
        rows = selectors.report_list(actor, province, year)
        if data["month"]:
            rows = rows.filter(period__month=data["month"])
        if data["agency"]:
            rows = rows.filter(agency=data["agency"])
        if data["state"]:
            rows = rows.filter(state=data["state"])
        if data["status"]:
            rows = rows.filter(status=data["status"])
    page = paginate(request, rows)
    return render(request, "progress/report_list.html", {
        "form": form, "page": page, "query": query_without_page(request), "year": year,
        "province": province, "queue": selectors.queue_counts(actor, province, year),
        "verify_url": f"{reverse('progress:report_list')}?"
                      f"{urlencode({'year': year, 'state': ReportState.APPROVED})}",
    })


@login_required
@require_POST
def report_start(request: HttpRequest) -> HttpResponse:
    """Start (or open) a project's report of a month, then go to its form."""
    actor = actor_for(request.user)
    year = _int(request.POST.get("year", ""), 1300, 1600)
    month = _int(request.POST.get("month", ""), 1, 12)
    if year is None or month is None:
        raise Http404
    try:
        project = (Project.objects.select_related("programme__agency", "programme__province")
                   .get(uid=request.POST.get("project", ""),
                        programme__in=programme_policy.visible(actor)))
    except (Project.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None
    report_policy.require(actor, "create", agency=project.programme.agency)
    period = periods.get_period(project.programme.province, year, month)
    try:
        report = services.report_start(project=project, period=period, acting_user=request.user)
    except services.WorkflowError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(_list_url(year, month))
    if report_policy.allows(actor, "edit", report):
        return redirect(_edit_url(report))
    return redirect(_detail_url(report))


# --- The report's form ----------------------------------------------------------------------------

def _editable(request: HttpRequest, actor: Actor, report: ProgressReport) -> HttpResponse | None:
    """None when the person may change the report now. Its own people who find it under review
    or its month locked are sent to the report with the reason; anyone else gets 403."""
    if report_policy.allows(actor, "edit", report):
        if periods.accepts_reports(report.period):
            return None
        messages.error(request, _("This month does not accept changes now."))
        return redirect(_detail_url(report))
    as_draft = copy.copy(report)
    as_draft.state = ReportState.DRAFT
    if report.state != ReportState.DRAFT and report_policy.allows(actor, "edit", as_draft):
        messages.error(request, NOT_A_DRAFT)
        return redirect(_detail_url(report))
    raise PermissionDenied


def _forget(files: list[Evidence]) -> None:
    """Files written for a change that was rolled back."""
    for evidence in files:
        evidence.file.storage.delete(evidence.file.name)


@login_required
def report_edit(request: HttpRequest, uid: Any) -> HttpResponse:
    actor = actor_for(request.user)
    report = selectors.report_for_page(actor, uid)
    if (refused := _editable(request, actor, report)) is not None:
        return refused
    agencies = selectors.province_agencies(report.period.province)

    def forms_for(data: Any, files: Any) -> tuple[ReportForm, Any]:
        form = ReportForm(data, files, report=report, values=selectors.values_of(report),
                          actions=selectors.actions_of(report))
        formset = blocker_formset(data, report=report, agencies=agencies,
                                  blockers=selectors.blockers_of(report))
        return form, formset

    posted = request.method == "POST"
    form, formset = forms_for(request.POST if posted else None,
                              request.FILES if posted else None)
    problems: list[str] = []
    if posted and form.is_valid() and formset.is_valid():
        added: list[Evidence] = []
        try:
            with transaction.atomic():
                services.report_save(
                    report=report, acting_user=request.user, values=form.values(),
                    action_states=form.action_states(),
                    achieved=form.cleaned_data["achieved"],
                    next_steps=form.cleaned_data["next_steps"],
                    explanation=form.cleaned_data["explanation"], blockers=formset.items(),
                    expected_version=form.cleaned_data["version"],
                )
                for upload in form.cleaned_data["evidence"]:
                    added.append(services.evidence_add(report=report, acting_user=request.user,
                                                       upload=upload))
        except services.StaleEdit:
            _forget(added)
            report = selectors.report_for_page(actor, uid)
            form, formset = forms_for(None, None)
            show_stale_edit(form)
            if request.FILES:
                form.add_error(None, STALE_FILES)
        except services.WorkflowError as exc:
            _forget(added)
            for message in exc.messages:
                messages.error(request, message)
            return redirect(_detail_url(report))
        except ValidationError as exc:
            _forget(added)
            add_service_errors(form, exc)
        else:
            if request.POST.get("then") != "submit":
                messages.success(request, _("Saved. The figures below are computed from what "
                                            "you entered."))
                return redirect(_edit_url(report))
            try:
                services.report_submit(report=report, acting_user=request.user)
            except services.WorkflowError as exc:
                # The draft is saved; only the submission waits.
                problems = exc.messages
                report = selectors.report_for_page(actor, uid)
                form, formset = forms_for(None, None)
            else:
                messages.success(request, _("Submitted to the agency head."))
                return redirect(_detail_url(report))
    return render(request, "progress/report_form.html", {
        "report": report, "form": form, "formset": formset, "problems": problems,
        "evidence": selectors.evidence_of(report), "window": periods.window_of(report.period),
        "window_label": periods.Window.LABELS[periods.window_of(report.period)],
        "explanation_needed": report.status in services.BEHIND and not report.explanation,
        "may_submit": report_policy.allows(actor, "submit", report),
    })


# --- The report's page and its workflow ---------------------------------------------------------

@dataclass(frozen=True)
class Step:
    name: str
    action: str  # the ReportPolicy rule
    form: type[StepForm]
    run: Callable[[ProgressReport, Any, dict[str, Any]], Any]
    done: Any


STEPS = {step.name: step for step in [
    Step("submit", "submit", SubmitForm,
         lambda r, user, data: services.report_submit(report=r, acting_user=user),
         gettext_lazy("Submitted to the agency head.")),
    Step("approve", "approve", ApproveForm,
         lambda r, user, data: services.report_approve(report=r, acting_user=user,
                                                       comment=data["comment"]),
         gettext_lazy("Approved and sent to the secretariat.")),
    Step("return", "return", ReturnForm,
         lambda r, user, data: services.report_return(report=r, acting_user=user,
                                                      comment=data["comment"]),
         gettext_lazy("Returned for revision with your comment.")),
    Step("verify", "verify", VerifyForm,
         lambda r, user, data: services.report_verify(report=r, acting_user=user,
                                                      comment=data["comment"]),
         gettext_lazy("Verified. The report now counts in the figures of the province.")),
]}


def _render_detail(request: HttpRequest, actor: Actor, report: ProgressReport, *,
                   bound: StepForm | None = None,
                   workflow_errors: list[str] | None = None) -> HttpResponse:
    detail = selectors.report_detail(report)
    accepts = detail.accepts
    may = {name: report_policy.allows(actor, step.action, report) for name, step in STEPS.items()}
    may["edit"] = report_policy.allows(actor, "edit", report)
    forms: dict[str, StepForm] = {}
    if accepts:
        for name, step in STEPS.items():
            if may[name]:
                forms[name] = step.form(report=report)
    if bound is not None:
        forms[bound.prefix_name] = bound
    return render(request, "progress/report_detail.html", {
        "report": report, "detail": detail, "may": may, "forms": forms, "accepts": accepts,
        "workflow_errors": workflow_errors or [],
        "problems": services.submission_problems(report) if forms.get("submit") else [],
    })


@login_required
def report_detail(request: HttpRequest, uid: Any) -> HttpResponse:
    actor = actor_for(request.user)
    report = selectors.report_for_page(actor, uid)
    return _render_detail(request, actor, report)


@login_required
@require_POST
def report_step(request: HttpRequest, uid: Any, step: str) -> HttpResponse:
    """One workflow step: submit, approve, return or verify."""
    actor = actor_for(request.user)
    report = selectors.report_for_page(actor, uid)
    spec = STEPS[step]
    form = spec.form(request.POST, report=report)
    allowed = report_policy.allows(actor, spec.action, report)
    if step_on_stale_page(form, report, allowed=allowed,
                          allows=lambda seen: report_policy.allows(actor, spec.action, seen)):
        messages.warning(request, STALE_REPORT)
        return redirect(_detail_url(report))
    if not allowed:
        raise PermissionDenied
    if not form.is_valid():
        return _render_detail(request, actor, report, bound=form)
    try:
        spec.run(report, request.user, form.cleaned_data)
    except services.WorkflowError as exc:
        return _render_detail(request, actor, report, workflow_errors=exc.messages)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _render_detail(request, actor, report, bound=form)
    messages.success(request, spec.done)
    return redirect(_detail_url(report))


# --- Evidence -------------------------------------------------------------------------------------

def _evidence(actor: Actor, pk: int) -> Evidence:
    report = report_policy.visible(actor).filter(evidence=pk).select_related("period").first()
    if report is None:
        raise Http404
    evidence = get_object_or_404(Evidence, pk=pk, report=report)
    evidence.report = report
    return evidence


@login_required
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """The file, under the name it was uploaded with, as an attachment (never shown inline)."""
    evidence = _evidence(actor_for(request.user), pk)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=evidence.name,
                        content_type=evidence.content_type)


@login_required
@require_POST
def evidence_remove(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request.user)
    evidence = _evidence(actor, pk)
    report = evidence.report
    if not report_policy.allows(actor, "edit", report):
        raise PermissionDenied
    try:
        services.evidence_remove(evidence=evidence, acting_user=request.user)
    except services.WorkflowError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(_detail_url(report))
    messages.success(request, _("“%(name)s” was removed.") % {"name": evidence.name})
    return redirect(f"{_edit_url(report)}#evidence")


# --- The calendar and the rules (secretariat) ---------------------------------------------------

@login_required
def period_list(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    province = _province(request)
    if not reporting.may_view(actor, province):
        raise PermissionDenied
    year = _int(request.GET.get("year", ""), 1300, 1600) or province.current_year
    return render(request, "progress/periods.html", {
        "months": selectors.period_overview(province, year), "year": year,
        "province": province, "may_manage": reporting.may_manage(actor, province),
        "form": PeriodForm(initial={"year": year}, current_year=province.current_year),
    })


@login_required
def period_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request.user)
    province = _province(request)
    period = get_object_or_404(Period, pk=pk, province=province)
    if not reporting.may_manage(actor, province):
        raise PermissionDenied
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.period_reopen(period=period, until=form.cleaned_data["until"],
                                   reason=form.cleaned_data["reason"], acting_user=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The month was reopened."))
            return redirect(f"{reverse('progress:period_list')}?year={period.year}")
    return render(request, "progress/period_reopen.html", {
        "form": form, "period": period, "window": periods.window_of(period),
        "window_label": periods.Window.LABELS[periods.window_of(period)],
    })


def _require_manage(actor: Actor, province: Province) -> None:
    if not reporting.may_manage(actor, province):
        raise PermissionDenied


def _render_settings(request: HttpRequest, province: Province, *,
                     rules_form: ReportingRulesForm | None = None,
                     status_forms: Any = None, status_errors: list[str] | None = None
                     ) -> HttpResponse:
    rules = periods.rules_for(province)
    return render(request, "progress/settings.html", {
        "province": province,
        "rules_form": rules_form or ReportingRulesForm(rules=rules),
        "status_forms": status_forms or status_rule_formset(None, list(
            status.rules_for(province))),
        "status_errors": status_errors or [],
    })


@login_required
def reporting_settings(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    province = _province(request)
    _require_manage(actor, province)
    return _render_settings(request, province)


@login_required
@require_POST
def reporting_rules_save(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    province = _province(request)
    _require_manage(actor, province)
    rules = periods.rules_for(province)
    form = ReportingRulesForm(request.POST, rules=rules)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.reporting_rules_save(
                province=province, acting_user=request.user,
                window_opens_day=data["window_opens_day"],
                window_closes_day=data["window_closes_day"], grace_days=data["grace_days"],
                expected_version=data["version"])
        except services.StaleEdit:
            form = ReportingRulesForm(rules=periods.rules_for(province))
            show_stale_edit(form)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The reporting calendar was changed. Months not open "
                                        "yet follow it; months already open keep their dates."))
            return redirect(reverse("progress:settings"))
    return _render_settings(request, province, rules_form=form)


@login_required
@require_POST
def status_rules_save(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    province = _province(request)
    _require_manage(actor, province)
    formset = status_rule_formset(request.POST, [])
    errors: list[str] = []
    if formset.is_valid():
        try:
            services.status_rules_save(province=province, rules=formset.rules(),
                                       acting_user=request.user)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("The status rules were changed. Reports not yet "
                                        "verified get them at their next save."))
            return redirect(reverse("progress:settings") + "#status-rules")
    return _render_settings(request, province, status_forms=formset, status_errors=errors)
