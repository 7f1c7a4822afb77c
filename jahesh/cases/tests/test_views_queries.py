"""Queries per page are pinned, and the same for a little data and a lot: no N+1.

Every page costs, before its own work: the session, the user, the user's roles, and the unread
notifications of the bell (4). Each test makes one request before counting (the session).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jahesh.cases import services
from jahesh.cases.tests.case_support import agency, assigned_case, open_case, who

pytestmark = pytest.mark.django_db
LIST = reverse("cases:case_list")
TRIAGE = reverse("cases:triage")


def count(client, url: str, params: dict | None = None) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries), "\n".join(q["sql"] for q in queries.captured_queries)


def busy_case(province):  # type: ignore[no-untyped-def]
    case = assigned_case(province)
    services.case_set_collaborators(case=case, agencies=[agency(province, "imt"),
                                                         agency(province, "water")],
                                    acting_user=who("secretariat"))
    for n in range(4):
        services.note_add(case=case, body=f"یادداشت {n}", visibility="internal" if n % 2 else
                          "public", acting_user=who("agri.reporter"))
    services.case_respond(case=case, text="پاسخ", acting_user=who("agri.reporter"))
    return case


@pytest.mark.parametrize("username", ["secretariat", "agri.reporter"])
def test_the_list_costs_the_same_for_few_cases_or_many(client_for, province, username) -> None:  # type: ignore[no-untyped-def]
    client = client_for(username)
    assigned_case(province)
    client.get(LIST)
    few, _ = count(client, LIST, {"state": "open"})
    for n in range(30):
        case = assigned_case(province, title=f"مانع شماره {n}",
                             agency_code="agri" if n % 2 else "imt")
        if n % 3 == 0:
            services.case_set_collaborators(case=case, agencies=[agency(province, "agri")],
                                            acting_user=who("secretariat"))
    many, sql = count(client, LIST, {"state": "open"})
    # 4 · the province · count · the page with category, agency and unit · the filters'
    # categories, agencies and counties
    assert few == many == 10, sql
    overdue, sql = count(client, LIST, {"overdue": "on", "q": "مانع", "agency": ""})
    assert overdue <= 10, sql  # no page query when nothing matches


def test_the_triage_queue_costs_the_same_for_one_case_or_a_full_page(client_for, province) -> None:  # type: ignore[no-untyped-def]
    client = client_for("secretariat")
    open_case(province)
    client.get(TRIAGE)
    few, _ = count(client, TRIAGE)
    for n in range(15):
        open_case(province, title=f"قطعی برق شهرک {n}")
    many, sql = count(client, TRIAGE)
    # 4 · the province · count · the page · cases of the same category (and, when the page has
    # units, of the same units) · agencies · categories · counties
    assert few == many <= 12, sql


@pytest.mark.parametrize("username", ["secretariat", "agri.reporter", "hq"])
def test_a_case_page_costs_the_same_for_a_quiet_case_or_a_busy_one(client_for, province, username) -> None:  # type: ignore[no-untyped-def]
    client = client_for(username)
    quiet = assigned_case(province)
    busy = busy_case(province)
    client.get(reverse("cases:case_detail", args=[quiet.uid]))
    few, _ = count(client, reverse("cases:case_detail", args=[quiet.uid]))
    many, sql = count(client, reverse("cases:case_detail", args=[busy.uid]))
    # 4 · the case with its context · collaborators · steps · notes · attachments · its
    # duplicates; the secretariat's selects: agencies (read once for all its forms)
    assert few == many == (11 if username == "secretariat" else 10), sql


def test_the_excel_export_has_the_filtered_rows(client_for, province) -> None:  # type: ignore[no-untyped-def]
    import io

    from openpyxl import load_workbook

    for n in range(3):
        assigned_case(province, title=f"مانع خروجی {n}")
    response = client_for("secretariat").get(reverse("cases:case_export"), {"q": "خروجی"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.sheet_view.rightToLeft
    titles = [row[1] for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert sorted(titles) == [f"مانع خروجی {n}" for n in range(3)]
    assert client_for("imt.reporter").get(reverse("cases:case_export"),
                                          {"q": "خروجی"}).status_code == 200
