"""The demo province's plan for 1403: programmes of many agencies, in every state."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Count, Q
from django.utils import timezone

from jahesh.audit.models import AuditEvent
from jahesh.core.persian import fiscal_year_bounds, fiscal_year_of
from jahesh.demo import plan_data
from jahesh.plan.models import (
    AlignmentAxis,
    ChangeRequestState,
    CommentKind,
    County,
    Indicator,
    PlanYear,
    PriorityIndustry,
    Programme,
    ProgrammeState,
    Project,
)
from jahesh.plan.quality import check_programme, prefetch_for_quality
from jahesh.plan.services import default_deadline

pytestmark = pytest.mark.django_db


@pytest.fixture
def programmes(province):  # type: ignore[no-untyped-def]
    return Programme.objects.filter(province=province, year=1403).select_related("agency")


def test_the_four_axes_of_the_development_document(province) -> None:  # type: ignore[no-untyped-def]
    titles = list(AlignmentAxis.objects.filter(province=province).order_by("number")
                  .values_list("title", flat=True))
    assert titles == [
        "بهره‌برداری بهینه از منابع موجود",
        "افزایش منابع استان",
        "بهبود فرایند تولید",
        "سرمایه‌گذاری در تکمیل زنجیره تولید",
    ]


def test_14_priority_industries_all_marked_as_demo_data(province) -> None:  # type: ignore[no-untyped-def]
    industries = PriorityIndustry.objects.filter(province=province)
    assert industries.count() == 14
    assert not industries.filter(is_demo=False).exists()
    assert industries.filter(title="فرش دستباف").exists()


def test_twenty_counties_of_east_azerbaijan(province) -> None:  # type: ignore[no-untyped-def]
    names = set(County.objects.filter(province=province).values_list("name", flat=True))
    assert len(names) == 20
    assert {"تبریز", "مراغه", "عجب‌شیر", "بستان‌آباد", "خداآفرین"} <= names


def test_the_1403_plan_year_has_the_default_deadline(province) -> None:  # type: ignore[no-untyped-def]
    deadline = PlanYear.objects.get(province=province, year=1403).submission_deadline
    assert deadline == default_deadline(1403) == datetime.date(2024, 4, 19)  # 1403/01/31


def test_programmes_for_at_least_ten_agencies_among_them_agri_and_imt(programmes) -> None:  # type: ignore[no-untyped-def]
    codes = set(programmes.values_list("agency__code", flat=True))
    assert len(codes) >= 10
    assert {"agri", "imt", "parks"} <= codes
    assert any(code.startswith("bank-") for code in codes)


def test_every_state_is_present(programmes) -> None:  # type: ignore[no-untyped-def]
    states = dict(programmes.values_list("state").annotate(n=Count("id")).order_by())
    assert set(states) == set(ProgrammeState.values)


def test_a_returned_draft_keeps_the_secretariats_comment(programmes) -> None:  # type: ignore[no-untyped-def]
    returned = programmes.get(agency__code="tcc")
    assert returned.state == ProgrammeState.DRAFT and returned.submitted_at is not None
    comment = returned.comments.get(kind=CommentKind.RETURNED)
    assert comment.author.username == "secretariat"
    assert "آمار گمرک" in comment.body


def test_an_accepted_programme_with_a_pending_change_request(programmes) -> None:  # type: ignore[no-untyped-def]
    programme = programmes.get(agency__code="imt")
    assert programme.state == ProgrammeState.ACCEPTED
    request = programme.change_requests.get()
    assert request.state == ChangeRequestState.PENDING
    assert request.requested_by.username == "imt.reporter"
    assert programme.comments.filter(kind=CommentKind.CHANGE_REQUEST).exists()


def test_exactly_one_late_submission_and_it_was_after_the_deadline(programmes) -> None:  # type: ignore[no-untyped-def]
    deadline = default_deadline(1403)
    submitted = programmes.exclude(submitted_at=None)
    late = submitted.filter(is_late=True)
    assert [p.agency.code for p in late] == ["stp"]
    for programme in submitted:
        after = timezone.localdate(programme.submitted_at) > deadline
        assert after == programme.is_late, programme.agency.code


def test_accepted_programmes_are_levelled(programmes) -> None:  # type: ignore[no-untyped-def]
    accepted = programmes.filter(state=ProgrammeState.ACCEPTED)
    assert accepted.count() >= 5
    for programme in accepted:
        assert programme.quality_grade and programme.priority and programme.accepted_at
        event = AuditEvent.objects.get(event="programme.accepted", target_id=str(programme.pk),
                                       target_type="plan.programme")
        assert event.actor.username == "secretariat"
        assert (event.before["state"], event.after["state"]) == ("approved", "accepted")
    assert set(accepted.values_list("quality_grade", flat=True)) >= {"A", "B", "C"}


def test_nothing_else_is_levelled(programmes) -> None:  # type: ignore[no-untyped-def]
    others = programmes.exclude(state=ProgrammeState.ACCEPTED)
    assert set(others.values_list("quality_grade", "priority")) == {("", "")}


def test_every_trajectory_has_twelve_months_and_ends_at_the_target(province) -> None:  # type: ignore[no-untyped-def]
    indicators = Indicator.objects.filter(project__programme__province=province)
    assert indicators.count() >= 30
    for indicator in indicators.prefetch_related("trajectory"):
        points = list(indicator.trajectory.all())
        assert [p.month for p in points] == list(range(1, 13)), indicator.name
        assert points[-1].value == indicator.target, indicator.name
    modes = set(indicators.values_list("trajectory_mode", flat=True))
    assert modes == {"even", "seasonal", "manual"}
    assert set(indicators.values_list("kind", flat=True)) == {
        "quantity", "percentage", "yes_no", "milestone",
    }
    assert set(indicators.values_list("direction", flat=True)) == {
        "increase", "decrease", "reach",
    }


def test_submitted_approved_and_accepted_programmes_pass_the_quality_check(programmes) -> None:  # type: ignore[no-untyped-def]
    reviewed = prefetch_for_quality(programmes.exclude(state=ProgrammeState.DRAFT))
    assert reviewed
    for programme in reviewed:
        assert check_programme(programme).errors == [], programme.title


def test_a_draft_shows_what_the_quality_check_finds(programmes) -> None:  # type: ignore[no-untyped-def]
    report = check_programme(prefetch_for_quality(programmes.filter(agency__code="irib")).get())
    assert len(report.errors) == 2  # an indicator with no baseline, an action with no date
    assert report.score == 70


@pytest.mark.parametrize(("agency", "name", "unit", "baseline", "target"), [
    ("agri", "سطح زیر کشت گلخانه‌ای", "هکتار", 450, 600),
    ("imt", "واحدهای راکد احیاشده", "واحد", 0, 40),
    ("parks", "زمین صنعتی واگذارشده", "هکتار", 0, 120),
    ("bank-smt", "تسهیلات سرمایه در گردش پرداختی", "میلیارد ریال", 6200, 8000),
])
def test_the_headline_numbers(province, agency, name, unit, baseline, target) -> None:  # type: ignore[no-untyped-def]
    indicator = Indicator.objects.get(project__programme__agency__code=agency,
                                      project__programme__province=province, name=name)
    assert (indicator.unit, indicator.baseline, indicator.target) == (
        unit, Decimal(baseline), Decimal(target)
    )


def test_projects_sit_in_the_fiscal_year_with_the_years_key_actions(province) -> None:  # type: ignore[no-untyped-def]
    first, last = fiscal_year_bounds(1403)
    projects = Project.objects.filter(programme__province=province).select_related("key_action")
    assert projects.count() == sum(len(p.projects) for p in plan_data.PROGRAMMES)
    for project in projects:
        assert project.key_action.year == 1403
        assert project.key_action.province_id == province.pk
        assert first <= project.start_date <= project.end_date <= last
        assert project.indicators.exists()


def test_the_story_happens_in_1403_and_is_in_the_audit_trail(programmes) -> None:  # type: ignore[no-untyped-def]
    for programme in programmes:
        assert fiscal_year_of(programme.created_at) == 1403
        created = AuditEvent.objects.get(event="programme.created", target_id=str(programme.pk),
                                         target_type="plan.programme")
        assert created.actor.username == f"{programme.agency.code}.reporter"
    # Every programme that got past "submitted" was approved by its own agency's head.
    approved = programmes.filter(Q(state__in=["approved", "accepted"]) | Q(agency__code="tcc"))
    approvals = AuditEvent.objects.filter(event="programme.approved",
                                          province=programmes[0].province)
    assert sorted(e.actor.username for e in approvals) == sorted(
        f"{p.agency.code}.head" for p in approved
    )
