"""A progress report's blocker becomes a case with one action, linked both ways, once."""

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jahesh.cases import services
from jahesh.cases.models import Case, CaseState, Channel
from jahesh.cases.permissions import cases as case_policy
from jahesh.cases.tests.case_support import category
from jahesh.organisation.access import actor_for
from jahesh.progress import services as progress
from jahesh.progress.models import Blocker
from jahesh.progress.tests.support import (
    _media,  # noqa: F401
    _no_reopenings,  # noqa: F401
    agency,
    demo_report,
    on,
    who,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_bahmans_window():  # type: ignore[no-untyped-def]
    with on(1403, 12, 5):
        yield


def report_with_blockers(province, *blockers):  # type: ignore[no-untyped-def]
    report = demo_report(province)
    progress.report_save(report=report, acting_user=who("agri.reporter"), values={},
                         action_states={}, achieved="x", next_steps="y", explanation="z",
                         blockers=list(blockers))
    return report


def test_a_blocker_becomes_a_case_once(province) -> None:  # type: ignore[no-untyped-def]
    category(province, code="other", name="سایر", agency_code=None)
    report = report_with_blockers(province, ("تامین آب چاه", agency(province, "water")))
    blocker = Blocker.objects.get(report=report)
    case = services.case_from_blocker(blocker=blocker, acting_user=who("secretariat"))
    assert case.channel == Channel.REPORT_BLOCKER and case.state == CaseState.NEW
    assert case.unit is None and case.requested_by is None
    assert case.requester_name == report.agency.name
    assert case.project_id == report.project_id and case.key_action_id == report.key_action_id
    assert case.category.code == "other" and case.title == "تامین آب چاه"
    assert Blocker.objects.get(pk=blocker.pk).case == case
    again = services.case_from_blocker(blocker=blocker, acting_user=who("secretariat"))
    assert again.pk == case.pk and Case.objects.filter(blocker=blocker).count() == 1


def test_a_blocker_that_became_a_case_survives_the_reports_next_save(province) -> None:  # type: ignore[no-untyped-def]
    category(province, code="other", name="سایر", agency_code=None)
    report = report_with_blockers(province, ("تامین آب چاه", agency(province, "water")),
                                  ("کمبود نیرو", None))
    linked = Blocker.objects.get(report=report, description="تامین آب چاه")
    case = services.case_from_blocker(blocker=linked, acting_user=who("secretariat"),
                                      agency=agency(province, "water"))
    assert case.state == CaseState.ASSIGNED and case.responsible_agency.code == "water"
    progress.report_save(report=report, acting_user=who("agri.reporter"), values={},
                         action_states={}, achieved="x", next_steps="y", explanation="z",
                         blockers=[("مانع تازه", None)])
    left = set(Blocker.objects.filter(report=report).values_list("description", flat=True))
    assert left == {"تامین آب چاه", "مانع تازه"}
    assert Case.objects.get(pk=case.pk).blocker_id == linked.pk


def test_the_reporting_agency_follows_the_case_as_its_requester(province) -> None:  # type: ignore[no-untyped-def]
    category(province, code="other", name="سایر", agency_code=None)
    report = report_with_blockers(province, ("تامین آب چاه", agency(province, "water")))
    case = services.case_from_blocker(blocker=Blocker.objects.get(report=report),
                                      acting_user=who("secretariat"),
                                      agency=agency(province, "water"))
    reporter = actor_for(who("agri.reporter"))
    assert case_policy.visible(reporter).filter(pk=case.pk).exists()
    assert not case_policy.may_see_internal(reporter, case)
    case = services.case_resolve(case=case, text="حل شد", acting_user=who("water.reporter"))
    assert case_policy.may_confirm(reporter, case)
    assert not case_policy.visible(actor_for(who("imt.reporter"))).filter(pk=case.pk).exists()


def test_the_secretariat_makes_it_a_case_from_the_report_page(client_for, province) -> None:  # type: ignore[no-untyped-def]
    category(province, code="other", name="سایر", agency_code=None)
    report = report_with_blockers(province, ("تامین آب چاه", agency(province, "water")))
    blocker = Blocker.objects.get(report=report)
    page_url = reverse("progress:report_detail", args=[report.uid])
    client = client_for("secretariat")
    assert 'data-testid="make-case"' in client.get(page_url).content.decode()
    url = reverse("cases:case_from_blocker", args=[blocker.pk])
    assert client_for("agri.reporter").post(url).status_code == 403
    assert client_for("imt.reporter").post(url).status_code == 404
    response = client.post(url)
    case = Case.objects.get(blocker=blocker)
    assert response["Location"] == reverse("cases:case_detail", args=[case.uid])
    assert client.post(url)["Location"] == response["Location"]
    page = client.get(page_url).content.decode()
    assert 'data-testid="blocker-case"' in page and 'data-testid="make-case"' not in page
    detail = client.get(response["Location"])
    assert 'data-testid="blocker-link"' in detail.content.decode()
    assert detail.context["forms"]["accept"].initial["agency"] == agency(province, "water").pk


def test_without_any_category_the_secretariat_is_told(client_for, province) -> None:  # type: ignore[no-untyped-def]
    report = report_with_blockers(province, ("تامین آب چاه", None))
    blocker = Blocker.objects.get(report=report)
    from jahesh.cases.models import Category

    Category.objects.filter(province=province).update(is_active=False)
    with pytest.raises(services.WorkflowError):
        services.case_from_blocker(blocker=blocker, acting_user=who("secretariat"))


def test_blockers_read_with_their_case_cost_no_query_for_the_links(province) -> None:  # type: ignore[no-untyped-def]
    category(province, code="other", name="سایر", agency_code=None)
    report = report_with_blockers(province, ("الف", None), ("ب", None))
    services.case_from_blocker(blocker=Blocker.objects.filter(report=report).first(),
                               acting_user=who("secretariat"))
    template = Template("{% load case_tags %}{% blocker_cases blockers as links %}"
                        "{{ links|length }}")
    joined = list(Blocker.objects.filter(report=report).select_related("case"))
    with CaptureQueriesContext(connection) as queries:
        assert template.render(Context({"blockers": joined})) == "1"
    assert len(queries) == 0
    plain = list(Blocker.objects.filter(report=report))
    with CaptureQueriesContext(connection) as queries:
        assert template.render(Context({"blockers": plain})) == "1"
    assert len(queries) == 1
