"""The generator's cases: what the services would have left, in bulk, at a tiny scale."""

import pytest
from django.db.models import Count
from django.test import TestCase

from jahesh.cases.measures import case_measures
from jahesh.cases.models import Case, CaseState, CaseStep, Channel, EscalationLevel
from jahesh.cases.services import escalate_overdue, search_text_of
from jahesh.core.persian import fiscal_year_bounds
from jahesh.demo.case_generator import default_cases
from jahesh.demo.generator import generate_province
from jahesh.meetings.models import AgendaCandidate
from jahesh.units.models import ProductionUnit
from jahesh.units.validators import clean_national_id
from jahesh.workdays.calendar import add_working_days

YEAR = 1403


def cases():  # type: ignore[no-untyped-def]
    return Case.objects.filter(province__code="gen-cases")


class GeneratedCasesTests(TestCase):
    """One tiny province for the class (rolled back after it)."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.generated = generate_province(agencies=5, projects=20, cases=400, seed=5,
                                          code="gen-cases")

    def test_the_asked_number_in_a_mix_of_states(self) -> None:
        assert self.generated.counts["cases"] == cases().count() == 400
        states = dict(cases().values_list("state").annotate(n=Count("id")).order_by())
        assert {CaseState.RESOLVED, CaseState.CLOSED, CaseState.MERGED,
                CaseState.REJECTED} <= set(states)
        # Still open at the end of the year: the recent ones, the slow ones.
        assert set(states) & {CaseState.ASSIGNED, CaseState.RESPONDED, CaseState.IN_PROGRESS}
        assert states[CaseState.CLOSED] > states[CaseState.RESOLVED]  # most answers are confirmed
        channels = set(cases().values_list("channel", flat=True))
        assert {Channel.PUBLIC_FORM, Channel.VISIT, Channel.CHAMBER,
                Channel.FACILITATION} <= channels
        assert set(cases().values_list("year", flat=True)) == {YEAR}
        first, last = fiscal_year_bounds(YEAR)
        assert all(first <= c.created_at.date() <= last for c in cases())


    def test_every_case_has_the_steps_that_brought_it_there(self) -> None:
        steps: dict[int, list[CaseStep]] = {}
        for step in CaseStep.objects.filter(case__in=cases()).order_by("at", "id"):
            steps.setdefault(step.case_id, []).append(step)
        for case in cases():
            moves = [s for s in steps[case.pk] if s.action != "overdue"]
            assert moves[0].action == "open", case.pk
            assert moves[-1].to_state == case.state, (case.pk, [m.action for m in moves])
            assert case.updated_at >= case.created_at
        national = set(CaseStep.objects.filter(case__in=cases(), action="escalate_national")
                       .values_list("case_id", flat=True))
        assert set(cases().filter(resolved_in_province=False).values_list("pk", flat=True)) \
            <= national
        for merged in cases().filter(state=CaseState.MERGED).select_related("duplicate_of"):
            assert merged.duplicate_of.province_id == merged.province_id
            assert merged.duplicate_of.created_at <= merged.created_at


    def test_deadlines_are_counted_in_the_provinces_working_days(self) -> None:
        from django.utils import timezone

        assigned = cases().filter(assigned_at__isnull=False, reopen_count=0).select_related(
            "category")[:40]
        for case in assigned:
            start = timezone.localtime(case.assigned_at).date()
            assert case.response_due == add_working_days(case.province_id, start,
                                                         case.category.response_days)
            assert case.resolution_due == add_working_days(case.province_id, start,
                                                           case.category.resolution_days)


    def test_the_ladder_is_where_the_daily_command_would_leave_it(self) -> None:
        _first, last = fiscal_year_bounds(YEAR)
        levels = set(cases().values_list("escalation_level", flat=True))
        assert EscalationLevel.HQ_AGENDA in levels
        top = cases().filter(escalation_level=EscalationLevel.HQ_AGENDA)
        assert AgendaCandidate.objects.filter(case__in=top).count() == top.count()
        before = dict(cases().values_list("pk", "escalation_level"))
        reached = escalate_overdue(last)
        assert dict(cases().values_list("pk", "escalation_level")) == before
        assert not any(reached.values())


    def test_units_search_text_and_visits(self) -> None:
        units = ProductionUnit.objects.filter(province__code="gen-cases")
        assert units.count() == self.generated.counts["production units"] >= 20
        assert all(clean_national_id(u.national_id) == u.national_id for u in units[:50])
        for case in cases().select_related("unit")[:30]:
            assert case.search_text == search_text_of(case)
        visited = cases().filter(channel=Channel.VISIT, visit__isnull=False).select_related("visit")
        assert visited.exists()
        assert all(c.visit.date.weekday() == 2 for c in visited)


    def test_measures_of_a_generated_province(self) -> None:
        _first, last = fiscal_year_bounds(YEAR)
        province = cases().first().province
        m = case_measures(province, YEAR, today=last)
        assert m.total.received == 400
        assert 90 <= m.total.in_province_share <= 100
        assert 0 < m.total.overdue <= m.total.open
        assert m.total.median_response_days < m.total.median_resolution_days




@pytest.mark.django_db
def test_default_number_of_cases() -> None:
    assert default_cases(120, 6000) == 100_000
    assert default_cases(3, 30) == 500
    assert default_cases(40, 0) == 200
