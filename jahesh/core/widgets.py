"""Widgets shared by the apps' forms."""

import html
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe


class FastSelect(forms.Select):
    """A <select> built in Python rather than with a template per option.

    Django renders each option through the template engine, and builds a dict of attributes
    per option even without a template; the filter form's lists (an agency per row of a
    120-agency province) then cost more than the whole table. Options in groups are listed
    flat, without <optgroup>.
    """

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None,
               renderer: Any = None) -> str:
        chosen = self.format_value(value)
        options = []
        has_selected = False
        for option_value, option_label in self.choices:
            if isinstance(option_label, list | tuple):
                group = option_label
            else:
                group = [("" if option_value is None else option_value, option_label)]
            for subvalue, sublabel in group:
                # As Django's Select: only the first matching option is selected.
                selected = ((not has_selected or self.allow_multiple_selected)
                            and str(subvalue) in chosen)
                has_selected |= selected
                options.append(f'<option value="{html.escape(str(subvalue))}"'
                               f'{" selected" if selected else ""}>'
                               f"{html.escape(str(sublabel))}</option>")
        final_attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            final_attrs["multiple"] = True
        # Every value and label is escaped above.
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(final_attrs),
                           mark_safe("".join(options)))  # noqa: S308


class FastSelectMultiple(FastSelect):
    """FastSelect for several values (a ModelMultipleChoiceField's list)."""

    allow_multiple_selected = True

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return forms.SelectMultiple.value_from_datadict(self, data, files, name)  # type: ignore[arg-type]

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False  # as SelectMultiple: an unticked list posts nothing
