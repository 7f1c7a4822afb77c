"""The agency pages: who may see and change what, bad input, concurrent edits, search and paging."""

from typing import Any

import pytest
from django.urls import reverse
from django.utils.html import escape

from jahesh.audit.models import AuditEvent
from jahesh.core.paging import PAGE_SIZE
from jahesh.core.persian import fold
from jahesh.organisation import services as org
from jahesh.organisation import urls
from jahesh.organisation.models import Agency, Sector
from jahesh.organisation.tests.helpers import (
    LOGIN,
    UNKNOWN_ID,
    assert_field_error,
    check_rows,
    field_error_codes,
    matrix_targets,
    tr,
)

# --- Who may do what ------------------------------------------------------------------------
# Targets: 'agri' (an active agency of the demo province), 'inactive' (a deactivated one),
# 'west-agri' (the other province's agency), 'unknown' (no such id).
# LOGIN: sent to the login page. 302 in a POST row: done, with exactly one audit event
# (helpers.run_row checks that; anything refused must write none).
#
#                                                anon   secr hq   agri.r agri.h imt.r chamb eval out
AGENCY_MATRIX = {
    ("GET", "agency_list", ""):                  (LOGIN, 200, 200, 200,  200,   200,  200,  200, 200),
    ("GET", "agency_create", ""):                (LOGIN, 200, 403, 403,  403,   403,  403,  403, 200),
    ("POST", "agency_create", ""):               (LOGIN, 302, 403, 403,  403,   403,  403,  403, 302),
    ("GET", "agency_detail", "agri"):            (LOGIN, 200, 200, 200,  200,   200,  200,  200, 404),
    ("GET", "agency_detail", "inactive"):        (LOGIN, 200, 404, 404,  404,   404,  404,  404, 404),
    ("GET", "agency_detail", "west-agri"):       (LOGIN, 404, 404, 404,  404,   404,  404,  404, 200),
    ("GET", "agency_detail", "unknown"):         (LOGIN, 404, 404, 404,  404,   404,  404,  404, 404),
    ("GET", "agency_edit", "agri"):              (LOGIN, 200, 403, 403,  403,   403,  403,  403, 404),
    ("GET", "agency_edit", "inactive"):          (LOGIN, 200, 404, 404,  404,   404,  404,  404, 404),
    ("GET", "agency_edit", "west-agri"):         (LOGIN, 404, 404, 404,  404,   404,  404,  404, 200),
    ("GET", "agency_edit", "unknown"):           (LOGIN, 404, 404, 404,  404,   404,  404,  404, 404),
    ("POST", "agency_edit", "agri"):             (LOGIN, 302, 403, 403,  403,   403,  403,  403, 404),
    ("POST", "agency_edit", "inactive"):         (LOGIN, 302, 404, 404,  404,   404,  404,  404, 404),
    ("POST", "agency_edit", "west-agri"):        (LOGIN, 404, 404, 404,  404,   404,  404,  404, 302),
    ("POST", "agency_edit", "unknown"):          (LOGIN, 404, 404, 404,  404,   404,  404,  404, 404),
    ("GET", "agency_set_active", "agri"):        (LOGIN, 405, 405, 405,  405,   405,  405,  405, 405),
    ("POST", "agency_set_active", "agri"):       (LOGIN, 302, 403, 403,  403,   403,  403,  403, 404),
    ("POST", "agency_set_active", "inactive"):   (LOGIN, 302, 404, 404,  404,   404,  404,  404, 404),
    ("POST", "agency_set_active", "west-agri"):  (LOGIN, 404, 404, 404,  404,   404,  404,  404, 302),
    ("POST", "agency_set_active", "unknown"):    (LOGIN, 404, 404, 404,  404,   404,  404,  404, 404),
}


def form_data(agency: Agency, **changes: Any) -> dict[str, Any]:
    """What the edit form posts back for `agency`, with `changes` typed in."""
    return {
        "name": agency.name, "code": agency.code, "category": agency.category,
        "sector": agency.sector_id or "", "parent": agency.parent_id or "",
        "version": agency.version, **changes,
    }


NEW_AGENCY = {"name": "سازمان نمونه", "code": "sample", "category": "driver", "sector": "",
              "parent": ""}


def payload(view: str, agency: Any) -> dict[str, Any]:
    if view == "agency_create":
        return NEW_AGENCY
    if not isinstance(agency, Agency):
        return {}
    if view == "agency_edit":
        return form_data(agency, name=f"{agency.name} (ویرایش)")
    if view == "agency_set_active":
        return {"active": "0" if agency.is_active else "1"}
    return {}


@pytest.mark.parametrize("target_name", matrix_targets(AGENCY_MATRIX))
def test_agency_access(target_name, target, other_province):  # type: ignore[no-untyped-def]
    """Every row of AGENCY_MATRIX whose target is `target_name`."""

    def request_for(view: str, name: str) -> tuple[str, dict[str, Any]]:
        agency = target("agency", name) if name else None
        return (reverse(f"organisation:{view}", args=[agency.pk] if agency else []),
                payload(view, agency))

    check_rows(AGENCY_MATRIX, target_name, request_for)


def test_every_agency_url_has_rows_in_the_matrix() -> None:
    names = {p.name for p in urls.urlpatterns if p.name.startswith("agency_")}
    assert names == {view for _, view, _ in AGENCY_MATRIX}


def test_a_person_without_any_role_gets_404_on_the_list(db, client_for):  # type: ignore[no-untyped-def]
    org.person_create(acting_user=None, province=None, username="nobody", password=None)
    assert client_for("nobody").get(reverse("organisation:agency_list")).status_code == 404


def test_read_only_visitors_see_no_change_buttons(client_for, province):  # type: ignore[no-untyped-def]
    agency = Agency.objects.get(province=province, code="agri")
    edit_url = reverse("organisation:agency_edit", args=[agency.pk])
    assert edit_url in client_for("secretariat").get(agency_url(agency)).content.decode()
    html = client_for("hq").get(agency_url(agency)).content.decode()
    assert edit_url not in html
    assert reverse("organisation:agency_set_active", args=[agency.pk]) not in html
    assert reverse("organisation:agency_create") not in client_for("hq").get(LIST).content.decode()


def agency_url(agency: Agency) -> str:
    return reverse("organisation:agency_detail", args=[agency.pk])


# --- Bad input ------------------------------------------------------------------------------

CREATE = reverse("organisation:agency_create")
DUPLICATE_CODE = "Another agency of this province already has this code."
DUPLICATE_NAME = "Another agency of this province already has this name."
BAD_CODE = "Use 2 to 30 Latin letters, digits or hyphens, starting with a letter."


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"code": "agri"}, "code", DUPLICATE_CODE),
        ({"code": " IMT "}, "code", DUPLICATE_CODE),
        ({"code": "کشاورزی"}, "code", BAD_CODE),
        ({"code": "new agency"}, "code", BAD_CODE),
        ({"code": "9lives"}, "code", BAD_CODE),
        ({"name": "جهاد كشاورزي"}, "name", DUPLICATE_NAME),  # Arabic yeh and kaf
        ({"name": "شرکت شهرکهای صنعتی"}, "name", DUPLICATE_NAME),  # no ZWNJ
        ({"name": "شرکت شهرک های صنعتی"}, "name", DUPLICATE_NAME),  # a space for the ZWNJ
        ({"name": "  "}, "name", "This field is required."),
    ],
    ids=["code-taken", "code-taken-other-case", "code-persian", "code-space",
         "code-starts-with-digit", "name-arabic-letters", "name-without-zwnj",
         "name-space-for-zwnj", "name-blank"],
)
def test_create_refuses_bad_input_and_saves_nothing(client_for, changes, field, message):  # type: ignore[no-untyped-def]
    agencies, events = Agency.objects.count(), AuditEvent.objects.count()

    response = client_for("secretariat").post(CREATE, {**NEW_AGENCY, **changes})

    assert response.status_code == 200
    assert assert_field_error(response, field) == [tr(message)]
    assert (Agency.objects.count(), AuditEvent.objects.count()) == (agencies, events)


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"name": "ن" * 151}, "name", "max_length"),
        ({"code": "a" * 31}, "code", "max_length"),
        ({"sector": str(UNKNOWN_ID)}, "sector", "invalid_choice"),
        ({"sector": "not-a-number"}, "sector", "invalid_choice"),
        ({"category": "ministry"}, "category", "invalid_choice"),
        ({"parent": str(UNKNOWN_ID)}, "parent", "invalid_choice"),
    ],
    ids=["name-151-chars", "code-31-chars", "sector-unknown", "sector-not-a-number",
         "category-unknown", "parent-unknown"],
)
def test_create_refuses_values_the_fields_reject(client_for, changes, field, code):  # type: ignore[no-untyped-def]
    agencies = Agency.objects.count()
    response = client_for("secretariat").post(CREATE, {**NEW_AGENCY, **changes})
    assert response.status_code == 200
    assert field_error_codes(response, field) == [code]
    assert_field_error(response, field)
    assert Agency.objects.count() == agencies


def test_create_refuses_a_sector_or_parent_of_another_province(client_for, other_province):  # type: ignore[no-untyped-def]
    west_sector = org.sector_create(acting_user=None, province=other_province["province"],
                                    code="agriculture", name="کشاورزی")
    response = client_for("secretariat").post(CREATE, {
        **NEW_AGENCY, "sector": west_sector.pk, "parent": other_province["agency"].pk,
    })
    assert response.status_code == 200
    assert field_error_codes(response, "sector") == ["invalid_choice"]
    assert field_error_codes(response, "parent") == ["invalid_choice"]
    assert not Agency.objects.filter(code="sample").exists()


def test_a_name_of_exactly_150_characters_is_accepted(client_for):  # type: ignore[no-untyped-def]
    response = client_for("secretariat").post(CREATE, {**NEW_AGENCY, "name": "ن" * 150})
    assert response.status_code == 302
    assert len(Agency.objects.get(code="sample").name) == 150


def test_create_normalises_what_was_typed(client_for, province):  # type: ignore[no-untyped-def]
    sector = Sector.objects.get(province=province, code="industry")
    response = client_for("secretariat").post(CREATE, {
        **NEW_AGENCY, "name": " منطقه ويژه اقتصادي  سهند ", "code": " SEZ۲ ", "sector": sector.pk,
    })
    agency = Agency.objects.get(province=province, code="sez2")
    assert response.status_code == 302
    assert response["Location"] == agency_url(agency)
    assert agency.name == "منطقه ویژه اقتصادی سهند"
    assert agency.sector == sector


def test_edit_refuses_the_name_of_another_agency_and_changes_nothing(client_for, province):  # type: ignore[no-untyped-def]
    parks = Agency.objects.get(province=province, code="parks")
    url = reverse("organisation:agency_edit", args=[parks.pk])

    response = client_for("secretariat").post(url, form_data(parks, name="صنعت، معدن و تجارت"))

    assert response.status_code == 200
    assert assert_field_error(response, "name") == [tr(DUPLICATE_NAME)]
    parks.refresh_from_db()
    assert (parks.name, parks.version) == ("شرکت شهرک‌های صنعتی", 1)


def test_edit_keeps_the_agency_own_name_and_code(client_for, province):  # type: ignore[no-untyped-def]
    parks = Agency.objects.get(province=province, code="parks")
    url = reverse("organisation:agency_edit", args=[parks.pk])
    response = client_for("secretariat").post(url, form_data(parks, category="supporting"))
    assert response.status_code == 302
    parks.refresh_from_db()
    assert (parks.category, parks.version) == ("supporting", 2)


# --- Two people editing at once -------------------------------------------------------------

STALE = ("Someone else changed this record after you opened it. The form now shows their "
         "version; make your change again.")


def test_the_second_of_two_concurrent_edits_is_refused(client_for, province):  # type: ignore[no-untyped-def]
    agency = Agency.objects.get(province=province, code="agri")
    url = reverse("organisation:agency_edit", args=[agency.pk])
    first, second = client_for("secretariat"), client_for("secretariat")
    seen_by_first = first.get(url).context["form"].initial
    seen_by_second = second.get(url).context["form"].initial
    assert seen_by_first["version"] == seen_by_second["version"] == 1
    events = AuditEvent.objects.count()

    saved = first.post(url, {**form_data(agency), "name": "جهاد کشاورزی استان"})
    refused = second.post(url, {**form_data(agency), "category": "supporting"})

    assert saved.status_code == 302
    assert refused.status_code == 200
    form = refused.context["form"]
    assert [str(e) for e in form.non_field_errors()] == [tr(STALE)]
    assert escape(tr(STALE)) in refused.content.decode()
    # The form now shows the first person's version, so that a retry is not stale again.
    assert (form.initial["name"], form.initial["category"], form.initial["version"]) == (
        "جهاد کشاورزی استان", "driver", 2)
    agency.refresh_from_db()
    assert (agency.name, agency.category, agency.version) == ("جهاد کشاورزی استان", "driver", 2)
    assert AuditEvent.objects.count() - events == 1
    assert AuditEvent.objects.filter(event="agency.changed", target_id=str(agency.pk)).count() == 1

    retried = second.post(url, {**form_data(agency), "category": "supporting"})
    assert retried.status_code == 302
    agency.refresh_from_db()
    assert (agency.name, agency.category, agency.version) == ("جهاد کشاورزی استان", "supporting", 3)


# --- The list: search, filters, paging ------------------------------------------------------

LIST = reverse("organisation:agency_list")


def names(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [agency.name for agency in response.context["page"]]


def active_names_containing(province, text: str) -> set[str]:  # type: ignore[no-untyped-def]
    key = fold(text)
    return {a.name for a in Agency.objects.filter(province=province, is_active=True)
            if key in fold(f"{a.name} {a.code}")}


@pytest.mark.parametrize("q", ["كشاورزي", "کشاورزی", " کشاورزي "],
                         ids=["arabic-letters", "persian-letters", "mixed-and-spaces"])
def test_search_folds_arabic_letters(client_for, province, q):  # type: ignore[no-untyped-def]
    found = names(client_for("agri.reporter").get(LIST, {"q": q}))
    assert "جهاد کشاورزی" in found and "بانک کشاورزی" in found
    assert set(found) == active_names_containing(province, "کشاورزی")


@pytest.mark.parametrize("q", ["شهرک های", "شهرکهای", "شهرک‌های", "شهرك هاي"],
                         ids=["space", "joined", "zwnj", "arabic-letters"])
def test_search_ignores_spaces_and_zwnj(client_for, q):  # type: ignore[no-untyped-def]
    assert names(client_for("hq").get(LIST, {"q": q})) == ["شرکت شهرک‌های صنعتی"]


def test_search_accepts_persian_and_latin_digits(client_for, province):  # type: ignore[no-untyped-def]
    for number, code in (("1", "sez1"), ("۲", "sez2")):
        org.agency_create(acting_user=None, province=province, code=code,
                          name=f"منطقه ویژه اقتصادی {number}", category="driver")
    client = client_for("hq")
    assert names(client.get(LIST, {"q": "اقتصادی ۱"})) == ["منطقه ویژه اقتصادی 1"]
    assert names(client.get(LIST, {"q": "اقتصادی 2"})) == ["منطقه ویژه اقتصادی ۲"]
    assert names(client.get(LIST, {"q": "SEZ۲"})) == ["منطقه ویژه اقتصادی ۲"]
    assert len(names(client.get(LIST, {"q": "منطقه ویژه"}))) == 2


def test_search_by_code(client_for):  # type: ignore[no-untyped-def]
    assert names(client_for("hq").get(LIST, {"q": "BANK-MELLI"})) == ["بانک ملی"]


def test_a_search_that_matches_nothing_says_so(client_for):  # type: ignore[no-untyped-def]
    response = client_for("hq").get(LIST, {"q": "زعفران"})
    assert names(response) == []
    assert tr("No agency matches these filters.") in response.content.decode()


@pytest.mark.parametrize("category", ["driver", "supporting", "service", "infrastructure"])
def test_filter_by_category(client_for, province, category):  # type: ignore[no-untyped-def]
    rows = list(client_for("hq").get(LIST, {"category": category}).context["page"])
    expected = Agency.objects.filter(province=province, is_active=True, category=category)
    assert rows and {a.category for a in rows} == {category}
    assert len(rows) == min(expected.count(), PAGE_SIZE)


def test_filter_by_sector(client_for, province):  # type: ignore[no-untyped-def]
    sector = Sector.objects.get(province=province, code="agriculture")
    rows = client_for("hq").get(LIST, {"sector": sector.pk}).context["page"]
    assert {a.code for a in rows} == set(
        Agency.objects.filter(sector=sector, is_active=True).values_list("code", flat=True))
    assert {"agri", "nrw"} <= {a.code for a in rows}
    assert "bank-keshavarzi" not in {a.code for a in rows}  # a bank: the finance sector


def test_filters_combine(client_for, province):  # type: ignore[no-untyped-def]
    finance = Sector.objects.get(province=province, code="finance")
    client = client_for("hq")
    assert names(client.get(LIST, {"q": "كشاورزي", "sector": finance.pk})) == ["بانک کشاورزی"]
    assert names(client.get(LIST, {"q": "كشاورزي", "category": "supporting"})) == ["بانک کشاورزی"]
    assert names(client.get(LIST, {"q": "كشاورزي", "category": "service"})) == []


@pytest.mark.parametrize(
    ("persona", "status", "shows_inactive", "shows_active"),
    [
        ("secretariat", "", False, True),
        ("secretariat", "active", False, True),
        ("secretariat", "inactive", True, False),
        ("secretariat", "all", True, True),
        ("hq", "inactive", False, False),
        ("hq", "all", False, True),
        ("agri.reporter", "inactive", False, False),
    ],
)
def test_inactive_agencies_are_listed_for_the_secretariat_only(  # type: ignore[no-untyped-def]
    client_for, inactive_agency, persona, status, shows_inactive, shows_active
):
    response = client_for(persona).get(LIST, {"status": status, "q": ""})
    found = names(response)
    assert (inactive_agency.name in found) == shows_inactive
    assert ("جهاد کشاورزی" in found) == shows_active
    assert (inactive_agency.name in response.content.decode()) == shows_inactive


def test_the_status_filter_is_offered_to_the_secretariat_only(client_for):  # type: ignore[no-untyped-def]
    assert 'name="status"' in client_for("secretariat").get(LIST).content.decode()
    assert 'name="status"' not in client_for("hq").get(LIST).content.decode()


def test_an_invalid_filter_shows_every_active_agency(client_for, province):  # type: ignore[no-untyped-def]
    response = client_for("hq").get(LIST, {"sector": "abc"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == Agency.objects.filter(
        province=province, is_active=True).count()


@pytest.mark.parametrize(
    ("page", "number"),
    [("", 1), ("1", 1), ("2", 2), ("۲", 2), ("999", "last"), ("abc", 1), ("-1", "last")],
)
def test_paging(client_for, province, page, number):  # type: ignore[no-untyped-def]
    total = Agency.objects.filter(province=province, is_active=True).count()
    assert total > PAGE_SIZE, "the demo province fills more than one page"
    shown = client_for("hq").get(LIST, {"page": page}).context["page"]
    last = shown.paginator.num_pages
    expected = last if number == "last" else number
    assert (shown.paginator.count, shown.number) == (total, expected)
    assert len(shown) == (PAGE_SIZE if expected < last else total - (last - 1) * PAGE_SIZE)
    assert [a.name for a in shown] == list(
        Agency.objects.filter(province=province, is_active=True).order_by("name")
        .values_list("name", flat=True)[(expected - 1) * PAGE_SIZE:expected * PAGE_SIZE])


def test_page_links_keep_the_filters(client_for):  # type: ignore[no-untyped-def]
    response = client_for("hq").get(LIST, {"category": "", "q": "", "page": "1"})
    html = response.content.decode()
    assert response.context["query"] == "category=&q="
    assert 'href="?category=&amp;q=&amp;page=2"' in html


def test_htmx_requests_get_only_the_rows(client_for):  # type: ignore[no-untyped-def]
    client = client_for("hq")
    partial = client.get(LIST, {"q": "كشاورزي"}, headers={"HX-Request": "true"})
    full = client.get(LIST, {"q": "كشاورزي"})

    assert partial.status_code == 200
    used = [t.name for t in partial.templates]
    assert "organisation/_agency_rows.html" in used
    assert "organisation/agency_list.html" not in used and "base.html" not in used
    html = partial.content.decode()
    assert "<html" not in html and "<form" not in html
    assert "جهاد کشاورزی" in html and "گمرک" not in html
    assert "<html" in full.content.decode()
    assert names(partial) == names(full)
