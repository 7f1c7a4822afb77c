"""The home page in Persian (default) and English: direction, digits, Jalali dates, real data."""

import re

import pytest
import time_machine
from django.test import Client

from jahesh.core.persian import format_jalali_date


def html_tag(html: str) -> str:
    match = re.search(r"<html[^>]*>", html)
    assert match
    return match.group(0)


@pytest.mark.django_db
def test_persian_is_the_default_and_right_to_left(client_for) -> None:  # type: ignore[no-untyped-def]
    html = client_for("agri.reporter").get("/").content.decode()
    assert html_tag(html) == '<html lang="fa" dir="rtl">'
    assert "bootstrap.rtl.min.css" in html


@pytest.mark.django_db
@time_machine.travel("2024-04-24 10:00 +0330", tick=False)
def test_home_shows_the_province_its_hq_key_actions_and_agencies(client_for) -> None:  # type: ignore[no-untyped-def]
    html = client_for("agri.reporter").get("/").content.decode()
    assert "قرارگاه جهش تولید استان آذربایجان شرقی" in html
    assert "شورای برنامه‌ریزی و توسعه استان" in html
    assert "رفع موانع تولید" in html and "ترویج فرهنگ مصرف کالای ایرانی" in html
    assert "جهاد کشاورزی" in html and "راه‌آهن آذربایجان" in html
    # Today as a Jalali date with Persian digits and the month's Persian name.
    assert "۱۴۰۳/۰۲/۰۵" in html
    assert "۵ اردیبهشت ۱۴۰۳" in html
    # Counts in Persian digits: ten key actions; the year too.
    assert ">۱۰<" in html
    assert "۱۴۰۳" in html
    assert not re.search(r">\s*1403\s*<", html)


@pytest.mark.django_db
@time_machine.travel("2024-04-24 10:00 +0330", tick=False)
def test_switching_to_english_and_back(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("agri.reporter")
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert html_tag(html) == '<html lang="en" dir="ltr">'
    assert "bootstrap.min.css" in html
    assert "1403/02/05" in html and "5 Ordibehesht 1403" in html
    assert "۱۴۰۳" not in html
    client.post("/i18n/setlang/", {"language": "fa", "next": "/"})
    html = client.get("/").content.decode()
    assert html_tag(html) == '<html lang="fa" dir="rtl">'


@pytest.mark.django_db
def test_the_language_switch_is_on_every_page(client_for) -> None:  # type: ignore[no-untyped-def]
    html = client_for("hq").get("/agencies/").content.decode()
    assert 'action="/i18n/setlang/"' in html and 'value="en"' in html
    assert 'action="/i18n/setlang/"' in Client().get("/login/").content.decode()


@pytest.mark.django_db
def test_a_person_without_a_role_is_told_so(province) -> None:  # type: ignore[no-untyped-def]
    from jahesh.organisation import services as org

    nobody = org.person_create(acting_user=None, province=None, username="nobody",
                               password="a-long-enough-password")
    client = Client()
    client.force_login(nobody)
    response = client.get("/")
    assert response.status_code == 200
    assert response.context["overview"] is None


@pytest.mark.django_db
@time_machine.travel("2025-03-20 23:30 +0330", tick=False)
def test_nowruz_eve_is_still_the_old_year_in_tehran(client_for) -> None:  # type: ignore[no-untyped-def]
    # 23:30 in Tehran on 1403/12/30 (a leap Esfand) is 20:00 UTC: the page must say Esfand 30.
    from datetime import date

    html = client_for("hq").get("/").content.decode()
    assert format_jalali_date(date(2025, 3, 20), lang="fa") == "۱۴۰۳/۱۲/۳۰"
    assert "۱۴۰۳/۱۲/۳۰" in html


@pytest.mark.django_db
def test_a_browser_set_to_english_still_gets_persian_until_the_person_switches() -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert html_tag(client.get("/login/").content.decode()) == '<html lang="fa" dir="rtl">'
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert html_tag(client.get("/login/").content.decode()) == '<html lang="en" dir="ltr">'
