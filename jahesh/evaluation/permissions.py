"""Who may see and do what with the evaluation of agencies and with the dashboards.

| object / action | who |
|---|---|
| province dashboard, league tables | anyone with a role in the province |
| an agency's dashboard, scorecard and score history | the province's secretariat, HQ members, chamber working group and evaluators; the agency's own reporter, head and participation officer. Another agency's people: 404 |
| scorecard weights; reporting compliance and reminding an agency | the province's secretariat |
| evaluation comment on an agency's month: write | evaluators and the secretariat of the province |
| … read | the same, and the agency's own people |
"""

from django.db.models import Q, QuerySet

from jahesh.evaluation.models import EvaluationComment
from jahesh.organisation.access import Actor
from jahesh.organisation.models import Agency, Province, RoleKind
from jahesh.progress.permissions import AGENCY_READERS, PROVINCE_READERS


class EvaluationPolicy:
    def may_view_province(self, actor: Actor, province: Province) -> bool:
        return province.pk in actor.provinces()

    def may_view_agency(self, actor: Actor, agency: Agency) -> bool:
        return (agency.province_id in actor.provinces(*PROVINCE_READERS)
                or agency.pk in actor.agencies(*AGENCY_READERS))

    def visible_agencies(self, actor: Actor) -> QuerySet[Agency]:
        if not actor.is_authenticated:
            return Agency.objects.none()
        return Agency.objects.filter(
            Q(province_id__in=actor.provinces(*PROVINCE_READERS))
            | Q(pk__in=actor.agencies(*AGENCY_READERS))
        )

    def may_manage(self, actor: Actor, province: Province) -> bool:
        """Scorecard weights, reporting compliance and reminders."""
        return actor.is_secretariat_of(province.pk)

    def may_comment(self, actor: Actor, agency: Agency) -> bool:
        return (actor.is_secretariat_of(agency.province_id)
                or actor.has(RoleKind.EVALUATOR, province_id=agency.province_id))

    def visible_comments(self, actor: Actor, agency: Agency) -> QuerySet[EvaluationComment]:
        if self.may_comment(actor, agency) or agency.pk in actor.agencies(*AGENCY_READERS):
            return EvaluationComment.objects.filter(agency=agency)
        return EvaluationComment.objects.none()


evaluation = EvaluationPolicy()
