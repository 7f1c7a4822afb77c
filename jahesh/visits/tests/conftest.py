"""Visits' test set-up: a category, three units of the demo province and a planned visit with
the governor and the power company's head taking part."""

import pytest

from jahesh.cases.tests import channels_support as support

# The headless-browser fixtures of the core journeys, for test_browser.py.
from jahesh.core.tests.test_browser import artifacts, chromium  # noqa: F401


@pytest.fixture(autouse=True)
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def category(province):  # type: ignore[no-untyped-def]
    return support.category(province)


@pytest.fixture
def units(province):  # type: ignore[no-untyped-def]
    return [support.unit(province, name) for name in
            ("کارخانه فولاد آذر", "صنایع غذایی سهند", "نساجی مرند")]


@pytest.fixture
def visit(province, person, units):  # type: ignore[no-untyped-def]
    import datetime

    from jahesh.visits import services

    return services.visit_plan(
        province=province, date=datetime.date(2024, 11, 20), title="بازدید شهرک سلیمی",
        participants=[person("governor"), person("power.head")],
        other_participants="مدیر شعب بانک ملی استان\nمدیر بانک صنعت و معدن",
        units=units[:2], acting_user=person("secretariat"))
