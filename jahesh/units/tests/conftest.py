import pytest

from jahesh.units import services


@pytest.fixture
def make_unit(province, person):  # type: ignore[no-untyped-def]
    """make_unit(name, **values) -> a unit of the demo province, registered by the secretariat."""
    secretariat = person("secretariat")

    def make(name: str, province=province, **values):  # type: ignore[no-untyped-def]
        return services.unit_save(acting_user=secretariat, province=province, name=name,
                                  **values)

    return make
