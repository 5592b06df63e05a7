"""A PostgreSQL streaming replica the reports read from (HAZARD_REPLICA_DB_URL), and how far behind it is."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

# Seconds since the last replayed transaction's commit on the primary; 0 when everything received is
# replayed (an idle primary writes nothing, so its last replay time would otherwise look older and older)
# or when the server is no replica at all (then it is the primary).
LAG_SECONDS = text(
    "SELECT CASE WHEN NOT pg_is_in_recovery() THEN 0"
    " WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
    " ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END"
)


@dataclass(frozen=True)
class Replica:
    engine: Engine

    def lag_seconds(self) -> float | None:
        """How far the replica is behind the primary; None when it has replayed nothing yet or is unreachable."""
        try:
            with self.engine.connect() as conn:
                value = conn.execute(LAG_SECONDS).scalar()
        except SQLAlchemyError:
            return None  # unknown: health says so; a report read from a replica that is down answers 503
        return None if value is None else max(0.0, round(float(value), 3))
