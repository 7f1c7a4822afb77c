"""The quality check: every finding, in the words the agency officer reads, and the scores."""

from decimal import Decimal

import pytest
from django.utils.translation import gettext

from jahesh.plan.models import Programme
from jahesh.plan.quality import agency_scores, check_programme, prefetch_for_quality
from jahesh.plan.tests import builders

pytestmark = pytest.mark.django_db

D = Decimal
NO_PROJECT = "The programme has no project."
NO_KEY_ACTION = "The programme serves no key action."
NOT_QUANTIFIED = "The project has no quantified indicator."
NO_UNIT = "The indicator has no unit."
NO_TARGET = "The indicator has no year-end target."
NO_BASELINE = "The indicator has no baseline."
NOT_ABOVE = "The target should be above the baseline for an increasing indicator."
NOT_BELOW = "The target should be below the baseline for a decreasing indicator."
PERCENTAGE = "A percentage target must be between 0 and 100."
REALISM = "The target is more than three times the baseline: is it realistic?"
ACTION = "A required action has no owner agency or no due date."
PROGRAMME_TITLE = "The programme title says nothing measurable."
PROJECT_TITLE = "The project title says nothing measurable."


def check(programme: Programme):  # type: ignore[no-untyped-def]
    return check_programme(prefetch_for_quality(Programme.objects.filter(pk=programme.pk)).get())


def findings(programme: Programme) -> list[tuple[str, str]]:
    return [(f.severity, f.message) for f in check(programme).findings]


def finding(severity: str, message: str) -> tuple[str, str]:
    return severity, gettext(message)


def one_indicator(province, **values) -> Programme:  # type: ignore[no-untyped-def]
    draft = builders.programme(province)
    builders.indicator(builders.project(draft), **values)
    return draft


def test_a_ready_programme_has_no_finding_and_scores_100(province) -> None:  # type: ignore[no-untyped-def]
    report = check(builders.ready(province))
    assert report.findings == [] and report.errors == [] and report.warnings == []
    assert report.score == 100


def test_a_programme_with_no_project(province) -> None:  # type: ignore[no-untyped-def]
    assert findings(builders.programme(province)) == [finding("error", NO_PROJECT)]


def test_a_programme_with_no_key_action(province) -> None:  # type: ignore[no-untyped-def]
    draft = builders.ready(province, actions=())
    assert findings(draft) == [finding("error", NO_KEY_ACTION)]


@pytest.mark.parametrize("indicators", [[], [{"target": None}]], ids=["none", "no-target"])
def test_a_project_with_no_quantified_indicator(province, indicators) -> None:  # type: ignore[no-untyped-def]
    draft = builders.programme(province)
    work = builders.project(draft)
    for values in indicators:
        builders.indicator(work, **values)
    found = findings(draft)
    assert finding("error", NOT_QUANTIFIED) in found
    if indicators:
        assert finding("error", NO_TARGET) in found


@pytest.mark.parametrize("values,expected", [
    ({"unit": ""}, [NO_UNIT]),
    ({"unit": "", "kind": "percentage", "baseline": D(40), "target": D(60)}, [NO_UNIT]),
    ({"unit": "", "kind": "yes_no", "baseline": D(0), "target": D(1)}, []),
    ({"unit": "", "kind": "milestone", "baseline": None, "target": D(1)}, []),
    ({"baseline": None}, [NO_BASELINE]),
    ({"kind": "percentage", "unit": "درصد", "baseline": None, "target": D(30)}, [NO_BASELINE]),
    ({"target": None}, [NOT_QUANTIFIED, NO_TARGET]),
    ({"baseline": None, "target": None, "unit": ""}, [NOT_QUANTIFIED, NO_UNIT, NO_TARGET,
                                                      NO_BASELINE]),
], ids=["no-unit", "percentage-no-unit", "yes-no-needs-no-unit", "milestone-needs-no-baseline",
        "no-baseline", "percentage-no-baseline", "no-target", "nothing"])
def test_an_indicator_missing_its_unit_baseline_or_target(province, values, expected) -> None:  # type: ignore[no-untyped-def]
    assert findings(one_indicator(province, **values)) == [finding("error", m) for m in expected]


@pytest.mark.parametrize("direction,baseline,target,expected", [
    ("increase", 450, 600, []),
    ("increase", 450, 450, [NOT_ABOVE]),
    ("increase", 450, 300, [NOT_ABOVE]),
    ("decrease", 45, 20, []),
    ("decrease", 45, 45, [NOT_BELOW]),
    ("decrease", 45, 60, [NOT_BELOW]),
    ("reach", 45, 45, []),
    ("reach", 45, 20, []),
])
def test_a_target_that_goes_the_wrong_way(province, direction, baseline, target, expected) -> None:  # type: ignore[no-untyped-def]
    draft = one_indicator(province, direction=direction, baseline=D(baseline), target=D(target))
    assert findings(draft) == [finding("error", m) for m in expected]


@pytest.mark.parametrize("baseline,target,expected", [
    (40, 100, []), (0, 0, []), (40, 101, [PERCENTAGE]), (40, D("100.5"), [PERCENTAGE]),
    (None, 150, [NO_BASELINE, PERCENTAGE]),
])
def test_a_percentage_beyond_100(province, baseline, target, expected) -> None:  # type: ignore[no-untyped-def]
    draft = one_indicator(province, kind="percentage", unit="درصد", direction="reach",
                          baseline=None if baseline is None else D(baseline), target=D(target))
    assert findings(draft) == [finding("error", m) for m in expected]


def test_a_negative_percentage(province) -> None:  # type: ignore[no-untyped-def]
    draft = one_indicator(province, kind="percentage", unit="درصد", direction="decrease",
                          baseline=D(5), target=D(-1))
    assert finding("error", PERCENTAGE) in findings(draft)


@pytest.mark.parametrize("baseline,target,warned", [
    (100, 300, False), (100, D("300.01"), True), (100, 1000, True), (0, 1000, False),
])
def test_a_target_more_than_three_times_the_baseline_is_a_warning(province, baseline, target, warned) -> None:  # type: ignore[no-untyped-def]
    report = check(one_indicator(province, baseline=D(baseline), target=D(target)))
    assert report.errors == []
    assert [(f.severity, f.message) for f in report.warnings] == (
        [finding("warning", REALISM)] if warned else []
    )
    assert report.score == (95 if warned else 100)


@pytest.mark.parametrize("owner,due", [(None, "1403/06/31"), ("water", None), (None, None)])
def test_a_required_action_with_no_owner_or_date(province, owner, due) -> None:  # type: ignore[no-untyped-def]
    draft = builders.ready(province)
    builders.action(draft.projects.get(), title="صدور مجوز آب", owner=owner, due=due)
    report = check(draft)
    assert [(f.severity, f.message) for f in report.findings] == [finding("error", ACTION)]
    assert report.findings[0].where.endswith("› صدور مجوز آب")


@pytest.mark.parametrize("title,description,warned", [
    ("بهبود وضعیت کشاورزی", "", True),
    ("بهبود وضعیت کشاورزی", "افزایش بهره‌وری آب در باغ‌ها", False),
    ("توسعه ۱۵۰ هکتار گلخانه", "", False),  # Persian digits
    ("توسعه 150 گلخانه", "", False),  # Latin digits
    ("افزایش اشتغال روستایی", "", False),  # a measurable word
    ("افزايش توليد روستايي", "", False),  # ... typed with Arabic yeh
])
def test_a_programme_title_with_nothing_measurable(province, title, description, warned) -> None:  # type: ignore[no-untyped-def]
    found = findings(builders.ready(province, title=title, description=description))
    assert found == ([finding("warning", PROGRAMME_TITLE)] if warned else [])


def test_a_project_title_with_nothing_measurable_and_no_indicator(province) -> None:  # type: ignore[no-untyped-def]
    draft = builders.programme(province)
    work = builders.project(draft, title="بهسازی وضعیت باغ‌ها")
    assert findings(draft) == [finding("error", NOT_QUANTIFIED),
                               finding("warning", PROJECT_TITLE)]
    builders.indicator(work)  # an indicator says what the title does not
    assert findings(draft) == []


def test_a_project_that_ends_before_it_starts_cannot_even_be_saved(province) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import ValidationError

    from jahesh.core.persian import parse_jalali_date

    with pytest.raises(ValidationError):
        builders.project(builders.programme(province), start_date=parse_jalali_date("1403/06/01"),
                         end_date=parse_jalali_date("1403/05/01"))


def test_findings_say_where_they_are(province) -> None:  # type: ignore[no-untyped-def]
    draft = builders.programme(province, title="توسعه ۱۵۰ هکتار گلخانه")
    builders.indicator(builders.project(draft, title="احداث ۱۵۰ هکتار گلخانه"), unit="")
    [found] = check(draft).findings
    assert found.where == "توسعه ۱۵۰ هکتار گلخانه › احداث ۱۵۰ هکتار گلخانه › سطح زیر کشت گلخانه‌ای"


def test_each_error_costs_15_points_each_warning_5_and_the_score_stops_at_zero(province) -> None:  # type: ignore[no-untyped-def]
    draft = builders.programme(province)
    work = builders.project(draft)
    builders.indicator(work, baseline=D(100), target=D(50))  # wrong way
    builders.indicator(work, name="اشتغال", unit="نفر", baseline=D(10), target=D(100))  # ×10
    report = check(draft)
    assert (len(report.errors), len(report.warnings), report.score) == (1, 1, 80)

    for number in range(6):
        builders.action(work, title=f"اقدام {number}", owner=None)
    assert check(draft).score == 0


def test_the_check_makes_no_query_once_prefetched(province, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    draft = builders.ready(province)
    for _ in range(3):
        work = builders.project(draft)
        builders.indicator(work)
        builders.action(work)
    # The programme, then its key actions, projects, their indicators and their actions.
    with django_assert_num_queries(5):
        [programme] = list(prefetch_for_quality(Programme.objects.filter(pk=draft.pk)))
    with django_assert_num_queries(0):
        assert check_programme(programme).score == 100


def test_agency_scores_are_the_mean_of_their_programmes_rounded_half_up(province) -> None:  # type: ignore[no-untyped-def]
    agri_ready = builders.ready(province)  # 100
    agri_weak = builders.ready(province, title="بهبود وضعیت کشاورزی")  # a warning: 95
    imt_ready = builders.ready(province, agency="imt")  # 100
    imt_poor = builders.programme(province, agency="imt")  # no project: 85
    programmes = list(prefetch_for_quality(Programme.objects.filter(
        pk__in=[agri_ready.pk, agri_weak.pk, imt_ready.pk, imt_poor.pk]
    )))
    assert agency_scores(programmes) == {agri_ready.agency_id: 98, imt_ready.agency_id: 93}
    assert agency_scores([]) == {}
