from django import forms
from django.utils.translation import gettext_lazy as _

from jahesh.core.fields import JalaliDateField

EVENT_LABELS = {
    "province.created": _("Province created"),
    "sector.created": _("Sector created"),
    "key_action.created": _("Key action created"),
    "agency.created": _("Agency created"),
    "agency.changed": _("Agency changed"),
    "person.created": _("Person created"),
    "person.changed": _("Person changed"),
    "person.password_set": _("Password set"),
    "role.granted": _("Role granted"),
    "role.revoked": _("Role removed"),
    "key_action.changed": _("Key action changed"),
    "key_action.removed": _("Key action removed"),
    "axis.created": _("Development axis created"),
    "axis.changed": _("Development axis changed"),
    "industry.created": _("Priority industry created"),
    "industry.changed": _("Priority industry changed"),
    "county.created": _("County created"),
    "plan_year.deadline_set": _("Submission deadline set"),
    "programme.created": _("Programme created"),
    "programme.changed": _("Programme changed"),
    "programme.submitted": _("Programme submitted"),
    "programme.approved": _("Programme approved by the agency head"),
    "programme.returned": _("Programme returned for revision"),
    "programme.accepted": _("Programme accepted and levelled"),
    "programme.reopened": _("Programme reopened for a change"),
    "programme.commented": _("Comment on a programme"),
    "change_request.opened": _("Change request opened"),
    "change_request.refused": _("Change request refused"),
    "project.created": _("Project created"),
    "project.changed": _("Project changed"),
    "project.removed": _("Project removed"),
    "required_action.created": _("Required action created"),
    "required_action.changed": _("Required action changed"),
    "required_action.removed": _("Required action removed"),
    "indicator.created": _("Indicator created"),
    "indicator.changed": _("Indicator changed"),
    "indicator.removed": _("Indicator removed"),
    "macro_table.imported": _("Macro table imported from Excel"),
    "province.generated": _("Synthetic province generated"),
    "report.started": _("Progress report started"),
    "report.saved": _("Progress report saved"),
    "report.evidence_added": _("Evidence attached to a progress report"),
    "report.evidence_removed": _("Evidence removed from a progress report"),
    "report.submitted": _("Progress report submitted"),
    "report.approved": _("Progress report approved by the agency head"),
    "report.returned": _("Progress report returned for revision"),
    "report.verified": _("Progress report verified"),
    "period.reopened": _("Reporting month reopened"),
    "reporting_rules.changed": _("Reporting calendar changed"),
    "status_rules.changed": _("Status rules changed"),
    "scorecard_weights.changed": _("Scorecard weights changed"),
    "evaluation_comment.added": _("Evaluation comment on an agency's month"),
    "agency.reminded": _("Agency reminded to report"),
    "industrial_park.created": _("Industrial park created"),
    "industrial_park.changed": _("Industrial park changed"),
    "unit.created": _("Production unit registered"),
    "unit.changed": _("Production unit changed"),
    "units.imported": _("Production units imported from Excel"),
    "holiday.created": _("Holiday added"),
    "holiday.removed": _("Holiday removed"),
    "case_category.created": _("Case category created"),
    "case_category.changed": _("Case category changed"),
    "case.opened": _("Case opened"),
    "case.accepted": _("Case accepted and assigned"),
    "case.merged": _("Case merged into a duplicate"),
    "case.rejected": _("Case rejected"),
    "case.reassigned": _("Case reassigned"),
    "case.collaborators_changed": _("Collaborating agencies changed"),
    "case.responded": _("First response to a case"),
    "case.scheduled": _("Action scheduled on a case"),
    "case.resolved": _("Case resolved"),
    "case.unresolvable": _("Case found unable to resolve"),
    "case.escalated_hq": _("Case escalated to the HQ"),
    "case.escalated_national": _("Case escalated to the national level"),
    "case.confirmed": _("Resolution confirmed by the requester"),
    "case.reopened": _("Case reopened"),
    "case.note_added": _("Note on a case"),
    "case.attachment_added": _("Attachment added to a case"),
    "case.overdue_escalated": _("Overdue case escalated"),
    "visit.planned": _("Industry-day visit planned"),
    "visit.changed": _("Industry-day visit changed"),
    "visit.held": _("Industry-day visit held"),
    "visit.cancelled": _("Industry-day visit cancelled"),
    "agenda_candidate.proposed": _("Item proposed for the HQ agenda"),
    "agenda_candidate.withdrawn": _("Item withdrawn from the HQ agenda"),
}


class AuditFilterForm(forms.Form):
    event = forms.ChoiceField(
        label=_("Event"), required=False,
        choices=[("", _("All events")), *EVENT_LABELS.items()],
    )
    actor = forms.CharField(label=_("By (username)"), required=False, max_length=150)
    target = forms.CharField(label=_("Object"), required=False, max_length=200)
    since = JalaliDateField(label=_("From"), required=False)
    until = JalaliDateField(label=_("To"), required=False)

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date is before the start date."))
        return data
