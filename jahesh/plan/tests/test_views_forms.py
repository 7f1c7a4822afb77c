"""Bad input through the programme, project, indicator and required-action forms.

Every error is shown next to its field in the page's language, and nothing is half-saved: no
row, no trajectory point and no audit event is written when the form is refused. What people
really type is accepted: Persian and Arabic-Indic digits, the separators ٬ , ، and ٫.
"""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape

from jahesh.audit.models import AuditEvent
from jahesh.core.persian import to_gregorian
from jahesh.plan import services
from jahesh.plan.forms import LocalizedDecimalField
from jahesh.plan.models import (
    Indicator,
    KeyAction,
    Programme,
    Project,
    RequiredAction,
    TrajectoryPoint,
)
from jahesh.plan.tests.views_support import (
    MARK,
    action_data,
    agency,
    assert_field_error,
    field_error_codes,
    field_errors,
    indicator_data,
    make_programme,
    months,
    programme_data,
    project_data,
    tr,
)

NONEXISTENT = "This date does not exist in the Jalali calendar."
NOT_A_NUMBER = "Enter a number, such as 12,500 or 3.5."
REQUIRED = "This field is required."


def counts() -> tuple[int, ...]:
    return (Programme.objects.count(), Project.objects.count(), Indicator.objects.count(),
            TrajectoryPoint.objects.count(), RequiredAction.objects.count(),
            AuditEvent.objects.count())


@pytest.fixture
def draft(province):  # type: ignore[no-untyped-def]
    return make_programme(province)


@pytest.fixture
def reporter(client_for):  # type: ignore[no-untyped-def]
    return client_for("agri.reporter")


# --- LocalizedDecimalField on its own -------------------------------------------------------

@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("12500", Decimal(12500)), ("۱۲۵۰۰", Decimal(12500)), ("١٢٥٠٠", Decimal(12500)),
        ("۱۲٬۵۰۰", Decimal(12500)), ("12,500", Decimal(12500)), ("۱۲،۵۰۰", Decimal(12500)),
        ("1,234,567", Decimal(1234567)), ("۳٫۵", Decimal("3.5")), ("3.5", Decimal("3.5")),
        ("٣٫٥", Decimal("3.5")), (" ۱۲ ۵۰۰ ", Decimal(12500)), ("\u200f۴۲\u200e", Decimal(42)),
        ("-۷", Decimal(-7)), ("\u2212۷", Decimal(-7)), (".5", Decimal("0.5")), ("", None),
        ("  ", None),
    ],
)
def test_localized_decimal_accepts_what_people_type(typed, value):  # type: ignore[no-untyped-def]
    assert LocalizedDecimalField(required=False).clean(typed) == value


@pytest.mark.parametrize("typed", ["abc", "1,5", "12,50,0", "۱۲٫۵٫۰", "1-2", "۱۲ تن", "1e5",
                                   "--1", ","])
def test_localized_decimal_refuses_what_is_not_a_number(typed):  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as caught:
        LocalizedDecimalField(required=False).clean(typed)
    assert caught.value.code == "invalid"


def test_localized_decimal_shows_its_value_in_the_page_language(settings):  # type: ignore[no-untyped-def]
    from django.utils import translation

    field = LocalizedDecimalField()
    with translation.override("fa"):
        shown = field.prepare_value(Decimal("12500.0000"))
        assert shown == "۱۲٬۵۰۰"
        assert field.clean(shown) == Decimal(12500)
    with translation.override("en"):
        assert field.prepare_value(Decimal("3.5000")) == "3.5"


# --- Programme -------------------------------------------------------------------------------

CREATE = reverse("plan:programme_create")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": "   "}, "title", REQUIRED),
        ({"title": ""}, "title", REQUIRED),
        ({"key_actions": []}, "key_actions", REQUIRED),
    ],
    ids=["title-spaces", "title-empty", "no-key-action"],
)
def test_programme_create_refuses_and_saves_nothing(reporter, province, changes, field, message):  # type: ignore[no-untyped-def]
    before = counts()
    response = reporter.post(CREATE, programme_data(province, **changes))
    assert response.status_code == 200
    assert assert_field_error(response, field) == [tr(message)]
    assert counts() == before


def test_programme_create_refuses_a_key_action_of_another_year(reporter, province):  # type: ignore[no-untyped-def]
    other_year = services.key_action_create(acting_user=None, province=province, year=1404,
                                            number=1, title="زیرساخت‌ها")
    response = reporter.post(CREATE, programme_data(province, key_actions=[other_year.pk]))
    assert field_error_codes(response, "key_actions") == ["invalid_choice"]
    assert_field_error(response, "key_actions")


def test_programme_create_refuses_someone_of_another_agency_as_responsible(  # type: ignore[no-untyped-def]
    reporter, province, person
):
    before = counts()
    response = reporter.post(CREATE, programme_data(
        province, responsible=person("imt.reporter").pk))
    assert field_error_codes(response, "responsible") == ["invalid_choice"]
    assert_field_error(response, "responsible")
    assert counts() == before


def test_programme_create_normalises_and_links_everything(reporter, province, person):  # type: ignore[no-untyped-def]
    actions = list(KeyAction.objects.for_year(province, 1403)[:3])
    imt = agency(province, "imt")
    response = reporter.post(CREATE, programme_data(
        province, title=f"  توسعه  گلخانه‌هاي {MARK}  ", key_actions=[a.pk for a in actions],
        supporting_agencies=[imt.pk, agency(province, "agri").pk],
        responsible=person("agri.head").pk,
    ))
    programme = Programme.objects.get(title=f"توسعه گلخانه‌های {MARK}")
    assert response.status_code == 302
    assert response["Location"] == reverse("plan:programme_detail", args=[programme.pk])
    assert (programme.agency.code, programme.year, programme.state) == ("agri", 1403, "draft")
    assert set(programme.key_actions.all()) == set(actions)
    # The programme's own agency does not support itself.
    assert list(programme.supporting_agencies.all()) == [imt]
    assert programme.responsible == person("agri.head")


def test_a_reporter_of_two_agencies_chooses_the_agency(client_for, province, person):  # type: ignore[no-untyped-def]
    from jahesh.organisation import services as org

    org.role_grant(person=person("agri.reporter"), kind="reporter", province=province,
                   agency=agency(province, "nrw"), acting_user=None)
    client = client_for("agri.reporter")
    assert "agency" in client.get(CREATE).context["form"].fields
    response = client.post(CREATE, programme_data(province))
    assert field_error_codes(response, "agency") == ["required"]
    response = client.post(CREATE, programme_data(province, agency=agency(province, "imt").pk))
    assert field_error_codes(response, "agency") == ["invalid_choice"]
    response = client.post(CREATE, programme_data(province, agency=agency(province, "nrw").pk))
    assert response.status_code == 302
    assert Programme.objects.get(title__contains=MARK, agency__code="nrw")


# --- Project ---------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"start_date": "۱۴۰۴/۱۲/۳۰"}, "start_date", NONEXISTENT),
        ({"end_date": "1404/12/30"}, "end_date", NONEXISTENT),
        ({"start_date": "۱۴۰۳/۱۳/۰۱"}, "start_date", NONEXISTENT),
        ({"start_date": "فردا"}, "start_date", "Enter a valid Jalali date, such as 1403/02/05."),
        ({"start_date": "۱۴۰۳/۰۶/۰۱", "end_date": "۱۴۰۳/۰۵/۳۱"}, "end_date",
         "The project ends before it starts."),
        ({"budget_provincial": "-۵۰۰"}, "budget_provincial", "An amount cannot be negative."),
        ({"budget_bank": "-1"}, "budget_bank", "An amount cannot be negative."),
        ({"budget_national": "۱۲٫۵"}, "budget_national", "Type whole million rials."),
        ({"budget_private": "دو میلیارد"}, "budget_private", NOT_A_NUMBER),
        ({"budget_private": "1,5"}, "budget_private", NOT_A_NUMBER),
        ({"title": " "}, "title", REQUIRED),
    ],
    ids=["start-1404-12-30", "end-1404-12-30-latin", "month-13", "not-a-date", "end-before-start",
         "negative-provincial", "negative-bank", "fraction-of-million", "words",
         "ambiguous-separator", "title-blank"],
)
def test_project_form_refuses_and_saves_nothing(reporter, draft, changes, field, message):  # type: ignore[no-untyped-def]
    url = reverse("plan:project_create", args=[draft.programme.pk])
    before = counts()
    response = reporter.post(url, project_data(**changes))
    assert response.status_code == 200
    assert assert_field_error(response, field) == [tr(message)]
    assert counts() == before


def test_every_error_of_a_form_is_shown_at_once(reporter, draft):  # type: ignore[no-untyped-def]
    url = reverse("plan:project_create", args=[draft.programme.pk])
    response = reporter.post(url, project_data(
        title="", start_date="۱۴۰۴/۱۲/۳۰", budget_provincial="-۱", budget_bank="x"))
    for field in ("title", "start_date", "budget_provincial", "budget_bank"):
        assert_field_error(response, field)
    # What was typed is kept, in the digits it was typed in.
    html = response.content.decode()
    assert 'value="۱۴۰۴/۱۲/۳۰"' in html and 'value="-۱"' in html


def test_project_accepts_persian_digits_and_separators(reporter, draft):  # type: ignore[no-untyped-def]
    url = reverse("plan:project_create", args=[draft.programme.pk])
    response = reporter.post(url, project_data(end_date="۱۴۰۳/۱۲/۳۰"))  # 1403 is a leap year
    assert response.status_code == 302, response.context["form"].errors
    project = Project.objects.get(programme=draft.programme, title="احداث ۲۰ گلخانه هوشمند")
    assert response.status_code == 302
    assert response["Location"].endswith(f"#project-{project.pk}")
    assert (project.budget_provincial, project.budget_national, project.budget_bank,
            project.budget_private) == (Decimal(12500), 0, Decimal(3000), Decimal(500))
    assert project.start_date == to_gregorian(1403, 2, 1)
    assert project.end_date == date(2025, 3, 20) == to_gregorian(1403, 12, 30)


def test_project_edit_form_shows_persian_values_that_post_back_unchanged(reporter, draft):  # type: ignore[no-untyped-def]
    url = reverse("plan:project_edit", args=[draft.project.pk])
    form = reporter.get(url).context["form"]
    html = str(form["budget_bank"])
    assert 'value="۵٬۰۰۰"' in html and 'dir="ltr"' in html and 'inputmode="decimal"' in html
    assert 'value="۱۴۰۳/۰۲/۰۱"' in str(form["start_date"])
    data = {name: form[name].value() for name in form.fields}
    data = {k: form.fields[k].prepare_value(v) if v is not None else "" for k, v in data.items()}
    events = AuditEvent.objects.count()
    response = reporter.post(url, data)
    assert response.status_code == 302
    draft.project.refresh_from_db()
    assert draft.project.budget_bank == Decimal(5000)
    # Nothing changed, so nothing is written to the audit trail.
    assert AuditEvent.objects.count() == events


# --- Required action -------------------------------------------------------------------------

def test_required_action_refuses_an_impossible_date(reporter, draft, province):  # type: ignore[no-untyped-def]
    url = reverse("plan:action_create", args=[draft.project.pk])
    before = counts()
    response = reporter.post(url, action_data(agency(province, "imt"), due_date="۱۴۰۴/۱۲/۳۰"))
    assert assert_field_error(response, "due_date") == [tr(NONEXISTENT)]
    assert counts() == before


def test_required_action_refuses_an_agency_of_another_province(  # type: ignore[no-untyped-def]
    reporter, draft, other_province
):
    url = reverse("plan:action_create", args=[draft.project.pk])
    response = reporter.post(url, action_data(other_province["agency"]))
    assert field_error_codes(response, "owner_agency") == ["invalid_choice"]


def test_required_action_is_saved_with_its_owner_and_jalali_date(reporter, draft, province):  # type: ignore[no-untyped-def]
    url = reverse("plan:action_create", args=[draft.project.pk])
    response = reporter.post(url, action_data(agency(province, "imt")))
    assert response.status_code == 302
    action = RequiredAction.objects.get(project=draft.project, title="صدور مجوز احداث")
    assert (action.owner_agency.code, action.due_date) == ("imt", to_gregorian(1403, 3, 15))


# --- Indicator -------------------------------------------------------------------------------

ESFAND = "The value for Esfand must equal the year-end target."
MONTH_MISSING = "Type the planned value at the end of this month."
MANUAL = ["۱۲٬۵۰۰", "۱۳٬۰۰۰", "13,500", "١٤٠٠٠", "۱۴٬۵۰۰", "۱۵٬۰۰۰", "۱۵٬۵۰۰", "۱۶٬۰۰۰",
          "۱۶٬۵۰۰", "۱۷٬۰۰۰", "۱۷٬۵۰۰", "۱۸٬۰۰۰"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"trajectory_mode": "manual", **months(*MANUAL[:11], "۱۷٬۹۹۹")}, "month_12", ESFAND),
        ({"trajectory_mode": "manual", **months(*MANUAL[:5], "", *MANUAL[6:])}, "month_6",
         MONTH_MISSING),
        ({"trajectory_mode": "manual", "target": "", **months(*MANUAL)}, "target",
         "A trajectory typed by hand needs a year-end target."),
        ({"trajectory_mode": "seasonal", "season_1": "۴۰", "season_2": "", "season_3": "۲۰",
          "season_4": "۱۰"}, "season_2", "Type this season's share of the year's change."),
        ({"trajectory_mode": "seasonal", "season_1": "-۱۰", "season_2": "۴۰", "season_3": "۴۰",
          "season_4": "۳۰"}, "season_1", "A share cannot be negative."),
        ({"baseline_date": "۱۴۰۴/۱۲/۳۰"}, "baseline_date", NONEXISTENT),
        ({"target": "هجده هزار"}, "target", NOT_A_NUMBER),
        ({"weight": "۰"}, "weight", "The weight must be more than zero."),
        ({"weight": "-۲"}, "weight", "The weight must be more than zero."),
        ({"kind": "yes_no", "baseline": "۰", "target": "۲"}, "target",
         "A yes/no indicator takes 0 (no) or 1 (yes)."),
        ({"name": "  "}, "name", REQUIRED),
    ],
    ids=["manual-not-ending-at-target", "manual-month-missing", "manual-without-target",
         "seasonal-share-missing", "seasonal-share-negative", "baseline-1404-12-30",
         "target-in-words", "weight-zero", "weight-negative", "yes-no-target-2", "name-blank"],
)
def test_indicator_form_refuses_and_saves_nothing(reporter, draft, changes, field, message):  # type: ignore[no-untyped-def]
    url = reverse("plan:indicator_create", args=[draft.project.pk])
    before = counts()
    response = reporter.post(url, indicator_data(**changes))
    assert response.status_code == 200
    assert tr(message) in assert_field_error(response, field)
    assert counts() == before


def test_seasonal_shares_cannot_all_be_zero(reporter, draft):  # type: ignore[no-untyped-def]
    url = reverse("plan:indicator_create", args=[draft.project.pk])
    before = counts()
    response = reporter.post(url, indicator_data(trajectory_mode="seasonal", season_1="۰",
                                                 season_2="0", season_3="٠", season_4="۰"))
    form = response.context["form"]
    assert [str(e) for e in form.non_field_errors()] == [tr("The four season shares cannot all be zero.")]
    assert escape(tr("The four season shares cannot all be zero.")) in response.content.decode()
    assert counts() == before


def test_a_manual_trajectory_typed_in_persian_digits_is_saved(reporter, draft):  # type: ignore[no-untyped-def]
    url = reverse("plan:indicator_create", args=[draft.project.pk])
    response = reporter.post(url, indicator_data(trajectory_mode="manual", **months(*MANUAL)))
    assert response.status_code == 302
    indicator = Indicator.objects.get(project=draft.project, name="تولید محصول گلخانه‌ای")
    assert (indicator.baseline, indicator.target) == (Decimal(12000), Decimal(18000))
    assert indicator.baseline_date == to_gregorian(1402, 12, 29)
    assert [p.value for p in indicator.trajectory.all()] == [
        Decimal(v) for v in (12500, 13000, 13500, 14000, 14500, 15000, 15500, 16000, 16500,
                             17000, 17500, 18000)]
    # The edit form shows the typed months back.
    form = reporter.get(reverse("plan:indicator_edit", args=[indicator.pk])).context["form"]
    assert form["month_4"].value() == "۱۴٬۰۰۰"
    assert 'value="۱۴٬۰۰۰"' in str(form["month_4"])


def test_a_seasonal_trajectory_follows_the_shares(reporter, draft):  # type: ignore[no-untyped-def]
    url = reverse("plan:indicator_create", args=[draft.project.pk])
    response = reporter.post(url, indicator_data(
        baseline="۰", target="۱۰۰", trajectory_mode="seasonal", season_1="۴۰", season_2="۳۰",
        season_3="۲۰", season_4="۱۰", weight="۲٫۵"))
    assert response.status_code == 302
    indicator = Indicator.objects.get(project=draft.project, name="تولید محصول گلخانه‌ای")
    values = [p.value for p in indicator.trajectory.all()]
    assert values[2] == Decimal(40) and values[5] == Decimal(70) and values[11] == Decimal(100)
    assert indicator.seasonal_profile == [40, 30, 20, 10]
    assert indicator.weight == Decimal("2.5")


def test_the_indicator_form_labels_months_with_jalali_names(reporter, draft):  # type: ignore[no-untyped-def]
    html = reporter.get(reverse("plan:indicator_create", args=[draft.project.pk])).content.decode()
    for name in ("فروردین", "اردیبهشت", "شهریور", "اسفند"):
        assert f">{name}</label>" in html
    reporter.cookies["jahesh_language"] = "en"
    en = reporter.get(reverse("plan:indicator_create", args=[draft.project.pk]))
    assert ">Esfand</label>" in en.content.decode()


def test_a_service_error_is_shown_next_to_its_field_or_on_top(  # type: ignore[no-untyped-def]
    reporter, draft, monkeypatch
):
    """Errors only the service finds are not lost: by field when the form has it, else on top."""

    def refuse(**kwargs: Any) -> None:
        raise ValidationError({"target": "هدف با سابقه نمی‌خواند.",
                               "trajectory": "مسیر ماهانه نادرست است."})

    monkeypatch.setattr(services, "indicator_save", refuse)
    response = reporter.post(reverse("plan:indicator_create", args=[draft.project.pk]),
                             indicator_data())
    assert field_errors(response, "target") == ["هدف با سابقه نمی‌خواند."]
    assert [str(e) for e in response.context["form"].non_field_errors()] == [
        "مسیر ماهانه نادرست است."]
    assert "مسیر ماهانه نادرست است." in response.content.decode()


def test_the_inputs_of_another_trajectory_mode_are_ignored(reporter, draft):  # type: ignore[no-untyped-def]
    """Someone types months by hand, then picks 'spread evenly': the hidden months do not block."""
    url = reverse("plan:indicator_create", args=[draft.project.pk])
    response = reporter.post(url, indicator_data(trajectory_mode="even", season_1="-۵",
                                                 **months("abc", *MANUAL[1:])))
    assert response.status_code == 302
    indicator = Indicator.objects.get(project=draft.project, name="تولید محصول گلخانه‌ای")
    assert (indicator.trajectory_mode, indicator.seasonal_profile) == ("even", [])
    assert indicator.trajectory.get(month=12).value == Decimal(18000)
