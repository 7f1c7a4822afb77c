"""Choosing a project or an indicator by typing: what the lists offer, to whom, and what the
fields accept without JavaScript."""

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

from jahesh.plan.pickers import indicator_field, project_field, projects_field
from jahesh.plan.tests.builders import indicator, programme, project

pytestmark = pytest.mark.django_db
PROJECTS = reverse("plan:project_search")
INDICATORS = reverse("plan:indicator_search")


@pytest.fixture
def works(province):  # type: ignore[no-untyped-def]
    greenhouse = project(programme(province), title="احداث گلخانه هیدروپونیک کلیبر")
    fishery = project(programme(province, title="آبزی‌پروری"), title="توسعه پرورش ماهی قزل‌آلا")
    industry = project(programme(province, agency="imt", title="زیرساخت شهرک‌ها"),
                       title="پست برق شهرک صنعتی کلیبر")
    return {
        "greenhouse": greenhouse, "fishery": fishery, "industry": industry,
        "area": indicator(greenhouse, name="سطح زیر کشت گلخانه‌ای"),
        "jobs": indicator(greenhouse, name="اشتغال ایجاد شده", unit="نفر"),
        "fish": indicator(fishery, name="تولید ماهی", unit="تن"),
    }


def ids(response) -> list[str]:  # type: ignore[no-untyped-def]
    import re

    assert response.status_code == 200
    return re.findall(r'data-pick-id="(\d+)"', response.content.decode())


def test_project_search_folds_arabic_letters_and_is_scoped(client_for, works, other_province) -> None:  # type: ignore[no-untyped-def]
    # typed with an Arabic keyboard: yeh and kaf are the Arabic ones
    response = client_for("secretariat").get(PROJECTS, {"q": "هيدروپونيك كليبر"})
    assert ids(response) == [str(works["greenhouse"].pk)]
    assert set(ids(client_for("secretariat").get(PROJECTS, {"q": "کلیبر"}))) == {
        str(works["greenhouse"].pk), str(works["industry"].pk)}
    for typed in ("قزل آلا", "قزل‌آلا", "قزلآلا"):  # a space, a ZWNJ or nothing between
        assert ids(client_for("secretariat").get(PROJECTS, {"q": typed})) == [
            str(works["fishery"].pk)], typed
    # an agency's reporter finds only its own agency's projects
    assert ids(client_for("imt.reporter").get(PROJECTS, {"q": "کلیبر"})) == [
        str(works["industry"].pk)]
    # nothing typed, nothing listed; another province sees nothing; a visitor is sent to log in
    assert ids(client_for("secretariat").get(PROJECTS, {"q": " "})) == []
    assert ids(client_for("outsider").get(PROJECTS, {"q": "کلیبر"})) == []
    anonymous = client_for("secretariat")
    anonymous.logout()
    assert anonymous.get(PROJECTS, {"q": "کلیبر"}).status_code == 302


def test_project_search_says_when_nothing_matches_in_persian(client_for, works) -> None:  # type: ignore[no-untyped-def]
    from jahesh.plan.tests.views_support import tr

    html = client_for("secretariat").get(PROJECTS, {"q": "ناموجود"}).content.decode()
    assert tr("No project of this year matches this search.") in html


def test_indicators_of_the_chosen_project_are_listed_before_any_typing(client_for, works,
                                                                        other_province) -> None:  # type: ignore[no-untyped-def]
    client = client_for("secretariat")
    greenhouse = works["greenhouse"].pk
    assert ids(client.get(INDICATORS, {"q": "", "project": greenhouse})) == [
        str(works["area"].pk), str(works["jobs"].pk)]
    assert ids(client.get(INDICATORS, {"q": "اشتغال", "project": str(greenhouse)})) == [
        str(works["jobs"].pk)]
    # the project's id in Persian digits, as a form may hold it
    assert ids(client.get(INDICATORS, {"q": "", "project": "".join(
        "۰۱۲۳۴۵۶۷۸۹"[int(d)] for d in str(greenhouse))})) == [
        str(works["area"].pk), str(works["jobs"].pk)]
    # without a project: by the indicator's name or its project's title
    assert ids(client.get(INDICATORS, {"q": "تولید ماهی"})) == [str(works["fish"].pk)]
    assert set(ids(client.get(INDICATORS, {"q": "كليبر"}))) == {
        str(works["area"].pk), str(works["jobs"].pk)}
    # a project of another agency narrows nothing for its reporter: it is not theirs to see
    assert ids(client_for("imt.reporter").get(INDICATORS, {"q": "", "project": greenhouse})) == []
    assert ids(client_for("outsider").get(INDICATORS, {"q": "کلیبر"})) == []


class BlockedForm(forms.Form):
    def __init__(self, *args, province, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["project"] = project_field(province=province, year=1403, required=False)
        self.fields["indicator"] = indicator_field(province=province, year=1403, required=False)
        self.fields["projects"] = projects_field(province=province, year=1403, required=False)


def test_fields_take_the_hidden_id_or_the_exact_title(province, works) -> None:  # type: ignore[no-untyped-def]
    greenhouse = works["greenhouse"]
    for data in ({"project": str(greenhouse.pk)},
                 {"project": "", "project_q": "احداث گلخانه هیدروپونیک کلیبر"},
                 {"project_q": "احداث  گلخانه هيدروپونيك كليبر"}):  # Arabic yeh and kaf
        form = BlockedForm(data, province=province)
        assert form.is_valid(), form.errors
        assert form.cleaned_data["project"] == greenhouse
    form = BlockedForm({"indicator": str(works["fish"].pk)}, province=province)
    assert form.is_valid() and form.cleaned_data["indicator"] == works["fish"]


def test_fields_refuse_another_province_and_ambiguous_names(province, works, other_province) -> None:  # type: ignore[no-untyped-def]
    from jahesh.plan.tests.views_support import tr

    again = project(programme(province, title="گلخانه دوم"), title="احداث گلخانه هیدروپونیک کلیبر")
    form = BlockedForm({"project_q": "احداث گلخانه هیدروپونیک کلیبر"}, province=province)
    assert not form.is_valid() and form.has_error("project", "ambiguous")
    form = BlockedForm({"project": str(again.pk)}, province=other_province["province"])
    assert not form.is_valid()
    with translation.override("en"):
        assert form.errors["project"] == [
            f"No project of this year matches “{again.pk}”. Choose one from the list."]
    with translation.override("fa"):
        assert form.errors["project"] == [
            f"هیچ پروژه‌ای از امسال با «{again.pk}» مطابقت ندارد. یکی را از فهرست انتخاب کنید."]
    html = str(BlockedForm(initial={"project": again}, province=province)["project"])
    assert f'data-pick-id="{again.pk}"' in html and "jahesh/search_picker.js" in html
    assert tr("Part of its title") in html
    html = str(BlockedForm(province=province)["indicator"])
    assert 'data-narrow-by="project"' in html
    # the box names the list it controls (screen readers announce the matches)
    assert 'aria-controls="id_indicator_results"' in html and 'id="id_indicator_results"' in html


def test_several_projects_are_ticked_boxes_and_typed_titles(province, works) -> None:  # type: ignore[no-untyped-def]
    from django.http import QueryDict

    greenhouse, fishery = works["greenhouse"], works["fishery"]

    def posted(**values: list[str]) -> QueryDict:
        data = QueryDict(mutable=True)
        for name, items in values.items():
            data.setlist(name, items)
        return data

    # ticked boxes (the same one twice counts once), and a title typed without JavaScript
    form = BlockedForm(posted(projects=[str(greenhouse.pk), str(greenhouse.pk)],
                              projects_q=["توسعه پرورش ماهی قزل آلا"]), province=province)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["projects"] == [greenhouse, fishery]
    # nothing ticked: none chosen
    form = BlockedForm(posted(), province=province)
    assert form.is_valid() and form.cleaned_data["projects"] == []
    # a number of no project of the year: refused next to the field, in Persian
    form = BlockedForm(posted(projects=["999999"]), province=province)
    assert not form.is_valid()
    with translation.override("fa"):
        assert form.errors["projects"] == [
            "هیچ پروژه‌ای از امسال با «999999» مطابقت ندارد. یکی را از فهرست انتخاب کنید."]
    # shown again: the chosen ones ticked, the search box empty under its own name
    html = str(BlockedForm(initial={"projects": [fishery.pk]}, province=province)["projects"])
    assert f'name="projects" value="{fishery.pk}" checked' in html
    assert 'name="projects_q"' in html and fishery.title in html
    assert greenhouse.title not in html
