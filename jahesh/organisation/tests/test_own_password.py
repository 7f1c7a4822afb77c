"""Anyone may change their own password, knowing the current one; agency parents never loop."""

import pytest
from django.test import Client

from jahesh.audit.models import AuditEvent
from jahesh.organisation.models import Agency

URL = "/account/password/"
NEW = "یک-گذرواژه-تازه-و-بلند-۱۴۰۳"


@pytest.mark.django_db
def test_changing_ones_own_password_keeps_the_session_and_is_audited(client_for, person) -> None:  # type: ignore[no-untyped-def]
    client = client_for("agri.reporter")
    response = client.post(URL, {"current": "jahesh-demo", "password1": NEW, "password2": NEW})
    assert response.status_code == 302
    assert client.get("/").status_code == 200  # still logged in
    assert person("agri.reporter").check_password(NEW)
    event = AuditEvent.objects.filter(event="person.password_set").latest("id")
    assert event.actor == person("agri.reporter")
    assert NEW not in str(event.before) + str(event.after)


@pytest.mark.django_db
def test_the_current_password_must_be_right(client_for, person) -> None:  # type: ignore[no-untyped-def]
    client = client_for("agri.reporter")
    response = client.post(URL, {"current": "wrong", "password1": NEW, "password2": NEW})
    assert response.status_code == 200
    assert "current" in response.context["form"].errors
    assert person("agri.reporter").check_password("jahesh-demo")


@pytest.mark.django_db
def test_anonymous_visitors_cannot_change_a_password() -> None:
    assert Client().get(URL).status_code == 302


@pytest.mark.django_db
def test_an_agency_cannot_be_moved_under_its_own_sub_agency(client_for, province) -> None:  # type: ignore[no-untyped-def]
    imt = Agency.objects.get(province=province, code="imt")
    parks = Agency.objects.get(province=province, code="parks")
    assert parks.parent == imt
    client = client_for("secretariat")
    response = client.post(f"/agencies/{imt.pk}/edit/", {
        "name": imt.name, "code": imt.code, "category": imt.category,
        "sector": imt.sector_id or "", "parent": parks.pk, "version": imt.version,
    })
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors
    imt.refresh_from_db()
    assert imt.parent is None


@pytest.mark.django_db
def test_a_new_person_form_asks_for_names_before_passwords(client_for) -> None:  # type: ignore[no-untyped-def]
    form = client_for("secretariat").get("/people/new/").context["form"]
    names = list(form.fields)
    assert names.index("first_name") < names.index("password1")
