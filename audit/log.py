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
from threading import Event, Lock
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool
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
    or_,
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
# Subtrees of >= 16 leaves are kept in process (loaded once per version, then as they are completed):
# a proof then reads its leaf and at most three stored nodes. About 1/16 of the nodes, capped.
CACHED_LEVEL = 4
CACHE_SIZE = 250_000

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


class ProofReader:
    """PostgreSQL: the rows of a proof (blocks of leaves, stored subtree hashes not cached, the tree
    size) in one prepared statement — each shape of it prepared once — on a small autocommit pool of
    its own, with no pre-ping: a proof costs one round trip and one index range scan."""

    WIDTH = 1 << CACHED_LEVEL
    ONE_BLOCK = "SELECT 0::int, position, leaf_hash, notification_id FROM {leaves} WHERE position >= %(lo)s AND position < %(hi)s"
    BLOCKS = (
        "SELECT 0::int, l.position, l.leaf_hash, l.notification_id FROM {leaves} l JOIN unnest(%(blocks)s::bigint[]) AS b(n)"
        f" ON l.position >= b.n * {WIDTH} AND l.position < (b.n + 1) * {WIDTH}"
    )
    NODES = (
        "SELECT n.level::int, n.idx, n.hash, NULL::bigint FROM {nodes} n"
        " JOIN unnest(%(levels)s::smallint[], %(idxs)s::bigint[]) AS k(level, idx) ON n.level = k.level AND n.idx = k.idx"
    )
    SIZE = "SELECT -1, coalesce(max(position), -1), NULL::bytea, NULL::bigint FROM {leaves}"

    def __init__(self, engine: Engine) -> None:
        self.conninfo = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._pool: Any = None
        self._opening = Lock()  # request threads: one pool

    def read(self, version: int, blocks: list[int], upper: list[Key], size_needed: bool) -> list[Any]:
        parts: list[str] = []
        params: dict[str, Any] = {}
        if len(blocks) == 1:
            parts.append(self.ONE_BLOCK)
            params.update(lo=blocks[0] * self.WIDTH, hi=(blocks[0] + 1) * self.WIDTH)
        elif blocks:
            parts.append(self.BLOCKS)
            params["blocks"] = blocks
        if upper:
            parts.append(self.NODES)
            params.update(levels=[lv for lv, _ in upper], idxs=[i for _, i in upper])
        if size_needed:
            parts.append(self.SIZE)
        if not parts:
            return []
        statement = " UNION ALL ".join(parts).format(leaves=f"audit_leaves_v{version}", nodes=f"audit_nodes_v{version}")
        try:
            return self._execute(statement, params)
        except psycopg.OperationalError:  # a connection the server closed (a restart): once more, on a fresh one
            return self._execute(statement, params)

    def _execute(self, statement: str, params: dict[str, Any]) -> list[Any]:
        with self._opening:
            if self._pool is None:
                self._pool = ConnectionPool(self.conninfo, min_size=1, max_size=4, kwargs={"autocommit": True}, open=True)
        with self._pool.connection() as conn:
            return conn.execute(statement, params, prepare=True).fetchall()  # type: ignore[arg-type]

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()


def _from_leaves(leaves: dict[int, bytes], level: int, idx: int) -> bytes | None:
    """The hash of the complete subtree (level, idx) from its leaf hashes; None if one is missing."""
    hashes = [leaves.get(p) for p in range(idx << level, (idx + 1) << level)]
    if None in hashes:
        return None
    while len(hashes) > 1:
        hashes = [merkle.node_hash(hashes[i], hashes[i + 1]) for i in range(0, len(hashes), 2)]  # type: ignore[arg-type]
    return hashes[0]


class ProofError(ValueError):
    """A proof was asked for outside the tree."""


class AuditLog:
    """Checkpoints and proofs over the stored tree (the HTTP routes and the CLI use this)."""

    def __init__(
        self, engine: Engine, runner: ProjectionRunner, origin: str, key_file: Path, checkpoint_dir: Path | None,
        *, create_key: bool = True,
    ) -> None:  # fmt: skip
        self.engine = engine
        self.runner = runner
        self.origin = origin
        self.key_file = Path(key_file)
        self.checkpoint_dir = Path(checkpoint_dir) if checkpoint_dir else None
        self.create_key = create_key  # False: a missing key is refused (SigningKeyMissing), never made
        self._signer: Signer | None = None
        self._active: tuple[int, float] | None = None
        self._cache: dict[tuple[int, int, int], bytes] = {}
        self._warmed: int | None = None
        self._roots: dict[tuple[int, int], bytes] = {}
        self._proofs = ProofReader(engine)  # audit_checkpoints: adapters/migrations/

    def close(self) -> None:
        self._proofs.close()

    @property
    def signer(self) -> Signer:
        if self._signer is None:
            self._signer = Signer.from_file(self.origin, self.key_file, create=self.create_key)
        return self._signer

    def public_key(self) -> str | None:
        """The checkpoint key's public half; None until the first checkpoint makes the key (a read never does)."""
        if self._signer is None and not self.key_file.exists():
            return None
        return str(self.signer.verifier)

    # ----- tree ----------------------------------------------------------------------------------

    # A proof is ONE query on an autocommit connection. Complete subtrees never change, so those of 16
    # leaves and more are kept in process (loaded once per version, then as the tree completes them);
    # below that, the query reads the block of 16 leaves around the position and the subtrees are
    # folded here. The active version is re-read at most once a second (a rebuild keeps the previous
    # version readable until the next one).

    def _version(self) -> int:
        now = time.monotonic()
        if self._active is None or now - self._active[1] > 1.0:
            self._active = (self.runner.active_version(), now)
        return self._active[0]

    def _read(
        self, version: int, keys: Collection[Key], size_needed: bool, position: int | None = None
    ) -> tuple[int, dict[Key, bytes], int | None]:
        """(current tree size if asked, the hashes of ``keys``, the notification id of leaf ``position``)."""
        if self._warmed != version:
            self._warm(version)
        out: dict[Key, bytes] = {}
        wanted = []
        for key in keys:
            cached = self._cache.get((version, *key))
            if cached is None:
                wanted.append(key)
            else:
                out[key] = cached
        # Below the cached levels, a subtree is folded from its leaves: the proof reads whole blocks of
        # 2**CACHED_LEVEL consecutive leaves (one index range each) instead of a lookup per node.
        low = [key for key in wanted if key[0] < CACHED_LEVEL]
        blocks = {(idx << level) >> CACHED_LEVEL for level, idx in low}
        if position is not None:
            blocks.add(position >> CACHED_LEVEL)
        upper = [key for key in wanted if key[0] >= CACHED_LEVEL]
        if self.engine.dialect.name == "postgresql":
            rows = self._proofs.read(version, sorted(blocks), upper, size_needed)
        else:
            rows = self._read_rows(version, sorted(blocks), upper, size_needed)
        size, nid = -1, None
        leaves: dict[int, bytes] = {}
        for level, idx, h, leaf_nid in rows:
            if level == -1:
                size = int(idx) + 1
            elif level == 0:
                leaves[idx] = bytes(h)
                if idx == position:
                    nid = leaf_nid
            else:
                out[(level, idx)] = bytes(h)
                if len(self._cache) < CACHE_SIZE:
                    self._cache[(version, level, idx)] = bytes(h)
        for level, idx in low:
            folded = _from_leaves(leaves, level, idx)
            if folded is not None:
                out[(level, idx)] = folded
                if len(self._cache) < CACHE_SIZE:  # complete subtrees never change: e.g. the root's right edge
                    self._cache[(version, level, idx)] = folded
        missing = set(keys) - out.keys()
        if missing:
            raise ProofError("the tree is smaller than asked (stored subtree hashes missing)")
        return size, out, nid

    def _warm(self, version: int) -> None:
        """Loads the stored subtrees of the cached levels (the cache keeps one version)."""
        nodes = self.runner.tables(version)["nodes"]
        self._cache.clear()
        query = select(nodes.c.level, nodes.c.idx, nodes.c.hash).where(nodes.c.level >= CACHED_LEVEL).limit(CACHE_SIZE)
        with self.engine.connect() as conn:
            self._cache.update(((version, level, idx), bytes(h)) for level, idx, h in conn.execute(query))
        self._warmed = version

    def _read_rows(self, version: int, blocks: list[int], upper: list[Key], size_needed: bool) -> list[Any]:
        tables = self.runner.tables(version)
        leaves, nodes = tables["leaves"], tables["nodes"]
        parts = []
        if blocks:
            width = 1 << CACHED_LEVEL
            in_blocks = or_(*(leaves.c.position.between(b * width, b * width + width - 1) for b in blocks))
            parts.append(
                select(
                    literal(0).label("level"),
                    leaves.c.position.label("idx"),
                    leaves.c.leaf_hash.label("h"),
                    leaves.c.notification_id.label("nid"),
                ).where(in_blocks)
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
        if not parts:
            return []
        query = parts[0] if len(parts) == 1 else union_all(*parts)
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            return list(conn.execute(query).all())

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
        path_keys = [merkle.subtree_keys(s, n) for s, n in merkle.inclusion_ranges(position, size)]
        root = self._roots.get((version, size))
        root_keys = merkle.subtree_keys(0, size) if root is None else []
        keys = {k for ks in path_keys for k in ks} | set(root_keys) | {(0, position)}
        _, nodes, nid = self._read(version, keys, False, position)
        if nid is None:  # the leaf's own row is always read (its notification id): not there, not in the log
            raise ProofError(f"position {position} is not in the log")
        path = [merkle.fold([nodes[k] for k in ks]) for ks in path_keys]
        if root is None:
            root = merkle.fold([nodes[k] for k in root_keys])
            if len(self._roots) > 64:
                self._roots.clear()
            self._roots[(version, size)] = root  # a tree size's root never changes within a version
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
