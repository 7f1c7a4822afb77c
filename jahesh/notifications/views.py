"""A person's own notifications: the list, and marking them read (one, or all at once).

Thin: check access with the policy in permissions.py, call a service, render. htmx requests get
the changed part of the page and the bell (out of band) instead of a redirect.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jahesh.core.paging import paginate, query_without_page
from jahesh.notifications import services
from jahesh.notifications.permissions import notifications as policy
from jahesh.organisation.access import actor_for

UNREAD = "unread"


def _safe(request: HttpRequest, url: str) -> bool:
    return bool(url) and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure())


def _list_context(request: HttpRequest) -> dict[str, object]:
    actor = actor_for(request.user)
    show = UNREAD if request.GET.get("show") == UNREAD else ""
    rows = policy.visible(actor).for_list()
    if show:
        rows = rows.unread()
    return {"page": paginate(request, rows), "query": query_without_page(request), "show": show}


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    context = _list_context(request)
    if request.htmx:
        return render(request, "notifications/_list.html", {**context, "oob": True})
    return render(request, "notifications/list.html", context)


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = policy.get_or_404(actor_for(request.user), pk=pk)
    services.mark_read(notification=notification, acting_user=request.user)
    if request.POST.get("open") and _safe(request, notification.url):
        return redirect(notification.url)
    if request.htmx:
        return render(request, "notifications/_read.html", {"notification": notification,
                                                            "oob": True})
    back = request.POST.get("next", "")
    return redirect(back if _safe(request, back) else reverse("notifications:list"))


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = services.mark_all_read(acting_user=request.user)
    if request.htmx:
        return render(request, "notifications/_list.html", {**_list_context(request),
                                                            "oob": True})
    if count:
        messages.success(request, _("All your notifications are marked as read."))
    return redirect("notifications:list")
