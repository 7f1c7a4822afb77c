"""The chamber working group's pages: its own demands only (with public notes only), a new
demand for a sector, confirming or reopening its resolved demand; nobody else uses them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from jahesh.cases import channel_services, services
from jahesh.cases.models import CaseKind, CaseState, Channel, NoteVisibility
from jahesh.cases.tests import case_support
from jahesh.cases.tests import channels_support as support
from jahesh.organisation import services as org
from jahesh.organisation.models import Sector

LIST = reverse("cases:chamber_demands")
NEW = reverse("cases:chamber_demand_create")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def category(province):  # type: ignore[no-untyped-def]
    return case_support.category(province)


@pytest.fixture
def sector(province):  # type: ignore[no-untyped-def]
    return Sector.objects.get(province=province, code="industry")


@pytest.fixture
def colleague(province):  # type: ignore[no-untyped-def]
    """A second member of the chamber working group."""
    member = org.person_create(acting_user=None, province=province, username="chamber2",
                               password="another-long-password")
    org.role_grant(person=member, kind="chamber", province=province, acting_user=None)
    return member


def demand(province, sector, category, who, title="کاهش تعرفه برق صنایع"):  # type: ignore[no-untyped-def]
    return channel_services.demand_submit(
        province=province, sector=sector, category=category, title=title,
        description="تعرفه برق صنایع کوچک کاهش یابد.", acting_user=who)


def test_a_demand_is_opened_for_a_sector_with_its_attachment(client_for, province, sector,  # type: ignore[no-untyped-def]
                                                              category, person, media):
    before = support.Baseline()
    unit = support.unit(province, nid=support.national_id())
    client = client_for("chamber")
    assert client.get(NEW).status_code == 200
    response = client.post(NEW, {
        "sector": sector.pk, "category": category.pk, "title": "تسهیل صادرات",
        "description": "کارت بازرگانی دیر صادر می‌شود", "unit": str(unit.pk),
        "attachment": support.pdf("letter.pdf"),
    })
    case = before.cases().get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:chamber_demand_detail", args=[case.uid])
    assert (case.kind, case.channel, case.state) == (CaseKind.DEMAND, Channel.CHAMBER,
                                                     CaseState.NEW)
    assert case.sector == sector and case.unit == unit
    assert case.requested_by == person("chamber") and case.created_by == person("chamber")
    assert case.attachments.get().visibility == NoteVisibility.PUBLIC
    # Missing sector or an .exe renamed .pdf: said next to the field, nothing opened.
    client.cookies["jahesh_language"] = "en"
    response = client.post(NEW, {"category": category.pk, "title": "x", "description": "y",
                                 "attachment": support.text_file("virus.pdf")})
    errors = response.context["form"].errors
    with translation.override("en"):
        assert "sector" in errors and "is not accepted" in errors["attachment"][0]
    assert before.cases().count() == 1 and len(support.files_under(media)) == 1


def test_a_member_sees_only_their_own_demands(client_for, province, sector, category,  # type: ignore[no-untyped-def]
                                              person, colleague):
    mine = demand(province, sector, category, person("chamber"), "مطالبه آزمون من")
    theirs = demand(province, sector, category, colleague, "مطالبه آزمون همکار")
    secretariat_case = case_support.open_case(province, title="پرونده آزمون دبیرخانه")
    client = client_for("chamber")
    listed = list(client.get(LIST).context["page"].paginator.object_list)
    assert mine in listed and theirs not in listed and secretariat_case not in listed
    assert {c.requested_by_id for c in listed} == {person("chamber").pk}
    assert client.get(reverse("cases:chamber_demand_detail", args=[theirs.uid])).status_code \
        == 404
    # Filters.
    assert list(client.get(LIST, {"q": "آزمون"}).context["page"]) == [mine]
    other = Sector.objects.get(province=province, code="agriculture")
    assert mine not in client.get(LIST, {"sector": other.pk}).context["page"].object_list
    assert mine in client.get(LIST, {"sector": sector.pk, "q": "آزمون"}).context["page"]
    assert mine in client.get(LIST, {"state": "waiting", "q": "آزمون"}).context["page"]
    assert not list(client.get(LIST, {"state": "resolved", "q": "آزمون"}).context["page"])


def test_nobody_else_uses_the_chamber_pages(client_for, province, sector, category, person,  # type: ignore[no-untyped-def]
                                            other_province):
    mine = demand(province, sector, category, person("chamber"))
    detail = reverse("cases:chamber_demand_detail", args=[mine.uid])
    for who in ("secretariat", "hq", "evaluator", "agri.head", "agri.reporter", "outsider"):
        client = client_for(who)
        assert client.get(LIST).status_code == 403, who
        assert client.get(NEW).status_code == 403, who
        assert client.get(detail).status_code == 403, who
    assert client_for("chamber").get(detail).status_code == 200


def test_the_member_sees_public_notes_only(client_for, province, sector, category, person):  # type: ignore[no-untyped-def]
    case = demand(province, sector, category, person("chamber"))
    case = services.case_accept(case=case, agency=case_support.agency(province, "agri"),
                                acting_user=person("secretariat"))
    services.note_add(case=case, body="پاسخ عمومی دستگاه", visibility=NoteVisibility.PUBLIC,
                      acting_user=person("agri.reporter"))
    services.note_add(case=case, body="بحث داخلی کارشناسان", visibility=NoteVisibility.INTERNAL,
                      acting_user=person("agri.reporter"))
    hidden = services.attachment_add(case=case, upload=support.pdf("internal.pdf"),
                                     visibility=NoteVisibility.INTERNAL,
                                     acting_user=person("agri.reporter"))
    page = client_for("chamber").get(reverse("cases:chamber_demand_detail", args=[case.uid]))
    text = page.content.decode()
    assert "پاسخ عمومی دستگاه" in text
    assert "بحث داخلی کارشناسان" not in text and "internal.pdf" not in text
    assert client_for("chamber").get(reverse("cases:chamber_attachment",
                                             args=[case.uid, hidden.pk])).status_code == 404


def test_the_member_confirms_or_reopens_their_resolved_demand(client_for, province, sector,  # type: ignore[no-untyped-def]
                                                              category, person, colleague):
    def resolved(title):  # type: ignore[no-untyped-def]
        case = demand(province, sector, category, person("chamber"), title)
        case = services.case_accept(case=case, agency=case_support.agency(province, "agri"),
                                    acting_user=person("secretariat"))
        return services.case_resolve(case=case, text="انجام شد",
                                     acting_user=person("agri.reporter"))

    first, second = resolved("اول"), resolved("دوم")
    client = client_for("chamber")
    page = client.get(reverse("cases:chamber_demand_detail", args=[first.uid]))
    assert "confirm_form" in page.context
    client.post(reverse("cases:chamber_demand_confirm", args=[first.uid]),
                {"version": first.version})
    client.post(reverse("cases:chamber_demand_reopen", args=[second.uid]),
                {"version": second.version, "reason": "هنوز حل نشده"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == CaseState.CLOSED and second.state == CaseState.ASSIGNED
    assert first.steps.get(action="confirm").actor == person("chamber")
    # Another member may not answer for them (404: not theirs to see).
    third = resolved("سوم")
    other = client_for("chamber2")
    assert other.post(reverse("cases:chamber_demand_confirm", args=[third.uid]),
                      {"version": third.version}).status_code == 404
    # A demand that is not resolved cannot be confirmed (403).
    assert client.post(reverse("cases:chamber_demand_confirm", args=[second.uid]),
                       {"version": second.version}).status_code == 403
    third.refresh_from_db()
    assert third.state == CaseState.RESOLVED


def test_the_list_costs_the_same_queries_for_more_demands(client_for, province, sector,  # type: ignore[no-untyped-def]
                                                          category, person):
    demand(province, sector, category, person("chamber"))
    client = client_for("chamber")
    client.get(LIST)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for n in range(8):
        case = demand(province, sector, category, person("chamber"), f"مطالبه {n}")
        services.case_accept(case=case, agency=case_support.agency(province, "agri"),
                             acting_user=person("secretariat"))
    with CaptureQueriesContext(connection) as many:
        client.get(LIST)
    assert len(many) == len(few)
