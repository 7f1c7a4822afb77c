"""The case measures page and its Excel export: who sees which rows, the year filter, Persian
digits, an RTL workbook, and the same number of queries at two sizes."""

import datetime
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from jahesh.cases.models import Case, CaseState, Category, Channel
from jahesh.organisation.models import Agency

YEAR = 1399  # a year of its own: the demo's cases are not in it

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(province):  # type: ignore[no-untyped-def]
    """Three agriculture cases (one overdue) and two of industry, mine and trade in 1399."""
    agri, imt = Agency.objects.get(code="agri"), Agency.objects.get(code="imt")
    # Not one of the demo's categories (their names and codes are taken).
    category = Category.objects.create(province=province, code="m-test",
                                       name="دسته آزمون سنجه‌ها", default_agency=imt, order=90)
    made = []

    def make(agency: Agency, state: str, due: datetime.date, n: int) -> None:
        assigned = datetime.datetime(2020, 6, 1, 6, tzinfo=datetime.UTC)
        made.append(Case.objects.create(
            province=province, year=YEAR, number=9000 + n, tracking_code=f"99{9000 + n:010d}",
            kind="obstacle", channel=Channel.VISIT, category=category, title="t",
            description="d", state=state, responsible_agency=agency, assigned_at=assigned,
            first_response_at=assigned + datetime.timedelta(days=2),
            response_due=due, resolution_due=due))

    late, later = datetime.date(2020, 7, 1), datetime.date(2999, 1, 1)
    make(agri, CaseState.IN_PROGRESS, late, 1)
    make(agri, CaseState.IN_PROGRESS, later, 2)
    make(agri, CaseState.RESPONDED, later, 3)
    make(imt, CaseState.ASSIGNED, later, 4)
    make(imt, CaseState.ASSIGNED, later, 5)
    return {"agri": agri, "imt": imt, "category": category, "cases": made, "make": make}


def url(name: str = "cases:measures") -> str:
    return reverse(name) + f"?year={YEAR}"


def agency_rows(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [row.name for row in response.context["m"].agencies]


@pytest.mark.parametrize("username", ["secretariat", "hq", "evaluator"])
def test_province_readers_see_every_agency(client_for, cases, username):  # type: ignore[no-untyped-def]
    response = client_for(username).get(url())
    assert response.status_code == 200
    assert agency_rows(response) == [cases["agri"].name, cases["imt"].name]
    assert response.context["m"].total.routed == 5


@pytest.mark.parametrize("username", ["agri.reporter", "agri.head"])
def test_an_agency_sees_its_row_highlighted_and_the_province_total(client_for, cases, username):  # type: ignore[no-untyped-def]
    response = client_for(username).get(url())
    assert response.status_code == 200
    m = response.context["m"]
    assert [(r.name, r.highlighted, r.routed) for r in m.agencies] == [
        (cases["agri"].name, True, 3)]
    assert m.total.routed == 5  # the province's
    html = response.content.decode()
    assert cases["imt"].name not in html.split('data-testid="by-agency"')[1].split("</table>")[0]
    assert 'data-testid="scope-total"' in html


@pytest.mark.parametrize("username", ["chamber"])
def test_the_chamber_sees_nothing(client_for, cases, username):  # type: ignore[no-untyped-def]
    assert client_for(username).get(url()).status_code == 404
    assert client_for(username).get(url("cases:measures_export")).status_code == 404


def test_the_public_is_sent_to_log_in(client, cases):  # type: ignore[no-untyped-def]
    for name in ("cases:measures", "cases:measures_export"):
        response = client.get(url(name))
        assert response.status_code == 302 and "login" in response["Location"]


def test_another_province_sees_only_its_own(client_for, cases, other_province):  # type: ignore[no-untyped-def]
    response = client_for("outsider").get(url())
    assert response.status_code == 200
    assert response.context["m"].province == other_province["province"]
    assert response.context["m"].total.received == 0


def test_persian_digits_and_the_year_filter(client_for, cases):  # type: ignore[no-untyped-def]
    client = client_for("secretariat")
    with translation.override("fa"):
        html = client.get(url()).content.decode()
    assert "۱۳۹۹" in html
    assert 'data-testid="overdue">۱<' in html
    # Persian digits in the address work too; an unknown year falls back to the latest.
    response = client.get(reverse("cases:measures") + "?year=۱۳۹۹")
    assert response.context["m"].year == YEAR
    response = client.get(reverse("cases:measures") + "?year=1200")
    assert response.context["m"].year == max(response.context["years"])


def test_excel_export_is_right_to_left_and_scoped(client_for, cases):  # type: ignore[no-untyped-def]
    with translation.override("fa"):
        response = client_for("agri.reporter").get(url("cases:measures_export"))
        total = translation.gettext("Whole province")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(BytesIO(b"".join(response.streaming_content)))
    assert len(book.worksheets) == 3  # by agency, by category, by county
    assert all(ws.sheet_view.rightToLeft for ws in book.worksheets)
    agencies = [row[0] for row in book.worksheets[0].iter_rows(min_row=4, values_only=True)]
    assert agencies == [cases["agri"].name, total]
    english = client_for("secretariat")
    english.cookies["jahesh_language"] = "en"
    response = english.get(url("cases:measures_export"))
    book = load_workbook(BytesIO(b"".join(response.streaming_content)))
    ws = book.worksheets[0]
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    assert rows[0][:4] == ("Agency", "Routed", "Open", "Overdue")
    assert rows[1][:4] == (cases["agri"].name, 3, 3, 1)
    assert rows[-1][0] == "Whole province"
    assert ws.sheet_view.rightToLeft in (False, None)


def _queries(client) -> int:  # type: ignore[no-untyped-def]
    client.get(url())  # the first request after logging in also writes the session
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url()).status_code == 200
    return len(captured.captured_queries)


def test_queries_do_not_grow_with_the_cases(client_for, cases):  # type: ignore[no-untyped-def]
    secretariat, reporter = client_for("secretariat"), client_for("agri.reporter")
    small = (_queries(secretariat), _queries(reporter))
    later = datetime.date(2999, 1, 1)
    for n, agency in enumerate(Agency.objects.filter(province=cases["agri"].province)[:20]):
        for k in range(5):
            cases["make"](agency, CaseState.ASSIGNED, later, 100 + n * 10 + k)
    assert (_queries(secretariat), _queries(reporter)) == small
