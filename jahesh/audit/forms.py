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
