"""Changes to the holiday calendar (secretariat). Audited; deadlines already set keep their
dates (they were counted when the case was assigned)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from jahesh.audit.services import record
from jahesh.core.persian import format_jalali_date, normalize_text
from jahesh.organisation.models import Province
from jahesh.workdays.models import Holiday


@transaction.atomic
def holiday_add(*, province: Province, date: datetime.date, name: str,
                acting_user: Any) -> Holiday:
    text = normalize_text(name or "")
    if not text:
        raise ValidationError({"name": _("Name the occasion.")})
    try:
        with transaction.atomic():
            holiday = Holiday.objects.create(province=province, date=date, name=text[:150])
    except IntegrityError:
        raise ValidationError({"date": _("%(date)s is already a holiday.")
                               % {"date": format_jalali_date(date)}}) from None
    record(event="holiday.created", target=holiday, actor=acting_user, province=province,
           after={"date": date.isoformat(), "name": text})
    return holiday


@transaction.atomic
def holiday_remove(*, holiday: Holiday, acting_user: Any) -> None:
    province, before = holiday.province, {"date": holiday.date.isoformat(), "name": holiday.name}
    record(event="holiday.removed", target=holiday, actor=acting_user, province=province,
           before=before)
    holiday.delete()
