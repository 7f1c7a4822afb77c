"""Who may open every dashboard page and export: the full matrix of URL × persona (demo
province, whose months Farvardin–Dey 1403 are verified).

The province dashboard: anyone with a role in the province (`outsider`, another province's
secretariat, sees their own province's). An agency's dashboard and its projects' pages: the
province readers and the agency's own people; another agency's people and another province's
secretariat get 404, never 403, so the page does not say that the agency or project exists.
"""

from typing import Any

import pytest
from django.urls import reverse

from jahesh.core.tests.personas import LOGIN, Personas, ask_everyone, assert_no_problems
from jahesh.organisation.models import Person
from jahesh.plan.models import Project

UNKNOWN_UID = "00000000-0000-4000-8000-000000000000"

#                                              anon   secr hq   agri.r agri.h imt.r chamb eval out
MATRIX = {
    ("province", "", ""):                      (LOGIN, 200, 200, 200,  200,   200,  200,  200, 200),
    ("province_export", "", "xlsx"):           (LOGIN, 200, 200, 200,  200,   200,  200,  200, 200),
    ("province_export", "", "doc"):            (LOGIN, 404, 404, 404,  404,   404,  404,  404, 404),
    ("agency", "agri", ""):                    (LOGIN, 200, 200, 200,  200,   404,  200,  200, 404),
    ("agency", "imt", ""):                     (LOGIN, 200, 200, 404,  404,   200,  200,  200, 404),
    ("agency", "unknown", ""):                 (LOGIN, 404, 404, 404,  404,   404,  404,  404, 404),
    ("agency_export", "agri", "xlsx"):         (LOGIN, 200, 200, 200,  200,   404,  200,  200, 404),
    ("agency_export", "agri", "doc"):          (LOGIN, 404, 404, 404,  404,   404,  404,  404, 404),
    ("project", "agri", ""):                   (LOGIN, 200, 200, 200,  200,   404,  200,  200, 404),
    ("project", "unknown", ""):                (LOGIN, 404, 404, 404,  404,   404,  404,  404, 404),
    ("project_export", "agri", "xlsx"):        (LOGIN, 200, 200, 200,  200,   404,  200,  200, 404),
    ("project_export", "agri", "doc"):         (LOGIN, 404, 404, 404,  404,   404,  404,  404, 404),
}


def agri_project(province: Any) -> Project:
    return (Project.objects.filter(programme__province=province, programme__agency__code="agri",
                                   programme__state="accepted").order_by("id").first())


def url_for(view: str, target: str, fmt: str, province: Any) -> str:
    args: list[Any] = []
    if view.startswith("agency"):
        args.append(target)
    elif view.startswith("project"):
        args.append(UNKNOWN_UID if target == "unknown" else agri_project(province).uid)
    if fmt:
        args.append(fmt)
    return reverse(f"dashboards:{view}", args=args) + "?year=1403&month=10"


@pytest.mark.django_db
@pytest.mark.parametrize("view", sorted({key[0] for key in MATRIX}))
def test_access(view: str, province: Any, other_province: Any) -> None:
    """Every row of MATRIX for `view`, for every persona."""
    personas = Personas()
    problems = []
    for (row_view, target, fmt), expected_row in MATRIX.items():
        if row_view != view:
            continue
        url = url_for(view, target, fmt, province)
        for answer, expected in zip(ask_everyone(personas, "GET", url),
                                    expected_row, strict=True):
            if problem := answer.status_problem(expected):
                problems.append(f"GET {url} ({view}, {target or '-'}) as {answer.persona}: "
                                f"{problem}")
    assert_no_problems(problems)


@pytest.mark.django_db
@pytest.mark.parametrize("view", ["province_export", "agency_export", "project_export"])
def test_a_pdf_is_refused_to_the_same_people(view: str, province: Any, client_for: Any,
                                             other_province: Any) -> None:
    """The PDFs take the same checks as the pages (one allowed and one refused person each)."""
    url = url_for(view, "agri", "pdf", province)
    assert client_for("agri.head").get(url).status_code == 200
    refused = "imt.reporter" if view != "province_export" else None
    if refused:
        assert client_for(refused).get(url).status_code == 404
    assert client_for("outsider").get(url).status_code == (200 if refused is None else 404)


@pytest.mark.django_db
def test_outsider_sees_their_own_province_not_ours(client_for: Any, other_province: Any) -> None:
    response = client_for("outsider").get(reverse("dashboards:province"))
    assert response.status_code == 200
    assert response.context["province"] == other_province["province"]
    assert "قرارگاه جهش تولید استان آذربایجان غربی" in response.content.decode()
    assert "آذربایجان شرقی" not in response.content.decode()


@pytest.mark.django_db
def test_someone_without_a_role_gets_404(client_for: Any, province: Any) -> None:
    Person.objects.create_user(username="nobody", password="a-long-password-1403",
                               province=province)
    response = client_for("nobody").get(reverse("dashboards:province"))
    assert response.status_code == 404


@pytest.mark.django_db
def test_links_to_agencies_and_projects_only_for_those_who_may_follow_them(
    client_for: Any, province: Any
) -> None:
    """imt.reporter sees the province dashboard, with the projects furthest behind, but gets no
    link to another agency's dashboard or project page (they would be 404)."""
    url = reverse("dashboards:province") + "?year=1403&month=10"
    mine = client_for("imt.reporter").get(url)
    rows = {row["report"].agency.code: row for row in mine.context["lagging"]}
    assert rows["imt"]["project_url"] and rows["imt"]["agency_url"]
    others = [row for code, row in rows.items() if code != "imt"]
    assert others and all(not r["project_url"] and not r["agency_url"] for r in others)
    everyone = client_for("hq").get(url)
    assert all(r["project_url"] and r["agency_url"] for r in everyone.context["lagging"])
