import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

# Refreshing the session's expiry on every request would cost a database write per page;
# once a minute is enough for a 30-minute inactivity limit.
TOUCH_EVERY_SECONDS = 60


class IdleSessionMiddleware:
    """Slides the session expiry forward while the person is active.

    A session then ends SESSION_COOKIE_AGE seconds after the last request, not after login.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.get("_auth_user_id"):
            now = int(time.time())
            if now - session.get("_touched", 0) >= TOUCH_EVERY_SECONDS:
                session["_touched"] = now
        return response


class PersianFirstMiddleware:
    """Persian unless the person chose otherwise with the language switch.

    Offices often run browsers set to English; the platform must still open in Persian, so
    the browser's Accept-Language is not consulted: only the language cookie is.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
