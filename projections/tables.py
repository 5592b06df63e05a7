"""Read-model tables (SQLAlchemy Core), the same on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

# Each projection's position in the notification log, written in the same transaction as its rows.
projection_tracking = Table(
    "projection_tracking",
    metadata,
    Column("projection", String(64), primary_key=True),
    Column("position", BigInteger, nullable=False),
)

enterprises = Table(
    "rm_enterprises",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("credit_code", String(18), nullable=False, unique=True),
    Column("name", Text, nullable=False),
    Column("sector", String(64), nullable=False, index=True),
    Column("jurisdiction", String(64), nullable=False, index=True),
    Column("principal_name", Text, nullable=False),
    Column("high_risk", Boolean, nullable=False),
    Column("version", Integer, nullable=False),
)

hazards = Table(
    "rm_hazards",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("enterprise_id", String(36), nullable=False, index=True),
    Column("sector", String(64), nullable=False, index=True),
    Column("jurisdiction", String(64), nullable=False, index=True),
    Column("department", String(64), nullable=False, index=True),
    Column("grade", String(16), nullable=False),
    Column("source", String(32), nullable=False),
    Column("state", String(32), nullable=False, index=True),
    Column("criterion", Text, nullable=False),
    Column("description", Text, nullable=False),
    Column("reported_at", DateTime(timezone=True), nullable=False, index=True),
    Column("reported_to_regulator", Boolean, nullable=False),
    Column("listed", Boolean, nullable=False),
    Column("overdue", Boolean, nullable=False),
    Column("deadline", Date, nullable=True),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("version", Integer, nullable=False),
)
