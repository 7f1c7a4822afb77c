"""The forms of the public pages (no login): sending a production obstacle, looking up a case by
its tracking code, and the requester's answer to a resolution (confirm or reopen)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from jahesh.cases import antiabuse
from jahesh.cases.models import Category
from jahesh.cases.services import TRACKING_DIGITS, clean_tracking_code
from jahesh.core.persian import format_number, normalize_text, strip_invisible, to_latin_digits
from jahesh.core.uploads import ALLOWED_EXTENSIONS, TOO_BIG, check_upload, clean_file_name
from jahesh.organisation.models import Province
from jahesh.plan.models import County
from jahesh.units.validators import clean_national_id

MOBILE_RE = re.compile(r"^09[0-9]{9}$")
BAD_MOBILE = _("Enter an 11-digit mobile number that starts with 09, such as 09121234567.")


def clean_mobile(value: str) -> str:
    """An Iranian mobile number as 09xxxxxxxxx: Persian digits, spaces, dashes, +98 and 0098
    accepted."""
    text = to_latin_digits(strip_invisible(value or ""))
    text = re.sub(r"[\s\-().\u00a0]", "", text)
    if text.startswith("+98"):
        text = "0" + text[3:]
    elif text.startswith("0098"):
        text = "0" + text[4:]
    elif text.startswith("98") and len(text) == 12:
        text = "0" + text[2:]
    elif text.startswith("9") and len(text) == 10:
        text = "0" + text
    if not MOBILE_RE.match(text):
        raise ValidationError(BAD_MOBILE, code="mobile")
    return text


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several files in one input: each of an accepted kind (judged by content) and at most
    `file_max_bytes`, together at most `total_max_bytes`, at most `max_files` of them."""

    widget = MultipleFileInput

    def __init__(self, *, file_max_bytes: int, total_max_bytes: int, max_files: int,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.file_max_bytes = file_max_bytes
        self.total_max_bytes = total_max_bytes
        self.max_files = max_files
        self.widget.attrs["accept"] = ",".join(ALLOWED_EXTENSIONS)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(files) > self.max_files:
            raise ValidationError(
                _("Send at most %(count)s files."), code="too_many",
                params={"count": format_number(self.max_files)})
        errors: list[ValidationError] = []
        for upload in files:
            super().clean(upload, initial)
            if upload.size > self.file_max_bytes:
                errors.append(ValidationError(TOO_BIG, code="too_big", params={
                    "name": clean_file_name(upload.name or ""),
                    "limit": antiabuse.megabytes(self.file_max_bytes)}))
                continue
            try:
                check_upload(upload, max_bytes=self.file_max_bytes)
            except ValidationError as exc:
                errors.append(exc)
        if errors:
            raise ValidationError(errors)
        if sum(upload.size for upload in files) > self.total_max_bytes:
            raise ValidationError(
                _("The files together are larger than %(limit)s MB. Send fewer or smaller "
                  "files (a photo of a page is enough)."), code="too_big_total",
                params={"limit": antiabuse.megabytes(self.total_max_bytes)})
        return files


class ProvinceChoiceForm(forms.Form):
    """When the deployment serves more than one province: which one the unit is in."""

    province = forms.ModelChoiceField(
        queryset=Province.objects.order_by("name"), to_field_name="code",
        label=_("Province of the production unit"), empty_label=_("Choose…"))


class PublicCaseForm(forms.Form):
    """A production unit's obstacle. Short and plain: a factory owner fills it in on a phone."""

    unit_name = forms.CharField(
        label=_("Name of the production unit"), max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}))
    national_id = forms.CharField(
        label=_("National business id"), required=False, max_length=30,
        help_text=_("11 digits, written on the company's documents. Leave it empty if you do "
                    "not know it."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr",
                                      "autocomplete": "off"}))
    contact_name = forms.CharField(
        label=_("Your name"), max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}))
    contact_phone = forms.CharField(
        label=_("Your mobile number"), max_length=20,
        help_text=_("Such as 09121234567. The agency may call you on it."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "dir": "ltr", "autocomplete": "tel"}))
    county = forms.ModelChoiceField(queryset=County.objects.none(), label=_("County"),
                                    empty_label=_("Choose…"))
    category = forms.ModelChoiceField(queryset=Category.objects.none(),
                                      label=_("What is the problem about?"),
                                      empty_label=_("Choose…"))
    title = forms.CharField(
        label=_("The problem in a few words"), required=False, max_length=200,
        help_text=_("Optional. For example: the electricity connection has waited six months."))
    description = forms.CharField(
        label=_("Describe the problem"), max_length=5000,
        help_text=_("What happened, since when, which office you have already asked, and what "
                    "you need."),
        widget=forms.Textarea(attrs={"rows": 6}))
    answer = forms.CharField(
        label=_("Check question"), max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off",
                                      "dir": "ltr"}))
    check = forms.CharField(widget=forms.HiddenInput, required=False)
    # The honeypot: hidden from people (and from screen readers); robots fill it in.
    website = forms.CharField(
        required=False, label=_("Leave this empty"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))

    def __init__(self, *args: Any, province: Province, request: HttpRequest,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.province = province
        self.request = request
        lim = antiabuse.limits()
        self.fields["county"].queryset = County.objects.filter(province=province).order_by("name")
        self.fields["county"].required = self.fields["county"].queryset.exists()
        self.fields["category"].queryset = Category.objects.filter(
            province=province, is_active=True).order_by("order", "name")
        self.fields["attachments"] = AttachmentsField(
            label=_("Documents or photos"), required=False,
            file_max_bytes=lim.file_max_bytes, total_max_bytes=lim.total_max_bytes,
            max_files=lim.max_files,
            help_text=_("Optional. PDF, photos (JPEG, PNG), Word or Excel files; at most "
                        "%(count)s files, %(each)s MB each and %(total)s MB together.") % {
                "count": format_number(lim.max_files), "each": lim.file_max_mb,
                "total": lim.total_max_mb})
        # The fields in the order a person fills them in, the check last.
        self.order_fields(["unit_name", "national_id", "contact_name", "contact_phone", "county",
                           "category", "title", "description", "attachments", "answer"])
        self.fields["answer"].help_text = _("Write the answer as a number.")
        if not self.is_bound:
            self.new_question()

    def new_question(self) -> None:
        """A fresh check question (every time the form is shown)."""
        challenge = antiabuse.new_challenge(self.request)
        self.fields["answer"].label = challenge.question
        self.initial["check"] = challenge.token
        if self.is_bound:  # the bound value wins over initial: replace it, and the answer
            self.data = self.data.copy()
            self.data[self.add_prefix("check")] = challenge.token
            self.data[self.add_prefix("answer")] = ""

    def clean_unit_name(self) -> str:
        return normalize_text(self.cleaned_data["unit_name"])

    def clean_national_id(self) -> str:
        return clean_national_id(self.cleaned_data["national_id"])

    def clean_contact_name(self) -> str:
        return normalize_text(self.cleaned_data["contact_name"])

    def clean_contact_phone(self) -> str:
        return clean_mobile(self.cleaned_data["contact_phone"])

    def clean_title(self) -> str:
        return normalize_text(self.cleaned_data["title"])

    def clean_description(self) -> str:
        text = normalize_text(self.cleaned_data["description"])
        if len(text) < 10:
            raise ValidationError(_("Please describe the problem in a sentence or two."),
                                  code="short")
        return text

    # Set by clean(): the check question was answered wrongly or the honeypot filled in (such
    # attempts are counted per address).
    check_failed = False

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("website"):
            self.check_failed = True
            raise ValidationError(antiabuse.HONEYPOT, code="honeypot")
        refusal = antiabuse.check_answer(self.request, self.data.get(self.add_prefix("check"), ""),
                                         self.data.get(self.add_prefix("answer"), ""))
        if refusal is not None:
            self.check_failed = refusal == str(antiabuse.WRONG_ANSWER)
            self.add_error("answer", refusal)
        return data

    def case_title(self) -> str:
        data = self.cleaned_data
        if data["title"]:
            return data["title"][:300]
        words = data["description"].split()
        summary = " ".join(words[:12]) + (" …" if len(words) > 12 else "")
        return f"{data['unit_name']}: {summary}"[:300]


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"), max_length=40,
        help_text=_("The %(count)s digits you were given when you sent the case; Persian or "
                    "Latin digits, with or without dashes.") % {
            "count": format_number(TRACKING_DIGITS)},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off",
                                      "dir": "ltr"}))

    def clean_code(self) -> str:
        code = clean_tracking_code(self.cleaned_data["code"])
        if len(code) != TRACKING_DIGITS:
            raise ValidationError(
                _("A tracking code has %(count)s digits."), code="length",
                params={"count": format_number(TRACKING_DIGITS)})
        return code


class ConfirmForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(label=_("Anything to add (optional)"), required=False,
                              max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_comment(self) -> str:
        return normalize_text(self.cleaned_data["comment"])


class ReopenForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Why is the problem not solved?"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def clean_reason(self) -> str:
        reason = normalize_text(self.cleaned_data["reason"])
        if not reason:
            raise ValidationError(_("Say what is still wrong."), code="required")
        return reason
