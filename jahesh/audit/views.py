from datetime import datetime, time, timedelta

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from jahesh.audit.forms import EVENT_LABELS, AuditFilterForm
from jahesh.audit.permissions import audit_events
from jahesh.core.paging import paginate, query_without_page
from jahesh.core.persian import normalize_text
from jahesh.organisation.access import actor_for
from jahesh.organisation.selectors import home_province


def _start_of(day):  # type: ignore[no-untyped-def]
    return timezone.make_aware(datetime.combine(day, time.min))


@login_required
@require_GET  # the trail is only read here: services are its only writers
def event_list(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    province = home_province(actor)
    if province is None:
        raise Http404
    audit_events.require(actor, "list", province=province)
    form = AuditFilterForm(request.GET or None)
    rows = audit_events.visible(actor).filter(province=province)
    if form.is_valid():
        data = form.cleaned_data
        if data["event"]:
            rows = rows.filter(event=data["event"])
        if data["actor"]:
            rows = rows.filter(actor__username__icontains=data["actor"].strip())
        if data["target"]:
            # Names are stored normalised (Persian ی/ک), so normalise what was typed too.
            rows = rows.filter(target_repr__icontains=normalize_text(data["target"]))
        if data["since"]:
            rows = rows.filter(at__gte=_start_of(data["since"]))
        if data["until"]:
            rows = rows.filter(at__lt=_start_of(data["until"] + timedelta(days=1)))
    page = paginate(request, rows.select_related("actor"), per_page=50)
    return render(request, "audit/event_list.html", {
        "form": form, "page": page, "query": query_without_page(request),
        "event_labels": EVENT_LABELS,
    })


