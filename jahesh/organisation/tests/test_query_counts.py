"""Lists and the home page cost the same number of queries for 10 rows as for 200.

The rows are built through the services, in a province of their own, with everything the pages
show about each row filled in (sector, parent agency, roles and their agencies, event actors),
so that an N+1 anywhere would show up as a difference between the two counts.
"""

from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jahesh.organisation import services as org
from jahesh.organisation.models import Agency, AgencyCategory
from jahesh.plan.services import key_action_create

# Queries per page, whatever the number of rows. Every page starts with the same five:
# session, person, their roles (once per request: access.actor_for), their province, and the
# unread count of the notification bell.
PINNED = {
    "/agencies/": 8,  # + count, sectors (filter form), page with sector, parent and people count
    "/people/": 9,  # + count, agencies (filter form), page, roles with their agencies (prefetch)
    "/": 8,  # + key actions, agencies with their sectors, my roles with their agencies
    "/audit/": 7,  # + count, page with actors
}


@pytest.fixture
def ardabil(db):  # type: ignore[no-untyped-def]
    """A third province, its secretariat, three sectors and the year's key actions."""
    province = org.province_create(
        acting_user=None, code="ardabil", name="اردبیل", hq_name="قرارگاه جهش تولید استان اردبیل",
        secretariat_name="معاونت اقتصادی", current_year=1403,
    )
    secretariat = org.person_create(acting_user=None, province=province,
                                    username="ardabil.secretariat", password=None)
    org.role_grant(person=secretariat, kind="secretariat", province=province, acting_user=None)
    sectors = [org.sector_create(acting_user=secretariat, province=province, code=f"sector-{n}",
                                 name=f"بخش {n}") for n in range(3)]
    for number in range(1, 11):
        key_action_create(acting_user=secretariat, province=province, year=1403, number=number,
                          title=f"اقدام {number}")
    return SimpleNamespace(province=province, secretariat=secretariat, sectors=sectors)


def grow(ardabil, size: int) -> None:  # type: ignore[no-untyped-def]
    """Add agencies, and people holding a role in them, until there are `size` of each."""
    province, secretariat = ardabil.province, ardabil.secretariat
    agencies = Agency.objects.filter(province=province)
    parent = agencies.order_by("pk").first()
    categories = AgencyCategory.values
    for n in range(agencies.count(), size):
        agency = org.agency_create(
            acting_user=secretariat, province=province, code=f"agency-{n}", name=f"دستگاه {n}",
            category=categories[n % len(categories)], sector=ardabil.sectors[n % 3], parent=parent,
        )
        parent = parent or agency
        member = org.person_create(acting_user=secretariat, province=province,
                                   username=f"member.{n}", password=None,
                                   first_name="عضو", last_name=f"شماره {n}")
        org.role_grant(person=member, kind="reporter" if n % 2 else "approver",
                       province=province, agency=agency, acting_user=secretariat)


def count_queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_pages_cost_the_same_queries_for_10_and_200_rows(ardabil, client_for):  # type: ignore[no-untyped-def]
    client = client_for("ardabil.secretariat")
    grow(ardabil, 10)
    for url in PINNED:
        client.get(url)  # the first request of a session also stamps it: not part of the count
    small = {url: count_queries(client, url) for url in PINNED}

    grow(ardabil, 200)
    large = {url: count_queries(client, url) for url in PINNED}

    assert small == large == PINNED
    # The large counts were taken on full pages.
    assert client.get("/agencies/").context["page"].paginator.count == 200
    assert client.get("/people/").context["page"].paginator.count == 201
    assert client.get("/").context["overview"].agency_count == 200
    assert client.get("/audit/").context["page"].paginator.count > 600
