"""Proofs served from the stored tree (audit/log.py: leaves folded in blocks below the cached levels,
upper levels cached in process, one query per proof) equal the naive recomputation, on both backends,
for trees that grow after the cache was loaded and for positions and sizes on every block edge."""

from __future__ import annotations

import random
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.settings import Settings
from app.wiring import build
from audit import merkle
from audit.log import CACHED_LEVEL
from audit.merkle import MemoryTree
from audit.records import RawRecord, record_leaf_hash
from projections.engine import Positioned

BLOCK = 1 << CACHED_LEVEL


def _append(services, records: list[RawRecord]) -> None:  # type: ignore[no-untyped-def]
    runner = services.read_models.merkle_log
    with services.engine.begin() as conn:
        runner.projection.apply_batch(conn, runner.tables(), [Positioned(r.notification_id, r) for r in records])


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sizes=st.lists(st.integers(1, 3 * BLOCK + 5), min_size=1, max_size=3), data=st.data())
def test_stored_tree_proofs_equal_the_naive_recomputation(
    db_url: str, tmp_path: Path, sizes: list[int], data: st.DataObject
) -> None:
    services = build(Settings(db_url=db_url, log_key_file=tmp_path / "log-key.pem", checkpoint_dir=None))
    try:
        services.read_models.merkle_log.rebuild()  # an empty tree of a new version for each example
        audit, tree, rng = services.audit, MemoryTree(), random.Random(len(sizes))
        nid, batch_ids = 1000, []
        for grow in sizes:  # the tree grows between rounds of proofs: the cache was loaded on a smaller tree
            batch = []
            for _ in range(grow):
                nid += rng.randrange(1, 3)  # notification ids may have gaps
                batch.append(RawRecord(nid, rng.randbytes(16).hex(), 1, "test.Synthetic", rng.randbytes(12)))
            _append(services, batch)
            for record in batch:
                tree.append(record_leaf_hash(record))
                batch_ids.append(record.notification_id)
            size = audit.size()
            assert size == tree.size and audit.root(size)[1] == tree.root()
            edges = {0, size - 1, *(p for b in range(0, size, BLOCK) for p in (b, b - 1) if 0 <= p < size)}
            picks = edges | set(data.draw(st.lists(st.integers(0, size - 1), max_size=5), "positions"))
            for position in sorted(picks):
                for at in {size, data.draw(st.integers(position + 1, size), "tree size")}:
                    proof = audit.inclusion(position, at)
                    assert proof["audit_path"] == [h.hex() for h in merkle.inclusion_proof(tree, position, at)]
                    assert proof["root_hash"] == tree.root(at).hex() and proof["notification_id"] == batch_ids[position]
                    assert merkle.verify_inclusion(
                        position, at, bytes.fromhex(proof["leaf_hash"]),
                        [bytes.fromhex(h) for h in proof["audit_path"]], bytes.fromhex(proof["root_hash"]),
                    )  # fmt: skip
            first = data.draw(st.integers(1, size), "first")
            c = audit.consistency(first, size)
            assert c["proof"] == [h.hex() for h in merkle.consistency_proof(tree, first, size)]
            assert c["first_root"] == tree.root(first).hex() and c["second_root"] == tree.root(size).hex()
    finally:
        services.close()
