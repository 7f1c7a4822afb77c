"""Who may open each progress page and take each step: the full matrix of personas.

Rows read left to right in the order of PERSONAS (jahesh/plan/tests/views_support.py):

    anonymous  secretariat  hq  agri.reporter  agri.head  imt.reporter  chamber  evaluator  outsider

The report is Agriculture Jihad's (agri) for Bahman 1403, and every test runs on 1403/12/05,
inside Bahman's reporting window. Another agency's reporter and another province's secretariat
do not learn it exists (404); readers who may not act get 403.
"""

import pytest
from django.urls import reverse

from jahesh.core.tests.personas import (
    LOGIN,
    Personas,
    ask_everyone,
    assert_no_problems,
    rolled_back,
)
from jahesh.plan.tests.views_support import UNKNOWN_ID
from jahesh.progress import services
from jahesh.progress.models import ProgressReport
from jahesh.progress.tests.support import (
    _media,  # noqa: F401
    _no_reopenings,  # noqa: F401
    demo_project,
    demo_report,
    edit_data,
    on,
    period,
    upload,
    who,
)

pytestmark = pytest.mark.django_db

ALL = (LOGIN, 200, 200, 200, 200, 200, 200, 200, 200)
READERS = (LOGIN, 200, 200, 200, 200, 404, 200, 200, 404)
EDITORS = (LOGIN, 403, 403, 302, 302, 404, 403, 403, 404)
EDIT_PAGE = (LOGIN, 403, 403, 200, 200, 404, 403, 403, 404)
HEAD = (LOGIN, 403, 403, 403, 302, 404, 403, 403, 404)
SECRETARIAT = (LOGIN, 302, 403, 403, 403, 404, 403, 403, 404)
MANAGE_PAGE = (LOGIN, 200, 403, 403, 403, 403, 403, 403, 200)
REOPEN_PAGE = (LOGIN, 200, 403, 403, 403, 403, 403, 403, 404)

# (method, view, the report's state or target): expected per persona
MATRIX = {
    ("get", "list", ""): ALL,
    ("post", "start", ""): (LOGIN, 403, 403, 302, 302, 404, 403, 403, 404),
    ("get", "detail", "draft"): READERS,
    ("get", "detail", "verified"): READERS,
    ("get", "edit", "draft"): EDIT_PAGE,
    ("post", "edit", "draft"): EDITORS,
    ("post", "submit", "draft"): EDITORS,
    ("post", "approve", "submitted"): HEAD,
    ("post", "return", "submitted"): HEAD,
    ("post", "return", "approved"): SECRETARIAT,
    ("post", "verify", "approved"): SECRETARIAT,
    ("get", "evidence", "draft"): READERS,
    ("post", "evidence_remove", "draft"): EDITORS,
    ("get", "periods", ""): ALL,
    ("get", "reopen", ""): REOPEN_PAGE,
    ("get", "settings", ""): MANAGE_PAGE,
}


@pytest.fixture(autouse=True)
def _in_bahmans_window():  # type: ignore[no-untyped-def]
    with on(1403, 12, 5):
        yield


def request_for(method: str, view: str, report: ProgressReport | None, province
                ) -> tuple[str, dict]:  # type: ignore[no-untyped-def]
    uid = [report.uid] if report else []
    if view == "list":
        return reverse("progress:report_list"), {}
    if view == "start":
        return reverse("progress:report_start"), {
            "project": str(demo_project(province).uid), "year": "1403", "month": "11"}
    if view in ("submit", "approve", "return", "verify"):
        data = {f"{view}-version": report.version, f"{view}-state": report.state,
                f"{view}-comment": "بازبینی شود"}
        return reverse(f"progress:report_{view}", args=uid), data
    if view == "detail":
        return reverse("progress:report_detail", args=uid), {}
    if view == "edit":
        return reverse("progress:report_edit", args=uid), edit_data(report)
    if view in ("evidence", "evidence_remove"):
        evidence = services.evidence_add(report=report, acting_user=who("agri.reporter"),
                                         upload=upload())
        name = "evidence_download" if view == "evidence" else "evidence_remove"
        return reverse(f"progress:{name}", args=[evidence.pk]), {}
    if view == "periods":
        return reverse("progress:period_list"), {}
    if view == "reopen":
        return reverse("progress:period_reopen", args=[period(province, 3).pk]), {}
    if view == "settings":
        return reverse("progress:settings"), {}
    raise AssertionError(view)


@pytest.mark.parametrize("state", sorted({key[2] for key in MATRIX}))
def test_access_matrix(province, other_province, state) -> None:  # type: ignore[no-untyped-def]
    """Every row of MATRIX whose report is in `state` (or that has none), for every persona:
    the report is made once, and each row's set-up and each request run in savepoints that
    are rolled back afterwards."""
    personas = Personas()
    report = demo_report(province, state) if state else None
    problems = []
    for (method, view, row_state), expected_row in MATRIX.items():
        if row_state != state:
            continue
        with rolled_back():
            url, data = request_for(method, view, report, province)
            answers = ask_everyone(personas, method, url, data)
        for answer, expected in zip(answers, expected_row, strict=True):
            if problem := answer.status_problem(expected):
                problems.append(f"{method} {url} ({view}, {state or '-'}) as "
                                f"{answer.persona}: {problem}")
    assert_no_problems(problems)


@pytest.mark.parametrize("view", ["detail", "edit", "submit"])
def test_an_unknown_report_is_404(client_for, view) -> None:  # type: ignore[no-untyped-def]
    import uuid

    name = {"detail": "report_detail", "edit": "report_edit", "submit": "report_submit"}[view]
    client = client_for("agri.reporter")
    method = client.post if view == "submit" else client.get
    assert method(reverse(f"progress:{name}", args=[uuid.uuid4()])).status_code == 404


def test_unknown_evidence_and_period_are_404(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("secretariat")
    assert client.get(reverse("progress:evidence_download", args=[UNKNOWN_ID])).status_code == 404
    assert client.get(reverse("progress:period_reopen", args=[UNKNOWN_ID])).status_code == 404


def test_starting_needs_a_real_project_year_and_month(client_for, province) -> None:  # type: ignore[no-untyped-def]
    client = client_for("agri.reporter")
    url = reverse("progress:report_start")
    project = str(demo_project(province).uid)
    assert client.post(url, {"project": project, "year": "1403", "month": "13"}
                       ).status_code == 404
    assert client.post(url, {"project": "not-a-uuid", "year": "1403", "month": "11"}
                       ).status_code == 404
    assert client.post(url, {"project": project, "year": "۱۴۰۳", "month": "۱۱"}
                       ).status_code == 302


def test_another_agencys_project_cannot_be_started(client_for, province) -> None:  # type: ignore[no-untyped-def]
    response = client_for("imt.reporter").post(reverse("progress:report_start"), {
        "project": str(demo_project(province).uid), "year": "1403", "month": "11"})
    assert response.status_code == 404
    assert not ProgressReport.objects.filter(project=demo_project(province),
                                             period__month=11).exists()
