"""The notification list, marking read (one and all), the bell, and what each costs."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jahesh.notifications import services
from jahesh.notifications.models import Notification
from jahesh.organisation import services as org
from jahesh.organisation.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(province):  # type: ignore[no-untyped-def]
    """person("alice") / person("bob"): people of their own (made on first use), so that
    nothing the demo data made is counted."""
    def get(name: str) -> Person:
        username = f"h3.{name}"
        found = Person.objects.filter(username=username).first()
        return found or org.person_create(acting_user=None, province=province,
                                          username=username, password=None)

    return get


@pytest.fixture
def client_for(client_for, person):  # type: ignore[no-untyped-def]
    def make(name: str) -> Client:
        return client_for(person(name).username)

    return make

LIST = reverse("notifications:list")
READ_ALL = reverse("notifications:read_all")
HTMX = {"HX-Request": "true"}


def read_url(notification: Notification) -> str:
    return reverse("notifications:read", args=[notification.pk])


def make(recipient, title="یادآوری گزارش ماهانه", **extra):  # type: ignore[no-untyped-def]
    return services.notify(recipient=recipient, kind="reminder", title=title,
                           body="متن", email=False, **extra)


def bell_count(html: str) -> int:
    match = re.search(r'id="jh-bell"[^>]*data-unread="(\d+)"', html)
    assert match, "no bell"
    return int(match[1])


def test_anonymous_visitors_are_sent_to_log_in(person):  # type: ignore[no-untyped-def]
    mine = make(person("alice"))
    login = reverse("login")
    for method, url in [("get", LIST), ("post", read_url(mine)), ("post", READ_ALL)]:
        response = getattr(Client(), method)(url)
        assert response.status_code == 302
        assert response["Location"].startswith(f"{login}?next=")
    assert Notification.objects.get(pk=mine.pk).read_at is None


def test_the_list_shows_only_the_persons_own_unread_first(client_for, person):  # type: ignore[no-untyped-def]
    reporter = person("alice")
    old = make(reporter, title="قدیمی خوانده‌شده")
    services.mark_read(notification=old, acting_user=reporter)
    make(reporter, title="تازه خوانده‌نشده")
    make(person("bob"), title="مال دیگری")
    response = client_for("alice").get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert "مال دیگری" not in html
    assert html.index("تازه خوانده‌نشده") < html.index("قدیمی خوانده‌شده")
    assert html.count('data-state="unread"') == 1  # the unread one is highlighted
    assert bell_count(html) == 1
    # Only the unread ones, on asking.
    unread = client_for("alice").get(LIST, {"show": "unread"}).content.decode()
    assert "تازه خوانده‌نشده" in unread and "قدیمی خوانده‌شده" not in unread


def test_the_list_is_paginated(client_for, person):  # type: ignore[no-untyped-def]
    reporter = person("alice")
    for n in range(30):
        make(reporter, title=f"یادآوری شماره {n}")
    client = client_for("alice")
    first = client.get(LIST)
    assert len(first.context["page"]) == 25
    second = client.get(LIST, {"page": 2})
    assert len(second.context["page"]) == 5


def test_someone_elses_notification_is_a_404(client_for, person):  # type: ignore[no-untyped-def]
    theirs = make(person("bob"))
    client = client_for("alice")
    assert client.post(read_url(theirs)).status_code == 404
    assert client.post(reverse("notifications:read", args=[987654321])).status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_marking_read_needs_a_post(client_for, person):  # type: ignore[no-untyped-def]
    mine = make(person("alice"))
    client = client_for("alice")
    assert client.get(read_url(mine)).status_code == 405
    assert client.get(READ_ALL).status_code == 405
    assert Notification.objects.get(pk=mine.pk).read_at is None


def test_marking_read_needs_the_csrf_token(person):  # type: ignore[no-untyped-def]
    mine = make(person("alice"))
    client = Client(enforce_csrf_checks=True)
    client.force_login(person("alice"))
    assert client.post(read_url(mine)).status_code == 403
    assert Notification.objects.get(pk=mine.pk).read_at is None


def test_mark_one_read_and_come_back_to_the_list(client_for, person):  # type: ignore[no-untyped-def]
    mine = make(person("alice"))
    client = client_for("alice")
    response = client.post(read_url(mine), {"next": f"{LIST}?page=1"})
    assert response.status_code == 302 and response["Location"] == f"{LIST}?page=1"
    assert Notification.objects.get(pk=mine.pk).read_at is not None
    # A `next` elsewhere is ignored.
    other = make(person("alice"))
    response = client.post(read_url(other), {"next": "https://evil.example/"})
    assert response["Location"] == LIST


def test_opening_a_notification_marks_it_read_and_follows_its_link(client_for, person):  # type: ignore[no-untyped-def]
    mine = make(person("alice"), url=reverse("home"))
    response = client_for("alice").post(read_url(mine), {"open": "1"})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert Notification.objects.get(pk=mine.pk).read_at is not None
    unsafe = make(person("alice"), url="https://evil.example/")
    response = client_for("alice").post(read_url(unsafe), {"open": "1"})
    assert response["Location"] == LIST


def test_htmx_mark_read_gets_the_row_and_the_bell(client_for, person):  # type: ignore[no-untyped-def]
    reporter = person("alice")
    mine, _other = make(reporter), make(reporter)
    response = client_for("alice").post(read_url(mine), headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="notification-{mine.pk}"' in html and 'data-state="read"' in html
    assert 'id="jh-bell"' in html and 'hx-swap-oob="true"' in html
    assert bell_count(html) == 1
    assert "<html" not in html


def test_mark_all_read(client_for, person):  # type: ignore[no-untyped-def]
    reporter, other = person("alice"), person("bob")
    for _ in range(3):
        make(reporter)
    theirs = make(other)
    client = client_for("alice")
    response = client.post(READ_ALL)
    assert response.status_code == 302 and response["Location"] == LIST
    assert not Notification.objects.filter(recipient=reporter).unread().exists()
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    page = client.get(LIST).content.decode()
    assert bell_count(page) == 0
    assert READ_ALL not in page  # nothing left to mark


def test_htmx_mark_all_read_gets_the_list_and_the_bell(client_for, person):  # type: ignore[no-untyped-def]
    make(person("alice"))
    response = client_for("alice").post(READ_ALL, headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and 'id="jh-notifications"' in html
    assert bell_count(html) == 0 and 'hx-swap-oob="true"' in html


def test_the_bell_shows_the_unread_count_in_persian_digits(client_for, person):  # type: ignore[no-untyped-def]
    reporter = person("alice")
    for _ in range(12):
        make(reporter)
    html = client_for("alice").get(reverse("home")).content.decode()
    assert bell_count(html) == 12
    assert "۱۲</span>" in html
    assert 'id="jh-bell"' not in Client().get(reverse("login")).content.decode()


def count_queries(client: Client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), "\n".join(q["sql"] for q in queries.captured_queries)


# Session, user, roles (3) · the bell's unread count · the list: count and page of rows.
LIST_QUERIES = 6


def test_the_list_and_the_bell_cost_the_same_for_few_or_many(client_for, person):  # type: ignore[no-untyped-def]
    reporter = person("alice")
    client = client_for("alice")
    client.get(reverse("home"))  # the first request of a session stamps it
    make(reporter)
    few, _ = count_queries(client, LIST)
    home_few, _ = count_queries(client, reverse("home"))
    for n in range(40):
        note = make(reporter, title=f"شماره {n}", province=None)
        if n % 3 == 0:
            services.mark_read(notification=note, acting_user=reporter)
    many, sql = count_queries(client, LIST)
    home_many, _ = count_queries(client, reverse("home"))
    assert few == many == LIST_QUERIES, sql
    assert home_few == home_many
