"""What the evaluation pages show and what their forms do, on the world of support.py."""

from decimal import Decimal
from unittest import mock

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from jahesh.audit.models import AuditEvent
from jahesh.core.persian import format_number, localize_digits
from jahesh.evaluation.models import AgencyScorecard, ScorecardWeight
from jahesh.evaluation.scorecard import COMPONENTS
from jahesh.evaluation.tests.support import WorldTestCase, on
from jahesh.plan.tests.views_support import assert_field_error, field_errors, tr
from jahesh.progress.models import StatusRule

WEIGHTS = {"achievement": "50", "on_time": "20", "completeness": "15", "plan_quality": "15",
           "cases": "15", "resolutions": "10"}


def fa(value: object) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return localize_digits(value)


class LeaguePageTests(WorldTestCase):
    def setUp(self) -> None:
        self.client.force_login(self.w.people["a.reporter"])

    def test_agencies_tab(self) -> None:
        with on(1403, 4, 12):
            page = self.client.get(reverse("evaluation:league"), {"year": "۱۴۰۳", "month": "3"})
        html = page.content.decode()
        rows = [(r.rank, r.name, r.change) for r in page.context["page"]]
        assert rows == [(1, "دستگاه الف", 1), (2, "دستگاه ج", 0), (3, "دستگاه د", -1),
                        (4, "دستگاه ب", -3)]
        assert "خرداد" in html and fa(85) in html and "▼ " + fa(3) in html
        # An agency's reporter may open their own scorecard only.
        a_url = reverse("evaluation:scorecard", args=[self.w.agencies["a"].pk])
        b_url = reverse("evaluation:scorecard", args=[self.w.agencies["b"].pk])
        assert a_url in html and b_url not in html

    def test_sector_and_category_tabs(self) -> None:
        page = self.client.get(reverse("evaluation:league"),
                               {"by": "sector", "year": "1403", "month": "3"})
        assert [r.name for r in page.context["page"]] == ["کشاورزی", "صنعت"]
        page = self.client.get(reverse("evaluation:league"),
                               {"by": "category", "year": "1403", "month": "3"})
        assert [r.rank for r in page.context["page"]] == [1, 1, 3]

    def test_default_month_is_the_one_being_reported(self) -> None:
        with on(1404, 1, 5):  # Farvardin 1404: Esfand 1403 is being reported
            page = self.client.get(reverse("evaluation:league"))
        assert (page.context["month"].year, page.context["month"].month) == (1403, 12)
        with on(1403, 12, 30):  # the leap day: Bahman is the month reported
            page = self.client.get(reverse("evaluation:league"))
        assert (page.context["month"].year, page.context["month"].month) == (1403, 11)

    def test_bad_month_falls_back(self) -> None:
        with on(1403, 4, 12):
            page = self.client.get(reverse("evaluation:league"), {"year": "x", "month": "13"})
        assert (page.context["month"].year, page.context["month"].month) == (1403, 3)


class ScorecardPageTests(WorldTestCase):
    def test_components_formula_and_history(self) -> None:
        self.client.force_login(self.w.people["d.head"])
        url = reverse("evaluation:scorecard", args=[self.w.agencies["d"].pk])
        page = self.client.get(url, {"year": "1403", "month": "3"})
        html = page.content.decode()
        components = {c["code"]: c for c in page.context["components"]}
        assert components["achievement"]["value"] is None
        assert components["on_time"]["value"] == 50.0
        assert str(components["on_time"]["share"]) == "57.14"
        assert page.context["rank"] == (3, 4)
        with translation.override(settings.LANGUAGE_CODE):
            assert format_number(Decimal("71.43")) in html  # the score
        assert page.context["left_out"] and escape(page.context["left_out"]) in html
        with translation.override(settings.LANGUAGE_CODE):
            label = str(COMPONENTS["achievement"].label)
        assert f"{label} × {fa(50)}" in html
        assert [p.score is not None for p in page.context["history"]][:4] == [
            True, True, True, False]
        assert not page.context["may_comment"]
        assert 'name="body"' not in html

    def test_a_comment_needs_text(self) -> None:
        self.client.force_login(self.w.people["evaluator"])
        url = reverse("evaluation:comment_add", args=[self.w.agencies["a"].pk])
        page = self.client.post(url, {"body": "   ", "year": "1403", "month": "3"})
        assert page.status_code == 200
        assert assert_field_error(page, "body")
        assert not self.w.agencies["a"].evaluation_comments.exists()


class WeightsPageTests(WorldTestCase):
    def setUp(self) -> None:
        self.client.force_login(self.w.people["sec"])
        self.url = reverse("evaluation:weights")

    def test_persian_digits_save_and_recompute(self) -> None:
        with on(1403, 4, 12), self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(self.url, {**WEIGHTS, "achievement": "۶۰",
                                                   "on_time": "۴۰", "completeness": "0",
                                                   "plan_quality": "۰", "cases": "۰",
                                                   "resolutions": "0"},
                                    follow=True)
        assert response.redirect_chain[-1][0] == self.url
        assert dict(ScorecardWeight.objects.filter(province=self.w.province)
                    .values_list("component", "weight")) == {
            "achievement": 60, "on_time": 40, "completeness": 0, "plan_quality": 0, "cases": 0,
            "resolutions": 0}
        assert AgencyScorecard.objects.get(agency=self.w.agencies["a"],
                                           period=self.w.period(3)).score == Decimal("76.67")
        [message] = list(response.context["messages"])
        assert fa(1403) in str(message)

    def test_out_of_range_is_shown_next_to_the_field(self) -> None:
        for value in ("101", "-5", "2.5", "ده"):
            page = self.client.post(self.url, {**WEIGHTS, "on_time": value})
            assert page.status_code == 200
            assert assert_field_error(page, "on_time"), value
        assert not ScorecardWeight.objects.exists()
        assert not AuditEvent.objects.filter(event="scorecard_weights.changed").exists()

    def test_all_zero_is_refused(self) -> None:
        page = self.client.post(self.url, dict.fromkeys(WEIGHTS, "0"))
        assert page.status_code == 200
        assert field_errors(page, "__all__") == [tr("At least one weight must be above zero.")]
        assert not ScorecardWeight.objects.exists()

    def test_the_page_shows_the_formula(self) -> None:
        page = self.client.get(self.url)
        # 50 + 20 + 15 + 15 + 15 (cases, case_score.py) + 10 (resolutions, resolution_score.py)
        assert page.context["formula"][1].endswith("125")
        assert format_number(50) in page.content.decode()


class StatusRulesPageTests(WorldTestCase):
    def setUp(self) -> None:
        self.client.force_login(self.w.people["sec"])
        self.url = reverse("evaluation:status_rules")

    def test_save(self) -> None:
        response = self.client.post(self.url, {"on_track": "۸۵", "at_risk": "60"})
        assert response.status_code == 302
        assert list(StatusRule.objects.filter(province=self.w.province)
                    .values_list("status", "min_percent")) == [("on_track", 85), ("at_risk", 60)]
        assert AuditEvent.objects.filter(event="status_rules.changed").exists()
        page = self.client.get(self.url)
        assert page.context["form"].initial == {"on_track": 85, "at_risk": 60}

    def test_at_risk_must_be_below_on_track(self) -> None:
        page = self.client.post(self.url, {"on_track": "70", "at_risk": "80"})
        assert page.status_code == 200
        assert assert_field_error(page, "at_risk")
        assert not StatusRule.objects.filter(province=self.w.province).exists()


class CompliancePageTests(WorldTestCase):
    def setUp(self) -> None:
        self.client.force_login(self.w.people["sec"])

    def test_matrix_and_remind_buttons(self) -> None:
        with on(1403, 4, 12):
            page = self.client.get(reverse("evaluation:compliance"), {"year": "1403"})
        lines = {line.row.name: line for line in page.context["lines"]}
        # The latest month with something missing is the one a reminder is about.
        assert lines["دستگاه الف"].remind_month == 3
        assert lines["دستگاه ب"].remind_month == 2
        assert page.context["totals"] == {"on_time": 1, "late": 1, "missing": 10,
                                          "not_due": 36}
        html = page.content.decode()
        assert 'data-state="late"' in html
        assert reverse("evaluation:remind", args=[self.w.agencies["a"].pk]) in html

    def test_remind_calls_the_reminders(self) -> None:
        agency = self.w.agencies["d"]
        with mock.patch("jahesh.progress.reminders.remind_agency", return_value=2) as remind, \
                on(1403, 4, 12):
            response = self.client.post(reverse("evaluation:remind", args=[agency.pk]),
                                        {"year": "1403", "month": "3"}, follow=True)
        remind.assert_called_once_with(agency=agency, period=self.w.period(3),
                                       acting_user=self.w.people["sec"])
        assert response.redirect_chain[-1][0] == reverse("evaluation:compliance") + "?year=1403"
        assert "دستگاه د" in response.content.decode()

    def test_remind_for_real(self) -> None:
        """Through H3's reminders: D's reporter and head are told (D2 is missing)."""
        with on(1403, 4, 12):
            response = self.client.post(
                reverse("evaluation:remind", args=[self.w.agencies["d"].pk]),
                {"year": "1403", "month": "3"})
        assert response.status_code == 302
        assert AuditEvent.objects.filter(event="agency.reminded").count() == 1
