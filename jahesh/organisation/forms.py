import re
from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jahesh.core.persian import fold, normalize_text, to_latin_digits
from jahesh.organisation.models import (
    AGENCY_ROLES,
    Agency,
    AgencyCategory,
    Person,
    Province,
    RoleKind,
    Sector,
)

CODE_RE = re.compile(r"^[a-z][a-z0-9-]{1,29}$")
USERNAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,149}$")


class AgencyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    code = forms.CharField(
        label=_("Short code"), max_length=30, widget=forms.TextInput(attrs={"dir": "ltr"}),
        help_text=_("Latin letters, digits and hyphens, starting with a letter (e.g. agri)."),
    )
    category = forms.ChoiceField(label=_("Category"), choices=AgencyCategory.choices)
    sector = forms.ModelChoiceField(label=_("Sector"), queryset=Sector.objects.none(),
                                    required=False)
    parent = forms.ModelChoiceField(label=_("Parent agency"), queryset=Agency.objects.none(),
                                    required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, province: Province, instance: Agency | None = None,
                 **kwargs: Any) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": instance.name, "code": instance.code, "category": instance.category,
                "sector": instance.sector_id, "parent": instance.parent_id,
                "version": instance.version,
            }
        super().__init__(*args, **kwargs)
        self.province, self.instance = province, instance
        self.fields["sector"].queryset = Sector.objects.filter(province=province)
        parents = Agency.objects.filter(province=province, is_active=True)
        if instance is not None:
            parents = parents.exclude(pk=instance.pk)
        self.fields["parent"].queryset = parents

    def _others(self) -> Any:
        others = Agency.objects.filter(province=self.province)
        return others.exclude(pk=self.instance.pk) if self.instance else others

    def clean_code(self) -> str:
        code = to_latin_digits(self.cleaned_data["code"]).strip().lower()
        if not CODE_RE.match(code):
            raise ValidationError(
                _("Use 2 to 30 Latin letters, digits or hyphens, starting with a letter.")
            )
        if self._others().filter(code=code).exists():
            raise ValidationError(_("Another agency of this province already has this code."))
        return code

    def clean_name(self) -> str:
        name = normalize_text(self.cleaned_data["name"])
        if not name:
            raise ValidationError(_("This field is required."))
        # Compare folded names, so "جهاد كشاورزي" and "جهاد کشاورزی" are the same agency.
        key = fold(name)
        if any(fold(n) == key for n in self._others().values_list("name", flat=True)):
            raise ValidationError(_("Another agency of this province already has this name."))
        return name

    def clean_parent(self) -> Agency | None:
        parent = self.cleaned_data["parent"]
        if parent is None or self.instance is None:
            return parent
        # Walk up from the chosen parent: meeting this agency would make a loop.
        seen, current = set(), parent
        while current is not None and current.pk not in seen:
            if current.pk == self.instance.pk:
                raise ValidationError(
                    _("An agency cannot be placed under one of its own sub-agencies.")
                )
            seen.add(current.pk)
            current = current.parent
        return parent


class PersonForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    username = forms.CharField(
        label=_("Username"), max_length=150, widget=forms.TextInput(attrs={"dir": "ltr"}),
        help_text=_("Latin letters, digits, dots, hyphens and underscores."),
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    job_title = forms.CharField(label=_("Job title"), max_length=150, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, instance: Person | None = None, **kwargs: Any) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                f: getattr(instance, f)
                for f in ("first_name", "last_name", "username", "email", "job_title", "phone",
                          "version")
            }
        super().__init__(*args, **kwargs)
        self.instance = instance

    def clean_username(self) -> str:
        username = to_latin_digits(self.cleaned_data["username"]).strip()
        if not USERNAME_RE.match(username):
            raise ValidationError(
                _("Use Latin letters, digits, dots, hyphens and underscores only.")
            )
        others = Person.objects.filter(username__iexact=username)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise ValidationError(_("This username is taken."))
        return username

    def clean_phone(self) -> str:
        return to_latin_digits(self.cleaned_data["phone"]).strip()


class NewPasswordMixin(forms.Form):
    password1 = forms.CharField(label=_("Password"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label=_("Password again"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean_password2(self) -> str:
        p1, p2 = self.cleaned_data.get("password1"), self.cleaned_data["password2"]
        if p1 and p1 != p2:
            raise ValidationError(_("The two passwords do not match."))
        return p2

    def password_owner(self) -> Person | None:
        return getattr(self, "instance", None)

    def clean(self) -> dict[str, Any]:
        # In clean(), not clean_password2(): the other fields (the username…) are cleaned by
        # now, so the validators can refuse a password that is too like them.
        data = super().clean()
        password = data.get("password2")
        if password:
            try:
                validate_password(password, user=self.password_owner())
            except ValidationError as exc:
                self.add_error("password2", exc)
        return data


class PersonCreateForm(PersonForm, NewPasswordMixin):
    field_order = ["first_name", "last_name", "username", "email", "job_title", "phone",
                   "password1", "password2"]

    def password_owner(self) -> Person:
        # Not saved yet: the person as typed into this form.
        return Person(**{f: self.cleaned_data.get(f) or ""
                         for f in ("username", "first_name", "last_name", "email")})


class OwnPasswordForm(NewPasswordMixin):
    """A person changes their own password: the current one first, so a borrowed session
    cannot take the account over."""

    current = forms.CharField(label=_("Current password"), strip=False,
                              widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    field_order = ["current", "password1", "password2"]

    def __init__(self, *args: Any, instance: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance = instance

    def clean_current(self) -> str:
        current = self.cleaned_data["current"]
        if not self.instance.check_password(current):
            raise ValidationError(_("This is not your current password."))
        return current


class SetPasswordForm(NewPasswordMixin):
    def __init__(self, *args: Any, instance: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance = instance


class RoleGrantForm(forms.Form):
    kind = forms.ChoiceField(label=_("Role"), choices=RoleKind.choices)
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none(),
                                    required=False)

    def __init__(self, *args: Any, province: Province, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(province=province, is_active=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind, agency = data.get("kind"), data.get("agency")
        if kind in AGENCY_ROLES and agency is None and "agency" not in self.errors:
            self.add_error("agency", _("This role is held for an agency: choose one."))
        if kind and kind not in AGENCY_ROLES and agency is not None:
            self.add_error("agency", _("This role is held for the whole province: leave the agency empty."))
        return data


class AgencyFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False,
                                 choices=[("", _("All categories")), *AgencyCategory.choices])
    sector = forms.ModelChoiceField(label=_("Sector"), queryset=Sector.objects.none(),
                                    required=False, empty_label=_("All sectors"))
    status = forms.ChoiceField(
        label=_("Status"), required=False,
        choices=[("active", _("Active")), ("inactive", _("Inactive")), ("all", _("All"))],
    )

    def __init__(self, *args: Any, province: Province, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = Sector.objects.filter(province=province)


class PersonFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    role = forms.ChoiceField(label=_("Role"), required=False,
                             choices=[("", _("All roles")), *RoleKind.choices])
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none(),
                                    required=False, empty_label=_("All agencies"))
    status = forms.ChoiceField(
        label=_("Status"), required=False,
        choices=[("active", _("Active")), ("inactive", _("Inactive")), ("all", _("All"))],
    )

    def __init__(self, *args: Any, province: Province, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(province=province)
