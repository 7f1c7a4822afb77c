"""Recording a case, editing categories, attachments: who may, and bad input told next to the
field with nothing half-saved."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from jahesh.audit.models import AuditEvent
from jahesh.cases import services
from jahesh.cases.models import Case, CaseAttachment, CaseState, Category
from jahesh.cases.tests.case_support import agency, assigned_case, category, who
from jahesh.core.stale import STALE_RECORD

pytestmark = pytest.mark.django_db
CREATE = reverse("cases:case_create")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


def pdf(name: str = "نامه.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n" + b"0" * 500, content_type="application/pdf")


def case_data(province, **changes):  # type: ignore[no-untyped-def]
    data = {"kind": "obstacle", "channel": "secretariat", "category": category(province).pk,
            "title": "کمبود گاز صنعتی", "description": "نامه شماره ۱۲۳ واحد",
            "priority": "high", "requester_name": "شرکت آذر", "requester_phone": "۰۹۱۲۱۲۳۴۵۶۷"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_secretariat_records_and_assigns_a_case_with_a_file(client_for, province) -> None:  # type: ignore[no-untyped-def]
    client = client_for("secretariat")
    assert client.get(CREATE).status_code == 200
    response = client.post(CREATE, case_data(province, agency=agency(province, "gas").pk,
                                             attachment=pdf()))
    assert response.status_code == 302
    case = Case.objects.get(title="کمبود گاز صنعتی")
    assert case.state == CaseState.ASSIGNED and case.responsible_agency.code == "gas"
    assert case.requester_phone == "09121234567" and case.requested_by is None
    assert case.attachments.get().name == "نامه.pdf"
    assert response["Location"] == reverse("cases:case_detail", args=[case.uid])


def test_bad_input_keeps_nothing(client_for, province) -> None:  # type: ignore[no-untyped-def]
    client = client_for("secretariat")
    before = Case.objects.count()
    with translation.override("en"):
        response = client.post(CREATE, case_data(province, requester_name="", title=""))
        assert response.status_code == 400
        errors = response.context["form"].errors
        assert "title" in errors and "requester_name" in errors
        fake = SimpleUploadedFile("x.pdf", b"MZ" + b"0" * 100)
        response = client.post(CREATE, case_data(province, attachment=fake))
        assert response.status_code == 400
        assert "attachment" in response.context["form"].errors
    assert Case.objects.count() == before
    assert not CaseAttachment.objects.filter(name="x.pdf").exists()


@pytest.mark.parametrize("username", ["hq", "agri.head", "chamber"])
def test_only_the_secretariat_records_cases(client_for, province, username) -> None:  # type: ignore[no-untyped-def]
    assert client_for(username).post(CREATE, case_data(province)).status_code == 403


def test_the_secretariat_edits_categories_and_others_read_them(client_for, province) -> None:  # type: ignore[no-untyped-def]
    client = client_for("secretariat")
    response = client.post(reverse("cases:category_create"), {
        "name": "انرژی آزمون", "code": "energy-test", "default_agency": agency(province, "power").pk,
        "response_days": "۲", "resolution_days": "15", "order": "1", "is_active": "on"})
    assert response.status_code == 302
    made = Category.objects.get(province=province, code="energy-test")
    assert made.response_days == 2 and made.default_agency.code == "power"
    with translation.override("en"):
        response = client.post(reverse("cases:category_edit", args=[made.pk]), {
            "name": "انرژی آزمون", "code": "energy-test", "response_days": "10",
            "resolution_days": "5", "order": "1", "version": made.version})
        assert response.status_code == 400
        assert response.context["form"].errors["resolution_days"]
        response = client.post(reverse("cases:category_edit", args=[made.pk]), {
            "name": "انرژی آزمون", "code": "energy-test", "response_days": "3",
            "resolution_days": "20", "order": "1", "version": made.version - 1 or 99})
        assert str(STALE_RECORD) in str(response.context["form"].non_field_errors())
    assert Category.objects.get(pk=made.pk).response_days == 2
    assert AuditEvent.objects.filter(event="case_category.created",
                                     target_id=str(made.pk)).exists()
    hq = client_for("hq")
    assert hq.get(reverse("cases:category_list")).status_code == 200
    assert hq.get(reverse("cases:category_edit", args=[made.pk])).status_code == 403
    assert client_for("agri.reporter").get(reverse("cases:category_list")).status_code == 403


def test_internal_files_are_for_the_people_working_the_case(client_for, province) -> None:  # type: ignore[no-untyped-def]
    case = assigned_case(province, by="chamber")
    internal = services.attachment_add(case=case, upload=pdf("داخلی.pdf"), visibility="internal",
                                       acting_user=who("secretariat"))
    public = services.attachment_add(case=case, upload=pdf("عمومی.pdf"), visibility="public",
                                     acting_user=who("secretariat"))
    url = lambda a: reverse("cases:attachment_download", args=[a.pk])  # noqa: E731
    reporter = client_for("agri.reporter")
    response = reporter.get(url(internal))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    chamber = client_for("chamber")
    assert chamber.get(url(public)).status_code == 200
    assert chamber.get(url(internal)).status_code == 404
    assert client_for("imt.reporter").get(url(public)).status_code == 404
    page = chamber.get(reverse("cases:case_detail", args=[case.uid])).content.decode()
    assert "عمومی.pdf" in page and "داخلی.pdf" not in page


def test_a_file_through_the_page(client_for, province) -> None:  # type: ignore[no-untyped-def]
    case = assigned_case(province)
    client = client_for("agri.reporter")
    response = client.post(reverse("cases:case_step", args=[case.uid, "attach"]), {
        "attach-upload": pdf(), "attach-visibility": "public"})
    assert response.status_code == 302 and case.attachments.count() == 1
    with translation.override("en"):
        response = client.post(reverse("cases:case_step", args=[case.uid, "attach"]), {
            "attach-upload": SimpleUploadedFile("a.pdf", b"hello"),
            "attach-visibility": "public"})
    assert response.status_code == 400
    assert response.context["forms"]["attach"].errors["upload"]
    assert case.attachments.count() == 1


def test_what_a_case_blocks_is_chosen_by_typing_not_from_a_list(client_for, province) -> None:  # type: ignore[no-untyped-def]
    from jahesh.plan.tests.builders import indicator, programme, project
    from jahesh.plan.tests.views_support import tr

    work = project(programme(province), title="احداث سردخانه هوشمند مرند")
    blocked = indicator(work, name="ظرفیت سردخانه‌ای")
    other = project(programme(province, title="سردخانه دوم"), title="سردخانه بناب")
    client = client_for("secretariat")
    page = client.get(CREATE).content.decode()
    # thousands of projects a year: the form offers none until something is typed
    assert work.title not in page and blocked.name not in page
    assert reverse("plan:project_search") in page and 'data-narrow-by="project"' in page
    # the indicator alone names its project too
    response = client.post(CREATE, case_data(province, title="برق سردخانه", indicator=blocked.pk))
    assert response.status_code == 302
    case = Case.objects.get(title="برق سردخانه")
    assert case.indicator == blocked and case.project == work
    # an indicator of another project is refused next to the field, and nothing is saved
    response = client.post(CREATE, case_data(province, title="برق بناب", project=other.pk,
                                             indicator=blocked.pk))
    assert response.status_code == 400
    assert response.context["form"].errors["indicator"] == [
        tr("This indicator belongs to another project.")]
    assert not Case.objects.filter(title="برق بناب").exists()
