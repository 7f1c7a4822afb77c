"""The demo province: what the seeds describe, deterministic and idempotent."""

import pytest
from django.core.management import call_command
from django.db.models import F, Value
from django.db.models.functions import Concat

from jahesh.audit.models import AuditEvent
from jahesh.demo import data
from jahesh.demo.loader import load_demo_province
from jahesh.organisation.models import Agency, AgencyCategory, Person, Province, Role, RoleKind
from jahesh.plan.models import (
    ChangeRequest,
    County,
    Indicator,
    KeyAction,
    Programme,
    ProgrammeComment,
    Project,
    RequiredAction,
    TrajectoryPoint,
)

SEED_KEY_ACTIONS = [
    "زیرساخت‌های اساسی تولید",
    "رفع موانع تولید",
    "تامین منابع مالی",
    "ایجاد زنجیره‌های ارزش در صنایع",
    "فعال‌سازی پنجره واحد سرمایه‌گذاری",
    "ارتقای کیفیت محصولات تولیدی",
    "بازاریابی و فروش",
    "قیمت‌گذاری محصولات",
    "کنترل قیمت تمام‌شده محصولات",
    "ترویج فرهنگ مصرف کالای ایرانی",
]


def counts() -> dict[str, int]:
    return {
        "provinces": Province.objects.count(),
        "agencies": Agency.objects.count(),
        "people": Person.objects.count(),
        "roles": Role.objects.count(),
        "key_actions": KeyAction.objects.count(),
        "counties": County.objects.count(),
        "programmes": Programme.objects.count(),
        "projects": Project.objects.count(),
        "indicators": Indicator.objects.count(),
        "trajectory": TrajectoryPoint.objects.count(),
        "actions": RequiredAction.objects.count(),
        "comments": ProgrammeComment.objects.count(),
        "change_requests": ChangeRequest.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def loaded(code: str) -> dict[str, list[tuple[object, ...]]]:
    """Everything the demo builds in province `code`, as comparable rows without ids."""
    people = Person.objects.filter(province__code=code).order_by("first_name", "last_name",
                                                                 "job_title")
    programmes = Programme.objects.filter(province__code=code)
    projects = Project.objects.filter(programme__province__code=code)
    return {
        "people": list(people.values_list("first_name", "last_name", "job_title")),
        "programmes": list(programmes.order_by("agency__code", "title").values_list(
            "agency__code", "title", "level", "state", "is_late", "quality_grade", "priority",
            "submitted_at", "accepted_at", "created_at")),
        "projects": list(projects.order_by("programme__title", "title").values_list(
            "title", "key_action__number", "county__name", "start_date", "end_date",
            "budget_provincial", "budget_national", "budget_bank", "budget_private")),
        "indicators": list(Indicator.objects.filter(project__in=projects).order_by(
            "project__title", "name").values_list("name", "unit", "kind", "direction",
                                                  "baseline", "target", "trajectory_mode")),
        "trajectory": list(TrajectoryPoint.objects.filter(indicator__project__in=projects)
                           .order_by("indicator__project__title", "indicator__name", "month")
                           .values_list("month", "value")),
        "actions": list(RequiredAction.objects.filter(project__in=projects).order_by(
            "project__title", "title").values_list("title", "owner_agency__code", "due_date")),
        "comments": list(ProgrammeComment.objects.filter(programme__in=programmes).order_by(
            "created_at").values_list("kind", "body", "created_at")),
        "audit": list(AuditEvent.objects.filter(province__code=code).order_by("at", "id")
                      .values_list("event", "target_type", "target_repr", "at")),
    }


@pytest.mark.django_db
def test_the_ten_key_actions_of_1403_in_the_seeds_wording(province) -> None:  # type: ignore[no-untyped-def]
    titles = list(KeyAction.objects.for_year(province, 1403).values_list("title", flat=True))
    assert titles == SEED_KEY_ACTIONS


@pytest.mark.django_db
def test_at_least_25_agencies_in_all_four_categories(province) -> None:  # type: ignore[no-untyped-def]
    agencies = Agency.objects.filter(province=province)
    assert agencies.count() >= 25
    assert set(agencies.values_list("category", flat=True)) == set(AgencyCategory.values)


@pytest.mark.django_db
@pytest.mark.parametrize("fragment", [
    "جهاد کشاورزی", "صنعت، معدن و تجارت", "سازمان مدیریت و برنامه‌ریزی", "صدا و سیما",
    "شهرک‌های صنعتی", "اتاق بازرگانی", "بانک", "سازمان مدیریت صنعتی",
])
def test_every_body_the_seeds_name_is_there(province, fragment: str) -> None:  # type: ignore[no-untyped-def]
    assert Agency.objects.filter(province=province, name__contains=fragment).exists()


@pytest.mark.django_db
def test_demo_logins_for_every_role(province) -> None:  # type: ignore[no-untyped-def]
    def kinds(username: str) -> set[str]:
        return set(Role.objects.filter(person__username=username).values_list("kind", flat=True))

    assert kinds("secretariat") == {RoleKind.SECRETARIAT}
    assert kinds("hq") == {RoleKind.HQ_MEMBER}
    assert kinds("chamber") == {RoleKind.CHAMBER}
    assert kinds("evaluator") == {RoleKind.EVALUATOR}
    for code in ["agri", "imt"]:
        agency = Agency.objects.get(province=province, code=code)
        assert Role.objects.filter(person__username=f"{code}.reporter", agency=agency,
                                   kind=RoleKind.REPORTER).exists()
        assert Role.objects.filter(person__username=f"{code}.head", agency=agency,
                                   kind=RoleKind.APPROVER).exists()
    assert Role.objects.filter(kind=RoleKind.PARTICIPATION_OFFICER).exists()
    # Every agency has its reporter and head.
    for agency in Agency.objects.filter(province=province):
        assert Person.objects.filter(username=f"{agency.code}.reporter").exists()
        assert Person.objects.filter(username=f"{agency.code}.head").exists()


@pytest.mark.django_db
def test_demo_people_have_persian_names_and_the_demo_password() -> None:
    person = Person.objects.get(username="agri.reporter")
    assert person.first_name and "\u0600" <= person.first_name[0] <= "\u06ff"
    assert person.check_password(data.DEMO_PASSWORD)


@pytest.mark.django_db
def test_loading_again_changes_nothing() -> None:
    before = counts()
    assert load_demo_province() is None
    call_command("demo", "--quiet-logins")
    assert counts() == before


@pytest.mark.django_db
def test_loading_is_deterministic() -> None:
    code = data.PROVINCE["code"]
    first = loaded(code)
    usernames = sorted(Person.objects.filter(province__code=code)
                       .values_list("username", flat=True))
    # The audit trail is append-only and points at the demo's rows and people, so nothing can
    # be deleted: move the first load out of the way (usernames are unique) and load again.
    Province.objects.filter(code=code).update(code="old-demo", name="old demo")
    Person.objects.filter(province__code="old-demo").update(
        username=Concat(Value("old."), F("username"))
    )

    assert load_demo_province() is not None

    assert loaded(code) == first
    assert sorted(Person.objects.filter(province__code=code)
                  .values_list("username", flat=True)) == usernames


@pytest.mark.django_db
def test_demo_command_prints_every_login(capsys) -> None:  # type: ignore[no-untyped-def]
    call_command("demo")
    out = capsys.readouterr().out
    assert "jahesh-demo" in out
    for username in ["secretariat", "hq", "chamber", "evaluator", "agri.reporter", "imt.head"]:
        assert username in out
