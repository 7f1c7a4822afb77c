from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jahesh.core.fields import JalaliDateField


class HolidayForm(forms.Form):
    date = JalaliDateField(label=_("Date"))
    name = forms.CharField(label=_("Occasion"), max_length=150)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "holiday")
        super().__init__(*args, **kwargs)
