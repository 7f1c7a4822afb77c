"""Shared set-up for the case workflow's tests: categories, cases opened and moved through the
real services, the personas as Person rows."""

from __future__ import annotations

from typing import Any

import pytest

from jahesh.cases import services
from jahesh.cases.models import Case, CaseKind, Category, Channel
from jahesh.organisation.models import Agency, Person, Province


def who(username: str) -> Person:
    return Person.objects.get(username=username)


def agency(province: Province, code: str) -> Agency:
    return Agency.objects.get(province=province, code=code)


def category(province: Province, code: str = "test-permits", name: str = "مجوزهای آزمون",
             agency_code: str | None = "agri", response_days: int = 3,
             resolution_days: int = 10) -> Category:
    default = agency(province, agency_code) if agency_code else None
    return Category.objects.get_or_create(
        province=province, code=code,
        defaults={"name": name, "default_agency": default, "response_days": response_days,
                  "resolution_days": resolution_days})[0]


def open_case(province: Province, *, title: str = "کمبود برق در شهرک", by: str = "secretariat",
              channel: str = Channel.FACILITATION, cat: Category | None = None,
              **extra: Any) -> Case:
    return services.case_open(
        province=province, kind=CaseKind.OBSTACLE, channel=channel,
        category=cat or category(province), title=title,
        description="قطع مکرر برق خط تولید را متوقف کرده است.", acting_user=who(by),
        requester_name="کارخانه نمونه", **extra)


def assigned_case(province: Province, agency_code: str = "agri", **extra: Any) -> Case:
    case = open_case(province, **extra)
    return services.case_accept(case=case, agency=agency(province, agency_code),
                                acting_user=who("secretariat"))


def resolved_case(province: Province, **extra: Any) -> Case:
    case = assigned_case(province, **extra)
    return services.case_resolve(case=case, text="برق خط تولید وصل شد.",
                                 acting_user=who("agri.reporter"))


@pytest.fixture
def _no_holidays(db):  # type: ignore[no-untyped-def]
    """Deadlines in these tests are counted around the holidays the test makes, not the
    demo's calendar. Import it into a test module and mark the module to use it."""
    from jahesh.workdays.models import Holiday

    Holiday.objects.all().delete()
