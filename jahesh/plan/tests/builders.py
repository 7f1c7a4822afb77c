"""Programmes built through the real services, for the plan tests.

Plain functions, not fixtures: call them with the demo province (the root conftest's `province`
fixture). Every programme is the Agriculture Jihad's unless told otherwise; the acting person is
the agency's reporter, head or the secretariat, as in real life.
"""

from decimal import Decimal
from typing import Any

from jahesh.core.persian import parse_jalali_date
from jahesh.organisation.models import Agency, Person, Province
from jahesh.plan import services
from jahesh.plan.models import Indicator, KeyAction, Programme, Project, RequiredAction

INDICATOR = {
    "name": "سطح زیر کشت گلخانه‌ای", "unit": "هکتار", "kind": "quantity",
    "direction": "increase", "baseline": Decimal(450), "target": Decimal(600),
}


def who(username: str) -> Person:
    return Person.objects.get(username=username)


def key_actions(province: Province, *numbers: int, year: int = 1403) -> list[KeyAction]:
    return list(KeyAction.objects.filter(province=province, year=year, number__in=numbers))


def programme(
    province: Province, *, agency: str = "agri", title: str = "توسعه ۱۵۰ هکتار گلخانه",
    actions: tuple[int, ...] = (1,), year: int = 1403, description: str = "",
) -> Programme:
    return services.programme_create(
        acting_user=who(f"{agency}.reporter"), agency=Agency.objects.get(province=province,
                                                                         code=agency),
        year=year, level="operational", title=title, description=description,
        key_actions=key_actions(province, *actions, year=year),
    )


def project(programme: Programme, *, title: str = "احداث ۱۵۰ هکتار گلخانه",
            key_action: int = 1, **values: Any) -> Project:
    return services.project_save(
        programme=programme, acting_user=who(f"{programme.agency.code}.reporter"), title=title,
        key_action=KeyAction.objects.get(province=programme.province, year=programme.year,
                                         number=key_action),
        **values,
    )


def indicator(project: Project, **values: Any) -> Indicator:
    return services.indicator_save(
        project=project, acting_user=who(f"{project.programme.agency.code}.reporter"),
        **{**INDICATOR, **values},
    )


def action(project: Project, *, title: str = "پرداخت تسهیلات ساخت گلخانه",
           owner: str | None = "bank-keshavarzi", due: str | None = "1403/06/31") -> RequiredAction:
    return services.required_action_save(
        project=project, acting_user=who(f"{project.programme.agency.code}.reporter"),
        title=title,
        owner_agency=Agency.objects.get(province=project.programme.province, code=owner)
        if owner else None,
        due_date=parse_jalali_date(due) if due else None,
    )


def ready(province: Province, **options: Any) -> Programme:
    """A draft that passes the quality check: one project, one indicator, one action."""
    draft = programme(province, **options)
    work = project(draft)
    indicator(work)
    action(work)
    return draft


def walk(draft: Programme, to: str, *, grade: str = "B", priority: str = "high") -> Programme:
    """Take a ready draft to `to` (submitted, approved or accepted) as its people would."""
    code = draft.agency.code
    current = services.programme_submit(programme=draft, acting_user=who(f"{code}.reporter"))
    if to in ("approved", "accepted"):
        current = services.programme_approve(programme=current, acting_user=who(f"{code}.head"))
    if to == "accepted":
        current = services.programme_accept(programme=current, acting_user=who("secretariat"),
                                             quality_grade=grade, priority=priority)
    return current
