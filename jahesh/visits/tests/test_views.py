"""The visit pages: who may see and do what, planning with the unit picker, recording a
problem on a phone, and the visit report as a PDF."""

import datetime
import re
import shutil
import subprocess

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from jahesh.cases.models import Case, Channel
from jahesh.cases.tests import channels_support as support
from jahesh.visits import services
from jahesh.visits.models import Visit, VisitState

INVISIBLE = re.compile("[\u200c\u200d\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def urls(visit):  # type: ignore[no-untyped-def]
    stop = visit.stops.order_by("order").first()
    return {
        "detail": reverse("visits:visit_detail", args=[visit.uid]),
        "pdf": reverse("visits:visit_report_pdf", args=[visit.uid]),
        "record": reverse("visits:visit_record", args=[visit.uid]),
        "stop": reverse("visits:visit_record_stop", args=[visit.uid, stop.pk]),
        "edit": reverse("visits:visit_edit", args=[visit.uid]),
    }


@pytest.mark.parametrize(("who", "expected"), [
    # detail, pdf, record, stop, edit
    ("secretariat", (200, 200, 200, 200, 200)),
    ("hq", (200, 200, 403, 403, 403)),
    ("governor", (200, 200, 403, 403, 403)),  # an HQ member who takes part: reads
    ("power.head", (200, 200, 200, 200, 403)),  # an agency head who takes part: records
    ("agri.head", (404, 404, 404, 404, 404)),  # an agency head not taking part
    ("chamber", (404, 404, 404, 404, 404)),
    ("evaluator", (404, 404, 404, 404, 404)),
    ("outsider", (404, 404, 404, 404, 404)),  # another province's secretariat
])
def test_who_may_see_and_record(client_for, visit, who, expected, other_province):  # type: ignore[no-untyped-def]
    client = client_for(who)
    got = tuple(client.get(url).status_code for url in urls(visit).values())
    assert got == expected


def test_the_list_and_planning_page(client_for, visit, other_province):  # type: ignore[no-untyped-def]
    assert client_for("hq").get(reverse("visits:visit_list")).status_code == 200
    page = client_for("power.head").get(reverse("visits:visit_list"))
    listed = list(page.context["page"])
    assert visit in listed  # the visits they take part in, and no other
    assert all(v.participants.filter(username="power.head").exists() for v in listed)
    for who in ("agri.head", "chamber", "evaluator", "agri.reporter"):
        assert client_for(who).get(reverse("visits:visit_list")).status_code == 403, who
    for who in ("hq", "power.head", "chamber"):
        assert client_for(who).get(reverse("visits:visit_create")).status_code == 403, who
    assert client_for("outsider").get(reverse("visits:visit_list")).context["page"].paginator \
        .count == 0


@time_machine.travel(datetime.datetime(2024, 11, 21, 9, 0, tzinfo=datetime.UTC))
def test_planning_defaults_to_wednesday_and_takes_units_from_the_picker(client_for, units,  # type: ignore[no-untyped-def]
                                                                        person):
    client = client_for("secretariat")
    page = client.get(reverse("visits:visit_create"))
    assert page.context["form"].initial["date"] == datetime.date(2024, 11, 27)
    assert "۱۴۰۳/۰۹/۰۷" in page.content.decode()
    nid = support.national_id("1086000044")
    units[2].national_id = nid
    units[2].save()
    data = {
        "date": "۱۴۰۳/۰۹/۰۷", "title": "شهرک سلیمی", "participants": [person("governor").pk],
        "other_participants": "مدیر بانک ملی", "notes": "",
        "stops-TOTAL_FORMS": "3", "stops-INITIAL_FORMS": "0",
        "stops-0-unit": str(units[0].pk), "stops-0-ORDER": "2",
        "stops-1-unit": "", "stops-1-unit_q": nid, "stops-1-ORDER": "1",  # typed, no JS
        "stops-2-unit": "", "stops-2-ORDER": "",
    }
    response = client.post(reverse("visits:visit_create"), data)
    assert response.status_code == 302, response.context["form"].errors
    visit = Visit.objects.get(title="شهرک سلیمی")
    assert visit.date == datetime.date(2024, 11, 27)
    assert [s.unit for s in visit.stops.order_by("order")] == [units[2], units[0]]
    # The same unit twice is refused next to the row; nothing is planned.
    data["stops-1-unit"] = str(units[0].pk)
    response = client.post(reverse("visits:visit_create"), data)
    assert response.status_code == 200
    assert Visit.objects.filter(title="شهرک سلیمی").count() == 1
    assert response.context["stops"].forms[1].errors["unit"]


def test_recording_on_a_phone_returns_to_the_list_with_the_problem(client_for, visit, units,  # type: ignore[no-untyped-def]
                                                                   category):
    client = client_for("power.head", HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 14) Mobile")
    stop = visit.stops.get(unit=units[0])
    url = reverse("visits:visit_record_stop", args=[visit.uid, stop.pk])
    form = client.get(url)
    assert 'enctype="multipart/form-data"' in form.content.decode()
    response = client.post(url, {
        "category": category.pk, "kind": "obstacle", "title": "تاخیر در انشعاب برق",
        "description": "۶ ماه است منتظر انشعاب هستیم", "priority": "urgent",
        "photo": support.png("meter.png"),
    })
    record_url = reverse("visits:visit_record", args=[visit.uid])
    assert response.status_code == 302 and response["Location"] == f"{record_url}#stop-{stop.pk}"
    case = Case.objects.get(visit=visit)
    assert (case.channel, case.visit, case.unit, case.priority) == (
        Channel.VISIT, visit, units[0], "urgent")
    listing = client.get(record_url)
    rows = {row.stop.pk: row for row in listing.context["page"].stops}
    assert rows[stop.pk].cases == [case] and rows[stop.pk].stop.visited
    assert "تاخیر در انشعاب برق" in listing.content.decode()
    visit.refresh_from_db()
    assert visit.state == VisitState.HELD
    # A bad form says what is missing and records nothing.
    response = client.post(url, {"category": "", "kind": "obstacle", "title": "",
                                 "description": "", "priority": "normal"})
    assert response.status_code == 200 and set(response.context["form"].errors) >= {
        "category", "title", "description"}
    assert Case.objects.filter(visit=visit).count() == 1


def test_a_unit_visited_without_problems_and_a_cancelled_visit(client_for, visit, units):  # type: ignore[no-untyped-def]
    client = client_for("secretariat")
    stop = visit.stops.get(unit=units[1])
    client.post(reverse("visits:visit_stop_visited", args=[visit.uid, stop.pk]))
    stop.refresh_from_db()
    assert stop.visited
    other = services.visit_plan(province=visit.province, date=visit.date, units=units[:1],
                                acting_user=visit.created_by)
    assert client_for("hq").post(reverse("visits:visit_cancel", args=[other.uid])).status_code \
        == 403
    client.post(reverse("visits:visit_cancel", args=[other.uid]), {"reason": "باران"})
    other.refresh_from_db()
    assert other.state == VisitState.CANCELLED
    assert client.get(reverse("visits:visit_record", args=[other.uid])).status_code == 403


def test_the_list_costs_the_same_queries_for_more_visits(client_for, visit, units, person):  # type: ignore[no-untyped-def]
    client = client_for("secretariat")
    url = reverse("visits:visit_list")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(6):
        services.visit_plan(province=visit.province, date=visit.date, units=units,
                            participants=[person("governor")], title=f"v{n}",
                            acting_user=person("secretariat"))
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def pdf_words(data: bytes, tmp_path) -> str:  # type: ignore[no-untyped-def]
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "visit.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,  # noqa: S603, S607
                          capture_output=True).stdout.decode()
    return re.sub(r"\s+", "", INVISIBLE.sub("", text)).replace("لا", "ال")


def flat(text: str) -> str:
    return re.sub(r"\s+", "", INVISIBLE.sub("", text)).replace("لا", "ال")


def test_the_visit_report_pdf_lists_people_units_problems_and_their_state(  # type: ignore[no-untyped-def]
        client_for, visit, units, category, person, tmp_path):
    from jahesh.organisation.models import Agency

    stop = visit.stops.get(unit=units[0])
    case = services.visit_record_problem(stop=stop, category=category, kind="obstacle",
                                         title="تاخیر در انشعاب برق", description="…",
                                         acting_user=person("secretariat"))
    # Its current state and agency, as the case moved on after the visit.
    Case.objects.filter(pk=case.pk).update(
        state="assigned", responsible_agency=Agency.objects.get(province=visit.province,
                                                                code="power"))
    response = client_for("hq").get(reverse("visits:visit_report_pdf", args=[visit.uid]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    data = b"".join(response.streaming_content)
    text = pdf_words(data, tmp_path)
    for expected in (units[0].name, units[1].name, "تاخیر در انشعاب برق", "توزیع نیروی برق",
                     category.name, "مدیر شعب بانک ملی استان",
                     person("governor").get_full_name(), visit.province.hq_name,
                     "آبان", "۱۴۰۳"):  # the visit's date, Jalali (pdftotext orders the
        # parts of a date in a right-to-left line as it likes)
        assert flat(expected) in text, expected
    with translation.override("fa"):
        assert flat(gettext("Industry-day visit report")) in text
        assert flat(gettext("Units visited and their problems")) in text
    assert flat(case.reference) in text  # Persian digits: ۱۴۰۳-۰۰۰۰۱
    assert not re.search("[0-9]", text), re.findall("[0-9]+", text)[:5]
    assert text.count("صفحه") >= 1 and re.search("از[۰-۹]", text)


def test_the_visit_page_links_problems_for_those_who_may_open_them(client_for, visit, units,  # type: ignore[no-untyped-def]
                                                                   category, person):
    stop = visit.stops.get(unit=units[0])
    case = services.visit_record_problem(stop=stop, category=category, kind="obstacle",
                                         title="تاخیر در انشعاب برق", description="…",
                                         acting_user=person("secretariat"))
    link = reverse("cases:case_detail", args=[case.uid])
    assert link in client_for("hq").get(urls(visit)["detail"]).content.decode()
    page = client_for("power.head").get(urls(visit)["detail"]).content.decode()
    assert "تاخیر در انشعاب برق" in page and link not in page  # not their agency's case yet
