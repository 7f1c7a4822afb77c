"""Forms of the meetings pages: the agenda backlog, bodies and members, meetings and their
agenda, attendance, resolutions and the steps on them, the register's filters. They parse what
people type; the services in services.py decide.

Every workflow form posts the `version` and `state` of the object the page showed, so that a
step pressed on an out-of-date page is reported rather than acted on (jahesh/core/stale.py).
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jahesh.core.fields import JalaliDateField
from jahesh.core.persian import localize_digits, normalize_text, to_latin_digits
from jahesh.core.uploads import ALLOWED_EXTENSIONS
from jahesh.core.widgets import FastSelect, FastSelectMultiple
from jahesh.meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Body,
    BodyKind,
    BodyRole,
    CandidateSource,
    CandidateState,
    Meeting,
    ObjectionDecision,
    Resolution,
    ResolutionState,
)
from jahesh.organisation.models import Agency, Person, Province, Role
from jahesh.plan.pickers import projects_field

ACCEPT_FILES = ",".join(ALLOWED_EXTENSIONS)


class ProposeForm(forms.Form):
    title = forms.CharField(label=_("Item for the agenda"), max_length=300,
                            help_text=_("In one line, as it would stand on the agenda."))
    description = forms.CharField(
        label=_("Why the HQ should take it up"), required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The background, what is asked of the HQ, and who is concerned."))

    def clean_title(self) -> str:
        title = normalize_text(self.cleaned_data["title"])
        if not title:
            raise ValidationError(_("Name the item."), code="required")
        return title

    def clean_description(self) -> str:
        return normalize_text(self.cleaned_data["description"])


class CandidateFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False,
                              choices=[("", _("All")), *CandidateState.choices])
    source = forms.ChoiceField(label=_("Source"), required=False,
                               choices=[("", _("All")), *CandidateSource.choices])

    def __init__(self, *args: Any, show_source: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not show_source:
            del self.fields["source"]


# --- Bodies and their members -------------------------------------------------------------------

def province_people(province: Province) -> Any:
    """The active people of the province (its own, or holding a role in it)."""
    with_role = Role.objects.filter(province=province).values("person_id")
    return (Person.objects.filter(Q(province=province) | Q(pk__in=with_role), is_active=True)
            .order_by("last_name", "first_name", "username"))


def province_agencies(province: Province) -> Any:
    return Agency.objects.filter(province=province, is_active=True).order_by("name")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj} — {obj.job_title}" if obj.job_title else str(obj)


class BodyForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=BodyKind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    code = forms.CharField(label=_("Code"), max_length=10, help_text=_(
        "A few Latin letters used in meeting and resolution numbers, such as JT."))
    objection_days = forms.IntegerField(
        label=_("Objection window (working days)"), required=False, min_value=1, max_value=90,
        help_text=_("Empty: the default for the whole system."))
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=999, initial=0)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, province: Province, body: Body | None = None,
                 **kwargs: Any) -> None:
        if body is not None:
            kwargs.setdefault("initial", {
                "kind": body.kind, "name": body.name, "code": body.code,
                "objection_days": body.objection_days, "order": body.order,
                "is_active": body.is_active, "version": body.version})
        super().__init__(*args, **kwargs)
        self.province, self.body = province, body

    def clean_name(self) -> str:
        name = normalize_text(self.cleaned_data["name"])
        if not name:
            raise ValidationError(_("Name the body."), code="required")
        return name

    def clean_code(self) -> str:
        code = to_latin_digits(self.cleaned_data["code"]).strip().upper()
        if not CODE_RE.fullmatch(code):
            raise ValidationError(_("Use 1 to 10 Latin letters or digits, starting with a "
                                    "letter, such as JT."), code="invalid")
        others = Body.objects.filter(province=self.province, code=code)
        if self.body is not None:
            others = others.exclude(pk=self.body.pk)
        if others.exists():
            raise ValidationError(_("Another body of the province has this code."),
                                  code="unique")
        return code


CODE_RE = re.compile(r"[A-Z][A-Z0-9]{0,9}")


class MemberForm(forms.Form):
    person = PersonChoiceField(label=_("Person"), queryset=Person.objects.none(),
                               widget=FastSelect)
    role = forms.ChoiceField(label=_("Role"), choices=BodyRole.choices, initial=BodyRole.MEMBER)
    agency = forms.ModelChoiceField(label=_("Agency represented"), required=False,
                                    queryset=Agency.objects.none(), widget=FastSelect)
    is_active = forms.BooleanField(label=_("Active member"), required=False, initial=True)

    def __init__(self, *args: Any, province: Province, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "member")
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = province_people(province)
        self.fields["agency"].queryset = province_agencies(province)


# --- Meetings -------------------------------------------------------------------------------------

class MeetingForm(forms.Form):
    date = JalaliDateField(label=_("Date"))
    time = forms.TimeField(label=_("Time"), widget=forms.TimeInput(
        attrs={"type": "time", "dir": "ltr"}, format="%H:%M"),
        error_messages={"invalid": _("Enter a time such as 09:30.")})
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    chair = PersonChoiceField(label=_("Chair"), required=False,
                              queryset=Person.objects.none(), widget=FastSelect)
    secretary = PersonChoiceField(label=_("Secretary"), required=False,
                                  queryset=Person.objects.none(), widget=FastSelect)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, body: Body, meeting: Meeting | None = None,
                 **kwargs: Any) -> None:
        if meeting is not None:
            local = timezone.localtime(meeting.starts_at)
            kwargs.setdefault("initial", {
                "date": local.date(), "time": local.time().replace(second=0, microsecond=0),
                "place": meeting.place, "chair": meeting.chair_id,
                "secretary": meeting.secretary_id, "version": meeting.version})
        else:
            members = {m.role: m.person_id for m in body.memberships.filter(is_active=True)
                       if m.role in (BodyRole.CHAIR, BodyRole.SECRETARY)}
            kwargs.setdefault("initial", {"chair": members.get(BodyRole.CHAIR),
                                          "secretary": members.get(BodyRole.SECRETARY)})
        super().__init__(*args, **kwargs)
        people = province_people(body.province)
        self.fields["chair"].queryset = people
        self.fields["secretary"].queryset = people

    def clean_time(self) -> datetime.time:
        value = self.cleaned_data["time"]
        return value

    def clean_place(self) -> str:
        return normalize_text(self.cleaned_data["place"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("date") and data.get("time") is not None:
            data["starts_at"] = timezone.make_aware(
                datetime.datetime.combine(data["date"], data["time"]))
        return data


class VersionedForm(forms.Form):
    """Every workflow button posts the version and state of the object the page showed."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    state = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, obj: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("version", obj.version)
        kwargs["initial"].setdefault("state", obj.state)
        kwargs.setdefault("prefix", self.prefix_name)
        super().__init__(*args, **kwargs)
        self.obj = obj

    prefix_name = "step"


class ScheduleForm(VersionedForm):
    prefix_name = "schedule"


class StartForm(VersionedForm):
    prefix_name = "start"


class CloseForm(VersionedForm):
    prefix_name = "close"


class CancelMeetingForm(VersionedForm):
    prefix_name = "cancel"
    reason = forms.CharField(label=_("Why it is cancelled"),
                             widget=forms.Textarea(attrs={"rows": 2}))

    def clean_reason(self) -> str:
        return _required_text(self.cleaned_data["reason"])


def _required_text(value: str) -> str:
    text = normalize_text(value or "")
    if not text:
        raise ValidationError(_("This field is required."), code="required")
    return text


class AttendanceForm(forms.Form):
    """One row per person invited: present, absent or excused, with a note."""

    def __init__(self, *args: Any, rows: list[Attendance], **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "attendance")
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            name = str(row.person)
            self.fields[f"status_{row.person_id}"] = forms.ChoiceField(
                label=name, choices=AttendanceStatus.choices, initial=row.status,
                widget=forms.Select(attrs={"aria-label": name}))
            self.fields[f"note_{row.person_id}"] = forms.CharField(
                label=_("Note"), max_length=300, required=False, initial=row.note,
                widget=forms.TextInput(attrs={"aria-label": _("Note")}))

    def pairs(self) -> list[tuple[Attendance, Any, Any]]:
        return [(row, self[f"status_{row.person_id}"], self[f"note_{row.person_id}"])
                for row in self.rows]


# --- The agenda -----------------------------------------------------------------------------------

class ItemAddForm(forms.Form):
    """An item that comes from no candidate: the secretariat types it in."""

    title = forms.CharField(label=_("New item"), max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "item")
        super().__init__(*args, **kwargs)

    def clean_title(self) -> str:
        title = normalize_text(self.cleaned_data["title"])
        if not title:
            raise ValidationError(_("Name the item."), code="required")
        return title


class ItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    presenter = PersonChoiceField(label=_("Presenter"), required=False,
                                  queryset=Person.objects.none(), widget=FastSelect)
    presenter_name = forms.CharField(label=_("Presenter (if without an account)"),
                                     max_length=200, required=False)
    discussion = forms.CharField(label=_("Discussion"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 6}),
                                 help_text=_("What was said: it goes into the minutes."))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, item: AgendaItem, people: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {
            "title": item.title, "presenter": item.presenter_id,
            "presenter_name": item.presenter_name, "discussion": item.discussion,
            "version": item.version})
        super().__init__(*args, **kwargs)
        self.fields["presenter"].queryset = (people if people is not None
                                             else province_people(item.meeting.body.province))

    def clean_title(self) -> str:
        title = normalize_text(self.cleaned_data["title"])
        if not title:
            raise ValidationError(_("Name the item."), code="required")
        return title

    def clean_presenter_name(self) -> str:
        return normalize_text(self.cleaned_data["presenter_name"])

    def clean_discussion(self) -> str:
        return (self.cleaned_data["discussion"] or "").strip()


# --- Resolutions ----------------------------------------------------------------------------------

class CaseReferencesField(forms.CharField):
    """Cases of the province named by their references (۱۴۰۳-۰۰۰۱۲) or tracking codes,
    separated by commas, spaces or new lines."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.TextInput(attrs={"dir": "ltr"}))
        super().__init__(*args, **kwargs)
        self.province: Province | None = None

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple) and value and not isinstance(value[0], str):
            return ", ".join(to_latin_digits(c.reference) for c in value)
        return value

    def clean(self, value: Any) -> list[Any]:
        from jahesh.cases.forms import find_case

        text = super().clean(value)
        found, unknown = [], []
        for part in re.split(r"[,،\s]+", to_latin_digits(text or "")):
            if not part.strip():
                continue
            case = find_case(self.province, part) if self.province is not None else None
            if case is None:
                unknown.append(part)
            elif case not in found:
                found.append(case)
        if unknown:
            raise ValidationError(
                _("No case of the province has the reference %(refs)s."),
                code="invalid", params={"refs": "، ".join(localize_digits(u) for u in unknown)})
        return found


class ResolutionForm(forms.Form):
    text = forms.CharField(label=_("Resolution"), widget=forms.Textarea(attrs={"rows": 4}))
    responsible_agency = forms.ModelChoiceField(
        label=_("Responsible agency"), queryset=Agency.objects.none(), widget=FastSelect)
    collaborating_agencies = forms.ModelMultipleChoiceField(
        label=_("Collaborating agencies"), queryset=Agency.objects.none(), required=False,
        widget=FastSelectMultiple(attrs={"size": 5}))
    deadline = JalaliDateField(label=_("Deadline"))
    cases = CaseReferencesField(label=_("Linked cases"), help_text=_(
        "Their references, such as 1403-00012, separated by commas."))

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, province: Province, resolution: Resolution | None = None,
                 today: datetime.date | None = None, **kwargs: Any) -> None:
        if resolution is not None:
            kwargs.setdefault("initial", {
                "text": resolution.text, "responsible_agency": resolution.responsible_agency_id,
                "collaborating_agencies": [a.pk for a in
                                           resolution.collaborating_agencies.all()],
                "deadline": resolution.deadline, "cases": list(resolution.cases.all()),
                "projects": [p.pk for p in resolution.projects.all()],
                "version": resolution.version})
        super().__init__(*args, **kwargs)
        self.province = province
        self.today = today or timezone.localdate()
        agencies = province_agencies(province)
        self.fields["responsible_agency"].queryset = agencies
        self.fields["collaborating_agencies"].queryset = agencies
        self.fields["cases"].province = province  # type: ignore[attr-defined]
        # Thousands of projects a year: ticked ones above a search box, not a <select>.
        self.fields["projects"] = projects_field(province=province, year=province.current_year,
                                                 required=False, label=_("Linked projects"))

    def clean_text(self) -> str:
        text = normalize_text(self.cleaned_data["text"])
        if not text:
            raise ValidationError(_("Write the resolution."), code="required")
        return text

    def clean_deadline(self) -> datetime.date:
        deadline = self.cleaned_data["deadline"]
        if deadline is not None and deadline < self.today:
            raise ValidationError(_("The deadline cannot be in the past."), code="past")
        return deadline

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        agency = data.get("responsible_agency")
        if agency is not None and agency in (data.get("collaborating_agencies") or []):
            self.add_error("collaborating_agencies", _(
                "The responsible agency cannot also be a collaborator."))
        return data


class ResolutionStepForm(VersionedForm):
    pass


class ObjectForm(ResolutionStepForm):
    prefix_name = "object"
    reason = forms.CharField(label=_("Why the agency objects"),
                             widget=forms.Textarea(attrs={"rows": 3}))

    def clean_reason(self) -> str:
        return _required_text(self.cleaned_data["reason"])


class DecideForm(ResolutionStepForm):
    prefix_name = "decide"
    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect, choices=[
        (ObjectionDecision.UPHELD, ObjectionDecision.UPHELD.label),
        (ObjectionDecision.AMENDED, ObjectionDecision.AMENDED.label)])
    comment = forms.CharField(label=_("Comment"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))
    text = forms.CharField(label=_("Amended text"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Only when the resolution is amended."))
    deadline = JalaliDateField(label=_("Amended deadline"), required=False)

    def __init__(self, *args: Any, obj: Resolution, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"text": obj.text, "deadline": obj.deadline})
        super().__init__(*args, obj=obj, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data["comment"] = normalize_text(data.get("comment") or "")
        if data.get("decision") == ObjectionDecision.AMENDED:
            data["text"] = normalize_text(data.get("text") or "")
            if not data["text"] and "text" not in self.errors:
                self.add_error("text", _("Write the amended resolution."))
            if not data.get("deadline") and "deadline" not in self.errors:
                self.add_error("deadline", _("Give the amended deadline."))
        return data


class FollowUpForm(ResolutionStepForm):
    prefix_name = "followup"
    text = forms.CharField(label=_("What the agency did"),
                           widget=forms.Textarea(attrs={"rows": 3}))
    claims_done = forms.BooleanField(label=_("The resolution is carried out"), required=False)
    evidence = forms.FileField(label=_("Evidence (a file)"), required=False,
                               widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_FILES}))

    def clean_text(self) -> str:
        return _required_text(self.cleaned_data["text"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("claims_done") and not data.get("evidence") and "evidence" not in self.errors:
            self.add_error("evidence", _("Attach the evidence that it is carried out."))
        return data


class AcceptDoneForm(ResolutionStepForm):
    prefix_name = "accept"
    comment = forms.CharField(label=_("Comment (optional)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


class StartResolutionForm(ResolutionStepForm):
    prefix_name = "start"


class CancelResolutionForm(ResolutionStepForm):
    prefix_name = "cancel"
    reason = forms.CharField(label=_("Why it is cancelled"),
                             widget=forms.Textarea(attrs={"rows": 2}))

    def clean_reason(self) -> str:
        return _required_text(self.cleaned_data["reason"])


# --- The register ---------------------------------------------------------------------------------

class RegisterFilterForm(forms.Form):
    body = forms.ModelChoiceField(label=_("Body"), queryset=Body.objects.none(), required=False,
                                  empty_label=_("All bodies"), widget=FastSelect)
    agency = forms.ModelChoiceField(label=_("Responsible agency"), required=False,
                                    queryset=Agency.objects.none(),
                                    empty_label=_("All agencies"), widget=FastSelect)
    state = forms.ChoiceField(label=_("State"), required=False)
    overdue = forms.BooleanField(label=_("Overdue resolutions only"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, province: Province, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = Body.objects.filter(province=province).order_by(
            "order", "id")
        self.fields["agency"].queryset = Agency.objects.filter(province=province).order_by(
            "name")
        self.fields["state"].choices = [("", _("All states")), *ResolutionState.choices]
        current = province.current_year
        self.fields["year"].choices = [
            ("", _("All years")),
            *[(y, localize_digits(y)) for y in range(current + 1, current - 4, -1)]]


class OurFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("All states")), ("open", _("Open (any)")),
                                        *ResolutionState.choices]
