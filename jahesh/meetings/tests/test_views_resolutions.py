"""The resolutions register (filters, Excel of exactly what is filtered, each agency's share on
time), "our resolutions", and a resolution's page with the steps each person may take: object
within the window, decide the objection, report follow-ups and claim done with evidence,
accept done, cancel with a reason. Who may not gets 403 or 404; bad input is told beside the
field with nothing saved."""

import datetime
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from jahesh.meetings import services
from jahesh.meetings.models import FollowUp, Objection, Resolution, ResolutionState
from jahesh.meetings.tests.test_views_support import (
    agency,
    close,
    issue,
    make_body,
    meeting_in_session,
    no_minutes_pdf,  # noqa: F401 (a fixture)
    notified_resolution,
    who,
)
from jahesh.plan.tests.views_support import tr

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_minutes_pdf")]
REGISTER = reverse("meetings:resolution_list")
EXPORT = reverse("meetings:resolution_export")
OURS = reverse("meetings:our_resolutions")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


def pdf(name: str = "صورتجلسه.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n" + b"0" * 500, content_type="application/pdf")


def detail(resolution: Resolution) -> str:
    return reverse("meetings:resolution_detail", args=[resolution.uid])


def step(resolution: Resolution, name: str) -> str:
    return reverse("meetings:resolution_step", args=[resolution.uid, name])


def seen(resolution: Resolution, name: str, **data: object) -> dict:
    """A step's post as the page showed the resolution."""
    current = Resolution.objects.get(pk=resolution.pk)
    return {f"{name}-version": current.version, f"{name}-state": current.state,
            **{f"{name}-{k}": v for k, v in data.items()}}


def fresh(resolution: Resolution) -> Resolution:
    return Resolution.objects.get(pk=resolution.pk)


# --- The register --------------------------------------------------------------------------------

@pytest.fixture
def register_rows(province):  # type: ignore[no-untyped-def]
    """Two bodies' resolutions of a meeting held ten days ago: agri's overdue one, imt's open
    one, agri's done on time, imt's done late, a cancelled one."""
    body = make_body(province)
    other = make_body(province, code="TW", kind="facilitation", name="ستاد تسهیل آزمون")
    meeting = meeting_in_session(body, items=2,
                                 when=timezone.now() - datetime.timedelta(days=10))
    rows = {
        "overdue": issue(meeting, text="مصوبه معوق", agency_code="agri", days=-3),
        "open": issue(meeting, text="مصوبه باز", agency_code="imt", days=60),
        "on_time": issue(meeting, text="مصوبه به موقع", agency_code="agri", days=10),
        "late": issue(meeting, text="مصوبه با تاخیر", agency_code="imt", days=-2),
        "cancelled": issue(meeting, text="مصوبه لغو شده", agency_code="agri", days=-1),
    }
    close(meeting)
    secretariat = who("secretariat")
    services.resolution_cancel(resolution=rows["cancelled"], reason="منتفی شد",
                               acting_user=secretariat)
    for key, reporter in (("on_time", "agri.reporter"), ("late", "imt.reporter")):
        services.followup_report(resolution=rows[key], text="انجام شد", claims_done=True,
                                 evidence=pdf(), acting_user=who(reporter))
        services.resolution_accept_done(resolution=rows[key], acting_user=secretariat)
    other_meeting = meeting_in_session(other)
    rows["other_body"] = issue(other_meeting, text="مصوبه ستاد دیگر", agency_code="agri")
    close(other_meeting)
    return {"body": body, "other": other, **{k: fresh(v) for k, v in rows.items()}}


def texts(response) -> set[str]:  # type: ignore[no-untyped-def]
    return {r.text for r in response.context["page"]}


def test_the_register_filters(client_for, province, register_rows) -> None:  # type: ignore[no-untyped-def]
    client = client_for("secretariat")
    body = register_rows["body"].pk
    assert texts(client.get(REGISTER, {"body": body})) == {
        "مصوبه معوق", "مصوبه باز", "مصوبه به موقع", "مصوبه با تاخیر", "مصوبه لغو شده"}
    assert texts(client.get(REGISTER, {"body": body, "agency": agency(province, "imt").pk})) \
        == {"مصوبه باز", "مصوبه با تاخیر"}
    assert texts(client.get(REGISTER, {"body": body, "state": "done"})) == {
        "مصوبه به موقع", "مصوبه با تاخیر"}
    response = client.get(REGISTER, {"body": body, "overdue": "on"})
    assert texts(response) == {"مصوبه معوق"}
    assert 'data-testid="overdue"' in response.content.decode()
    year = register_rows["open"].year
    assert texts(client.get(REGISTER, {"body": body, "year": year})) >= {"مصوبه باز"}
    assert texts(client.get(REGISTER, {"body": body, "year": year - 2})) == set()
    assert "مصوبه ستاد دیگر" in texts(client.get(REGISTER, {"agency": agency(province,
                                                                            "agri").pk}))
    # The filters' htmx request gets the table alone.
    partial = client.get(REGISTER, {"body": body, "state": "done"}, HTTP_HX_REQUEST="true")
    assert texts(partial) == {"مصوبه به موقع", "مصوبه با تاخیر"}
    assert "<html" not in partial.content.decode()


def test_each_agencys_share_on_time(client_for, province, register_rows) -> None:  # type: ignore[no-untyped-def]
    client = client_for("hq")
    response = client.get(REGISTER, {"body": register_rows["body"].pk})
    shares = {s.agency_name: (s.due, s.on_time, s.late, s.percent)
              for s in response.context["shares"]}
    # agri: the overdue one and the one done on time are due (the cancelled one does not count)
    # imt: only the late one is due (the open one's deadline is ahead)
    assert shares == {agency(province, "agri").name: (2, 1, 0, 50),
                      agency(province, "imt").name: (1, 0, 1, 0)}
    assert "۵۰٪" in response.content.decode()


def test_the_excel_has_exactly_the_filtered_rows(client_for, province, register_rows) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    client = client_for("secretariat")
    response = client.get(EXPORT, {"body": register_rows["body"].pk, "state": "done"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    assert sheet.sheet_view.rightToLeft
    rows = [row for row in sheet.iter_rows(min_row=4, values_only=True) if row[0]]
    assert sorted(row[4] for row in rows) == ["مصوبه با تاخیر", "مصوبه به موقع"]
    assert {row[0] for row in rows} == {register_rows["on_time"].reference,
                                        register_rows["late"].reference}
    assert len(book.worksheets) == 2  # the shares on time


@pytest.mark.parametrize(("username", "status"), [
    ("secretariat", 200), ("hq", 200), ("evaluator", 200), ("governor", 200),
    ("agri.reporter", 403), ("agri.head", 403), ("chamber", 403),
])
def test_who_reads_the_register(client_for, province, username, status) -> None:  # type: ignore[no-untyped-def]
    notified_resolution(province)
    client = client_for(username)
    assert client.get(REGISTER).status_code == status
    assert client.get(EXPORT).status_code == status


def test_another_province_sees_none_of_ours(client_for, province, other_province) -> None:  # type: ignore[no-untyped-def]
    resolution = notified_resolution(province)
    client = client_for("outsider")
    assert texts(client.get(REGISTER)) == set()
    assert client.get(detail(resolution)).status_code == 404
    assert client.post(step(resolution, "cancel"),
                       seen(resolution, "cancel", reason="x")).status_code == 404


def test_our_resolutions(client_for, province) -> None:  # type: ignore[no-untyped-def]
    resolution = notified_resolution(province, collaborators=[agency(province, "imt")])
    for username, part in (("agri.reporter", "ours"), ("agri.head", "ours"),
                           ("imt.reporter", "collaborating")):
        response = client_for(username).get(OURS)
        assert response.status_code == 200
        rows = {r.pk: r for r in response.context["page"]}
        assert resolution.pk in rows
        assert rows[resolution.pk].ours == (part == "ours")
    assert client_for("secretariat").get(OURS).status_code == 403
    assert client_for("hq").get(OURS).status_code == 403


def test_an_issued_resolution_is_not_yet_the_agencys(client_for, province) -> None:  # type: ignore[no-untyped-def]
    meeting = meeting_in_session(make_body(province))
    resolution = issue(meeting)
    assert client_for("agri.reporter").get(detail(resolution)).status_code == 404
    assert resolution.pk not in {r.pk for r in client_for("agri.reporter").get(OURS)
                                 .context["page"]}


# --- A resolution's page --------------------------------------------------------------------------

@pytest.mark.parametrize(("username", "status"), [
    ("secretariat", 200), ("hq", 200), ("evaluator", 200), ("agri.reporter", 200),
    ("agri.head", 200), ("imt.reporter", 200), ("chamber", 404), ("outsider", 404),
])
def test_who_sees_a_resolution(client_for, province, other_province, username, status) -> None:  # type: ignore[no-untyped-def]
    resolution = notified_resolution(province, collaborators=[agency(province, "imt")],
                                     body=make_body(province, members=()))
    assert client_for(username).get(detail(resolution)).status_code == status


def actions(response) -> set[str]:  # type: ignore[no-untyped-def]
    return {name for name, _label, _form in response.context["actions"]}


def test_each_person_is_offered_their_own_steps(client_for, province) -> None:  # type: ignore[no-untyped-def]
    resolution = notified_resolution(province, collaborators=[agency(province, "imt")])
    assert actions(client_for("secretariat").get(detail(resolution))) == {"start", "cancel"}
    assert actions(client_for("agri.reporter").get(detail(resolution))) == {
        "object", "start", "followup"}
    collaborator = client_for("imt.reporter").get(detail(resolution))
    assert actions(collaborator) == {"followup"}
    followup_form = collaborator.context["actions"][0][2]
    assert "claims_done" not in followup_form.fields
    assert actions(client_for("hq").get(detail(resolution))) == set()


def test_the_agency_objects_and_the_secretariat_amends(client_for, province) -> None:  # type: ignore[no-untyped-def]
    resolution = notified_resolution(province)
    reporter = client_for("agri.reporter")
    response = reporter.post(step(resolution, "object"), seen(resolution, "object", reason=" "))
    assert response.status_code == 400
    assert "پر کردن این فیلد الزامی است." in response.content.decode()
    assert not Objection.objects.filter(resolution=resolution).exists()
    response = reporter.post(step(resolution, "object"),
                             seen(resolution, "object", reason="اعتبار این کار تامین نشده است."))
    assert response.status_code == 302
    objection = Objection.objects.get(resolution=resolution)
    assert objection.decision == "pending"
    page = client_for("secretariat").get(detail(resolution))
    assert "decide" in actions(page)
    assert 'data-testid="pending-objection"' in page.content.decode()
    secretariat = client_for("secretariat")
    # Amending without a new text: told beside the field.
    with translation.override("en"):
        response = secretariat.post(step(resolution, "decide"), seen(
            resolution, "decide", decision="amended", text=" ", deadline=""))
        assert response.status_code == 400
        form = [f for n, _l, f in response.context["actions"] if n == "decide"][0]
        assert form.errors["text"] == [tr("Write the amended resolution.")]
        assert form.errors["deadline"] == [tr("Give the amended deadline.")]
    new_deadline = resolution.deadline + datetime.timedelta(days=30)
    from jahesh.core.persian import format_jalali_date

    response = secretariat.post(step(resolution, "decide"), seen(
        resolution, "decide", decision="amended", text="متن اصلاح شده مصوبه",
        deadline=format_jalali_date(new_deadline), comment="با اعتراض موافقت شد"))
    assert response.status_code == 302
    amended = fresh(resolution)
    assert (amended.text, amended.deadline) == ("متن اصلاح شده مصوبه", new_deadline)
    objection.refresh_from_db()
    assert objection.decision == "amended"
    timeline = [e.kind for e in client_for("agri.head").get(detail(resolution))
                .context["d"].timeline]
    assert timeline[:4] == ["issued", "notified", "objection", "decision"]


def test_objections_end_with_the_window(client_for, province) -> None:  # type: ignore[no-untyped-def]
    resolution = notified_resolution(province)
    after = resolution.objection_until + datetime.timedelta(days=1)
    with time_machine.travel(datetime.datetime.combine(after, datetime.time(10, 0),
                                                       tzinfo=timezone.get_current_timezone()),
                             tick=False):
        client = client_for("agri.reporter")
        assert "object" not in actions(client.get(detail(resolution)))
        response = client.post(step(resolution, "object"),
                               seen(resolution, "object", reason="دیر است"))
        assert response.status_code == 403
    assert not Objection.objects.filter(resolution=resolution).exists()


@pytest.mark.parametrize(("username", "name", "status"), [
    ("imt.reporter", "object", 403), ("hq", "object", 403), ("agri.reporter", "cancel", 403),
    ("agri.reporter", "accept", 403), ("hq", "start", 403), ("evaluator", "followup", 403),
    ("water.reporter", "followup", 404), ("chamber", "start", 404),
    ("agri.reporter", "no-such-step", 404),
])
def test_steps_refused(client_for, province, username, name, status) -> None:  # type: ignore[no-untyped-def]
    from jahesh.organisation.models import Person

    if not Person.objects.filter(username=username).exists():
        pytest.skip(f"no demo person {username}")
    resolution = notified_resolution(province, collaborators=[agency(province, "imt")])
    before = fresh(resolution)
    response = client_for(username).post(step(resolution, name), seen(
        resolution, name, reason="x", text="x"))
    assert response.status_code == status
    after = fresh(resolution)
    assert (after.state, after.version) == (before.state, before.version)
    assert not Objection.objects.filter(resolution=resolution).exists()
    assert not FollowUp.objects.filter(resolution=resolution).exists()


def test_claiming_done_needs_evidence_then_the_secretariat_accepts(client_for, province) -> None:  # type: ignore[no-untyped-def]
    resolution = notified_resolution(province)
    reporter = client_for("agri.reporter")
    with translation.override("en"):
        response = reporter.post(step(resolution, "followup"), seen(
            resolution, "followup", text="کار تمام شد", claims_done="on"))
        assert response.status_code == 400
        form = [f for n, _l, f in response.context["actions"] if n == "followup"][0]
        assert form.errors["evidence"] == [tr("Attach the evidence that it is carried out.")]
    fake = SimpleUploadedFile("x.pdf", b"MZ" + b"0" * 100)
    response = reporter.post(step(resolution, "followup"), {
        **seen(resolution, "followup", text="کار تمام شد", claims_done="on"),
        "followup-evidence": fake})
    assert response.status_code == 400
    assert not FollowUp.objects.filter(resolution=resolution).exists()
    response = reporter.post(step(resolution, "followup"), {
        **seen(resolution, "followup", text="خط برق وصل شد", claims_done="on"),
        "followup-evidence": pdf()})
    assert response.status_code == 302
    followup = FollowUp.objects.get(resolution=resolution)
    assert followup.claims_done and followup.evidence_name == "صورتجلسه.pdf"
    assert fresh(resolution).state == ResolutionState.IN_PROGRESS
    download = reverse("meetings:evidence_download", args=[followup.uid])
    assert client_for("hq").get(download).status_code == 200
    assert client_for("imt.reporter").get(download).status_code == 404
    secretariat = client_for("secretariat")
    assert "accept" in actions(secretariat.get(detail(resolution)))
    response = secretariat.post(step(resolution, "accept"), seen(resolution, "accept"))
    assert response.status_code == 302
    done = fresh(resolution)
    assert done.state == ResolutionState.DONE and done.done_evidence == "خط برق وصل شد"
    assert actions(secretariat.get(detail(resolution))) == set()


def test_a_collaborator_reports_its_part_but_cannot_claim_done(client_for, province) -> None:  # type: ignore[no-untyped-def]
    resolution = notified_resolution(province, collaborators=[agency(province, "imt")])
    client = client_for("imt.reporter")
    response = client.post(step(resolution, "followup"), seen(
        resolution, "followup", text="سهم ما انجام شد", claims_done="on"))
    assert response.status_code == 302
    followup = FollowUp.objects.get(resolution=resolution)
    assert (followup.agency.code, followup.claims_done) == ("imt", False)
    assert fresh(resolution).state == ResolutionState.NOTIFIED


def test_cancelling_needs_a_reason(client_for, province) -> None:  # type: ignore[no-untyped-def]
    resolution = notified_resolution(province)
    client = client_for("secretariat")
    response = client.post(step(resolution, "cancel"), seen(resolution, "cancel", reason=""))
    assert response.status_code == 400
    assert fresh(resolution).state == ResolutionState.NOTIFIED
    response = client.post(step(resolution, "cancel"), seen(resolution, "cancel",
                                                            reason="با تصمیم استاندار منتفی شد"))
    assert response.status_code == 302
    assert fresh(resolution).state == ResolutionState.CANCELLED


def test_a_step_on_an_old_page_is_reported_not_taken(client_for, province) -> None:  # type: ignore[no-untyped-def]
    resolution = notified_resolution(province)
    old = seen(resolution, "cancel", reason="لغو")
    services.resolution_start(resolution=resolution, acting_user=who("secretariat"))
    response = client_for("secretariat").post(step(resolution, "cancel"), old)
    assert response.status_code == 302
    assert fresh(resolution).state == ResolutionState.IN_PROGRESS
