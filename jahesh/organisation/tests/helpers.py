"""Helpers shared by the organisation and audit tests: the persona columns of every access
matrix, the expansion of a matrix into test cases, and checks on form errors as rendered.

Every matrix row reads left to right in the order of PERSONAS:

    anonymous  secretariat  hq  agri.reporter  agri.head  imt.reporter  chamber  evaluator  outsider

`outsider` is the secretariat of another province (the `other_province` fixture).
"""

import re
from collections.abc import Callable
from importlib import import_module
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.test import Client
from django.test.client import ClientHandler
from django.utils import translation
from django.utils.html import escape

PERSONAS = (
    "anonymous", "secretariat", "hq", "agri.reporter", "agri.head", "imt.reporter",
    "chamber", "evaluator", "outsider",
)
# What an anonymous visitor gets everywhere: a redirect to the login page.
LOGIN = "login"
UNKNOWN_ID = 987654321


def matrix_rows(table: dict[tuple[str, ...], tuple[Any, ...]]) -> list[Any]:
    """{(method, view[, target]): (expected outcome per persona)} -> one pytest param per row."""
    rows = []
    for key, expected in table.items():
        assert len(expected) == len(PERSONAS), key
        rows.append(pytest.param(*key, expected, id="-".join(part for part in key if part)))
    return rows


def outcome(response: HttpResponse) -> Any:
    """The status code, or LOGIN for a redirect to the login page."""
    login = resolve_url(settings.LOGIN_URL)
    if response.status_code == 302 and response["Location"].startswith(f"{login}?next="):
        return LOGIN
    return response.status_code


def run_row(
    clients: dict[str, Client], method: str, send: Callable[[Client], HttpResponse]
) -> tuple[Any, ...]:
    """Each persona's outcome of one request, in the order of PERSONAS.

    Every request runs in a savepoint that is rolled back, so that one persona's change does
    not decide the next persona's outcome. A request that changes something must write exactly
    one audit event (anything refused, none); otherwise the outcome says how many it wrote.
    """
    from jahesh.audit.models import AuditEvent

    results = []
    for persona in PERSONAS:
        with transaction.atomic():
            events = AuditEvent.objects.count()
            response = send(clients[persona])
            written = AuditEvent.objects.count() - events
            transaction.set_rollback(True)
        result = outcome(response)
        if written != (1 if method == "POST" and result == 302 else 0):
            result = f"{result} with {written} audit events"
        results.append(result)
    return tuple(results)


def row_mismatches(actual: tuple[Any, ...], expected: tuple[Any, ...]) -> str:
    return "; ".join(f"{persona}: got {a!r}, expected {e!r}"
                     for persona, a, e in zip(PERSONAS, actual, expected, strict=True) if a != e)


_shared_handler: ClientHandler | None = None


def sharing_handler(client: Client) -> Client:
    """`client`, made to share one request handler with every other test client.

    Each new Client loads the middleware again, and WhiteNoise then indexes every static file:
    a quarter of a second per client, which would be most of the time of the access matrices.
    The handler keeps no state between requests (cookies stay on each client).
    """
    global _shared_handler
    if _shared_handler is None:
        _shared_handler = client.handler
    client.handler = _shared_handler
    return client


def signed_in(person: Any, **extra: Any) -> Client:
    """A client with a session for `person`, written straight to the session store.

    What Client.force_login does, without the login signals (last login, the login log),
    which no test here looks at and which are most of the cost of signing nine personas in
    for every row of a matrix. Each call is a session of its own.
    """
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = person._meta.pk.value_to_string(person)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = person.get_session_auth_hash()
    session.save()
    client = sharing_handler(Client(**extra))
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return client


def client_as(persona: str, request: pytest.FixtureRequest, **extra: Any) -> Client:
    """A test client for one of PERSONAS (the outsider's province is created on demand)."""
    from jahesh.organisation.models import Person

    if persona == "anonymous":
        return sharing_handler(Client(**extra))
    if persona == "outsider":
        request.getfixturevalue("other_province")
    return signed_in(Person.objects.get(username=persona), **extra)


def persona_clients(client_as: Callable[[str], Client]) -> dict[str, Client]:
    return {persona: client_as(persona) for persona in PERSONAS}


def tr(message: str) -> str:
    """`message` in the site's default language, as the pages show it."""
    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext(message)


def field_errors(response: HttpResponse, field: str, form: str = "form") -> list[str]:
    """The error messages of one field of the form in the response's context."""
    errors = response.context[form].errors.as_data().get(field, [])
    with translation.override(settings.LANGUAGE_CODE):
        return [str(message) for error in errors for message in error.messages]


def field_error_codes(response: HttpResponse, field: str, form: str = "form") -> list[str | None]:
    return [error.code for error in response.context[form].errors.as_data().get(field, [])]


# The start of one field's block in forms/field.html: <div class="mb-3 jh-field ...">.
_FIELD_BLOCK_START = re.compile(r'(?=<div class="[^"]*\bjh-field\b)')


def field_block(html: str, field: str) -> str:
    """The HTML of one field's block (label, widget, errors, help), up to the next field's."""
    blocks = _FIELD_BLOCK_START.split(html)[1:]
    found = [b for b in blocks if re.search(rf'\sid="id_{re.escape(field)}"', b)]
    assert len(found) == 1, f"no single block for field {field!r}"
    return found[0]


def assert_field_error(response: HttpResponse, field: str, form: str = "form") -> list[str]:
    """The field has errors in the form, and every one is shown inside its jh-field-error block.

    Returns the messages, for the caller to compare.
    """
    messages = field_errors(response, field, form)
    assert messages, f"no error on {field!r}: {response.context[form].errors!r}"
    block = field_block(response.content.decode(), field)
    classes = re.match(r'<div class="([^"]*)"', block)
    assert classes is not None and "jh-field-error" in classes.group(1).split(), block[:200]
    errors_html = block[block.index('class="errorlist'):]
    for message in messages:
        assert f">{escape(message)}<" in errors_html, (message, errors_html)
    return messages
