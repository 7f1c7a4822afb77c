"""The holiday calendar page: the secretariat adds and removes, others read, all audited."""

import pytest
from django.urls import reverse
from django.utils import translation

from jahesh.audit.models import AuditEvent
from jahesh.core.persian import to_gregorian
from jahesh.workdays.models import Holiday

pytestmark = pytest.mark.django_db
LIST = reverse("workdays:holiday_list")


@pytest.fixture(autouse=True)
def _no_holidays(db):  # type: ignore[no-untyped-def]
    Holiday.objects.all().delete()  # the demo's calendar, if loaded


def test_the_secretariat_adds_a_holiday_typed_in_persian_digits(client_for, province) -> None:  # type: ignore[no-untyped-def]
    client = client_for("secretariat")
    response = client.post(LIST, {"holiday-date": "۱۴۰۴/۰۱/۱۲", "holiday-name": "روز جمهوری"})
    assert response.status_code == 302 and response["Location"].endswith("year=1404")
    holiday = Holiday.objects.get(province=province, date=to_gregorian(1404, 1, 12))
    assert holiday.name == "روز جمهوری"
    assert AuditEvent.objects.filter(event="holiday.created", target_id=str(holiday.pk)).exists()
    page = client.get(LIST, {"year": "۱۴۰۴"})
    assert [h.pk for h in page.context["holidays"]] == [holiday.pk]
    assert list(client.get(LIST, {"year": 1403}).context["holidays"]) == []
    response = client.post(reverse("workdays:holiday_remove", args=[holiday.pk]))
    assert response.status_code == 302
    assert not Holiday.objects.filter(pk=holiday.pk).exists()
    assert AuditEvent.objects.filter(event="holiday.removed", target_id=str(holiday.pk)).exists()


def test_a_bad_date_or_a_second_holiday_the_same_day_is_told_next_to_the_field(client_for, province) -> None:  # type: ignore[no-untyped-def]
    client = client_for("secretariat")
    Holiday.objects.create(province=province, date=to_gregorian(1404, 1, 1), name="نوروز")
    with translation.override("en"):
        response = client.post(LIST, {"holiday-date": "1404/12/30", "holiday-name": "x"})
        assert response.status_code == 400 and response.context["form"].errors["date"]
        response = client.post(LIST, {"holiday-date": "1404/01/01", "holiday-name": "x"})
        assert response.status_code == 400
        # The page speaks Persian: "already entered as a holiday", with the date in Persian.
        assert "۱۴۰۴/۰۱/۰۱ پیش‌تر به‌عنوان تعطیلی ثبت شده است" in \
            str(response.context["form"].errors["date"])
        response = client.post(LIST, {"holiday-date": "1404/01/02", "holiday-name": " "})
        assert response.context["form"].errors["name"]
    assert Holiday.objects.filter(province=province).count() == 1


def test_others_read_the_calendar_but_do_not_change_it(client_for, province, other_province) -> None:  # type: ignore[no-untyped-def]
    holiday = Holiday.objects.create(province=province, date=to_gregorian(1403, 12, 29),
                                     name="ملی شدن صنعت نفت")
    reporter = client_for("agri.reporter")
    page = reporter.get(LIST, {"year": 1403})
    assert page.status_code == 200 and not page.context["may_manage"]
    assert reporter.post(LIST, {"holiday-date": "1404/01/02", "holiday-name": "x"}).status_code \
        == 403
    assert reporter.post(reverse("workdays:holiday_remove", args=[holiday.pk])).status_code == 403
    outsider = client_for("outsider")
    assert outsider.post(reverse("workdays:holiday_remove", args=[holiday.pk])).status_code == 404
    assert list(outsider.get(LIST, {"year": 1403}).context["holidays"]) == []
    assert Holiday.objects.filter(pk=holiday.pk).exists()
