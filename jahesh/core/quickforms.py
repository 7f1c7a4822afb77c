"""A form written out in Python the way forms/form.html and forms/field.html write it.

For pages that repeat small unbound forms on every row (the triage queue: three forms for each
of its cases), where the template engine's field and widget templates cost more than the rest
of the page. Text inputs, text areas, hidden inputs and the fast selects are written here;
any other widget renders through Django as usual. A test holds the output equal to Django's.
"""

from django import forms
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from jahesh.core.widgets import FastSelect

# Exact types: a subclass may render differently.
_INPUTS = (forms.TextInput, forms.HiddenInput, forms.NumberInput, forms.EmailInput)


def _attrs(attrs: dict) -> str:
    """As django/forms/widgets/attrs.html: in order, True as a bare name, False left out."""
    return format_html_join("", "{}", (
        (format_html(' {}="{}"', name, value) if value is not True else format_html(" {}", name),)
        for name, value in attrs.items() if value is not False and value is not None))


def _widget(field: forms.BoundField) -> str:
    widget = field.field.widget
    if type(widget) not in (*_INPUTS, forms.Textarea) and not isinstance(widget, FastSelect):
        return field.as_widget()
    attrs = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    if isinstance(widget, FastSelect):
        return widget.render(field.html_name, field.value(), attrs)
    final = widget.build_attrs(widget.attrs, attrs)
    value = widget.format_value(field.value())
    if type(widget) is forms.Textarea:
        return format_html("<textarea name=\"{}\"{}>\n{}</textarea>", field.html_name,
                           _attrs(final), value or "")
    shown = format_html(' value="{}"', value) if value is not None else ""
    return format_html('<input type="{}" name="{}"{}{}>', widget.input_type, field.html_name,
                       shown, _attrs(final))


def _field(field: forms.BoundField) -> str:
    required = field.field.required
    classes = "mb-3 jh-field" + (" jh-field-error" if field.errors else "") + (
        " jh-required" if required else "")
    label = ""
    if field.label:
        star = mark_safe(' <span class="text-danger" aria-hidden="true">*</span>') if required \
            else ""
        label = format_html('<label class="form-label" for="{}">{}{}</label>', field.auto_id,
                            field.label, star)
    errors = ""
    if field.errors:
        errors = format_html('<ul class="errorlist" id="{}_error">{}</ul>', field.auto_id,
                             format_html_join("", "<li>{}</li>", ((e,) for e in field.errors)))
    help_text = ""
    if field.help_text:
        help_text = format_html('<div class="form-text" id="{}_helptext">{}</div>',
                                field.auto_id, field.help_text)
    return format_html('<div class="{}">{}{}{}{}</div>', classes, label, _widget(field), errors,
                       help_text)


def quick_form(form: forms.BaseForm) -> SafeString:
    """`form` as `{{ form }}` would render it with this project's form templates."""
    parts = []
    if form.non_field_errors():
        parts.append(format_html(
            '<div class="alert alert-danger" role="alert">{}</div>',
            format_html_join("", "<div>{}</div>", ((e,) for e in form.non_field_errors()))))
    parts.extend(_field(field) for field in form.visible_fields())
    parts.extend(_widget(field) for field in form.hidden_fields())
    return mark_safe("".join(conditional_escape(part) for part in parts))  # noqa: S308
