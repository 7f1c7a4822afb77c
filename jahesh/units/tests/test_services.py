import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from jahesh.audit.models import AuditEvent
from jahesh.core.stale import StaleEdit
from jahesh.plan.models import County
from jahesh.units import services
from jahesh.units.models import IndustrialPark, ProductionUnit


def test_registering_normalises_and_audits(make_unit, person):  # type: ignore[no-untyped-def]
    unit = make_unit("  كارخانه   آرد\u200cسازي ", national_id="۱۰۳۸۰۲۸۴۷۹۰", contact_phone="۰۴۱-۳۳۳")
    assert unit.name == "کارخانه آرد\u200cسازی"  # Persian yeh and kaf, one space, ZWNJ kept
    assert unit.national_id == "10380284790" and unit.contact_phone == "041-333"
    assert "10380284790" in unit.search_text and "ارد" in unit.search_text
    event = AuditEvent.objects.get(event="unit.created", target_id=str(unit.pk))
    assert event.actor == person("secretariat") and event.after["name"] == unit.name


def test_a_change_bumps_the_version_and_a_stale_one_is_refused(make_unit, person):  # type: ignore[no-untyped-def]
    unit = make_unit("لبنیات پگاه")
    secretariat = person("secretariat")
    changed = services.unit_save(acting_user=secretariat, unit=unit, expected_version=1,
                                 employees=120)
    assert changed.version == 2
    event = AuditEvent.objects.get(event="unit.changed", target_id=str(unit.pk))
    assert event.before["employees"] is None and event.after["employees"] == 120
    with pytest.raises(StaleEdit):  # the page showed version 1
        services.unit_save(acting_user=secretariat, unit=unit, expected_version=1, employees=5)
    # Saving the same values writes nothing.
    services.unit_save(acting_user=secretariat, unit=changed, employees=120)
    assert ProductionUnit.objects.get(pk=unit.pk).version == 2
    assert AuditEvent.objects.filter(event="unit.changed").count() == 1


def test_errors_name_their_field_and_nothing_is_saved(make_unit, province, other_province):  # type: ignore[no-untyped-def]
    make_unit("کاشی تبریز", national_id="10380284790")
    count = ProductionUnit.objects.filter(province=province).count()
    foreign_county = County.objects.create(province=other_province["province"], name="ارومیه")
    with translation.override("en"):
        with pytest.raises(ValidationError) as exc:
            make_unit("کاشی دوم", national_id="10380284790", county=foreign_county)
        assert "this national business id" in exc.value.message_dict["national_id"][0]
        assert exc.value.message_dict["county"] == ["Choose one of this province's."]
    with pytest.raises(ValidationError) as exc:
        make_unit("کاشی سوم", national_id="10380284791")
    assert exc.value.error_dict["national_id"][0].code == "check_digit"
    assert ProductionUnit.objects.filter(province=province).count() == count
    # Another province may have a unit with the same id.
    make_unit("کاشی غرب", province=other_province["province"], national_id="10380284790")


def test_the_county_follows_the_park_and_may_not_contradict_it(make_unit, province, person):  # type: ignore[no-untyped-def]
    tabriz, marand = County.objects.filter(province=province)[:2]
    park = services.park_save(acting_user=person("secretariat"), province=province,
                              name="شهرک صنعتی غرب", county=tabriz)
    assert AuditEvent.objects.filter(event="industrial_park.created").exists()
    assert make_unit("واحد الف", industrial_park=park).county == tabriz
    with pytest.raises(ValidationError) as exc:
        make_unit("واحد ب", industrial_park=park, county=marand)
    assert list(exc.value.message_dict) == ["industrial_park"]
    with pytest.raises(ValidationError) as exc:  # two parks of one name in a province
        services.park_save(acting_user=None, province=province, name="شهرک صنعتي غرب")
    assert list(exc.value.message_dict) == ["name"]
    services.park_save(acting_user=None, park=park, is_active=False)
    assert not IndustrialPark.objects.get(pk=park.pk).is_active
    assert AuditEvent.objects.filter(event="industrial_park.changed").count() == 1
