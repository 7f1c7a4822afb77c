"""The organisation services: the data rules of every write and the audit event each one leaves."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from jahesh.audit.models import AuditEvent
from jahesh.core.persian import fold
from jahesh.organisation import services as org
from jahesh.organisation.models import Agency, Person, Role

PASSWORD = "a-long-enough-passphrase-1403"


def counts() -> tuple[int, int, int, int]:
    """Rows that a refused write must not add to."""
    return (Agency.objects.count(), Person.objects.count(), Role.objects.count(),
            AuditEvent.objects.count())


def events_for(obj, event: str):  # type: ignore[no-untyped-def]
    return AuditEvent.objects.filter(event=event, target_type=obj._meta.label_lower,
                                     target_id=str(obj.pk))


# --- agency_create --------------------------------------------------------------------------

def test_agency_create_normalises_arabic_letters_and_fills_search_text(province, person):  # type: ignore[no-untyped-def]
    secretariat = person("secretariat")
    agency = org.agency_create(
        acting_user=secretariat, province=province, code="  Agri-Research ",
        name="  مؤسسه  تحقيقات كشاورزي ", category="supporting",
    )

    agency.refresh_from_db()
    assert agency.code == "agri-research"
    assert agency.name == "مؤسسه تحقیقات کشاورزی"  # Persian ی and ک, single spaces
    assert "\u064a" not in agency.name and "\u0643" not in agency.name
    assert agency.search_text == fold("مؤسسه تحقیقات کشاورزی agri-research")
    assert list(Agency.objects.search("تحقيقات كشاورزي")) == [agency]
    event = events_for(agency, "agency.created").get()
    assert (event.actor, event.province, event.before) == (secretariat, province, None)
    assert event.after == {"code": "agri-research", "name": agency.name, "category": "supporting",
                           "sector": None, "parent": None, "is_active": True}
    assert event.actor_address is None  # not called through a request


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("agri", "سازمان تازه"),  # the code of جهاد کشاورزی
        (" AGRI ", "سازمان تازه"),  # the same code, typed differently
        ("new-agency", "جهاد کشاورزی"),  # its name
        ("new-agency", "جهاد كشاورزي"),  # its name in Arabic letters
    ],
    ids=["code", "code-case", "name", "name-arabic-letters"],
)
def test_agency_create_refuses_a_duplicate_and_saves_nothing(province, person, code, name):  # type: ignore[no-untyped-def]
    before = counts()
    with pytest.raises(ValidationError):
        org.agency_create(acting_user=person("secretariat"), province=province, code=code,
                          name=name, category="driver")
    assert counts() == before
    assert not AuditEvent.objects.filter(event="agency.created", actor=person("secretariat")).exists()


def test_the_same_code_and_name_are_allowed_in_another_province(province, other_province):  # type: ignore[no-untyped-def]
    west = other_province["province"]
    imt = Agency.objects.get(province=province, code="imt")

    twin = org.agency_create(acting_user=other_province["person"], province=west, code="imt",
                             name=imt.name, category="driver")

    assert twin.pk != imt.pk and (twin.code, twin.name) == (imt.code, imt.name)
    assert events_for(twin, "agency.created").get().province == west


# --- agency_update --------------------------------------------------------------------------

def test_agency_update_through_the_edit_page_records_who_what_and_from_where(  # type: ignore[no-untyped-def]
    client_for, person, province
):
    agency = Agency.objects.get(province=province, code="imt")
    old_name = agency.name
    client = client_for("secretariat", REMOTE_ADDR="10.20.30.40")

    response = client.post(reverse("organisation:agency_edit", args=[agency.pk]), {
        "name": "صنعت، معدن و تجارت استان", "code": "imt", "category": "supporting",
        "sector": agency.sector_id, "parent": "", "version": agency.version,
    })

    assert response.status_code == 302
    event = events_for(agency, "agency.changed").get()
    assert event.actor == person("secretariat")
    assert event.actor_address == "10.20.30.40"
    assert event.province == province
    assert event.before["name"] == old_name and event.after["name"] == "صنعت، معدن و تجارت استان"
    # Sorted: PostgreSQL's jsonb does not keep the order of keys.
    assert sorted(event.changes) == [("category", "driver", "supporting"),
                                     ("name", old_name, "صنعت، معدن و تجارت استان")]
    agency.refresh_from_db()
    assert agency.version == 2
    assert agency.search_text == fold("صنعت، معدن و تجارت استان imt")


def test_agency_update_outside_a_request_has_no_address(province, person):  # type: ignore[no-untyped-def]
    agency = Agency.objects.get(province=province, code="post")
    org.agency_update(agency=agency, acting_user=person("secretariat"), category="driver")
    event = events_for(agency, "agency.changed").get()
    assert event.actor_address is None
    assert event.changes == [("category", "service", "driver")]


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"name": "جهاد کشاورزی", "category": "driver"},
        {"name": "جهاد  كشاورزي "},  # the same name once normalised
        {"code": " AGRI "},
    ],
    ids=["nothing", "same-values", "same-name-arabic-letters", "same-code-typed-differently"],
)
def test_agency_update_that_changes_nothing_records_nothing(province, person, changes):  # type: ignore[no-untyped-def]
    agency = Agency.objects.get(province=province, code="agri")
    before = counts()

    result = org.agency_update(agency=agency, acting_user=person("secretariat"),
                               expected_version=agency.version, **changes)

    assert counts() == before
    assert result.version == agency.version == 1
    assert not events_for(agency, "agency.changed").exists()


def test_agency_update_with_a_stale_version_raises_and_changes_nothing(province, person):  # type: ignore[no-untyped-def]
    secretariat = person("secretariat")
    agency = Agency.objects.get(province=province, code="agri")
    seen = agency.version
    org.agency_update(agency=agency, acting_user=secretariat, expected_version=seen,
                      name="جهاد کشاورزی استان")

    with pytest.raises(org.StaleEdit):
        org.agency_update(agency=agency, acting_user=secretariat, expected_version=seen,
                          name="جهاد کشاورزی آذربایجان", category="supporting")

    agency.refresh_from_db()
    assert (agency.name, agency.category, agency.version) == ("جهاد کشاورزی استان", "driver", 2)
    assert events_for(agency, "agency.changed").count() == 1


def test_agency_update_refuses_a_duplicate_and_saves_nothing(province, person):  # type: ignore[no-untyped-def]
    agency = Agency.objects.get(province=province, code="parks")
    before = counts()
    with pytest.raises(ValidationError):
        org.agency_update(agency=agency, acting_user=person("secretariat"), code="imt")
    assert counts() == before
    agency.refresh_from_db()
    assert (agency.code, agency.version) == ("parks", 1)


def test_agency_update_refuses_fields_it_does_not_own(province, person):  # type: ignore[no-untyped-def]
    agency = Agency.objects.get(province=province, code="agri")
    with pytest.raises(ValueError, match="version"):
        org.agency_update(agency=agency, acting_user=person("secretariat"), version=7)
    agency.refresh_from_db()
    assert agency.version == 1


def test_agency_set_active_records_the_change(province, person):  # type: ignore[no-untyped-def]
    agency = Agency.objects.get(province=province, code="post")
    org.agency_set_active(agency=agency, acting_user=person("secretariat"), active=False)
    agency.refresh_from_db()
    assert not agency.is_active
    assert events_for(agency, "agency.changed").get().changes == [("is_active", True, False)]


# --- people ---------------------------------------------------------------------------------

def test_person_create_normalises_names_and_never_records_the_password(province, person):  # type: ignore[no-untyped-def]
    created = org.person_create(
        acting_user=person("secretariat"), province=province, username=" m.yazdani ",
        password=PASSWORD, first_name="مريم", last_name="يزداني", job_title="كارشناس",
        email=" m@example.org ", phone=" 0914 ",
    )

    created.refresh_from_db()
    assert (created.username, created.first_name, created.last_name) == ("m.yazdani", "مریم", "یزدانی")
    assert (created.job_title, created.email, created.phone) == ("کارشناس", "m@example.org", "0914")
    assert created.check_password(PASSWORD)
    assert created.search_text == fold("مریم یزدانی m.yazdani کارشناس")
    event = events_for(created, "person.created").get()
    assert "password" not in event.after
    assert PASSWORD not in json.dumps(event.after, ensure_ascii=False)
    assert event.after["username"] == "m.yazdani"


def test_person_create_without_a_password_cannot_log_in(province):  # type: ignore[no-untyped-def]
    created = org.person_create(acting_user=None, province=province, username="no.password",
                                password=None)
    assert not created.has_usable_password()


def test_person_create_refuses_a_taken_username_and_saves_nothing(province):  # type: ignore[no-untyped-def]
    before = counts()
    with pytest.raises(ValidationError):
        org.person_create(acting_user=None, province=province, username="agri.reporter",
                          password=PASSWORD)
    assert counts() == before


def test_person_update_records_before_and_after(person):  # type: ignore[no-untyped-def]
    target = person("imt.reporter")
    old_title = target.job_title

    org.person_update(person=target, acting_user=person("secretariat"),
                      expected_version=target.version, job_title="كارشناس ارشد", phone="0411")

    target.refresh_from_db()
    assert (target.job_title, target.phone, target.version) == ("کارشناس ارشد", "0411", 2)
    assert "کارشناسارشد" in target.search_text
    event = events_for(target, "person.changed").get()
    assert sorted(event.changes) == [("job_title", old_title, "کارشناس ارشد"), ("phone", "", "0411")]


def test_person_update_that_changes_nothing_records_nothing(person):  # type: ignore[no-untyped-def]
    target = person("imt.reporter")
    before = counts()
    org.person_update(person=target, acting_user=person("secretariat"),
                      first_name=target.first_name, phone="")
    assert counts() == before
    target.refresh_from_db()
    assert target.version == 1


def test_person_update_with_a_stale_version_raises_and_changes_nothing(person):  # type: ignore[no-untyped-def]
    target = person("imt.reporter")
    org.person_update(person=target, acting_user=None, expected_version=1, phone="0411")
    with pytest.raises(org.StaleEdit):
        org.person_update(person=target, acting_user=None, expected_version=1, phone="0412")
    target.refresh_from_db()
    assert (target.phone, target.version) == ("0411", 2)
    assert events_for(target, "person.changed").count() == 1


def test_person_set_password_records_the_change_but_not_the_password(person):  # type: ignore[no-untyped-def]
    target = person("imt.reporter")

    org.person_set_password(person=target, acting_user=person("secretariat"), password=PASSWORD)

    target.refresh_from_db()
    assert target.check_password(PASSWORD)
    assert target.version == 2
    event = events_for(target, "person.password_set").get()
    assert event.actor == person("secretariat")
    assert (event.before, event.after) == (None, None)
    stored = json.dumps([event.event, event.target_repr, event.before, event.after],
                        ensure_ascii=False)
    assert PASSWORD not in stored and target.password not in stored


# --- roles ----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("kind", "agency_code"),
    [("reporter", None), ("approver", None), ("participation_officer", None),
     ("secretariat", "agri"), ("hq_member", "imt")],
    ids=["reporter-without-agency", "approver-without-agency", "participation-without-agency",
         "secretariat-with-agency", "hq-member-with-agency"],
)
def test_role_grant_refuses_a_role_held_at_the_wrong_level(province, person, kind, agency_code):  # type: ignore[no-untyped-def]
    agency = Agency.objects.get(province=province, code=agency_code) if agency_code else None
    before = counts()
    with pytest.raises(ValidationError):
        org.role_grant(person=person("evaluator"), kind=kind, province=province, agency=agency,
                       acting_user=person("secretariat"))
    assert counts() == before


def test_the_database_itself_refuses_an_agency_role_without_agency(province, person):  # type: ignore[no-untyped-def]
    # Past full_clean, straight to the table: the check constraint is the last line of defence.
    with pytest.raises(IntegrityError), transaction.atomic():
        Role.objects.create(person=person("evaluator"), kind="reporter", province=province)
    with pytest.raises(IntegrityError), transaction.atomic():
        Role.objects.create(person=person("evaluator"), kind="evaluator", province=province,
                            agency=Agency.objects.get(province=province, code="agri"))


def test_role_grant_twice_is_idempotent(province, person):  # type: ignore[no-untyped-def]
    target = person("evaluator")
    agency = Agency.objects.get(province=province, code="agri")
    grants = events_for(target, "role.granted")
    earlier = grants.count()  # the demo's own grant of 'evaluator'

    first = org.role_grant(person=target, kind="reporter", province=province, agency=agency,
                           acting_user=person("secretariat"))
    second = org.role_grant(person=target, kind="reporter", province=province, agency=agency,
                            acting_user=person("secretariat"))
    org.role_grant(person=target, kind="hq_member", province=province, acting_user=None)
    org.role_grant(person=target, kind="hq_member", province=province, acting_user=None)

    assert first.pk == second.pk
    assert sorted(target.roles.values_list("kind", flat=True)) == ["evaluator", "hq_member", "reporter"]
    assert grants.count() == earlier + 2
    assert grants.filter(after={"kind": "reporter", "agency": agency.pk}).exists()


def test_role_grant_refuses_an_agency_of_another_province(province, person, other_province):  # type: ignore[no-untyped-def]
    before = counts()
    with pytest.raises(ValueError, match="another province"):
        org.role_grant(person=person("evaluator"), kind="reporter", province=province,
                       agency=other_province["agency"], acting_user=None)
    assert counts() == before


def test_role_revoke_deletes_the_role_and_records_what_it_was(province, person):  # type: ignore[no-untyped-def]
    target = person("agri.reporter")
    role = target.roles.get()

    org.role_revoke(role=role, acting_user=person("secretariat"))

    assert not target.roles.exists()
    event = events_for(target, "role.revoked").get()
    assert event.before == {"kind": "reporter", "agency": role.agency_id}
    assert (event.after, event.actor, event.province) == (None, person("secretariat"), province)
