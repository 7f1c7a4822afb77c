from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from jahesh.organisation.access import actor_for
from jahesh.organisation.selectors import province_overview


@login_required
def home(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    overview = province_overview(actor)
    return render(request, "core/home.html", {"overview": overview})


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers, 503 when it does not (for the load balancer or monitor)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any failure to reach the database means "not healthy"
        return JsonResponse({"status": "unavailable", "database": False}, status=503)
    return JsonResponse({"status": "ok", "database": True})


def hello(request: HttpRequest) -> HttpResponse:
    """The floor for `make bench`: the cheapest page the same stack can serve."""
    return HttpResponse("hello")
