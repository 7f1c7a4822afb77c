"""Concurrent edits: detected by a version number, reported to the person, never overwritten."""

from typing import Any

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
