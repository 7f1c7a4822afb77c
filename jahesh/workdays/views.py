"""The holiday calendar of a province, per Jalali year: the secretariat adds and removes
official holidays; the province's other people may read it."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jahesh.core.persian import fiscal_year_of, format_jalali_date, to_gregorian, to_latin_digits
from jahesh.core.stale import add_service_errors
from jahesh.organisation.access import actor_for
from jahesh.organisation.selectors import home_province
from jahesh.workdays import services
from jahesh.workdays.forms import HolidayForm
from jahesh.workdays.models import Holiday


def _year(value: Any, default: int) -> int:
    try:
        year = int(to_latin_digits(str(value)).strip())
    except ValueError:
        return default
    return year if 1300 <= year <= 1600 else default


def _list_url(year: int) -> str:
    return f"{reverse('workdays:holiday_list')}?year={year}"


@login_required
def holiday_list(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    province = home_province(actor)
    if province is None:
        raise Http404
    if province.pk not in actor.provinces():
        raise PermissionDenied
    may_manage = actor.is_secretariat_of(province.pk)
    year = _year(request.GET.get("year", ""), province.current_year)
    form = HolidayForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                holiday = services.holiday_add(province=province, date=form.cleaned_data["date"],
                                               name=form.cleaned_data["name"],
                                               acting_user=request.user)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("%(date)s was added as a holiday.")
                                 % {"date": format_jalali_date(holiday.date)})
                return redirect(_list_url(fiscal_year_of(holiday.date)))
    start, end = to_gregorian(year, 1, 1), to_gregorian(year + 1, 1, 1)
    holidays = Holiday.objects.filter(province=province, date__gte=start, date__lt=end)
    return render(request, "workdays/holiday_list.html", {
        "province": province, "year": year, "holidays": holidays, "form": form,
        "may_manage": may_manage, "years": [year - 1, year, year + 1],
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def holiday_remove(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request.user)
    province = home_province(actor)
    if province is None:
        raise Http404
    holiday = get_object_or_404(Holiday, pk=pk, province=province)
    if not actor.is_secretariat_of(province.pk):
        raise PermissionDenied
    year = fiscal_year_of(holiday.date)
    services.holiday_remove(holiday=holiday, acting_user=request.user)
    messages.success(request, _("The holiday was removed."))
    return redirect(_list_url(year))
