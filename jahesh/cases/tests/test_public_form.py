"""The public form (no login): a factory owner sends an obstacle; robots, floods and oversized
files are refused with a clear message, and a refusal leaves nothing behind (no case, no
attachment, no file on disk)."""

from __future__ import annotations

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from jahesh.cases import antiabuse, channel_services
from jahesh.cases.models import (
    CaseState,
    Channel,
    NoteVisibility,
    PublicSubmission,
)
from jahesh.cases.tests import channels_support as support
from jahesh.core.persian import to_latin_digits
from jahesh.plan.models import County

URL = reverse("public_cases:submit")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def before(db):  # type: ignore[no-untyped-def]
    return support.Baseline()


@pytest.fixture
def category(province):  # type: ignore[no-untyped-def]
    return support.category(province)


@pytest.fixture
def county(province):  # type: ignore[no-untyped-def]
    return County.objects.get_or_create(province=province, name="مرند")[0]


def form_data(category, county, **changes):  # type: ignore[no-untyped-def]
    data = {
        "unit_name": "صنایع غذایی سهند", "national_id": "", "contact_name": "رضا تبریزی",
        "contact_phone": "۰۹۱۴ ۱۲۳ ۴۵۶۷", "county": county.pk, "category": category.pk,
        "title": "", "description": "انشعاب برق کارخانه شش ماه است که معطل مانده است.",
        "website": "", **support.solved_check(),
    }
    data.update(changes)
    return data


def en(**extra):  # type: ignore[no-untyped-def]
    """A visitor who switched the pages to English."""
    client = Client(**extra)
    client.cookies["jahesh_language"] = "en"
    return client


def nothing_saved(media, before) -> bool:  # type: ignore[no-untyped-def]
    return (not before.cases().exists() and not before.attachments().exists()
            and not before.submissions().filter(case__isnull=False).exists()
            and not support.files_under(media))


def test_the_form_opens_without_login_and_asks_a_question(before, category, county):  # type: ignore[no-untyped-def]
    response = en().get(URL)
    assert response.status_code == 200
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert re.search(r"What is [a-z]+ (plus|minus) [a-z]+\?", page)  # the question, in words
    assert 'name="website"' in page and 'class="d-none"' in page  # the honeypot, hidden
    assert category.name in page and county.name in page


def test_a_case_is_opened_with_the_requester_and_a_tracking_code(before, category, county, media):  # type: ignore[no-untyped-def]
    client = Client()
    nid = support.national_id()
    unit = support.unit(category.province, nid=nid)
    data = form_data(category, county, national_id=to_latin_digits(nid).translate(
        str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")), attachments=[support.pdf(), support.png()])
    response = client.post(URL, data)
    assert response.status_code == 302 and response["Location"] == reverse("public_cases:submitted")
    case = before.cases().get()
    assert (case.channel, case.state, case.kind) == (Channel.PUBLIC_FORM, CaseState.NEW, "obstacle")
    assert case.requester_phone == "09141234567"
    assert "صنایع غذایی سهند" in case.requester_name and "رضا تبریزی" in case.requester_name
    assert case.unit == unit  # matched by its national business id
    assert case.requested_by is None and case.created_by is None
    assert case.county == county  # what the form asked, kept as the case's county
    assert case.title.startswith("صنایع غذایی سهند: انشعاب برق")
    assert sorted(a.visibility for a in case.attachments.all()) == [NoteVisibility.PUBLIC] * 2
    assert len(support.files_under(media)) == 2
    assert PublicSubmission.objects.filter(case=case).count() == 1
    assert case.steps.get().to_state == CaseState.NEW

    page = client.get(response["Location"])
    text = page.content.decode()
    grouped = "-".join(case.tracking_code[i:i + 4] for i in range(0, 12, 4))
    assert grouped.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")) in text
    assert case.tracking_code not in text  # Persian digits only
    assert page["Referrer-Policy"] == "same-origin"
    # The tracking page shows the case just sent, with no code in any URL.
    track = client.get(reverse("public_cases:track"))
    assert track.context["view"].case == case


def test_missing_and_bad_fields_are_named_next_to_them(before, category, county):  # type: ignore[no-untyped-def]
    data = form_data(category, county, contact_phone="0212345678", national_id="12345678901",
                     description="")
    response = en().post(URL, data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    with translation.override("en"):
        assert "starts with 09" in errors["contact_phone"][0]
        assert "check digit" in errors["national_id"][0]
    assert "description" in errors
    assert not before.cases().exists()
    # A fresh question is asked and the old answer is not kept.
    form = response.context["form"]
    assert form.data["answer"] == "" and form.data["check"] != data["check"]


def test_a_wrong_answer_is_refused_and_counted(before, category, county, media):  # type: ignore[no-untyped-def]
    response = en().post(URL, form_data(category, county, answer="3",
                                        attachments=[support.pdf()]))
    assert response.status_code == 200
    with translation.override("en"):
        assert "not the right answer" in response.context["form"].errors["answer"][0]
    assert response.context["files_again"]
    assert nothing_saved(media, before)
    assert antiabuse.usage(support.fake_request(), antiabuse.CHECK).last_hour == 1


@pytest.mark.parametrize(("seconds_ago", "message"), [(1, "too quickly"), (3 * 3600, "too long")])
def test_an_answer_too_fast_or_too_late_is_refused(before, category, county, media, seconds_ago,  # type: ignore[no-untyped-def]
                                                   message):
    data = form_data(category, county, **support.solved_check(seconds_ago=seconds_ago))
    response = en().post(URL, data)
    with translation.override("en"):
        assert message in response.context["form"].errors["answer"][0]
    assert nothing_saved(media, before)


def test_a_token_from_another_address_or_forged_is_refused(before, category, county, media):  # type: ignore[no-untyped-def]
    other = support.solved_check(addr="10.1.2.3")
    with translation.override("en"):
        response = en().post(URL, form_data(category, county, **other))
        assert "not the right answer" in response.context["form"].errors["answer"][0]
        response = en().post(URL, form_data(category, county, check="forged:token"))
        assert "too long" in response.context["form"].errors["answer"][0]
    assert nothing_saved(media, before)


def test_the_honeypot_refuses_a_robot(before, category, county, media):  # type: ignore[no-untyped-def]
    response = en().post(URL, form_data(category, county, website="http://spam.example"))
    assert response.status_code == 200
    assert "could not be accepted" in response.content.decode()
    assert nothing_saved(media, before)
    assert antiabuse.usage(support.fake_request(), antiabuse.CHECK).last_hour == 1


def test_too_many_submissions_in_an_hour_are_refused(before, category, county, media, settings):  # type: ignore[no-untyped-def]
    settings.JAHESH_PUBLIC_PER_HOUR = 2
    client = en()
    for _ in range(2):
        assert client.post(URL, form_data(category, county)).status_code == 302
    with translation.override("en"):
        response = client.post(URL, form_data(category, county, attachments=[support.pdf()]))
        assert response.status_code == 429
        assert "Too many cases were sent" in response.content.decode()
        assert before.cases().count() == 2 and not before.attachments().exists()
        assert not support.files_under(media)
        # The form itself says so before anyone types.
        page = client.get(URL).content.decode()
        assert "Too many cases were sent" in page and 'name="description"' not in page
    # Another address is not affected.
    other = Client(REMOTE_ADDR="10.9.9.9")
    data = form_data(category, county, **support.solved_check(addr="10.9.9.9"))
    assert other.post(URL, data).status_code == 302


def test_the_daily_limit_counts_the_whole_day(before, category, county, settings):  # type: ignore[no-untyped-def]
    settings.JAHESH_PUBLIC_PER_DAY = 3
    request = support.fake_request()
    for hours_ago in (2, 5, 20):
        row = antiabuse.record_use(request, antiabuse.SUBMIT)
        PublicSubmission.objects.filter(pk=row.pk).update(
            at=row.at - timedelta(hours=hours_ago))
    response = Client().post(URL, form_data(category, county))
    assert response.status_code == 429
    PublicSubmission.objects.filter(address_hash=antiabuse.address_hash(
        request, antiabuse.SUBMIT)).order_by("at").first().delete()
    assert Client().post(URL, form_data(category, county)).status_code == 302


def test_the_address_is_stored_only_as_a_keyed_hash(before, category, county):  # type: ignore[no-untyped-def]
    Client(REMOTE_ADDR="203.0.113.7").post(
        URL, form_data(category, county, **support.solved_check(addr="203.0.113.7")))
    row = before.submissions().get()
    assert "203.0.113.7" not in row.address_hash and len(row.address_hash) == 64
    # An IPv6 household counts as one: its /64.
    a = support.fake_request("2001:db8:1:2::10")
    b = support.fake_request("2001:db8:1:2:ffff::1")
    assert antiabuse.address_hash(a, "submit") == antiabuse.address_hash(b, "submit")


def test_an_oversized_attachment_is_refused(before, category, county, media, settings):  # type: ignore[no-untyped-def]
    settings.JAHESH_PUBLIC_FILE_MAX_MB = 1
    big = support.pdf("big.pdf", size=1_300_000)
    response = en().post(URL, form_data(category, county, attachments=[support.png(), big]))
    assert response.status_code == 200
    with translation.override("en"):
        assert "“big.pdf” is larger than 1 MB" in response.context["form"].errors["attachments"][0]
    assert nothing_saved(media, before)


def test_attachments_together_over_the_total_are_refused(before, category, county, media, settings):  # type: ignore[no-untyped-def]
    settings.JAHESH_PUBLIC_FILE_MAX_MB = 1
    settings.JAHESH_PUBLIC_TOTAL_MAX_MB = 1
    files = [support.pdf("a.pdf", 600_000), support.pdf("b.pdf", 600_000)]
    response = en().post(URL, form_data(category, county, attachments=files))
    with translation.override("en"):
        assert "together are larger than 1 MB" in \
            response.context["form"].errors["attachments"][0]
    assert nothing_saved(media, before)


def test_a_file_of_another_kind_or_too_many_files_are_refused(before, category, county, media, settings):  # type: ignore[no-untyped-def]
    settings.JAHESH_PUBLIC_MAX_FILES = 2
    with translation.override("en"):
        response = en().post(URL, form_data(category, county,
                                                attachments=[support.text_file()]))
        assert "is not accepted" in response.context["form"].errors["attachments"][0]
        response = en().post(URL, form_data(
            category, county, attachments=[support.png(f"{n}.png") for n in range(3)]))
        assert "at most 2 files" in response.context["form"].errors["attachments"][0]
    assert nothing_saved(media, before)


def test_a_request_larger_than_the_limit_is_refused_unread(before, category, county, media, settings):  # type: ignore[no-untyped-def]
    settings.JAHESH_PUBLIC_TOTAL_MAX_MB = 1
    data = form_data(category, county, attachments=[support.pdf("huge.pdf", 2_500_000)])
    with translation.override("en"), \
            mock.patch("jahesh.cases.public.PublicCaseForm") as form_class:
        response = en().post(URL, data)
    assert response.status_code == 413
    assert "larger than 1 MB altogether" in response.content.decode()
    form_class.assert_not_called()
    assert nothing_saved(media, before)


def test_a_failure_after_the_files_were_written_leaves_nothing(before, category, county, media):  # type: ignore[no-untyped-def]
    """The last write (the rate-limit record) fails: the case, the attachment rows and the
    files already on disk all go."""
    with mock.patch.object(PublicSubmission.objects, "create", side_effect=IntegrityError("x")), \
            pytest.raises(IntegrityError):
        channel_services.public_case_submit(
            province=category.province, category=category, unit_name="واحد", national_id="",
            contact_name="x", contact_phone="09120000000", county=county, title="t",
            description="d" * 20, uploads=[support.pdf(), support.png()], address_hash="h",
            max_file_bytes=10 ** 7)
    assert nothing_saved(media, before)


def test_the_csrf_check_still_applies(before, category, county, media):  # type: ignore[no-untyped-def]
    client = Client(enforce_csrf_checks=True)
    response = client.post(URL, form_data(category, county))
    assert response.status_code == 403
    assert nothing_saved(media, before)


def test_several_provinces_ask_which_one(before, category, county, other_province):  # type: ignore[no-untyped-def]
    west = other_province["province"]
    west_category = support.category(west, code="tax", name="مالیات", agency_code=None)
    response = Client().get(URL)
    assert "cases/public/choose_province.html" in [t.name for t in response.templates]
    response = Client().get(URL + f"?province={west.code}")
    form = response.context["form"]
    assert list(form.fields["category"].queryset) == [west_category]
    assert Client().get(URL + "?province=nowhere").status_code == 404
    # A category of the other province is not accepted.
    data = form_data(west_category, county)
    response = Client().post(URL + f"?province={category.province.code}", data)
    assert "category" in response.context["form"].errors
    assert not before.cases().exists()


def test_uses_older_than_a_day_that_opened_no_case_are_forgotten(before, category, county):  # type: ignore[no-untyped-def]
    from jahesh.cases.tests.case_support import assigned_case

    old_case = assigned_case(category.province)
    stranger = support.fake_request(addr="10.7.7.7")
    stale = antiabuse.record_use(stranger, antiabuse.TRACK)
    kept = antiabuse.record_use(stranger, antiabuse.SUBMIT, case=old_case)
    recent = antiabuse.record_use(stranger, antiabuse.CHECK)
    PublicSubmission.objects.filter(pk__in=[stale.pk, kept.pk]).update(
        at=timezone.now() - timedelta(days=1, minutes=1))
    PublicSubmission.objects.filter(pk=recent.pk).update(
        at=timezone.now() - timedelta(hours=23))
    antiabuse.record_failure(support.fake_request(), antiabuse.TRACK)  # someone else, later
    left = set(PublicSubmission.objects.filter(pk__in=[stale.pk, kept.pk, recent.pk])
               .values_list("pk", flat=True))
    assert left == {kept.pk, recent.pk}
