"""The audit trail page: who may read it, its filters (Jalali dates included), and that no URL
writes to it."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import URLPattern, reverse

from jahesh.audit import urls as audit_urls
from jahesh.audit.models import AuditEvent
from jahesh.organisation import services as org
from jahesh.organisation.models import Agency
from jahesh.organisation.tests import helpers
from jahesh.organisation.tests.helpers import (
    LOGIN,
    assert_field_error,
    field_error_codes,
    matrix_rows,
    row_mismatches,
    run_row,
    tr,
)

LIST = reverse("audit:event_list")
TEHRAN = ZoneInfo("Asia/Tehran")


@pytest.fixture
def client_as(request, db):  # type: ignore[no-untyped-def]
    return lambda persona, **extra: helpers.client_as(persona, request, **extra)


# --- Who may read it ------------------------------------------------------------------------
#                                    anon   secr hq   agri.r agri.h imt.r chamb eval out
AUDIT_MATRIX = {
    ("GET", "event_list"):          (LOGIN, 200, 403, 403,  403,   403,  403,  403, 200),
    ("POST", "event_list"):         (LOGIN, 405, 405, 405,  405,   405,  405,  405, 405),
    ("PUT", "event_list"):          (LOGIN, 405, 405, 405,  405,   405,  405,  405, 405),
    ("PATCH", "event_list"):        (LOGIN, 405, 405, 405,  405,   405,  405,  405, 405),
    ("DELETE", "event_list"):       (LOGIN, 405, 405, 405,  405,   405,  405,  405, 405),
}


@pytest.mark.parametrize(("method", "view", "expected"), matrix_rows(AUDIT_MATRIX))
def test_audit_access(method, view, expected, client_as):  # type: ignore[no-untyped-def]
    clients = helpers.persona_clients(client_as)
    url = reverse(f"audit:{view}")

    actual = run_row(clients, method,
                     lambda client: getattr(client, method.lower())(url, {"event": "agency.created"}))

    assert actual == expected, row_mismatches(actual, expected)


def test_no_audit_url_accepts_a_write(client_as):  # type: ignore[no-untyped-def]
    client = client_as("secretariat")
    patterns = [p for p in audit_urls.urlpatterns if isinstance(p, URLPattern)]
    assert patterns and len(patterns) == len(audit_urls.urlpatterns)
    assert {p.name for p in patterns} == {view for _, view in AUDIT_MATRIX}
    events = AuditEvent.objects.count()
    for pattern in patterns:
        url = reverse(f"audit:{pattern.name}")
        for method in ("post", "put", "patch", "delete"):
            assert getattr(client, method)(url).status_code in (403, 405), (url, method)
    assert AuditEvent.objects.count() == events


def test_each_secretariat_reads_only_its_own_province(client_as, other_province):  # type: ignore[no-untyped-def]
    west = other_province["province"]
    ours = client_as("secretariat").get(LIST).context["page"].paginator.object_list
    theirs = client_as("outsider").get(LIST).context["page"].paginator.object_list
    assert ours.exists() and not ours.filter(province=west).exists()
    assert set(theirs.values_list("province", flat=True)) == {west.pk}
    assert theirs.filter(event="agency.created", target_id=str(other_province["agency"].pk)).exists()


# --- Filters --------------------------------------------------------------------------------

def reprs(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [event.target_repr for event in response.context["page"]]


@pytest.fixture
def changes(province, person):  # type: ignore[no-untyped-def]
    """Agency renames made at known Tehran times, by the secretariat and by the governor."""
    post = Agency.objects.get(province=province, code="post")
    made = {}
    for label, when, actor in [
        ("esfand-29", datetime(2024, 3, 19, 12, 0, tzinfo=TEHRAN), "secretariat"),  # 1402/12/29
        ("nowruz-1403", datetime(2024, 3, 20, 0, 30, tzinfo=TEHRAN), "secretariat"),  # 1403/01/01
        ("farvardin-15", datetime(2024, 4, 3, 18, 0, tzinfo=TEHRAN), "governor"),  # 1403/01/15
        ("leap-esfand-30", datetime(2025, 3, 20, 23, 30, tzinfo=TEHRAN), "secretariat"),  # 1403/12/30
        ("nowruz-1404", datetime(2025, 3, 21, 0, 10, tzinfo=TEHRAN), "governor"),  # 1404/01/01
    ]:
        with time_machine.travel(when, tick=False):
            org.agency_update(agency=post, acting_user=person(actor), name=f"پست {label}")
        made[label] = f"پست {label}"
    return made


@pytest.mark.parametrize(
    ("since", "until", "expected"),
    [
        ("۱۴۰۳/۰۱/۰۱", "۱۴۰۳/۰۱/۳۱", ["farvardin-15", "nowruz-1403"]),
        ("1403/1/1", "1403/1/1", ["nowruz-1403"]),
        ("١٤٠٢/١٢/٢٩", "١٤٠٢/١٢/٢٩", ["esfand-29"]),
        ("۱۴۰۳/۱۲/۳۰", "۱۴۰۳/۱۲/۳۰", ["leap-esfand-30"]),
        ("۱۴۰۳/۱۲/۰۱", "۱۴۰۴/۰۱/۰۱", ["nowruz-1404", "leap-esfand-30"]),
        ("", "۱۴۰۲/۱۲/۲۹", ["esfand-29"]),
    ],
    ids=["farvardin-persian-digits", "nowruz-latin-digits", "esfand-arabic-indic-digits",
         "leap-day", "across-nowruz", "until-only"],
)
def test_filter_by_jalali_dates(client_as, changes, since, until, expected):  # type: ignore[no-untyped-def]
    # Tehran days, not UTC days: 00:30 on Nowruz is still the previous day in UTC.
    response = client_as("secretariat").get(
        LIST, {"since": since, "until": until, "event": "agency.changed", "target": "پست"})
    assert response.context["form"].is_valid(), response.context["form"].errors
    assert reprs(response) == [changes[label] for label in expected]


def test_dates_are_shown_in_jalali_with_persian_digits(client_as, changes):  # type: ignore[no-untyped-def]
    html = client_as("secretariat").get(
        LIST, {"since": "1403/01/01", "until": "1403/01/01", "target": "پست nowruz"})
    assert "۱۴۰۳/۰۱/۰۱ ۰۰:۳۰" in html.content.decode()


@pytest.mark.parametrize(
    ("data", "field", "code"),
    [
        ({"since": "۱۴۰۴/۱۲/۳۰"}, "since", "nonexistent"),  # 1404 is not a leap year
        ({"until": "1403/13/01"}, "until", "nonexistent"),
        ({"since": "دیروز"}, "since", "invalid"),
        ({"since": "1403/02/05", "until": "1403/01/05"}, "until", None),
    ],
    ids=["esfand-30-of-a-common-year", "month-13", "not-a-date", "end-before-start"],
)
def test_a_bad_date_shows_a_form_error_and_no_crash(client_as, changes, data, field, code):  # type: ignore[no-untyped-def]
    response = client_as("secretariat").get(LIST, data)
    assert response.status_code == 200
    messages = assert_field_error(response, field)
    if code:
        assert field_error_codes(response, field) == [code]
    else:
        assert messages == [tr("The end date is before the start date.")]


def test_filter_by_event(client_as, changes):  # type: ignore[no-untyped-def]
    page = client_as("secretariat").get(LIST, {"event": "agency.changed"}).context["page"]
    assert {e.event for e in page} == {"agency.changed"}
    assert page.paginator.count == len(changes)


def test_an_unknown_event_is_a_form_error(client_as):  # type: ignore[no-untyped-def]
    response = client_as("secretariat").get(LIST, {"event": "agency.deleted"})
    assert field_error_codes(response, "event") == ["invalid_choice"]
    assert_field_error(response, "event")


@pytest.mark.parametrize(("typed", "expected"),
                         [("governor", ["nowruz-1404", "farvardin-15"]),
                          ("GOVERN", ["nowruz-1404", "farvardin-15"]),
                          (" secretariat ", ["leap-esfand-30", "nowruz-1403", "esfand-29"])])
def test_filter_by_actor_username(client_as, changes, typed, expected):  # type: ignore[no-untyped-def]
    response = client_as("secretariat").get(LIST, {"actor": typed, "event": "agency.changed"})
    assert reprs(response) == [changes[label] for label in expected]


@pytest.mark.parametrize("typed", ["كشاورزي", "جهاد کشاورزی"], ids=["arabic-letters", "persian"])
def test_filter_by_object_text(client_as, typed):  # type: ignore[no-untyped-def]
    response = client_as("secretariat").get(LIST, {"target": typed, "event": "agency.created"})
    found = reprs(response)
    assert "جهاد کشاورزی" in found
    assert all("کشاورزی" in text for text in found)


def test_filters_combine_with_paging(client_as, province, person):  # type: ignore[no-untyped-def]
    agency = Agency.objects.get(province=province, code="tax")
    for n in range(53):
        org.agency_update(agency=agency, acting_user=person("secretariat"), name=f"امور مالیاتی {n}")
    client = client_as("secretariat")
    first = client.get(LIST, {"target": "مالیاتی", "actor": "secretariat"})
    second = client.get(LIST, {"target": "مالیاتی", "actor": "secretariat", "page": "2"})
    assert first.context["page"].paginator.count == 53
    assert (len(first.context["page"]), len(second.context["page"])) == (50, 3)
    assert reprs(first)[0] == "امور مالیاتی 52"  # newest first
    assert "target=" in first.context["query"] and "page" not in first.context["query"]
