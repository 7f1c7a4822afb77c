"""The cases section of `make bench` measures what it says, on a tiny generated province."""

import pytest

from jahesh.bench import cases
from jahesh.bench.macro_table import _client
from jahesh.bench.sections import SECTIONS
from jahesh.cases.models import Case
from jahesh.demo.generator import generate_province

pytestmark = pytest.mark.django_db


def test_section_is_registered():
    assert "cases" in [section.name for section in SECTIONS]
    assert cases.POSTGRES_URL.endswith("_cases")


def test_the_pages_answer_and_the_escalation_is_measured_and_undone(settings):
    settings.ALLOWED_HOSTS = ["*"]
    generate_province(agencies=3, projects=10, cases=200, seed=11, code="bench-test")
    client = _client("bench-test.secretariat")
    for name, path in cases.paths("bench-test").items():
        assert client.get(path).status_code == 200, name
    levels = dict(Case.objects.filter(province__code="bench-test")
                  .values_list("pk", "escalation_level"))
    figures = cases.measure_escalation("bench-test", cases.today())
    assert figures["failures"] == 0 and figures["idempotent"]
    assert figures["cases_reset"] == 200
    first = figures["runs"]["first run"]
    # Put back at the bottom, every overdue case climbs again to where it was.
    assert first["cases_moved"] == sum(1 for level in levels.values() if level)
    assert figures["runs"]["second run, same day"]["cases_moved"] == 0
    # Rolled back: the province is as it was.
    assert dict(Case.objects.filter(province__code="bench-test")
                .values_list("pk", "escalation_level")) == levels
