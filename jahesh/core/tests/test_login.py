"""Logging in: throttled per username *and* address, long passwords, inactive people, idle expiry."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client

from jahesh.organisation import services as org

LOGIN = "/login/"


def attempt(username: str, password: str, address: str = "10.0.0.1") -> int:
    client = Client(REMOTE_ADDR=address)
    return client.post(LOGIN, {"username": username, "password": password}).status_code


@pytest.mark.django_db
def test_demo_person_logs_in_and_lands_on_home() -> None:
    client = Client()
    response = client.post(LOGIN, {"username": "agri.reporter", "password": "jahesh-demo"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_wrong_password_shows_an_error_on_the_form() -> None:
    response = Client().post(LOGIN, {"username": "agri.reporter", "password": "wrong"})
    assert response.status_code == 200
    assert response.context["form"].errors["__all__"]
    assert "_auth_user_id" not in response.wsgi_request.session


@pytest.mark.django_db
def test_repeated_failures_lock_that_username_from_that_address_only() -> None:
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit):
        attempt("agri.reporter", "wrong", "10.0.0.1")
    # Locked: even the right password is refused from this address.
    assert attempt("agri.reporter", "jahesh-demo", "10.0.0.1") == 429
    # The same office address still works for everybody else...
    assert attempt("imt.reporter", "jahesh-demo", "10.0.0.1") == 302
    # ...and the same person can still log in from another computer.
    assert attempt("agri.reporter", "jahesh-demo", "10.0.0.2") == 302
    assert AccessAttempt.objects.filter(username="agri.reporter").count() >= 1


@pytest.mark.django_db
def test_lockout_page_is_persian_and_says_how_long() -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt("imt.head", "wrong", "10.0.0.9")
    response = Client(REMOTE_ADDR="10.0.0.9").post(
        LOGIN, {"username": "imt.head", "password": "jahesh-demo"}
    )
    assert response.status_code == 429
    html = response.content.decode()
    assert 'lang="fa"' in html
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    from jahesh.core.persian import to_persian_digits

    assert to_persian_digits(minutes) in html


@pytest.mark.django_db
def test_a_password_of_100_characters_is_accepted(province) -> None:  # type: ignore[no-untyped-def]
    long_password = "رمز-عبور-بلند-" * 7 + "x" * 10
    assert len(long_password) >= 100
    org.person_create(acting_user=None, province=province, username="long.pass",
                      password=long_password)
    client = Client()
    response = client.post(LOGIN, {"username": "long.pass", "password": long_password})
    assert response.status_code == 302


@pytest.mark.django_db
def test_an_inactive_person_cannot_log_in(person) -> None:  # type: ignore[no-untyped-def]
    org.person_set_active(person=person("chamber"), acting_user=None, active=False)
    response = Client().post(LOGIN, {"username": "chamber", "password": "jahesh-demo"})
    assert response.status_code == 200
    assert response.context["form"].errors


@pytest.mark.django_db
def test_username_typed_with_persian_digits_is_understood(province) -> None:  # type: ignore[no-untyped-def]
    org.person_create(acting_user=None, province=province, username="user2024",
                      password="a-good-long-password")
    response = Client().post(LOGIN, {"username": "user۲۰۲۴", "password": "a-good-long-password"})
    assert response.status_code == 302


@pytest.mark.django_db
def test_session_ends_after_inactivity_and_activity_slides_it(client_for) -> None:  # type: ignore[no-untyped-def]
    import time_machine

    assert settings.SESSION_COOKIE_AGE == 30 * 60
    with time_machine.travel("2024-05-01 08:00 +0330", tick=False) as clock:
        client = client_for("hq")
        assert client.get("/").status_code == 200
        clock.shift(25 * 60)
        assert client.get("/").status_code == 200  # active: the expiry moves forward
        clock.shift(25 * 60)
        assert client.get("/").status_code == 200  # 50 minutes after login, 25 idle
        clock.shift(31 * 60)
        response = client.get("/")  # 31 minutes idle: logged out
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")


@pytest.mark.django_db
def test_logout_needs_post_and_ends_the_session(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("hq")
    assert client.get("/logout/").status_code == 405
    assert client.post("/logout/").status_code == 302
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_login_form_needs_a_csrf_token() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(LOGIN, {"username": "hq", "password": "jahesh-demo"})
    assert response.status_code == 403
