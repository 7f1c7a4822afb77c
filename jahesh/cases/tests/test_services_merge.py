"""Merging a duplicate into the original."""

import pytest
from django.core.exceptions import ValidationError

from jahesh.cases import services
from jahesh.cases.models import Case, CaseState, CaseStep
from jahesh.cases.tests.case_support import category, open_case, who

pytestmark = pytest.mark.django_db


def test_a_duplicate_points_its_requester_to_the_original(province) -> None:  # type: ignore[no-untyped-def]
    original = open_case(province, title="قطعی برق شهرک سلیمی")
    duplicate = open_case(province, title="قطع برق شهرک سلیمی", by="chamber")
    merged = services.case_merge(case=duplicate, into=original, reason="همان مشکل",
                                 acting_user=who("secretariat"), version=duplicate.version)
    assert merged.state == CaseState.MERGED and merged.duplicate_of == original
    step = CaseStep.objects.get(case=merged, action="merge")
    assert step.is_public and services.format_tracking_code(original.tracking_code) in step.comment
    assert who("chamber").notifications.filter(url__contains=str(original.uid)).exists()


def test_merge_refuses_itself_another_province_and_a_merged_case(province, other_province) -> None:  # type: ignore[no-untyped-def]
    first = open_case(province)
    second = open_case(province)
    with pytest.raises(ValidationError) as error:
        services.case_merge(case=first, into=first, acting_user=who("secretariat"))
    assert "into" in error.value.error_dict
    elsewhere = services.case_open(
        province=other_province["province"], kind="obstacle", channel="facilitation",
        category=category(other_province["province"], agency_code=None), title="دیگر",
        description="دیگر", acting_user=other_province["person"])
    with pytest.raises(ValidationError):
        services.case_merge(case=first, into=elsewhere, acting_user=who("secretariat"))
    services.case_merge(case=second, into=first, acting_user=who("secretariat"))
    third = open_case(province)
    with pytest.raises(ValidationError):
        services.case_merge(case=third, into=second, acting_user=who("secretariat"))
    assert Case.objects.get(pk=third.pk).state == CaseState.NEW


def test_cases_merged_into_a_case_follow_it_when_it_is_merged_in_turn(province) -> None:  # type: ignore[no-untyped-def]
    a, b, c = open_case(province), open_case(province), open_case(province)
    services.case_merge(case=c, into=b, acting_user=who("secretariat"))
    services.case_merge(case=b, into=a, acting_user=who("secretariat"))
    assert Case.objects.get(pk=c.pk).duplicate_of_id == a.pk
