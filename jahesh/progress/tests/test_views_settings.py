"""The secretariat's pages: the year's reporting calendar with its windows, reopening a locked
month (audited), and the reporting and status rules."""

from decimal import Decimal

import pytest
from django.urls import reverse

from jahesh.audit.models import AuditEvent
from jahesh.plan.tests.views_support import assert_field_error, tr
from jahesh.progress import periods
from jahesh.progress.models import StatusRule
from jahesh.progress.tests.support import (
    _media,  # noqa: F401
    _no_reopenings,  # noqa: F401
    on,
    period,
    who,
)

pytestmark = pytest.mark.django_db

PERIODS = reverse("progress:period_list")
SETTINGS = reverse("progress:settings")


def test_the_calendar_shows_each_month_with_its_window(client_for, province) -> None:  # type: ignore[no-untyped-def]
    with on(1403, 12, 12):
        response = client_for("secretariat").get(PERIODS, {"year": "1403"})
    html = response.content.decode()
    windows = [cell.window for cell in response.context["months"]]
    assert windows == ["locked"] * 10 + ["grace", "upcoming"]
    row = html.split('data-month="11"')[1].split("</tr>")[0]
    assert "بهمن" in row and "۱۴۰۳/۱۲/۱۰" in row and tr("Grace period (late)") in row
    # Reopening is offered for locked months only.
    assert html.count(tr("Reopen")) == 10
    with on(1403, 12, 12):
        assert tr("Reopen") not in client_for("hq").get(PERIODS).content.decode()


def test_the_secretariat_reopens_a_locked_month_with_a_reason(client_for, province) -> None:  # type: ignore[no-untyped-def]
    mordad = period(province, 5)
    url = reverse("progress:period_reopen", args=[mordad.pk])
    with on(1403, 8, 1):
        client = client_for("secretariat")
        response = client.post(url, {"until": "۱۴۰۳/۰۸/۰۵", "reason": ""})
        assert response.status_code == 200
        assert_field_error(response, "reason")
        response = client.post(url, {"until": "۱۴۰۳/۰۷/۳۰", "reason": "قطعی سامانه"})
        assert assert_field_error(response, "until") == [tr("Choose today or a later day.")]
        response = client.post(url, {"until": "۱۴۰۳/۰۸/۰۵", "reason": "قطعی سامانه"})
        assert response.status_code == 302
        mordad.refresh_from_db()
        assert periods.window_of(mordad) == "reopened"
    assert mordad.reopened_until == periods.to_gregorian(1403, 8, 5)
    event = AuditEvent.objects.get(event="period.reopened", target_id=str(mordad.pk))
    assert event.actor == who("secretariat") and event.after["reason"] == "قطعی سامانه"


def test_a_month_that_still_accepts_reports_is_not_reopened(client_for, province) -> None:  # type: ignore[no-untyped-def]
    events = AuditEvent.objects.filter(event="period.reopened").count()
    with on(1403, 12, 5):
        response = client_for("secretariat").post(
            reverse("progress:period_reopen", args=[period(province, 11).pk]),
            {"until": "1403/12/20", "reason": "x"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        tr("Only a locked month can be reopened; this one still accepts reports.")]
    assert AuditEvent.objects.filter(event="period.reopened").count() == events


def test_the_reporting_calendar_is_changed_in_persian_digits(client_for, province) -> None:  # type: ignore[no-untyped-def]
    client = client_for("secretariat")
    rules = periods.rules_for(province)
    response = client.post(reverse("progress:reporting_rules_save"), {
        "window_opens_day": "۱", "window_closes_day": "۱۵", "grace_days": "۳",
        "version": rules.version})
    assert response.status_code == 302
    rules.refresh_from_db()
    assert (rules.window_opens_day, rules.window_closes_day, rules.grace_days) == (1, 15, 3)
    response = client.post(reverse("progress:reporting_rules_save"), {
        "window_opens_day": "۱۲", "window_closes_day": "۱۰", "grace_days": "۳",
        "version": rules.version}, )
    assert response.status_code == 200
    assert assert_field_error(response, "window_closes_day", form="rules_form") == [
        tr("The window cannot close before it opens.")]
    # A stale form changes nothing.
    response = client.post(reverse("progress:reporting_rules_save"), {
        "window_opens_day": "۲", "window_closes_day": "۸", "grace_days": "۳", "version": 1})
    assert response.status_code == 200
    rules.refresh_from_db()
    assert rules.window_closes_day == 15


def test_the_status_rules_are_changed_in_order(client_for, province) -> None:  # type: ignore[no-untyped-def]
    client = client_for("secretariat")
    page = client.get(SETTINGS)
    forms = page.context["status_forms"].forms
    assert [f.initial for f in forms[:2]] == [{"status": "on_track", "min_percent": Decimal(90)},
                                              {"status": "at_risk", "min_percent": Decimal(70)}]
    data = {"rules-TOTAL_FORMS": "3", "rules-INITIAL_FORMS": "0",
            "rules-0-status": "on_track", "rules-0-min_percent": "۸۵",
            "rules-1-status": "at_risk", "rules-1-min_percent": "۶۰٫۵",
            "rules-2-status": "", "rules-2-min_percent": ""}
    assert client.post(reverse("progress:status_rules_save"), data).status_code == 302
    assert list(StatusRule.objects.filter(province=province).values_list(
        "status", "min_percent")) == [("on_track", Decimal(85)), ("at_risk", Decimal("60.5"))]
    bad = {**data, "rules-1-min_percent": "۹۰"}
    response = client.post(reverse("progress:status_rules_save"), bad)
    assert response.status_code == 200
    assert response.context["status_errors"] == [
        tr("Rule %(n)s: the percents must go down from one rule to the next.") % {"n": "۲"}]
    assert StatusRule.objects.filter(province=province).count() == 2
    assert AuditEvent.objects.filter(event="status_rules.changed").count() == 1
