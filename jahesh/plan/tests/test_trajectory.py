"""An indicator's monthly trajectory: even, seasonal or typed by hand, always ending at the target."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from jahesh.plan.models import TrajectoryPoint
from jahesh.plan.tests import builders
from jahesh.plan.trajectory import SEASONAL_PROFILES, TrajectoryError, plan_trajectory

D = Decimal


def plan(**kwargs):  # type: ignore[no-untyped-def]
    options = {"kind": "quantity", "baseline": D(450), "target": D(600), "mode": "even"}
    return plan_trajectory(**{**options, **kwargs})


# --- even -----------------------------------------------------------------------------------

def test_even_adds_a_twelfth_of_the_change_each_month() -> None:
    values = plan()
    assert len(values) == 12
    assert values[0] == D("462.5")
    assert values[5] == D("525")
    assert values[-1] == D(600)
    steps = {b - a for a, b in zip([D(450), *values], values, strict=False)}
    assert steps == {D("12.5")}


def test_even_without_a_baseline_starts_from_zero() -> None:
    assert plan(baseline=None, target=D(120))[:3] == [D(10), D(20), D(30)]


def test_values_are_rounded_to_four_places() -> None:
    values = plan(baseline=D(0), target=D(1))
    assert values[0] == D("0.0833")
    assert all(v == v.quantize(D("0.0001")) for v in values)
    assert values[-1] == D(1)


# --- seasonal -------------------------------------------------------------------------------

def test_seasonal_follows_the_share_of_each_season() -> None:
    values = plan(mode="seasonal", profile=SEASONAL_PROFILES["agricultural"])  # 35/40/15/10
    assert values[2] == D("502.5")  # end of spring: 35% of the 150 hectares
    assert values[5] == D("562.5")  # end of summer: 75%
    assert values[8] == D("585")  # end of autumn: 90%
    assert values[-1] == D(600)
    assert values[0] == D("467.5")  # a third of spring's share in Farvardin


def test_seasonal_shares_need_not_add_up_to_100() -> None:
    assert plan(mode="seasonal", profile=[1, 1, 1, 1]) == plan(mode="even")


def test_a_season_with_no_share_stays_flat() -> None:
    values = plan(baseline=D(0), target=D(90), mode="seasonal", profile=[1, 1, 1, 0])
    assert values[8:] == [D(90)] * 4


@pytest.mark.parametrize("profile", [
    None, [], [25, 25, 50], [20, 20, 20, 20, 20], [30, 30, -10, 50], [0, 0, 0, 0],
    ["a", "b", "c", "d"], "agricultural", [float("nan"), 1, 1, 1], [None, 1, 1, 1],
])
def test_a_bad_seasonal_profile_is_refused(profile) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(TrajectoryError, match="seasonal profile"):
        plan(mode="seasonal", profile=profile)


# --- manual ---------------------------------------------------------------------------------

def test_manual_values_are_kept_as_typed() -> None:
    typed = [D(v) for v in (450, 450, 470, 490, 510, 530, 550, 560, 570, 580, 590, 600)]
    assert plan(mode="manual", manual=typed) == typed


def test_manual_accepts_numbers_of_any_type() -> None:
    typed = [0, 0.5, "1.25", *[D(2)] * 8, 600]
    values = plan(mode="manual", manual=typed)
    assert values[:3] == [D(0), D("0.5"), D("1.25")]


@pytest.mark.parametrize("manual", [
    None, [], [D(600)] * 11, [D(600)] * 13, [D(500)] * 11 + [None], [None] * 12,
    ["x"] * 11 + [D(600)], [float("inf")] * 11 + [D(600)],
], ids=["none", "empty", "eleven", "thirteen", "blank-esfand", "all-blank", "text", "infinite"])
def test_a_bad_manual_list_is_refused(manual) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(TrajectoryError, match="12 months"):
        plan(mode="manual", manual=manual)


def test_a_manual_list_must_end_at_the_target() -> None:
    with pytest.raises(TrajectoryError, match="end at the year-end target"):
        plan(mode="manual", manual=[D(500)] * 12)


# --- direction and kinds --------------------------------------------------------------------

@pytest.mark.parametrize("mode,profile", [("even", None), ("seasonal", [30, 35, 25, 10])])
def test_a_decreasing_indicator_goes_down_to_its_target(mode, profile) -> None:  # type: ignore[no-untyped-def]
    values = plan(baseline=D(45), target=D(20), mode=mode, profile=profile)
    assert all(a >= b for a, b in zip([D(45), *values], values, strict=False))
    assert values[0] < D(45) and values[-1] == D(20)


@pytest.mark.parametrize("kind", ["yes_no", "milestone"])
@pytest.mark.parametrize("mode", ["even", "seasonal"])
def test_yes_no_and_milestones_are_done_at_the_years_end(kind, mode) -> None:  # type: ignore[no-untyped-def]
    values = plan(kind=kind, baseline=D(0), target=D(1), mode=mode, profile=[1, 1, 1, 1])
    assert values == [D(0)] * 11 + [D(1)]


@pytest.mark.parametrize("kind", ["yes_no", "milestone"])
def test_yes_no_and_milestones_may_be_typed_by_hand(kind) -> None:  # type: ignore[no-untyped-def]
    typed = [D(0)] * 8 + [D(1)] * 4  # done in Azar
    assert plan(kind=kind, baseline=D(0), target=D(1), mode="manual", manual=typed) == typed


@pytest.mark.parametrize("kind", ["quantity", "percentage", "yes_no", "milestone"])
@pytest.mark.parametrize("mode,profile", [
    ("even", None), *[("seasonal", p) for p in SEASONAL_PROFILES.values()], ("seasonal", [7, 0, 3, 1]),
])
@pytest.mark.parametrize("baseline,target", [
    (D(450), D(600)), (D(0), D("1000.0001")), (D("0.0003"), D(1)), (D(96), D(40)),
    (None, D(7)), (D(5), D(5)), (D("12345678.9999"), D("98765432.1234")),
])
def test_the_trajectory_always_ends_at_the_target(kind, mode, profile, baseline, target) -> None:  # type: ignore[no-untyped-def]
    values = plan(kind=kind, baseline=baseline, target=target, mode=mode, profile=profile)
    assert len(values) == 12
    assert values[-1] == target


# --- through the service --------------------------------------------------------------------

def points(indicator) -> list[Decimal]:  # type: ignore[no-untyped-def]
    return list(TrajectoryPoint.objects.filter(indicator=indicator).order_by("month")
                .values_list("value", flat=True))


@pytest.mark.django_db
def test_saving_an_indicator_stores_its_twelve_months(province) -> None:  # type: ignore[no-untyped-def]
    work = builders.project(builders.programme(province))
    indicator = builders.indicator(work, trajectory_mode="seasonal",
                                   seasonal_profile=[35, 40, 15, 10])
    assert points(indicator) == plan(mode="seasonal", profile=[35, 40, 15, 10])

    # A new target plans the months again, and a mode other than seasonal drops the profile.
    builders.indicator(work, indicator=indicator, target=D(650), trajectory_mode="even")
    indicator.refresh_from_db()
    assert indicator.seasonal_profile == []
    assert points(indicator) == plan(target=D(650))

    # No target: no trajectory.
    builders.indicator(work, indicator=indicator, target=None)
    assert points(indicator) == []


@pytest.mark.django_db
def test_a_hand_typed_trajectory_is_stored_and_kept_when_other_fields_change(province) -> None:  # type: ignore[no-untyped-def]
    work = builders.project(builders.programme(province))
    typed = [D(v) for v in (450, 450, 470, 490, 510, 530, 550, 560, 570, 580, 590, 600)]
    indicator = builders.indicator(work, trajectory_mode="manual", manual_trajectory=typed)
    assert points(indicator) == typed

    builders.indicator(work, indicator=indicator, name="سطح گلخانه‌های استان")
    assert points(indicator) == typed

    # A new target with the old months no longer ends at the target: refused, nothing changes.
    with pytest.raises(ValidationError) as caught:
        builders.indicator(work, indicator=indicator, target=D(650))
    assert "trajectory" in caught.value.message_dict
    indicator.refresh_from_db()
    assert indicator.target == D(600) and points(indicator) == typed


@pytest.mark.django_db
@pytest.mark.parametrize("values,message", [
    ({"trajectory_mode": "seasonal", "seasonal_profile": [25, 25, 50]},
     "A seasonal profile needs four shares, one for each season, none negative."),
    ({"trajectory_mode": "seasonal", "seasonal_profile": ["بهار", "تابستان", "پاییز", "زمستان"]},
     "A seasonal profile needs four shares, one for each season, none negative."),
    ({"trajectory_mode": "manual", "manual_trajectory": [D(600)] * 11},
     "Type a planned value for each of the twelve months."),
    ({"trajectory_mode": "manual", "manual_trajectory": [D(500)] * 12},
     "The value for Esfand must equal the year-end target."),
], ids=["three-seasons", "words", "eleven-months", "wrong-esfand"])
def test_the_service_refuses_a_bad_trajectory_in_words(province, values, message) -> None:  # type: ignore[no-untyped-def]
    from django.utils.translation import gettext

    work = builders.project(builders.programme(province))
    with pytest.raises(ValidationError) as caught:
        builders.indicator(work, **values)
    assert caught.value.message_dict == {"trajectory": [gettext(message)]}
    assert not work.indicators.exists()
