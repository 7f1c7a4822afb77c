"""The demo province: what the seeds describe, deterministic and idempotent."""

import pytest
from django.core.management import call_command

from jahesh.audit.models import AuditEvent
from jahesh.demo import data
from jahesh.demo.loader import load_demo_province
from jahesh.organisation.models import Agency, AgencyCategory, Person, Province, Role, RoleKind
from jahesh.plan.models import KeyAction

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
        "audit": AuditEvent.objects.count(),
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
def test_loading_is_deterministic(django_db_blocker) -> None:  # type: ignore[no-untyped-def]
    first = list(Person.objects.order_by("username").values_list("username", "first_name",
                                                                   "last_name"))
    Role.objects.all().delete()
    Person.objects.all().delete()
    Agency.objects.update(parent=None)
    KeyAction.objects.all().delete()
    province = Province.objects.get(code=data.PROVINCE["code"])
    Agency.objects.filter(province=province).delete()
    province.sectors.all().delete()
    # Audit events point at the province, so it stays; rename it out of the way instead.
    Province.objects.filter(pk=province.pk).update(code="old-demo", name="old demo")
    load_demo_province()
    second = list(Person.objects.order_by("username").values_list("username", "first_name",
                                                                    "last_name"))
    assert second == first


@pytest.mark.django_db
def test_demo_command_prints_every_login(capsys) -> None:  # type: ignore[no-untyped-def]
    call_command("demo")
    out = capsys.readouterr().out
    assert "jahesh-demo" in out
    for username in ["secretariat", "hq", "chamber", "evaluator", "agri.reporter", "imt.head"]:
        assert username in out
