"""The secretariat's lists: key actions per year, deadlines, counties, axes, priority industries."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from jahesh.audit.models import AuditEvent
from jahesh.core.persian import parse_jalali_date
from jahesh.plan import services
from jahesh.plan.models import AlignmentAxis, County, KeyAction, PlanYear, PriorityIndustry
from jahesh.plan.tests.builders import who

pytestmark = pytest.mark.django_db

ARABIC_YEH, ARABIC_KAF = "\u064a", "\u0643"


# --- key actions ----------------------------------------------------------------------------

def test_copying_a_years_key_actions_into_the_next(province) -> None:  # type: ignore[no-untyped-def]
    copied = services.key_actions_copy(province=province, from_year=1403, to_year=1404,
                                       acting_user=who("secretariat"))
    source = KeyAction.objects.for_year(province, 1403)
    assert [(a.number, a.title) for a in copied] == [(a.number, a.title) for a in source]
    assert [a.pk for a in KeyAction.objects.for_year(province, 1404)] == [a.pk for a in copied]
    assert {a.year for a in copied} == {1404}
    # The copies are new rows: 1403's are untouched.
    assert source.count() == 10 and not {a.pk for a in source} & {a.pk for a in copied}
    events = AuditEvent.objects.filter(event="key_action.created", actor=who("secretariat"))
    assert events.count() == 10
    assert events.order_by("id").first().after == {"year": 1404, "number": 1,
                                                   "title": "زیرساخت‌های اساسی تولید"}


def test_copying_into_a_year_that_has_key_actions_is_refused(province) -> None:  # type: ignore[no-untyped-def]
    services.key_action_create(acting_user=who("secretariat"), province=province, year=1404,
                               number=1, title="زیرساخت‌های اساسی تولید")
    before = (KeyAction.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError, match="1404"):
        services.key_actions_copy(province=province, from_year=1403, to_year=1404,
                                  acting_user=who("secretariat"))
    assert (KeyAction.objects.count(), AuditEvent.objects.count()) == before


def test_copying_is_per_province(province, other_province) -> None:  # type: ignore[no-untyped-def]
    west = other_province["province"]
    services.key_actions_copy(province=province, from_year=1403, to_year=1404,
                              acting_user=who("secretariat"))
    assert not KeyAction.objects.filter(province=west).exists()
    # The other province may start its own 1404 list, from nothing to copy.
    assert services.key_actions_copy(province=west, from_year=1403, to_year=1404,
                                     acting_user=other_province["person"]) == []


def test_key_action_titles_and_numbers_are_unique_per_year(province) -> None:  # type: ignore[no-untyped-def]
    for number, title in [(1, "عنوان تازه"), (11, "رفع موانع تولید"), (11, "رفع موانع توليد")]:
        with pytest.raises(ValidationError):
            services.key_action_create(acting_user=who("secretariat"), province=province,
                                       year=1403, number=number, title=title)
    # The same title in another year is fine.
    services.key_action_create(acting_user=who("secretariat"), province=province, year=1405,
                               number=2, title="رفع موانع تولید")


# --- deadlines ------------------------------------------------------------------------------

def test_the_default_deadline_of_1403_is_farvardin_31() -> None:
    assert services.default_deadline(1403) == parse_jalali_date("1403/01/31")
    assert services.default_deadline(1403) == datetime.date(2024, 4, 19)


@pytest.mark.parametrize("year,leap,deadline", [
    (1399, True, datetime.date(2020, 4, 19)),
    (1403, True, datetime.date(2024, 4, 19)),
    (1408, True, datetime.date(2029, 4, 19)),
    (1400, False, datetime.date(2021, 4, 20)),
    (1402, False, datetime.date(2023, 4, 20)),
    (1404, False, datetime.date(2025, 4, 20)),
])
def test_the_default_deadline_in_leap_and_common_years(year, leap, deadline) -> None:  # type: ignore[no-untyped-def]
    from jahesh.core.persian import is_leap_year

    # Farvardin always has 31 days; where its last day falls in April depends on the calendar.
    assert is_leap_year(year) is leap
    assert services.default_deadline(year) == deadline
    assert services.default_deadline(year) == parse_jalali_date(f"{year}/01/31")


def test_a_years_settings_are_made_with_the_default_deadline_when_first_needed(province) -> None:  # type: ignore[no-untyped-def]
    assert not PlanYear.objects.filter(province=province, year=1404).exists()
    settings = services.plan_year(province, 1404)
    assert settings.submission_deadline == datetime.date(2025, 4, 20)
    assert services.plan_year(province, 1404).pk == settings.pk


def test_the_secretariat_moves_a_deadline(province) -> None:  # type: ignore[no-untyped-def]
    moved = services.deadline_set(province=province, year=1403,
                                  deadline=parse_jalali_date("1403/02/10"),
                                  acting_user=who("secretariat"))
    assert PlanYear.objects.get(pk=moved.pk).submission_deadline == datetime.date(2024, 4, 29)
    event = AuditEvent.objects.get(event="plan_year.deadline_set")
    assert (event.before, event.after) == ({"submission_deadline": "2024-04-19"},
                                           {"submission_deadline": "2024-04-29"})


# --- counties, axes, priority industries ------------------------------------------------------

def test_a_county_typed_with_arabic_letters_is_stored_in_persian(province) -> None:  # type: ignore[no-untyped-def]
    typed = f"  {ARABIC_KAF}ل{ARABIC_YEH}بر  جد{ARABIC_YEH}د "
    county = services.county_create(province=province, acting_user=who("secretariat"),
                                    name=typed)
    assert County.objects.get(pk=county.pk).name == "کلیبر جدید"
    assert ARABIC_YEH not in county.name and ARABIC_KAF not in county.name
    event = AuditEvent.objects.get(event="county.created", target_id=str(county.pk))
    assert event.after == {"name": "کلیبر جدید"} and event.actor == who("secretariat")


def test_a_county_that_exists_in_arabic_letters_is_refused(province) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError):
        services.county_create(province=province, acting_user=who("secretariat"),
                               name=f"{ARABIC_KAF}ل{ARABIC_YEH}بر")  # the demo's کلیبر


def test_an_axis_typed_with_arabic_letters_is_stored_in_persian(province) -> None:  # type: ignore[no-untyped-def]
    axis = services.axis_save(province=province, acting_user=who("secretariat"), number=5,
                              title=f"توسعه صادرات {ARABIC_YEH} {ARABIC_KAF}الا")
    assert AlignmentAxis.objects.get(pk=axis.pk).title == "توسعه صادرات ی کالا"

    changed = services.axis_save(province=province, acting_user=who("secretariat"), axis=axis,
                                 number=5, title=f"توسعه صادرات {ARABIC_KAF}الا",
                                 is_active=False)
    assert (changed.title, changed.is_active) == ("توسعه صادرات کالا", False)
    event = AuditEvent.objects.get(event="axis.changed", target_id=str(axis.pk))
    assert event.before == {"number": 5, "title": "توسعه صادرات ی کالا", "is_active": True}
    assert event.after == {"number": 5, "title": "توسعه صادرات کالا", "is_active": False}


def test_an_axis_number_or_title_that_exists_is_refused(province) -> None:  # type: ignore[no-untyped-def]
    for number, title in [(1, "محور تازه"), (9, f"افزا{ARABIC_YEH}ش منابع استان")]:
        with pytest.raises(ValidationError):
            services.axis_save(province=province, acting_user=who("secretariat"), number=number,
                               title=title)


def test_a_priority_industry_typed_with_arabic_letters_is_stored_in_persian(province) -> None:  # type: ignore[no-untyped-def]
    industry = services.industry_save(province=province, acting_user=who("secretariat"),
                                      title=f"صنا{ARABIC_YEH}ع {ARABIC_KAF}اشی و سرام{ARABIC_YEH}{ARABIC_KAF}")
    stored = PriorityIndustry.objects.get(pk=industry.pk)
    assert (stored.title, stored.is_demo, stored.is_active) == ("صنایع کاشی و سرامیک", False, True)
    assert AuditEvent.objects.get(event="industry.created", target_id=str(industry.pk)).after == {
        "title": "صنایع کاشی و سرامیک", "is_demo": False, "is_active": True,
    }
    with pytest.raises(ValidationError):  # the same industry again, in Persian letters
        services.industry_save(province=province, acting_user=who("secretariat"),
                               title="صنایع کاشی و سرامیک")
