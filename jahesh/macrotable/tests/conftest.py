"""A small plan of the demo province for the macro-table tests, built through the plan services.

It lives in fiscal year 1402, which the demo does not use, so the tests see only these rows
whatever the demo holds for 1403:

  agri  «توسعه کشت گلخانه‌ای» (draft, operational)
          گلخانه‌های جدید      key action 1, تبریز, budget 100+200+300+0, 2 indicators, 2 actions
          صنایع تبدیلی شیر     key action 4, مراغه, budget 50, 1 indicator
  agri  «نوسازی باغ‌ها» (accepted, strategic, industry «صنایع غذایی»)
          باغ‌های پربازده       key action 4, no county, budget 10, 1 indicator, 1 action
  imt   «احیای واحدهای راکد» (draft, project-based)
          احیای ۴۰ واحد راکد    key action 2, تبریز, budget 1000, 1 indicator
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest

from jahesh.core.persian import parse_jalali_date
from jahesh.organisation.models import Agency, Person, Province
from jahesh.plan import services as plan
from jahesh.plan.models import County, KeyAction, Programme, Project

YEAR = 1402
KEY_ACTION_TITLES = [
    "زیرساخت‌های اساسی تولید", "رفع موانع تولید", "تامین منابع مالی",
    "ایجاد زنجیره‌های ارزش در صنایع", "فعال‌سازی پنجره واحد سرمایه‌گذاری",
    "ارتقای کیفیت محصولات تولیدی", "بازاریابی و فروش", "قیمت‌گذاری محصولات",
    "کنترل قیمت تمام‌شده محصولات", "ترویج فرهنگ مصرف کالای ایرانی",
]


def jd(text: str) -> Any:
    return parse_jalali_date(text)


@dataclass
class Plan:
    province: Province
    year: int
    key_actions: dict[int, KeyAction]
    counties: dict[str, County]
    agencies: dict[str, Agency]
    programmes: dict[str, Programme] = field(default_factory=dict)
    projects: dict[str, Project] = field(default_factory=dict)

    def project(self, key: str) -> Project:
        return Project.objects.get(pk=self.projects[key].pk)


def county(province: Province, name: str) -> County:
    return (County.objects.filter(province=province, name=name).first()
            or plan.county_create(province=province, acting_user=None, name=name))


def add_project(
    programme: Programme, *, title: str, key_action: KeyAction, county_: County | None = None,
    budget: tuple[int, int, int, int] = (0, 0, 0, 0), indicators: list[dict[str, Any]] = (),  # type: ignore[assignment]
    actions: list[dict[str, Any]] = (),  # type: ignore[assignment]
    start: str | None = "1402/01/15", end: str | None = "1402/12/20", user: Any = None,
) -> Project:
    provincial, national, bank, private = (Decimal(b) for b in budget)
    project = plan.project_save(
        programme=programme, acting_user=user, title=title, key_action=key_action,
        county=county_, start_date=jd(start) if start else None,
        end_date=jd(end) if end else None, budget_provincial=provincial,
        budget_national=national, budget_bank=bank, budget_private=private,
    )
    project.programme = programme
    for values in indicators:
        plan.indicator_save(project=project, acting_user=user, **values)
    for values in actions:
        plan.required_action_save(project=project, acting_user=user, **values)
    return project


def indicator(name: str, unit: str, baseline: str, target: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "unit": unit, "baseline": Decimal(baseline), "target": Decimal(target),
            "baseline_date": jd("1401/12/29"), **extra}


def build_plan(province: Province) -> Plan:
    key_actions = {
        number: plan.key_action_create(acting_user=None, province=province, year=YEAR,
                                       number=number, title=title)
        for number, title in enumerate(KEY_ACTION_TITLES, start=1)
    }
    counties = {name: county(province, name) for name in ("تبریز", "مراغه", "مرند")}
    agencies = {a.code: a for a in Agency.objects.filter(province=province)}
    industry = plan.industry_save(province=province, acting_user=None, title="صنایع غذایی آزمون")
    p = Plan(province, YEAR, key_actions, counties, agencies)
    reporter = Person.objects.get(username="agri.reporter")
    head = Person.objects.get(username="agri.head")
    secretariat = Person.objects.get(username="secretariat")

    p.programmes["greenhouse"] = plan.programme_create(
        acting_user=reporter, agency=agencies["agri"], year=YEAR, level="operational",
        title="توسعه کشت گلخانه‌ای", key_actions=[key_actions[1], key_actions[4]])
    p.projects["greenhouse"] = add_project(
        p.programmes["greenhouse"], title="احداث ۲۰۰ هکتار گلخانه‌های جدید",
        key_action=key_actions[1], county_=counties["تبریز"], budget=(100, 200, 300, 0),
        indicators=[indicator("سطح زیر کشت گلخانه", "هکتار", "1200", "1400"),
                    indicator("اشتغال ایجادشده", "نفر", "0", "350")],
        actions=[{"title": "تامین آب گلخانه‌ها", "owner_agency": agencies["water"],
                  "due_date": jd("1402/06/31")},
                 {"title": "تسهیلات بانکی", "owner_agency": agencies["bank-keshavarzi"],
                  "due_date": jd("1402/04/31")}],
        user=reporter)
    p.projects["milk"] = add_project(
        p.programmes["greenhouse"], title="صنایع تبدیلی شیر", key_action=key_actions[4],
        county_=counties["مراغه"], budget=(50, 0, 0, 0),
        indicators=[indicator("ظرفیت فرآوری شیر", "تن در روز", "80", "120")], user=reporter)

    p.programmes["orchards"] = plan.programme_create(
        acting_user=reporter, agency=agencies["agri"], year=YEAR, level="strategic",
        title="نوسازی باغ‌ها", key_actions=[key_actions[4]], priority_industries=[industry])
    p.projects["orchards"] = add_project(
        p.programmes["orchards"], title="باغ‌های پربازده ۵۰۰ هکتاری", key_action=key_actions[4],
        budget=(10, 0, 0, 0),
        indicators=[indicator("باغ‌های نوسازی‌شده", "هکتار", "100", "500")],
        actions=[{"title": "تامین نهال", "owner_agency": agencies["agri"],
                  "due_date": jd("1402/02/31")}],
        user=reporter)
    orchards = plan.programme_submit(programme=p.programmes["orchards"], acting_user=reporter)
    orchards = plan.programme_approve(programme=orchards, acting_user=head)
    p.programmes["orchards"] = plan.programme_accept(
        programme=orchards, acting_user=secretariat, quality_grade="B", priority="high")

    imt_reporter = Person.objects.get(username="imt.reporter")
    p.programmes["idle"] = plan.programme_create(
        acting_user=imt_reporter, agency=agencies["imt"], year=YEAR, level="project",
        title="احیای واحدهای راکد", key_actions=[key_actions[2]])
    p.projects["idle"] = add_project(
        p.programmes["idle"], title="احیای ۴۰ واحد راکد صنعتی", key_action=key_actions[2],
        county_=counties["تبریز"], budget=(1000, 0, 0, 0),
        indicators=[indicator("واحدهای احیاشده", "واحد", "0", "40")], user=imt_reporter)
    return p


@pytest.fixture
def plan_1402(province: Province) -> Plan:
    return build_plan(province)


@pytest.fixture
def media_root(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
