"""The search picker: "which one?" answered by typing, for lists too long for a <select>.

A province has thousands of production units and projects; a <select> of them all is megabytes
of HTML nobody can scroll. A field that asks for one of them is a `SearchChoiceField`::

    self.fields["project"] = SearchChoiceField(
        queryset=..., find=find_project, label_of=project_label,
        search_url=reverse_lazy("plan:project_search"), results_label=_("Projects found"))

(as jahesh/plan/pickers.py does; `SearchMultipleChoiceField` picks several the same way).

In the page it is one text box: typing two letters lists up to 20 matches below it (GET
`search_url?q=`, an HTML fragment of `<button role=option data-pick-id data-pick-label>`), and
choosing one fills a hidden input with its id. `narrow_by="project"` sends the id chosen in the
form's `project` field along (`&project=`), and with it the list opens on focus, before any
typing. Without JavaScript the box is a plain text box read by `find(queryset, text)`, which
accepts the record number and whatever the app allows (an exact name, a national id).

`find` raises `NoMatch` or `AmbiguousMatch`; the field turns them into errors next to it. The
widget brings its own script (`jahesh/search_picker.js`, no inline script, so the CSP holds),
which keeps working inside fragments swapped in by htmx.
"""

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _

from jahesh.core.persian import fold, strip_invisible, to_latin_digits

PICKER_LIMIT = 20


class NoMatch(LookupError):
    """Nothing in the queryset answers to the text typed."""


class AmbiguousMatch(LookupError):
    """More than one record answers to the text typed."""


def find_by_number_or_name(queryset: QuerySet[Any], text: str, *,
                           name_of: Callable[[Any], str]) -> Any:
    """The record `text` names: its record number (the id the picker posts), or its exact
    name with spelling variants folded, among the records `queryset.search(text)` finds.
    Raises NoMatch or AmbiguousMatch."""
    raw = to_latin_digits(strip_invisible(str(text))).strip()
    if not raw:
        raise NoMatch(text)
    if raw.isascii() and raw.isdigit():
        found = queryset.filter(pk=int(raw)).first()
        if found is None:
            raise NoMatch(text)
        return found
    key = fold(raw)
    same_name = [r for r in queryset.search(raw).order_by("pk")[:50] if fold(name_of(r)) == key]
    if not same_name:
        raise NoMatch(text)
    if len(same_name) > 1:
        raise AmbiguousMatch(text)
    return same_name[0]


class SearchPickerWidget(forms.TextInput):
    """A text box with a list of matches below it; see the module docstring."""

    template_name = "forms/widgets/search_picker.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.queryset: QuerySet[Any] | None = None
        self.find: Callable[[QuerySet[Any], str], Any] | None = None
        self.label_of: Callable[[Any], str] = str
        self.key_of: Callable[[Any], str] = lambda record: str(record.pk)
        self.search_url: Any = ""
        self.placeholder: Any = ""
        self.results_label: Any = ""
        self.narrow_by = ""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        # With JavaScript the hidden `name` carries the id and `name_q` what was typed; if
        # nothing was chosen from the list, what was typed is read as without JavaScript.
        value = data.get(name)
        if value in (None, ""):
            value = data.get(f"{name}_q", value)
        return value

    def _record(self, value: Any) -> Any:
        if isinstance(value, Model):
            return value
        if value in (None, "") or self.queryset is None or self.find is None:
            return None
        try:
            return self.find(self.queryset, str(value))
        except LookupError:
            return None

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        record = self._record(value)
        if record is not None:  # without JS the box must hold something `find` reads back
            value = self.key_of(record)
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs.setdefault("autocomplete", "off")
        context["results_id"] = f"{widget_attrs.get('id') or 'id_' + name}_results"
        widget_attrs.setdefault("aria-controls", context["results_id"])
        if self.placeholder:
            widget_attrs.setdefault("placeholder", self.placeholder)
        context["picked"] = record
        context["picked_label"] = self.label_of(record) if record is not None else ""
        context["search_url"] = str(self.search_url)
        context["results_label"] = self.results_label
        context["narrow_by"] = self.narrow_by
        context["script_url"] = static("jahesh/search_picker.js")
        return context


class _Picked:
    """What the fields of both pickers share: their widget learns how to search and name the
    records, and reads them back from the field's queryset."""

    widget: Any
    _queryset: Any
    default_error_messages = {
        "invalid_choice": _("Nothing matches “%(value)s”. Choose one from the list."),
        "ambiguous": _("More than one record is named “%(value)s”. Choose one from the list."),
    }

    def __init__(self, *, queryset: QuerySet[Any], find: Callable[[QuerySet[Any], str], Any],
                 search_url: Any, label_of: Callable[[Any], str] = str,
                 key_of: Callable[[Any], str] | None = None, placeholder: Any = "",
                 results_label: Any = "", narrow_by: str = "", **kwargs: Any) -> None:
        super().__init__(queryset=queryset, **kwargs)  # type: ignore[call-arg]
        self.find = find
        widget = self.widget
        widget.find = find
        widget.label_of = label_of
        if key_of is not None:
            widget.key_of = key_of
        widget.search_url = search_url
        widget.placeholder = placeholder
        widget.results_label = results_label
        widget.narrow_by = narrow_by

    def _set_queryset(self, queryset: Any) -> None:
        super()._set_queryset(queryset)  # type: ignore[misc]
        self.widget.queryset = self._queryset

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)


class SearchChoiceField(_Picked, forms.ModelChoiceField):
    """One record of `queryset`, chosen with the search picker (module docstring)."""

    widget = SearchPickerWidget

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Model):
            return value
        return super().prepare_value(value)

    def has_changed(self, initial: Any, data: Any) -> bool:
        if self.disabled:
            return False
        before = initial.pk if isinstance(initial, Model) else initial
        try:
            after = self.to_python(data)
        except ValidationError:
            return True
        return str(before or "") != str(after.pk if after is not None else "")

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        if isinstance(value, Model):
            value = value.pk
        try:
            return self.find(self.queryset, str(value))
        except AmbiguousMatch:
            raise ValidationError(self.error_messages["ambiguous"], code="ambiguous",
                                  params={"value": value}) from None
        except NoMatch:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                  params={"value": value}) from None


# --- Several records: chosen ones are ticked boxes, more are added by typing ---------------

class SearchMultiplePickerWidget(SearchPickerWidget):
    """The chosen records as ticked checkboxes (untick to take one away, with or without
    JavaScript) above the search box; choosing a match from the list adds a ticked box."""

    template_name = "forms/widgets/search_picker_multiple.html"

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        values = list(data.getlist(name)) if hasattr(data, "getlist") else list(
            data.get(name) or [])
        typed = (data.get(f"{name}_q") or "").strip()
        return values + [typed] if typed else values

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False  # no box ticked is a value too: none chosen

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        chosen = []
        for item in value or []:
            record = self._record(item)
            if record is not None and record not in chosen:
                chosen.append(record)
        context = super().get_context(name, None, attrs)
        widget = context["widget"]
        widget["name"] = f"{name}_q"
        widget["value"] = None
        widget["attrs"]["id"] = widget["attrs"].get("id") or f"id_{name}"
        context["field_name"] = name
        context["chosen"] = [(record.pk, self.label_of(record)) for record in chosen]
        return context


class SearchMultipleChoiceField(_Picked, forms.ModelMultipleChoiceField):
    """Records of `queryset`, chosen with the multiple search picker; each value is a record
    number (a ticked box) or text typed without JavaScript, read by `find`."""

    widget = SearchMultiplePickerWidget

    def clean(self, value: Any) -> list[Any]:
        values = [v for v in (value or []) if str(v).strip()]
        if not values:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        found: list[Any] = []
        for item in values:
            try:
                record = self.find(self.queryset, str(item))
            except AmbiguousMatch:
                raise ValidationError(self.error_messages["ambiguous"], code="ambiguous",
                                      params={"value": item}) from None
            except NoMatch:
                raise ValidationError(self.error_messages["invalid_choice"],
                                      code="invalid_choice", params={"value": item}) from None
            if record not in found:
                found.append(record)
        return found

    def has_changed(self, initial: Any, data: Any) -> bool:
        before = {str(i.pk if isinstance(i, Model) else i) for i in initial or []}
        try:
            after = {str(r.pk) for r in self.clean(data)}
        except ValidationError:
            return True
        return before != after
