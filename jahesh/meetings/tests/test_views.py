"""The HQ agenda backlog: the secretariat and HQ members see every candidate with its source
and case; a chamber member sees their own proposals; the chamber and the secretariat propose;
nobody else."""

import pytest
from django.urls import reverse

from jahesh.audit.models import AuditEvent
from jahesh.cases import services as case_services
from jahesh.cases.services import case_url
from jahesh.cases.tests import case_support
from jahesh.meetings import services
from jahesh.meetings.models import AgendaCandidate, CandidateSource, CandidateState

LIST = reverse("meetings:candidate_list")
PROPOSE = reverse("meetings:candidate_propose")


@pytest.fixture
def backlog(province, person):  # type: ignore[no-untyped-def]
    case = case_support.assigned_case(province)
    case_services.case_escalate_hq(case=case, reason="بین‌دستگاهی", acting_user=person("secretariat"))
    chamber = services.propose(province=province, source=CandidateSource.CHAMBER,
                               title="پیشنهاد اتاق", acting_user=person("chamber"))
    secretariat = services.propose(province=province, source=CandidateSource.SECRETARIAT,
                                   title="پیشنهاد دبیرخانه", acting_user=person("secretariat"))
    return {"case": case, "chamber": chamber, "secretariat": secretariat}


def test_the_secretariat_and_hq_see_every_candidate_with_its_case(client_for, backlog):  # type: ignore[no-untyped-def]
    for who in ("secretariat", "hq"):
        page = client_for(who).get(LIST)
        assert page.status_code == 200
        rows = {c.pk for c in page.context["page"]}
        assert rows >= {backlog["chamber"].pk, backlog["secretariat"].pk,
                        backlog["case"].agenda_candidate.pk}
        assert case_url(backlog["case"]) in page.content.decode()
    only_chamber = list(client_for("hq").get(LIST, {"source": "chamber"}).context["page"])
    assert backlog["chamber"] in only_chamber
    assert {c.source for c in only_chamber} == {CandidateSource.CHAMBER}


def test_the_chamber_sees_its_own_proposals(client_for, backlog):  # type: ignore[no-untyped-def]
    page = client_for("chamber").get(LIST)
    rows = list(page.context["page"])
    assert backlog["chamber"] in rows and backlog["secretariat"] not in rows
    assert {c.proposed_by.username for c in rows} == {"chamber"}
    assert "source" not in page.context["form"].fields


def test_the_chamber_and_the_secretariat_propose(client_for, province, person):  # type: ignore[no-untyped-def]
    for who, source in (("chamber", CandidateSource.CHAMBER),
                        ("secretariat", CandidateSource.SECRETARIAT)):
        response = client_for(who).post(PROPOSE, {"title": f"موضوع {who}", "description": "…"})
        assert response.status_code == 302
        candidate = AgendaCandidate.objects.get(title=f"موضوع {who}")
        assert (candidate.source, candidate.state, candidate.proposed_by) == (
            source, CandidateState.PROPOSED, person(who))
        assert AuditEvent.objects.filter(event="agenda_candidate.proposed",
                                         target_id=str(candidate.pk)).exists()
    response = client_for("chamber").post(PROPOSE, {"title": "  ", "description": ""})
    assert response.status_code == 200 and response.context["form"].errors["title"]


def test_an_agency_head_proposes_for_the_agency_and_sees_only_their_own(client_for, province, backlog, person):  # type: ignore[no-untyped-def]
    client = client_for("agri.head")
    response = client.post(PROPOSE, {"title": "تأمین نهاده دامی", "description": "کمبود علوفه"})
    assert response.status_code == 302
    candidate = AgendaCandidate.objects.get(title="تأمین نهاده دامی")
    head = person("agri.head")
    assert candidate.source == CandidateSource.AGENCY
    assert candidate.agency == head.roles.get(kind="approver").agency
    rows = list(client.get(LIST).context["page"])
    assert rows == [candidate]
    # The secretariat sees it with the rest of the backlog.
    assert candidate in list(client_for("secretariat").get(LIST, {"source": "agency"})
                             .context["page"])


@pytest.mark.parametrize("who", ["agri.reporter", "evaluator"])
def test_nobody_else_sees_or_proposes(client_for, who, backlog):  # type: ignore[no-untyped-def]
    count = AgendaCandidate.objects.count()
    client = client_for(who)
    assert client.get(LIST).status_code == 403
    assert client.get(PROPOSE).status_code == 403
    assert client.post(PROPOSE, {"title": "x"}).status_code == 403
    assert AgendaCandidate.objects.count() == count


def test_hq_members_read_but_do_not_propose(client_for, backlog):  # type: ignore[no-untyped-def]
    assert client_for("hq").get(PROPOSE).status_code == 403


def test_another_provinces_secretariat_sees_only_its_own(client_for, backlog, other_province):  # type: ignore[no-untyped-def]
    client = client_for("outsider")
    assert not list(client.get(LIST).context["page"])
    client.post(PROPOSE, {"title": "موضوع استان دیگر"})
    assert AgendaCandidate.objects.get(title="موضوع استان دیگر").province == \
        other_province["province"]


def test_each_item_links_to_where_it_came_from_without_a_query_per_row(  # type: ignore[no-untyped-def]
        client_for, province, backlog, django_assert_max_num_queries):
    from django.urls import reverse as url

    from jahesh.organisation.models import Agency
    from jahesh.plan.models import Project

    project = Project.objects.filter(programme__province=province).first()
    agri = Agency.objects.get(province=province, code="agri")
    AgendaCandidate.objects.create(province=province, source=CandidateSource.PROGRESS,
                                   title="پروژه عقب از برنامه", project=project)
    AgendaCandidate.objects.create(province=province, source=CandidateSource.REPORTING,
                                   title="دستگاه بدون گزارش", agency=agri)
    client = client_for("secretariat")
    client.get(LIST)
    with django_assert_max_num_queries(12):
        page = client.get(LIST).content.decode()
    assert url("dashboards:project", args=[project.uid]) in page
    assert url("dashboards:agency", args=[agri.code]) in page
    assert case_url(backlog["case"]) in page
