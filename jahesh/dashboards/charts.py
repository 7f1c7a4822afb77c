"""Charts drawn on the server: SVG for the marks, HTML for the words.

No JavaScript library and nothing from the network: a chart is a small SVG (lines, bars,
markers; no text) inside an HTML frame that carries every word and number (axis labels, the
legend, the data table). The split is deliberate: WeasyPrint lays SVG text out letter by letter,
so Persian in an SVG <text> comes out unjoined and backwards in the PDF, while HTML text is
shaped by Pango like the rest of the page. So the same chart looks the same on screen, on paper
and in the PDF.

Right to left: in Persian the first month (Farvardin) is on the right and bars grow from the
right; in English everything is mirrored. The direction follows the active language, like the
page the chart sits in, so the HTML labels (laid out by the page's own direction) and the SVG
marks (placed here) always agree. Numbers use the language's digits (Persian digits in fa).

Nothing relies on colour alone: series differ by dash and marker shape, statuses by fill
pattern, every chart has a legend, and every chart carries its numbers as a table
(`Chart.table`), shown under it on screen and in print. All text is escaped: words are given
to the templates (autoescaped), and the SVG's own <title>/<desc> go through `escape`.

Geometry is in viewBox units. A line chart's SVG keeps its aspect ratio, so its markers stay
round; bars stretch horizontally to the width they are given.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from jahesh.core.persian import format_number, jalali_month_name, localize_digits

Number = Decimal | int | float

# --- Geometry of a line chart (viewBox units) ----------------------------------------------
WIDTH = 600
HEIGHT = 250
PAD = 10  # above the top gridline and below the bottom one, so markers are never clipped
TICKS = 5  # gridlines 0, ¼, ½, ¾, 1 of the scale; templates place labels with .jh-tick-N
# Bars: a row's SVG, stretched to its cell's width.
BAR_WIDTH = 300
BAR_HEIGHT = 14
STACK_WIDTH = 600
STACK_HEIGHT = 28

# --- Looks -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineStyle:
    stroke: str
    dash: str  # stroke-dasharray, "" for solid
    marker: str  # circle, square, diamond, triangle
    filled: bool  # a filled or a hollow marker
    width: float = 2.5


LINE_STYLES: dict[str, LineStyle] = {
    "actual": LineStyle("#0b5d4b", "", "circle", True, 3),
    "planned": LineStyle("#5d6b66", "7 5", "square", False),
    "share": LineStyle("#a8781c", "2 4", "diamond", True),
    "other": LineStyle("#2a6fb0", "10 3 2 3", "triangle", True),
}

# Status fills: a colour and a pattern, so they differ in grey print too.
STATUS_COLOURS = {
    "on_track": "#1e7b5a",
    "at_risk": "#c9962b",
    "off_track": "#b02a37",
    "no_report": "#c3ccc8",
}
STATUS_PATTERN = {"on_track": "", "at_risk": "stripes", "off_track": "cross",
                  "no_report": "dots"}
# The order in which statuses are stacked and listed.
STATUS_ORDER = ("on_track", "at_risk", "off_track", "no_report")


# --- Numbers ---------------------------------------------------------------------------------

def _active_rtl(rtl: bool | None) -> bool:
    return translation.get_language_bidi() if rtl is None else rtl


def _decimal(value: Number) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def round_for_display(value: Number) -> Decimal:
    """Whole numbers from 100 up, one decimal below (and no trailing '.0')."""
    number = _decimal(value)
    places = Decimal(1) if abs(number) >= 100 else Decimal("0.1")
    rounded = number.quantize(places, rounding=ROUND_HALF_UP)
    if rounded == rounded.to_integral_value():
        rounded = rounded.quantize(Decimal(1))
    return rounded


def format_value(value: Number | None, *, percent: bool = False, lang: str | None = None) -> str:
    """'۸۵٫۵٪' / '85.5%' for a percent, '۱۲٬۵۰۰' / '12,500' for a quantity, '—' for None."""
    if value is None:
        return "—"
    text = format_number(round_for_display(value), lang)
    if not percent:
        return text
    persian = (lang or translation.get_language() or "").startswith("fa")
    return f"{text}٪" if persian else f"{text}%"


def nice_scale(low: Number, high: Number, intervals: int = TICKS - 1) -> tuple[Decimal, Decimal]:
    """A range [low, high] widened to `intervals` equal steps of 1, 2, 2.5 or 5 × 10ⁿ."""
    lo, hi = _decimal(low), _decimal(high)
    if lo > 0:
        lo = Decimal(0)
    if hi <= lo:
        hi = lo + intervals
    raw = (hi - lo) / intervals
    magnitude = Decimal(10) ** (raw.adjusted())
    for factor in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10)):
        step = factor * magnitude
        if step >= raw:
            break
    if lo < 0:
        lo = (lo / step).to_integral_value(rounding=ROUND_FLOOR) * step
    # The top may need one more step when the bottom moved down.
    while lo + step * intervals < hi:
        step = step * 2
    return lo, lo + step * intervals


def x_position(index: int, count: int, rtl: bool, width: float = WIDTH) -> float:
    """The centre of band `index` (0-based) of `count` equal bands; from the right in RTL."""
    band = width / max(count, 1)
    x = band * (index + 0.5)
    return round(width - x if rtl else x, 2)


def y_position(value: Number, low: Decimal, high: Decimal, height: float = HEIGHT,
               pad: float = PAD) -> float:
    span = float(high - low) or 1.0
    usable = height - 2 * pad
    return round(height - pad - (float(_decimal(value) - low) / span) * usable, 2)


def bar_extent(value: Number, scale_max: Number, rtl: bool,
               width: float = BAR_WIDTH) -> tuple[float, float]:
    """(x, width) of a bar from the reading side: from the right edge in RTL."""
    share = max(0.0, min(float(_decimal(value)) / float(_decimal(scale_max) or 1), 1.0))
    length = round(width * share, 2)
    return (round(width - length, 2) if rtl else 0.0), length


# --- What templates get ----------------------------------------------------------------------

@dataclass(frozen=True)
class Series:
    """A line: one value per category (None where there is no value; the line breaks there)."""

    label: str
    values: Sequence[Number | None]
    style: str = "actual"


@dataclass(frozen=True)
class Bar:
    """One horizontal bar: `value` against `planned` (100 for a percent of plan)."""

    label: str
    value: Number | None
    planned: Number = 100
    status: str = ""
    status_label: str = ""
    href: str = ""
    note: str = ""  # a short text after the value (e.g. a rank or a count)


@dataclass(frozen=True)
class Part:
    """A part of a stacked bar: a status (or any key of STATUS_COLOURS) and its count."""

    key: str
    label: str
    value: int


@dataclass(frozen=True)
class Tick:
    label: str
    position: int  # 0 (bottom) … TICKS-1 (top): the template's .jh-tick-N class


@dataclass(frozen=True)
class XLabel:
    text: str  # in full, for the table
    short: str  # for the narrowest charts
    highlight: bool = False
    display: str = ""  # under the chart, when it differs from `text`

    @property
    def shown(self) -> str:
        return self.display or self.text


@dataclass(frozen=True)
class LegendItem:
    label: str
    swatch: SafeString
    value: str = ""


@dataclass(frozen=True)
class BarRow:
    label: str
    href: str
    value_text: str
    status: str
    status_label: str
    note: str
    svg: SafeString


@dataclass
class Table:
    """A chart's numbers as a table: its accessible and printable equivalent."""

    caption: str
    columns: list[str]
    rows: list[list[str]]


@dataclass
class Chart:
    kind: str  # line, bars, stack
    ident: str
    title: str
    desc: str
    rtl: bool
    table: Table
    svg: SafeString = mark_safe("")
    legend: list[LegendItem] = field(default_factory=list)
    x_labels: list[XLabel] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    y_sizer: str = ""  # the widest tick label, which sizes the axis gutter
    rows: list[BarRow] = field(default_factory=list)
    empty: bool = False
    empty_text: str = ""
    # For tests and for the PDF: each series' points in viewBox units (None where no value).
    points: dict[str, list[tuple[float, float] | None]] = field(default_factory=dict)
    scale: tuple[Decimal, Decimal] = (Decimal(0), Decimal(100))
    # Whether the figures table goes with the chart (off where the page shows them already).
    with_table: bool = True

    @property
    def template(self) -> str:
        return f"dashboards/charts/{self.kind}.html"

    def render(self, *, pdf: bool = False) -> SafeString:
        """The chart's HTML; for the PDF its table is printed open instead of folded."""
        return mark_safe(  # noqa: S308 - an autoescaped template
            render_to_string(self.template, {"chart": self, "pdf": pdf}))

    @property
    def pdf(self) -> SafeString:
        return self.render(pdf=True)

    def __html__(self) -> str:
        return self.render()

    def __str__(self) -> str:
        return self.render()


def _ident(kind: str, title: str, ident: str) -> str:
    if ident:
        return ident
    digest = hashlib.sha1(f"{kind}:{title}".encode(), usedforsecurity=False).hexdigest()[:8]
    return f"jh-chart-{digest}"


def _svg_open(ident: str, title: str, desc: str, view_box: str, css_class: str,
              preserve: str = "") -> str:
    aspect = f' preserveAspectRatio="{preserve}"' if preserve else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}" viewBox="{view_box}"'
        f'{aspect} role="img" aria-labelledby="{ident}-t {ident}-d" focusable="false">'
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(desc)}</desc>'
    )


def _marker(shape: str, x: float, y: float, colour: str, filled: bool, size: float = 4.5) -> str:
    fill = colour if filled else "#ffffff"
    common = f'fill="{fill}" stroke="{colour}" stroke-width="2"'
    if shape == "square":
        s = size * 0.9
        return f'<rect x="{x - s:.2f}" y="{y - s:.2f}" width="{2 * s:.2f}" height="{2 * s:.2f}" {common}/>'
    if shape == "diamond":
        s = size * 1.25
        return (f'<polygon points="{x:.2f},{y - s:.2f} {x + s:.2f},{y:.2f} {x:.2f},{y + s:.2f} '
                f'{x - s:.2f},{y:.2f}" {common}/>')
    if shape == "triangle":
        s = size * 1.2
        return (f'<polygon points="{x:.2f},{y - s:.2f} {x + s:.2f},{y + s * 0.8:.2f} '
                f'{x - s:.2f},{y + s * 0.8:.2f}" {common}/>')
    return f'<circle cx="{x:.2f}" cy="{y:.2f}" r="{size:.2f}" {common}/>'


def _line_swatch(style: LineStyle) -> SafeString:
    dash = f' stroke-dasharray="{style.dash}"' if style.dash else ""
    return mark_safe(  # noqa: S308 - built from constants only
        '<svg xmlns="http://www.w3.org/2000/svg" class="jh-swatch jh-swatch-line" '
        'viewBox="0 0 36 14" aria-hidden="true" focusable="false">'
        f'<line x1="1" y1="7" x2="35" y2="7" stroke="{style.stroke}" '
        f'stroke-width="{style.width}"{dash}/>'
        f'{_marker(style.marker, 18, 7, style.stroke, style.filled, 3.5)}</svg>'
    )


def _patterns(ident: str, statuses: Iterable[str] = STATUS_ORDER) -> str:
    """The fill patterns of `statuses`, with ids private to one SVG."""
    white = "#ffffff"
    defs = {
        "stripes": (
            f'<pattern id="{ident}-stripes" width="6" height="6" patternUnits="userSpaceOnUse" '
            f'patternTransform="rotate(45)"><rect width="6" height="6" '
            f'fill="{STATUS_COLOURS["at_risk"]}"/><rect width="2" height="6" fill="{white}" '
            'fill-opacity="0.55"/></pattern>'
        ),
        "cross": (
            f'<pattern id="{ident}-cross" width="6" height="6" patternUnits="userSpaceOnUse">'
            f'<rect width="6" height="6" fill="{STATUS_COLOURS["off_track"]}"/>'
            f'<path d="M0 0L6 6M6 0L0 6" stroke="{white}" stroke-opacity="0.6" '
            'stroke-width="1.2"/></pattern>'
        ),
        "dots": (
            f'<pattern id="{ident}-dots" width="5" height="5" patternUnits="userSpaceOnUse">'
            '<rect width="5" height="5" fill="#eef1f0"/><circle cx="2.5" cy="2.5" r="1" '
            'fill="#6b7a74"/></pattern>'
        ),
    }
    wanted = {STATUS_PATTERN.get(status, "") for status in statuses} - {""}
    if not wanted:
        return ""
    return "<defs>" + "".join(defs[name] for name in defs if name in wanted) + "</defs>"


def _status_fill(ident: str, status: str) -> str:
    pattern = STATUS_PATTERN.get(status, "")
    if pattern:
        return f"url(#{ident}-{pattern})"
    return STATUS_COLOURS.get(status, LINE_STYLES["actual"].stroke)


def status_swatch(status: str, prefix: str = "jh-sw") -> SafeString:
    """A small square filled like `status` in the charts, for legends and tables. `prefix`
    keeps its pattern's id unique in the page (one per chart)."""
    ident = f"{prefix}-{status}"
    return mark_safe(  # noqa: S308 - built from constants only
        '<svg xmlns="http://www.w3.org/2000/svg" class="jh-swatch" viewBox="0 0 14 14" '
        f'aria-hidden="true" focusable="false">{_patterns(ident, [status])}'
        f'<rect x="0.5" y="0.5" width="13" height="13" rx="2" fill="{_status_fill(ident, status)}" '
        'stroke="#5d6b66" stroke-width="0.8"/></svg>'
    )


def month_labels(lang: str | None = None, highlight: int | None = None) -> list[XLabel]:
    """The twelve Jalali months, Farvardin first, with their numbers for narrow screens. The
    transliterated names are long, so English shows their first three letters under a chart."""
    persian = (lang or translation.get_language() or "").startswith("fa")
    labels = []
    for m in range(1, 13):
        name = jalali_month_name(m, lang)
        labels.append(XLabel(name, localize_digits(m, lang), m == highlight,
                             "" if persian else name[:3]))
    return labels


# --- Line chart ------------------------------------------------------------------------------

def line_chart(
    *,
    title: str,
    labels: Sequence[XLabel] | Sequence[str],
    series: Sequence[Series],
    percent: bool = False,
    desc: str = "",
    label_heading: str = "",
    ident: str = "",
    lang: str | None = None,
    rtl: bool | None = None,
    min_max: Number | None = None,
) -> Chart:
    """Lines over categories (months): several series, gaps where a value is missing.

    The scale starts at 0 (or below, for negative values) and ends at a round number at or
    above the highest value (and at or above `min_max`: 100 for a percent chart).
    """
    rtl = _active_rtl(rtl)
    x_labels = [label if isinstance(label, XLabel) else XLabel(label, label) for label in labels]
    count = len(x_labels)
    ident = _ident("line", title, ident)
    values = [_decimal(v) for s in series for v in s.values if v is not None]
    empty_text = _("No figures yet.")
    table = Table(
        caption=title,
        columns=[label_heading or _("Month"), *[s.label for s in series]],
        rows=[[x.text, *[format_value(s.values[i] if i < len(s.values) else None,
                                      percent=percent, lang=lang) for s in series]]
              for i, x in enumerate(x_labels)],
    )
    legend = [LegendItem(s.label, _line_swatch(LINE_STYLES.get(s.style, LINE_STYLES["other"])))
              for s in series]
    top = max([*values, _decimal(min_max if min_max is not None else (100 if percent else 0))])
    low, high = nice_scale(min([*values, Decimal(0)]), top)
    chart = Chart(kind="line", ident=ident, title=title, desc=desc or title, rtl=rtl,
                  table=table, legend=legend, x_labels=x_labels, empty=not values,
                  empty_text=empty_text, scale=(low, high))
    step = (high - low) / (TICKS - 1)
    chart.y_ticks = [Tick(format_value(low + step * i, percent=percent, lang=lang), i)
                     for i in range(TICKS)]
    chart.y_sizer = max((t.label for t in chart.y_ticks), key=len)

    parts = [_svg_open(ident, title, chart.desc, f"0 0 {WIDTH} {HEIGHT}", "jh-chart-svg")]
    band = WIDTH / max(count, 1)
    for i, label in enumerate(x_labels):
        if label.highlight:
            x = x_position(i, count, rtl) - band / 2
            parts.append(f'<rect class="jh-chart-highlight" x="{x:.2f}" y="0" '
                         f'width="{band:.2f}" height="{HEIGHT}" fill="#f7eedb"/>')
    for tick in range(TICKS):
        y = y_position(low + step * tick, low, high)
        colour = "#9aa8a2" if tick == 0 else "#e1e7e4"
        parts.append(f'<line x1="0" y1="{y}" x2="{WIDTH}" y2="{y}" stroke="{colour}" '
                     'stroke-width="1"/>')
    if percent and low < 100 < high:
        y = y_position(100, low, high)
        parts.append(f'<line x1="0" y1="{y}" x2="{WIDTH}" y2="{y}" stroke="#9aa8a2" '
                     'stroke-width="1" stroke-dasharray="2 3"/>')
    for s in series:
        style = LINE_STYLES.get(s.style, LINE_STYLES["other"])
        points: list[tuple[float, float] | None] = []
        for i in range(count):
            v = s.values[i] if i < len(s.values) else None
            points.append(None if v is None else
                          (x_position(i, count, rtl), y_position(v, low, high)))
        chart.points[s.label] = points
        dash = f' stroke-dasharray="{style.dash}"' if style.dash else ""
        for run in _runs(points):
            if len(run) > 1:
                d = "M" + " L".join(f"{x:.2f} {y:.2f}" for x, y in run)
                parts.append(f'<path d="{d}" fill="none" stroke="{style.stroke}" '
                             f'stroke-width="{style.width}" stroke-linejoin="round"{dash}/>')
        parts.extend(_marker(style.marker, x, y, style.stroke, style.filled)
                     for x, y in (p for p in points if p is not None))
    parts.append("</svg>")
    chart.svg = mark_safe("".join(parts))  # noqa: S308 - numbers and escaped text only
    return chart


def _runs(points: Iterable[tuple[float, float] | None]) -> list[list[tuple[float, float]]]:
    runs: list[list[tuple[float, float]]] = [[]]
    for point in points:
        if point is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append(point)
    return [run for run in runs if run]


# --- Horizontal bars -------------------------------------------------------------------------

def bar_chart(
    *,
    title: str,
    bars: Sequence[Bar],
    percent: bool = True,
    desc: str = "",
    label_heading: str = "",
    value_heading: str = "",
    planned_label: str = "",
    ident: str = "",
    lang: str | None = None,
    rtl: bool | None = None,
) -> Chart:
    """One row per item: its label, a bar of its value against its plan, the value in words.

    The pale track is the plan (100% of the trajectory to date for a percent); the bar is what
    was achieved, filled by status; a value above the plan stretches the scale and a mark shows
    where the plan ends.
    """
    rtl = _active_rtl(rtl)
    ident = _ident("bars", title, ident)
    scale_max = max([_decimal(b.planned) for b in bars]
                    + [_decimal(b.value) for b in bars if b.value is not None] or [Decimal(100)])
    has_status = any(b.status for b in bars)
    planned_label = planned_label or (
        _("Planned to date (%(hundred)s)") % {"hundred": format_value(100, percent=True,
                                                                      lang=lang)}
        if percent else _("Planned"))
    rows = []
    for position, bar in enumerate(bars):
        row_ident = f"{ident}-{position}"
        track_x, track_w = bar_extent(bar.planned, scale_max, rtl)
        parts = [
            '<svg xmlns="http://www.w3.org/2000/svg" class="jh-bar-svg" '
            f'viewBox="0 0 {BAR_WIDTH} {BAR_HEIGHT}" preserveAspectRatio="none" '
            'aria-hidden="true" focusable="false">',
            _patterns(row_ident, [bar.status]),
            f'<rect x="{track_x}" y="1" width="{track_w}" height="{BAR_HEIGHT - 2}" '
            'fill="#eef3f1" stroke="#b8c4bf" stroke-width="0.8" stroke-dasharray="3 2"/>',
        ]
        if bar.value is not None:
            x, w = bar_extent(bar.value, scale_max, rtl)
            fill = _status_fill(row_ident, bar.status) if bar.status else LINE_STYLES["actual"].stroke
            parts.append(f'<rect x="{x}" y="2.5" width="{w}" height="{BAR_HEIGHT - 5}" '
                         f'fill="{fill}"/>')
        if scale_max > _decimal(bar.planned):
            edge = track_x if rtl else track_x + track_w
            parts.append(f'<rect x="{max(edge - 0.75, 0)}" y="0" width="1.5" '
                         f'height="{BAR_HEIGHT}" fill="#1d2a26"/>')
        parts.append("</svg>")
        rows.append(BarRow(
            label=bar.label, href=bar.href,
            value_text=format_value(bar.value, percent=percent, lang=lang),
            status=bar.status, status_label=bar.status_label, note=bar.note,
            svg=mark_safe("".join(parts)),  # noqa: S308 - numbers only
        ))
    columns = [label_heading or _("Item"), value_heading or (_("Achieved") if percent
                                                              else _("Value"))]
    if has_status:
        columns.append(_("Status"))
    table_rows = []
    for bar in bars:
        cells = [bar.label, format_value(bar.value, percent=percent, lang=lang)]
        if has_status:
            cells.append(bar.status_label)
        table_rows.append(cells)
    legend = [LegendItem(planned_label, _track_swatch())]
    if has_status:
        seen = {b.status: b.status_label for b in bars if b.status}
        legend += [LegendItem(seen[s], status_swatch(s, f"{ident}-lg"))
                   for s in STATUS_ORDER if s in seen]
    else:
        legend.append(LegendItem(_("Achieved"), status_swatch("on_track", f"{ident}-lg")))
    return Chart(
        kind="bars", ident=ident, title=title, desc=desc or title, rtl=rtl,
        table=Table(caption=title, columns=columns, rows=table_rows), legend=legend,
        rows=rows, empty=not bars, empty_text=_("Nothing to show yet."),
        scale=(Decimal(0), scale_max),
    )


def _track_swatch() -> SafeString:
    return mark_safe(  # noqa: S308 - constants only
        '<svg xmlns="http://www.w3.org/2000/svg" class="jh-swatch" viewBox="0 0 14 14" '
        'aria-hidden="true" focusable="false"><rect x="0.5" y="0.5" width="13" height="13" '
        'rx="2" fill="#eef3f1" stroke="#8b9993" stroke-width="0.8" stroke-dasharray="3 2"/></svg>'
    )


# --- Stacked bar (a distribution) ------------------------------------------------------------

def stacked_bar(
    *,
    title: str,
    parts: Sequence[Part],
    desc: str = "",
    label_heading: str = "",
    ident: str = "",
    lang: str | None = None,
    rtl: bool | None = None,
) -> Chart:
    """One bar split into parts by count (e.g. projects by status), with counts and shares."""
    rtl = _active_rtl(rtl)
    ident = _ident("stack", title, ident)
    total = sum(max(p.value, 0) for p in parts)
    svg = [_svg_open(ident, title, desc or title, f"0 0 {STACK_WIDTH} {STACK_HEIGHT}",
                     "jh-stack-svg", "none"), _patterns(ident, [p.key for p in parts])]
    legend, rows = [], []
    offset = 0.0
    for part in parts:
        share = (Decimal(part.value) * 100 / total) if total else Decimal(0)
        share_text = format_value(share, percent=True, lang=lang)
        count_text = format_number(part.value, lang)
        legend.append(LegendItem(part.label, status_swatch(part.key, f"{ident}-lg"),
                                 f"{count_text} ({share_text})"))
        rows.append([part.label, count_text, share_text])
        if total and part.value > 0:
            width = STACK_WIDTH * part.value / total
            x = STACK_WIDTH - offset - width if rtl else offset
            svg.append(f'<rect x="{x:.2f}" y="0" width="{width:.2f}" height="{STACK_HEIGHT}" '
                       f'fill="{_status_fill(ident, part.key)}" stroke="#ffffff" '
                       'stroke-width="1.5"/>')
            offset += width
    if not total:
        svg.append(f'<rect x="0" y="0" width="{STACK_WIDTH}" height="{STACK_HEIGHT}" '
                   'fill="#f3f5f4" stroke="#c3ccc8" stroke-dasharray="4 3"/>')
    svg.append("</svg>")
    return Chart(
        kind="stack", ident=ident, title=title, desc=desc or title, rtl=rtl,
        table=Table(caption=title, columns=[label_heading or _("Status"), _("Count"),
                                            _("Share")], rows=rows),
        svg=mark_safe("".join(svg)),  # noqa: S308 - numbers and escaped text only
        legend=legend, empty=not total, empty_text=_("Nothing to show yet."),
        scale=(Decimal(0), Decimal(total)),
    )


# --- Sparkline -------------------------------------------------------------------------------

def sparkline(values: Sequence[Number | None], *, high: Number = 100,
              rtl: bool | None = None) -> SafeString:
    """A tiny line of values (0 … `high`) for a table cell; decorative (aria-hidden), so the
    cell must also say the figure in words."""
    rtl = _active_rtl(rtl)
    count = len(values)
    top = max([_decimal(high), *[_decimal(v) for v in values if v is not None]])
    points = [None if v is None else
              (x_position(i, count, rtl, 100), y_position(v, Decimal(0), top, 24, 2))
              for i, v in enumerate(values)]
    paths = "".join(
        f'<path d="M{" L".join(f"{x:.2f} {y:.2f}" for x, y in run)}" fill="none" '
        'stroke="#0b5d4b" stroke-width="1.5" vector-effect="non-scaling-stroke"/>'
        for run in _runs(points) if len(run) > 1
    )
    return mark_safe(  # noqa: S308 - numbers only
        '<svg xmlns="http://www.w3.org/2000/svg" class="jh-spark" viewBox="0 0 100 24" '
        f'preserveAspectRatio="none" aria-hidden="true" focusable="false">{paths}</svg>'
    )
