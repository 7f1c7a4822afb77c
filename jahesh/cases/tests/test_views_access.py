"""Who sees a case's page and who may take each step: 404 for those who may not see it, 403
for those who see it but may not act."""

import pytest
from django.urls import reverse
from django.utils import translation

from jahesh.cases import services
from jahesh.cases.models import Case, CaseState
from jahesh.cases.tests.case_support import agency, assigned_case, open_case, who

pytestmark = pytest.mark.django_db


def detail(case) -> str:  # type: ignore[no-untyped-def]
    return reverse("cases:case_detail", args=[case.uid])


def step(case, name: str) -> str:  # type: ignore[no-untyped-def]
    return reverse("cases:case_step", args=[case.uid, name])


@pytest.mark.parametrize(("username", "status"), [
    ("secretariat", 200), ("hq", 200), ("evaluator", 200), ("agri.reporter", 200),
    ("agri.head", 200), ("imt.reporter", 404), ("chamber", 404), ("outsider", 404),
])
def test_who_sees_an_assigned_case(client_for, province, other_province, username, status) -> None:  # type: ignore[no-untyped-def]
    case = assigned_case(province)
    response = client_for(username).get(detail(case))
    assert response.status_code == status


def test_a_collaborating_agency_sees_it_and_may_add_notes_only(client_for, province) -> None:  # type: ignore[no-untyped-def]
    case = assigned_case(province)
    services.case_set_collaborators(case=case, agencies=[agency(province, "imt")],
                                    acting_user=who("secretariat"))
    client = client_for("imt.reporter")
    page = client.get(detail(case))
    assert page.status_code == 200
    assert "note" in page.context["forms"] and "respond" not in page.context["forms"]
    assert client.post(step(case, "respond"), {"respond-text": "x"}).status_code == 403
    response = client.post(step(case, "note"), {"note-body": "همکاری می‌کنیم",
                                                  "note-visibility": "internal"})
    assert response.status_code == 302


def test_the_chamber_sees_its_own_demand_with_public_notes_only(client_for, province) -> None:  # type: ignore[no-untyped-def]
    case = assigned_case(province, by="chamber")
    services.note_add(case=case, body="یادداشت داخلی محرمانه", visibility="internal",
                      acting_user=who("agri.reporter"))
    services.note_add(case=case, body="یادداشت عمومی", visibility="public",
                      acting_user=who("agri.reporter"))
    client = client_for("chamber")
    page = client.get(detail(case))
    assert page.status_code == 200
    text = page.content.decode()
    assert "یادداشت عمومی" in text and "یادداشت داخلی محرمانه" not in text
    assert page.context["forms"] == {}
    assert client.post(step(case, "note"), {"note-body": "x",
                                            "note-visibility": "public"}).status_code == 403


@pytest.mark.parametrize(("username", "name", "status"), [
    ("hq", "respond", 403), ("evaluator", "resolve", 403), ("imt.reporter", "respond", 404),
    ("agri.reporter", "escalate_hq", 403), ("agri.reporter", "reassign", 403),
    ("agri.head", "escalate_national", 403), ("outsider", "resolve", 404),
    ("agri.reporter", "no-such-step", 404),
])
def test_steps_refused(client_for, province, other_province, username, name, status) -> None:  # type: ignore[no-untyped-def]
    case = assigned_case(province)
    response = client_for(username).post(step(case, name), {
        f"{name}-text": "x", f"{name}-reason": "x", f"{name}-body": "x",
        f"{name}-agency": agency(province, "imt").pk, f"{name}-version": case.version,
        f"{name}-state": case.state})
    assert response.status_code == status
    assert Case.objects.get(pk=case.pk).state == CaseState.ASSIGNED


def test_a_new_case_is_the_secretariats_alone(client_for, province) -> None:  # type: ignore[no-untyped-def]
    case = open_case(province)
    assert client_for("agri.reporter").get(detail(case)).status_code == 404
    assert client_for("hq").post(step(case, "accept"), {}).status_code == 403
    page = client_for("secretariat").get(detail(case))
    assert set(page.context["forms"]) >= {"accept", "merge", "reject", "note"}
    assert page.context["forms"]["accept"].initial["agency"] == agency(province, "agri").pk


def test_the_agency_answers_through_the_page(client_for, province) -> None:  # type: ignore[no-untyped-def]
    case = assigned_case(province)
    client = client_for("agri.reporter")
    response = client.post(step(case, "respond"), {
        "respond-text": "کارشناس اعزام شد", "respond-version": case.version,
        "respond-state": case.state})
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).state == CaseState.RESPONDED


def test_a_step_on_an_old_page_changes_nothing(client_for, province) -> None:  # type: ignore[no-untyped-def]
    case = assigned_case(province)
    seen = case.version
    services.case_respond(case=case, text="پاسخ", acting_user=who("agri.head"))
    client = client_for("agri.reporter")
    response = client.post(step(case, "resolve"), {
        "resolve-text": "حل شد", "resolve-version": seen, "resolve-state": "assigned"},
        follow=True)
    assert response.status_code == 200
    assert Case.objects.get(pk=case.pk).state == CaseState.RESPONDED
    assert any(m.level_tag == "warning" for m in response.context["messages"])


def test_bad_input_is_told_next_to_the_field_and_nothing_changes(client_for, province) -> None:  # type: ignore[no-untyped-def]
    case = open_case(province)
    client = client_for("secretariat")
    with translation.override("en"):
        response = client.post(step(case, "reject"), {
            "reject-reason": "", "reject-version": case.version, "reject-state": "new"})
        assert response.status_code == 400
        assert response.context["forms"]["reject"].errors["reason"]
        response = client.post(step(case, "merge"), {
            "merge-into": "1300-99999", "merge-version": case.version, "merge-state": "new"})
        assert response.status_code == 400
        # The page speaks Persian: "no case of this province has this reference".
        assert "پرونده‌ای با این شماره در این استان وجود ندارد." in \
            response.context["forms"]["merge"].errors["into"]
    assert Case.objects.get(pk=case.pk).state == CaseState.NEW


def test_triage_from_the_queue_returns_to_the_queue(client_for, province) -> None:  # type: ignore[no-untyped-def]
    original = open_case(province, title="قطعی برق شهرک سلیمی تبریز")
    duplicate = open_case(province, title="قطعی برق در شهرک سلیمی تبریز")
    client = client_for("secretariat")
    page = client.get(reverse("cases:triage"))
    assert page.status_code == 200
    row = next(r for r in page.context["rows"] if r["case"].pk == duplicate.pk)
    assert original.pk in [c.pk for c in row["suggestions"]]
    response = client.post(step(duplicate, "merge"), {
        "merge-into": f"{original.year}-{original.number}", "merge-version": duplicate.version,
        "merge-state": "new", "next": reverse("cases:triage")})
    assert response.status_code == 302 and response["Location"] == reverse("cases:triage")
    assert Case.objects.get(pk=duplicate.pk).duplicate_of_id == original.pk
    response = client.post(step(original, "accept"), {
        "accept-agency": agency(province, "imt").pk, "accept-category": original.category_id,
        "accept-version": original.version, "accept-state": "new"})
    assert response.status_code == 302
    assert Case.objects.get(pk=original.pk).responsible_agency.code == "imt"
    assert client_for("agri.head").get(reverse("cases:triage")).status_code == 403


def test_the_requester_confirms_on_the_page(client_for, province) -> None:  # type: ignore[no-untyped-def]
    case = assigned_case(province, by="chamber")
    case = services.case_resolve(case=case, text="حل شد", acting_user=who("agri.reporter"))
    client = client_for("chamber")
    assert set(client.get(detail(case)).context["forms"]) == {"confirm", "reopen"}
    response = client.post(step(case, "reopen"), {
        "reopen-reason": "حل نشده", "reopen-version": case.version, "reopen-state": "resolved"})
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).reopen_count == 1
    assert client_for("agri.reporter").post(step(case, "confirm"), {}).status_code == 403


def test_anonymous_people_are_sent_to_log_in(client, province) -> None:  # type: ignore[no-untyped-def]
    case = open_case(province)
    assert client.get(detail(case)).status_code == 302
    assert client.get(reverse("cases:case_list")).status_code == 302
