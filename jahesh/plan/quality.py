"""The quality check of programmes: what is missing, in words an agency officer understands.

Runs before submission (errors block it) and for the secretariat (scores per programme and
agency). Each finding costs points; a programme starts at 100.
"""

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from jahesh.core.persian import fold, to_latin_digits
from jahesh.plan.models import Direction, Indicator, IndicatorKind, Programme, Project

ERROR, WARNING = "error", "warning"
PENALTY = {ERROR: 15, WARNING: 5}
# A target more than this many times the baseline is far beyond what history supports.
REALISM_FACTOR = Decimal(3)
# Words that make a title measurable even without a number (units and countable things).
_MEASURABLE_WORDS = [
    "تن", "هکتار", "درصد", "واحد", "نفر", "شغل", "میلیارد", "میلیون", "کیلومتر", "متر",
    "مگاوات", "دستگاه", "طرح", "پروژه", "کارخانه", "هزار", "اشتغال", "تولید", "صادرات",
]
_MEASURABLE = {fold(w) for w in _MEASURABLE_WORDS}


@dataclass(frozen=True)
class Finding:
    severity: str
    message: str
    where: str = ""


@dataclass
class QualityReport:
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == WARNING]

    @property
    def score(self) -> int:
        return max(0, 100 - sum(PENALTY[f.severity] for f in self.findings))

    def add(self, severity: str, message: str, where: str = "") -> None:
        self.findings.append(Finding(severity, str(message), where))


def _is_measurable(title: str) -> bool:
    text = to_latin_digits(title)
    if re.search(r"\d", text):
        return True
    words = {fold(w) for w in re.split(r"[\s،,.\-–:؛()]+", title) if w}
    return bool(words & _MEASURABLE)


def _check_indicator(report: QualityReport, indicator: Indicator, where: str) -> None:
    label = f"{where} › {indicator.name}"
    if indicator.kind in (IndicatorKind.QUANTITY, IndicatorKind.PERCENTAGE) and not indicator.unit:
        report.add(ERROR, _("The indicator has no unit."), label)
    if indicator.target is None:
        report.add(ERROR, _("The indicator has no year-end target."), label)
    if indicator.baseline is None and indicator.kind in (IndicatorKind.QUANTITY,
                                                         IndicatorKind.PERCENTAGE):
        report.add(ERROR, _("The indicator has no baseline."), label)
    # Needs no baseline: said now, not only once the baseline is filled in.
    if (indicator.kind == IndicatorKind.PERCENTAGE and indicator.target is not None
            and not (0 <= indicator.target <= 100)):
        report.add(ERROR, _("A percentage target must be between 0 and 100."), label)
    if indicator.target is None or indicator.baseline is None:
        return
    base, target = indicator.baseline, indicator.target
    if indicator.direction == Direction.INCREASE and target <= base:
        report.add(ERROR, _("The target should be above the baseline for an increasing indicator."),
                   label)
    elif indicator.direction == Direction.DECREASE and target >= base:
        report.add(ERROR, _("The target should be below the baseline for a decreasing indicator."),
                   label)
    if base > 0 and target > base * REALISM_FACTOR:
        report.add(
            WARNING,
            _("The target is more than three times the baseline: is it realistic?"),
            label,
        )


def _check_project(report: QualityReport, project: Project, where: str) -> None:
    label = f"{where} › {project.title}"
    indicators = list(project.indicators.all())
    if not any(i.target is not None for i in indicators):
        report.add(ERROR, _("The project has no quantified indicator."), label)
    if not _is_measurable(project.title) and not indicators:
        report.add(WARNING, _("The project title says nothing measurable."), label)
    for indicator in indicators:
        _check_indicator(report, indicator, label)
    for action in project.required_actions.all():
        if action.owner_agency_id is None or action.due_date is None:
            report.add(
                ERROR, _("A required action has no owner agency or no due date."),
                f"{label} › {action.title}",
            )
    if project.start_date and project.end_date and project.end_date < project.start_date:
        report.add(ERROR, _("The project ends before it starts."), label)


def check_programme(programme: Programme) -> QualityReport:
    """Every finding for one programme. Prefetch projects, indicators and actions for lists."""
    report = QualityReport()
    where = programme.title
    if not programme.key_actions.all():
        report.add(ERROR, _("The programme serves no key action."), where)
    if not _is_measurable(programme.title) and not programme.description:
        report.add(WARNING, _("The programme title says nothing measurable."), where)
    projects = list(programme.projects.all())
    if not projects:
        report.add(ERROR, _("The programme has no project."), where)
    for project in projects:
        _check_project(report, project, where)
    return report


def prefetch_for_quality(queryset):  # type: ignore[no-untyped-def]
    return queryset.prefetch_related(
        "key_actions", "projects__indicators", "projects__required_actions"
    )


def agency_scores(programmes: list[Programme]) -> dict[int, int]:
    """The mean programme score per agency id."""
    totals: dict[int, list[int]] = {}
    for programme in programmes:
        totals.setdefault(programme.agency_id, []).append(check_programme(programme).score)
    # Half up, as people round: round() would give 92 for 92.5 but 98 for 97.5.
    return {
        agency: int((Decimal(sum(s)) / len(s)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        for agency, s in totals.items()
    }
