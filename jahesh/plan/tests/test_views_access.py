"""Who may open and post every plan page: the full matrix of URL × persona.

Anonymous visitors are sent to log in; people who may see a programme but not change it get 403;
another agency's people (and another province's secretariat) get 404, as for an unknown id.
An allowed change writes to the audit trail; a refused one writes nothing.
"""

from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import reverse

from jahesh.core.tests.personas import Personas, ask_everyone, assert_no_problems, rolled_back
from jahesh.plan import services
from jahesh.plan.models import ProgrammeState
from jahesh.plan.tests.views_support import (
    LOGIN,
    UNKNOWN_ID,
    action_data,
    agency,
    indicator_data,
    make_programme,
    person,
    programme_data,
    project_data,
    step_data,
)

# Targets: a complete agri programme in a state ('draft', 'submitted', 'approved', 'accepted',
# 'pending' = accepted with a change request waiting), or 'unknown' (no such id).
#
#                                                      anon   secr hq   agri.r agri.h imt.r chamb eval out
PROGRAMME_MATRIX = {
    ("GET", "programme_list", ""):                     (LOGIN, 200, 200, 200,  200,   200,  200,  200, 200),
    ("GET", "programme_create", ""):                   (LOGIN, 403, 403, 200,  200,   200,  403,  403, 403),
    ("POST", "programme_create", ""):                  (LOGIN, 403, 403, 302,  302,   302,  403,  403, 403),
    ("GET", "programme_detail", "draft"):              (LOGIN, 200, 200, 200,  200,   404,  200,  200, 404),
    ("GET", "programme_detail", "accepted"):           (LOGIN, 200, 200, 200,  200,   404,  200,  200, 404),
    ("GET", "programme_detail", "unknown"):            (LOGIN, 404, 404, 404,  404,   404,  404,  404, 404),
    ("GET", "programme_edit", "draft"):                (LOGIN, 403, 403, 200,  200,   404,  403,  403, 404),
    ("GET", "programme_edit", "submitted"):            (LOGIN, 403, 403, 302,  302,   404,  403,  403, 404),
    ("GET", "programme_edit", "unknown"):              (LOGIN, 404, 404, 404,  404,   404,  404,  404, 404),
    ("POST", "programme_edit", "draft"):               (LOGIN, 403, 403, 302,  302,   404,  403,  403, 404),
    ("POST", "programme_edit", "accepted"):            (LOGIN, 403, 403, 302,  302,   404,  403,  403, 404),
    ("GET", "programme_submit", "draft"):              (LOGIN, 405, 405, 405,  405,   405,  405,  405, 405),
    ("POST", "programme_submit", "draft"):             (LOGIN, 403, 403, 302,  302,   404,  403,  403, 404),
    ("POST", "programme_submit", "submitted"):         (LOGIN, 403, 403, 403,  403,   404,  403,  403, 404),
    ("POST", "programme_submit", "unknown"):           (LOGIN, 404, 404, 404,  404,   404,  404,  404, 404),
    ("POST", "programme_approve", "submitted"):        (LOGIN, 403, 403, 403,  302,   404,  403,  403, 404),
    ("POST", "programme_approve", "draft"):            (LOGIN, 403, 403, 403,  403,   404,  403,  403, 404),
    ("POST", "programme_return", "submitted"):         (LOGIN, 403, 403, 403,  302,   404,  403,  403, 404),
    ("POST", "programme_return", "approved"):          (LOGIN, 302, 403, 403,  403,   404,  403,  403, 404),
    ("POST", "programme_return", "accepted"):          (LOGIN, 403, 403, 403,  403,   404,  403,  403, 404),
    ("POST", "programme_accept", "approved"):          (LOGIN, 302, 403, 403,  403,   404,  403,  403, 404),
    ("POST", "programme_accept", "submitted"):         (LOGIN, 403, 403, 403,  403,   404,  403,  403, 404),
    ("POST", "programme_comment", "submitted"):        (LOGIN, 302, 403, 403,  403,   404,  403,  302, 404),
    ("POST", "programme_comment", "unknown"):          (LOGIN, 404, 404, 404,  404,   404,  404,  404, 404),
    ("POST", "change_request_open", "accepted"):       (LOGIN, 403, 403, 302,  302,   404,  403,  403, 404),
    ("POST", "change_request_open", "draft"):          (LOGIN, 403, 403, 403,  403,   404,  403,  403, 404),
    ("POST", "change_request_decide", "pending"):      (LOGIN, 302, 403, 403,  403,   404,  403,  403, 404),
    ("GET", "project_create", "draft"):                (LOGIN, 403, 403, 200,  200,   404,  403,  403, 404),
    ("POST", "project_create", "draft"):               (LOGIN, 403, 403, 302,  302,   404,  403,  403, 404),
    ("POST", "project_create", "approved"):            (LOGIN, 403, 403, 302,  302,   404,  403,  403, 404),
    ("GET", "project_edit", "draft"):                  (LOGIN, 403, 403, 200,  200,   404,  403,  403, 404),
    ("GET", "project_edit", "unknown"):                (LOGIN, 404, 404, 404,  404,   404,  404,  404, 404),
    ("POST", "project_edit", "draft"):                 (LOGIN, 403, 403, 302,  302,   404,  403,  403, 404),
    ("POST", "project_edit", "submitted"):             (LOGIN, 403, 403, 302,  302,   404,  403,  403, 404),
    ("GET", "project_delete", "draft"):                (LOGIN, 405, 405, 405,  405,   405,  405,  405, 405),
    ("POST", "project_delete", "draft"):               (LOGIN, 403, 403, 302,  302,   404,  403,  403, 404),
    ("GET", "action_create", "draft"):                 (LOGIN, 403, 403, 200,  200,   404,  403,  403, 404),
    ("POST", "action_create", "draft"):                (LOGIN, 403, 403, 302,  302,   404,  403,  403, 404),
    ("GET", "action_edit", "draft"):                   (LOGIN, 403, 403, 200,  200,   404,  403,  403, 404),
    ("GET", "action_edit", "unknown"):                 (LOGIN, 404, 404, 404,  404,   404,  404,  404, 404),
    ("POST", "action_edit", "draft"):                  (LOGIN, 403, 403, 302,  302,   404,  403,  403, 404),
    ("POST", "action_delete", "draft"):                (LOGIN, 403, 403, 302,  302,   404,  403,  403, 404),
    ("POST", "action_delete", "accepted"):             (LOGIN, 403, 403, 302,  302,   404,  403,  403, 404),
    ("GET", "indicator_create", "draft"):              (LOGIN, 403, 403, 200,  200,   404,  403,  403, 404),
    ("POST", "indicator_create", "draft"):             (LOGIN, 403, 403, 302,  302,   404,  403,  403, 404),
    ("GET", "indicator_edit", "draft"):                (LOGIN, 403, 403, 200,  200,   404,  403,  403, 404),
    ("GET", "indicator_edit", "unknown"):              (LOGIN, 404, 404, 404,  404,   404,  404,  404, 404),
    ("POST", "indicator_edit", "draft"):               (LOGIN, 403, 403, 302,  302,   404,  403,  403, 404),
    ("POST", "indicator_delete", "draft"):             (LOGIN, 403, 403, 302,  302,   404,  403,  403, 404),
}

# Programme views whose URL names the project, indicator or required action, not the programme.
BY_PROJECT = {"project_create": "programme", "project_edit": "project", "project_delete": "project",
              "action_create": "project", "action_edit": "action", "action_delete": "action",
              "indicator_create": "project", "indicator_edit": "indicator",
              "indicator_delete": "indicator"}
# The edit-like views refuse a programme that is no longer a draft by sending its editors back
# to it (with the reason), which writes nothing.
WRITES_NOTHING = {"submitted", "approved", "accepted"}


@pytest.fixture
def made(province):  # type: ignore[no-untyped-def]
    """made('submitted') -> a complete agri programme in that state (Made)."""

    def build(name: str) -> Any:
        if name in ("", "unknown"):
            return None
        if name == "pending":
            return make_programme(province, state=ProgrammeState.ACCEPTED, change_request=True)
        return make_programme(province, state=name)

    return build


def _url(view: str, made: Any) -> str:
    if made is None:
        args = [] if view in ("programme_list", "programme_create") else [UNKNOWN_ID]
        return reverse(f"plan:{view}", args=args)
    if view == "change_request_decide":
        return reverse(f"plan:{view}", args=[made.programme.pk, made.change_request.pk])
    target = getattr(made, BY_PROJECT.get(view, "programme"))
    return reverse(f"plan:{view}", args=[target.pk])


def _payload(view: str, made: Any, province: Any) -> dict[str, Any]:
    programme = made.programme if made else None
    steps = {
        "programme_submit": ("submit", {}),
        "programme_approve": ("approve", {"comment": "تایید شد"}),
        "programme_return": ("return", {"comment": "شاخص‌ها کمّی نیستند"}),
        "programme_accept": ("accept", {"quality_grade": "A", "priority": "high"}),
        "programme_comment": ("comment", {"body": "لطفا منبع آمار را بنویسید"}),
        "change_request_open": ("change", {"reason": "افزودن یک پروژه"}),
        "change_request_decide": ("decide", {"decision": "accept", "comment": ""}),
    }
    if view in steps and programme is not None:
        prefix, fields = steps[view]
        return step_data(programme, prefix, **fields)
    if view in ("programme_create", "programme_edit"):
        return programme_data(province, programme)
    if view in ("project_create", "project_edit"):
        return project_data(made.project if view == "project_edit" and made else None)
    if view in ("action_create", "action_edit"):
        return action_data(agency(province, "agri"))
    if view in ("indicator_create", "indicator_edit"):
        return indicator_data()
    return {}


@pytest.mark.parametrize("target_name", sorted({key[2] for key in PROGRAMME_MATRIX}))
def test_programme_pages_access(target_name, province, made, other_province):  # type: ignore[no-untyped-def]
    """Every row of PROGRAMME_MATRIX whose target is `target_name`, for every persona: the
    target is built once, and each request runs in a savepoint rolled back afterwards."""
    personas = Personas()
    target = made(target_name)
    problems = []
    for (method, view, name), expected_row in PROGRAMME_MATRIX.items():
        if name != target_name:
            continue
        url = _url(view, target)
        answers = ask_everyone(personas, method, url,
                               _payload(view, target, province) if method == "POST" else None)
        edit_like = view in BY_PROJECT or view == "programme_edit"
        for answer, expected in zip(answers, expected_row, strict=True):
            problem = answer.status_problem(expected)
            if problem is None:
                changed = (method == "POST" and expected == 302
                           and not (edit_like and target_name in WRITES_NOTHING))
                if changed and not answer.written:
                    problem = "changed something without writing to the audit trail"
                if not changed and answer.written:
                    problem = f"wrote {answer.written} audit events, expected none"
            if problem:
                problems.append(f"{method} {url} ({view}, {target_name or '-'}) as "
                                f"{answer.persona}: {problem}")
    assert_no_problems(problems)


# --- Submissions and plan settings -----------------------------------------------------------
# Targets: 'own' (a key action, axis or industry of the demo province), 'unused' (a key action
# no programme uses), 'unknown'. The outsider is the secretariat of another province: its own
# pages work, the demo province's objects are 404.
#
#                                                      anon   secr hq   agri.r agri.h imt.r chamb eval out
SETTINGS_MATRIX = {
    ("GET", "submissions", ""):                        (LOGIN, 200, 403, 403,  403,   403,  403,  403, 200),
    ("POST", "deadline_set", ""):                      (LOGIN, 302, 403, 403,  403,   403,  403,  403, 302),
    ("GET", "deadline_set", ""):                       (LOGIN, 405, 405, 405,  405,   405,  405,  405, 405),
    ("GET", "settings", ""):                           (LOGIN, 200, 200, 200,  200,   200,  200,  200, 200),
    ("GET", "key_action_create", ""):                  (LOGIN, 200, 403, 403,  403,   403,  403,  403, 200),
    ("POST", "key_action_create", ""):                 (LOGIN, 302, 403, 403,  403,   403,  403,  403, 302),
    ("POST", "key_actions_copy", ""):                  (LOGIN, 302, 403, 403,  403,   403,  403,  403, 302),
    ("GET", "key_action_edit", "own"):                 (LOGIN, 200, 403, 403,  403,   403,  403,  403, 404),
    ("POST", "key_action_edit", "own"):                (LOGIN, 302, 403, 403,  403,   403,  403,  403, 404),
    ("GET", "key_action_edit", "unknown"):             (LOGIN, 404, 404, 404,  404,   404,  404,  404, 404),
    ("POST", "key_action_delete", "unused"):           (LOGIN, 302, 403, 403,  403,   403,  403,  403, 404),
    ("GET", "key_action_delete", "unused"):            (LOGIN, 405, 405, 405,  405,   405,  405,  405, 405),
    ("GET", "axis_create", ""):                        (LOGIN, 200, 403, 403,  403,   403,  403,  403, 200),
    ("POST", "axis_create", ""):                       (LOGIN, 302, 403, 403,  403,   403,  403,  403, 302),
    ("GET", "axis_edit", "own"):                       (LOGIN, 200, 403, 403,  403,   403,  403,  403, 404),
    ("POST", "axis_edit", "own"):                      (LOGIN, 302, 403, 403,  403,   403,  403,  403, 404),
    ("GET", "axis_edit", "unknown"):                   (LOGIN, 404, 404, 404,  404,   404,  404,  404, 404),
    ("GET", "industry_create", ""):                    (LOGIN, 200, 403, 403,  403,   403,  403,  403, 200),
    ("POST", "industry_create", ""):                   (LOGIN, 302, 403, 403,  403,   403,  403,  403, 302),
    ("GET", "industry_edit", "own"):                   (LOGIN, 200, 403, 403,  403,   403,  403,  403, 404),
    ("POST", "industry_edit", "own"):                  (LOGIN, 302, 403, 403,  403,   403,  403,  403, 404),
    ("GET", "industry_edit", "unknown"):               (LOGIN, 404, 404, 404,  404,   404,  404,  404, 404),
}
SETTINGS_PAYLOADS = {
    "deadline_set": {"deadline": "۱۴۰۳/۰۲/۱۰"},
    "key_action_create": {"number": "۹۱", "title": "توسعه صادرات آزمونی"},
    "key_action_edit": {"number": "۹۲", "title": "اقدام ویرایش‌شده آزمونی"},
    "axis_create": {"number": "۹۱", "title": "محور آزمونی", "is_active": "on"},
    "axis_edit": {"number": "۹۲", "title": "محور ویرایش‌شده آزمونی", "is_active": "on"},
    "industry_create": {"title": "صنعت آزمونی"},
    "industry_edit": {"title": "صنعت ویرایش‌شده آزمونی", "is_active": "on"},
}


@pytest.fixture
def settings_target(province):  # type: ignore[no-untyped-def]
    def build(view: str, name: str) -> Any:
        if name == "unknown":
            return SimpleNamespace(pk=UNKNOWN_ID)
        secretariat = person("secretariat")
        if view.startswith("key_action"):
            return services.key_action_create(acting_user=secretariat, province=province,
                                              year=1403, number=90, title="اقدام بی‌استفاده آزمونی")
        if view.startswith("axis"):
            return services.axis_save(province=province, acting_user=secretariat, number=90,
                                      title="محور نمونه آزمونی")
        return services.industry_save(province=province, acting_user=secretariat,
                                      title="صنعت نمونه آزمونی", is_demo=True)

    return build


@pytest.mark.parametrize("target_name", sorted({key[2] for key in SETTINGS_MATRIX}))
def test_settings_pages_access(target_name, settings_target, other_province):  # type: ignore[no-untyped-def]
    """Every row of SETTINGS_MATRIX whose target is `target_name`, for every persona: each
    row's target is built once, each request runs in a savepoint rolled back afterwards."""
    personas = Personas()
    problems = []
    for (method, view, name), expected_row in SETTINGS_MATRIX.items():
        if name != target_name:
            continue
        with rolled_back():
            target = settings_target(view, target_name) if target_name else None
            url = reverse(f"plan:{view}", args=[target.pk] if target else [])
            answers = ask_everyone(personas, method, url,
                                   SETTINGS_PAYLOADS.get(view, {}) if method == "POST" else None)
        for answer, expected in zip(answers, expected_row, strict=True):
            problem = answer.status_problem(expected)
            # The outsider's province has no key actions to copy: refused with a message, no
            # change.
            changed = (method == "POST" and expected == 302
                       and not (view == "key_actions_copy" and answer.persona == "outsider"))
            if problem is None and bool(answer.written) != changed:
                problem = (f"wrote {answer.written} audit events, expected "
                           f"{'some' if changed else 'none'}")
            if problem:
                problems.append(f"{method} {url} ({view}, {target_name or '-'}) as "
                                f"{answer.persona}: {problem}")
    assert_no_problems(problems)


def test_a_person_without_any_role_gets_404(db, client_for):  # type: ignore[no-untyped-def]
    from jahesh.organisation import services as org

    org.person_create(acting_user=None, province=None, username="nobody", password=None)
    client = client_for("nobody")
    for view in ("programme_list", "programme_create", "submissions", "settings"):
        assert client.get(reverse(f"plan:{view}")).status_code == 404, view


def test_read_only_visitors_see_no_change_buttons(client_for, province):  # type: ignore[no-untyped-def]
    made = make_programme(province)
    detail = reverse("plan:programme_detail", args=[made.programme.pk])
    writes = [
        reverse("plan:programme_edit", args=[made.programme.pk]),
        reverse("plan:programme_submit", args=[made.programme.pk]),
        reverse("plan:project_create", args=[made.programme.pk]),
        reverse("plan:project_edit", args=[made.project.pk]),
        reverse("plan:indicator_edit", args=[made.indicator.pk]),
        reverse("plan:action_delete", args=[made.action.pk]),
    ]
    reporter_html = client_for("agri.reporter").get(detail).content.decode()
    assert all(url in reporter_html for url in writes)
    for persona in ("hq", "chamber", "secretariat", "evaluator"):
        html = client_for(persona).get(detail).content.decode()
        assert not any(url in html for url in writes), persona
    list_url = reverse("plan:programme_list")
    assert reverse("plan:programme_create") not in client_for("hq").get(list_url).content.decode()
    assert reverse("plan:programme_create") in client_for("agri.head").get(list_url).content.decode()
    settings_html = client_for("hq").get(reverse("plan:settings")).content.decode()
    assert reverse("plan:key_action_create") not in settings_html
    assert reverse("plan:key_action_create") in client_for("secretariat").get(
        reverse("plan:settings")).content.decode()


@pytest.mark.parametrize(
    ("persona", "links"),
    [
        ("secretariat", {"programme_list": True, "submissions": True, "settings": True}),
        ("hq", {"programme_list": True, "submissions": False, "settings": False}),
        ("agri.reporter", {"programme_list": True, "submissions": False, "settings": False}),
        ("evaluator", {"programme_list": True, "submissions": False, "settings": False}),
    ],
)
def test_the_menu_links(client_for, persona, links):  # type: ignore[no-untyped-def]
    html = client_for(persona).get(reverse("home")).content.decode()
    for view, shown in links.items():
        assert (f'href="{reverse(f"plan:{view}")}"' in html) == shown, view
