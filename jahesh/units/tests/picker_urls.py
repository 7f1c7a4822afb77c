"""The site's URLs plus one page with a unit picker, for the browser test of the picker (the
picker's real pages belong to other apps: visits, cases)."""

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path

from jahesh.organisation.access import actor_for
from jahesh.organisation.selectors import home_province
from jahesh.units.forms import UnitChoiceField
from jahesh.urls import urlpatterns as site

PAGE = """{% extends "base.html" %}{% block content %}
<form method="post" class="jh-form">{% csrf_token %}{{ form }}<button type="submit">OK</button></form>
{% if chosen %}<p id="chosen">{{ chosen.name }}</p>{% endif %}{% endblock %}"""


class PickerForm(forms.Form):
    def __init__(self, *args: Any, province: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"] = UnitChoiceField(province=province)


def picker_page(request: HttpRequest) -> HttpResponse:
    province = home_province(actor_for(request.user))
    form = PickerForm(request.POST or None, province=province)
    chosen = form.cleaned_data["unit"] if request.method == "POST" and form.is_valid() else None
    template = engines["django"].from_string(PAGE)
    return HttpResponse(template.render({"form": form, "chosen": chosen}, request))


urlpatterns = [path("test-picker/", picker_page), *site]
