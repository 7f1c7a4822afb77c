from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from jahesh.audit.context import current_address


class AuditContextMiddleware:
    """Makes the client address available to `jahesh.audit.services.record`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_address.set(request.META.get("REMOTE_ADDR") or None)
        try:
            return self.get_response(request)
        finally:
            current_address.reset(token)
