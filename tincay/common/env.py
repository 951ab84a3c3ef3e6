"""Typed readers for settings that come from the environment.

Each helper rejects a malformed value with a message naming the variable, so a misconfigured
deployment fails at start-up instead of running with a silent default.
"""

from __future__ import annotations

import os
from urllib.parse import parse_qs, unquote, urlparse


class ImproperlyConfiguredEnv(RuntimeError):
    """Raised when an environment variable holds a value we cannot use."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfiguredEnv(f"{name} must be one of {sorted(_TRUE | _FALSE - {''})}, got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfiguredEnv(f"{name} must be an integer, got {raw!r}") from None


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


POSTGRESQL = "tincay.common.postgresql"  # Django's backend, its health check without a round trip
_ENGINES = {
    "postgres": POSTGRESQL,
    "postgresql": POSTGRESQL,
    "pgsql": POSTGRESQL,
    "sqlite": "django.db.backends.sqlite3",
}


# SQLite as TinCậy runs it, named by DATABASE_URL or by default: WAL so that readers never wait for the writer,
# writes that take the lock at BEGIN (no upgrade deadlock between two processes) and wait up to 20 s for it.
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}


def parse_database_url(url: str) -> dict:
    """Turn ``postgresql://user:pass@host:port/name?opt=v`` or ``sqlite:///path`` into Django settings."""
    parsed = urlparse(url)
    engine = _ENGINES.get(parsed.scheme)
    if engine is None:
        raise ImproperlyConfiguredEnv(
            f"DATABASE_URL scheme {parsed.scheme!r} is not supported; use postgresql:// or sqlite:///"
        )
    if engine.endswith("sqlite3"):
        path = unquote(parsed.path)
        if path.startswith("/") and not url.startswith("sqlite:////"):
            path = path[1:]
        return {"ENGINE": engine, "NAME": path or ":memory:", "OPTIONS": dict(SQLITE_OPTIONS)}
    name = unquote(parsed.path.lstrip("/"))
    if not name:
        raise ImproperlyConfiguredEnv("DATABASE_URL must name a database, e.g. postgresql://127.0.0.1/tincay")
    options = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
    # Parameters sent apart from the query text, so psycopg prepares a query the connection runs again and again
    # (the server parses and plans it once, and psycopg does not quote values into the text in Python).
    # ``?server_side_binding=false`` turns it off (e.g. behind PgBouncer in transaction mode).
    bound_on_server = options.pop("server_side_binding", "true").lower() not in ("false", "0", "off")
    config = {
        "ENGINE": engine,
        "NAME": name,
        "USER": unquote(parsed.username or ""),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": parsed.hostname or "",
        "PORT": str(parsed.port or ""),
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {**options, "server_side_binding": bound_on_server},
    }
    return config
