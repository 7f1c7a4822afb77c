"""Helpers shared by the organisation and audit tests: the persona columns of every access
matrix, the expansion of a matrix into test cases, and checks on form errors as rendered.

Every matrix row reads left to right in the order of PERSONAS:

    anonymous  secretariat  hq  agri.reporter  agri.head  imt.reporter  chamber  evaluator  outsider

`outsider` is the secretariat of another province (the `other_province` fixture).
"""

import functools
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.test import Client
from django.utils import translation
from django.utils.html import escape

# The personas and the login redirect are the same for every app's matrix; signed_in writes a
# persona's session without the login signals (see jahesh/core/tests/personas.py).
from jahesh.core.tests.personas import (  # noqa: F401
    LOGIN,
    PERSONAS,
    Personas,
    assert_no_problems,
    signed_in,
)

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


def matrix_targets(table: dict[tuple[str, ...], tuple[Any, ...]]) -> list[Any]:
    """The targets of a matrix's rows ((method, view, target) keys), one pytest param each: a
    test per target runs every row of that target (`check_rows`)."""
    for key, expected in table.items():
        assert len(expected) == len(PERSONAS), key
    return [pytest.param(name, id=name or "-") for name in sorted({key[2] for key in table})]


def _send(method: str, url: str, data: dict[str, Any], client: Client) -> HttpResponse:
    """A GET carries no data (the data is what the row would post)."""
    return client.get(url) if method == "get" else getattr(client, method)(url, data)


def check_rows(
    table: dict[tuple[str, ...], tuple[Any, ...]], target_name: str,
    request_for: Callable[[str, str], tuple[str, dict[str, Any]]],
) -> None:
    """Every row of `table` whose target is `target_name`, through `run_row` (each persona's
    request in a savepoint rolled back, with a fresh client carrying only their session).
    `request_for(view, target_name)` -> (url, data to post). Fails naming every mismatch."""
    sessions = Personas()
    problems = []
    for (method, view, name), expected in table.items():
        if name != target_name:
            continue
        url, data = request_for(view, name)
        clients = {persona: sessions.client(persona) for persona in PERSONAS}
        send = functools.partial(_send, method.lower(), url, data)
        actual = run_row(clients, method, send)
        if actual != expected:
            problems.append(f"{method} {url} ({view}, {name or '-'}): "
                            f"{row_mismatches(actual, expected)}")
    assert_no_problems(problems)


def client_as(persona: str, request: pytest.FixtureRequest, **extra: Any) -> Client:
    """A test client for one of PERSONAS (the outsider's province is created on demand)."""
    from jahesh.organisation.models import Person

    if persona == "anonymous":
        return Client(**extra)
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
