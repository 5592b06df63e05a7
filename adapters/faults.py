"""Which errors of the storage stack mean "the database is unavailable" (down, restarting, out of
connections) rather than a bug: the API answers them 503 with Retry-After (``api/problems.py``), the
command line one line and exit 1 (``cli/common.py``)."""

from __future__ import annotations

import psycopg
import sqlalchemy.exc
from eventsourcing import persistence

DATABASE_UNAVAILABLE: tuple[type[BaseException], ...] = (
    persistence.OperationalError,  # the event store's wrapping of the driver's errors
    persistence.InterfaceError,
    sqlalchemy.exc.OperationalError,  # the read models' engine
    sqlalchemy.exc.InterfaceError,
    sqlalchemy.exc.TimeoutError,  # no pooled connection free within HAZARD_DB_POOL_TIMEOUT (all stuck or in use)
    psycopg.OperationalError,  # direct psycopg use (proof reads, LISTEN)
    psycopg.InterfaceError,
)


class OperationalFault(Exception):
    """A fault of the machine, not of the ledger (a missing database or file, a missing tool, a failed dump):
    the command line says it in one line in Chinese and English, with no traceback (``cli/common.py``)."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh, self.en = zh, en
