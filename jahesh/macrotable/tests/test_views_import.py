"""The import pages: who may upload for which agency, the check-then-confirm flow, bad files."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from jahesh.macrotable.models import JobState, MacroJob
from jahesh.plan.models import Project

from .conftest import YEAR
from .files import Template, template_bytes

pytestmark = pytest.mark.django_db
MILK = "صنایع تبدیلی شیر"


def upload(data: bytes, name: str = "برنامه.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


# --- Who may do what --------------------------------------------------------------------------
#               anonymous  agri.reporter agri.head  imt.reporter hq   secretariat chamber outsider
PERSONAS = ("anonymous", "agri.reporter", "agri.head", "imt.reporter", "hq", "secretariat",
            "chamber", "outsider")
MATRIX = {
    ("GET", "import_start", None):      ("login", 302, 302, 302, 403, 403, 403, 403),
    ("GET", "import", "agri"):          ("login", 200, 200, 404, 403, 403, 403, 404),
    ("GET", "template", "agri"):        ("login", 200, 200, 404, 403, 403, 403, 404),
    ("POST", "import", "agri"):         ("login", 302, 302, 404, 403, 403, 403, 404),
    ("GET", "import", "imt"):           ("login", 404, 404, 200, 403, 403, 403, 404),
    ("GET", "import", "no-such"):       ("login", 404, 404, 404, 404, 404, 404, 404),
}
CASES = [pytest.param(method, view, code, persona, expected,
                      id=f"{method}-{view}-{code}-{persona}")
         for (method, view, code), statuses in MATRIX.items()
         for persona, expected in zip(PERSONAS, statuses, strict=True)]


@pytest.mark.parametrize(("method", "view", "code", "persona", "expected"), CASES)
def test_import_access(plan_1402, client_for, other_province, media_root, method, view, code,
                       persona, expected):
    client = Client() if persona == "anonymous" else client_for(persona)
    url = reverse(f"macrotable:{view}", args=[code] if code else [])
    if method == "POST":
        data = template_bytes(plan_1402.agencies["agri"], YEAR)
        response = client.post(url, {"file": upload(data), "year": YEAR})
    else:
        response = client.get(url, {"year": YEAR})
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == expected


def test_a_person_of_one_agency_is_sent_to_its_import_page(plan_1402, client_for):
    response = client_for("agri.reporter").get(reverse("macrotable:import_start"))
    assert response["Location"] == reverse("macrotable:import", args=["agri"])


def test_the_template_download_is_the_agencys_rows_with_blank_rows(plan_1402, client_for):
    response = client_for("agri.head").get(reverse("macrotable:template", args=["agri"]),
                                           {"year": YEAR})
    assert response["Content-Disposition"].startswith("attachment")
    t = Template(b"".join(response.streaming_content))
    assert {t.get(r, "agency") for r in range(2, t.main.max_row + 1)} == {"جهاد کشاورزی"}
    assert t.main.max_row == 1 + 4 + 40  # four indicator rows, forty blank rows
    assert [ws.title for ws in t.wb.worksheets][3] == "lists"
    assert t.wb.worksheets[3].sheet_state == "hidden"
    assert t.main.data_validations.dataValidation  # drop-downs for key action, county, …


# --- Check, preview, confirm ------------------------------------------------------------------

def test_upload_checks_then_saves_only_after_confirmation(plan_1402, client_for, media_root):
    client = client_for("agri.reporter")
    t = Template.of(plan_1402.agencies["agri"], YEAR)
    t.set(t.row_of("project", MILK), "target", "۱۳۰")
    response = client.post(reverse("macrotable:import", args=["agri"]),
                           {"file": upload(t.data()), "year": YEAR})
    job = MacroJob.objects.get()
    assert response["Location"] == reverse("macrotable:job", args=[job.uid])
    assert job.state == JobState.CHECKED and job.progress == 100
    page = client.get(response["Location"]).content.decode()
    assert reverse("macrotable:job_apply", args=[job.uid]) in page
    assert "۱۳۰" in page  # the change shown in the preview, before → after
    milk = Project.objects.get(title=MILK)
    assert milk.indicators.get().target == Decimal(120)  # nothing saved yet

    # Someone else cannot apply it; the uploader can.
    assert client_for("agri.head").post(
        reverse("macrotable:job_apply", args=[job.uid])).status_code == 404
    client.post(reverse("macrotable:job_apply", args=[job.uid]))
    job.refresh_from_db()
    assert job.state == JobState.DONE
    assert milk.indicators.get().target == Decimal(130)
    # A second click changes nothing more.
    client.post(reverse("macrotable:job_apply", args=[job.uid]))
    assert MacroJob.objects.get().state == JobState.DONE


def test_a_rejected_file_shows_every_problem_and_cannot_be_applied(plan_1402, client_for,
                                                                   media_root):
    client = client_for("agri.reporter")
    t = Template.of(plan_1402.agencies["agri"], YEAR)
    row = t.row_of("project", MILK)
    t.set(row, "end_date", "1404/12/30")
    client.post(reverse("macrotable:import", args=["agri"]), {"file": upload(t.data()),
                                                              "year": YEAR})
    job = MacroJob.objects.get()
    assert job.state == JobState.REJECTED
    page = client.get(reverse("macrotable:job", args=[job.uid])).content.decode()
    assert "1404/12/30" in page or "۱۴۰۴/۱۲/۳۰" in page
    assert f"<td>{row}</td>" in page or f"<td>{''.join('۰۱۲۳۴۵۶۷۸۹'[int(d)] for d in str(row))}</td>" in page
    assert reverse("macrotable:job_apply", args=[job.uid]) not in page
    client.post(reverse("macrotable:job_apply", args=[job.uid]))
    assert MacroJob.objects.get().state == JobState.REJECTED


def test_an_unchanged_file_offers_nothing_to_save(plan_1402, client_for, media_root):
    client = client_for("agri.reporter")
    client.post(reverse("macrotable:import", args=["agri"]),
                {"file": upload(template_bytes(plan_1402.agencies["agri"], YEAR)), "year": YEAR})
    job = MacroJob.objects.get()
    assert job.state == JobState.CHECKED
    page = client.get(reverse("macrotable:job", args=[job.uid])).content.decode()
    assert reverse("macrotable:job_apply", args=[job.uid]) not in page


@pytest.mark.parametrize(("name", "data"), [
    ("plan.xlsx", b"this is a CSV file,really\n"),
    ("plan.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 an Excel 97 file"),
    ("plan.pdf", b"%PDF-1.7"),
])
def test_a_file_that_is_not_xlsx_is_refused_at_once(plan_1402, client_for, media_root, name,
                                                    data):
    response = client_for("agri.reporter").post(reverse("macrotable:import", args=["agri"]),
                                                {"file": upload(data, name), "year": YEAR})
    assert response.status_code == 400
    assert response.context["form"].errors["file"]
    assert not MacroJob.objects.exists()


def test_a_file_over_the_limit_is_refused_at_once(plan_1402, client_for, media_root, settings):
    settings.JAHESH_IMPORT_MAX_BYTES = 1_000
    data = template_bytes(plan_1402.agencies["agri"], YEAR)
    response = client_for("agri.reporter").post(reverse("macrotable:import", args=["agri"]),
                                                {"file": upload(data), "year": YEAR})
    assert response.status_code == 400
    assert not MacroJob.objects.exists()


def test_the_import_page_lists_recent_imports(plan_1402, client_for, media_root):
    client = client_for("agri.reporter")
    client.post(reverse("macrotable:import", args=["agri"]),
                {"file": upload(template_bytes(plan_1402.agencies["agri"], YEAR), "اول.xlsx"),
                 "year": YEAR})
    page = client.get(reverse("macrotable:import", args=["agri"])).content.decode()
    assert "اول.xlsx" in page
