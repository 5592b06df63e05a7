"""RFC 9162 (Certificate Transparency v2) Merkle tree hashing, inclusion and consistency proofs.

* leaf hash ``SHA-256(0x00 || leaf)``, node hash ``SHA-256(0x01 || left || right)``;
* ``MTH(D[n])`` splits at ``k``, the largest power of two smaller than ``n`` (§2.1.1);
* inclusion proofs ``PATH(m, D[n])`` (§2.1.3) and consistency proofs ``PROOF(m, D[n])`` (§2.1.4), with
  the verification algorithms of §2.1.3.2 and §2.1.4.2.

Proofs are generated from **stored subtree hashes**. Every subtree that RFC 9162's recursion touches
is aligned: it starts at a multiple of a power of two at least as large as itself. So any such subtree
``D[start:start+size]`` is the right fold of at most ``log2(size)`` *complete* subtrees — one per set
bit of ``size`` — and a complete subtree is addressed by ``(level, idx)``: the ``2**level`` leaves
``[idx * 2**level, (idx + 1) * 2**level)``. A complete subtree's hash never changes once its last leaf
is appended, so it is computed once (when that leaf arrives) and stored (``audit/log.py``: the
``audit_nodes_vN`` table; level 0 = the leaf hashes in ``audit_leaves_vN``). A proof then reads
O(log n) stored hashes (one query) instead of rehashing O(n) leaves.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Protocol

Key = tuple[int, int]  # (level, idx): the complete subtree of leaves [idx * 2**level, (idx + 1) * 2**level)

_sha256 = hashlib.sha256


def leaf_hash(leaf: bytes) -> bytes:
    return _sha256(b"\x00" + leaf).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return _sha256(b"\x01" + left + right).digest()


EMPTY_ROOT = _sha256(b"").digest()  # MTH({}) = SHA-256()


def split(n: int) -> int:
    """The largest power of two strictly smaller than ``n`` (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


# ----- addressing complete subtrees ----------------------------------------------------------------


def subtree_keys(start: int, size: int) -> list[Key]:
    """The complete subtrees whose right fold is ``MTH(D[start:start+size])``, largest (leftmost) first.
    ``start`` must be aligned as in RFC 9162's recursion (a multiple of the power of two >= size)."""
    keys = []
    while size:
        level = size.bit_length() - 1
        keys.append((level, start >> level))
        start += 1 << level
        size -= 1 << level
    return keys


def fold(hashes: Sequence[bytes]) -> bytes:
    """Right fold of complete subtree hashes (largest first) into one subtree hash."""
    result = hashes[-1]
    for h in reversed(hashes[:-1]):
        result = node_hash(h, result)
    return result


class NodeSource(Protocol):
    def get_nodes(self, keys: Collection[Key]) -> Mapping[Key, bytes]:
        """The stored hashes of complete subtrees (level 0: leaf hashes). Raises KeyError if one is missing."""


def _ranges_hash(source: NodeSource, ranges: Sequence[tuple[int, int]]) -> list[bytes]:
    needed = {key for start, size in ranges for key in subtree_keys(start, size)}
    nodes = source.get_nodes(needed)
    return [fold([nodes[key] for key in subtree_keys(start, size)]) for start, size in ranges]


def root(source: NodeSource, size: int) -> bytes:
    if size == 0:
        return EMPTY_ROOT
    return _ranges_hash(source, [(0, size)])[0]


# ----- inclusion (§2.1.3) -------------------------------------------------------------------------


def inclusion_ranges(index: int, size: int) -> list[tuple[int, int]]:
    """The subtrees (start, size) whose hashes form PATH(index, D[size]), in proof order (leaf first)."""
    if not 0 <= index < size:
        raise ValueError(f"leaf index {index} is outside a tree of size {size}")
    out = []
    start = 0
    while size > 1:
        k = split(size)
        if index < k:
            out.append((start + k, size - k))
            size = k
        else:
            out.append((start, k))
            index -= k
            start += k
            size -= k
    out.reverse()
    return out


def inclusion_proof(source: NodeSource, index: int, size: int) -> list[bytes]:
    return _ranges_hash(source, inclusion_ranges(index, size))


def verify_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes], root_hash: bytes) -> bool:
    """RFC 9162 §2.1.3.2; ``leaf`` is the leaf HASH."""
    if index >= size or index < 0:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root_hash


# ----- consistency (§2.1.4) -----------------------------------------------------------------------


def consistency_ranges(first: int, second: int) -> list[tuple[int, int]]:
    """The subtrees (start, size) whose hashes form PROOF(first, D[second]), in proof order."""
    if not 0 < first <= second:
        raise ValueError(f"a consistency proof needs 0 < first <= second (got {first}, {second})")
    out = []
    m, n, start, whole = first, second, 0, True
    while m != n:
        k = split(n)
        if m <= k:
            out.append((start + k, n - k))
            n = k
        else:
            out.append((start, k))
            m -= k
            start += k
            n -= k
            whole = False
    if not whole:
        out.append((start, n))
    out.reverse()
    return out


def consistency_proof(source: NodeSource, first: int, second: int) -> list[bytes]:
    return _ranges_hash(source, consistency_ranges(first, second))


def verify_consistency(first: int, second: int, first_root: bytes, second_root: bytes, proof: Sequence[bytes]) -> bool:
    """RFC 9162 §2.1.4.2."""
    if not 0 < first <= second:
        return False
    if first == second:
        return not proof and first_root == second_root
    if not proof:
        return False
    path = list(proof)
    if first & (first - 1) == 0:  # an exact power of two: the old root is itself a node of the new tree
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == first_root and sr == second_root and sn == 0


# ----- building and appending -----------------------------------------------------------------------


def new_nodes(old_size: int, frontier: Mapping[Key, bytes], added: Sequence[bytes]) -> dict[Key, bytes]:
    """The complete subtrees (level >= 1) that appending leaf hashes ``added`` to a tree of ``old_size``
    leaves completes. ``frontier`` holds the hashes of ``subtree_keys(0, old_size)`` (the old tree's
    complete subtrees along its right edge): the only old nodes a new node can have as a child."""
    new_size = old_size + len(added)
    current: dict[int, bytes] = {old_size + i: h for i, h in enumerate(added)}  # level 0, new leaves
    out: dict[Key, bytes] = {}
    level = 0
    while current:
        older = {idx: h for (lvl, idx), h in frontier.items() if lvl == level}
        parents: dict[int, bytes] = {}
        for idx in sorted(current):
            if idx & 1:  # a right child: its parent is complete now
                left = current.get(idx - 1) or older[idx - 1]
                parents[idx >> 1] = node_hash(left, current[idx])
        level += 1
        for idx, h in parents.items():
            assert (idx + 1) << level <= new_size
            out[(level, idx)] = h
        current = parents
    return out


class MemoryTree:
    """All complete subtrees of a list of leaf hashes, in memory (tests, exports, benchmarks)."""

    def __init__(self, leaf_hashes: Iterable[bytes] = ()) -> None:
        self.levels: list[list[bytes]] = [[]]
        for h in leaf_hashes:
            self.append(h)

    @property
    def size(self) -> int:
        return len(self.levels[0])

    def append(self, h: bytes) -> None:
        level = 0
        self.levels[0].append(h)
        while len(self.levels[level]) % 2 == 0:
            row = self.levels[level]
            if len(self.levels) == level + 1:
                self.levels.append([])
            self.levels[level + 1].append(node_hash(row[-2], row[-1]))
            level += 1

    def get_nodes(self, keys: Collection[Key]) -> dict[Key, bytes]:
        return {(level, idx): self.levels[level][idx] for level, idx in keys}

    def root(self, size: int | None = None) -> bytes:
        return root(self, self.size if size is None else size)


class StreamingRoot:
    """O(log n) memory: appends leaf hashes, gives the root of the leaves so far (the verifier)."""

    __slots__ = ("stack", "size")

    def __init__(self) -> None:
        self.stack: list[tuple[int, bytes]] = []  # (level, hash), levels strictly decreasing
        self.size = 0

    def append(self, h: bytes) -> None:
        stack = self.stack
        level = 0
        while stack and stack[-1][0] == level:
            h = node_hash(stack.pop()[1], h)
            level += 1
        stack.append((level, h))
        self.size += 1

    def copy(self) -> StreamingRoot:
        other = StreamingRoot()
        other.stack, other.size = list(self.stack), self.size
        return other

    def root(self) -> bytes:
        if not self.stack:
            return EMPTY_ROOT
        return fold([h for _, h in self.stack])
