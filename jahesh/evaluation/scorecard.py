"""The agency scorecard: one score per agency and month, from weighted components.

The formula lives here and only here:

    score = Σ (component value × its weight) / Σ (weights of the components that have data)

Each component gives a value from 0 to 100 for an agency's month, or None when it has no data
(an agency with no verified report has no achievement yet). A component with no data is left
out and the other weights are scaled up so that they still count as a whole; `formula_text`
says so to the user in plain words. Weights are set per province (ScorecardWeight); a component
with no row there takes its default weight.

Later capabilities add components with `register(Component(...))`; nothing else here has to
change, and the weights form lists them by itself. The cases capability's part ("cases resolved
on time") is in case_score.py, registered when the evaluation app is ready.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.db.models import F, Max, Sum
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from jahesh.evaluation.models import AgencyScorecard, ScorecardWeight
from jahesh.organisation.models import Agency, Province
from jahesh.plan.models import Programme, ProgrammeState, Project
from jahesh.progress.models import Period, ProgressReport, ReportState

HUNDRED = Decimal(100)
PLACES = Decimal("0.01")

ComponentFunction = Callable[[Agency, Period], Decimal | None]


def _q(value: Decimal) -> Decimal:
    return value.quantize(PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Component:
    """One part of the score: a stable code (stored in ScorecardWeight and in the scorecard's
    JSON), a label and a one-line description for people, a default weight (0–100) and the
    function that measures an agency's month (0–100, or None when there is no data)."""

    code: str
    label: str | Promise
    default_weight: int
    compute: ComponentFunction
    description: str | Promise = ""


COMPONENTS: dict[str, Component] = {}


def register(component: Component) -> Component:
    """Add (or replace) a component of the score. Call at import time of the app that owns it
    (e.g. from its AppConfig.ready)."""
    if not 0 <= component.default_weight <= 100:
        raise ValueError(f"default weight of {component.code} must be 0–100")
    COMPONENTS[component.code] = component
    return component


def components() -> list[Component]:
    return list(COMPONENTS.values())


# --- The components of issue 4 ---------------------------------------------------------------

def _accepted_projects(agency: Agency, year: int):  # type: ignore[no-untyped-def]
    return Project.objects.filter(
        programme__agency=agency, programme__year=year, programme__state=ProgrammeState.ACCEPTED
    )


def _verified(agency: Agency, period: Period):  # type: ignore[no-untyped-def]
    return ProgressReport.objects.filter(agency=agency, period=period, state=ReportState.VERIFIED)


def achievement(agency: Agency, period: Period) -> Decimal | None:
    """Achievement against the trajectory: the mean of the agency's verified reports' percents
    in the month, weighted by their projects' weights, each capped at 100."""
    from django.db.models.functions import Least

    row = _verified(agency, period).filter(percent__isnull=False).aggregate(
        total=Sum(Least(F("percent"), HUNDRED) * F("project__weight")),
        weight=Sum("project__weight"),
    )
    if not row["weight"]:
        return None
    return _q(Decimal(row["total"]) / Decimal(row["weight"]))


def on_time(agency: Agency, period: Period) -> Decimal | None:
    """Reporting on time: the share of the agency's accepted projects whose report of the month
    was submitted by the close of the window (and not taken back to draft). None when the agency
    has no accepted project that year."""
    total = _accepted_projects(agency, period.year).count()
    if not total:
        return None
    done = ProgressReport.objects.filter(
        agency=agency, period=period, is_late=False, submitted_at__isnull=False,
        project__programme__state=ProgrammeState.ACCEPTED,
    ).exclude(state=ReportState.DRAFT).count()
    return _q(Decimal(min(done, total)) * HUNDRED / total)


def completeness(agency: Agency, period: Period) -> Decimal | None:
    """Completeness of data: the share of indicators that have a value in the agency's verified
    reports of the month, weighted by the projects' weights."""
    row = _verified(agency, period).aggregate(
        total=Sum(F("completeness") * F("project__weight")),
        weight=Sum("project__weight"),
    )
    if not row["weight"]:
        return None
    return _q(Decimal(row["total"]) / Decimal(row["weight"]))


# refresh_province scores every month of a year: the plan does not change by month, so the
# quality of an agency's programmes is measured once per agency and year while it runs.
_quality_cache: contextvars.ContextVar[dict[tuple[int, int], Decimal | None] | None] = (
    contextvars.ContextVar("scorecard_quality_cache", default=None)
)


def _stored_quality(agency: Agency, year: int) -> tuple[Decimal | None] | None:
    """The plan quality of the agency's latest scorecard of the year, when none of its
    programmes of the year has changed since (the check reads every programme, project and
    indicator and is the dearest part of a scorecard; an accepted programme changes only
    through a change request, which saves the programme). None when it must be computed."""
    latest = (AgencyScorecard.objects.filter(agency=agency, period__year=year)
              .order_by("-computed_at").values_list("components", "computed_at").first())
    if latest is None or "plan_quality" not in latest[0]:
        return None
    changed = Programme.objects.filter(agency=agency, year=year).aggregate(
        at=Max("updated_at"))["at"]
    if changed is not None and changed > latest[1]:
        return None
    value = latest[0]["plan_quality"]
    return (None if value is None else Decimal(str(value)).quantize(PLACES),)


def plan_quality(agency: Agency, period: Period) -> Decimal | None:
    """Plan quality: the mean quality score (jahesh.plan.quality) of the agency's accepted
    programmes of the year."""
    from jahesh.plan.quality import agency_scores, prefetch_for_quality

    cache = _quality_cache.get()
    key = (agency.pk, period.year)
    if cache is not None and key in cache:
        return cache[key]
    stored = _stored_quality(agency, period.year)
    if stored is not None:
        return stored[0]
    programmes = list(prefetch_for_quality(Programme.objects.filter(
        agency=agency, year=period.year, state=ProgrammeState.ACCEPTED)))
    score = agency_scores(programmes).get(agency.pk)
    value = None if score is None else Decimal(score).quantize(PLACES)
    if cache is not None:
        cache[key] = value
    return value


register(Component(
    "achievement", gettext_lazy("Achievement against the trajectory"), 50, achievement,
    gettext_lazy("How far the agency's verified projects are against their planned trajectory "
                 "this month (weighted by project weight; no project counts above 100%)."),
))
register(Component(
    "on_time", gettext_lazy("Reporting on time"), 20, on_time,
    gettext_lazy("Share of the agency's accepted projects whose report of the month was "
                 "submitted before the reporting window closed."),
))
register(Component(
    "completeness", gettext_lazy("Completeness of data"), 15, completeness,
    gettext_lazy("Share of indicators that have a value in the agency's verified reports."),
))
register(Component(
    "plan_quality", gettext_lazy("Plan quality"), 15, plan_quality,
    gettext_lazy("The quality score of the agency's accepted programmes of the year."),
))


# --- Weights and the formula -----------------------------------------------------------------

def weights_for(province: Province | int) -> dict[str, int]:
    """The weight of every registered component in the province (defaults where not set)."""
    province_id = province if isinstance(province, int) else province.pk
    stored = dict(ScorecardWeight.objects.filter(province_id=province_id)
                  .values_list("component", "weight"))
    return {c.code: int(stored.get(c.code, c.default_weight)) for c in COMPONENTS.values()}


def combine(values: dict[str, Decimal | None], weights: dict[str, int]) -> Decimal | None:
    """The score: the weighted mean of the components that have a value (and a weight).
    None when none has."""
    total = weight_sum = Decimal(0)
    for code, value in values.items():
        weight = Decimal(weights.get(code, 0))
        if value is None or not weight:
            continue
        total += min(max(value, Decimal(0)), HUNDRED) * weight
        weight_sum += weight
    if not weight_sum:
        return None
    return _q(total / weight_sum)


def effective_weights(values: dict[str, Decimal | None], weights: dict[str, int]
                      ) -> dict[str, Decimal]:
    """Each used component's share of the score in percent, after leaving out those with no
    data (the shares add up to 100)."""
    used = {c: Decimal(w) for c, w in weights.items() if w and values.get(c) is not None}
    total = sum(used.values())
    if not total:
        return {}
    return {c: _q(w * HUNDRED / total) for c, w in used.items()}


def formula_text(weights: dict[str, int]) -> list[str]:
    """The formula in plain words, with the current weights, one sentence a line."""
    total = sum(weights.values())
    parts = [
        _("%(label)s × %(weight)s") % {"label": COMPONENTS[c].label, "weight": w}
        for c, w in weights.items() if c in COMPONENTS and w
    ]
    lines = [
        _("Each part of the score is a number from 0 to 100."),
        _("Score = (%(parts)s) ÷ %(total)s") % {"parts": " + ".join(parts), "total": total},
        _("A part with no data in the month (for example, no verified report yet) is left out, "
          "and the weights of the other parts are scaled up so that they still make 100%."),
    ]
    return lines


def _list_separator() -> str:
    return "، " if (get_language() or "").startswith("fa") else ", "


def left_out_text(values: dict[str, Decimal | None], weights: dict[str, int]) -> str:
    """What was left out of one scorecard, in words ("" when nothing was)."""
    missing = [str(COMPONENTS[c].label) for c, w in weights.items()
               if c in COMPONENTS and w and values.get(c) is None]
    if not missing:
        return ""
    return _("Left out this month for lack of data: %(parts)s. The other parts' weights were "
             "scaled up to make 100%%.") % {"parts": _list_separator().join(missing)}


# --- Computing and storing -------------------------------------------------------------------

def compute_scorecard(agency: Agency, period: Period, weights: dict[str, int] | None = None
                      ) -> dict:
    """The components and score of an agency's month, without storing anything.

    Returns {"components": {code: Decimal | None}, "weights": {code: int},
    "effective": {code: Decimal share in %}, "score": Decimal | None}.
    """
    if weights is None:
        weights = weights_for(agency.province_id)
    values = {c.code: c.compute(agency, period) for c in COMPONENTS.values()}
    return {
        "components": values,
        "weights": weights,
        "effective": effective_weights(values, weights),
        "score": combine(values, weights),
    }


def _json(values: dict[str, Decimal | None]) -> dict[str, float | None]:
    return {c: (None if v is None else float(v)) for c, v in values.items()}


def refresh_scorecard(*, agency: Agency, period: Period,
                      weights: dict[str, int] | None = None,
                      sums: bool = True) -> AgencyScorecard | None:
    """Recompute and store an agency's scorecard of a month, and (unless `sums` is False) the
    month's progress sums of the agency that the dashboards read (rollups.rebuild_rollups).
    When no component has data (an agency with nothing accepted that year), any stored
    scorecard is removed and None returned, so that league tables only rank agencies that have
    something to be scored on."""
    if sums:
        from jahesh.evaluation.rollups import rebuild_rollups

        rebuild_rollups(period=period, agency=agency)
    result = compute_scorecard(agency, period, weights)
    if result["score"] is None:
        AgencyScorecard.objects.filter(agency=agency, period=period).delete()
        return None
    scorecard, _created = AgencyScorecard.objects.update_or_create(
        agency=agency, period=period,
        defaults={"components": _json(result["components"]), "score": result["score"]},
    )
    return scorecard


# What components may keep while refresh_province scores a whole province: a component that can
# measure every agency of a month in one query (case_score.py) keeps the answer here.
_refresh_memo: contextvars.ContextVar[dict[Any, Any] | None] = contextvars.ContextVar(
    "scorecard_refresh_memo", default=None)


def refresh_memo() -> dict[Any, Any] | None:
    """A dict that lives for one refresh_province run (None outside one)."""
    return _refresh_memo.get()


def percent_of(part: int, whole: int) -> Decimal:
    """`part` of `whole` as a percentage with two decimals, rounded half up."""
    return _q(Decimal(part) * HUNDRED / whole)


ByAgency = Callable[[Period, "Agency | None"], dict[int, Decimal]]


def province_wide(code: str, by_agency: ByAgency) -> Callable[[Agency, Period], Decimal | None]:
    """A component's value for one agency from `by_agency(period, agency=None)`, which computes
    every agency of the province in one query: during a refresh it runs once per period (kept
    in the refresh's memo), otherwise for the one agency asked about."""
    def value(agency: Agency, period: Period) -> Decimal | None:
        memo = refresh_memo()
        if memo is None:
            return by_agency(period, agency).get(agency.pk)
        key = (code, period.pk)
        if key not in memo:
            memo[key] = by_agency(period, None)
        return memo[key].get(agency.pk)

    return value


@contextmanager
def _quality_memo() -> Iterator[None]:
    token = _quality_cache.set({})
    memo_token = _refresh_memo.set({})
    try:
        yield
    finally:
        _refresh_memo.reset(memo_token)
        _quality_cache.reset(token)


def scoreable_periods(province: Province, year: int) -> list[Period]:
    """The months of a year that are scored: those whose reporting window has opened, and any
    month that already has a scorecard (an agency that reported early)."""
    from jahesh.progress.periods import ensure_periods

    today = timezone.localdate()
    periods = ensure_periods(province, year)
    scored = set(AgencyScorecard.objects.filter(period__in=periods)
                 .values_list("period_id", flat=True).distinct())
    return [p for p in periods if p.opens_on <= today or p.pk in scored]


def refresh_province(*, province: Province, year: int) -> int:
    """Rebuild the progress sums of every month of a year, and recompute every agency's
    scorecard for every scored month (after the weights change; daily, so that an agency that
    did not report still gets its low mark; after loading reports in bulk). Returns how many
    scorecards were stored."""
    from jahesh.evaluation.rollups import rebuild_rollups
    from jahesh.progress.periods import ensure_periods

    for period in ensure_periods(province, year):
        with transaction.atomic():
            rebuild_rollups(period=period)
    weights = weights_for(province)
    periods = scoreable_periods(province, year)
    agencies = list(Agency.objects.filter(province=province))
    stored = 0
    with _quality_memo():
        for period in periods:
            with transaction.atomic():
                for agency in agencies:
                    if refresh_scorecard(agency=agency, period=period, weights=weights,
                                         sums=False):
                        stored += 1
    return stored
