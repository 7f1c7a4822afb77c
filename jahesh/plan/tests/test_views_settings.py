"""Plan settings: the key actions of a year, the development axes, the priority industries."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from jahesh.audit.models import AuditEvent
from jahesh.plan import services
from jahesh.plan.models import AlignmentAxis, KeyAction, PriorityIndustry
from jahesh.plan.tests.views_support import assert_field_error, make_programme, tr

SETTINGS = reverse("plan:settings")


def flashed(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_everyone_in_the_province_reads_the_lists(client_for, province):  # type: ignore[no-untyped-def]
    services.industry_save(province=province, acting_user=None, title="فرآوری زعفران نمونه",
                           is_demo=True)
    response = client_for("chamber").get(SETTINGS)
    assert response.status_code == 200
    settings = response.context["settings"]
    assert [a.number for a in settings.key_actions] == list(range(1, 11))
    html = response.content.decode()
    assert "زیرساخت‌های اساسی تولید" in html and "ترویج فرهنگ مصرف کالای ایرانی" in html
    industries = html.split('data-testid="industries"')[1]
    demo_row = industries.split("فرآوری زعفران نمونه")[1].split("</li>")[0]
    assert tr("demo data") in demo_row
    assert response.context["may_manage"] is False


def test_a_key_action_in_use_cannot_be_removed(client_for, province):  # type: ignore[no-untyped-def]
    made = make_programme(province)
    used = made.project.key_action
    unused = services.key_action_create(acting_user=None, province=province, year=1403,
                                        number=11, title="اقدام بی‌استفاده")
    page = client_for("secretariat").get(SETTINGS)
    flags = {a.pk: a.in_use for a in page.context["settings"].key_actions}
    assert flags[used.pk] is True and flags[unused.pk] is False
    html = page.content.decode()
    assert reverse("plan:key_action_delete", args=[unused.pk]) in html
    assert reverse("plan:key_action_delete", args=[used.pk]) not in html

    events = AuditEvent.objects.count()
    response = client_for("secretariat").post(reverse("plan:key_action_delete", args=[used.pk]))
    assert response.status_code == 302
    assert flashed(response) == [
        tr("Programmes or projects use this key action; it cannot be removed.")]
    assert KeyAction.objects.filter(pk=used.pk).exists()
    assert AuditEvent.objects.count() == events

    response = client_for("secretariat").post(reverse("plan:key_action_delete",
                                                      args=[unused.pk]))
    assert response.status_code == 302 and response["Location"] == f"{SETTINGS}?year=1403"
    assert not KeyAction.objects.filter(pk=unused.pk).exists()
    assert AuditEvent.objects.filter(event="key_action.removed").count() == 1


def test_copying_a_year_into_the_next(client_for, province):  # type: ignore[no-untyped-def]
    KeyAction.objects.filter(province=province, year=1404).delete()
    client = client_for("secretariat")
    assert 'action="/plan/settings/key-actions/copy/?year=1403"' in client.get(
        SETTINGS).content.decode()
    response = client.post(reverse("plan:key_actions_copy") + "?year=1403")
    assert response.status_code == 302 and response["Location"] == f"{SETTINGS}?year=1404"
    copied = list(KeyAction.objects.for_year(province, 1404).values_list("number", "title"))
    assert copied == list(KeyAction.objects.for_year(province, 1403).values_list("number",
                                                                                  "title"))
    # The next year has a list now: copying again is refused with the service's words.
    response = client.post(reverse("plan:key_actions_copy") + "?year=1403")
    assert flashed(response)[-1] == tr("The year %(year)s already has key actions.") % {
        "year": 1404}
    assert KeyAction.objects.filter(province=province, year=1404).count() == 10
    page = client.get(SETTINGS, {"year": "1404"})
    assert [a.number for a in page.context["settings"].key_actions] == list(range(1, 11))
    assert 1404 in page.context["settings"].years


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"number": "۳", "title": "اقدام تازه"}, "number",
         "Another key action of this year has this number."),
        ({"number": "۱۱", "title": "رفع موانع توليد"}, "title",
         "Another key action of this year has this title."),
        ({"number": "۱۱", "title": "بازاریابی و  فروش"}, "title",
         "Another key action of this year has this title."),
        ({"number": "یازده", "title": "اقدام تازه"}, "number", "Enter a whole number."),
        ({"number": "۱۱٫۵", "title": "اقدام تازه"}, "number", "Enter a whole number."),
        ({"number": "۱۱", "title": "  "}, "title", "This field is required."),
    ],
    ids=["number-taken", "title-taken-arabic-letters", "title-taken-extra-space",
         "number-in-words", "number-fraction", "title-blank"],
)
def test_key_action_form_refuses_and_saves_nothing(client_for, data, field, message):  # type: ignore[no-untyped-def]
    before = (KeyAction.objects.count(), AuditEvent.objects.count())
    response = client_for("secretariat").post(reverse("plan:key_action_create") + "?year=1403",
                                              data)
    assert response.status_code == 200
    assert assert_field_error(response, field) == [tr(message)]
    assert (KeyAction.objects.count(), AuditEvent.objects.count()) == before


def test_a_key_action_is_added_to_the_year_asked_for(client_for, province):  # type: ignore[no-untyped-def]
    response = client_for("secretariat").post(
        reverse("plan:key_action_create") + "?year=۱۴۰۵", {"number": "۱", "title": "صادرات"})
    assert response.status_code == 302
    assert KeyAction.objects.get(province=province, year=1405).title == "صادرات"


def test_a_key_action_is_renumbered_and_renamed(client_for, province):  # type: ignore[no-untyped-def]
    action = KeyAction.objects.for_year(province, 1403).get(number=10)
    url = reverse("plan:key_action_edit", args=[action.pk])
    form = client_for("secretariat").get(url).context["form"]
    assert form["number"].value() == "۱۰"
    response = client_for("secretariat").post(url, {"number": "۱۲",
                                                    "title": "ترويج مصرف کالاي ايراني"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.number, action.title) == (12, "ترویج مصرف کالای ایرانی")


def test_axes_and_industries_are_added_and_edited(client_for, province):  # type: ignore[no-untyped-def]
    client = client_for("secretariat")
    events = AuditEvent.objects.count()
    response = client.post(reverse("plan:axis_create"),
                           {"number": "۹۵", "title": "محور آزمونی", "is_active": "on"})
    assert response.status_code == 302
    axis = AlignmentAxis.objects.get(province=province, number=95)
    response = client.post(reverse("plan:axis_edit", args=[axis.pk]),
                           {"number": "۹۵", "title": "محور آزمونی"})  # unticked: inactive
    axis.refresh_from_db()
    assert axis.is_active is False
    response = client.post(reverse("plan:axis_create"), {"number": "۹۵", "title": "دیگر"})
    assert assert_field_error(response, "number") == [tr("Another axis has this number.")]

    response = client.post(reverse("plan:industry_create"),
                           {"title": "صنایع  غذايي نمونه", "is_demo": "on", "is_active": "on"})
    assert response.status_code == 302
    industry = PriorityIndustry.objects.get(province=province, title="صنایع غذایی نمونه")
    assert industry.is_demo and industry.is_active
    response = client.post(reverse("plan:industry_create"), {"title": "صنايع غذایی نمونه"})
    assert assert_field_error(response, "title") == [
        tr("Another priority industry has this title.")]
    assert list(AuditEvent.objects.order_by("id")[events:].values_list(
        "event", "actor__username")) == [("axis.created", "secretariat"),
                                         ("axis.changed", "secretariat"),
                                         ("industry.created", "secretariat")]


def test_inactive_axes_and_industries_are_not_offered_for_new_programmes(  # type: ignore[no-untyped-def]
    client_for, province
):
    old = services.axis_save(province=province, acting_user=None, number=96,
                             title="محور کنار گذاشته", is_active=False)
    form = client_for("agri.reporter").get(reverse("plan:programme_create")).context["form"]
    assert old not in form.fields["axes"].queryset
