"""The offline verifier: checks a database or an export file against signed checkpoints, without the
server (``hazard-ledger audit verify``; the export format is in audit/README.md).

1. Reads every stored event row in notification-id order and recomputes its leaf hash (the bytes as
   stored: ``audit/records.py``); merges them with the stored leaves (``audit_leaves_vN``): a changed
   row (UPDATE, a row put back under a deleted id), a missing row (DELETE), an extra row (INSERT)
   and a broken leaf table are each named by position and notification id.
2. Recomputes the tree root at every checkpoint's size — from the rows, and from the stored leaves —
   and compares it with the checkpoint, whose Ed25519 signature is verified with the log's public key.
   A history rewritten consistently (rows, leaves and nodes) is caught by any checkpoint signed before
   the rewrite; the change lies between the last checkpoint that still matches and that one. On a
   database, the stored nodes must also prove each checkpoint consistent with the current tree.
3. Checks every personal signature (``domain.signatures.signature_check``) with key states folded
   from the SigningKey events, if that module is installed.

The first bad position and the reason (Chinese and English) are reported; any failure is fatal.
"""

from __future__ import annotations

import base64
import importlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple
from uuid import UUID

from sqlalchemy import Engine, create_engine, inspect, text

from audit import merkle
from audit.merkle import StreamingRoot
from audit.note import Checkpoint, NoteError, VerifierKey, parse_checkpoint, verify_note
from audit.records import RawRecord, count_records, read_records, row_leaf_hash

EXPORT_FORMAT = "hazard-ledger-audit-export"
EXPORT_VERSION = 1
Progress = Callable[[int, int], None]


class StoredLeaf(NamedTuple):
    position: int
    notification_id: int
    hash: bytes


_as_leaf = partial(tuple.__new__, StoredLeaf)  # a row as a StoredLeaf without a Python call per leaf


@dataclass
class Finding:
    code: str
    en: str
    zh: str
    position: int | None = None  # leaf position (0-based, notification-id order)
    notification_id: int | None = None
    range_end: int | None = None  # the change lies in [position, range_end) (checkpoint mismatches)
    fatal: bool = True

    def line(self) -> str:
        where = ""
        if self.position is not None:
            where = f"position {self.position}" if self.range_end is None else f"positions [{self.position}, {self.range_end})"
            if self.notification_id is not None:
                where += f" (notification id {self.notification_id})"
            where += ": "
        return f"{where}{self.zh} / {self.en} [{self.code}]"


@dataclass
class Report:
    events: int = 0
    leaves: int = 0
    root: str = ""
    stored_root: str = ""
    checkpoints: list[dict[str, Any]] = field(default_factory=list)
    signatures: str = "not checked"
    signatures_checked: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(f.fatal for f in self.findings)

    @property
    def first_bad(self) -> Finding | None:
        """The lowest position that is known bad. A checkpoint range counts only if no precise finding
        falls inside it (otherwise that finding explains the mismatch)."""
        fatal = [f for f in self.findings if f.fatal]
        precise = [f for f in fatal if f.position is not None and f.range_end is None]
        ranges = [
            f
            for f in fatal
            if f.range_end is not None and not any(f.position <= p.position < f.range_end for p in precise)  # type: ignore[operator]
        ]
        positioned = sorted(precise + ranges, key=lambda f: f.position)  # type: ignore[arg-type, return-value]
        if positioned:
            return positioned[0]
        return fatal[0] if fatal else None

    def to_dict(self) -> dict[str, Any]:
        first = self.first_bad
        return {
            "ok": self.ok,
            "events": self.events,
            "leaves": self.leaves,
            "root": self.root,
            "stored_root": self.stored_root,
            "checkpoints": self.checkpoints,
            "signatures": self.signatures,
            "signatures_checked": self.signatures_checked,
            "first_bad": None if first is None else first.__dict__,
            "findings": [f.__dict__ for f in self.findings],
        }


# ----- sources: a database, or an export file -----------------------------------------------------------


def engine_for(url: str) -> Engine:
    if url.startswith(("postgresql://", "postgres://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return create_engine(url)


class DatabaseSource:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        names = set(inspect(engine).get_table_names())
        self.version: int | None = None
        self.tracking: int | None = None
        if "projection_active" in names:
            with engine.connect() as conn:
                self.version = conn.execute(
                    text("SELECT version FROM projection_active WHERE projection = 'merkle_log'")
                ).scalar()
                if self.version is not None:
                    self.tracking = conn.execute(
                        text("SELECT position FROM projection_tracking WHERE projection = 'merkle_log' AND version = :v"),
                        {"v": self.version},
                    ).scalar()
        self.has_checkpoints = "audit_checkpoints" in names
        self.public_key: str | None = None

    @property
    def leaves_table(self) -> str | None:
        return None if self.version is None else f"audit_leaves_v{self.version}"

    def count(self) -> int:
        return count_records(self.engine)

    def records(self) -> Iterator[RawRecord]:
        return read_records(self.engine)

    def leaves(self, chunk: int = 20_000) -> Iterator[StoredLeaf]:
        if self.leaves_table is None:
            return
        after = -1
        query = text(
            f"SELECT position, notification_id, leaf_hash FROM {self.leaves_table} "
            f"WHERE position > :a ORDER BY position LIMIT {chunk}"
        )
        with self.engine.connect() as conn:
            if self.engine.dialect.name == "postgresql":  # the driver's cursor: no per-row result overhead
                cursor = conn.connection.dbapi_connection.cursor(binary=True)  # type: ignore[union-attr]
                plain = (
                    f"SELECT position, notification_id, leaf_hash FROM {self.leaves_table} "
                    f"WHERE position > %s ORDER BY position LIMIT {chunk}"
                )
                fetch = lambda a: cursor.execute(plain, (a,)).fetchall()  # noqa: E731
            else:
                fetch = lambda a: conn.execute(query, {"a": a}).all()  # noqa: E731
            while True:
                rows = fetch(after)
                yield from map(_as_leaf, rows)
                if len(rows) < chunk:
                    return
                after = rows[-1][0]

    def checkpoint_notes(self) -> list[str]:
        if not self.has_checkpoints:
            return []
        with self.engine.connect() as conn:
            return list(conn.execute(text("SELECT note FROM audit_checkpoints ORDER BY id")).scalars())

    def consistency(self, first: int, second: int) -> tuple[list[bytes], bytes, bytes] | None:
        """A consistency proof from the stored nodes (as the API serves it), or None if unavailable."""
        if self.version is None:
            return None
        from sqlalchemy import MetaData

        from audit.log import MerkleLogProjection, fetch_nodes

        tables = MerkleLogProjection().define(MetaData(), f"_v{self.version}")

        class Source:
            def get_nodes(self, keys):  # type: ignore[no-untyped-def]
                return fetch_nodes(conn, tables, keys)

        with self.engine.connect() as conn:
            try:
                proof = merkle.consistency_proof(Source(), first, second)
                return proof, merkle.root(Source(), first), merkle.root(Source(), second)
            except KeyError:
                return None


class ExportSource:
    """A JSON Lines export (audit/README.md): read twice in parallel, rows and leaves."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        with self.path.open(encoding="utf-8") as f:
            header = json.loads(f.readline())
        if header.get("format") != EXPORT_FORMAT:
            raise ValueError(f"{path}: not a hazard-ledger audit export")
        self.header = header
        self.public_key: str | None = header.get("public_key")
        self.tracking = header.get("log_position")

    def _lines(self, tag: str) -> Iterator[dict[str, Any]]:
        prefix = f'{{"t":"{tag}"'
        with self.path.open(encoding="utf-8") as f:
            f.readline()
            for line in f:
                if line.startswith(prefix):
                    yield json.loads(line)

    def count(self) -> int:
        return int(self.header.get("events", 0))

    def records(self) -> Iterator[RawRecord]:
        for e in self._lines("e"):
            yield RawRecord(e["id"], e["oid"], e["v"], e["topic"], base64.b64decode(e["state"]))

    def leaves(self) -> Iterator[StoredLeaf]:
        for leaf in self._lines("l"):
            yield StoredLeaf(leaf["p"], leaf["id"], bytes.fromhex(leaf["h"]))

    def checkpoint_notes(self) -> list[str]:
        return [c["note"] for c in self._lines("c")]

    def consistency(self, first: int, second: int) -> None:
        return None


def export(engine: Engine, out: Path, public_key: str | None, progress: Progress | None = None) -> dict[str, int]:
    """Writes the raw events (base64 state), the leaves, the checkpoints and the log's public key."""
    source = DatabaseSource(engine)
    total = source.count()
    notes = source.checkpoint_notes()
    leaves = 0
    out = Path(out)
    tmp = out.with_name(out.name + ".part")
    with tmp.open("w", encoding="utf-8") as f:
        header = {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "created_at": datetime.now(UTC).isoformat(),
            "database": engine.dialect.name,
            "events": total,
            "public_key": public_key,
            "log_version": source.version,
            "log_position": source.tracking,
        }
        f.write(json.dumps(header, ensure_ascii=False) + "\n")
        for note in notes:
            f.write(json.dumps({"t": "c", "note": note}, ensure_ascii=False, separators=(",", ":")) + "\n")
        for i, r in enumerate(source.records(), 1):
            oid = str(r.originator_id)
            row = {
                "t": "e",
                "id": r.notification_id,
                "oid": oid,
                "v": r.originator_version,
                "topic": r.topic,
                "state": base64.b64encode(r.state).decode(),
            }
            f.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n")
            if progress and i % 10_000 == 0:
                progress(i, total)
        for leaf in source.leaves():
            f.write(
                json.dumps(
                    {"t": "l", "p": leaf.position, "id": leaf.notification_id, "h": leaf.hash.hex()}, separators=(",", ":")
                )
                + "\n"
            )
            leaves += 1
    tmp.replace(out)
    if progress:
        progress(total, total)
    return {"events": total, "leaves": leaves, "checkpoints": len(notes)}


# ----- personal signatures (domain/signatures.py, if installed) ------------------------------------------


class SignatureChecker:
    """Decodes only the events that can carry a signature or change a key, then checks each signature
    with the key states folded from all SigningKey events."""

    KEY_TOPIC = "SigningKey"

    def __init__(self) -> None:
        self.module: Any = None
        self.missing = ""
        try:
            self.module = importlib.import_module("domain.signatures")
        except ImportError as exc:
            self.missing = f"module missing ({exc.name})"
            return
        if not hasattr(self.module, "signature_check"):
            self.missing = "module incomplete (no signature_check)"
            self.module = None
            return
        from domain.ledger import Ledger

        self.mapper = Ledger(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}).mapper
        self.key_events: list[Any] = []
        self.signed: list[tuple[int, int, Any]] = []  # position, notification id, event
        self.undecodable: list[tuple[int, int, str]] = []

    @property
    def active(self) -> bool:
        return self.module is not None

    SIGNED = b'"signature":{'  # the transcoder writes compact JSON: a row without it carries no signature

    def see(self, position: int, record: RawRecord) -> None:
        is_key = self.KEY_TOPIC in record.topic
        try:
            oid = record.originator_id
            if isinstance(oid, str) and len(oid) in (32, 36):
                record = record._replace(originator_id=UUID(oid))
            event = self.mapper.to_domain_event(record)  # type: ignore[arg-type]
        except Exception as exc:  # noqa: BLE001 — a forged row may not even decode
            self.undecodable.append((position, record.notification_id, repr(exc)[:200]))
            return
        if is_key:
            self.key_events.append(event)
        if getattr(event, "signature", None) is not None:
            self.signed.append((position, record.notification_id, event))

    def keys(self) -> Any:
        fold = next(
            (
                getattr(self.module, name)
                for name in ("fold_key_states", "fold_keys", "key_states", "fold_signing_keys", "KeyRegistry")
                if hasattr(self.module, name)
            ),
            None,
        )
        if fold is None:
            return self.key_events
        if isinstance(fold, type) and hasattr(fold, "from_events"):
            return fold.from_events(self.key_events)
        return fold(self.key_events)

    def check(self, report: Report) -> None:
        for position, nid, reason in self.undecodable:
            report.findings.append(
                Finding("undecodable", f"the event cannot be decoded: {reason}", "事件无法解码", position, nid)
            )
        keys = self.keys()
        for position, nid, event in self.signed:
            result = self.module.signature_check(event, keys)
            report.signatures_checked += 1
            if not getattr(result, "ok", False):
                code = getattr(result, "reason_code", "invalid")
                report.findings.append(
                    Finding(
                        f"signature_{code}",
                        f"personal signature rejected: {getattr(result, 'reason_en', code)}",
                        f"个人电子签名无效：{getattr(result, 'reason_zh', code)}",
                        position,
                        nid,
                    )
                )


# ----- the verification ----------------------------------------------------------------------------------


def _checkpoints(notes: list[tuple[str, str]], key: VerifierKey | None, report: Report) -> list[tuple[str, Checkpoint]]:
    valid = []
    for label, note in notes:
        try:
            cp = parse_checkpoint(note)
        except NoteError as exc:
            report.findings.append(
                Finding("checkpoint_malformed", f"{label}: malformed checkpoint: {exc}", f"{label}：检查点格式错误")
            )
            continue
        if key is None:
            report.findings.append(
                Finding(
                    "no_public_key",
                    f"{label}: no public key to verify the checkpoint's signature (--public-key)",
                    f"{label}：缺少日志公钥，无法验证检查点签名",
                )
            )
            continue
        if not verify_note(note, key):
            report.findings.append(
                Finding(
                    "checkpoint_signature",
                    f"{label}: the checkpoint of size {cp.size} has no valid signature by {key.name}",
                    f"{label}：规模为 {cp.size} 的检查点签名无效（非日志密钥签发或内容被改）",
                )
            )
            continue
        valid.append((label, cp))
    return valid


def verify(
    source: DatabaseSource | ExportSource,
    checkpoint_files: list[tuple[str, str]] | None = None,
    public_key: str | None = None,
    *,
    include_recorded: bool = True,
    allow_unlogged: bool = False,
    progress: Progress | None = None,
) -> Report:
    """``checkpoint_files``: (label, note text) kept by the auditor; the checkpoints recorded in the
    database / export are checked too unless ``include_recorded`` is false."""
    report = Report()
    vkey_text = public_key or source.public_key
    key = None
    if vkey_text:
        try:
            key = VerifierKey.parse(vkey_text)
        except NoteError as exc:
            report.findings.append(Finding("bad_public_key", str(exc), "日志公钥格式错误"))
    notes = list(checkpoint_files or [])
    if include_recorded:
        notes += [(f"recorded checkpoint #{i + 1}", n) for i, n in enumerate(source.checkpoint_notes())]
    checkpoints = _checkpoints(notes, key, report)
    sizes = {cp.size for _, cp in checkpoints}
    raw_roots: dict[int, bytes] = {}
    stored_roots: dict[int, bytes] = {}
    if 0 in sizes:
        raw_roots[0] = stored_roots[0] = merkle.EMPTY_ROOT

    signatures = SignatureChecker()
    total = source.count()
    raw, stored = StreamingRoot(), StreamingRoot()
    rows, leaves = source.records(), source.leaves()
    r, leaf = next(rows, None), next(leaves, None)
    expected_position, last_nid = 0, None
    unlogged_first: tuple[int, int] | None = None
    unlogged = 0
    tracking = source.tracking or 0
    add = report.findings.append
    same = True  # the stored leaves equal the recomputed ones so far: one tree serves both (the fast path)
    checking, key_topic, signed = signatures.active, SignatureChecker.KEY_TOPIC, SignatureChecker.SIGNED

    def diverge() -> None:
        nonlocal same, stored
        if same:
            same = False
            stored = raw.copy()

    while r is not None or leaf is not None:
        if leaf is not None and (
            leaf.position != expected_position or (last_nid is not None and leaf.notification_id <= last_nid)
        ):
            add(
                Finding(
                    "leaf_table_broken",
                    f"the stored leaves are not numbered 0.. with increasing notification ids "
                    f"(leaf {leaf.position}, id {leaf.notification_id})",
                    "默克尔日志叶子表被改动（序号不连续或编号未递增）",
                    expected_position,
                    leaf.notification_id,
                )
            )
            expected_position = leaf.position
        if r is not None and leaf is not None and r.notification_id == leaf.notification_id:
            h = row_leaf_hash(*r)
            if h != leaf.hash:
                diverge()
                add(
                    Finding(
                        "row_changed",
                        "the stored event differs from the one logged at this position "
                        "(UPDATE, or a forged row under a logged id)",
                        "事件记录与日志中该位置的记录不一致（被修改，或以原编号插入伪造记录）",
                        leaf.position,
                        r.notification_id,
                    )
                )
            if checking and (key_topic in r.topic or signed in (r.state or b"")):  # may carry a signature
                signatures.see(raw.size, r)
            raw.append(h)
            if not same:
                stored.append(leaf.hash)
            last_nid = leaf.notification_id
            r, leaf = next(rows, None), next(leaves, None)
            expected_position += 1
        elif r is not None and (leaf is None or r.notification_id < leaf.notification_id):
            h = row_leaf_hash(*r)
            diverge()
            if leaf is None and r.notification_id > tracking:
                unlogged += 1
                if unlogged_first is None:
                    unlogged_first = (raw.size, r.notification_id)
            else:
                add(
                    Finding(
                        "extra_row",
                        "a stored event that the log never recorded (a row inserted behind the log's back)",
                        "日志中没有的事件记录（绕过日志插入的记录）",
                        raw.size,
                        r.notification_id,
                    )
                )
            if checking and (key_topic in r.topic or signed in (r.state or b"")):  # may carry a signature
                signatures.see(raw.size, r)
            raw.append(h)
            r = next(rows, None)
        else:
            assert leaf is not None
            diverge()
            add(
                Finding(
                    "row_missing",
                    "a logged event is missing from the store (DELETE)",
                    "日志中记录的事件已从事件库中删除",
                    leaf.position,
                    leaf.notification_id,
                )
            )
            stored.append(leaf.hash)
            last_nid = leaf.notification_id
            leaf = next(leaves, None)
            expected_position += 1
        if raw.size in sizes and raw.size not in raw_roots:
            raw_roots[raw.size] = raw.root()
            if same:
                stored_roots[raw.size] = raw_roots[raw.size]
        if not same and stored.size in sizes and stored.size not in stored_roots:
            stored_roots[stored.size] = stored.root()
        if progress and raw.size % 20_000 == 0:
            progress(raw.size, max(total, raw.size))
    if progress:
        progress(raw.size, max(total, raw.size))
    if same:
        stored = raw
    report.events, report.leaves = raw.size, stored.size
    report.root, report.stored_root = raw.root().hex(), stored.root().hex()
    if unlogged_first is not None:
        add(
            Finding(
                "unlogged",
                f"{unlogged} stored event(s) from here on are not in the log yet "
                "(the log lags, or rows were appended behind its back)",
                f"自此起 {unlogged} 个事件尚未记入默克尔日志（日志滞后，或绕过日志追加）",
                unlogged_first[0],
                unlogged_first[1],
                fatal=not allow_unlogged,
            )
        )

    # checkpoints: the recomputed root at each size; ranges between the last matching one and a failing one
    good_below = 0
    for label, cp in sorted(checkpoints, key=lambda lc: lc[1].size):
        entry = {"source": label, "size": cp.size, "root": cp.root.hex(), "time": cp.time.isoformat() if cp.time else None}
        if cp.size > raw.size:
            entry["ok"] = False
            add(
                Finding(
                    "checkpoint_ahead",
                    f"{label}: signed for {cp.size} events but only {raw.size} are stored (rows deleted or the log truncated)",
                    f"{label}：检查点签发时有 {cp.size} 个事件，现仅存 {raw.size} 个（记录被删除或截断）",
                    raw.size,
                    None,
                    cp.size,
                )
            )
        elif raw_roots.get(cp.size) != cp.root:
            entry["ok"] = False
            add(
                Finding(
                    "checkpoint_mismatch",
                    f"{label}: the events before position {cp.size} are not those signed at {entry['time']}: "
                    "history was rewritten",
                    f"{label}：第 {cp.size} 位之前的事件与 {entry['time']} 签发的检查点不符，历史被改写",
                    good_below,
                    None,
                    cp.size,
                )
            )
        else:
            entry["ok"] = True
            good_below = max(good_below, cp.size)
            if stored_roots.get(cp.size) != cp.root and cp.size <= stored.size:
                add(
                    Finding(
                        "stored_leaves_mismatch",
                        f"{label}: the stored leaves do not give the signed root at size {cp.size}",
                        f"{label}：存储的日志叶子与检查点不符",
                        None,
                    )
                )
            elif cp.size <= stored.size and stored.size > 0:
                proof = source.consistency(cp.size, stored.size)
                if proof is not None:
                    path, first_root, second_root = proof
                    if not merkle.verify_consistency(cp.size, stored.size, cp.root, stored.root(), path):
                        add(
                            Finding(
                                "stored_nodes_inconsistent",
                                f"{label}: the stored tree nodes do not prove consistency with the checkpoint "
                                "(nodes table changed)",
                                f"{label}：存储的树节点无法证明与检查点一致（节点表被改动）",
                            )
                        )
        report.checkpoints.append(entry)

    if signatures.active:
        signatures.check(report)
        report.signatures = f"{report.signatures_checked} checked"
    else:
        report.signatures = f"not checked ({signatures.missing})"
    return report
