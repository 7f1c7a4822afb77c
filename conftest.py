"""Shared test set-up: the demo province, loaded once per test database, and its personas.

Personas are the stable demo logins (see jahesh/demo/data.py):
  secretariat    runs the province            hq            reads everything
  agri.reporter  fills in for Agriculture     agri.head     approves for Agriculture
  imt.reporter   another agency's reporter    chamber, evaluator
  outsider       the secretariat of another province (created by the `other_province` fixture)
"""

import os

import pytest
from django.test import Client

from jahesh.core.tests.personas import share_one_middleware_chain, signed_in
from jahesh.demo.loader import load_demo_province


def pytest_configure(config: pytest.Config) -> None:
    os.makedirs("test-artifacts", exist_ok=True)
    # Every test client reuses one middleware chain instead of loading its own (WhiteNoise
    # indexes every static file each time): see jahesh/core/tests/personas.py.
    share_one_middleware_chain()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        load_demo_province()


@pytest.fixture
def province(db):  # type: ignore[no-untyped-def]
    from jahesh.organisation.models import Province

    return Province.objects.get(code="east-azerbaijan")


@pytest.fixture
def person(db):  # type: ignore[no-untyped-def]
    """person('agri.reporter') -> the demo Person."""
    from jahesh.organisation.models import Person

    return lambda username: Person.objects.get(username=username)


@pytest.fixture
def client_for(db):  # type: ignore[no-untyped-def]
    """client_for('secretariat') -> a Django test client logged in as that demo person.

    The session is written as logging in writes it, without the login signals (last login,
    axes' access log), which page tests do not look at; the log-in tests log in for real."""
    from jahesh.organisation.models import Person

    def make(username: str, **extra: str) -> Client:
        return signed_in(Person.objects.get(username=username), **extra)

    return make


@pytest.fixture
def other_province(db):  # type: ignore[no-untyped-def]
    """A second province with its own secretariat ('outsider') and one agency ('west-agri')."""
    from jahesh.organisation import services as org

    other = org.province_create(
        acting_user=None, code="west-azerbaijan", name="آذربایجان غربی",
        hq_name="قرارگاه جهش تولید استان آذربایجان غربی", secretariat_name="معاونت اقتصادی",
        current_year=1403,
    )
    agency = org.agency_create(acting_user=None, province=other, code="west-agri",
                               name="جهاد کشاورزی", category="driver")
    outsider = org.person_create(acting_user=None, province=other, username="outsider",
                                 password="another-long-password")
    org.role_grant(person=outsider, kind="secretariat", province=other, acting_user=None)
    return {"province": other, "agency": agency, "person": outsider}


# --- Browser tests (live_server) ---------------------------------------------------------------

@pytest.fixture(scope="session")
def chromium_for_the_session():  # type: ignore[no-untyped-def]
    """One headless Chromium per test process, shared by every browser test (launching one
    per module cost more than some of the journeys)."""
    from jahesh.core.tests.test_browser import launch_chromium

    yield from launch_chromium()


_demo_snapshot_taken = False


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests on live_server (the browser journeys) get their database flushed after each; they
    are marked for pytest-django's serialized rollback, which restores a snapshot before each of
    them (see `_demo_after_flush`) and keeps the flush from re-creating the content types
    under new ids, which the snapshot's rows would no longer match."""
    for item in items:
        if not _flushes(item):
            continue
        marker = item.get_closest_marker("django_db")
        kwargs = dict(zip(("transaction", "reset_sequences", "databases"),
                          marker.args, strict=False)) if marker else {}
        kwargs.update(marker.kwargs if marker else {})
        kwargs.update(transaction=True, serialized_rollback=True)
        item.add_marker(pytest.mark.django_db(**kwargs), append=False)


def _flushes(item: pytest.Item) -> bool:
    """A test whose database is flushed after it: on live_server, or transactional (the
    numbering test's threads need their own connections). Every such test must restore the
    snapshot, or the flush's fresh content types clash with the next one's."""
    if "live_server" in getattr(item, "fixturenames", ()):
        return True
    marker = item.get_closest_marker("django_db")
    if marker is None:
        return False
    return bool(marker.kwargs.get("transaction") or (marker.args and marker.args[0]))


@pytest.fixture(autouse=True)
def _demo_after_flush(request: pytest.FixtureRequest) -> None:
    """For tests on live_server and other transactional ones: the demo province is there, as
    django_db_setup loaded it.

    The first such test of a process finds the demo still in place (every earlier test was
    rolled back, and pytest-django runs the live_server tests after all the others) and
    snapshots the database; before every later one, pytest-django's serialized rollback puts
    that snapshot back, several times faster than loading the demo again through the services
    (which the journeys still call: it then finds the demo and does nothing).
    """
    global _demo_snapshot_taken
    if _demo_snapshot_taken or not _flushes(request.node):
        return
    from django.db import connection

    request.getfixturevalue("transactional_db")
    load_demo_province()  # a no-op unless something emptied the database already
    connection._test_serialized_contents = connection.creation.serialize_db_to_string()
    _demo_snapshot_taken = True
