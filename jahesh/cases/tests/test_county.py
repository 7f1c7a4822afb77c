"""Where a case's problem is: asked on the forms, else the unit's or the project's county; the
list filters by it, the page and the Excel export show it, and the cases opened before it got
theirs from their unit or project."""

import importlib
import io

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from jahesh.cases.models import Case
from jahesh.cases.tests.case_support import category, open_case
from jahesh.plan.models import County
from jahesh.plan.tests.builders import programme, project
from jahesh.plan.tests.views_support import tr
from jahesh.units.services import unit_save

pytestmark = pytest.mark.django_db
LIST = reverse("cases:case_list")


@pytest.fixture
def counties(province):  # type: ignore[no-untyped-def]
    return {name: County.objects.get_or_create(province=province, name=name)[0]
            for name in ("آزمون‌شهر", "نمونه‌آباد", "سنجش‌دشت")}


def test_a_case_takes_the_county_asked_else_its_units_else_its_projects(province, counties) -> None:  # type: ignore[no-untyped-def]
    unit = unit_save(acting_user=None, province=province, name="لبنیات مرند",
                     county=counties["آزمون‌شهر"])
    work = project(programme(province), title="گلخانه مراغه", county=counties["نمونه‌آباد"])
    assert open_case(province, unit=unit).county == counties["آزمون‌شهر"]
    assert open_case(province, project=work).county == counties["نمونه‌آباد"]
    assert open_case(province, unit=unit, project=work).county == counties["آزمون‌شهر"]
    assert open_case(province, unit=unit, county=counties["سنجش‌دشت"]).county == counties["سنجش‌دشت"]
    assert open_case(province).county is None


def test_a_county_of_another_province_is_refused(province, other_province) -> None:  # type: ignore[no-untyped-def]
    elsewhere = County.objects.create(province=other_province["province"], name="ارومیه")
    before = Case.objects.count()
    with pytest.raises(ValidationError) as refused:
        open_case(province, county=elsewhere)
    assert "county" in refused.value.message_dict
    assert Case.objects.count() == before


def test_the_secretariat_records_the_county_and_filters_the_list_by_it(client_for, province,
                                                                     counties) -> None:  # type: ignore[no-untyped-def]
    client = client_for("secretariat")
    response = client.post(reverse("cases:case_create"), {
        "kind": "obstacle", "channel": "secretariat", "category": category(province).pk,
        "title": "کمبود آب شهرک میانه", "description": "نامه شماره ۴۵", "priority": "normal",
        "requester_name": "شرکت نمونه", "county": counties["سنجش‌دشت"].pk})
    assert response.status_code == 302
    recorded = Case.objects.get(title="کمبود آب شهرک میانه")
    assert recorded.county == counties["سنجش‌دشت"]
    page = client.get(reverse("cases:case_detail", args=[recorded.uid])).content.decode()
    assert 'data-testid="county">سنجش‌دشت<' in page
    elsewhere = open_case(province, title="گاز مرند", county=counties["آزمون‌شهر"])
    listed = client.get(LIST, {"county": counties["سنجش‌دشت"].pk}).content.decode()
    assert recorded.title in listed and elsewhere.title not in listed
    # an unknown county is not a filter (the list shows everything, as a fresh page)
    listed = client.get(LIST, {"county": "999999"}).content.decode()
    assert recorded.title in listed and elsewhere.title in listed
    # the Excel export has the county column, in Persian
    sheet = load_workbook(io.BytesIO(client.get(reverse("cases:case_export"), {
        "county": counties["سنجش‌دشت"].pk}).content)).active
    header = [cell.value for cell in sheet[3]]  # a title, a subtitle, then the headings
    column = header.index(tr("County"))
    values = [row[column] for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert values == ["سنجش‌دشت"]


def test_cases_opened_before_got_their_units_or_projects_county(province, counties) -> None:  # type: ignore[no-untyped-def]
    unit = unit_save(acting_user=None, province=province, name="کاشی مرند",
                     county=counties["آزمون‌شهر"])
    work = project(programme(province), title="گلخانه مراغه", county=counties["نمونه‌آباد"])
    by_unit = open_case(province, unit=unit)
    by_project = open_case(province, project=work)
    neither = open_case(province)
    Case.objects.filter(pk__in=[by_unit.pk, by_project.pk]).update(county=None)
    migration = importlib.import_module("jahesh.cases.migrations.0003_case_county")
    migration.counties_from_units_and_projects(apps, None)
    assert {c.pk: c.county_id for c in Case.objects.filter(
        pk__in=[by_unit.pk, by_project.pk, neither.pk])} == {
        by_unit.pk: counties["آزمون‌شهر"].pk, by_project.pk: counties["نمونه‌آباد"].pk, neither.pk: None}


def test_the_secretariat_corrects_the_county_at_triage(client_for, province, counties) -> None:  # type: ignore[no-untyped-def]
    from jahesh.audit.models import AuditEvent
    from jahesh.cases.models import CaseState
    from jahesh.cases.tests.case_support import agency

    case = open_case(province, county=counties["آزمون‌شهر"])
    client = client_for("secretariat")
    queue = client.get(reverse("cases:triage")).content.decode()
    assert f'<option value="{counties["سنجش‌دشت"].pk}">سنجش‌دشت</option>' in queue
    response = client.post(reverse("cases:case_step", args=[case.uid, "accept"]), {
        "accept-version": case.version, "accept-state": case.state,
        "accept-agency": agency(province, "agri").pk, "accept-category": case.category_id,
        "accept-county": counties["سنجش‌دشت"].pk})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.ASSIGNED and case.county == counties["سنجش‌دشت"]
    event = AuditEvent.objects.filter(event="case.accepted").order_by("-id").first()
    assert event.after["county"] == counties["سنجش‌دشت"].pk


def test_the_measures_count_the_cases_of_each_county(province, counties) -> None:  # type: ignore[no-untyped-def]
    from django.utils import translation

    from jahesh.cases import services
    from jahesh.cases.measures import case_measures
    from jahesh.cases.tests.case_support import agency, who

    year = open_case(province).year  # of no county
    before = {row.key: row.received for row in case_measures(province, year).counties}
    for county, n in ((counties["آزمون‌شهر"], 3), (counties["نمونه‌آباد"], 1)):
        for _ in range(n):
            case = open_case(province, county=county)
    services.case_accept(case=case, agency=agency(province, "agri"),
                         acting_user=who("secretariat"))
    with translation.override("fa"):
        m = case_measures(province, year)
    rows = {row.key: row for row in m.counties}
    assert rows[counties["آزمون‌شهر"].pk].received == 3
    assert rows[counties["نمونه‌آباد"].pk].received == 1
    assert rows[counties["نمونه‌آباد"].pk].routed == rows[counties["نمونه‌آباد"].pk].open == 1
    assert counties["سنجش‌دشت"].pk not in rows  # a county without cases has no row
    unknown = rows[None]  # the cases of no known county, last
    assert m.counties[-1] is unknown and unknown.name == "شهرستان نامشخص"
    assert unknown.received == before[None]  # the cases given a county did not land here
    assert sum(row.received for row in m.counties) == m.total.received
