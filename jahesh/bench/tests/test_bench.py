"""The benchmark's pure parts: percentiles and the var/bench.json merge (no server)."""

import json
import random
import statistics

import pytest

from jahesh.bench.results import merge_sections, write_sections
from jahesh.bench.stats import percentile, ratio


def test_percentile_on_known_data():
    assert percentile([1, 2, 3, 4], 50) == 2.5
    assert percentile([4, 1, 3, 2], 50) == 2.5  # order does not matter
    assert percentile(range(1, 101), 95) == pytest.approx(95.05)
    assert percentile(range(1, 101), 50) == pytest.approx(50.5)
    assert percentile([10, 20, 30], 0) == 10
    assert percentile([10, 20, 30], 100) == 30
    assert percentile([7.5], 95) == 7.5


def test_percentile_matches_statistics_inclusive_quantiles():
    rng = random.Random(1403)
    data = [rng.expovariate(1 / 20) for _ in range(537)]
    cuts = statistics.quantiles(data, n=100, method="inclusive")
    assert percentile(data, 50) == pytest.approx(cuts[49])
    assert percentile(data, 95) == pytest.approx(cuts[94])


@pytest.mark.parametrize("q", [-1, 100.5])
def test_percentile_refuses_bad_input(q):
    with pytest.raises(ValueError):
        percentile([1, 2], q)
    with pytest.raises(ValueError):
        percentile([], 50)


def test_ratio():
    assert ratio(30, 10) == 3
    assert ratio(1, 0) is None


def test_merge_keeps_other_sections_and_replaces_its_own():
    existing = {"pages": {"old": 1}, "exports": {"rows": 5}}
    merged = merge_sections(existing, {"pages": {"new": 2}})
    assert merged == {"pages": {"new": 2}, "exports": {"rows": 5}}
    assert existing == {"pages": {"old": 1}, "exports": {"rows": 5}}  # not changed in place


def test_write_sections_creates_then_merges(tmp_path):
    path = tmp_path / "var" / "bench.json"
    assert write_sections(path, {"exports": {"rows_per_s": 10}}) == []
    assert write_sections(path, {"pages": {"home": {"p50_ms": 12.5}}}) == []
    assert json.loads(path.read_text()) == {
        "exports": {"rows_per_s": 10}, "pages": {"home": {"p50_ms": 12.5}},
    }
    write_sections(path, {"pages": {"home": {"p50_ms": 9.0}}})
    assert json.loads(path.read_text())["pages"] == {"home": {"p50_ms": 9.0}}
    assert json.loads(path.read_text())["exports"] == {"rows_per_s": 10}
    assert [p.name for p in path.parent.iterdir()] == ["bench.json"]  # no temporary file left


def test_write_sections_keeps_a_broken_file_aside(tmp_path):
    path = tmp_path / "bench.json"
    path.write_text("[1, 2")
    warnings = write_sections(path, {"pages": {}})
    assert len(warnings) == 1
    assert (tmp_path / "bench.json.broken").read_text() == "[1, 2"
    assert json.loads(path.read_text()) == {"pages": {}}
