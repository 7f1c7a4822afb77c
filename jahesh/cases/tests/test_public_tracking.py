"""Following a case by its tracking code (no login): the lookup, what the requester sees (public
steps' comments, public notes and files only), confirming or reopening a resolution, and the
limit on guessing codes."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from jahesh.cases import antiabuse, services
from jahesh.cases.models import CaseState, NoteVisibility
from jahesh.cases.public import SESSION_TRACKED
from jahesh.cases.tests import case_support
from jahesh.cases.tests import channels_support as support

TRACK = reverse("public_cases:track")
PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def typed(code: str) -> str:
    """As a person types it: Persian digits, in groups with dashes and spaces."""
    grouped = " - ".join(code[i:i + 4] for i in range(0, len(code), 4))
    return grouped.translate(PERSIAN)


def looked_up(case, client=None):  # type: ignore[no-untyped-def]
    client = client or Client()
    response = client.post(TRACK, {"code": typed(case.tracking_code)})
    assert response.status_code == 302 and response["Location"] == TRACK
    return client


def test_a_code_in_persian_digits_with_dashes_finds_the_case(province):  # type: ignore[no-untyped-def]
    case = case_support.open_case(province)
    client = looked_up(case)
    page = client.get(TRACK)
    assert page.status_code == 200 and page["Referrer-Policy"] == "same-origin"
    assert "no-store" in page["Cache-Control"]
    assert page.context["view"].case == case
    text = page.content.decode()
    assert case.reference in text and case.title in text
    assert case.tracking_code not in page.request["PATH_INFO"]
    # Following another case forgets this one.
    client.post(TRACK, {"forget": "1"})
    assert SESSION_TRACKED not in client.session


def test_an_unknown_code_is_refused_and_guessing_is_limited(province, settings):  # type: ignore[no-untyped-def]
    settings.JAHESH_PUBLIC_TRACK_FAILURES_PER_HOUR = 3
    case = case_support.open_case(province)
    client = Client()
    client.cookies["jahesh_language"] = "en"
    wrong = str((int(case.tracking_code) + 1) % 10 ** 12).zfill(12)
    for _ in range(3):
        response = client.post(TRACK, {"code": wrong})
        assert response.status_code == 200
        with translation.override("en"):
            assert "No case has this tracking code" in response.context["form"].errors["code"][0]
    # The right code now waits too: guessing is stopped for the address, not for the code.
    response = client.post(TRACK, {"code": case.tracking_code})
    assert response.status_code == 429
    assert "Too many tracking codes" in response.content.decode()
    assert SESSION_TRACKED not in client.session
    # Another address is not held back.
    assert Client(REMOTE_ADDR="10.0.0.8").post(TRACK, {"code": case.tracking_code}) \
        .status_code == 302
    # A code of the wrong length is a form error, not a guess.
    english = Client(REMOTE_ADDR="10.0.0.9")
    english.cookies["jahesh_language"] = "en"
    response = english.post(TRACK, {"code": "123"})
    with translation.override("en"):
        assert "12 digits" in response.context["form"].errors["code"][0]
    assert antiabuse.usage(support.fake_request("10.0.0.9"), antiabuse.TRACK).last_hour == 0


def test_the_requester_sees_only_what_is_public(province, person):  # type: ignore[no-untyped-def]
    case = case_support.assigned_case(province)
    secretariat, reporter = person("secretariat"), person("agri.reporter")
    services.note_add(case=case, body="یادداشت عمومی برای درخواست‌کننده",
                      visibility=NoteVisibility.PUBLIC, acting_user=reporter)
    services.note_add(case=case, body="یادداشت داخلی محرمانه", visibility=NoteVisibility.INTERNAL,
                      acting_user=reporter)
    services.attachment_add(case=case, upload=support.pdf("public-answer.pdf"),
                            visibility=NoteVisibility.PUBLIC, acting_user=reporter)
    internal = services.attachment_add(case=case, upload=support.pdf("internal-memo.pdf"),
                                       visibility=NoteVisibility.INTERNAL, acting_user=reporter)
    services.case_escalate_hq(case=case, reason="دلیل داخلی ارجاع به قرارگاه",
                              acting_user=secretariat)
    client = looked_up(case)
    page = client.get(TRACK)
    text = page.content.decode()
    assert "یادداشت عمومی برای درخواست‌کننده" in text and "public-answer.pdf" in text
    assert "یادداشت داخلی محرمانه" not in text
    assert "internal-memo.pdf" not in text
    assert "دلیل داخلی ارجاع به قرارگاه" not in text  # an internal step's comment
    view = page.context["view"]
    assert [n.visibility for n in view.notes] == [NoteVisibility.PUBLIC]
    assert [a.name for a in view.attachments] == ["public-answer.pdf"]
    assert case_support.agency(province, "agri").name in text  # the responsible agency
    # The internal file cannot be fetched by guessing its number.
    assert client.get(reverse("public_cases:attachment", args=[internal.pk])).status_code == 404
    public = view.attachments[0]
    download = client.get(reverse("public_cases:attachment", args=[public.pk]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attach")
    # Nor without the case looked up in the session.
    assert Client().get(reverse("public_cases:attachment", args=[public.pk])).status_code == 404


def test_the_requester_confirms_a_resolution(province):  # type: ignore[no-untyped-def]
    case = case_support.resolved_case(province)
    client = looked_up(case)
    page = client.get(TRACK)
    assert page.context["confirm_form"] and page.context["reopen_form"]
    assert "برق خط تولید وصل شد." in page.content.decode()  # what was done (a public step)
    response = client.post(reverse("public_cases:confirm"), {"version": case.version,
                                                             "comment": "ممنون"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED and case.closed_at is not None
    step = case.steps.order_by("-at", "-id").first()
    assert step.action == "confirm" and step.actor is None and step.comment == "ممنون"


def test_the_requester_reopens_with_a_reason(province):  # type: ignore[no-untyped-def]
    case = case_support.resolved_case(province)
    client = looked_up(case)
    client.cookies["jahesh_language"] = "en"
    response = client.post(reverse("public_cases:reopen"), {"version": case.version,
                                                            "reason": ""})
    assert response.status_code == 200
    assert response.context["reopen_form"].errors["reason"]
    case.refresh_from_db()
    assert case.state == CaseState.RESOLVED
    response = client.post(reverse("public_cases:reopen"), {
        "version": case.version, "reason": "هنوز برق قطع می‌شود"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.ASSIGNED and case.reopen_count == 1


def test_a_stale_page_or_a_case_not_resolved_changes_nothing(province):  # type: ignore[no-untyped-def]
    case = case_support.resolved_case(province)
    client = looked_up(case)
    client.post(reverse("public_cases:confirm"), {"version": case.version - 1})
    case.refresh_from_db()
    assert case.state == CaseState.RESOLVED
    open_case = case_support.assigned_case(province)
    client = looked_up(open_case)
    assert "confirm_form" not in client.get(TRACK).context
    client.post(reverse("public_cases:confirm"), {"version": open_case.version})
    open_case.refresh_from_db()
    assert open_case.state == CaseState.ASSIGNED


def test_confirming_needs_a_looked_up_case_and_the_csrf_token(province):  # type: ignore[no-untyped-def]
    case = case_support.resolved_case(province)
    assert Client().post(reverse("public_cases:confirm"), {"version": case.version}) \
        .status_code == 404
    strict = Client(enforce_csrf_checks=True)
    strict.get(TRACK)
    response = strict.post(reverse("public_cases:confirm"), {"version": case.version})
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.state == CaseState.RESOLVED


def test_a_merged_case_points_to_the_original(province, person):  # type: ignore[no-untyped-def]
    original = case_support.open_case(province, title="اصلی")
    duplicate = case_support.open_case(province, title="تکراری")
    services.case_merge(case=duplicate, into=original, acting_user=person("secretariat"))
    page = looked_up(duplicate).get(TRACK)
    grouped = "-".join(original.tracking_code[i:i + 4] for i in range(0, 12, 4))
    assert page.context["view"].original_code == grouped.translate(PERSIAN)
