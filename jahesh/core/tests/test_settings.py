"""Production settings are strict and pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from jahesh.core.env import ImproperEnvironment, env_bool, env_choice, env_int, env_list

ROOT = Path(__file__).resolve().parents[3]
PRODUCTION = {
    "JAHESH_ENV": "production",
    "SECRET_KEY": "a-production-secret-key-that-is-long-and-random-0123456789-abcdefghijkl",
    "ALLOWED_HOSTS": "jahesh.example.ir",
    "DATABASE_URL": "sqlite:////tmp/jahesh-deploy-check.sqlite3",
}


def jahesh(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("JAHESH_", "DJANGO_"))}
    clean.pop("SECRET_KEY", None)
    clean.pop("ALLOWED_HOSTS", None)
    clean["DJANGO_SETTINGS_MODULE"] = "jahesh.settings"
    clean.update(env)
    return subprocess.run(  # noqa: S603 (fixed arguments, our own program)
        [sys.executable, "-m", "jahesh.manage", *args],
        cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120,
    )


def test_check_deploy_is_clean_in_production() -> None:
    result = jahesh("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_plain_http_intranet_is_clean_too_when_it_says_so() -> None:
    result = jahesh("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION, JAHESH_HTTPS="0")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without(missing: str) -> None:
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = jahesh("check", **env)
    assert result.returncode != 0
    assert missing in result.stderr


def test_a_typo_in_a_boolean_stops_the_start() -> None:
    result = jahesh("check", **PRODUCTION, JAHESH_HTTPS="ture")
    assert result.returncode != 0
    assert "JAHESH_HTTPS" in result.stderr


def test_demo_is_refused_in_production() -> None:
    result = jahesh("demo", **PRODUCTION)
    assert result.returncode != 0
    assert "never loaded in production" in result.stderr


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("yes", True), ("TRUE", True),
                                               ("0", False), ("off", False), ("", False)])
def test_env_bool(monkeypatch: pytest.MonkeyPatch, raw: str, expected: bool) -> None:
    monkeypatch.setenv("X_FLAG", raw)
    assert env_bool("X_FLAG", default=not expected) is expected


def test_env_helpers_fail_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_FLAG", "maybe")
    monkeypatch.setenv("X_NUMBER", "twelve")
    monkeypatch.setenv("X_CHOICE", "staging")
    with pytest.raises(ImproperEnvironment):
        env_bool("X_FLAG", default=False)
    with pytest.raises(ImproperEnvironment):
        env_int("X_NUMBER", 1)
    with pytest.raises(ImproperEnvironment):
        env_choice("X_CHOICE", "development", {"development", "production"})


def test_env_defaults_and_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("X_UNSET", raising=False)
    assert env_int("X_UNSET", 7) == 7
    monkeypatch.setenv("X_HOSTS", " a.ir, b.ir ,")
    assert env_list("X_HOSTS", []) == ["a.ir", "b.ir"]
