"""Evidence files: only PDF, PNG, JPEG, Word, Excel and OpenDocument files, judged by their
content, at most 10 MB, stored under a random name, only on a draft of a month still open."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from jahesh.audit.models import AuditEvent
from jahesh.progress import services
from jahesh.progress.models import Evidence
from jahesh.progress.services import WorkflowError
from jahesh.progress.tests.support import (
    EXE_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    _media,  # noqa: F401
    _no_reopenings,  # noqa: F401
    accepted_project,
    office_file,
    on,
    on_track,
    start,
    upload,
    walk,
    who,
)

pytestmark = pytest.mark.django_db

JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 16


@pytest.fixture
def report(province):  # type: ignore[no-untyped-def]
    plan = accepted_project(province)
    with on(1403, 6, 3):
        return start(plan, province, 5)


def media_files(settings) -> list[str]:  # type: ignore[no-untyped-def]
    root = settings.MEDIA_ROOT
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) \
        if root.exists() else []


@pytest.mark.parametrize(("name", "content", "content_type"), [
    ("صورتجلسه.pdf", PDF_BYTES, "application/pdf"),
    ("عکس بازدید.PNG", PNG_BYTES, "image/png"),
    ("photo.jpeg", JPEG_BYTES, "image/jpeg"),
    ("photo.jpg", JPEG_BYTES, "image/jpeg"),
    ("گزارش.docx", office_file("docx"),
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("جدول.xlsx", office_file("xlsx"),
     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("نامه.odt", office_file("odt"), "application/vnd.oasis.opendocument.text"),
    ("جدول.ods", office_file("ods"), "application/vnd.oasis.opendocument.spreadsheet"),
])
def test_accepted_files_are_stored_under_a_random_name_with_their_own(  # type: ignore[no-untyped-def]
    report, settings, name, content, content_type
) -> None:
    with on(1403, 6, 3):
        evidence = services.evidence_add(report=report, acting_user=who("agri.reporter"),
                                         upload=upload(name, content, "application/octet-stream"))
    assert (evidence.name, evidence.content_type, evidence.size) == (name, content_type,
                                                                     len(content))
    stored = evidence.file.name
    assert stored.startswith("evidence/1403/") and name.split(".")[0] not in stored
    assert "." not in stored.rsplit("/", 1)[1]
    assert media_files(settings) == [stored]
    with evidence.file.open("rb") as f:
        assert f.read() == content
    event = AuditEvent.objects.get(event="report.evidence_added")
    assert event.after["name"] == name and event.actor == who("agri.reporter")


@pytest.mark.parametrize(("name", "content"), [
    ("قرارداد.pdf", EXE_BYTES),  # an executable called .pdf
    ("setup.exe", PDF_BYTES),  # a PDF called .exe
    ("عکس.png", PDF_BYTES),  # content and name disagree
    ("page.html", b"<html><script>alert(1)</script></html>"),
    ("نامه.docx", b"PK\x03\x04not really a zip"),
    ("archive.docx", office_file("ods")),  # a spreadsheet called .docx
])
def test_a_file_that_is_not_what_it_says_is_refused_in_persian_and_nothing_is_kept(  # type: ignore[no-untyped-def]
    report, settings, name, content
) -> None:
    with on(1403, 6, 3), pytest.raises(ValidationError) as caught:
        services.evidence_add(report=report, acting_user=who("agri.reporter"),
                              upload=upload(name, content))
    with translation.override("fa"):
        message = caught.value.message_dict["evidence"][0]
    assert name in message and "PDF" in message
    assert not Evidence.objects.exists() and media_files(settings) == []
    assert not AuditEvent.objects.filter(event="report.evidence_added").exists()


def test_a_file_over_10_mb_is_refused_with_the_limit_in_the_message(report, settings) -> None:  # type: ignore[no-untyped-def]
    big = upload("نقشه.pdf", PDF_BYTES + b"0" * services.MAX_EVIDENCE_BYTES)
    with on(1403, 6, 3), pytest.raises(ValidationError) as caught:
        services.evidence_add(report=report, acting_user=who("agri.reporter"), upload=big)
    with translation.override("fa"):
        message = caught.value.message_dict["evidence"][0]
    assert "۱۰" in message and "نقشه.pdf" in message
    assert not Evidence.objects.exists() and media_files(settings) == []


def test_an_uploaded_name_cannot_reach_outside_or_break_the_header(report) -> None:  # type: ignore[no-untyped-def]
    with on(1403, 6, 3):
        evidence = services.evidence_add(
            report=report, acting_user=who("agri.reporter"),
            upload=upload('../../etc/pass"wd\r\n.pdf', PDF_BYTES))
    assert evidence.name == "pass wd .pdf"
    assert services.clean_file_name("C:\\Users\\x\\نامه.pdf") == "نامه.pdf"
    assert len(services.clean_file_name("ا" * 300 + ".pdf")) == 200


def test_evidence_is_removed_with_its_file_and_audited(  # type: ignore[no-untyped-def]
    report, settings, django_capture_on_commit_callbacks
) -> None:
    with on(1403, 6, 3):
        evidence = services.evidence_add(report=report, acting_user=who("agri.reporter"),
                                         upload=upload())
        # The file goes when the removal is committed.
        with django_capture_on_commit_callbacks(execute=True):
            services.evidence_remove(evidence=evidence, acting_user=who("agri.reporter"))
    assert not Evidence.objects.exists() and media_files(settings) == []
    assert AuditEvent.objects.filter(event="report.evidence_removed").count() == 1


def test_evidence_changes_only_on_a_draft_of_an_open_month(report, province) -> None:  # type: ignore[no-untyped-def]
    plan = accepted_project(province, title="پروژه دوم پایشی ۱۰ واحد")
    with on(1403, 6, 3):
        evidence = services.evidence_add(report=report, acting_user=who("agri.reporter"),
                                         upload=upload())
        submitted = walk(on_track(start(plan, province, 5), plan, 5), "submitted")
        with pytest.raises(WorkflowError):
            services.evidence_add(report=submitted, acting_user=who("agri.reporter"),
                                  upload=upload())
    with on(1403, 6, 16):
        with pytest.raises(WorkflowError):
            services.evidence_add(report=report, acting_user=who("agri.reporter"),
                                  upload=upload())
        with pytest.raises(WorkflowError):
            services.evidence_remove(evidence=evidence, acting_user=who("agri.reporter"))
    assert Evidence.objects.count() == 1
