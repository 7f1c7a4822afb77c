"""Fixtures for the organisation tests. The demo province and its personas come from the root
conftest.py; the matrix columns and form-error checks from helpers.py."""

from types import SimpleNamespace
from typing import Any

import pytest

from jahesh.organisation import services as org
from jahesh.organisation.models import Agency, Person
from jahesh.organisation.tests import helpers


@pytest.fixture
def client_as(request, db):  # type: ignore[no-untyped-def]
    """client_as('hq') -> a client for one of helpers.PERSONAS, 'anonymous' and 'outsider' too."""

    def make(persona: str, **extra: Any) -> Any:
        return helpers.client_as(persona, request, **extra)

    return make


@pytest.fixture
def persona_clients(client_as):  # type: ignore[no-untyped-def]
    """A client for every persona of the access matrices, in the order of helpers.PERSONAS."""
    return helpers.persona_clients(client_as)


@pytest.fixture
def inactive_agency(province):  # type: ignore[no-untyped-def]
    """An agency of the demo province that the secretariat has deactivated."""
    agency = org.agency_create(acting_user=None, province=province, code="old-mines",
                               name="اداره کل معادن (منحل)", category="supporting")
    return org.agency_set_active(agency=agency, acting_user=None, active=False)


@pytest.fixture
def west_reporter(other_province):  # type: ignore[no-untyped-def]
    """A reporter of the other province's agency: someone the outsider manages."""
    west = other_province["province"]
    person = org.person_create(acting_user=None, province=west, username="west-agri.reporter",
                               password=None, first_name="کامران", last_name="غربی")
    org.role_grant(person=person, kind="reporter", province=west,
                   agency=other_province["agency"], acting_user=None)
    return person


@pytest.fixture
def target(request, province):  # type: ignore[no-untyped-def]
    """target('agency', 'agri') / target('person', 'imt.reporter') -> the object a URL names.

    Agencies: any demo code, 'inactive', 'west-agri' (another province), 'unknown'.
    People: any demo username, 'west-agri.reporter' (another province), 'unknown'.
    """

    def resolve(kind: str, name: str) -> Any:
        if name == "unknown":
            return SimpleNamespace(pk=helpers.UNKNOWN_ID)
        if kind == "agency":
            if name == "inactive":
                return request.getfixturevalue("inactive_agency")
            if name == "west-agri":
                return request.getfixturevalue("other_province")["agency"]
            return Agency.objects.get(province=province, code=name)
        if name == "west-agri.reporter":
            return request.getfixturevalue("west_reporter")
        return Person.objects.get(username=name)

    return resolve
