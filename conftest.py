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

from jahesh.demo.loader import load_demo_province


def pytest_configure(config: pytest.Config) -> None:
    os.makedirs("test-artifacts", exist_ok=True)


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
    """client_for('secretariat') -> a Django test client logged in as that demo person."""
    from jahesh.organisation.models import Person

    def make(username: str, **extra: str) -> Client:
        client = Client(**extra)
        client.force_login(Person.objects.get(username=username))
        return client

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
