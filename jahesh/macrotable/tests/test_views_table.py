"""The macro-table page: who may see it, htmx filters, Persian digits, totals, constant queries."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from jahesh.macrotable import selectors, views
from jahesh.macrotable.selectors import MacroFilters
from jahesh.organisation.access import actor_for

from .conftest import YEAR, add_project, indicator

pytestmark = pytest.mark.django_db
URL = reverse("macrotable:table")


def test_anonymous_visitors_are_sent_to_log_in(plan_1402):
    response = Client().get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("username", ["secretariat", "hq", "chamber", "evaluator",
                                      "agri.reporter", "agri.head", "imt.reporter"])
def test_everyone_with_a_role_sees_the_page(plan_1402, client_for, username):
    assert client_for(username).get(URL, {"year": YEAR}).status_code == 200


def test_another_agencys_rows_are_a_404_for_a_reporter(plan_1402, client_for):
    client = client_for("agri.reporter")
    imt = plan_1402.agencies["imt"]
    assert client.get(URL, {"year": YEAR, "agency": imt.pk}).status_code == 404
    assert client.get(URL, {"year": YEAR, "agency": 987654}).status_code == 404
    own = client.get(URL, {"year": YEAR, "agency": plan_1402.agencies["agri"].pk})
    assert own.status_code == 200
    assert "احیای ۴۰ واحد راکد" not in own.content.decode()
    # Left unfiltered, the page shows only the agency's own rows.
    page = client.get(URL, {"year": YEAR}).content.decode()
    assert "صنایع تبدیلی شیر" in page and "احیای ۴۰ واحد راکد" not in page


def test_hq_sees_every_agency(plan_1402, client_for):
    page = client_for("hq").get(URL, {"year": YEAR}).content.decode()
    assert "صنایع تبدیلی شیر" in page and "احیای ۴۰ واحد راکد" in page


def test_the_page_speaks_persian_digits_and_jalali_dates(plan_1402, client_for):
    page = client_for("secretariat").get(URL, {"year": YEAR}).content.decode()
    assert "۱٬۶۶۰" in page  # the grand total, 1660 million rials
    assert "۱۴۰۲/۰۱/۱۵" in page  # a project's start, Jalali
    assert "۱٬۲۰۰ → <strong>۱٬۴۰۰</strong>" in page  # an indicator's baseline and target
    assert 'dir="rtl"' in page


def test_the_page_in_english_has_latin_digits_throughout(plan_1402, client_for):
    # Numbers and dates are formatted in the view, once per page, not by template filters.
    client = client_for("secretariat")
    client.cookies["jahesh_language"] = "en"
    page = client.get(URL, {"year": YEAR, "group": "key_action"}).content.decode()
    assert 'lang="en"' in page
    assert "1,660" in page and "۱٬۶۶۰" not in page  # the grand total
    assert "1402/01/15 – 1402/12/20" in page  # a project's start and end, Jalali
    assert "1,200 → <strong>1,400</strong>" in page  # an indicator's baseline and target
    assert "، 1402/06/31)" in page  # a required action's due date
    assert "4. ایجاد زنجیره" in page  # a key action's number, in a group's heading


def test_a_row_shows_only_the_budget_sources_it_has(plan_1402, client_for):
    page = client_for("secretariat").get(URL, {"year": YEAR}).content.decode()
    # The greenhouses: provincial 100, national 200, bank 300, private nothing.
    assert ('<strong>۶۰۰</strong><div class="small text-muted">استانی ۱۰۰</div>'
            '<div class="small text-muted">ملی ۲۰۰</div>'
            '<div class="small text-muted">بانکی ۳۰۰</div></td>') in page


def test_a_person_who_sees_no_programme_gets_an_empty_table(plan_1402, client_for):
    page = client_for("parks.reporter").get(URL, {"year": YEAR})
    assert page.status_code == 200
    assert page.context["table"].grand.projects == 0 and page.context["rows"] == []


def test_htmx_gets_only_the_rows_and_the_year_refreshes_the_key_actions(plan_1402, client_for):
    client = client_for("secretariat")
    partial = client.get(URL, {"year": YEAR, "q": "شير"}, HTTP_HX_REQUEST="true")
    html = partial.content.decode()
    assert "<html" not in html and "صنایع تبدیلی شیر" in html
    assert "گلخانه‌های جدید" not in html and 'hx-swap-oob' not in html
    by_year = client.get(URL, {"year": YEAR}, HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER_NAME="year")
    assert 'id="jh-field-key_action" hx-swap-oob="true"' in by_year.content.decode()


def test_each_group_gets_a_totals_row(plan_1402, client_for):
    page = client_for("secretariat").get(URL, {"year": YEAR, "group": "key_action"})
    html = page.content.decode()
    assert html.count('class="table-light jh-group"') == 3
    groups = {r.group.number: r.group for r in page.context["table"].rows if r.group}
    assert groups[4].projects == 2 and groups[4].budget_total == Decimal(60)


def test_paging_keeps_the_filters(plan_1402, client_for, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    page = client_for("secretariat").get(URL, {"year": YEAR, "group": "agency"})
    assert page.context["page"].paginator.num_pages == 2
    assert "?year=1402&amp;group=agency&amp;page=2" in page.content.decode()


# --- Constant queries -----------------------------------------------------------------------

def _grow(plan, count):  # type: ignore[no-untyped-def]
    programme = plan.programmes["greenhouse"]
    for n in range(count):
        add_project(
            programme, title=f"پروژه آزمایشی {n}", key_action=plan.key_actions[1 + n % 10],
            county_=plan.counties["مرند"], budget=(n, 1, 0, 0),
            indicators=[indicator(f"شاخص {n}", "واحد", "1", "2"),
                        indicator(f"شاخص دوم {n}", "واحد", "1", "3")],
            actions=[{"title": f"اقدام {n}", "owner_agency": plan.agencies["water"]}],
        )


# What one page costs, with 4 projects or with 64 (three pages): session, person, roles,
# province; the filter form's lists (years, agencies, sectors, key actions, industries,
# counties); the two totals; the page's projects, their indicators and their actions; and the
# "may import" check.
PAGE_QUERIES = 16  # + the unread notifications of the bell


@pytest.mark.parametrize("extra", [0, 60])
@pytest.mark.parametrize("group", ["agency", "key_action"])
def test_the_page_costs_the_same_queries_however_many_projects(
        plan_1402, client_for, django_assert_num_queries, extra, group):
    _grow(plan_1402, extra)
    client = client_for("secretariat")
    client.get(URL)  # the first request of a session refreshes its expiry: a write, once
    with django_assert_num_queries(PAGE_QUERIES):
        response = client.get(URL, {"year": YEAR, "group": group, "page": 2 if extra else 1})
    assert response.status_code == 200
    table = response.context["table"]
    assert table.grand.projects == 4 + extra
    assert len(table.rows) == (25 if extra else 4)


@pytest.mark.parametrize("extra", [0, 60])
def test_an_htmx_filter_costs_the_same_queries(plan_1402, client_for, django_assert_num_queries,
                                               extra):
    _grow(plan_1402, extra)
    client = client_for("agri.reporter")
    client.get(URL)
    # The partial renders no filter lists and needs no "may import" check; validating the
    # chosen key action is one query.
    with django_assert_num_queries(PAGE_QUERIES - 6 + 1):
        response = client.get(URL, {"year": YEAR, "key_action": plan_1402.key_actions[1].pk},
                              HTTP_HX_REQUEST="true")
    assert response.status_code == 200


def test_the_selector_alone_is_five_queries(plan_1402, person, province, django_assert_num_queries):
    _grow(plan_1402, 30)
    actor = actor_for(person("secretariat"))
    with django_assert_num_queries(5):  # two totals, the page, its indicators, its actions
        table = selectors.macro_table(actor=actor, province=province,
                                      filters=MacroFilters(year=YEAR))
        for row in table.rows:
            assert isinstance(row.project.indicator_list, list)
            for action in row.project.action_list:
                assert action.owner_agency is None or action.owner_agency.name
            assert row.project.programme.agency.name and row.project.key_action.title
