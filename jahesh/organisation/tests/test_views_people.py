"""The people pages: who may see and change whom, bad input, passwords, roles, search and paging."""

from typing import Any

import pytest
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from jahesh.audit.models import AuditEvent
from jahesh.core.paging import PAGE_SIZE
from jahesh.core.persian import fold
from jahesh.organisation import services as org
from jahesh.organisation import urls
from jahesh.organisation.models import Agency, Person, Role
from jahesh.organisation.tests.helpers import (
    LOGIN,
    UNKNOWN_ID,
    assert_field_error,
    check_rows,
    field_error_codes,
    matrix_targets,
    tr,
)

PASSWORD = "a-long-enough-passphrase-1403"

# --- Who may do what ------------------------------------------------------------------------
# Targets: demo usernames; 'west-agri.reporter' (a person of the other province); 'unknown'.
# 'agri.reporter:imt.reporter-role' is agri.reporter's URL with imt.reporter's role in it;
# 'agri.reporter:unknown-role' with a role id that does not exist.
#
# The secretariat sees and changes the people of its province; an agency head sees the people
# of their agency; everybody sees themselves; nobody else sees anybody.
# LOGIN: sent to the login page. 302 in a POST row: done, with exactly one audit event
# (helpers.run_row checks that; anything refused must write none).
#
#                                                          anon   secr hq   agri.r agri.h imt.r chamb eval out
PERSON_MATRIX = {
    ("GET", "own_password", ""):                           (LOGIN, 200, 200, 200,  200,   200,  200,  200, 200),
    ("GET", "person_list", ""):                            (LOGIN, 200, 403, 403,  403,   403,  403,  403, 200),
    ("GET", "person_create", ""):                          (LOGIN, 200, 403, 403,  403,   403,  403,  403, 200),
    ("POST", "person_create", ""):                         (LOGIN, 302, 403, 403,  403,   403,  403,  403, 302),
    ("GET", "person_detail", "agri.reporter"):             (LOGIN, 200, 404, 200,  200,   404,  404,  404, 404),
    ("GET", "person_detail", "imt.reporter"):              (LOGIN, 200, 404, 404,  404,   200,  404,  404, 404),
    ("GET", "person_detail", "agri.head"):                 (LOGIN, 200, 404, 404,  200,   404,  404,  404, 404),
    ("GET", "person_detail", "hq"):                        (LOGIN, 200, 200, 404,  404,   404,  404,  404, 404),
    ("GET", "person_detail", "west-agri.reporter"):        (LOGIN, 404, 404, 404,  404,   404,  404,  404, 200),
    ("GET", "person_detail", "unknown"):                   (LOGIN, 404, 404, 404,  404,   404,  404,  404, 404),
    ("GET", "person_edit", "agri.reporter"):               (LOGIN, 200, 404, 403,  403,   404,  404,  404, 404),
    ("GET", "person_edit", "hq"):                          (LOGIN, 200, 403, 404,  404,   404,  404,  404, 404),
    ("GET", "person_edit", "west-agri.reporter"):          (LOGIN, 404, 404, 404,  404,   404,  404,  404, 200),
    ("GET", "person_edit", "unknown"):                     (LOGIN, 404, 404, 404,  404,   404,  404,  404, 404),
    ("POST", "person_edit", "agri.reporter"):              (LOGIN, 302, 404, 403,  403,   404,  404,  404, 404),
    ("POST", "person_edit", "west-agri.reporter"):         (LOGIN, 404, 404, 404,  404,   404,  404,  404, 302),
    ("POST", "person_edit", "unknown"):                    (LOGIN, 404, 404, 404,  404,   404,  404,  404, 404),
    ("GET", "person_password", "agri.reporter"):           (LOGIN, 200, 404, 403,  403,   404,  404,  404, 404),
    ("GET", "person_password", "hq"):                      (LOGIN, 200, 403, 404,  404,   404,  404,  404, 404),
    ("POST", "person_password", "agri.reporter"):          (LOGIN, 302, 404, 403,  403,   404,  404,  404, 404),
    ("POST", "person_password", "west-agri.reporter"):     (LOGIN, 404, 404, 404,  404,   404,  404,  404, 302),
    ("POST", "person_password", "unknown"):                (LOGIN, 404, 404, 404,  404,   404,  404,  404, 404),
    ("GET", "person_set_active", "agri.reporter"):         (LOGIN, 405, 405, 405,  405,   405,  405,  405, 405),
    ("POST", "person_set_active", "agri.reporter"):        (LOGIN, 302, 404, 403,  403,   404,  404,  404, 404),
    ("POST", "person_set_active", "west-agri.reporter"):   (LOGIN, 404, 404, 404,  404,   404,  404,  404, 302),
    ("POST", "person_set_active", "unknown"):              (LOGIN, 404, 404, 404,  404,   404,  404,  404, 404),
    ("GET", "role_grant", "agri.reporter"):                (LOGIN, 405, 405, 405,  405,   405,  405,  405, 405),
    ("POST", "role_grant", "agri.reporter"):               (LOGIN, 302, 404, 403,  403,   404,  404,  404, 404),
    ("POST", "role_grant", "west-agri.reporter"):          (LOGIN, 404, 404, 404,  404,   404,  404,  404, 302),
    ("POST", "role_grant", "unknown"):                     (LOGIN, 404, 404, 404,  404,   404,  404,  404, 404),
    ("GET", "role_revoke", "agri.reporter"):               (LOGIN, 405, 405, 405,  405,   405,  405,  405, 405),
    ("POST", "role_revoke", "agri.reporter"):              (LOGIN, 302, 404, 403,  403,   404,  404,  404, 404),
    ("POST", "role_revoke", "agri.reporter:imt.reporter-role"): (LOGIN, 404, 404, 403, 403, 404,  404,  404, 404),
    ("POST", "role_revoke", "agri.reporter:unknown-role"): (LOGIN, 404, 404, 403,  403,   404,  404,  404, 404),
    ("POST", "role_revoke", "west-agri.reporter"):         (LOGIN, 404, 404, 404,  404,   404,  404,  404, 302),
    ("POST", "role_revoke", "unknown"):                    (LOGIN, 404, 404, 404,  404,   404,  404,  404, 404),
}


def form_data(person: Person, **changes: Any) -> dict[str, Any]:
    """What the edit form posts back for `person`, with `changes` typed in."""
    fields = ("first_name", "last_name", "username", "email", "job_title", "phone", "version")
    return {**{f: getattr(person, f) for f in fields}, **changes}


NEW_PERSON = {"first_name": "نرگس", "last_name": "کاظمی", "username": "n.kazemi", "email": "",
              "job_title": "", "phone": "", "password1": PASSWORD, "password2": PASSWORD}


def url_and_payload(view: str, target_name: str, target) -> tuple[str, dict[str, Any]]:  # type: ignore[no-untyped-def]
    if not target_name:
        return reverse(f"organisation:{view}"), NEW_PERSON
    username, _, role_of = target_name.partition(":")
    person = target("person", username)
    args = [person.pk]
    data: dict[str, Any] = {}
    if view == "role_revoke":
        if role_of == "unknown-role":
            args.append(UNKNOWN_ID)
        elif role_of:
            args.append(target("person", role_of.removesuffix("-role")).roles.first().pk)
        else:
            args.append(person.roles.first().pk if isinstance(person, Person) else UNKNOWN_ID)
    if isinstance(person, Person):
        data = {
            "person_edit": form_data(person, job_title="کارشناس ارشد"),
            "person_password": {"password1": PASSWORD, "password2": PASSWORD},
            "person_set_active": {"active": "0"},
            "role_grant": {"kind": "evaluator", "agency": ""},
        }.get(view, {})
    return reverse(f"organisation:{view}", args=args), data


@pytest.mark.parametrize("target_name", matrix_targets(PERSON_MATRIX))
def test_person_access(target_name, target, other_province):  # type: ignore[no-untyped-def]
    """Every row of PERSON_MATRIX whose target is `target_name`."""
    check_rows(PERSON_MATRIX, target_name,
               lambda view, name: url_and_payload(view, name, target))


def test_every_people_url_has_rows_in_the_matrix() -> None:
    names = {p.name for p in urls.urlpatterns if not p.name.startswith("agency_")}
    assert names == {view for _, view, _ in PERSON_MATRIX}


def test_an_agency_head_sees_the_people_of_the_agency_but_no_change_buttons(client_for, person):  # type: ignore[no-untyped-def]
    reporter = person("agri.reporter")
    html = client_for("agri.head").get(detail_url(reporter)).content.decode()
    assert reporter.username in html
    assert reverse("organisation:person_edit", args=[reporter.pk]) not in html
    assert reverse("organisation:role_grant", args=[reporter.pk]) not in html
    html = client_for("secretariat").get(detail_url(reporter)).content.decode()
    assert reverse("organisation:person_edit", args=[reporter.pk]) in html
    assert reverse("organisation:role_grant", args=[reporter.pk]) in html


def test_the_secretariat_cannot_deactivate_itself(client_for, person):  # type: ignore[no-untyped-def]
    me = person("secretariat")
    events = AuditEvent.objects.count()
    response = client_for("secretariat").post(
        reverse("organisation:person_set_active", args=[me.pk]), {"active": "0"})
    assert response.status_code == 302 and response["Location"] == detail_url(me)
    me.refresh_from_db()
    assert me.is_active
    assert AuditEvent.objects.count() == events


def test_a_deactivated_person_is_logged_out_and_cannot_log_in(client_for, person):  # type: ignore[no-untyped-def]
    reporter = person("imt.reporter")
    their_session = client_for("imt.reporter")
    client_for("secretariat").post(reverse("organisation:person_set_active", args=[reporter.pk]),
                                   {"active": "0"})
    assert their_session.get("/").status_code == 302
    assert not Client().login(request=HttpRequest(), username="imt.reporter",
                              password="jahesh-demo")


def detail_url(person: Person) -> str:
    return reverse("organisation:person_detail", args=[person.pk])


# --- Bad input: new people ------------------------------------------------------------------

CREATE = reverse("organisation:person_create")
TAKEN = "This username is taken."
BAD_USERNAME = "Use Latin letters, digits, dots, hyphens and underscores only."
MISMATCH = "The two passwords do not match."


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"username": "agri.reporter"}, "username", TAKEN),
        ({"username": "AGRI.Reporter"}, "username", TAKEN),
        ({"username": " Secretariat "}, "username", TAKEN),
        ({"username": "علی"}, "username", BAD_USERNAME),
        ({"username": "n kazemi"}, "username", BAD_USERNAME),
        ({"password2": PASSWORD + "!"}, "password2", MISMATCH),
    ],
    ids=["username-taken", "username-taken-other-case", "username-taken-spaces",
         "username-persian", "username-space", "passwords-differ"],
)
def test_create_refuses_bad_input_and_saves_nothing(client_for, changes, field, message):  # type: ignore[no-untyped-def]
    people, events = Person.objects.count(), AuditEvent.objects.count()

    response = client_for("secretariat").post(CREATE, {**NEW_PERSON, **changes})

    assert response.status_code == 200
    assert assert_field_error(response, field) == [tr(message)]
    assert (Person.objects.count(), AuditEvent.objects.count()) == (people, events)


@pytest.mark.parametrize(
    ("password", "codes"),
    [
        ("short-pw1", ["password_too_short"]),
        ("", ["required"]),
        ("password1234", ["password_too_common"]),
        ("14031403140314", ["password_entirely_numeric"]),
        ("n.kazemi.1403", ["password_too_similar"]),
    ],
    ids=["too-short", "empty", "common", "numeric", "like-the-username"],
)
def test_create_refuses_weak_passwords(client_for, password, codes):  # type: ignore[no-untyped-def]
    people = Person.objects.count()
    response = client_for("secretariat").post(
        CREATE, {**NEW_PERSON, "password1": password, "password2": password})
    assert response.status_code == 200
    assert sorted(field_error_codes(response, "password2")) == codes
    assert_field_error(response, "password2")
    assert Person.objects.count() == people


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"email": "not-an-address"}, "email", "invalid"),
        ({"first_name": ""}, "first_name", "required"),
        ({"last_name": "ن" * 151}, "last_name", "max_length"),
    ],
    ids=["email", "first-name-missing", "last-name-151-chars"],
)
def test_create_refuses_values_the_fields_reject(client_for, changes, field, code):  # type: ignore[no-untyped-def]
    people = Person.objects.count()
    response = client_for("secretariat").post(CREATE, {**NEW_PERSON, **changes})
    assert field_error_codes(response, field) == [code]
    assert_field_error(response, field)
    assert Person.objects.count() == people


def test_create_normalises_what_was_typed(client_for, province):  # type: ignore[no-untyped-def]
    response = client_for("secretariat").post(CREATE, {
        **NEW_PERSON, "username": "n.kazemi.۱۴۰۳", "first_name": "نرگس", "last_name": "كاظمي",
        "phone": "۰۹۱۴ ۱۲۳ ۴۵۶۷",
    })
    created = Person.objects.get(username="n.kazemi.1403")
    assert response.status_code == 302 and response["Location"] == detail_url(created)
    assert (created.last_name, created.phone, created.province) == ("کاظمی", "0914 123 4567", province)
    assert created.check_password(PASSWORD)
    assert not created.roles.exists()


def test_edit_refuses_a_username_taken_by_someone_else(client_for, person):  # type: ignore[no-untyped-def]
    reporter = person("imt.reporter")
    url = reverse("organisation:person_edit", args=[reporter.pk])
    response = client_for("secretariat").post(url, form_data(reporter, username="IMT.Head"))
    assert assert_field_error(response, "username") == [tr(TAKEN)]
    reporter.refresh_from_db()
    assert (reporter.username, reporter.version) == ("imt.reporter", 1)


def test_edit_keeps_the_person_own_username_in_another_case(client_for, person):  # type: ignore[no-untyped-def]
    reporter = person("imt.reporter")
    url = reverse("organisation:person_edit", args=[reporter.pk])
    response = client_for("secretariat").post(url, form_data(reporter, username="IMT.reporter"))
    assert response.status_code == 302
    reporter.refresh_from_db()
    assert reporter.username == "IMT.reporter"


STALE = ("Someone else changed this record after you opened it. The form now shows their "
         "version; make your change again.")


def test_the_second_of_two_concurrent_edits_of_a_person_is_refused(client_for, person):  # type: ignore[no-untyped-def]
    reporter = person("imt.reporter")
    url = reverse("organisation:person_edit", args=[reporter.pk])
    first, second = client_for("secretariat"), client_for("secretariat")
    first.get(url), second.get(url)

    assert first.post(url, form_data(reporter, phone="0411")).status_code == 302
    refused = second.post(url, form_data(reporter, job_title="مدیر"))

    assert refused.status_code == 200
    assert escape(tr(STALE)) in refused.content.decode()
    assert refused.context["form"].initial["phone"] == "0411"
    reporter.refresh_from_db()
    assert (reporter.phone, reporter.job_title, reporter.version) == ("0411", person("imt.reporter").job_title, 2)
    assert AuditEvent.objects.filter(event="person.changed", target_id=str(reporter.pk)).count() == 1


# --- Passwords ------------------------------------------------------------------------------

def password_url(person: Person) -> str:
    return reverse("organisation:person_password", args=[person.pk])


def test_a_long_password_is_accepted_and_logs_in(client_for, person):  # type: ignore[no-untyped-def]
    long_password = "سیب-" * 10 + "Tabriz-1403-" * 3 + "x" * 20  # 96 characters
    assert len(long_password) >= 64
    reporter = person("agri.reporter")

    response = client_for("secretariat").post(
        password_url(reporter), {"password1": long_password, "password2": long_password})

    assert response.status_code == 302 and response["Location"] == detail_url(reporter)
    client = Client()
    assert client.login(request=HttpRequest(), username="agri.reporter", password=long_password)
    assert client.get("/").status_code == 200
    assert not Client().login(request=HttpRequest(), username="agri.reporter",
                              password="jahesh-demo")
    # Through the login page too, as a person would.
    login = Client().post(
        reverse("login"), {"username": "agri.reporter", "password": long_password})
    assert login.status_code == 302


def test_a_new_password_ends_the_sessions_of_that_person(client_for, person):  # type: ignore[no-untyped-def]
    reporter = person("agri.reporter")
    their_session = client_for("agri.reporter")
    assert their_session.get("/").status_code == 200
    client_for("secretariat").post(password_url(reporter),
                                   {"password1": PASSWORD, "password2": PASSWORD})
    assert their_session.get("/")["Location"].startswith(reverse("login"))


def test_setting_ones_own_password_keeps_this_session_only(client_for, person):  # type: ignore[no-untyped-def]
    me = person("secretariat")
    this_session, other_session = client_for("secretariat"), client_for("secretariat")

    response = this_session.post(password_url(me), {"password1": PASSWORD, "password2": PASSWORD},
                                 follow=True)

    assert response.redirect_chain == [(detail_url(me), 302)]
    assert response.status_code == 200 and response.context["user"] == me
    assert this_session.get("/").status_code == 200
    assert other_session.get("/")["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("password1", "password2", "code"),
    [("short-pw1", "short-pw1", "password_too_short"), (PASSWORD, PASSWORD + "x", None)],
    ids=["too-short", "mismatch"],
)
def test_a_bad_new_password_changes_nothing(client_for, person, password1, password2, code):  # type: ignore[no-untyped-def]
    reporter = person("agri.reporter")
    events = AuditEvent.objects.count()
    response = client_for("secretariat").post(
        password_url(reporter), {"password1": password1, "password2": password2})
    assert response.status_code == 200
    messages = assert_field_error(response, "password2")
    if code:
        assert field_error_codes(response, "password2") == [code]
    else:
        assert messages == [tr(MISMATCH)]
    reporter.refresh_from_db()
    assert reporter.check_password("jahesh-demo")
    assert AuditEvent.objects.count() == events


def test_the_password_page_never_shows_a_password(client_for, person):  # type: ignore[no-untyped-def]
    reporter = person("agri.reporter")
    response = client_for("secretariat").post(
        password_url(reporter), {"password1": PASSWORD, "password2": PASSWORD + "x"})
    assert PASSWORD not in response.content.decode()


# --- Roles ----------------------------------------------------------------------------------

def grant_url(person: Person) -> str:
    return reverse("organisation:role_grant", args=[person.pk])


@pytest.mark.parametrize(
    ("kind", "agency_code", "message"),
    [
        ("reporter", None, "This role is held for an agency: choose one."),
        ("approver", None, "This role is held for an agency: choose one."),
        ("secretariat", "agri", "This role is held for the whole province: leave the agency empty."),
        ("hq_member", "imt", "This role is held for the whole province: leave the agency empty."),
    ],
    ids=["reporter-without-agency", "approver-without-agency", "secretariat-with-agency",
         "hq-member-with-agency"],
)
def test_grant_refuses_a_role_at_the_wrong_level(client_for, person, province, kind, agency_code,  # type: ignore[no-untyped-def]
                                                 message):
    evaluator = person("evaluator")
    agency = Agency.objects.get(province=province, code=agency_code) if agency_code else None
    roles, events = Role.objects.count(), AuditEvent.objects.count()

    response = client_for("secretariat").post(
        grant_url(evaluator), {"kind": kind, "agency": agency.pk if agency else ""})

    assert response.status_code == 400
    assert assert_field_error(response, "agency", form="grant_form") == [tr(message)]
    assert (Role.objects.count(), AuditEvent.objects.count()) == (roles, events)


def test_grant_refuses_an_agency_of_another_province_or_an_inactive_one(  # type: ignore[no-untyped-def]
    client_for, person, other_province, inactive_agency
):
    client = client_for("secretariat")
    for agency in (other_province["agency"], inactive_agency):
        response = client.post(grant_url(person("evaluator")),
                               {"kind": "reporter", "agency": agency.pk})
        assert response.status_code == 400
        assert field_error_codes(response, "agency", form="grant_form") == ["invalid_choice"]
    assert list(person("evaluator").roles.values_list("kind", flat=True)) == ["evaluator"]


def test_grant_and_revoke_through_the_pages(client_for, person, province):  # type: ignore[no-untyped-def]
    evaluator = person("evaluator")
    agency = Agency.objects.get(province=province, code="irib")
    client = client_for("secretariat")

    for _ in range(2):  # granting twice is the same as once
        response = client.post(grant_url(evaluator), {"kind": "reporter", "agency": agency.pk})
        assert response.status_code == 302 and response["Location"] == detail_url(evaluator)
    role = evaluator.roles.get(kind="reporter")
    assert role.agency == agency
    assert agency.name in client.get(detail_url(evaluator)).content.decode()

    response = client.post(reverse("organisation:role_revoke", args=[evaluator.pk, role.pk]))
    assert response.status_code == 302
    assert list(evaluator.roles.values_list("kind", flat=True)) == ["evaluator"]
    assert AuditEvent.objects.filter(target_id=str(evaluator.pk),
                                     event__in=["role.granted", "role.revoked"]).count() == 3


def test_a_granted_role_takes_effect_at_once(client_for, person, province):  # type: ignore[no-untyped-def]
    evaluator = person("evaluator")
    their_session = client_for("evaluator")
    assert their_session.get(reverse("organisation:person_list")).status_code == 403
    client_for("secretariat").post(grant_url(evaluator), {"kind": "secretariat", "agency": ""})
    assert their_session.get(reverse("organisation:person_list")).status_code == 200


# --- The list: search, filters, paging ------------------------------------------------------

LIST = reverse("organisation:person_list")


def usernames(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [p.username for p in response.context["page"]]


def all_matching(text: str) -> set[str]:
    key = fold(text)
    return {p.username for p in Person.objects.filter(province__code="east-azerbaijan",
                                                      is_active=True)
            if key in fold(f"{p.first_name} {p.last_name} {p.username} {p.job_title}")}


@pytest.mark.parametrize("q", ["رضايي", "رضایی"], ids=["arabic-letters", "persian-letters"])
def test_search_folds_arabic_letters(client_for, q):  # type: ignore[no-untyped-def]
    found = set(usernames(client_for("secretariat").get(LIST, {"q": q, "status": "all"})))
    assert found and found == all_matching("رضایی")
    assert all(Person.objects.get(username=u).last_name == "رضایی" for u in found)


@pytest.mark.parametrize("q", ["شهرک های", "شهرکهای", "شهرك‌هاي"],
                         ids=["space", "joined", "zwnj-and-arabic-letters"])
def test_search_ignores_spaces_and_zwnj(client_for, q):  # type: ignore[no-untyped-def]
    found = set(usernames(client_for("secretariat").get(LIST, {"q": q})))
    # Their job titles name the agency: "... شرکت شهرک‌های صنعتی".
    assert found == set(Person.objects.filter(roles__agency__code="parks")
                        .values_list("username", flat=True))
    assert "parks.reporter" in found


def test_search_accepts_persian_digits(client_for, province):  # type: ignore[no-untyped-def]
    org.person_create(acting_user=None, province=province, username="ali.1403", password=None,
                      first_name="علی", last_name="تبریزی")
    client = client_for("secretariat")
    assert usernames(client.get(LIST, {"q": "۱۴۰۳"})) == ["ali.1403"]
    assert usernames(client.get(LIST, {"q": "ALI.١٤٠٣"})) == ["ali.1403"]


def test_filter_by_role_and_agency(client_for, province):  # type: ignore[no-untyped-def]
    agri = Agency.objects.get(province=province, code="agri")
    client = client_for("secretariat")
    assert set(usernames(client.get(LIST, {"agency": agri.pk}))) == {
        "agri.reporter", "agri.head", "agri.participation"}
    assert usernames(client.get(LIST, {"agency": agri.pk, "role": "approver"})) == ["agri.head"]
    chamber = client.get(LIST, {"role": "chamber"})
    assert usernames(chamber) == ["chamber"]
    heads = client.get(LIST, {"role": "approver"}).context["page"].paginator.count
    assert heads == Agency.objects.filter(province=province).count()


def test_the_outsider_lists_only_the_people_of_its_own_province(client_for, west_reporter):  # type: ignore[no-untyped-def]
    found = usernames(client_for("outsider").get(LIST, {"status": "all"}))
    assert sorted(found) == ["outsider", "west-agri.reporter"]


@pytest.mark.parametrize(("status", "shows_inactive", "shows_active"),
                         [("", False, True), ("active", False, True), ("inactive", True, False),
                          ("all", True, True)])
def test_filter_by_status(client_for, person, status, shows_inactive, shows_active):  # type: ignore[no-untyped-def]
    org.person_set_active(person=person("tax.head"), acting_user=None, active=False)
    found = usernames(client_for("secretariat").get(LIST, {"q": ".head", "status": status}))
    assert ("tax.head" in found) == shows_inactive
    assert ("agri.head" in found) == shows_active


@pytest.mark.parametrize(("page", "number"),
                         [("", 1), ("2", 2), ("۲", 2), ("999", "last"), ("abc", 1)])
def test_paging(client_for, province, page, number):  # type: ignore[no-untyped-def]
    total = Person.objects.filter(province=province, is_active=True).count()
    assert total > 2 * PAGE_SIZE, "the demo province fills more than two pages"
    shown = client_for("secretariat").get(LIST, {"page": page}).context["page"]
    last = shown.paginator.num_pages
    expected = last if number == "last" else number
    assert (shown.paginator.count, shown.number) == (total, expected)
    assert len(shown) == (PAGE_SIZE if expected < last else total - (last - 1) * PAGE_SIZE)


def test_htmx_requests_get_only_the_rows(client_for):  # type: ignore[no-untyped-def]
    client = client_for("secretariat")
    partial = client.get(LIST, {"q": "agri."}, headers={"HX-Request": "true"})
    full = client.get(LIST, {"q": "agri."})
    used = [t.name for t in partial.templates]
    assert "organisation/_person_rows.html" in used
    assert "organisation/person_list.html" not in used and "base.html" not in used
    html = partial.content.decode()
    assert "<html" not in html and "<form" not in html
    assert "agri.head" in html and "imt.head" not in html
    assert usernames(partial) == usernames(full)
