"""Queries per page are pinned, and the same for the demo province and for one with many more
projects, agencies' reports and months: no query per row, whatever the size of the data.

Each page costs, before its own work: the session, the user and the user's roles, and the
unread notifications of the bell in the header (4). The first request of a session also stamps
it (IdleSessionMiddleware); each test makes one before counting.
"""

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jahesh.dashboards.tests import support
from jahesh.progress import services

# 4 · province · plan years · status rules · trend (count, months) · the month's progress
# (count, by status) · by key action (count, by key action and status, key actions) · projects
# furthest behind · by agency (count, by agency and status, agencies) · compliance (periods,
# agencies with their projects, reports by agency and month)
PROVINCE_QUERIES = 21
# 4 · the agency with its province and sector · plan years · status rules · trend (2) · the month's
# progress (2) · by key action (3) · projects furthest behind · compliance (3) · by programme
# (count, by programme and status, programmes) · rank (score, higher and total) · score history
AGENCY_QUERIES = 24
# 4 · the project with programme, agency, province, key action, county · indicators,
# trajectories · required actions · reports · indicator values · blockers · evidence · comments
# · action states of the latest report
PROJECT_QUERIES = 14

MONTH = {"year": "1403", "month": "10"}


def count(client, url: str, params: dict | None = None) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries), "\n".join(q["sql"] for q in queries.captured_queries)


def grow(province) -> None:  # type: ignore[no-untyped-def]
    """Many more projects (of three agencies, across key actions) with ten verified months."""
    for code, n in (("agri", 12), ("imt", 9), ("power", 6)):
        for i, project in enumerate(support.more_projects(province, code, n)):
            for month in range(1, 11):
                support.verified(project, month, Decimal(45 + (i * 11 + month * 7) % 60),
                                 late=month % 4 == 0)
    support.refresh(province)


def test_the_province_and_agency_dashboards_cost_the_same_for_little_and_much_data(  # type: ignore[no-untyped-def]
    client_for, province
):
    """The province dashboard for the secretariat and for agri.reporter, and the agency
    dashboard for agri.head, counted before and after `grow` (which runs once for all three)."""
    province_url = reverse("dashboards:province")
    agency_url = reverse("dashboards:agency", args=["agri"])
    pages = {  # (persona, url): the pinned count
        ("secretariat", province_url): PROVINCE_QUERIES,
        ("agri.reporter", province_url): PROVINCE_QUERIES,
        ("agri.head", agency_url): AGENCY_QUERIES,
    }
    clients = {persona: client_for(persona) for persona, _ in pages}
    few = {}
    for persona, url in pages:
        clients[persona].get(url, MONTH)
        few[persona, url] = count(clients[persona], url, MONTH)[0]
    grow(province)
    for (persona, url), pinned in pages.items():
        many, sql = count(clients[persona], url, MONTH)
        assert few[persona, url] == many == pinned, (persona, url, sql)
    for persona in ("secretariat", "agri.reporter"):
        # The default month (the latest with verified figures) costs nothing more.
        default, _sql = count(clients[persona], province_url)
        assert default == PROVINCE_QUERIES, persona


def test_the_project_page_costs_the_same_for_one_report_or_many(client_for, province):  # type: ignore[no-untyped-def]
    client = client_for("secretariat")
    quiet = support.more_projects(province, "agri", 1)[0]
    busy = support.reported_project(province)
    # More evidence, blockers and comments on the busy project's reports.
    for report in busy.project.reports.all():
        for n in range(3):
            report.blockers.create(description=f"مانع شماره {n}")
            report.comments.create(author=support.who("secretariat"), kind="verification",
                                   body=f"نظر {n}")
    client.get(reverse("home"))
    few, _sql = count(client, reverse("dashboards:project", args=[quiet.uid]))
    many, sql = count(client, reverse("dashboards:project", args=[busy.project.uid]))
    # No report: no values, blockers, evidence, comments or action states to read.
    assert few == PROJECT_QUERIES - 5
    assert many == PROJECT_QUERIES, sql
    assert services  # the busy project was reported through the real services
