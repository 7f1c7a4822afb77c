"""The report's form: what it shows for each indicator, what it saves, the figures it computes,
the explanation it asks for, evidence uploads, and the errors it shows next to the fields with
nothing half-saved. Every test runs on 1403/12/05, inside Bahman 1403's reporting window."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from jahesh.audit.models import AuditEvent
from jahesh.plan.tests.views_support import assert_field_error, tr
from jahesh.progress.models import Blocker, Evidence, IndicatorValue, ProgressReport
from jahesh.progress.tests.support import (
    EXE_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    _media,  # noqa: F401
    _no_reopenings,  # noqa: F401
    accepted_project,
    agency,
    demo_report,
    edit_data,
    on,
    start,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_bahmans_window():  # type: ignore[no-untyped-def]
    with on(1403, 12, 5):
        yield


@pytest.fixture
def reporter(client_for):  # type: ignore[no-untyped-def]
    return client_for("agri.reporter")


@pytest.fixture
def plan(province):  # type: ignore[no-untyped-def]
    return accepted_project(province)


@pytest.fixture
def report(plan, province):  # type: ignore[no-untyped-def]
    return start(plan, province, 11)


def edit_url(report: ProgressReport) -> str:
    return reverse("progress:report_edit", args=[report.uid])


def fresh(report: ProgressReport) -> ProgressReport:
    return ProgressReport.objects.get(pk=report.pk)


def value_of(report: ProgressReport, indicator) -> Decimal | None:  # type: ignore[no-untyped-def]
    return IndicatorValue.objects.get(report=report, indicator=indicator).value


def test_the_form_shows_each_indicator_with_its_plan_and_how_it_is_reported(  # type: ignore[no-untyped-def]
    reporter, report, plan
) -> None:
    response = reporter.get(edit_url(report))
    assert response.status_code == 200
    html = response.content.decode()
    # Bahman (month 11): growth planned 100 + 110 = 210, jobs 110, waste 19.
    blocks = html.split('data-testid="indicator"')[1:]
    assert len(blocks) == 3
    growth, jobs, waste = blocks
    assert "ظرفیت تولید" in growth and "تن" in growth
    assert "۱۰۰" in growth and "۲۱۰" in growth and "۲۲۰" in growth
    assert tr("Actual value, cumulative") in growth
    assert tr("Actual value for the month") in jobs and "۱۱۰" in jobs
    assert "۱۹" in waste and "۱۸" in waste
    assert f'name="value_{plan.jobs.pk}"' in jobs
    for action in plan.actions:
        assert f'name="action_{action.pk}"' in html
    assert 'name="evidence"' in html and "multiple" in html
    assert 'name="blockers-0-description"' in html


def test_saving_stores_what_was_typed_and_shows_the_computed_status(  # type: ignore[no-untyped-def]
    reporter, report, plan, province
) -> None:
    data = edit_data(report, **{
        f"value_{plan.growth.pk}": "۱۸۰", f"value_{plan.jobs.pk}": "٥٥", f"value_{plan.waste.pk}": "19",
        f"action_{plan.actions[0].pk}": "done", "achieved": "  احداث ۲ واحد  ",
        "blockers-0-description": "مجوز آب صادر نشده",
        "blockers-0-unblocking_agency": agency(province, "water").pk,
    })
    response = reporter.post(edit_url(report), data)
    assert response.status_code == 302 and response["Location"] == edit_url(report)
    saved = fresh(report)
    assert (value_of(report, plan.growth), value_of(report, plan.jobs)) == (180, 55)
    assert saved.achieved == "احداث ۲ واحد"
    assert list(Blocker.objects.filter(report=report).values_list(
        "description", "unblocking_agency__code")) == [("مجوز آب صادر نشده", "water")]
    # growth 80/110 = 72.73, jobs 55/110 = 50, waste 11/11 = 100: 74.24, at risk.
    assert (saved.percent, saved.status) == (Decimal("74.24"), "at_risk")
    page = reporter.get(edit_url(report)).content.decode()
    assert tr("At risk") in page and "۷۴٫۲" in page
    assert 'data-testid="explanation-needed"' in page
    assert AuditEvent.objects.filter(event="report.saved", target_id=str(report.pk)).count() == 1


@pytest.mark.parametrize(("field", "typed", "message"), [
    ("growth", "یکصد", "Enter a number, such as 12,500 or 3.5."),
    ("growth", "-5", "A cumulative value cannot be negative."),
    ("waste", "140", "A percentage is between 0 and 100."),
])
def test_a_bad_value_is_refused_next_to_its_field_and_nothing_is_saved(  # type: ignore[no-untyped-def]
    reporter, report, plan, field, typed, message
) -> None:
    indicator = getattr(plan, field)
    data = edit_data(report, **{f"value_{plan.growth.pk}": "150", "achieved": "چیزی",
                                f"value_{indicator.pk}": typed})
    events = AuditEvent.objects.count()
    response = reporter.post(edit_url(report), data)
    assert response.status_code == 200
    assert assert_field_error(response, f"value_{indicator.pk}") == [tr(message)]
    assert value_of(report, plan.growth) is None and fresh(report).achieved == ""
    assert fresh(report).version == report.version and AuditEvent.objects.count() == events


def test_a_blocker_needs_a_description(reporter, report, province) -> None:  # type: ignore[no-untyped-def]
    data = edit_data(report, **{"blockers-0-description": "",
                                "blockers-0-unblocking_agency": agency(province, "water").pk})
    response = reporter.post(edit_url(report), data)
    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors["description"] == [
        tr("Say what blocks the project.")]
    assert not Blocker.objects.filter(report=report).exists()


# --- Evidence through the form --------------------------------------------------------------

def test_several_files_are_attached_at_once_with_the_values(reporter, report, plan) -> None:  # type: ignore[no-untyped-def]
    data = edit_data(report, **{f"value_{plan.growth.pk}": "150"})
    data["evidence"] = [upload("صورتجلسه بازدید.pdf"), upload("عکس.png", PNG_BYTES, "image/png")]
    response = reporter.post(edit_url(report), data)
    assert response.status_code == 302
    assert sorted(Evidence.objects.filter(report=report).values_list("name", "content_type")) == [
        ("صورتجلسه بازدید.pdf", "application/pdf"), ("عکس.png", "image/png")]
    assert value_of(report, plan.growth) == 150


@pytest.mark.parametrize(("name", "content", "check"), [
    ("قرارداد.pdf", EXE_BYTES, "PDF"),
    ("بزرگ.pdf", PDF_BYTES + b"0" * (10 * 1024 * 1024), "۱۰"),
])
def test_a_bad_file_is_refused_in_persian_next_to_the_field_and_nothing_is_saved(  # type: ignore[no-untyped-def]
    reporter, report, plan, settings, name, content, check
) -> None:
    data = edit_data(report, **{f"value_{plan.growth.pk}": "150"})
    data["evidence"] = [upload("خوب.pdf"), upload(name, content)]
    response = reporter.post(edit_url(report), data)
    assert response.status_code == 200
    messages = assert_field_error(response, "evidence")
    assert len(messages) == 1 and name in messages[0] and check in messages[0]
    assert not Evidence.objects.exists()
    assert value_of(report, plan.growth) is None
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_evidence_is_downloaded_under_its_own_name_by_those_who_may_see_it(  # type: ignore[no-untyped-def]
    reporter, report, plan, client_for
) -> None:
    data = edit_data(report)
    data["evidence"] = [upload("گزارش بازدید «مهر».pdf")]
    reporter.post(edit_url(report), data)
    evidence = Evidence.objects.get(report=report)
    url = reverse("progress:evidence_download", args=[evidence.pk])
    response = client_for("hq").get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''" in disposition and "%D8%B1" in disposition  # ر, percent-encoded
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert client_for("imt.reporter").get(url).status_code == 404


def test_evidence_is_removed_from_the_form(reporter, report) -> None:  # type: ignore[no-untyped-def]
    data = edit_data(report)
    data["evidence"] = [upload()]
    reporter.post(edit_url(report), data)
    evidence = Evidence.objects.get(report=report)
    response = reporter.post(reverse("progress:evidence_remove", args=[evidence.pk]))
    assert response.status_code == 302
    assert not Evidence.objects.exists()


# --- Concurrent edits, submission from the form, locked months ---------------------------------

def test_a_stale_form_overwrites_nothing_and_shows_the_other_version(  # type: ignore[no-untyped-def]
    reporter, report, plan, client_for
) -> None:
    seen = edit_data(report)
    head = client_for("agri.head")
    assert head.post(edit_url(report), {**seen, f"value_{plan.growth.pk}": "170"}
                     ).status_code == 302
    response = reporter.post(edit_url(report), {**seen, f"value_{plan.growth.pk}": "150"})
    assert response.status_code == 200
    assert tr("Someone else changed this record after you opened it. The form now shows their "
              "version; make your change again.") in response.content.decode()
    assert value_of(report, plan.growth) == 170
    assert response.context["form"][f"value_{plan.growth.pk}"].value() == "۱۷۰"


def test_save_and_submit_asks_for_the_explanation_and_keeps_the_draft(  # type: ignore[no-untyped-def]
    reporter, report, plan
) -> None:
    behind = {f"value_{plan.growth.pk}": "150", f"value_{plan.jobs.pk}": "110",
              f"value_{plan.waste.pk}": "19", "then": "submit"}
    response = reporter.post(edit_url(report), edit_data(report, **behind))
    assert response.status_code == 200
    assert response.context["problems"] == [
        tr("The project is “%(status)s”: explain why it is behind before submitting.")
        % {"status": tr("At risk")}]
    assert fresh(report).state == "draft" and value_of(report, plan.growth) == 150
    response = reporter.post(edit_url(report), edit_data(
        fresh(report), **behind, explanation="تجهیزات وارداتی دیر رسید"))
    assert response.status_code == 302
    assert response["Location"] == reverse("progress:report_detail", args=[report.uid])
    assert fresh(report).state == "submitted"


def test_a_report_under_review_or_of_a_locked_month_sends_its_people_to_the_report(  # type: ignore[no-untyped-def]
    reporter, province, client_for
) -> None:
    submitted = demo_report(province, "submitted")
    response = reporter.get(edit_url(submitted))
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        tr("Only a draft report can be changed. Ask the reviewer to return it.")]
    draft = start(accepted_project(province, title="پروژه دوم پایشی ۱۰ واحد"), province, 11)
    with on(1403, 12, 16):
        response = client_for("agri.reporter").get(edit_url(draft))
    assert response.status_code == 302
    assert response["Location"] == reverse("progress:report_detail", args=[draft.uid])
