"""Queries per page are pinned, and the same for a little data and a lot: no N+1.

Each page costs, before its own work: the session, the user and the user's roles (3). The first
request of a session also stamps it (IdleSessionMiddleware); each test makes one before counting.
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jahesh.plan import services
from jahesh.plan.models import ProgrammeState
from jahesh.plan.tests.views_support import MARK, make_programme, person

LIST = reverse("plan:programme_list")
# 3 · province · count · page with agencies · key actions, projects, indicators, required
# actions (the quality score) · key actions of the filter form · and either the filter form's
# agencies (province-wide readers) or the agencies the person may create programmes for.
LIST_QUERIES = {"secretariat": 13, "agri.reporter": 13}
# 3 · the programme as the policy sees it · the programme with its agency and responsible
# person · key actions, axes, industries, supporting agencies · projects with key action and
# county, indicators, trajectories, required actions with owners · comments, change requests ·
# the programme's audit history
DETAIL_QUERIES = {"secretariat": 17, "agri.reporter": 17}


def warm(client) -> None:  # type: ignore[no-untyped-def]
    client.get(reverse("home"))


def count_queries(client, url: str, params: dict | None = None) -> tuple[int, list[str]]:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries), [q["sql"] for q in queries.captured_queries]


def test_the_programme_list_costs_the_same_for_one_or_a_full_page(client_for, province):  # type: ignore[no-untyped-def]
    """For each persona of LIST_QUERIES (the programmes are built once for all of them)."""
    clients = {persona: client_for(persona) for persona in LIST_QUERIES}
    for client in clients.values():
        warm(client)
    make_programme(province, title=f"برنامه تنها {MARK} ۱۰ تن")
    few = {persona: count_queries(client, LIST, {"q": MARK})[0]
           for persona, client in clients.items()}
    for n in range(30):
        make_programme(province, title=f"برنامه {MARK} شماره {n} ۱۰ تن", projects=3,
                       indicators=2, actions=2,
                       state=[ProgrammeState.DRAFT, ProgrammeState.SUBMITTED][n % 2])
    for persona, client in clients.items():
        many, sql = count_queries(client, LIST, {"q": MARK})
        assert few[persona] == many == LIST_QUERIES[persona], (persona, "\n".join(sql))
        # Filters add no query.
        filtered, _ = count_queries(client, LIST,
                                    {"q": MARK, "state": "draft", "level": "operational"})
        assert filtered == LIST_QUERIES[persona], persona


def test_a_programme_costs_the_same_with_one_project_or_many(client_for, province):  # type: ignore[no-untyped-def]
    """For each persona of DETAIL_QUERIES (the programmes are built once for all of them)."""
    clients = {persona: client_for(persona) for persona in DETAIL_QUERIES}
    for client in clients.values():
        warm(client)
    small = make_programme(province, title=f"کوچک {MARK} ۱۰ تن")
    big = make_programme(province, title=f"بزرگ {MARK} ۱۰ تن", projects=8, indicators=3,
                         actions=3)
    for n in range(5):
        services.programme_comment(programme=big.programme, acting_user=person("evaluator"),
                                   body=f"نظر {n}")
    services.programme_update(programme=big.programme, acting_user=person("agri.reporter"),
                              responsible=person("agri.head"))
    for persona, client in clients.items():
        few, _ = count_queries(client, reverse("plan:programme_detail", args=[small.programme.pk]))
        many, sql = count_queries(client,
                                  reverse("plan:programme_detail", args=[big.programme.pk]))
        assert few == many == DETAIL_QUERIES[persona], (persona, "\n".join(sql))


def test_the_submission_overview_costs_the_same_for_any_number_of_programmes(  # type: ignore[no-untyped-def]
    client_for, province
):
    client = client_for("secretariat")
    url = reverse("plan:submissions")
    client.get(url)  # stamps the session; the year's settings row is created on first use
    few, _ = count_queries(client, url)
    for code in ("agri", "imt", "water", "power"):
        make_programme(province, code=code, state=ProgrammeState.SUBMITTED, projects=2)
    many, sql = count_queries(client, url)
    # session, user, roles · province · agencies with counts · programmes, key actions,
    # projects, indicators, required actions (quality scores) · the year's deadline
    assert few == many == 12, "\n".join(sql)


def test_the_settings_page_costs_a_fixed_number_of_queries(client_for, province):  # type: ignore[no-untyped-def]
    client = client_for("hq")
    warm(client)
    before, _ = count_queries(client, reverse("plan:settings"))
    for n in range(5):
        services.industry_save(province=province, acting_user=None, title=f"صنعت نمونه {n}")
        services.axis_save(province=province, acting_user=None, number=80 + n,
                           title=f"محور نمونه {n}")
    after, sql = count_queries(client, reverse("plan:settings"))
    # session, user, roles · province · key actions (with use) · years · next year · axes ·
    # industries
    assert before == after == 10, "\n".join(sql)
