"""var/bench.json (sections merged into the existing file) and the printed tables."""

import json
import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    fmt: str = ""  # a format spec for numbers, e.g. ".1f"; None values print as "-"
    align: str = ">"


@dataclass
class SectionResult:
    """What one benchmark section returns: table rows, JSON figures, and how many failed."""

    title: str
    columns: Sequence[Column]
    rows: list[dict[str, Any]]
    figures: dict[str, Any]
    failures: int = 0
    notes: list[str] = field(default_factory=list)


def merge_sections(existing: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """The existing sections, with those in `new` replaced whole (sections are not deep-merged:
    a section's figures all come from one run)."""
    merged = dict(existing)
    merged.update(new)
    return merged


def write_sections(path: Path, new: Mapping[str, Any]) -> list[str]:
    """Merges `new` into the JSON object at `path` (created with its folder if missing) and
    writes it atomically. Returns warnings: a file that is not a JSON object is kept aside as
    `<name>.broken` rather than overwritten."""
    warnings: list[str] = []
    existing: dict[str, Any] = {}
    if path.exists():
        try:
            loaded = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            loaded = None
        if isinstance(loaded, dict):
            existing = loaded
        else:
            broken = path.with_name(path.name + ".broken")
            os.replace(path, broken)
            warnings.append(f"{path} was not a JSON object; kept it as {broken}.")
    merged = merge_sections(existing, new)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(merged, out, indent=2, ensure_ascii=False, sort_keys=True)
            out.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return warnings


def _cell(value: Any, fmt: str) -> str:
    if value is None:
        return "-"
    if fmt and isinstance(value, int | float) and not isinstance(value, bool):
        return format(value, fmt)
    return str(value)


def format_table(columns: Sequence[Column], rows: Sequence[Mapping[str, Any]]) -> str:
    cells = [[_cell(row.get(c.key), c.fmt) for c in columns] for row in rows]
    widths = [max([len(c.header)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]

    def line(values: Sequence[str], aligns: Sequence[str]) -> str:
        return "  ".join(
            format(v, f"{a}{w}") for v, a, w in zip(values, aligns, widths, strict=True)
        ).rstrip()

    aligns = [c.align for c in columns]
    out = [line([c.header for c in columns], aligns), line(["-" * w for w in widths], aligns)]
    out.extend(line(r, aligns) for r in cells)
    return "\n".join(out)


def format_section(name: str, result: SectionResult) -> str:
    parts = [f"== {name}: {result.title}", format_table(result.columns, result.rows)]
    parts.extend(result.notes)
    return "\n".join(parts)
