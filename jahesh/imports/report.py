"""The result of checking or applying an import: counts of what will be (or was) created,
changed and left alone, the changes listed, and every problem by sheet, row and column.

It is kept as JSON on the job (`as_dict` / `from_dict`) between the check and the apply."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from jahesh.core.persian import format_jalali_date, format_number, localize_digits

MAX_LISTED_CHANGES = 1_000
MAX_LISTED_PROBLEMS = 2_000


@dataclass
class Problem:
    sheet: str
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = []
        if self.sheet:
            where.append(_("sheet “%(sheet)s”") % {"sheet": self.sheet})
        if self.row:
            where.append(_("row %(row)s") % {"row": localize_digits(self.row)})
        if self.column:
            where.append(_("column “%(column)s”") % {"column": self.column})
        return f"{'، '.join(where)}: {self.message}" if where else self.message


@dataclass
class Change:
    action: str  # "create" or "change"
    what: str  # one of the report's `whats`
    row: int
    label: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (label, before, after)


@dataclass
class ImportReport:
    """`whats` names the kinds of things the import counts ("project", "unit", …)."""

    whats: tuple[str, ...] = ()
    rows: int = 0
    created: dict[str, int] = field(default_factory=dict)
    changed: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    applied: bool = False

    def __post_init__(self) -> None:
        self.whats = tuple(self.whats)
        for counts in (self.created, self.changed, self.unchanged):
            for what in self.whats:
                counts.setdefault(what, 0)

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    @property
    def has_changes(self) -> bool:
        return any(self.created.values()) or any(self.changed.values())

    def problem(self, sheet_name: str, row: int | None, column: str, message: str) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_LISTED_PROBLEMS:
            self.problems.append(Problem(sheet_name, row, column, message))

    def count(self, action: str, what: str) -> None:
        {"create": self.created, "change": self.changed, "keep": self.unchanged}[action][what] += 1

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["whats"] = list(self.whats)
        data["changes"] = data["changes"][:MAX_LISTED_CHANGES]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportReport:
        values = {k: v for k, v in data.items() if k not in ("changes", "problems", "whats")}
        # Reports stored before `whats` was kept list them as the keys of their counts.
        whats = tuple(data.get("whats") or data.get("created", {}).keys())
        report = cls(whats=whats, **values)
        report.changes = [Change(**c) for c in data.get("changes", [])]
        report.problems = [Problem(**p) for p in data.get("problems", [])]
        return report

    def lines(self, labels: dict[str, str] | None = None) -> list[str]:
        """A plain-text summary, for the command line; `labels` names the `whats`."""
        labels = labels or {}
        out = []
        for title, counts in ((_("Created"), self.created), (_("Changed"), self.changed),
                              (_("Left alone"), self.unchanged)):
            out.append(f"{title}: " + ", ".join(
                f"{labels.get(w, w)} {localize_digits(n)}" for w, n in counts.items()))
        for change in self.changes:
            verb = _("create") if change.action == "create" else _("change")
            details = "; ".join(f"{label}: {before} → {after}"
                                for label, before, after in change.fields)
            out.append(f"  [{localize_digits(change.row)}] {verb} {labels.get(change.what, change.what)} "
                       f"“{change.label}” {details}".rstrip())
        for problem in self.problems:
            out.append(f"  ! {problem}")
        if self.problem_count > len(self.problems):
            out.append(_("  … and %(n)s more problems.")
                       % {"n": localize_digits(self.problem_count - len(self.problems))})
        return out

    def iter_problems(self) -> Iterator[str]:
        for problem in self.problems:
            yield str(problem)


# --- Describing a change for the preview ------------------------------------------------------

def differs(current: Any, wanted: Any) -> bool:
    """Whether saving `wanted` over `current` changes anything (blank equals blank, related
    objects compare by id)."""
    if hasattr(current, "pk") or hasattr(wanted, "pk"):
        return getattr(current, "pk", None) != getattr(wanted, "pk", None)
    if current in (None, "") and wanted in (None, ""):
        return False
    return bool(current != wanted)


def shown(model: Any, name: str, value: Any) -> str:
    """A field's value as the preview shows it."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, date):
        return format_jalali_date(value)
    if isinstance(value, Decimal):
        return format_number(value.normalize() if value == value.to_integral_value()
                             else value.normalize())
    if isinstance(value, int):
        return format_number(value)
    if hasattr(value, "pk"):
        return str(value)
    field_ = model._meta.get_field(name)
    if field_.choices:
        return str(dict(field_.choices).get(value, value))
    return str(value)


def describe(model: Any, before: dict[str, Any],
             after: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(label, before, after) for each field of `after`; before is "" for a new object."""
    out = []
    for name, value in after.items():
        label = str(model._meta.get_field(name).verbose_name)
        out.append((label, shown(model, name, before[name]) if name in before else "",
                    shown(model, name, value)))
    return out
