"""Who may do what with the registry's pages, the forms' errors, and the list's cost."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from jahesh.units.models import ProductionUnit

PERSONAS = ("anonymous", "secretariat", "agri.reporter", "hq", "chamber", "outsider")
#                      anonymous secretariat reporter hq   chamber outsider
MATRIX = {
    "unit_list":      ("login",  200,        200,     200, 200,    200),
    "unit_detail":    ("login",  200,        200,     200, 200,    404),
    "unit_edit":      ("login",  200,        403,     403, 403,    404),
    "unit_create":    ("login",  200,        403,     403, 403,    200),  # in their own province
    "import":         ("login",  200,        403,     403, 403,    200),
    "template":       ("login",  200,        403,     403, 403,    200),
    "park_list":      ("login",  200,        200,     200, 200,    200),
    "park_edit":      ("login",  200,        403,     403, 403,    404),
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_access(persona, client_for, make_unit, province, other_province, person):  # type: ignore[no-untyped-def]
    from jahesh.units import services

    unit = make_unit("کاشی تبریز")
    park = services.park_save(acting_user=None, province=province, name="شهرک سلیمی")
    client = Client() if persona == "anonymous" else client_for(persona)
    for view, statuses in MATRIX.items():
        expected = statuses[PERSONAS.index(persona)]
        args = {"unit_detail": [unit.pk], "unit_edit": [unit.pk], "park_edit": [park.pk]}
        response = client.get(reverse(f"units:{view}", args=args.get(view, [])))
        if expected == "login":
            assert response.status_code == 302 and "/login/" in response["Location"], view
        else:
            assert response.status_code == expected, (view, persona)
    # The secretariat of another province sees none of this province's units.
    if persona == "outsider":
        page = client.get(reverse("units:unit_list")).content.decode()
        assert "کاشی تبریز" not in page


def test_only_the_secretariat_may_post(client_for, make_unit) -> None:  # type: ignore[no-untyped-def]
    unit = make_unit("کاشی تبریز")
    client = client_for("agri.head")
    assert client.post(reverse("units:unit_create"), {"name": "تازه"}).status_code == 403
    assert client.post(reverse("units:unit_edit", args=[unit.pk]),
                       {"name": "دگرگون", "version": 1}).status_code == 403
    assert client.post(reverse("units:park_list"), {"name": "شهرک"}).status_code == 403
    assert ProductionUnit.objects.get(pk=unit.pk).name == "کاشی تبریز"
    assert not ProductionUnit.objects.filter(name="تازه").exists()


def test_create_shows_errors_next_to_fields_and_saves_nothing(client_for, make_unit) -> None:  # type: ignore[no-untyped-def]
    make_unit("کاشی تبریز", national_id="10380284790")
    client = client_for("secretariat")
    with translation.override("en"):
        response = client.post(reverse("units:unit_create"), {
            "name": "کاشی دوم", "national_id": "۱۰۳۸۰۲۸۴۷۹۱", "employees": "چند"},
            HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "رقم کنترل" in errors["national_id"][0]  # the check digit, in Persian
    assert errors["employees"]
    # A valid id already registered: the service's error lands next to the field too.
    response = client.post(reverse("units:unit_create"),
                           {"name": "کاشی دوم", "national_id": "۱۰۳۸۰۲۸۴۷۹۰"})
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["national_id"]
    assert 'id="id_national_id_error"' in response.content.decode()
    assert ProductionUnit.objects.filter(name="کاشی دوم").count() == 0
    response = client.post(reverse("units:unit_create"),
                           {"name": "کاشی دوم", "national_id": "۱۴۰۰۷۶۵۰۹۱۲", "employees": "۴۵"})
    unit = ProductionUnit.objects.get(name="کاشی دوم")
    assert response["Location"] == reverse("units:unit_detail", args=[unit.pk])
    assert unit.employees == 45 and unit.national_id == "14007650912"


def test_a_stale_edit_is_told_and_not_saved(client_for, make_unit, person) -> None:  # type: ignore[no-untyped-def]
    from jahesh.units import services

    unit = make_unit("کاشی تبریز")
    services.unit_save(acting_user=person("secretariat"), unit=unit, employees=10)  # version 2
    response = client_for("secretariat").post(reverse("units:unit_edit", args=[unit.pk]),
                                              {"name": "دیگر", "version": 1})
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert ProductionUnit.objects.get(pk=unit.pk).name == "کاشی تبریز"


def test_list_filters_and_search(client_for, make_unit, province) -> None:  # type: ignore[no-untyped-def]
    make_unit("کاشی تبریز", is_knowledge_based=True)
    make_unit("لبنیات پگاه", is_cooperative=True)
    client = client_for("chamber")
    page = client.get(reverse("units:unit_list"), {"q": "كاشي"}).content.decode()
    assert "کاشی تبریز" in page and "لبنیات پگاه" not in page
    page = client.get(reverse("units:unit_list"), {"cooperative": "yes"}).content.decode()
    assert "کاشی تبریز" not in page and "لبنیات پگاه" in page
    rows = client.get(reverse("units:unit_list"), {"knowledge_based": "no"},
                      HTTP_HX_REQUEST="true")
    assert "<html" not in rows.content.decode() and "لبنیات پگاه" in rows.content.decode()


def _list_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("units:unit_list")).status_code == 200
    return len(queries)


def test_the_list_costs_the_same_for_more_units(client_for, make_unit, province) -> None:  # type: ignore[no-untyped-def]
    from jahesh.plan.models import County, PriorityIndustry
    from jahesh.units import services

    county = County.objects.filter(province=province).first()
    industry = PriorityIndustry.objects.filter(province=province).first()
    park = services.park_save(acting_user=None, province=province, name="شهرک", county=county)

    def add(n: int, start: int) -> None:
        for i in range(start, start + n):
            make_unit(f"واحد {i}", industrial_park=park, priority_industry=industry,
                      is_knowledge_based=True)

    client = client_for("secretariat")
    add(3, 0)
    _list_queries(client)  # the session's first request costs a few more
    few = _list_queries(client)
    add(30, 3)
    assert _list_queries(client) == few
