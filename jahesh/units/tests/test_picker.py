import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

from jahesh.units.forms import UnitChoiceField


@pytest.fixture
def units(make_unit, province):  # type: ignore[no-untyped-def]
    return {
        "kashi": make_unit("کاشی تبریز", national_id="10380284790"),
        "kashi2": make_unit("كاشي‌سازي مرند"),  # Arabic yeh/kaf and a ZWNJ as typed
        "dairy": make_unit("لبنیات پگاه", national_id="14007650912"),
        "closed": make_unit("کاشی قدیمی", is_active=False),
    }


def test_search_fragment_folds_persian_variants(client_for, units) -> None:  # type: ignore[no-untyped-def]
    client = client_for("agri.reporter")  # any role in the province may pick a unit
    response = client.get(reverse("units:unit_search"), {"q": "كاشي"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-pick-id="{units["kashi"].pk}"' in html
    assert f'data-pick-id="{units["kashi2"].pk}"' in html
    assert f'data-pick-id="{units["closed"].pk}"' not in html  # inactive units are not offered
    assert f'data-pick-id="{units["dairy"].pk}"' not in html


def test_search_json_by_national_id_in_persian_digits(client_for, units) -> None:  # type: ignore[no-untyped-def]
    response = client_for("hq").get(reverse("units:unit_search"), {"q": "۱۴۰۰۷۶", "format": "json"})
    assert [r["id"] for r in response.json()["results"]] == [units["dairy"].pk]
    response = client_for("hq").get(reverse("units:unit_search"), {"q": "کاشی"},
                                    HTTP_ACCEPT="application/json")
    assert len(response.json()["results"]) == 2


def test_search_is_limited_and_scoped(client_for, make_unit, other_province) -> None:  # type: ignore[no-untyped-def]
    for i in range(25):
        make_unit(f"واحد نمونه {i}")
    client = client_for("secretariat")
    assert len(client.get(reverse("units:unit_search"), {"q": "نمونه", "format": "json"})
               .json()["results"]) == 20
    # another province's secretariat finds nothing of this province
    outsider = client_for("outsider")
    assert outsider.get(reverse("units:unit_search"), {"q": "نمونه", "format": "json"}
                        ).json()["results"] == []
    anonymous = client_for("secretariat")
    anonymous.logout()
    assert anonymous.get(reverse("units:unit_search"), {"q": "نمونه"}).status_code == 302


class StopForm(forms.Form):
    def __init__(self, *args, province, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["unit"] = UnitChoiceField(province=province)


def test_field_accepts_hidden_id_national_id_or_exact_name(province, units) -> None:  # type: ignore[no-untyped-def]
    kashi = units["kashi"]
    for data in ({"unit": str(kashi.pk)}, {"unit": "۱۰۳۸۰۲۸۴۷۹۰"},
                 {"unit": "", "unit_q": "كاشي تبريز"}):
        form = StopForm(data, province=province)
        assert form.is_valid(), form.errors
        assert form.cleaned_data["unit"] == kashi


def test_field_errors_are_next_to_the_field(province, units, other_province, make_unit) -> None:  # type: ignore[no-untyped-def]
    foreign = make_unit("کاشی غرب", province=other_province["province"])
    with translation.override("en"):
        for data in ({"unit": str(foreign.pk)}, {"unit": str(units["closed"].pk)},
                     {"unit": "", "unit_q": "ناشناخته"}):
            form = StopForm(data, province=province)
            assert not form.is_valid()
            assert "No production unit of this province matches" in form.errors["unit"][0]
        form = StopForm({"unit": ""}, province=province)
        assert not form.is_valid() and form.errors["unit"] == ["This field is required."]


def test_widget_renders_the_chosen_unit_and_its_script(province, units) -> None:  # type: ignore[no-untyped-def]
    kashi = units["kashi"]
    html = str(StopForm(initial={"unit": kashi}, province=province)["unit"])
    assert 'value="10380284790"' in html  # readable back without JavaScript
    assert f'data-pick-id="{kashi.pk}"' in html
    assert "jahesh/search_picker.js" in html and "<script>" not in html
