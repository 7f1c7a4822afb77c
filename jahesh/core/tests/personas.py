"""Test clients for the demo personas, cheap enough to make one per request, and the access
matrices' common parts.

Two costs dominated the suite before this module: every new `django.test.Client` loaded the
middleware again (WhiteNoise then indexes every static file: tens of milliseconds per client),
and `Client.force_login` runs the login signals (last login, axes' access log) that no page test
looks at. `share_one_middleware_chain` makes every client use the middleware chain the first one
loaded (as one server process does for all its requests), and `signed_in` writes the session a
login would write, straight to the session store.

The access matrices read left to right in the order of PERSONAS:

    anonymous  secretariat  hq  agri.reporter  agri.head  imt.reporter  chamber  evaluator  outsider

`outsider` is the secretariat of another province (the root conftest's `other_province`).
Every request of a matrix runs in a savepoint that is rolled back (`rolled_back`), so one
persona's change never decides the next persona's outcome, and the objects a row needs are built
once for all its personas.
"""

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.test import Client
from django.test.client import ClientHandler

PERSONAS = (
    "anonymous", "secretariat", "hq", "agri.reporter", "agri.head", "imt.reporter",
    "chamber", "evaluator", "outsider",
)
# What an anonymous visitor gets everywhere: a redirect to the login page.
LOGIN = "login"

# --- One middleware chain for every test client ----------------------------------------------

_chains: dict[tuple[Any, ...], tuple[Any, ...]] = {}
_load_middleware = ClientHandler.load_middleware


def _load_middleware_once(self: ClientHandler, is_async: bool = False) -> None:
    # The key is what decides the chain; no test changes the settings the middleware reads
    # when it is built (static files for WhiteNoise), only ones they read per request.
    key = (is_async, tuple(settings.MIDDLEWARE))
    if key not in _chains:
        _load_middleware(self, is_async)
        _chains[key] = (self._view_middleware, self._template_response_middleware,
                        self._exception_middleware, self._middleware_chain)
    (self._view_middleware, self._template_response_middleware, self._exception_middleware,
     self._middleware_chain) = _chains[key]


def share_one_middleware_chain() -> None:
    """Every test client (and pytest-django's `client`) reuses the first one's middleware."""
    ClientHandler.load_middleware = _load_middleware_once  # type: ignore[method-assign]


# --- Signed-in clients -----------------------------------------------------------------------

def _backend() -> str:
    """The backend Client.force_login would record: the first one that can get a user."""
    from django.contrib.auth import load_backend

    for path in settings.AUTHENTICATION_BACKENDS:
        if hasattr(load_backend(path), "get_user"):
            return path
    raise AssertionError("no authentication backend can get a user")


def session_for(person: Any) -> str:
    """A new session for `person`, as logging in writes it; returns the session key."""
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = person._meta.pk.value_to_string(person)
    session[BACKEND_SESSION_KEY] = _backend()
    session[HASH_SESSION_KEY] = person.get_session_auth_hash()
    session.save()
    return session.session_key


def with_session(session_key: str | None, **extra: Any) -> Client:
    """A fresh client (no cookies) carrying that session, or none for an anonymous visitor."""
    client = Client(**extra)
    if session_key:
        client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    return client


def signed_in(person: Any, **extra: Any) -> Client:
    """A client logged in as `person`: what Client.force_login does, without the login
    signals. Each call is a session of its own."""
    return with_session(session_for(person), **extra)


# --- Access matrices -------------------------------------------------------------------------

@contextlib.contextmanager
def rolled_back() -> Iterator[None]:
    """Everything inside is undone at the end (a savepoint rolled back)."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def status_problem(response: HttpResponse, expected: Any) -> str | None:
    """What is wrong with the response's status, or None. LOGIN: sent to the login page; a
    302 that is expected must go somewhere else than the login page."""
    login = resolve_url(settings.LOGIN_URL)
    location = response.get("Location", "")
    if expected == LOGIN:
        if response.status_code == 302 and location.startswith(f"{login}?next="):
            return None
        return f"got {response.status_code} {location}, expected a redirect to log in"
    if response.status_code != expected:
        return f"got {response.status_code}, expected {expected}"
    if expected == 302 and location.startswith(login):
        return f"got a redirect to log in ({location}), expected another 302"
    return None


class Personas:
    """One session per persona, made once per test; `client(persona)` is a fresh client with
    only that session (cookies a response sets never reach the next request)."""

    def __init__(self, personas: tuple[str, ...] = PERSONAS) -> None:
        from jahesh.organisation.models import Person

        people = {p.username: p for p in Person.objects.filter(username__in=personas)}
        missing = set(personas) - set(people) - {"anonymous"}
        assert not missing, f"no such persona: {sorted(missing)}"
        self.sessions = {persona: session_for(people[persona]) if persona in people else None
                         for persona in personas}

    def client(self, persona: str, **extra: Any) -> Client:
        return with_session(self.sessions[persona], **extra)


@dataclass
class Answer:
    """One persona's answer to a request of a matrix row."""

    persona: str
    response: HttpResponse | None
    written: int  # audit events the request wrote (rolled back since)
    error: str | None = None  # the exception the request raised, if it did

    def status_problem(self, expected: Any) -> str | None:
        if self.response is None:
            return f"raised {self.error}"
        return status_problem(self.response, expected)


def ask_everyone(personas: Personas, method: str, url: str, data: dict[str, Any] | None = None,
                 order: tuple[str, ...] = PERSONAS) -> list[Answer]:
    """The same request (`data` posted, or sent as the query string of a GET) once for each
    persona in `order`, each in a savepoint rolled back afterwards."""
    from jahesh.audit.models import AuditEvent

    answers = []
    for persona in order:
        send = getattr(personas.client(persona), method.lower())
        try:
            with rolled_back():
                before = AuditEvent.objects.count()
                response = send(url, data or {})
                written = AuditEvent.objects.count() - before
        except Exception as error:  # reported with the other answers, not alone
            answers.append(Answer(persona, None, 0, f"{type(error).__name__}: {error}"))
            continue
        answers.append(Answer(persona, response, written))
    return answers


def assert_no_problems(problems: list[str]) -> None:
    assert not problems, f"{len(problems)} unexpected answers:\n" + "\n".join(problems)
