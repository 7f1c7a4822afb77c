"""Who may open and post every evaluation page: the full matrix of URL × persona (demo province).

Anyone with a role in the province sees the league tables. An agency's scorecard and comments:
the province readers and the agency's own people; another agency's people (and another
province's secretariat) get 404. Weights, compliance, reminders, status rules: the secretariat
only (403 for the rest of the province). `outsider` sees the pages of their own province.
"""

from typing import Any

import pytest
from django.urls import reverse

from jahesh.audit.models import AuditEvent
from jahesh.core.tests.personas import LOGIN, Personas, ask_everyone, assert_no_problems
from jahesh.evaluation.models import EvaluationComment, ScorecardWeight
from jahesh.organisation.models import Agency
from jahesh.plan.tests.views_support import UNKNOWN_ID
from jahesh.progress.models import StatusRule

WEIGHTS = {"achievement": "40", "on_time": "30", "completeness": "15", "plan_quality": "15",
           "cases": "15", "resolutions": "10"}

#                                               anon   secr hq   agri.r agri.h imt.r chamb eval out
MATRIX = {
    ("GET", "league", ""):                      (LOGIN, 200, 200, 200,  200,   200,  200,  200, 200),
    ("GET", "scorecard", "agri"):               (LOGIN, 200, 200, 200,  200,   404,  200,  200, 404),
    ("GET", "scorecard", "unknown"):            (LOGIN, 404, 404, 404,  404,   404,  404,  404, 404),
    ("POST", "comment_add", "agri"):            (LOGIN, 302, 403, 403,  403,   404,  403,  302, 404),
    ("POST", "comment_add", "unknown"):         (LOGIN, 404, 404, 404,  404,   404,  404,  404, 404),
    ("GET", "comment_add", "agri"):             (LOGIN, 405, 405, 405,  405,   405,  405,  405, 405),
    ("GET", "compliance", ""):                  (LOGIN, 200, 403, 403,  403,   403,  403,  403, 200),
    ("POST", "remind", "agri"):                 (LOGIN, 302, 403, 403,  403,   403,  403,  403, 404),
    ("POST", "remind", "unknown"):              (LOGIN, 404, 403, 403,  403,   403,  403,  403, 404),
    ("GET", "weights", ""):                     (LOGIN, 200, 403, 403,  403,   403,  403,  403, 200),
    ("POST", "weights", ""):                    (LOGIN, 302, 403, 403,  403,   403,  403,  403, 302),
    ("GET", "status_rules", ""):                (LOGIN, 200, 403, 403,  403,   403,  403,  403, 200),
    ("POST", "status_rules", ""):               (LOGIN, 302, 403, 403,  403,   403,  403,  403, 302),
}

POSTS: dict[str, dict[str, str]] = {
    "comment_add": {"body": "گزارش‌ها کامل نیست", "year": "1403", "month": "3"},
    "remind": {"year": "1403", "month": "3"},
    "weights": WEIGHTS,
    "status_rules": {"on_track": "85", "at_risk": "60"},
}


def url_for(view: str, target: str, province: Any) -> str:
    if not target:
        return reverse(f"evaluation:{view}")
    pk = UNKNOWN_ID if target == "unknown" else Agency.objects.get(province=province,
                                                                   code=target).pk
    return reverse(f"evaluation:{view}", args=[pk])


@pytest.mark.django_db
def test_access(province: Any, other_province: Any) -> None:
    """Every row of MATRIX for every persona, each request in a savepoint rolled back
    afterwards."""
    personas = Personas()
    problems = []
    for (method, view, target), expected_row in MATRIX.items():
        url = url_for(view, target, province)
        answers = ask_everyone(personas, method, url,
                               POSTS.get(view, {}) if method == "POST" else None)
        for answer, expected in zip(answers, expected_row, strict=True):
            problem = answer.status_problem(expected)
            if (problem is None and method == "POST" and expected in (403, 404, LOGIN)
                    and answer.written):
                problem = f"a refused change wrote {answer.written} audit events"
            if problem:
                problems.append(f"{method} {url} ({view}, {target or '-'}) as "
                                f"{answer.persona}: {problem}")
    assert_no_problems(problems)


@pytest.mark.django_db
def test_refused_writes_change_nothing(province: Any, client_for: Any) -> None:
    agri = Agency.objects.get(province=province, code="agri")
    comments = EvaluationComment.objects.count()  # the demo province has some
    client_for("hq").post(reverse("evaluation:weights"), WEIGHTS)
    client_for("agri.head").post(reverse("evaluation:status_rules"),
                                 {"on_track": "50", "at_risk": "10"})
    client_for("imt.reporter").post(reverse("evaluation:comment_add", args=[agri.pk]),
                                    POSTS["comment_add"])
    client_for("agri.reporter").post(reverse("evaluation:comment_add", args=[agri.pk]),
                                     POSTS["comment_add"])
    assert not ScorecardWeight.objects.filter(province=province).exists()
    assert not StatusRule.objects.filter(province=province).exists()
    assert EvaluationComment.objects.count() == comments


@pytest.mark.django_db
def test_comments_are_seen_by_the_agency_and_the_secretariat_only(province: Any,
                                                                   client_for: Any) -> None:
    agri = Agency.objects.get(province=province, code="agri")
    body = "گزارش خرداد بدون مستندات است"
    response = client_for("evaluator").post(reverse("evaluation:comment_add", args=[agri.pk]),
                                            {"body": body, "year": "1403", "month": "3"})
    assert response.status_code == 302
    assert response["Location"].endswith("?year=1403&month=3#comments")
    comment = EvaluationComment.objects.get(body=body)
    assert (comment.agency, comment.period.year, comment.period.month) == (agri, 1403, 3)
    assert AuditEvent.objects.filter(event="evaluation_comment.added").exists()
    url = reverse("evaluation:scorecard", args=[agri.pk]) + "?year=1403&month=3"
    for persona in ("secretariat", "evaluator", "agri.reporter", "agri.head"):
        assert body in client_for(persona).get(url).content.decode(), persona
    for persona in ("hq", "chamber"):  # may see the scorecard, not the comments
        page = client_for(persona).get(url)
        assert page.status_code == 200
        assert body not in page.content.decode(), persona
    assert client_for("imt.reporter").get(url).status_code == 404
