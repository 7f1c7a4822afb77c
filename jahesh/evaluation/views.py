"""The evaluation pages: league tables, an agency's scorecard with its history and comments,
reporting compliance with reminders, the scorecard weights and the status rules.

Thin: parse input, check access with EvaluationPolicy, call a read or a service, render.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from jahesh.core.paging import paginate, query_without_page
from jahesh.core.persian import jalali_month_name, localize_digits, to_jalali, to_latin_digits
from jahesh.evaluation import rollups, scorecard, services
from jahesh.evaluation.forms import EvaluationCommentForm, StatusRulesForm, WeightsForm
from jahesh.evaluation.models import AgencyScorecard
from jahesh.evaluation.permissions import evaluation
from jahesh.organisation.access import Actor, actor_for
from jahesh.organisation.models import Agency, Province
from jahesh.organisation.selectors import home_province
from jahesh.progress import periods
from jahesh.progress.models import Period, Status

LEAGUE_PAGE_SIZE = 50
LEAGUE_TABS = ("agency", "sector", "category")


# --- Helpers --------------------------------------------------------------------------------

def _province(request: HttpRequest) -> Province:
    province = home_province(actor_for(request.user))
    if province is None:
        raise Http404
    return province


def _number(text: str | None) -> int | None:
    try:
        return int(to_latin_digits(text or "").strip())
    except ValueError:
        return None


@dataclass(frozen=True)
class Month:
    """The month a page shows, and what the month picker needs."""

    year: int
    month: int

    @property
    def name(self) -> str:
        return jalali_month_name(self.month)

    @property
    def choices(self) -> list[tuple[int, str]]:
        return [(m, jalali_month_name(m)) for m in periods.MONTHS]

    @property
    def previous(self) -> "Month":
        return Month(*periods.previous_month(self.year, self.month))

    @property
    def next(self) -> "Month":
        return Month(*periods.next_month(self.year, self.month))

    @property
    def query(self) -> str:
        return f"year={self.year}&month={self.month}"


def _due_month() -> Month:
    """The month being reported now: last month."""
    today = to_jalali(timezone.localdate())
    return Month(*periods.previous_month(today.year, today.month))


def _month(request: HttpRequest, params: Any = None) -> Month:
    """The month asked for (?year=1403&month=3, in any digits); by default the month being
    reported now; a year alone shows its last month that is due (Esfand for a past year)."""
    params = request.GET if params is None else params
    due = _due_month()
    year = _number(params.get("year"))
    if year is None or not 1300 <= year <= 1600:
        year = due.year
    month = _number(params.get("month"))
    if month is None or not 1 <= month <= 12:
        month = due.month if year == due.year else (12 if year < due.year else 1)
    return Month(year, month)


def _require_province_view(actor: Actor, province: Province) -> None:
    if not evaluation.may_view_province(actor, province):
        raise PermissionDenied


def _require_manage(actor: Actor, province: Province) -> None:
    if not evaluation.may_manage(actor, province):
        raise PermissionDenied


def _visible_agency(actor: Actor, pk: int) -> Agency:
    """The agency, if the actor may see its evaluation; otherwise 404 (not 403: whether it
    exists is not theirs to know)."""
    return get_object_or_404(evaluation.visible_agencies(actor).select_related("province",
                                                                                "sector"), pk=pk)


def _period(province: Province, month: Month) -> Period:
    return periods.get_period(province, month.year, month.month)


# --- League tables --------------------------------------------------------------------------

@login_required
def league(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    province = _province(request)
    _require_province_view(actor, province)
    month = _month(request)
    by = request.GET.get("by") if request.GET.get("by") in LEAGUE_TABS else "agency"
    rows = rollups.league(province, month.year, month.month, by=by)
    page = paginate(request, rows, LEAGUE_PAGE_SIZE)
    linked: set[int] = set()
    if by == "agency":
        linked = set(evaluation.visible_agencies(actor).filter(
            pk__in=[r.key for r in page.object_list]).values_list("pk", flat=True))
    return render(request, "evaluation/league.html", {
        "province": province, "month": month, "by": by, "tabs": _league_tabs(), "page": page,
        "query": query_without_page(request), "linked": linked, "keep": [("by", by)],
        "may_manage": evaluation.may_manage(actor, province),
    })


def _league_tabs() -> list[tuple[str, str]]:
    return [("agency", _("Agencies")), ("sector", _("Sectors")), ("category", _("Agency categories"))]


# --- An agency's scorecard ------------------------------------------------------------------

def _scorecard_context(actor: Actor, agency: Agency, month: Month,
                       form: EvaluationCommentForm | None = None) -> dict[str, Any]:
    province = agency.province
    weights = scorecard.weights_for(province)
    stored = AgencyScorecard.objects.filter(
        agency=agency, period__province=province, period__year=month.year,
        period__month=month.month).first()
    values: dict[str, Any] = {}
    if stored is not None:
        values = {c: stored.components.get(c) for c in scorecard.COMPONENTS}
    effective = scorecard.effective_weights(values, weights) if stored else {}
    components = [
        {"code": c.code, "label": c.label, "description": c.description,
         "value": values.get(c.code), "weight": weights.get(c.code, 0),
         "share": effective.get(c.code)}
        for c in scorecard.COMPONENTS.values()
    ]
    may_comment = evaluation.may_comment(actor, agency)
    comments = (evaluation.visible_comments(actor, agency)
                .filter(period__year=month.year, period__province=province)
                .select_related("author", "period").order_by("-period__month", "created_at"))
    if form is None and may_comment:
        form = EvaluationCommentForm()
    return {
        "agency": agency, "province": province, "month": month, "scorecard": stored,
        "components": components, "formula": scorecard.formula_text(weights),
        "left_out": scorecard.left_out_text(values, weights) if stored else "",
        "rank": rollups.agency_rank(agency, month.year, month.month),
        "history": rollups.score_history(agency, month.year),
        "comments": list(comments), "may_comment": may_comment, "form": form,
        "may_manage": evaluation.may_manage(actor, province),
    }


@login_required
def agency_scorecard(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request.user)
    agency = _visible_agency(actor, pk)
    month = _month(request)
    return render(request, "evaluation/scorecard.html",
                  _scorecard_context(actor, agency, month))


@login_required
@require_POST
def comment_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request.user)
    agency = _visible_agency(actor, pk)
    if not evaluation.may_comment(actor, agency):
        raise PermissionDenied
    month = _month(request, request.POST)
    form = EvaluationCommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_add(agency=agency, period=_period(agency.province, month),
                                 acting_user=request.user, body=form.cleaned_data["body"])
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Your comment was added."))
            url = reverse("evaluation:scorecard", args=[agency.pk])
            return redirect(f"{url}?{month.query}#comments")
    return render(request, "evaluation/scorecard.html",
                  _scorecard_context(actor, agency, month, form))


# --- Reporting compliance -------------------------------------------------------------------

@dataclass(frozen=True)
class ComplianceLine:
    row: rollups.ComplianceRow
    remind_month: int | None


def _remind_month(row: rollups.ComplianceRow, today: Any) -> int | None:
    """The month a reminder is about: the latest one with reports missing (after the close) or
    still to come while its window is open."""
    for cell in reversed(row.cells):
        if cell.state == rollups.Compliance.MISSING:
            return cell.month
        if (cell.state == rollups.Compliance.NOT_DUE and cell.submitted < cell.total
                and periods.window_of(cell.period, today) == periods.Window.OPEN):
            return cell.month
    return None


@login_required
def compliance(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    province = _province(request)
    _require_manage(actor, province)
    month = _month(request)
    today = timezone.localdate()
    rows = rollups.compliance(province, month.year, today)
    lines = [ComplianceLine(row, _remind_month(row, today)) for row in rows]
    states = rollups.Compliance
    totals = {state: sum(row.count(state) for row in rows)
              for state in (states.ON_TIME, states.LATE, states.MISSING, states.NOT_DUE)}
    return render(request, "evaluation/compliance.html", {
        "province": province, "month": month, "lines": lines, "totals": totals,
        "months": [(m, jalali_month_name(m)) for m in periods.MONTHS],
    })


@login_required
@require_POST
def remind(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request.user)
    province = _province(request)
    _require_manage(actor, province)
    agency = get_object_or_404(Agency, pk=pk, province=province)
    month = _month(request, request.POST)
    back = f"{reverse('evaluation:compliance')}?year={month.year}"
    try:
        from jahesh.progress.reminders import remind_agency
    except ImportError:
        messages.error(request, _("Reminders are not available yet."))
        return redirect(back)
    try:
        sent = remind_agency(agency=agency, period=_period(province, month),
                             acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    if sent:
        messages.success(request, ngettext(
            "%(agency)s: %(count)s person was reminded about %(month)s.",
            "%(agency)s: %(count)s people were reminded about %(month)s.", sent,
        ) % {"agency": agency.name, "count": localize_digits(sent), "month": month.name})
    else:
        messages.info(request, _("%(agency)s: nobody was reminded (nothing is missing, or they "
                                 "were already reminded today).") % {"agency": agency.name})
    return redirect(back)


# --- Scorecard weights ----------------------------------------------------------------------

@login_required
def weights(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    province = _province(request)
    _require_manage(actor, province)
    current = scorecard.weights_for(province)
    form = WeightsForm(request.POST or None, weights=current)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.weights_save(province=province, weights=form.weights(),
                                          acting_user=request.user)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            if saved != current:
                messages.success(request, _(
                    "The weights were saved. Every agency's scores of %(year)s are being "
                    "recomputed with them; the league tables show the new scores in a few "
                    "minutes.") % {"year": localize_digits(province.current_year)})
            else:
                messages.info(request, _("The weights did not change."))
            return redirect("evaluation:weights")
    last = (AgencyScorecard.objects.filter(period__province=province)
            .order_by("-computed_at").values_list("computed_at", flat=True).first())
    return render(request, "evaluation/weights.html", {
        "province": province, "form": form, "formula": scorecard.formula_text(current),
        "last_computed": last,
    })


# --- Status rules ---------------------------------------------------------------------------

def _status_thresholds(province: Province) -> dict[str, Any]:
    from jahesh.progress.status import rules_for

    rules = {rule.status: rule.min_percent for rule in rules_for(province)}
    return {"on_track": rules.get(Status.ON_TRACK), "at_risk": rules.get(Status.AT_RISK)}


@login_required
def status_rules(request: HttpRequest) -> HttpResponse:
    """The secretariat's status thresholds (saved by progress.services.status_rules_save)."""
    from jahesh.progress.services import status_rules_save

    actor = actor_for(request.user)
    province = _province(request)
    _require_manage(actor, province)
    form = StatusRulesForm(request.POST or None, initial=_status_thresholds(province))
    if request.method == "POST" and form.is_valid():
        try:
            status_rules_save(province=province, rules=form.rules(), acting_user=request.user)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The status rules were saved. Reports already verified "
                                        "keep the status they were verified with."))
            return redirect("evaluation:status_rules")
    return render(request, "evaluation/status_rules.html", {"province": province, "form": form})
