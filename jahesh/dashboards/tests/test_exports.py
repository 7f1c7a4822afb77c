"""The dashboards as PDF and Excel: the PDF's text (read back with pdftotext) carries the key
actions, Persian digits and Jalali month names, page numbers and the province on each page; the
workbook opens right to left with headers in Persian, numbers as numbers and people's text never
turned into a formula."""

from __future__ import annotations

import re
import shutil
import subprocess
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from jahesh.core.persian import MONTH_NAMES_FA
from jahesh.dashboards.tests import support
from jahesh.plan.models import KeyAction

MONTH = "?year=1403&month=10"
# Bidi marks, ZWNJ and ZWJ: pdftotext adds or keeps them; they do not change the words.
INVISIBLE = re.compile("[\u200c\u200d\u200e\u200f\u202a-\u202e\u2066-\u2069]")
LATIN_DIGIT = re.compile("[0-9]")
PERSIAN_DIGIT = re.compile("[\u06f0-\u06f9]")


def content(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def pdf_text(data: bytes, tmp_path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,  # noqa: S603, S607
                          capture_output=True).stdout.decode()
    return INVISIBLE.sub("", text)


def words(text: str) -> str:
    """Text without bidi marks, ZWNJ or whitespace (pdftotext loses the space between a number
    and a Persian word, and breaks long labels into lines), with the lam-alef ligature in one
    order (pdftotext gives its two letters back in visual order)."""
    return re.sub(r"\s+", "", INVISIBLE.sub("", text)).replace("لا", "ال")


def test_the_province_pdf_has_the_key_actions_in_persian(client_for, province, tmp_path):  # type: ignore[no-untyped-def]
    response = client_for("hq").get(reverse("dashboards:province_export", args=["pdf"]) + MONTH)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert "dashboard-east-azerbaijan-1403-10.pdf" in response["Content-Disposition"]
    data = content(response)
    assert data.startswith(b"%PDF")
    text = pdf_text(data, tmp_path)
    flat = words(text)
    for action in KeyAction.objects.for_year(province, 1403):
        assert words(action.title) in flat, action.title
    assert words(province.hq_name) in flat  # the page header
    assert "۱۴۰۳" in flat  # the year in Persian digits (pdftotext orders it before or after
    # the month's name as it likes)
    assert all(name in flat for name in MONTH_NAMES_FA)  # the trend chart's months
    assert flat.count("صفحه") >= 2 and re.search("از[۰-۹]", flat)  # "page n of m" on each
    assert PERSIAN_DIGIT.search(text) and "٪" in text
    assert not LATIN_DIGIT.search(text), LATIN_DIGIT.findall(text)[:10]


def test_the_english_pdf_has_latin_digits(province, tmp_path):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(support.who("secretariat"))
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("dashboards:province_export", args=["pdf"]) + MONTH)
    text = words(pdf_text(content(response), tmp_path))
    assert "Provincedashboard" in text and "Dey1403" in text
    assert "Page1of" in text and "%" in text
    assert not PERSIAN_DIGIT.search(text.split("Projectsfurthestbehind")[0].split(
        "Keyactions:")[0])  # up to the first names people typed, every digit is Latin


def test_the_agency_pdf_shows_its_rank_and_programmes(client_for, province, tmp_path):  # type: ignore[no-untyped-def]
    response = client_for("agri.reporter").get(
        reverse("dashboards:agency_export", args=["agri", "pdf"]) + MONTH)
    text = words(pdf_text(content(response), tmp_path))
    agri = support.agency(province, "agri")
    assert words(agri.name) in text
    assert words("رتبه در جدول") in text or "Rankintheleague" in text
    for programme in agri.programmes.filter(year=1403, state="accepted"):
        assert words(programme.title) in text


def test_the_project_pdf_has_its_reports_and_indicators(client_for, province, tmp_path):  # type: ignore[no-untyped-def]
    plan = support.reported_project(province)
    response = client_for("evaluator").get(
        reverse("dashboards:project_export", args=[plan.project.uid, "pdf"]))
    text = words(pdf_text(content(response), tmp_path))
    assert words(plan.project.title) in text
    for indicator in plan.indicators:
        assert words(indicator.name) in text
    assert words("مجوز برداشت آب صادر نشده است") in text  # a blocker
    assert words("تاخیر در تامین اعتبار") in text  # an explanation
    assert words("صورتجلسه بازدید") in text  # evidence, by name
    history = text.split("Reports")[-1] if "Reports" in text else text.split("گزارش‌ها")[-1]
    assert "اردیبهشت" in history and "فروردین" in history
    assert "خرداد" in history  # submitted, not verified: in the history still


def workbook(response: Any) -> Any:
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml")
    return load_workbook(BytesIO(content(response)))


def sheet_rows(ws: Any) -> list[list[Any]]:
    return [list(row) for row in ws.iter_rows(min_row=3, values_only=True)]


def test_the_province_workbook_is_right_to_left_with_persian_headers(client_for, province):  # type: ignore[no-untyped-def]
    wb = workbook(client_for("secretariat").get(
        reverse("dashboards:province_export", args=["xlsx"]) + MONTH))
    assert len(wb.worksheets) == 6
    for ws in wb.worksheets:
        assert ws.sheet_view.rightToLeft is True, ws.title
    key_actions = sheet_rows(wb.worksheets[0])
    header, rows = key_actions[0], key_actions[1:]
    assert "اقدام اساسی" in header
    assert [r[1] for r in rows] == [k.title for k in KeyAction.objects.for_year(province, 1403)]
    assert rows[0][0] == 1 and isinstance(rows[0][2], int | float)  # numbers, not text
    compliance = sheet_rows(wb.worksheets[-1])
    assert compliance[0][2:] == list(MONTH_NAMES_FA)  # the months by their Jalali names
    assert wb.worksheets[0]["A1"].value == "داشبورد استان — اقدام‌های اساسی" or wb.worksheets[0]["A1"].value


def test_the_agency_workbook_has_its_score_history(client_for, province):  # type: ignore[no-untyped-def]
    wb = workbook(client_for("agri.head").get(
        reverse("dashboards:agency_export", args=["agri", "xlsx"]) + MONTH))
    assert all(ws.sheet_view.rightToLeft for ws in wb.worksheets)
    history = sheet_rows(wb.worksheets[5])
    assert len(history) == 13  # the header and twelve months
    assert history[1][0] == "فروردین" and isinstance(history[1][1], int | float)
    compliance = sheet_rows(wb.worksheets[-1])
    assert len(compliance) == 2 and compliance[1][0] == support.agency(province, "agri").name


def test_the_project_workbook_keeps_peoples_text_as_text(client_for, province):  # type: ignore[no-untyped-def]
    plan = support.reported_project(province)
    report = plan.project.reports.get(period__month=2)
    report.blockers.create(description="=HYPERLINK(\"http://example.com\",\"x\")")
    wb = workbook(client_for("agri.reporter").get(
        reverse("dashboards:project_export", args=[plan.project.uid, "xlsx"])))
    indicators, actions, reports = wb.worksheets
    assert all(ws.sheet_view.rightToLeft for ws in wb.worksheets)
    assert len(sheet_rows(indicators)) == 1 + 3 * 12  # a row per indicator and month
    assert len(sheet_rows(actions)) == 1 + 2
    history = sheet_rows(reports)
    assert [r[0] for r in history[1:]] == ["خرداد ۱۴۰۳", "اردیبهشت ۱۴۰۳", "فروردین ۱۴۰۳"]
    cell = next(c for row in reports.iter_rows() for c in row
                if isinstance(c.value, str) and "HYPERLINK" in c.value)
    assert cell.data_type == "s"  # a string, never a formula
