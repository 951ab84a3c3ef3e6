"""A kept PostgreSQL connection is checked before a request's first query without a round trip
(``tincay.common.postgresql``): an idle socket passes; one the server dropped is replaced before the query."""

from __future__ import annotations

import select

import pytest
from django.db import DatabaseError, connection

from tincay.common.postgresql.base import DatabaseWrapper

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL backend")


@pytest.fixture
def kept(db, monkeypatch):
    """A second connection to the test database, kept between requests as CONN_MAX_AGE keeps one; its
    ``checks`` lists each ``SELECT 1`` health check it made."""
    wrapper = DatabaseWrapper({**connection.settings_dict, "CONN_HEALTH_CHECKS": True, "CONN_MAX_AGE": 60}, "kept")
    wrapper.ensure_connection()
    wrapper.checks = []
    real = wrapper.is_usable

    def counted() -> bool:
        wrapper.checks.append(1)
        return real()

    monkeypatch.setattr(wrapper, "is_usable", counted)
    yield wrapper
    wrapper.close()


def _pid(wrapper: DatabaseWrapper) -> int:
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _dropped_by_the_server(wrapper: DatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [wrapper.connection.info.backend_pid])
    poller = select.poll()
    poller.register(wrapper.connection.pgconn.socket, select.POLLIN)
    assert poller.poll(5000), "the server said nothing on the socket"


def test_an_idle_kept_connection_serves_the_next_request_without_a_check_query(kept):
    first = _pid(kept)
    for _ in range(3):
        kept.close_if_unusable_or_obsolete()  # a request starts (request_started)
        assert _pid(kept) == first
    assert kept.checks == []


def test_a_connection_the_server_dropped_is_replaced_before_the_requests_first_query(kept):
    first = _pid(kept)
    _dropped_by_the_server(kept)
    kept.close_if_unusable_or_obsolete()
    assert _pid(kept) != first  # a new connection, and the query went through
    assert kept.checks == [1]  # the readable socket sent it to Django's own check


def test_without_the_check_the_dropped_connection_would_fail_the_request(kept):
    """The scenario above is real: the same drop fails the query when nothing checks."""
    _pid(kept)
    _dropped_by_the_server(kept)
    kept.health_check_enabled = False
    kept.close_if_unusable_or_obsolete()
    with pytest.raises(DatabaseError):
        _pid(kept)
