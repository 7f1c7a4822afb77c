"""Concurrent edits: detected by a version number, reported to the person, never overwritten."""

import copy
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

STALE_RECORD = _(
    "Someone else changed this record after you opened it. The form now shows their "
    "version; make your change again."
)


class StaleEdit(Exception):
    """Someone else saved this object after the editor opened it."""


def show_stale_edit(form: Any) -> None:
    """Put the stale-edit message on a fresh form that shows the other person's version."""
    # add_error() needs the cleaned_data that only validating a bound form creates.
    form.cleaned_data = {}
    form.add_error(None, STALE_RECORD)


def step_on_stale_page(form: Any, obj: Any, *, allowed: bool,
                       allows: Callable[[Any], bool]) -> bool:
    """Whether a workflow button was pressed on a page older than `obj` (its form posts the
    `version` and `state` the page showed) by someone whose step it was, now or as the page
    showed it: they are told the page was out of date rather than refused or acted on."""
    try:
        seen = int(form.data.get(form.add_prefix("version"), ""))
    except ValueError:
        return False
    if seen == obj.version:
        return False
    as_seen = copy.copy(obj)
    as_seen.state = form.data.get(form.add_prefix("state"), obj.state)
    return allowed or allows(as_seen)


def add_service_errors(form: Any, exc: ValidationError) -> None:
    """A service's ValidationError onto the form: next to the field it names, else on top."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)
