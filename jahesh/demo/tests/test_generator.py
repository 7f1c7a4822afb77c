"""`jahesh generate_province`: a synthetic province of any size, deterministic for a seed."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from jahesh.audit.models import AuditEvent
from jahesh.demo import data, plan_data
from jahesh.demo import synthetic_data as words
from jahesh.demo.generator import generate_province
from jahesh.organisation.models import Agency, AgencyCategory, Person, Province, Role, RoleKind
from jahesh.plan.models import (
    AlignmentAxis,
    County,
    Indicator,
    KeyAction,
    PlanYear,
    PriorityIndustry,
    Programme,
    ProgrammeState,
    Project,
    RequiredAction,
    TrajectoryPoint,
)
from jahesh.plan.quality import check_programme, prefetch_for_quality
from jahesh.plan.services import default_deadline

pytestmark = pytest.mark.django_db


def generate(*args: str) -> str:
    out = StringIO()
    call_command("generate_province", *args, stdout=out)
    return out.getvalue()


def rows(code: str) -> dict[str, list[tuple[object, ...]]]:
    """What was generated in province `code`, without ids, uids, hashes or creation times."""
    projects = Project.objects.filter(programme__province__code=code)
    return {
        "agencies": list(Agency.objects.filter(province__code=code).order_by("code")
                         .values_list("code", "name", "category", "sector__code",
                                      "parent__code")),
        "people": list(Person.objects.filter(province__code=code).order_by("username")
                       .values_list("first_name", "last_name", "job_title")),
        "programmes": list(Programme.objects.filter(province__code=code)
                           .order_by("agency__code", "title")
                           .values_list("agency__code", "title", "level", "state", "is_late",
                                        "quality_grade", "priority", "submitted_at")),
        "projects": list(projects.order_by("id").values_list(
            "programme__title", "title", "key_action__number", "county__name", "start_date",
            "end_date", "budget_provincial", "budget_bank")),
        "indicators": list(Indicator.objects.filter(project__in=projects).order_by("id")
                           .values_list("name", "unit", "kind", "direction", "baseline",
                                        "target", "trajectory_mode", "seasonal_profile")),
        "trajectory": list(TrajectoryPoint.objects.filter(indicator__project__in=projects)
                           .order_by("indicator_id", "month").values_list("month", "value")),
        "actions": list(RequiredAction.objects.filter(project__in=projects).order_by("id")
                        .values_list("title", "owner_agency__code", "due_date")),
    }


@pytest.fixture
def small() -> Province:
    generate("--agencies", "5", "--projects", "40", "--seed", "7", "--code", "gen-small")
    return Province.objects.get(code="gen-small")


def test_a_small_province_has_what_was_asked_for(small) -> None:  # type: ignore[no-untyped-def]
    agencies = Agency.objects.filter(province=small)
    assert agencies.count() == 5
    assert set(agencies.values_list("category", flat=True)) == set(AgencyCategory.values)
    # A reporter and a head per agency, and the province's own four logins.
    assert Person.objects.filter(province=small).count() == 5 * 2 + 4
    for agency in agencies:
        assert Role.objects.get(agency=agency, kind=RoleKind.REPORTER).person.username == (
            f"gen-small.{agency.code}.reporter"
        )
        assert Role.objects.filter(agency=agency, kind=RoleKind.APPROVER).count() == 1
    assert Role.objects.get(province=small, kind=RoleKind.SECRETARIAT).person.username == (
        "gen-small.secretariat"
    )
    assert KeyAction.objects.for_year(small, 1403).count() == 10
    assert AlignmentAxis.objects.filter(province=small).count() == 4
    assert PriorityIndustry.objects.filter(province=small, is_demo=True).count() == 14
    assert County.objects.filter(province=small).count() == 20
    assert PlanYear.objects.get(province=small, year=1403).submission_deadline == (
        default_deadline(1403)
    )

    projects = Project.objects.filter(programme__province=small)
    assert projects.count() == 40
    for agency in agencies:  # a programme for each theme the agency works on
        themes = [words.THEMES[key].title for key in words.AGENCY_THEMES[agency.code]]
        assert sorted(agency.programmes.values_list("title", flat=True)) == sorted(themes)
    for project in projects.prefetch_related("indicators", "required_actions"):
        assert 1 <= len(project.indicators.all()) <= 3
        assert len(project.required_actions.all()) <= 3
        assert project.key_action in project.programme.key_actions.all()
    indicators = Indicator.objects.filter(project__programme__province=small)
    assert TrajectoryPoint.objects.filter(indicator__in=indicators).count() == (
        12 * indicators.count()
    )


def test_every_demo_agency_has_themes_and_every_theme_is_used() -> None:
    assert set(words.AGENCY_THEMES) == {code for code, *_ in data.AGENCIES}
    assert {key for keys in words.AGENCY_THEMES.values() for key in keys} == set(words.THEMES)


def test_projects_serve_their_programmes_theme(small) -> None:  # type: ignore[no-untyped-def]
    kinds = {t.title: {k.metric.name for k in t.kinds} for t in words.THEMES.values()}
    for project in Project.objects.filter(programme__province=small).select_related("programme"):
        first = project.indicators.order_by("id").first()
        assert first is not None and first.name in kinds[project.programme.title]


def test_the_logins_work_with_the_demo_password(small) -> None:  # type: ignore[no-untyped-def]
    person = Person.objects.get(username="gen-small.secretariat")
    assert person.check_password(data.DEMO_PASSWORD)
    assert person.first_name and "\u0600" <= person.first_name[0] <= "\u06ff"


def test_one_summary_audit_event(small) -> None:  # type: ignore[no-untyped-def]
    event = AuditEvent.objects.get(province=small)
    assert event.event == "province.generated"
    assert (event.after["seed"], event.after["agencies"], event.after["projects"]) == (7, 5, 40)
    assert event.after["rows"]["projects"] == 40


def test_every_trajectory_ends_at_its_target(small) -> None:  # type: ignore[no-untyped-def]
    indicators = Indicator.objects.filter(project__programme__province=small)
    for indicator in indicators.prefetch_related("trajectory"):
        points = list(indicator.trajectory.all())
        assert [p.month for p in points] == list(range(1, 13))
        assert points[-1].value == indicator.target


def test_programmes_past_the_draft_pass_the_quality_check_and_accepted_are_levelled(small) -> None:  # type: ignore[no-untyped-def]
    programmes = prefetch_for_quality(Programme.objects.filter(province=small))
    for programme in programmes:
        if programme.state != ProgrammeState.DRAFT:
            assert check_programme(programme).errors == [], programme.title
            assert programme.submitted_at is not None
            late = timezone.localdate(programme.submitted_at) > default_deadline(1403)
            assert programme.is_late == late
        if programme.state == ProgrammeState.ACCEPTED:
            assert programme.quality_grade and programme.priority and programme.accepted_at
        else:
            assert (programme.quality_grade, programme.priority) == ("", "")
        if not programme.projects.all():
            assert programme.state == ProgrammeState.DRAFT


def test_the_same_seed_builds_the_same_province() -> None:
    generate_province(agencies=6, projects=30, seed=11, code="gen-a")
    generate_province(agencies=6, projects=30, seed=11, code="gen-b")
    generate_province(agencies=6, projects=30, seed=12, code="gen-c")
    first, second, other = rows("gen-a"), rows("gen-b"), rows("gen-c")
    assert first == second
    assert first["agencies"] == other["agencies"]  # the same size: the same agencies ...
    assert first["projects"] != other["projects"]  # ... with another plan


def test_more_agencies_than_the_demo_has_become_county_offices_working_in_their_county() -> None:
    generate_province(agencies=60, projects=200, seed=3, code="gen-wide")
    agencies = Agency.objects.filter(province__code="gen-wide")
    assert agencies.count() == 60
    offices = agencies.exclude(code__in=[code for code, *_ in data.AGENCIES])
    assert offices.count() == 60 - len(data.AGENCIES)
    assert agencies.values("name").distinct().count() == 60
    for office in offices.select_related("parent"):
        assert office.parent.code in words.COUNTY_OFFICES
        county = office.name.removeprefix(f"{office.parent.name} شهرستان ")
        assert county in plan_data.COUNTIES
        assert set(Project.objects.filter(programme__agency=office)
                   .values_list("county__name", flat=True)) <= {county}


def test_with_no_project_every_programme_is_a_draft() -> None:
    generate_province(agencies=8, projects=0, seed=3, code="gen-empty")
    programmes = Programme.objects.filter(province__code="gen-empty")
    assert programmes.exists()
    assert set(programmes.values_list("state", flat=True)) == {ProgrammeState.DRAFT}


def test_the_command_prints_each_step_and_the_time() -> None:
    out = generate("--agencies", "2", "--projects", "3")
    assert "synthetic-2-3" in out
    for step in ["province", "agencies", "people", "projects", "indicators", "audit"]:
        assert step in out
    assert "Built province synthetic-2-3 in" in out
    assert Province.objects.filter(code="synthetic-2-3").exists()


def test_running_twice_with_the_same_code_is_refused(small) -> None:  # type: ignore[no-untyped-def]
    before = (Province.objects.count(), Project.objects.count(), AuditEvent.objects.count())
    with pytest.raises(CommandError, match="gen-small"):
        generate("--agencies", "5", "--projects", "40", "--seed", "7", "--code", "gen-small")
    assert (Province.objects.count(), Project.objects.count(),
            AuditEvent.objects.count()) == before


def test_refused_in_production() -> None:
    with override_settings(PRODUCTION=True), pytest.raises(CommandError, match="production"):
        generate("--agencies", "2", "--projects", "3")
    assert not Province.objects.filter(code="synthetic-2-3").exists()


@pytest.mark.parametrize("args", [
    ["--agencies", "0", "--projects", "3"],
    ["--agencies", "2", "--projects", "-1"],
    ["--agencies", "2", "--projects", "3", "--code", "not a slug"],
    ["--agencies", "2", "--projects", "3", "--code", "x" * 41],
])
def test_bad_arguments_are_refused(args: list[str]) -> None:
    with pytest.raises(CommandError):
        generate(*args)
    assert Province.objects.count() == Province.objects.filter(code="east-azerbaijan").count()


def test_twelve_months_of_reports_on_accepted_programmes_only():
    from decimal import Decimal

    from jahesh.evaluation.models import AgencyScorecard
    from jahesh.plan.models import Measure
    from jahesh.progress.models import IndicatorValue, ProgressReport, ReportState, Status
    from jahesh.progress.status import indicator_percent

    generate_province(agencies=4, projects=60, seed=7, code="gen-reports")
    reports = ProgressReport.objects.filter(period__province__code="gen-reports")
    assert set(reports.values_list("period__month", flat=True)) == set(range(1, 13))
    assert set(reports.values_list("programme__state", flat=True)) == {ProgrammeState.ACCEPTED}
    # Early months are settled; the last one is still moving.
    assert reports.filter(period__month=1).exclude(
        state__in=[ReportState.VERIFIED, ReportState.APPROVED]).count() == 0
    assert reports.filter(period__month=12, state=ReportState.DRAFT).exists()
    # What a report carries agrees with its values, as the services would have computed it.
    for value in IndicatorValue.objects.filter(report__in=reports).select_related("indicator")[:200]:
        assert value.percent == indicator_percent(value.indicator, value.cumulative, value.planned)
    monthly = IndicatorValue.objects.filter(report__in=reports,
                                            indicator__measure=Measure.MONTHLY).first()
    if monthly is not None:  # a monthly figure is the month's change, the cumulative adds them up
        earlier = IndicatorValue.objects.filter(
            indicator=monthly.indicator, report__period__month__lte=monthly.report.period.month)
        baseline = monthly.indicator.baseline or Decimal(0)
        assert monthly.cumulative == baseline + sum(v.value for v in earlier)
    behind = reports.filter(status__in=[Status.AT_RISK, Status.OFF_TRACK])
    assert not behind.filter(explanation="").exclude(state=ReportState.DRAFT).exists()
    assert AgencyScorecard.objects.filter(agency__province__code="gen-reports").exists()
