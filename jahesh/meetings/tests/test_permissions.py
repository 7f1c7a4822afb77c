"""Who may see and do what with bodies, meetings and resolutions: the table in
permissions.py, person by person, and above all who may NOT."""

import datetime

import pytest
from django.http import Http404

from jahesh.demo.meetings_loader import load_meetings
from jahesh.meetings import services
from jahesh.meetings.models import Body, Meeting, MeetingState, Resolution, ResolutionState
from jahesh.meetings.permissions import bodies, meetings, resolutions
from jahesh.meetings.tests.test_services_support import at, in_session, jalali
from jahesh.organisation.access import ANONYMOUS, actor_for
from jahesh.organisation.models import Person

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2024, 11, 20)  # 30 Aban 1403: the demo's story ends the day before


@pytest.fixture
def demo(province, person):  # type: ignore[no-untyped-def]
    return load_meetings(province, person("secretariat"), today=TODAY)


def actor(username):  # type: ignore[no-untyped-def]
    return actor_for(Person.objects.get(username=username))


def codes(queryset):  # type: ignore[no-untyped-def]
    return sorted(queryset.values_list("code", flat=True))


def test_bodies_visible(demo, other_province):  # type: ignore[no-untyped-def]
    assert codes(bodies.visible(actor("secretariat"))) == ["EM", "JT", "KV", "TS"]
    assert codes(bodies.visible(actor("hq"))) == ["EM", "JT", "KV", "TS"]
    assert codes(bodies.visible(actor("chamber"))) == ["KV"]
    assert codes(bodies.visible(actor("agri.head"))) == ["EM", "JT"]  # the seats they hold
    for nobody in ("agri.reporter", "evaluator", "outsider"):
        assert codes(bodies.visible(actor(nobody))) == [], nobody
    assert not bodies.visible(ANONYMOUS).exists()
    with pytest.raises(Http404):
        bodies.get_or_404(actor("outsider"), uid=demo["JT"].uid)


def test_only_the_secretariat_edits_bodies(demo, province, other_province):  # type: ignore[no-untyped-def]
    jt = demo["JT"]
    assert bodies.allows(actor("secretariat"), "edit", jt)
    assert bodies.allows(actor("secretariat"), "manage", province=province)
    for username in ("hq", "governor", "agri.head", "chamber", "outsider"):
        assert not bodies.allows(actor(username), "edit", jt), username
        assert not bodies.allows(actor(username), "manage", province=province), username
    assert bodies.allows(actor("agri.head"), "list", province=province)
    assert not bodies.allows(actor("agri.reporter"), "list", province=province)
    assert not bodies.allows(actor("secretariat"), "fly", jt)  # no rule: denied


def test_meetings_visible(demo, province):  # type: ignore[no-untyped-def]
    secretariat = Person.objects.get(username="secretariat")
    draft = services.meeting_create(body=demo["JT"], starts_at=at("1403/09/20"),
                                    acting_user=secretariat)
    kv = in_session(province, body=demo["KV"])
    jt_held = set(Meeting.objects.filter(body=demo["JT"]).exclude(state=MeetingState.DRAFT))

    def seen(username):  # type: ignore[no-untyped-def]
        return set(meetings.visible(actor(username)))

    assert seen("secretariat") == jt_held | {draft, kv.meeting}
    assert seen("hq") == jt_held | {kv.meeting}  # not the draft
    assert seen("agri.head") == jt_held  # JT's member: not KV's, not the draft
    assert seen("chamber") == {kv.meeting}
    for nobody in ("agri.reporter", "imt.reporter", "evaluator"):
        assert seen(nobody) == set(), nobody


def test_meeting_steps_are_the_secretariats(demo, province, other_province):  # type: ignore[no-untyped-def]
    session = in_session(province, body=demo["TS"])
    live = session.meeting
    closed = Meeting.objects.get(body=demo["JT"], number=1)
    scheduled = Meeting.objects.get(body=demo["JT"], number=2)
    sec = actor("secretariat")
    assert meetings.allows(sec, "issue_resolution", live)
    assert meetings.allows(sec, "close", live) and not meetings.allows(sec, "start", live)
    assert meetings.allows(sec, "start", scheduled) and meetings.allows(sec, "edit", scheduled)
    assert meetings.allows(sec, "reorder_agenda", scheduled)
    assert not meetings.allows(sec, "reorder_agenda", live)
    assert meetings.allows(sec, "edit_agenda", live)
    assert meetings.allows(sec, "create", body=demo["TS"])
    for step in ("edit", "close", "start", "schedule", "cancel", "edit_agenda",
                 "record_attendance", "issue_resolution"):
        assert not meetings.allows(sec, step, closed), step
        for username in ("hq", "governor", "agri.head", "chamber", "outsider"):
            assert not meetings.allows(actor(username), step, live), (username, step)
            assert not meetings.allows(actor(username), step, scheduled), (username, step)
    assert not meetings.allows(actor("hq"), "create", body=demo["TS"])


def test_briefing_and_minutes(demo, other_province):  # type: ignore[no-untyped-def]
    closed = Meeting.objects.get(body=demo["JT"], number=1)
    scheduled = Meeting.objects.get(body=demo["JT"], number=2)
    for username in ("secretariat", "hq", "agri.head"):
        assert meetings.allows(actor(username), "read_minutes", closed)
        assert not meetings.allows(actor(username), "read_minutes", scheduled)
        assert meetings.allows(actor(username), "read_briefing", scheduled)
        assert not meetings.allows(actor(username), "read_briefing", closed)
    for username in ("agri.reporter", "chamber", "evaluator", "outsider"):
        assert not meetings.allows(actor(username), "read_minutes", closed), username
        assert not meetings.allows(actor(username), "read_briefing", scheduled), username


def _agencies(queryset):  # type: ignore[no-untyped-def]
    return sorted(queryset.values_list("responsible_agency__code", flat=True))


def test_resolutions_visible(demo, province, other_province):  # type: ignore[no-untyped-def]
    every = _agencies(Resolution.objects.filter(province=province))
    assert every == ["agri", "bank-keshavarzi", "imt", "roads", "water"]
    for username in ("secretariat", "hq", "evaluator", "agri.head", "governor"):
        assert _agencies(resolutions.visible(actor(username))) == every, username
    assert _agencies(resolutions.visible(actor("agri.reporter"))) == ["agri"]
    # A collaborating agency sees what it collaborates on.
    assert _agencies(resolutions.visible(actor("bank-keshavarzi.reporter"))) == [
        "agri", "bank-keshavarzi"]
    assert _agencies(resolutions.visible(actor("parks.reporter"))) == ["imt"]
    for nobody in ("chamber", "tax.reporter", "outsider"):
        assert _agencies(resolutions.visible(actor(nobody))) == [], nobody
    assert not resolutions.allows(actor("outsider"), "list", province=province)
    assert not resolutions.allows(actor("agri.reporter"), "list", province=province)
    assert resolutions.allows(actor("evaluator"), "list", province=province)
    assert resolutions.allows(actor("agri.reporter"), "list_agency")
    assert not resolutions.allows(actor("hq"), "list_agency")


def test_issued_resolutions_stay_inside_until_notified(province):  # type: ignore[no-untyped-def]
    session = in_session(province)
    issued = session.issue(agency_code="agri")
    for username in ("agri.reporter", "evaluator"):
        assert not resolutions.visible(actor(username)).filter(pk=issued.pk).exists(), username
    # The body's members (agri.head sits on it) and HQ members follow the session.
    for username in ("hq", "agri.head"):
        assert resolutions.visible(actor(username)).filter(pk=issued.pk).exists(), username
    assert resolutions.allows(actor("secretariat"), "edit", issued)
    assert not resolutions.allows(actor("hq"), "edit", issued)
    session.close(today=jalali("1403/08/20"))
    assert resolutions.visible(actor("agri.reporter")).filter(pk=issued.pk).exists()


def test_objection_is_the_responsible_agencys_within_the_window(province, other_province):  # type: ignore[no-untyped-def]
    session = in_session(province, day="1403/08/20")
    resolution = session.issue(agency_code="agri", collaborators=[])
    session.close(today=jalali("1403/08/20"))
    resolution.refresh_from_db()
    inside, after = jalali("1403/08/21"), resolution.objection_until + datetime.timedelta(days=1)
    for username in ("agri.reporter", "agri.head"):
        assert resolutions.allows(actor(username), "object", resolution, today=inside)
        assert not resolutions.allows(actor(username), "object", resolution, today=after)
    for username in ("secretariat", "hq", "imt.head", "agri.participation", "outsider"):
        assert not resolutions.allows(actor(username), "object", resolution, today=inside), \
            username
    services.resolution_object(resolution=resolution, reason="نه", today=inside,
                               acting_user=Person.objects.get(username="agri.head"))
    # One objection at a time; the secretariat decides it.
    assert not resolutions.allows(actor("agri.reporter"), "object", resolution, today=inside)
    assert resolutions.allows(actor("secretariat"), "decide_objection", resolution)
    assert not resolutions.allows(actor("hq"), "decide_objection", resolution)
    assert not resolutions.allows(actor("agri.head"), "decide_objection", resolution)


def test_the_agencies_work(demo, other_province):  # type: ignore[no-untyped-def]
    in_progress = Resolution.objects.get(responsible_agency__code="agri")
    assert in_progress.state == ResolutionState.IN_PROGRESS
    for username in ("agri.reporter", "agri.head"):
        assert resolutions.allows(actor(username), "report", in_progress)
        assert resolutions.allows(actor(username), "claim_done", in_progress)
    collaborator = actor("bank-keshavarzi.reporter")
    assert resolutions.allows(collaborator, "report", in_progress)
    assert not resolutions.allows(collaborator, "claim_done", in_progress)
    for username in ("secretariat", "hq", "imt.reporter", "outsider"):
        assert not resolutions.allows(actor(username), "report", in_progress), username
        assert not resolutions.allows(actor(username), "claim_done", in_progress), username
    done = Resolution.objects.get(state=ResolutionState.DONE)
    assert not resolutions.allows(actor("imt.reporter"), "report", done)
    assert not resolutions.allows(actor("secretariat"), "cancel", done)
    notified = Resolution.objects.get(responsible_agency__code="roads")
    assert resolutions.allows(actor("roads.head"), "start", notified)
    assert resolutions.allows(actor("secretariat"), "start", notified)
    assert not resolutions.allows(actor("agri.head"), "start", notified)


def test_accept_done_and_cancel_are_the_secretariats(demo, person, other_province):  # type: ignore[no-untyped-def]
    resolution = Resolution.objects.get(responsible_agency__code="agri")
    assert not resolutions.allows(actor("secretariat"), "accept_done", resolution)  # no claim
    services.followup_report(resolution=resolution, text="انجام شد", claims_done=True,
                             acting_user=person("agri.head"))
    assert resolutions.allows(actor("secretariat"), "accept_done", resolution)
    assert resolutions.allows(actor("secretariat"), "cancel", resolution)
    for username in ("hq", "agri.head", "evaluator", "outsider"):
        assert not resolutions.allows(actor(username), "accept_done", resolution), username
        assert not resolutions.allows(actor(username), "cancel", resolution), username


def test_body_members_leaving_lose_sight(demo):  # type: ignore[no-untyped-def]
    secretariat = Person.objects.get(username="secretariat")
    agri_head = Person.objects.get(username="agri.head")
    for body in Body.objects.filter(code__in=["JT", "EM"]):
        services.member_set(body=body, person=agri_head, is_active=False, acting_user=secretariat)
    assert not meetings.visible(actor_for(Person.objects.get(pk=agri_head.pk))).exists()
