"""The Merkle log of the event store, maintained as a projection ("merkle_log") by the ProjectionRunner.

Storage (one pair of tables per blue/green version N, like every projection):

* ``audit_leaves_vN(position, notification_id, leaf_hash)`` — leaf ``position`` (0, 1, 2, … in
  notification-id order; ids may have gaps) is the event with that notification id; ``leaf_hash`` =
  SHA-256(0x00 || leaf bytes of ``audit/records.py``).
* ``audit_nodes_vN(level, idx, hash)`` — every COMPLETE subtree of 2**level leaves
  ``[idx * 2**level, (idx + 1) * 2**level)`` for level >= 1 (level 0 is the leaves table). A node is
  written once, in the transaction of the batch that appends its last leaf, and never changes: about
  one node per leaf in all. A root, an inclusion or a consistency proof reads O(log n) of them.

Each batch of events (one transaction per batch, with the runner's tracking position) appends its
leaves and the nodes they complete; the old tree's right edge (at most log2 n nodes) is read first.

``audit_checkpoints`` (not versioned: a rebuild never drops it) records every signed checkpoint;
the same notes are written as files to HAZARD_CHECKPOINT_DIR, to be copied off the database host.
"""

from __future__ import annotations

import base64
import logging
import time
from collections.abc import Collection, Sequence
from datetime import UTC, datetime
from pathlib import Path
from threading import Event
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    DateTime,
    Engine,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    func,
    insert,
    literal,
    select,
    tuple_,
    union_all,
)

from audit import merkle
from audit.merkle import Key
from audit.note import Checkpoint, Signer, sign_checkpoint
from audit.records import record_leaf_hash
from projections.engine import Positioned, ProjectionRunner, Tables

log = logging.getLogger(__name__)
CACHED_LEVEL = 8  # subtrees of >= 256 leaves: ~1/256 of the nodes, every proof's upper half
CACHE_SIZE = 200_000

audit_registry = MetaData()
audit_checkpoints = Table(
    "audit_checkpoints",
    audit_registry,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("origin", String(200), nullable=False),
    Column("tree_size", BigInteger, nullable=False),
    Column("root_hash", String(64), nullable=False),  # hex
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("note", Text, nullable=False),
)


class MerkleLogProjection:
    """Appends each batch's leaves and the complete subtrees they finish. ``raw = True``: the runner
    passes the stored Notification objects (raw state bytes), not decoded events."""

    name = "merkle_log"
    raw = True
    # Live mode (projections.engine.follow): catch up at most every half second — writers commit one
    # transaction per command; the log appends them in batches (checkpoints and catch_up() are immediate).
    linger_seconds = 0.5

    def define(self, metadata: MetaData, suffix: str) -> Tables:
        return Tables(
            leaves=Table(
                f"audit_leaves{suffix}",
                metadata,
                Column("position", BigInteger, primary_key=True, autoincrement=False),
                Column("notification_id", BigInteger, nullable=False, unique=True),
                Column("leaf_hash", LargeBinary(32), nullable=False),
            ),
            nodes=Table(
                f"audit_nodes{suffix}",
                metadata,
                Column("level", SmallInteger, primary_key=True, autoincrement=False),
                Column("idx", BigInteger, primary_key=True, autoincrement=False),
                Column("hash", LargeBinary(32), nullable=False),
            ),
        )

    def apply_batch(self, conn: Connection, tables: Tables, events: Sequence[Positioned]) -> None:
        size = tree_size(conn, tables)
        hashes = [record_leaf_hash(p.event) for p in events]
        frontier = fetch_nodes(conn, tables, merkle.subtree_keys(0, size))
        leaf_rows = [(size + i, p.position, h) for i, (p, h) in enumerate(zip(events, hashes, strict=True))]
        node_rows = [(lv, idx, h) for (lv, idx), h in merkle.new_nodes(size, frontier, hashes).items()]
        if conn.dialect.name == "postgresql" and len(leaf_rows) > 50:
            # COPY in the same transaction: a rebuild or a 1M-leaf tree is bound by inserts
            cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
            for table, columns, rows in (
                (tables["leaves"].name, "position, notification_id, leaf_hash", leaf_rows),
                (tables["nodes"].name, "level, idx, hash", node_rows),
            ):
                if rows:
                    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row(row)
            return
        conn.execute(insert(tables["leaves"]), [{"position": a, "notification_id": b, "leaf_hash": c} for a, b, c in leaf_rows])
        if node_rows:
            conn.execute(insert(tables["nodes"]), [{"level": a, "idx": b, "hash": c} for a, b, c in node_rows])


def tree_size(conn: Connection, tables: Tables) -> int:
    last = conn.execute(select(func.max(tables["leaves"].c.position))).scalar()
    return 0 if last is None else int(last) + 1


def fetch_nodes(conn: Connection, tables: Tables, keys: Collection[Key]) -> dict[Key, bytes]:
    """Stored complete-subtree hashes; level 0 from the leaves table. KeyError if one is missing."""
    out: dict[Key, bytes] = {}
    positions = [idx for level, idx in keys if level == 0]
    upper = [(level, idx) for level, idx in keys if level > 0]
    if positions:
        leaves = tables["leaves"]
        for position, h in conn.execute(select(leaves.c.position, leaves.c.leaf_hash).where(leaves.c.position.in_(positions))):
            out[(0, position)] = bytes(h)
    if upper:
        nodes = tables["nodes"]
        query = select(nodes.c.level, nodes.c.idx, nodes.c.hash).where(tuple_(nodes.c.level, nodes.c.idx).in_(upper))
        for level, idx, h in conn.execute(query):
            out[(level, idx)] = bytes(h)
    missing = set(keys) - out.keys()
    if missing:
        raise KeyError(f"Merkle log: stored subtree hashes missing: {sorted(missing)[:5]}")
    return out


class ProofError(ValueError):
    """A proof was asked for outside the tree."""


class AuditLog:
    """Checkpoints and proofs over the stored tree (the HTTP routes and the CLI use this)."""

    def __init__(
        self, engine: Engine, runner: ProjectionRunner, origin: str, key_file: Path, checkpoint_dir: Path | None
    ) -> None:
        self.engine = engine
        self.runner = runner
        self.origin = origin
        self.key_file = Path(key_file)
        self.checkpoint_dir = Path(checkpoint_dir) if checkpoint_dir else None
        self._signer: Signer | None = None
        self._active: tuple[int, float] | None = None
        self._cache: dict[tuple[int, int, int], bytes] = {}
        audit_registry.create_all(engine)

    @property
    def signer(self) -> Signer:
        if self._signer is None:
            self._signer = Signer.from_file(self.origin, self.key_file)
        return self._signer

    def public_key(self) -> str:
        return str(self.signer.verifier)

    # ----- tree ----------------------------------------------------------------------------------

    # Proofs are read in ONE query on an autocommit connection: the leaf and every stored subtree hash
    # the proof needs. Complete subtrees never change, so the upper levels (shared by every proof)
    # are also kept in a small in-process cache. The active version is re-read at most once a second
    # (a rebuild keeps the previous version readable until the next one).

    def _version(self) -> int:
        now = time.monotonic()
        if self._active is None or now - self._active[1] > 1.0:
            self._active = (self.runner.active_version(), now)
        return self._active[0]

    def _read(
        self, version: int, keys: Collection[Key], size_needed: bool, position: int | None = None
    ) -> tuple[int, dict[Key, bytes], int | None]:
        """(current tree size if asked, the hashes of ``keys``, the notification id of leaf ``position``)."""
        tables = self.runner.tables(version)
        leaves, nodes = tables["leaves"], tables["nodes"]
        out: dict[Key, bytes] = {}
        wanted = []
        for key in keys:
            cached = self._cache.get((version, *key))
            if cached is None:
                wanted.append(key)
            else:
                out[key] = cached
        positions = [idx for level, idx in wanted if level == 0]
        if position is not None and position not in positions:
            positions.append(position)
        upper = [(level, idx) for level, idx in wanted if level > 0]
        parts = []
        if positions:
            parts.append(
                select(
                    literal(0).label("level"),
                    leaves.c.position.label("idx"),
                    leaves.c.leaf_hash.label("h"),
                    leaves.c.notification_id.label("nid"),
                ).where(leaves.c.position.in_(positions))
            )
        if upper:
            parts.append(
                select(nodes.c.level, nodes.c.idx, nodes.c.hash.label("h"), literal(None, BigInteger).label("nid")).where(
                    tuple_(nodes.c.level, nodes.c.idx).in_(upper)
                )
            )
        if size_needed:
            parts.append(
                select(
                    literal(-1).label("level"),
                    func.coalesce(func.max(leaves.c.position), -1).label("idx"),
                    literal(b"", LargeBinary).label("h"),
                    literal(None, BigInteger).label("nid"),
                )
            )
        size, nid = -1, None
        if parts:
            query = parts[0] if len(parts) == 1 else union_all(*parts)
            with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                rows = conn.execute(query).all()
            for level, idx, h, leaf_nid in rows:
                if level == -1:
                    size = int(idx) + 1
                    continue
                out[(level, idx)] = bytes(h)
                if level == 0 and idx == position:
                    nid = leaf_nid
                if level >= CACHED_LEVEL and len(self._cache) < CACHE_SIZE:
                    self._cache[(version, level, idx)] = bytes(h)
        missing = set(keys) - out.keys()
        if missing:
            raise ProofError("the tree is smaller than asked (stored subtree hashes missing)")
        return size, out, nid

    def size(self) -> int:
        return self._read(self._version(), (), True)[0]

    def root(self, size: int | None = None) -> tuple[int, bytes]:
        version = self._version()
        if size is None:
            size = self.size()
        if size == 0:
            return 0, merkle.EMPTY_ROOT
        keys = merkle.subtree_keys(0, size)
        _, nodes, _ = self._read(version, keys, False)
        return size, merkle.fold([nodes[k] for k in keys])

    def inclusion(self, position: int, size: int | None = None) -> dict[str, Any]:
        version = self._version()
        if size is None:
            size = self.size()
        if not 0 <= position < size:
            raise ProofError(f"position {position} is not a leaf of a tree of size {size}")
        ranges = merkle.inclusion_ranges(position, size)
        keys = {k for s, n in ranges for k in merkle.subtree_keys(s, n)} | set(merkle.subtree_keys(0, size)) | {(0, position)}
        _, nodes, nid = self._read(version, keys, False, position)
        if nid is None:  # the leaf itself came from the cache: never (level 0 is not cached)
            raise ProofError(f"position {position} is not in the log")
        path = [merkle.fold([nodes[k] for k in merkle.subtree_keys(s, n)]) for s, n in ranges]
        root = merkle.fold([nodes[k] for k in merkle.subtree_keys(0, size)])
        return {
            "leaf_index": position,
            "notification_id": int(nid),
            "tree_size": size,
            "leaf_hash": nodes[(0, position)].hex(),
            "audit_path": [h.hex() for h in path],
            "root_hash": root.hex(),
        }

    def consistency(self, first: int, second: int | None = None) -> dict[str, Any]:
        version = self._version()
        if second is None:
            second = self.size()
        if not 0 < first <= second:
            raise ProofError("a consistency proof needs 0 < first <= second")
        ranges = merkle.consistency_ranges(first, second)
        keys = {k for s, n in ranges for k in merkle.subtree_keys(s, n)}
        keys |= set(merkle.subtree_keys(0, first)) | set(merkle.subtree_keys(0, second))
        _, nodes, _ = self._read(version, keys, False)
        fold = merkle.fold
        return {
            "first": first,
            "second": second,
            "first_root": fold([nodes[k] for k in merkle.subtree_keys(0, first)]).hex(),
            "second_root": fold([nodes[k] for k in merkle.subtree_keys(0, second)]).hex(),
            "proof": [fold([nodes[k] for k in merkle.subtree_keys(s, n)]).hex() for s, n in ranges],
        }

    # ----- checkpoints ---------------------------------------------------------------------------

    def checkpoint(self, *, catch_up: bool = True, only_if_grown: bool = False, at: datetime | None = None) -> Checkpoint | None:
        """Signs the current tree, records it and writes it to the checkpoint directory."""
        if catch_up:
            self.runner.catch_up()
        self._active = None  # sign the active version as it is now (a rebuild may just have switched it)
        size, root = self.root()
        if only_if_grown:
            last = self.latest()
            if last is not None and last.size == size:
                return None
        checkpoint = sign_checkpoint(self.signer, self.origin, size, root, at)
        with self.engine.begin() as conn:
            conn.execute(
                insert(audit_checkpoints).values(
                    origin=self.origin, tree_size=size, root_hash=root.hex(), created_at=checkpoint.time, note=checkpoint.note
                )
            )
        if self.checkpoint_dir is not None:
            self.write(checkpoint, self.checkpoint_dir)
        return checkpoint

    @staticmethod
    def write(checkpoint: Checkpoint, directory: Path) -> Path:
        directory.mkdir(parents=True, exist_ok=True)
        stamp = (checkpoint.time or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
        path = directory / f"checkpoint-{checkpoint.size:012d}-{stamp}.txt"
        path.write_text(checkpoint.note, encoding="utf-8")
        (directory / "latest.txt").write_text(checkpoint.note, encoding="utf-8")
        return path

    def checkpoints(self, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
        query = select(audit_checkpoints).order_by(audit_checkpoints.c.id.desc()).limit(limit).offset(offset)
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return [
            {
                "id": r["id"],
                "origin": r["origin"],
                "tree_size": r["tree_size"],
                "root_hash": r["root_hash"],
                "root_hash_b64": base64.b64encode(bytes.fromhex(r["root_hash"])).decode(),
                "created_at": r["created_at"].isoformat() if r["created_at"] else None,
                "note": r["note"],
            }
            for r in rows
        ]

    def notes(self) -> list[str]:
        with self.engine.connect() as conn:
            return list(conn.execute(select(audit_checkpoints.c.note).order_by(audit_checkpoints.c.id)).scalars())

    def latest(self) -> Checkpoint | None:
        from audit.note import parse_checkpoint

        with self.engine.connect() as conn:
            note = conn.execute(select(audit_checkpoints.c.note).order_by(audit_checkpoints.c.id.desc()).limit(1)).scalar()
        return None if note is None else parse_checkpoint(note)


def checkpoint_loop(audit_log: AuditLog, every_minutes: float, stop: Event) -> None:
    """A checkpoint every N minutes while the tree grows (the serve worker, `hazard-ledger project`)."""
    if every_minutes <= 0:
        return
    while not stop.wait(every_minutes * 60):
        try:
            made = audit_log.checkpoint(only_if_grown=True)
            if made is not None:
                log.info("checkpoint: tree size %s", made.size)
        except Exception:  # noqa: BLE001 — the next period tries again
            log.exception("checkpoint failed")
