"""The lockout, token and rate-limit settings come from the environment; a bad value stops the start with a
message naming the variable."""

import os
import subprocess
import sys

import pytest

_PRINT = (
    "from tincay.config import settings as s; "
    "print(s.AXES_FAILURE_LIMIT, s.TINCAY_LOGIN_ADDRESS_FAILURE_LIMIT, int(s.AXES_COOLOFF_TIME.total_seconds()), "
    "s.TINCAY_API_TOKEN_DAYS, s.TINCAY_PASSWORD_RESET_LIMIT, s.TINCAY_PASSWORD_RESET_WINDOW_MINUTES, "
    "s.TINCAY_PROXY_COUNT, s.REST_FRAMEWORK['NUM_PROXIES'], "
    "*sorted(s.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES'].items()))"
)


def _settings(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TINCAY_") and k != "DATABASE_URL"}
    return subprocess.run(
        [sys.executable, "-c", _PRINT], env={**clean, **env}, capture_output=True, text=True, timeout=60
    )


def test_defaults():
    result = _settings()
    assert result.stdout.split(" ", 8)[:8] == ["5", "20", "900", "90", "5", "60", "0", "0"], result.stderr
    assert "('anon', '60/min') ('token', '10/min') ('user', '600/min')" in result.stdout


def test_every_value_is_read_from_the_environment():
    result = _settings(
        TINCAY_LOGIN_FAILURE_LIMIT="3",
        TINCAY_LOGIN_ADDRESS_FAILURE_LIMIT="50",
        TINCAY_LOGIN_LOCKOUT_MINUTES="30",
        TINCAY_API_TOKEN_DAYS="30",
        TINCAY_PASSWORD_RESET_LIMIT="2",
        TINCAY_PASSWORD_RESET_WINDOW_MINUTES="15",
        TINCAY_PROXY_COUNT="1",
        TINCAY_API_ANON_RATE="10/min",
        TINCAY_API_USER_RATE="100/hour",
        TINCAY_API_TOKEN_RATE="5/min",
    )
    assert result.stdout.split(" ", 8)[:8] == ["3", "50", "1800", "30", "2", "15", "1", "1"], result.stderr
    assert "('anon', '10/min') ('token', '5/min') ('user', '100/hour')" in result.stdout


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("TINCAY_LOGIN_FAILURE_LIMIT", "0"),
        ("TINCAY_LOGIN_FAILURE_LIMIT", "five"),
        ("TINCAY_LOGIN_LOCKOUT_MINUTES", "-1"),
        ("TINCAY_API_TOKEN_DAYS", "0"),
        ("TINCAY_PROXY_COUNT", "-1"),
        ("TINCAY_API_USER_RATE", "lots"),
        ("TINCAY_API_ANON_RATE", "0/min"),
        ("TINCAY_API_TOKEN_RATE", "10/fortnight"),
    ],
)
def test_a_bad_value_stops_the_start(name, value):
    result = _settings(**{name: value})
    assert result.returncode != 0 and name in result.stderr
