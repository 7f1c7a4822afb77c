"""The programme list: who sees which programmes, filters, search with text folding, paging."""

import pytest
from django.urls import reverse

from jahesh.core.paging import PAGE_SIZE
from jahesh.plan import services
from jahesh.plan.models import KeyAction, Programme, ProgrammeState
from jahesh.plan.tests.views_support import MARK, make_programme, person, tr

LIST = reverse("plan:programme_list")


def shown(response) -> list[Programme]:  # type: ignore[no-untyped-def]
    return list(response.context["page"])


@pytest.fixture
def three(province):  # type: ignore[no-untyped-def]
    """An agri draft, an agri accepted programme and an imt submitted one."""
    return {
        "agri-draft": make_programme(province, title=f"توسعه گلخانه‌های {MARK} ۳۰۰ هکتار"),
        "agri-accepted": make_programme(province, state=ProgrammeState.ACCEPTED,
                                        title=f"افزایش صادرات زعفران {MARK} ۲۰ تن"),
        "imt-submitted": make_programme(province, code="imt", state=ProgrammeState.SUBMITTED,
                                        title=f"ساخت داخل قطعات {MARK} ۵۰ قلم"),
    }


def test_agency_people_see_only_their_agency(client_for, three):  # type: ignore[no-untyped-def]
    rows = shown(client_for("agri.reporter").get(LIST, {"q": MARK}))
    assert {p.pk for p in rows} == {three["agri-draft"].programme.pk,
                                    three["agri-accepted"].programme.pk}
    assert all(p.agency.code == "agri" for p in shown(client_for("agri.head").get(LIST)))
    assert {p.pk for p in shown(client_for("imt.reporter").get(LIST, {"q": MARK}))} == {
        three["imt-submitted"].programme.pk}


@pytest.mark.parametrize("persona", ["secretariat", "hq", "chamber", "evaluator"])
def test_province_readers_see_every_agency_and_can_filter_by_it(client_for, three, persona):  # type: ignore[no-untyped-def]
    client = client_for(persona)
    response = client.get(LIST, {"q": MARK})
    assert len(shown(response)) == 3
    assert 'name="agency"' in response.content.decode()
    imt = three["imt-submitted"].programme.agency
    assert [p.pk for p in shown(client.get(LIST, {"q": MARK, "agency": imt.pk}))] == [
        three["imt-submitted"].programme.pk]


def test_agency_people_get_no_agency_filter(client_for, three):  # type: ignore[no-untyped-def]
    html = client_for("agri.reporter").get(LIST).content.decode()
    assert 'name="agency"' not in html
    # An agency typed into the address bar changes nothing: the filter does not exist for them.
    imt = three["imt-submitted"].programme.agency
    assert shown(client_for("agri.reporter").get(LIST, {"agency": imt.pk, "q": MARK}))


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("زعفران", {"agri-accepted"}),
        ("زعفـــران", {"agri-accepted"}),  # kashida
        ("زعفرون", set()),
        ("گلخانه ها", {"agri-draft"}),  # a space where the ZWNJ is
        ("گلخانههاي", {"agri-draft"}),  # no ZWNJ, Arabic yeh
        ("۳۰۰", {"agri-draft"}),
        ("300", {"agri-draft"}),
        ("صنعت، معدن", {"imt-submitted"}),  # the agency's name is searched too
    ],
)
def test_search_folds_persian_text(client_for, three, q, expected):  # type: ignore[no-untyped-def]
    rows = {p.pk for p in shown(client_for("secretariat").get(LIST, {"q": q}))}
    mine = {name: made.programme.pk for name, made in three.items()}
    assert {name for name, pk in mine.items() if pk in rows} == expected


def test_filters_by_level_state_and_key_action(client_for, province, three):  # type: ignore[no-untyped-def]
    client = client_for("secretariat")
    accepted = shown(client.get(LIST, {"q": MARK, "state": "accepted"}))
    assert [p.pk for p in accepted] == [three["agri-accepted"].programme.pk]
    assert shown(client.get(LIST, {"q": MARK, "level": "strategic"})) == []
    assert len(shown(client.get(LIST, {"q": MARK, "level": "operational"}))) == 3
    key_actions = list(KeyAction.objects.for_year(province, 1403))
    services.programme_update(programme=three["agri-draft"].programme,
                              acting_user=person("agri.reporter"),
                              key_actions=[key_actions[9]])
    rows = shown(client.get(LIST, {"q": MARK, "key_action": key_actions[9].pk}))
    assert [p.pk for p in rows] == [three["agri-draft"].programme.pk]


def test_the_row_shows_state_quality_and_project_count(client_for, three):  # type: ignore[no-untyped-def]
    response = client_for("secretariat").get(LIST, {"q": f"زعفران {MARK}"})
    row = response.content.decode().split("<tbody>")[1].split("</tr>")[0]
    assert tr("Accepted") in row and ">B<" in row  # the state and the quality grade
    assert ">۱۰۰<" in row  # a complete programme scores 100
    assert "صنعت" not in row
    assert shown(response)[0].quality.score == 100


def test_an_invalid_filter_is_ignored(client_for, three):  # type: ignore[no-untyped-def]
    response = client_for("hq").get(LIST, {"state": "lost", "q": MARK})
    assert response.status_code == 200
    assert len(shown(response)) >= 3


def test_nothing_found_says_so(client_for, three):  # type: ignore[no-untyped-def]
    response = client_for("hq").get(LIST, {"q": "هیچ‌چیزی‌نیست"})
    assert shown(response) == []
    assert tr("No programme matches these filters.") in response.content.decode()


def test_paging_keeps_the_filters(client_for, province):  # type: ignore[no-untyped-def]
    for n in range(PAGE_SIZE + 2):
        make_programme(province, title=f"برنامه {MARK} شماره {n} با ۱۰ تن", projects=0)
    client = client_for("hq")
    first = client.get(LIST, {"q": MARK, "state": "draft"})
    assert len(shown(first)) == PAGE_SIZE
    assert 'href="?q=' in first.content.decode() and "page=2" in first.content.decode()
    second = client.get(LIST, {"q": MARK, "state": "draft", "page": "2"})
    assert len(shown(second)) == 2


def test_htmx_gets_only_the_rows(client_for, three):  # type: ignore[no-untyped-def]
    response = client_for("hq").get(LIST, {"q": f"زعفران {MARK}"},
                                    headers={"HX-Request": "true"})
    used = [t.name for t in response.templates]
    assert "plan/_programme_rows.html" in used and "base.html" not in used
    html = response.content.decode()
    assert "<html" not in html and "زعفران" in html
