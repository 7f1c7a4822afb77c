from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from jahesh.core.persian import localize_digits
from jahesh.imports.workbook import FileRejected, check_container, import_max_bytes

XLSX_ACCEPT = ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportUploadForm(forms.Form):
    """The filled-in template. Refused at once, next to the field, when it is too big or not
    a real .xlsx (whatever its name says), before any job is started."""

    file = forms.FileField(
        label=_("Filled-in template (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": XLSX_ACCEPT}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = import_max_bytes()
        if upload.size > limit:
            raise ValidationError(
                _("The file is %(size)s; the largest file accepted is %(limit)s.")
                % {"size": localize_digits(filesizeformat(upload.size)),
                   "limit": localize_digits(filesizeformat(limit))},
                code="too_big",
            )
        try:
            check_container(upload.file)
        except FileRejected as exc:
            raise ValidationError(exc.message, code="not_xlsx") from None
        return upload
