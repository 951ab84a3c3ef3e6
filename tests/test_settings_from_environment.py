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
    assert pg["ENGINE"] == "tincay.common.postgresql"
    assert (pg["NAME"], pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"]) == (
        "tincay",
        "u",
        "p@ss",
        "db.local",
        "5433",
    )
    assert pg["OPTIONS"] == {"sslmode": "require", "server_side_binding": True}
    off = parse_database_url("postgresql://db.local/tincay?server_side_binding=false")["OPTIONS"]
    assert off == {"server_side_binding": False}
    assert parse_database_url("sqlite:///var/x.sqlite3")["NAME"] == "var/x.sqlite3"
    with pytest.raises(ImproperlyConfiguredEnv):
        parse_database_url("mysql://localhost/x")


def _import_settings(**env):
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith("TINCAY_") and k not in ("DATABASE_URL", "REDIS_URL")
    }
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


AUDIT_KEYS = "k2026:" + "s" * 43 + ",k2025:" + "o" * 43


def test_production_starts_with_proper_settings():
    result = _import_settings(
        TINCAY_ENV="production",
        TINCAY_SECRET_KEY="k" * 60,
        TINCAY_ALLOWED_HOSTS="x.gov.vn",
        TINCAY_AUDIT_KEYS=AUDIT_KEYS,
        DATABASE_URL="postgresql://postgres@127.0.0.1:5432/tincay",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert result.returncode == 0, result.stderr


def test_production_refuses_to_start_without_audit_keys():
    result = _import_settings(TINCAY_ENV="production", TINCAY_SECRET_KEY="k" * 60, TINCAY_ALLOWED_HOSTS="x.gov.vn")
    assert result.returncode != 0
    assert "TINCAY_AUDIT_KEYS is required in production" in result.stderr


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("s" * 43, "entry 1 must be '<key id>:<secret>'"),
        ("k2026:" + "s" * 43 + ",k2025", "entry 2 must be '<key id>:<secret>'"),
        ("k 2026:" + "s" * 43, "key id 'k 2026' must be"),
        ("k2026:short-secret", "the secret of key 'k2026' must be at least 32"),
        ("k2026:" + "s" * 43 + ",k2026:" + "t" * 43, "key id 'k2026' appears twice"),
        ("dev-derived:" + "s" * 43, "reserved for the development key"),
    ],
)
def test_malformed_audit_keys_are_refused_without_echoing_secrets(value, message):
    result = _import_settings(
        TINCAY_ENV="production", TINCAY_SECRET_KEY="k" * 60, TINCAY_ALLOWED_HOSTS="x.gov.vn", TINCAY_AUDIT_KEYS=value
    )
    assert result.returncode != 0
    assert "TINCAY_AUDIT_KEYS" in result.stderr and message in result.stderr
    assert "s" * 43 not in result.stderr and "short-secret" not in result.stderr


def test_audit_keys_first_signs_others_verify_and_development_derives_a_labelled_key():
    from tincay.audit.keys import audit_keyring, keyring_from

    pairs = audit_keyring(AUDIT_KEYS.split(","), secret_key="x" * 60, production=False)
    assert [key_id for key_id, _secret in pairs] == ["k2026", "k2025", "dev-derived"]
    assert keyring_from(pairs).current_id == "k2026"
    assert [key_id for key_id, _secret in audit_keyring([], secret_key="x" * 60, production=False)] == ["dev-derived"]


def test_sqlite_named_by_url_runs_as_the_default_does():
    """WAL, writes taking the lock at BEGIN and a wait for it: several web processes on one SQLite file."""
    options = parse_database_url("sqlite:///var/x.sqlite3")["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE" and options["timeout"] == 20
    assert "journal_mode=WAL" in options["init_command"]
