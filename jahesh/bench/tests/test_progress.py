"""The progress section of `make bench` measures what it says, on a small generated province."""

import pytest

from jahesh.bench import progress
from jahesh.bench.macro_table import _client
from jahesh.bench.sections import SECTIONS
from jahesh.demo.generator import generate_province
from jahesh.progress.models import ProgressReport, ReportState

pytestmark = pytest.mark.django_db


def test_section_is_registered():
    assert "progress" in [section.name for section in SECTIONS]


def test_the_pages_answer_and_submitting_submits(settings):
    settings.ALLOWED_HOSTS = ["*"]
    generate_province(agencies=3, projects=30, seed=11, code="bench-test")
    client = _client("bench-test.secretariat")
    for name, path in progress._paths("bench-test").items():
        assert client.get(path).status_code == 200, name
    drafts = ProgressReport.objects.filter(period__province__code="bench-test",
                                           state=ReportState.DRAFT).count()
    assert drafts
    figures = progress.measure_submit("bench-test")
    assert figures["failures"] == 0
    assert figures["count"] == min(drafts, progress.SUBMISSIONS)
    assert ProgressReport.objects.filter(period__province__code="bench-test",
                                         state=ReportState.DRAFT).count() == drafts - figures["count"]


def test_each_database_is_prepared_measured_and_a_failure_recorded(monkeypatch, tmp_path):
    import contextlib
    from types import SimpleNamespace

    used: list[str] = []

    @contextlib.contextmanager
    def use_database(url):  # type: ignore[no-untyped-def]
        used.append(url)
        yield

    monkeypatch.setattr(progress, "use_database", use_database)
    monkeypatch.setattr(progress, "postgres_ready", lambda url, fresh: "")
    prepared: list[str] = []

    def measure(database: str) -> dict[str, str]:
        if database == "postgresql":
            raise RuntimeError("the code under test failed")
        return {"measured": database}

    notes: list[str] = []
    figures = progress.on_both_databases(
        SimpleNamespace(bench_dir=tmp_path, fresh=False), "x.sqlite3", "postgres://pg/x",
        prepare=lambda: prepared.append("once") or ["ready"], measure=measure, notes=notes)
    assert figures == {"sqlite": {"measured": "sqlite"},
                       "postgresql": {"not_measured": "RuntimeError: the code under test failed"}}
    assert used == [f"sqlite:///{tmp_path / 'x.sqlite3'}", "postgres://pg/x"]
    assert prepared == ["once", "once"]  # each database gets its provinces
    assert notes == ["  postgresql: not measured: RuntimeError: the code under test failed"]
