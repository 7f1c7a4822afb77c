"""The health check, and the security headers every page carries."""

from unittest import mock

import pytest
from django.db.utils import OperationalError
from django.test import Client


@pytest.mark.django_db
def test_healthz_answers_200_when_the_database_answers() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": True}


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_does_not() -> None:
    with mock.patch("jahesh.core.views.connection.cursor", side_effect=OperationalError("down")):
        response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] is False


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("hq").get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_no_page_refers_to_another_host(client_for) -> None:  # type: ignore[no-untyped-def]
    import re

    client = client_for("secretariat")
    for url in ["/", "/agencies/", "/people/", "/audit/", "/agencies/new/"]:
        html = client.get(url).content.decode()
        assert not re.search(r"""(src|href)=["'](https?:)?//""", html), url


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_login() -> None:
    for url in ["/", "/agencies/", "/people/", "/audit/"]:
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/?next=")
