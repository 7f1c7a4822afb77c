import pytest

from jahesh.units.models import ProductionUnit


@pytest.mark.parametrize("query", [
    "كاشي",            # Arabic kaf and yeh
    "کاشی سازی",       # a space where the name has a ZWNJ
    "کاشی‌سازی",       # the ZWNJ itself
    "کاشیسازی",        # neither
    "۱۰۳۸۰۲",          # the national id's start, in Persian digits
    "103802",
    "اذر",             # آ typed as ا
])
def test_search_folds_persian_variants(make_unit, query: str) -> None:  # type: ignore[no-untyped-def]
    wanted = make_unit("کاشی‌سازی آذر", national_id="10380284790")
    other = make_unit("لبنیات پگاه", national_id="14007650912")
    mine = ProductionUnit.objects.filter(pk__in=[wanted.pk, other.pk])  # the demo has units too
    assert list(mine.search(query)) == [wanted]
