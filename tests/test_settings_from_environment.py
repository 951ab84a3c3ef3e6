"""Settings come from the environment through typed helpers that fail loudly."""

import os
import subprocess
import sys

import pytest

from tincay.common.env import ImproperlyConfiguredEnv, env_bool, env_int, parse_database_url


def test_env_bool_rejects_garbage(monkeypatch):
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfiguredEnv, match="X_FLAG"):
        env_bool("X_FLAG")
    monkeypatch.setenv("X_FLAG", "yes")
    assert env_bool("X_FLAG") is True


def test_env_int_rejects_non_numbers(monkeypatch):
    monkeypatch.setenv("X_NUM", "ten")
    with pytest.raises(ImproperlyConfiguredEnv, match="X_NUM"):
        env_int("X_NUM", 1)


def test_database_url_postgres_and_sqlite():
    pg = parse_database_url("postgresql://u:p%40ss@db.local:5433/tincay?sslmode=require")
    assert pg["ENGINE"] == "django.db.backends.postgresql"
    assert (pg["NAME"], pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"]) == (
        "tincay",
        "u",
        "p@ss",
        "db.local",
        "5433",
    )
    assert pg["OPTIONS"] == {"sslmode": "require"}
    assert parse_database_url("sqlite:///var/x.sqlite3")["NAME"] == "var/x.sqlite3"
    with pytest.raises(ImproperlyConfiguredEnv):
        parse_database_url("mysql://localhost/x")


def _import_settings(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TINCAY_") and k != "DATABASE_URL"}
    return subprocess.run(
        [sys.executable, "-c", "import tincay.config.settings"],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_secret_key():
    result = _import_settings(TINCAY_ENV="production", TINCAY_ALLOWED_HOSTS="x.gov.vn")
    assert result.returncode != 0
    assert "TINCAY_SECRET_KEY is required" in result.stderr


def test_production_refuses_short_secret_key_and_missing_hosts():
    assert "at least 50" in _import_settings(TINCAY_ENV="production", TINCAY_SECRET_KEY="short").stderr
    result = _import_settings(TINCAY_ENV="production", TINCAY_SECRET_KEY="k" * 60)
    assert "TINCAY_ALLOWED_HOSTS is required" in result.stderr


def test_production_starts_with_proper_settings():
    result = _import_settings(TINCAY_ENV="production", TINCAY_SECRET_KEY="k" * 60, TINCAY_ALLOWED_HOSTS="x.gov.vn")
    assert result.returncode == 0, result.stderr
