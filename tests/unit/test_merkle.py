"""RFC 9162 Merkle tree: stored-subtree proofs against a naive recursive definition; signed notes."""

from __future__ import annotations

import hashlib
import itertools

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from audit import merkle
from audit.merkle import MemoryTree, StreamingRoot, leaf_hash
from audit.note import NoteError, Signer, VerifierKey, parse_checkpoint, sign_checkpoint, verify_checkpoint, verify_note
from audit.records import leaf_bytes, row_leaf_hash

leaves_st = st.lists(st.binary(max_size=8), min_size=1, max_size=70)


def naive_mth(data: list[bytes]) -> bytes:
    n = len(data)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return hashlib.sha256(b"\x00" + data[0]).digest()
    k = 1
    while k * 2 < n:
        k *= 2
    return hashlib.sha256(b"\x01" + naive_mth(data[:k]) + naive_mth(data[k:])).digest()


def naive_path(m: int, data: list[bytes]) -> list[bytes]:
    n = len(data)
    if n == 1:
        return []
    k = merkle.split(n)
    if m < k:
        return naive_path(m, data[:k]) + [naive_mth(data[k:])]
    return naive_path(m - k, data[k:]) + [naive_mth(data[:k])]


def naive_subproof(m: int, data: list[bytes], whole: bool) -> list[bytes]:
    n = len(data)
    if m == n:
        return [] if whole else [naive_mth(data)]
    k = merkle.split(n)
    if m <= k:
        return naive_subproof(m, data[:k], whole) + [naive_mth(data[k:])]
    return naive_subproof(m - k, data[k:], False) + [naive_mth(data[:k])]


def tree_of(data: list[bytes]) -> MemoryTree:
    return MemoryTree(leaf_hash(d) for d in data)


@given(leaves_st)
def test_root_equals_naive_mth_for_every_prefix(data: list[bytes]) -> None:
    tree = tree_of(data)
    stream = StreamingRoot()
    for n in range(1, len(data) + 1):
        stream.append(leaf_hash(data[n - 1]))
        expected = naive_mth(data[:n])
        assert tree.root(n) == expected
        assert stream.root() == expected


def test_empty_tree_root() -> None:
    assert MemoryTree().root(0) == hashlib.sha256(b"").digest() == StreamingRoot().root()


@given(leaves_st, st.data())
def test_inclusion_proofs_verify_and_reject_wrong_leaf_or_index(data: list[bytes], draw: st.DataObject) -> None:
    tree = tree_of(data)
    n = draw.draw(st.integers(1, len(data)))
    root = tree.root(n)
    for m in range(n):
        proof = merkle.inclusion_proof(tree, m, n)
        assert proof == naive_path(m, data[:n])
        assert merkle.verify_inclusion(m, n, leaf_hash(data[m]), proof, root)
        assert not merkle.verify_inclusion(m, n, leaf_hash(data[m] + b"x"), proof, root)
        for other in range(n):  # a wrong index fails, unless it is an identical leaf with the identical path
            if other != m and not (data[other] == data[m] and naive_path(other, data[:n]) == proof):
                assert not merkle.verify_inclusion(other, n, leaf_hash(data[m]), proof, root)
        assert not merkle.verify_inclusion(n, n, leaf_hash(data[m]), proof, root)


@given(leaves_st, st.data())
def test_consistency_proofs_verify_and_fail_when_an_earlier_leaf_changes(data: list[bytes], draw: st.DataObject) -> None:
    tree = tree_of(data)
    n = draw.draw(st.integers(1, len(data)))
    for m in range(1, n + 1):
        proof = merkle.consistency_proof(tree, m, n)
        assert proof == naive_subproof(m, data[:n], True)
        assert merkle.verify_consistency(m, n, tree.root(m), tree.root(n), proof)
        changed_index = draw.draw(st.integers(0, m - 1))
        changed = list(data[:n])
        changed[changed_index] = changed[changed_index] + b"!"
        forged = tree_of(changed)
        # the old root no longer fits a history whose earlier leaf changed
        assert not merkle.verify_consistency(m, n, tree.root(m), forged.root(n), merkle.consistency_proof(forged, m, n))
        assert not merkle.verify_consistency(m, n, forged.root(m), tree.root(n), proof)


@settings(max_examples=50, deadline=None)  # a loaded machine must not flake it
@given(st.lists(st.binary(max_size=6), min_size=0, max_size=40), st.lists(st.integers(1, 9), min_size=1, max_size=12))
@example([b""] * 11, [1])  # more batches than the list gives once (the test itself ran out of sizes)
def test_batch_append_stores_the_same_nodes_as_a_full_build(data: list[bytes], batches: list[int]) -> None:
    """audit/log.py's maintenance: new_nodes over batches == every complete subtree of the final tree."""
    hashes = [leaf_hash(d) for d in data]
    stored: dict[tuple[int, int], bytes] = {(0, i): h for i, h in enumerate(hashes)}
    size = 0
    sizes = itertools.cycle(batches)  # batch sizes repeat until every leaf is appended
    while size < len(hashes):
        step = min(next(sizes), len(hashes) - size)
        frontier = {k: stored[k] for k in merkle.subtree_keys(0, size)}
        stored.update(merkle.new_nodes(size, frontier, hashes[size : size + step]))
        size += step
    full = tree_of(data)
    expected = {(lv, i): h for lv, row in enumerate(full.levels) for i, h in enumerate(row)}
    assert stored == expected


def test_leaf_bytes_are_length_prefixed_and_change_with_every_field() -> None:
    base = leaf_bytes(7, "0" * 32, 1, "domain.hazard:Hazard.Reported", b"{}")
    variants = [
        leaf_bytes(8, "0" * 32, 1, "domain.hazard:Hazard.Reported", b"{}"),
        leaf_bytes(7, "1" * 32, 1, "domain.hazard:Hazard.Reported", b"{}"),
        leaf_bytes(7, "0" * 32, 2, "domain.hazard:Hazard.Reported", b"{}"),
        leaf_bytes(7, "0" * 32, 1, "domain.hazard:Hazard.Reporte", b"d{}"),
        leaf_bytes(7, "0" * 32, 1, "domain.hazard:Hazard.Reported", b"{ }"),
    ]
    assert len({base, *variants}) == 6


def _reference_leaf(nid: int, oid: bytes, version: int, topic: str, state: bytes) -> bytes:
    """The encoding of audit/records.py's docstring, written out field by field."""
    t = topic.encode()
    return (
        b"\x01" + nid.to_bytes(8, "big") + len(oid).to_bytes(4, "big") + oid + version.to_bytes(8, "big", signed=True)
        + len(t).to_bytes(4, "big") + t + len(state).to_bytes(4, "big") + state
    )  # fmt: skip


@given(
    st.integers(0, 2**63 - 1), st.uuids(), st.integers(-(2**63), 2**63 - 1), st.text(max_size=40),
    st.none() | st.binary(max_size=64), st.booleans(),
)  # fmt: skip
def test_leaf_encoding_and_its_one_pass_hash_follow_the_documented_format(nid, oid, version, topic, state, as_text) -> None:
    """The UUID fast path, the text-id path (SQLite keeps hex) and the fused hash all give the documented bytes."""
    expected = _reference_leaf(nid, oid.bytes, version, topic, state or b"")
    given_id = oid.hex if as_text else oid
    assert leaf_bytes(nid, given_id, version, topic, state) == expected  # type: ignore[arg-type]
    assert row_leaf_hash(nid, given_id, version, topic, state) == leaf_hash(expected)  # type: ignore[arg-type]


# ----- signed notes -----------------------------------------------------------------------------------


def test_signed_checkpoint_round_trip_and_rejections(tmp_path) -> None:  # type: ignore[no-untyped-def]
    signer = Signer.from_file("example.org/log", tmp_path / "k.pem")
    assert (tmp_path / "k.pem").stat().st_mode & 0o777 == 0o600
    again = Signer.from_file("example.org/log", tmp_path / "k.pem")
    assert str(again.verifier) == str(signer.verifier)
    vkey = VerifierKey.parse(str(signer.verifier))
    root = hashlib.sha256(b"r").digest()
    cp = sign_checkpoint(signer, "example.org/log", 42, root)
    lines = cp.note.split("\n")
    assert lines[:3] == ["example.org/log", "42", __import__("base64").b64encode(root).decode()]
    assert "" in lines and lines[lines.index("") + 1].startswith("\u2014 example.org/log ")
    parsed = verify_checkpoint(cp.note, vkey)
    assert (parsed.size, parsed.root, parsed.origin) == (42, root, "example.org/log")
    # tampered body
    assert not verify_note(cp.note.replace("\n42\n", "\n43\n"), vkey)
    with pytest.raises(NoteError):
        verify_checkpoint(cp.note.replace("\n42\n", "\n43\n"), vkey)
    # tampered signature
    sig_line = cp.note.rstrip("\n").split("\n")[-1]
    blob = sig_line.split(" ")[2]
    flipped = blob[:10] + ("A" if blob[10] != "A" else "B") + blob[11:]
    assert not verify_note(cp.note.replace(blob, flipped), vkey)
    # another key
    other = Signer.from_file("example.org/log", tmp_path / "other.pem")
    assert not verify_note(cp.note, other.verifier)
    assert parse_checkpoint(cp.note).size == 42


def test_key_hash_follows_the_signed_note_spec() -> None:
    public = bytes(range(32))
    expected = hashlib.sha256(b"name\n\x01" + public).digest()[:4]
    assert VerifierKey("name", public).hash == expected
    assert VerifierKey.parse(str(VerifierKey("name", public))) == VerifierKey("name", public)
    with pytest.raises(NoteError):
        VerifierKey.parse("name+00000000+" + __import__("base64").b64encode(b"\x01" + public).decode())
