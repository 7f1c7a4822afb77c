"""Set-up shared by the plan page tests (test_views_*.py): the personas and the access matrix,
checks on form errors as rendered, programmes built through the real services and walked through
the workflow, and what each form posts.

Every matrix row reads left to right in the order of PERSONAS:

    anonymous  secretariat  hq  agri.reporter  agri.head  imt.reporter  chamber  evaluator  outsider

`outsider` is the secretariat of another province (the root conftest's `other_province`).
"""

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from jahesh.organisation.models import Agency, Person, Province
from jahesh.plan import services
from jahesh.plan.models import (
    ChangeRequest,
    Indicator,
    KeyAction,
    Programme,
    ProgrammeState,
    Project,
    RequiredAction,
)

# --- Personas and the access matrix ----------------------------------------------------------

PERSONAS = ("anonymous", "secretariat", "hq", "agri.reporter", "agri.head", "imt.reporter",
            "chamber", "evaluator", "outsider")
LOGIN = "login"  # what an anonymous visitor gets everywhere: a redirect to the login page
UNKNOWN_ID = 987654321


def matrix_cases(table: dict[tuple[str, ...], tuple[Any, ...]]) -> list[Any]:
    """{(method, view, target): (status per persona)} -> pytest params with readable ids."""
    cases = []
    for key, statuses in table.items():
        assert len(statuses) == len(PERSONAS), key
        for persona, expected in zip(PERSONAS, statuses, strict=True):
            test_id = "-".join(part for part in (*key, persona) if part)
            cases.append(pytest.param(*key, persona, expected, id=test_id))
    return cases


def client_as(persona: str, client_for: Any, request: pytest.FixtureRequest) -> Client:
    """A test client for one of PERSONAS (the outsider's province is created on demand)."""
    if persona == "anonymous":
        return Client()
    if persona == "outsider":
        request.getfixturevalue("other_province")
    return client_for(persona)


def assert_status(response: HttpResponse, expected: Any) -> None:
    login = resolve_url(settings.LOGIN_URL)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(f"{login}?next="), response["Location"]
    else:
        assert response.status_code == expected, (response.status_code, expected)
        if expected == 302:
            assert not response["Location"].startswith(login)


# --- Form errors as the page shows them -------------------------------------------------------

def tr(message: str) -> str:
    """`message` in the site's default language (Persian), as the pages show it."""
    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext(message)


def field_errors(response: HttpResponse, field: str, form: str = "form") -> list[str]:
    errors = response.context[form].errors.as_data().get(field, [])
    with translation.override(settings.LANGUAGE_CODE):
        return [str(message) for error in errors for message in error.messages]


def field_error_codes(response: HttpResponse, field: str, form: str = "form") -> list[str | None]:
    return [error.code for error in response.context[form].errors.as_data().get(field, [])]


_FIELD_START = '<div class="mb-3 jh-field'


def field_block(html: str, field_id: str) -> str:
    """The HTML of one field's block (label, widget, errors, help) as forms/field.html renders it."""
    blocks = [_FIELD_START + chunk for chunk in html.split(_FIELD_START)[1:]]
    found = [b for b in blocks if re.search(rf'\sid="id_{re.escape(field_id)}"', b)]
    assert len(found) == 1, f"no single block for field {field_id!r}"
    return found[0]


def assert_field_error(response: HttpResponse, field: str, form: str = "form") -> list[str]:
    """The field has errors, and every one is shown inside its own jh-field-error block."""
    messages = field_errors(response, field, form)
    assert messages, f"no error on {field!r}: {response.context[form].errors!r}"
    block = field_block(response.content.decode(), field)
    assert "jh-field-error" in block.split('"', 2)[1], block[:200]
    for message in messages:
        assert f"<li>{escape(message)}</li>" in block, (message, block)
    return messages


# --- Programmes -------------------------------------------------------------------------------

YEAR = 1403
# Every programme the tests make carries this word, so a search finds exactly them and none of
# the demo province's own programmes.
MARK = "آزمونی"


def key_actions(province: Province, year: int = YEAR) -> list[KeyAction]:
    return list(KeyAction.objects.for_year(province, year))


def agency(province: Province, code: str) -> Agency:
    return Agency.objects.get(province=province, code=code)


def person(username: str) -> Person:
    return Person.objects.get(username=username)


@dataclass
class Made:
    programme: Programme
    project: Project | None
    indicator: Indicator | None
    action: RequiredAction | None
    change_request: ChangeRequest | None = None

    def refresh(self) -> "Made":
        self.programme.refresh_from_db()
        return self


def add_project(
    programme: Programme, *, title: str = "آبیاری نوین ۵۰۰ هکتار", indicators: int = 1,
    actions: int = 1, owner: Agency | None = None,
) -> tuple[Project, list[Indicator], list[RequiredAction]]:
    """A complete project (the quality check finds nothing to block submission)."""
    reporter = person(f"{programme.agency.code}.reporter")
    project = services.project_save(
        programme=programme, acting_user=reporter, title=title,
        key_action=programme.key_actions.first(), start_date=date(2024, 4, 20),
        end_date=date(2025, 3, 1), budget_provincial=Decimal(1200), budget_national=Decimal(300),
        budget_bank=Decimal(5000), budget_private=Decimal(0),
    )
    made_indicators = [
        services.indicator_save(
            project=project, acting_user=reporter, name=f"سطح زیر کشت آبیاری نوین {n}",
            unit="هکتار", baseline=Decimal(100), baseline_date=date(2024, 3, 19),
            target=Decimal(250),
        )
        for n in range(1, indicators + 1)
    ]
    made_actions = [
        services.required_action_save(
            project=project, acting_user=reporter, title=f"تامین لوله و تجهیزات {n}",
            owner_agency=owner or programme.agency, due_date=date(2024, 9, 1),
        )
        for n in range(1, actions + 1)
    ]
    return project, made_indicators, made_actions


def make_programme(
    province: Province, *, code: str = "agri", state: str = ProgrammeState.DRAFT,
    title: str = f"افزایش تولید گندم {MARK} به ۲۰۰ هزار تن", projects: int = 1,
    indicators: int = 1, actions: int = 1, change_request: bool = False,
) -> Made:
    """A programme of agency `code`, complete, walked through the workflow to `state`."""
    owner = agency(province, code)
    reporter, head = person(f"{code}.reporter"), person(f"{code}.head")
    secretariat = person("secretariat")
    programme = services.programme_create(
        acting_user=reporter, agency=owner, year=YEAR, level="operational", title=title,
        key_actions=key_actions(province)[:2],
    )
    project = indicator = action = None
    for n in range(projects):
        project, inds, acts = add_project(programme, title=f"آبیاری نوین {n + 1}۰۰ هکتار",
                                          indicators=indicators, actions=actions)
        indicator = inds[0] if inds else None
        action = acts[0] if acts else None
    order = [ProgrammeState.DRAFT, ProgrammeState.SUBMITTED, ProgrammeState.APPROVED,
             ProgrammeState.ACCEPTED]
    steps = order.index(state)
    if steps >= 1:
        programme = services.programme_submit(programme=programme, acting_user=reporter)
    if steps >= 2:
        programme = services.programme_approve(programme=programme, acting_user=head)
    if steps >= 3:
        programme = services.programme_accept(programme=programme, acting_user=secretariat,
                                              quality_grade="B", priority="high")
    request = None
    if change_request:
        request = services.change_request_open(programme=programme, acting_user=reporter,
                                               reason="افزودن یک پروژه تازه")
        programme.refresh_from_db()
    return Made(programme, project, indicator, action, request)


# --- What each form posts -------------------------------------------------------------------

def programme_data(province: Province, programme: Programme | None = None,
                   **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": f"توسعه گلخانه‌ها {MARK} به ۳۰۰ هکتار", "level": "strategic",
        "description": "", "key_actions": [k.pk for k in key_actions(province)[:1]],
        "responsible": "", "version": programme.version if programme else "",
    }
    return {**data, **changes}


def project_data(project: Project | None = None, **changes: Any) -> dict[str, Any]:
    key_action = (project.key_action_id if project
                  else KeyAction.objects.filter(year=YEAR).order_by("number").first().pk)
    data: dict[str, Any] = {
        "title": "احداث ۲۰ گلخانه هوشمند", "key_action": key_action, "county": "",
        "start_date": "۱۴۰۳/۰۲/۰۱", "end_date": "۱۴۰۳/۱۲/۲۰",
        "budget_provincial": "۱۲٬۵۰۰", "budget_national": "", "budget_bank": "3,000",
        "budget_private": "٥٠٠", "version": project.version if project else "",
    }
    return {**data, **changes}


def action_data(owner: Agency, **changes: Any) -> dict[str, Any]:
    return {"title": "صدور مجوز احداث", "owner_agency": owner.pk, "due_date": "۱۴۰۳/۰۳/۱۵",
            **changes}


def indicator_data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "تولید محصول گلخانه‌ای", "kind": "quantity", "direction": "increase",
        "unit": "تن", "baseline": "۱۲٬۰۰۰", "baseline_date": "۱۴۰۲/۱۲/۲۹",
        "target": "۱۸٬۰۰۰", "weight": "۱", "trajectory_mode": "even",
    }
    return {**data, **changes}


def months(*values: Any) -> dict[str, Any]:
    return {f"month_{m}": v for m, v in enumerate(values, 1)}


def step_data(programme: Programme, prefix: str, **fields: Any) -> dict[str, Any]:
    """What a workflow button posts: the version and state seen, and the step's own fields."""
    return {f"{prefix}-version": programme.version, f"{prefix}-state": programme.state,
            **{f"{prefix}-{name}": value for name, value in fields.items()}}


def detail_url(programme: Programme) -> str:
    return reverse("plan:programme_detail", args=[programme.pk])
