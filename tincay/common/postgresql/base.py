"""Django's PostgreSQL backend, with the health check of a kept connection made without a round trip.

With ``CONN_HEALTH_CHECKS`` (``tincay.common.env.parse_database_url`` sets it), Django sends ``SELECT 1`` before the
first query of every request on a kept connection, so that a connection the server dropped (a restart, a failover,
an idle timeout) is replaced instead of failing the request. That is a round trip on every request: for a page
answered from the browser's copy (one query), half of its round trips to the database.

A server that drops a connection says so on its socket: it sends its last message ("terminating connection due
to administrator command") and closes, so the socket becomes readable. A kept connection between requests has
nothing to read. So a socket with nothing to read passes without a query; a readable one (or one whose state is
not idle) gets Django's ``SELECT 1``, which replaces it if it fails. A server that vanished without closing (a
cable cut) is not noticed by ``SELECT 1`` either until TCP gives up, so nothing is lost against Django's check.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base
from psycopg import pq


class DatabaseWrapper(base.DatabaseWrapper):
    def close_if_health_check_failed(self) -> None:
        if (
            self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and not self.pool
            and _quiet(self.connection)
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()


def _quiet(connection: object) -> bool:
    """True when the connection is idle and the server has sent nothing since: it has not dropped it."""
    pgconn = connection.pgconn  # type: ignore[attr-defined]
    if pgconn.status != pq.ConnStatus.OK or pgconn.transaction_status != pq.TransactionStatus.IDLE:
        return False
    if not hasattr(select, "poll"):  # not on Linux or another Unix: Django's check
        return False
    poller = select.poll()
    poller.register(pgconn.socket, select.POLLIN | select.POLLPRI)
    return not poller.poll(0)
