from django.forms.renderers import TemplatesSetting


class JaheshFormRenderer(TemplatesSetting):
    """Every form renders its fields with the label, help and errors next to the field."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
