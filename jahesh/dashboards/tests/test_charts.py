"""The charts: marks placed right to left in Persian and mirrored in English, labels in the
language's digits with Jalali month names, values scaled onto the axis, gaps and empty data,
text escaped, and nothing that means something by colour alone."""

import re
from decimal import Decimal

import pytest
from django.utils import translation

from jahesh.dashboards import charts
from jahesh.dashboards.charts import Bar, Part, Series

PERSIAN_DIGIT = re.compile("[\u06f0-\u06f9]")
LATIN_DIGIT = re.compile("[0-9]")


@pytest.fixture
def fa():
    with translation.override("fa"):
        yield


@pytest.fixture
def en():
    with translation.override("en"):
        yield


def trend(values, **kwargs):
    return charts.line_chart(title="روند", labels=charts.month_labels(),
                             series=[Series("پیشرفت", values)], percent=True, **kwargs)


# --- Scale and positions -------------------------------------------------------------------

@pytest.mark.parametrize(("low", "high", "expected"), [
    (0, 100, (0, 100)),
    (0, 87, (0, 100)),
    (0, 101, (0, 200)),  # four steps of 50
    (0, 7, (0, 8)),
    (0, 0, (0, 4)),  # nothing yet: a scale anyway
    (0, Decimal("0.3"), (0, Decimal("0.4"))),
    (0, 1234, (0, 2000)),
    (-10, 40, (-20, 60)),
    (35, 90, (0, 100)),  # a scale starts at zero
])
def test_nice_scale_has_four_round_steps(low, high, expected):
    lo, hi = charts.nice_scale(low, high)
    assert (lo, hi) == tuple(Decimal(v) for v in expected)
    assert lo <= min(low, 0) and hi >= high


def test_positions_are_mirrored_in_right_to_left():
    assert charts.x_position(0, 12, rtl=False) == 25
    assert charts.x_position(0, 12, rtl=True) == 575
    assert charts.x_position(11, 12, rtl=True) == 25
    assert charts.bar_extent(25, 100, rtl=False) == (0.0, 75.0)
    assert charts.bar_extent(25, 100, rtl=True) == (225.0, 75.0)  # grows from the right edge
    assert charts.bar_extent(150, 100, rtl=True) == (0.0, 300.0)  # capped at the scale


def test_values_are_scaled_onto_the_axis(fa):
    chart = trend([Decimal(0), Decimal(50), Decimal(100)])
    assert chart.scale == (Decimal(0), Decimal(100))
    first, half, full = chart.points["پیشرفت"][:3]
    assert first[1] == charts.HEIGHT - charts.PAD  # 0 on the bottom gridline
    assert half[1] == charts.HEIGHT / 2  # 50 halfway
    assert full[1] == charts.PAD  # 100 on the top gridline
    assert chart.points["پیشرفت"][3:] == [None] * 9


def test_first_month_is_on_the_right_in_persian_and_on_the_left_in_english():
    with translation.override("fa"):
        fa_points = trend([Decimal(10), Decimal(20)]).points["پیشرفت"]
    with translation.override("en"):
        en_points = trend([Decimal(10), Decimal(20)]).points["پیشرفت"]
    assert fa_points[0][0] > fa_points[1][0]  # Farvardin right of Ordibehesht
    assert en_points[0][0] < en_points[1][0]
    assert fa_points[0][0] == charts.WIDTH - en_points[0][0]
    assert fa_points[0][1] == en_points[0][1]


def test_persian_labels_have_persian_digits_and_jalali_month_names(fa):
    chart = trend([Decimal("92.5"), None, Decimal(40)])
    html = chart.render()
    assert [t.label for t in chart.y_ticks] == ["۰٪", "۲۵٪", "۵۰٪", "۷۵٪", "۱۰۰٪"]
    assert [x.text for x in chart.x_labels][:3] == ["فروردین", "اردیبهشت", "خرداد"]
    assert chart.x_labels[-1].text == "اسفند" and chart.x_labels[-1].short == "۱۲"
    assert chart.table.rows[0] == ["فروردین", "۹۲٫۵٪"]
    assert chart.table.rows[1] == ["اردیبهشت", "—"]
    text = re.sub(r"<svg.*?</svg>", "", html, flags=re.S)  # the words, not the geometry
    text = re.sub(r"<[^>]+>", " ", text)
    assert PERSIAN_DIGIT.search(text)
    assert not LATIN_DIGIT.search(text), text


def test_english_labels_have_latin_digits(en):
    chart = trend([Decimal("92.5")])
    assert [t.label for t in chart.y_ticks] == ["0%", "25%", "50%", "75%", "100%"]
    assert chart.x_labels[0].text == "Farvardin"
    assert chart.table.rows[0] == ["Farvardin", "92.5%"]


def test_a_missing_month_breaks_the_line(fa):
    chart = trend([Decimal(10), Decimal(20), None, Decimal(40), Decimal(50)])
    assert chart.svg.count("<path") == 2
    assert chart.svg.count("<circle") == 4  # a marker on every value, even a lone one


def test_the_current_month_is_highlighted(fa):
    chart = charts.line_chart(title="t", labels=charts.month_labels(highlight=5),
                              series=[Series("s", [Decimal(1)] * 5)])
    assert [x.highlight for x in chart.x_labels].count(True) == 1
    assert chart.x_labels[4].highlight
    assert 'class="jh-chart-highlight"' in chart.svg


def test_series_differ_by_dash_and_marker_not_only_colour(fa):
    chart = charts.line_chart(title="t", labels=charts.month_labels(), series=[
        Series("برنامه", [Decimal(10), Decimal(20)], "planned"),
        Series("واقعی", [Decimal(5), Decimal(15)], "actual"),
    ])
    assert 'stroke-dasharray="7 5"' in chart.svg  # the plan is dashed
    assert "<rect" in chart.legend[0].swatch and "<circle" in chart.legend[1].swatch
    assert [item.label for item in chart.legend] == ["برنامه", "واقعی"]


def test_empty_data_says_so_instead_of_drawing(fa):
    chart = trend([None, None])
    assert chart.empty
    html = chart.render()
    assert "jh-chart-empty" in html and "<svg" not in html
    assert charts.line_chart(title="t", labels=[], series=[]).empty


def test_text_is_escaped_everywhere(fa):
    evil = '<script>alert("x")</script>'
    chart = charts.line_chart(title=evil, desc=evil, labels=[evil],
                              series=[Series(evil, [Decimal(1)])])
    bars = charts.bar_chart(title=evil, bars=[Bar(evil, Decimal(5), href="/x", note=evil)])
    stack = charts.stacked_bar(title=evil, parts=[Part("on_track", evil, 3)])
    for html in (chart.render(), bars.render(), stack.render(), chart.pdf):
        assert "<script>" not in html
        assert "&lt;script&gt;" in html


def test_the_svg_has_a_title_and_description_for_screen_readers(fa):
    chart = trend([Decimal(1)], desc="توضیح")
    assert 'role="img"' in chart.svg
    assert f'aria-labelledby="{chart.ident}-t {chart.ident}-d"' in chart.svg
    assert "<title" in chart.svg and "<desc" in chart.svg and "توضیح" in chart.svg


def test_no_words_are_drawn_inside_the_svg(fa):
    # WeasyPrint lays SVG text out letter by letter (unjoined, backwards Persian): words go in
    # the HTML around the SVG.
    chart = trend([Decimal(1)])
    assert "<text" not in chart.svg
    assert "<text" not in charts.bar_chart(title="t", bars=[Bar("x", 3)]).render()


# --- Bars ----------------------------------------------------------------------------------

def test_bars_scale_to_the_plan_and_carry_their_status_in_words(fa):
    chart = charts.bar_chart(title="اقدامات", bars=[
        Bar("یک", Decimal(50), status="at_risk", status_label="در معرض خطر"),
        Bar("دو", None, status="no_report", status_label="بدون گزارش"),
    ])
    first, second = chart.rows
    assert first.value_text == "۵۰٪" and first.status_label == "در معرض خطر"
    assert second.value_text == "—"
    # RTL: the achieved half grows from the right edge: x = 150, width 150 of 300.
    assert '<rect x="150.0" y="2.5" width="150.0"' in first.svg
    assert "url(#jh-chart-" in first.svg  # at risk is striped, not only amber
    assert chart.table.columns[-1] and chart.table.rows[0] == ["یک", "۵۰٪", "در معرض خطر"]
    assert [item.label for item in chart.legend][1:] == ["در معرض خطر", "بدون گزارش"]


def test_a_value_beyond_the_plan_stretches_the_scale_and_marks_the_plan(en):
    chart = charts.bar_chart(title="t", bars=[Bar("a", Decimal(200)), Bar("b", Decimal(50))])
    assert chart.scale == (Decimal(0), Decimal(200))
    a, b = chart.rows
    assert '<rect x="0.0" y="2.5" width="300.0"' in a.svg
    assert '<rect x="0.0" y="2.5" width="75.0"' in b.svg
    assert 'fill="#1d2a26"' in b.svg  # where the plan (100%) ends


def test_no_bars(fa):
    chart = charts.bar_chart(title="t", bars=[])
    assert chart.empty and "jh-chart-empty" in chart.render()


# --- Stacked bar ---------------------------------------------------------------------------

def test_stacked_parts_share_the_width_from_the_right(fa):
    chart = charts.stacked_bar(title="وضعیت", parts=[
        Part("on_track", "در مسیر", 3), Part("at_risk", "در معرض خطر", 1),
        Part("off_track", "عقب", 0), Part("no_report", "بدون گزارش", 4),
    ])
    assert '<rect x="375.00" y="0" width="225.00"' in chart.svg  # 3/8 from the right
    assert '<rect x="300.00" y="0" width="75.00"' in chart.svg
    assert '<rect x="0.00" y="0" width="300.00"' in chart.svg
    assert [item.value for item in chart.legend] == ["۳ (۳۷٫۵٪)", "۱ (۱۲٫۵٪)", "۰ (۰٪)",
                                                     "۴ (۵۰٪)"]
    assert chart.table.rows[3] == ["بدون گزارش", "۴", "۵۰٪"]


def test_an_empty_distribution_draws_an_outline(fa):
    chart = charts.stacked_bar(title="t", parts=[Part("on_track", "a", 0)])
    assert chart.empty and 'stroke-dasharray="4 3"' in chart.svg


# --- Sparkline and formatting --------------------------------------------------------------

def test_sparkline_is_decorative_and_mirrored():
    rtl = charts.sparkline([Decimal(0), Decimal(100)], rtl=True)
    ltr = charts.sparkline([Decimal(0), Decimal(100)], rtl=False)
    assert 'aria-hidden="true"' in rtl
    assert "M75.00 22.00 L25.00 2.00" in rtl
    assert "M25.00 22.00 L75.00 2.00" in ltr
    assert "<path" not in charts.sparkline([None, Decimal(5)], rtl=True)


@pytest.mark.parametrize(("value", "percent", "expected"), [
    (Decimal("85.25"), True, "۸۵٫۳٪"),
    (Decimal("100.00"), True, "۱۰۰٪"),
    (Decimal("12500.0000"), False, "۱۲٬۵۰۰"),
    (Decimal("0.0400"), False, "۰"),
    (None, True, "—"),
])
def test_format_value_in_persian(fa, value, percent, expected):
    assert charts.format_value(value, percent=percent) == expected
