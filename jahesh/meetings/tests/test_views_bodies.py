"""The bodies' pages: the secretariat makes and edits bodies and their members; readers see
them; bad input is told next to the field with nothing saved; others get 403 or 404."""

import pytest
from django.urls import reverse
from django.utils import translation

from jahesh.audit.models import AuditEvent
from jahesh.core.stale import STALE_RECORD
from jahesh.meetings.models import Body, BodyMember
from jahesh.meetings.tests.test_views_support import agency, make_body, who
from jahesh.plan.tests.views_support import tr

pytestmark = pytest.mark.django_db
LIST = reverse("meetings:body_list")
CREATE = reverse("meetings:body_create")


def body_data(**changes: object) -> dict:
    data = {"kind": "facilitation", "name": "ستاد تسهیل و رفع موانع تولید", "code": "ts2",
            "objection_days": "۱۰", "order": "1", "is_active": "on"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_secretariat_makes_a_body_and_edits_it(client_for, province) -> None:  # type: ignore[no-untyped-def]
    client = client_for("secretariat")
    assert client.get(CREATE).status_code == 200
    response = client.post(CREATE, body_data())
    body = Body.objects.get(province=province, code="TS2")
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:body_detail", args=[body.uid])
    assert (body.kind, body.objection_days) == ("facilitation", 10)
    assert AuditEvent.objects.filter(event="meeting_body.created", target_id=str(body.pk)).exists()
    edit = reverse("meetings:body_edit", args=[body.uid])
    response = client.post(edit, body_data(name="ستاد تسهیل استان", version=body.version,
                                           objection_days=""))
    assert response.status_code == 302
    body.refresh_from_db()
    assert (body.name, body.objection_days, body.version) == ("ستاد تسهیل استان", None, 2)


def test_bad_input_is_told_next_to_the_field_and_nothing_is_saved(client_for, province) -> None:  # type: ignore[no-untyped-def]
    make_body(province, code="TV")
    client = client_for("secretariat")
    before = Body.objects.count()
    response = client.post(CREATE, body_data(name="  ", code="۱۲ab", objection_days="200"))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"name", "code", "objection_days"}
    page = response.content.decode()
    assert "پر کردن این فیلد الزامی است." in page  # Persian, beside the field
    assert 'id="id_code_error"' in page and 'id="id_objection_days_error"' in page
    response = client.post(CREATE, body_data(code="tv"))
    assert response.status_code == 400
    assert "code" in response.context["form"].errors
    with translation.override("en"):
        response = client.post(CREATE, body_data(code="tv"))
        assert response.context["form"].errors["code"] == [
            tr("Another body of the province has this code.")]
    assert Body.objects.count() == before


def test_a_stale_edit_is_reported_not_saved(client_for, province) -> None:  # type: ignore[no-untyped-def]
    body = make_body(province)
    client = client_for("secretariat")
    edit = reverse("meetings:body_edit", args=[body.uid])
    client.post(edit, body_data(code="TV", name="نام اول", version=body.version))
    response = client.post(edit, body_data(code="TV", name="نام دوم", version=body.version))
    assert response.status_code == 400
    assert str(STALE_RECORD) in response.content.decode()
    assert Body.objects.get(pk=body.pk).name == "نام اول"


def test_members_are_added_and_changed(client_for, province) -> None:  # type: ignore[no-untyped-def]
    body = make_body(province)
    client = client_for("secretariat")
    url = reverse("meetings:member_set", args=[body.uid])
    evaluator = who("evaluator")
    response = client.post(url, {"member-person": evaluator.pk, "member-role": "member",
                                 "member-agency": agency(province, "mpo").pk,
                                 "member-is_active": "on"})
    assert response.status_code == 302
    seat = BodyMember.objects.get(body=body, person=evaluator)
    assert (seat.role, seat.agency.code, seat.is_active) == ("member", "mpo", True)
    client.post(url, {"member-person": evaluator.pk, "member-role": "member"})
    seat.refresh_from_db()
    assert not seat.is_active
    page = client.get(reverse("meetings:body_detail", args=[body.uid])).content.decode()
    assert str(evaluator) in page
    # No person chosen: told beside the field, nothing saved.
    count = BodyMember.objects.count()
    response = client.post(url, {"member-role": "member"})
    assert response.status_code == 400
    assert "person" in response.context["member_form"].errors
    assert BodyMember.objects.count() == count


@pytest.mark.parametrize(("username", "list_status", "detail_status"), [
    ("secretariat", 200, 200), ("hq", 200, 200), ("governor", 200, 200),
    ("chamber", 200, 404), ("agri.reporter", 403, 404), ("evaluator", 403, 404),
    ("outsider", 200, 404),
])
def test_who_sees_the_bodies(client_for, province, other_province, username, list_status,
                             detail_status) -> None:  # type: ignore[no-untyped-def]
    body = make_body(province, members=())
    client = client_for(username)
    response = client.get(LIST)
    assert response.status_code == list_status
    if list_status == 200:
        assert (body in list(response.context["bodies"])) == (detail_status == 200)
    assert client.get(reverse("meetings:body_detail", args=[body.uid])).status_code == \
        detail_status


def test_the_chamber_sees_the_chamber_body_only(client_for, province) -> None:  # type: ignore[no-untyped-def]
    chamber_body = make_body(province, code="KV2", kind="chamber_group", name="کارگروه اتاق")
    other = make_body(province, code="TV")
    client = client_for("chamber")
    assert client.get(reverse("meetings:body_detail", args=[chamber_body.uid])).status_code == 200
    assert client.get(reverse("meetings:body_detail", args=[other.uid])).status_code == 404


@pytest.mark.parametrize("username", ["hq", "governor", "chamber", "agri.head"])
def test_only_the_secretariat_changes_bodies(client_for, province, username) -> None:  # type: ignore[no-untyped-def]
    body = make_body(province, code="KV3", kind="chamber_group")
    client = client_for(username)
    expected = 403
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, body_data()).status_code == 403
    edit = client.post(reverse("meetings:body_edit", args=[body.uid]), body_data(code="KV3"))
    member = client.post(reverse("meetings:member_set", args=[body.uid]),
                         {"member-person": who("evaluator").pk, "member-role": "member"})
    visible = username != "agri.head"
    assert edit.status_code == (expected if visible else 404)
    assert member.status_code == (expected if visible else 404)
    assert not Body.objects.filter(code="TS2").exists()
    assert not BodyMember.objects.filter(body=body, person=who("evaluator")).exists()


def test_another_provinces_secretariat_cannot_touch_ours(client_for, province, other_province) -> None:  # type: ignore[no-untyped-def]
    body = make_body(province)
    client = client_for("outsider")
    assert client.get(reverse("meetings:body_edit", args=[body.uid])).status_code == 404
    assert client.post(reverse("meetings:member_set", args=[body.uid]),
                       {"member-person": who("hq").pk}).status_code == 404
    assert client.get(reverse("meetings:meeting_create", args=[body.uid])).status_code == 404
